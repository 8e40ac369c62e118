"""Rate limits for anonymous and signed-in clients, read from settings at request time.

DRF's own throttles copy the rates once, when the module is imported, so a rate changed in settings (or in a test)
would be ignored; these read `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` on every request instead. Anonymous clients
are counted by address against the anonymous rate only, signed-in clients by account against the user rate only.
The counters live in the default cache: configure a shared cache (Redis) in production, or each server process
counts on its own. The client address is `REMOTE_ADDR`, or with `NUM_PROXIES` set, the entry of `X-Forwarded-For`
that the outermost trusted proxy appended.

The feeds (plain Django views) are throttled by the same classes at the same rates, with counters of their own, so
a feed reader polling every minute does not spend an API client's allowance: see `throttle_feed`.
"""

import math

from django.http import HttpResponse
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    @property
    def THROTTLE_RATES(self):  # the name DRF looks up
        return api_settings.DEFAULT_THROTTLE_RATES


class UserThrottle(UserRateThrottle):
    """The signed-in rate, for signed-in clients only.

    DRF's UserRateThrottle keys an anonymous request by its address, so anonymous clients also counted against the
    user rate and an anonymous rate above it could never be reached.
    """

    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class FeedAnonThrottle(AnonThrottle):
    cache_format = "throttle_feed_%(scope)s_%(ident)s"


class FeedUserThrottle(UserThrottle):
    cache_format = "throttle_feed_%(scope)s_%(ident)s"


FEED_THROTTLES = (FeedAnonThrottle, FeedUserThrottle)


def throttle_feed(view):
    """Wrap a feed view: over the rate, answer 429 with `Retry-After` (whole seconds), as the API does."""

    def throttled(request, *args, **kwargs):
        # Every throttle is asked, as DRF does, so each one counts the request.
        waits = [
            throttle.wait()
            for throttle in (cls() for cls in FEED_THROTTLES)
            if not throttle.allow_request(request, None)
        ]
        if waits:
            wait = max((w for w in waits if w is not None), default=None)
            response = HttpResponse(
                "Request was throttled: too many feed requests from this client; try again later.\n",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            if wait is not None:
                response["Retry-After"] = str(max(1, math.ceil(wait)))
            return response
        return view(request, *args, **kwargs)

    return throttled
