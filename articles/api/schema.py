"""The OpenAPI schema's own parts: who may call what, and the error responses and validators of every operation.

drf-spectacular describes the successful responses; the errors below come from the framework around each view
(authentication, permissions, throttling, parsing, lookups), so they are added here once rather than per view.
The schema says what the API accepts as closely as a schema can: reads open to anonymous readers carry an empty
security requirement, query values that may be left empty say so, and no text value may hold a NUL character
(PostgreSQL cannot store one, and the API refuses it).
"""

from django.db.models import SlugField
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import SAFE_METHODS

from articles.api.permissions import ModelPermissionsOrAnonReadOnly

NO_NUL = "^[^\\x00]*$"
# Python's white space (what `str.strip()` and `str.split()` remove), spelled out: regex engines disagree on `\s`
# (ECMA's leaves out \x1c-\x1f and \x85, which Python strips), and schemathesis does not use Python's.
WHITE_SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
# A value that must not be blank: DRF trims white space first, so it needs some other character.
SOME_TEXT = f"^[^\\x00]*[^\\x00{WHITE_SPACE}][^\\x00]*$"
# Rows that `?fields=` can trim (articles.api.serializers.SparseFieldsMixin).
SPARSE_COMPONENTS = {"ArticleList", "ArticleDetail"}
# Query parameters whose empty value (`?since=`) is an error rather than "no filter".
EMPTY_IS_AN_ERROR = {"pagination", "cursor"}


SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"


def filter_limits(declared) -> dict:
    """Return the JSON Schema limits a django-filter filter enforces on each value: length, slug shape, range."""
    limits = {}
    if declared.extra.get("max_length"):
        limits["maxLength"] = declared.extra["max_length"]
    to_field = declared.extra.get("to_field_name")
    queryset = declared.extra.get("queryset")
    if callable(queryset):  # rows that depend on the reader: any reader's queryset names the model
        queryset = queryset(None)
    if to_field and queryset is not None:
        field = queryset.model._meta.get_field(to_field)
        if field.max_length:
            limits["maxLength"] = field.max_length
        if isinstance(field, SlugField) and not field.allow_unicode:
            limits["pattern"] = SLUG_PATTERN
    return limits


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema of a view, with anonymous reads declared as such (`{}` among the requirements) and
    each filter's own limits (length, slug shape) and help text on its query parameter."""

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        declared_filters = filterset_class.base_filters if filterset_class is not None else {}
        for parameter in parameters:
            declared = declared_filters.get(parameter["name"])
            if declared is None:
                continue
            if declared.extra.get("help_text") and not parameter.get("description"):
                parameter["description"] = str(declared.extra["help_text"])
            schema = parameter.get("schema", {})
            values = schema.get("items", schema) if schema.get("type") == "array" else schema
            if values.get("type") == "string":
                for key, limit in filter_limits(declared).items():
                    values.setdefault(key, limit)
        return parameters

    def get_auth(self):
        auths = super().get_auth()
        anonymous_reads = any(isinstance(p, ModelPermissionsOrAnonReadOnly) for p in self.view.get_permissions())
        if self.method in SAFE_METHODS and anonymous_reads and {} not in auths:
            auths.append({})
        return auths


PROBLEM_JSON = "application/problem+json"
PROBLEM = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details (`application/problem+json`).",
    "required": ["type", "title", "status", "detail", "instance", "code"],
    "properties": {
        "type": {"type": "string", "description": "`about:blank`: the status says what kind of problem it is."},
        "title": {"type": "string", "description": "The HTTP status's phrase, e.g. `Bad Request`."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "instance": {"type": "string", "description": "The path the request was sent to."},
        "code": {"type": "string", "description": "A stable error code for programs, e.g. `invalid`, `throttled`."},
        "errors": {
            "type": "object",
            "description": "Invalid input only: each field or query parameter (`non_field_errors` for the body "
            "as a whole) with its messages (nested objects for nested fields).",
            "additionalProperties": {},
        },
    },
    "additionalProperties": True,
}
# Members some problems add to the shared ones.
PROBLEM_MEMBERS = {
    "412": ("StaleWriteProblem", {"revision": {"type": "integer", "description": "The article's current revision."}}),
    "410": ("GoneProblem", {"latest": {"type": "integer", "description": "The newest event's cursor now."}}),
}
# Responses at or above 400 that are not problems: an import's rejected piece is its result (the import record).
NOT_PROBLEMS = {"414", "422"}
VALIDATOR_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "Weak validator for If-None-Match."},
    "Last-Modified": {"schema": {"type": "string"}, "description": "Newest change among the rows shown."},
}
PAGE_HEADERS = {
    "Link": {
        "schema": {"type": "string"},
        "description": "RFC 8288 links to the `first`, `prev`, `next` and `last` pages (those there are).",
    },
    "X-Total-Count": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "The number of matches, when it is counted exactly (page-number pages).",
    },
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
    "500": "The server failed to answer (a fault of ours, logged).",
}
# Answered by the HTTP server in front of the app (gunicorn, a proxy), as a page of its own, not by the API.
SERVER_ERRORS = {
    "414": {
        "description": "The address is longer than the HTTP server accepts (8,190 bytes under bin/serve).",
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
}


def forbid_nul(schema) -> None:
    """Give every free text in `schema` (no pattern, format or enum of its own) a pattern that refuses NUL."""
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not {"pattern", "format", "enum"} & set(schema):
        schema["pattern"] = SOME_TEXT if schema.get("minLength", 0) >= 1 else NO_NUL
    for key in ("items", "additionalProperties", "not"):
        forbid_nul(schema.get(key))
    for value in (schema.get("properties") or {}).values():
        forbid_nul(value)
    for key in ("oneOf", "anyOf", "allOf"):
        for value in schema.get(key) or []:
            forbid_nul(value)


def describe_inputs(operation) -> None:
    """Refuse NUL in the operation's text parameters and bodies; allow empty query values that mean "no filter"."""
    for parameter in operation.get("parameters", []):
        forbid_nul(parameter.get("schema"))
        single = parameter.get("schema", {}).get("type") != "array"
        if parameter["in"] == "query" and single and parameter["name"] not in EMPTY_IS_AN_ERROR:
            parameter["allowEmptyValue"] = True
    for media in operation.get("requestBody", {}).get("content", {}).values():
        forbid_nul(media.get("schema"))


def require_needed_bodies(result, operation) -> None:
    """Mark a request body required when every form it may take needs content (required fields, or text)."""
    body = operation.get("requestBody")
    if not body or body.get("required"):
        return
    schemas = [resolve(result, media.get("schema")) for media in body.get("content", {}).values()]
    if schemas and all(schema.get("required") or schema.get("minLength", 0) >= 1 for schema in schemas):
        body["required"] = True


def sparse_fields_pattern(names) -> str:
    """Return a pattern for `?fields=`: names from `names`, separated by commas (spaces and empty items allowed)."""
    choice = "|".join(sorted(names, key=lambda name: (-len(name), name)))
    return f"^[ ,]*(?:(?:{choice}) *(?:,[ ,]*|$))*$"


def response_properties(result, operation) -> dict:
    """Return the properties of the rows a GET operation answers with (the items of a page, or the one object)."""
    schema = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema")
    schema = resolve(result, schema)
    if "results" in schema.get("properties", {}):
        schema = resolve(result, schema["properties"]["results"].get("items"))
    return schema.get("properties", {})


def response_properties_of_page(result, operation) -> dict:
    """Return the properties of a GET operation's 200 body (`results` among them when it is a page)."""
    schema = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema")
    return resolve(result, schema).get("properties", {})


def resolve(result, schema) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = result["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema or {}


def describe_sparse_fields(result, operation) -> None:
    """Let `?fields=` name exactly the fields the operation shows, and make none of them required in its rows."""
    parameter = next((p for p in operation.get("parameters", []) if p["name"] == "fields" and p["in"] == "query"), None)
    if parameter is None:
        return
    properties = response_properties(result, operation)
    parameter["schema"] = {"type": "string", "pattern": sparse_fields_pattern(properties)}


def add_error_responses(result, generator, request, public):
    """Add the shared Error schema, error responses, and ETag/304 on conditional GETs; describe inputs exactly."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name, members in PROBLEM_MEMBERS.values():
        schemas[name] = {"allOf": [PROBLEM, {"type": "object", "required": list(members), "properties": members}]}
    for name, component in schemas.items():
        if name.endswith("Request"):
            forbid_nul(component)
        elif name in SPARSE_COMPONENTS:
            component.pop("required", None)  # `?fields=` may leave any of them out
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            describe_sparse_fields(result, operation)
            describe_inputs(operation)
            require_needed_bodies(result, operation)
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400 and code not in NOT_PROBLEMS:
                    name = PROBLEM_MEMBERS.get(code, ("Problem",))[0]
                    response["content"] = {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{name}"}}}
            for code, response in SERVER_ERRORS.items():
                responses.setdefault(code, response)
            if method == "get" and "results" in response_properties_of_page(result, operation):
                responses["200"].setdefault("headers", {}).update(PAGE_HEADERS)
            if method == "get" and path.startswith("/api/v1/articles/") and "200" in responses:
                responses["200"].setdefault("headers", {}).update(VALIDATOR_HEADERS)
                responses["304"] = {"description": "Not modified: your copy (If-None-Match) is current."}
    return result
