"""Locking the admin's sign-in after repeated failures (django-axes): who the client is, what a success forgets,
and the page a locked-out client sees.

Failures are counted per address and per account separately (`AXES_LOCKOUT_PARAMETERS`), within the cool-off
time; a client over the limit on either is refused, right password or not, until the cool-off has passed since its
latest failure or `manage.py axes_reset` clears the records.
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.template.response import TemplateResponse
from rest_framework.throttling import BaseThrottle


def client_address(request) -> str | None:
    """Return the client's address exactly as the API's throttles see it (`REMOTE_ADDR`, or the entry of
    `X-Forwarded-For` that the outermost of `DJANGO_NUM_PROXIES` trusted proxies appended).

    Without a trusted proxy the header is ignored, so a client cannot make itself someone else by sending one.
    """
    return BaseThrottle().get_ident(request)


class LoginAttemptsHandler(AxesDatabaseHandler):
    """django-axes' database handler, except that a successful sign-in forgets only that account's failures.

    The stock reset deletes every record of the account and every record of the address, so whoever has an
    account of their own could sign in with it between guesses at someone else's password, from the same address,
    and wipe that count each time.
    """

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if username is None:
            return 0
        deleted, _ = AccessAttempt.objects.filter(username=username).delete()
        return deleted


def lockout_response(request, original_response=None, credentials=None):
    """Return the locked-out page: a 429 that says why and when to try again, with `Retry-After`."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = TemplateResponse(
        request,
        "registration/locked_out.html",
        {"title": "Sign-in locked", "minutes": minutes, "site_header": "newsroom", "site_title": "newsroom"},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response.render()
