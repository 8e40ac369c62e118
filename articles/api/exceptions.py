"""Every API error in one shape: RFC 9457 problem details (`application/problem+json`).

A problem carries `type` (`about:blank`: the status says it all), `title` (the status's phrase), `status`,
`detail` (what went wrong, for a person), `instance` (the path asked for) and `code` (DRF's error code, for a
program). Invalid input adds `errors`: each field's messages (`non_field_errors` for the body as a whole). A few
problems carry one more member of their own: a stale write's current `revision` (412), the change feed's `latest`
cursor (410). Django's own exceptions that would otherwise become HTML or a 500 are translated first; an
unhandled error is a problem too (`server_error`, the project's 500 handler, for `/api/` addresses).
"""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.exceptions import APIException, NotFound, ParseError, ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"


class PayloadTooLarge(APIException):
    """A request body over `DATA_UPLOAD_MAX_MEMORY_SIZE`: invalid input like any other, so a 400 with the limit."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "What this address named is no longer kept."
    default_code = "gone"


def problem(status_code: int, detail: str, *, instance: str, code: str, **members) -> dict:
    """Return a problem details object (RFC 9457) for `status_code`, with any extension `members`."""
    return {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "instance": instance,
        "code": code,
        **members,
    }


def summarise(errors: dict) -> str:
    """Return one sentence for a person out of field errors: the message itself when there is only one."""
    if len(errors) == 1:
        [(field, messages)] = errors.items()
        if isinstance(messages, list) and len(messages) == 1 and isinstance(messages[0], str):
            return messages[0] if field == "non_field_errors" else f"{field}: {messages[0]}"
    return "Invalid input in: " + ", ".join(errors) + "."


def problem_of(exc: APIException, data, status_code: int, instance: str) -> dict:
    """Return the problem an APIException's rendered `data` (DRF's error body) describes."""
    if isinstance(exc, ValidationError) and not (isinstance(data, dict) and set(data) == {"detail"}):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        return problem(status_code, summarise(errors), instance=instance, code="invalid", errors=errors)
    members = dict(data) if isinstance(data, dict) else {"detail": data}
    detail = members.pop("detail", exc.default_detail)
    if isinstance(detail, list):
        detail = " ".join(str(message) for message in detail)
    code = getattr(exc.detail, "code", None) if not isinstance(exc.detail, dict | list) else None
    if code is None and isinstance(exc.detail, dict):
        code = getattr(exc.detail.get("detail"), "code", None)
    return problem(status_code, str(detail), instance=instance, code=code or exc.default_code, **members)


def api_exception_handler(exc, context):
    """Translate Django's own exceptions into API errors, then answer each as a problem (DRF's status and headers)."""
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
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler500 (`server_error`) answers it
    request = context["request"]
    if isinstance(exc, Http404):  # as DRF translates them
        exc = NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response.data = problem_of(exc, response.data, response.status_code, request.path)
    if renders_json(context.get("view"), request):
        response.content_type = PROBLEM_JSON
    return response


def renders_json(view, request) -> bool:
    """Negotiate the response's renderer now (DRF would, later): a problem is JSON unless the browsable API shows it."""
    if view is not None and not getattr(request, "accepted_renderer", None):
        request.accepted_renderer, request.accepted_media_type = view.perform_content_negotiation(request, force=True)
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is None or renderer.format == "json"


def problem_response(request, status_code: int, detail: str, code: str) -> JsonResponse:
    body = problem(status_code, detail, instance=request.path, code=code)
    return JsonResponse(body, status=status_code, content_type=PROBLEM_JSON)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Answer an unknown `/api/` address with a problem, like every other API error."""
    return problem_response(request, 404, "No API endpoint at this address.", "not_found")


def server_error(request, *args, **kwargs):
    """The project's 500 handler: a problem for `/api/` addresses, Django's plain page for the rest."""
    if request.path.startswith("/api/"):
        return problem_response(request, 500, "The server failed to answer; the error is logged.", "server_error")
    return defaults.server_error(request, *args, **kwargs)
