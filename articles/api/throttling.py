"""Rate limits for anonymous and signed-in clients, read from settings at request time.

DRF's own throttles copy the rates once, when the module is imported, so a rate changed in settings (or in a test)
would be ignored; these read `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` on every request instead. The counters live
in the default cache: configure a shared cache (Redis) in production, or each server process counts on its own.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    @property
    def THROTTLE_RATES(self):  # the name DRF looks up
        return api_settings.DEFAULT_THROTTLE_RATES


class UserThrottle(UserRateThrottle):
    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES
