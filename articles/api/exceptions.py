"""Every API error as JSON: DRF's errors, plus the Django exceptions that would otherwise become HTML or a 500."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


class PayloadTooLarge(APIException):
    """A request body over `DATA_UPLOAD_MAX_MEMORY_SIZE`: invalid input like any other, so a 400 with the limit."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


def api_exception_handler(exc, context):
    """Translate Django's own exceptions into API errors, then let DRF render them as JSON."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(
            f"The request body is larger than the limit of {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
        )
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict(
            "It is still referred to by other records (for example articles or subtopics); detach them first."
        )
    elif isinstance(exc, DataError):
        exc = ValidationError(
            {"detail": "A value is outside the range the database can store, or text holds a NUL character."}
        )
    elif isinstance(exc, IntegrityError):
        exc = Conflict("The change would break a uniqueness or integrity rule; another record holds the value.")
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    elif isinstance(exc, SuspiciousOperation):
        exc = ParseError(str(exc) or "The request could not be read.")
    return exception_handler(exc, context)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Answer an unknown `/api/` address in JSON, like every other API error."""
    return JsonResponse({"detail": "No API endpoint at this address."}, status=404)
