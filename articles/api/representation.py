"""Rows from declared fields without DRF's per-value machinery, for the API's hottest paths: lists, details, and
the change feed's pages of full articles.

DRF's `Serializer.to_representation` sends every value of every row through the generic path (the field's source
looked up over mappings and objects, callables called, errors turned into defaults or skipped fields, then the
field's own `to_representation`), and a `ModelSerializer` builds its field objects anew for every response. For a
page of article summaries both cost more than the queries behind it; for a page of the change feed, which showed
each event's article through a serializer of its own, building field objects was nine tenths of the page.

`CompiledRepresentationMixin` reads the declared fields once per serializer class, from a prototype, and turns each
into a step: a C-level getter of its source and the conversion its field class makes (`int`, `str`, a choice
lookup, ISO 8601 with `Z`, a nested serializer's own steps). A response binds the steps that depend on it (the
request's host for addresses, the current time zone, `get_<name>` methods) and builds no field objects. A class
whose fields are not all of known kinds compiles its steps from each serializer's own fields instead, with DRF's
lookup and `to_representation` for the unknown ones, so any declared field works. The output is DRF's, value for
value (`tests/api/test_representation.py`), and the declared fields stay the one definition the schema reads too.
"""

import inspect
from collections.abc import Callable
from operator import attrgetter, itemgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from rest_framework import fields as drf_fields
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

# Conversions DRF's own field classes make, by exact class: a subclass may represent its values differently.
SIMPLE_CONVERSIONS: dict[type, Callable[[Any], Any]] = {
    drf_fields.IntegerField: int,
    drf_fields.FloatField: float,
    drf_fields.CharField: str,
    drf_fields.SlugField: str,
    drf_fields.EmailField: str,
    drf_fields.URLField: str,
}
# A row the steps cannot build goes through DRF's path, which decides: a default, a skipped field, its message.
FALL_BACK = (AttributeError, KeyError, SkipField, ObjectDoesNotExist)

# A step: (field name, getter of the value from the row or None for the row itself, conversion of a value that is
# not None). A class step's conversion may instead be a factory taking the serializer (see `_bind`).
Step = tuple[str, Callable | None, Callable]


class CompiledRepresentationMixin:
    """Represent each row through steps compiled once per class from the serializer's declared fields."""

    def to_representation(self, instance):
        represent = self.__dict__.get("_compiled_representation")
        if represent is None:
            represent = self._compiled_representation = compile_representation(self)
        try:
            return represent(instance)
        except FALL_BACK:
            return super().to_representation(instance)


class Unknown(Exception):
    """A field whose representation only its own field object knows."""


class Bound:
    """A conversion that depends on the response: `make(serializer)` returns it."""

    def __init__(self, make: Callable[[serializers.Serializer], Callable]):
        self.make = make


# serializer class -> its steps, or None when they must come from each serializer's own fields
_CLASS_STEPS: dict[type, list[Step] | None] = {}


def compile_representation(serializer: serializers.Serializer) -> Callable[[Any], dict]:
    """Return the function that represents one row as `serializer` does, for the fields it shows."""
    cls = type(serializer)
    if cls not in _CLASS_STEPS:
        try:
            _CLASS_STEPS[cls] = _steps(cls(context={}), bound_to=None)
        except Unknown:
            _CLASS_STEPS[cls] = None
    steps = _CLASS_STEPS[cls]
    if steps is None:
        return _row_function(_steps(serializer, bound_to=serializer))
    if "fields" in serializer.__dict__:  # already built, so `?fields=` kept some of them
        shown = {field.field_name for field in serializer._readable_fields}
        steps = [step for step in steps if step[0] in shown]
    return _row_function(_bind(steps, serializer))


def _bind(steps: list[Step], serializer) -> list[Step]:
    return [
        (name, get, convert.make(serializer) if isinstance(convert, Bound) else convert) for name, get, convert in steps
    ]


def _row_function(steps: list[Step], mapping_steps: list[Step] | None = None) -> Callable[[Any], dict]:
    """Return a function building a row's dict from `steps` (`mapping_steps` for rows that are dicts)."""

    def represent(row) -> dict:
        out = {}
        for name, get, convert in mapping_steps if mapping_steps is not None and isinstance(row, dict) else steps:
            value = row if get is None else get(row)
            out[name] = None if value is None else convert(value)
        return out

    return represent


def _steps(serializer, *, bound_to, mapping: bool = False) -> list[Step]:
    """Return the steps of `serializer`'s readable fields.

    With `bound_to` None the steps are the class's, shared by every response: a field whose conversion only its
    own object knows raises `Unknown`. Otherwise they are `bound_to`'s own, such fields included.
    """
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    steps = []
    for field in serializer._readable_fields:
        if isinstance(field, serializers.SerializerMethodField):
            method = field.method_name
            convert = getattr(field.parent, method) if bound_to is not None else Bound(attrgetter(method))
            steps.append((field.field_name, None, convert))
            continue
        get = _getter(field, model, mapping=mapping)
        convert = _conversion(field, bound_to=bound_to)
        if get is None or convert is None:
            if bound_to is None:
                raise Unknown(field.field_name)
            get, convert = field.get_attribute, field.to_representation  # DRF's own reading of this field
        steps.append((field.field_name, get, convert))
    return steps


def _getter(field: drf_fields.Field, model, *, mapping: bool) -> Callable | None:
    """Return a getter of the field's source equivalent to DRF's lookup, or None where only DRF's will do."""
    if hasattr(field, "read_from"):  # a field of ours that reads one attribute of its own choosing
        return itemgetter(field.read_from) if mapping else attrgetter(field.read_from)
    if type(field).get_attribute is not drf_fields.Field.get_attribute:
        return None
    if field.source == "*":
        return None if not isinstance(field, serializers.BaseSerializer) else (lambda row: row)
    if len(field.source_attrs) != 1:
        return None
    (name,) = field.source_attrs
    if mapping:
        return itemgetter(name)
    if model is None:  # rows of any kind: DRF's lookup, from the field's base `get_attribute`
        return field.get_attribute
    # DRF calls a method named as the source; a property or a model field is read as it is.
    if inspect.isfunction(getattr(model, name, None)):
        return None
    return attrgetter(name)


def _conversion(field: drf_fields.Field, *, bound_to):
    """Return the field's conversion of a value that is not None, a `Bound` one, or None where unknown."""
    kind = type(field)
    if kind in SIMPLE_CONVERSIONS:
        return SIMPLE_CONVERSIONS[kind]
    if kind is drf_fields.BigIntegerField:
        return str if getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING) else int
    if kind is drf_fields.ChoiceField:
        return _choice_conversion(field)
    if kind is drf_fields.DateTimeField:
        return _datetime_conversion(field, bound_to=bound_to)
    if hasattr(field, "representation_for"):  # a light field of ours: its conversion for a response's context
        if bound_to is not None:
            return field.representation_for(bound_to.context)
        return Bound(lambda serializer: field.representation_for(serializer.context))
    if kind is drf_fields.ListField:
        child = _conversion(field.child, bound_to=bound_to)
        if child is None or isinstance(child, Bound):
            return None
        return lambda items: [None if item is None else child(item) for item in items]
    if isinstance(field, serializers.ListSerializer) and isinstance(field.child, serializers.Serializer):
        represent = _nested(field.child, bound_to=bound_to)
        if represent is None:
            return None

        def convert(items):
            if isinstance(items, models.manager.BaseManager):
                items = items.all()
            return [represent(item) for item in items]

        return convert
    if isinstance(field, serializers.Serializer):
        return _nested(field, bound_to=bound_to)
    return None


def _nested(serializer, *, bound_to):
    """Return a row function for a nested serializer (rows that are objects or dicts), or None where unknown."""
    try:
        objects = _steps(serializer, bound_to=bound_to)
        mappings = _steps(serializer, bound_to=bound_to, mapping=True)
    except Unknown:
        return None
    if any(isinstance(convert, Bound) for _, _, convert in objects + mappings):
        return None  # nested fields that depend on the response are left to the nested serializer itself
    return _row_function(objects, mappings)


def _choice_conversion(field: drf_fields.ChoiceField):
    strings_to_values = field.choice_strings_to_values

    def convert(value):
        if value == "" or not isinstance(value, str):
            return field.to_representation(value)  # enums and the blank choice: DRF's own rules
        return strings_to_values.get(value, value)

    return convert


def _datetime_conversion(field: drf_fields.DateTimeField, *, bound_to):
    """Return ISO 8601 in the response's time zone, with UTC as `Z`, as DRF's DateTimeField does with USE_TZ."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if (
        not settings.USE_TZ
        or hasattr(field, "timezone")
        or output_format is None
        or output_format.lower() != drf_fields.ISO_8601
    ):
        return None

    def make(_serializer):
        zone = timezone.get_current_timezone()  # once per response, not once per value

        def convert(value):
            if getattr(value, "tzinfo", None) is None:
                return field.to_representation(value)  # a naive datetime or a string: DRF's own rules
            text = value.astimezone(zone).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return convert

    return make(bound_to) if bound_to is not None else Bound(make)
