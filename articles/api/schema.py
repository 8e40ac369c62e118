"""OpenAPI post-processing: document the error responses and validators every operation can produce.

drf-spectacular describes the successful responses; the errors below come from the framework around each view
(authentication, permissions, throttling, parsing, lookups), so they are added here once rather than per view.
"""

ERROR = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for a general error, or field names mapped to lists of messages.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
VALIDATOR_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "Weak validator for If-None-Match."},
    "Last-Modified": {"schema": {"type": "string"}, "description": "Newest change among the rows shown."},
}
ERRORS = {
    "400": "Invalid input: a filter value, field, page, cursor or body that cannot be used, or a body over the limit.",
    "401": "Authentication is required.",
    "403": "Signed in, but without the permission this needs.",
    "404": "Nothing visible to you at this address.",
    "405": "Method not allowed.",
    "406": "No acceptable representation.",
    "409": "Conflicts with existing data (a duplicate value, or the record is still referred to).",
    "415": "Unsupported request media type.",
    "429": "Too many requests; retry after the `Retry-After` header's seconds.",
}


def add_error_responses(result, generator, request, public):
    """Add the shared Error schema, error responses, and ETag/304 on conditional GETs."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ERROR}}}
                )
            if method == "get" and path.startswith("/api/v1/articles/") and "200" in responses:
                responses["200"].setdefault("headers", {}).update(VALIDATOR_HEADERS)
                responses["304"] = {"description": "Not modified: your copy (If-None-Match) is current."}
    return result
