"""The model's own rules on the API's writes, so that no serializer states one of them again.

`ModelValidationMixin.validate` builds the instance a write would make (the stored one with the validated values
applied, or a new one) and runs the model's validation on it, as a `ModelForm` does: `clean()` (a topic below
itself, a text another article already has), then unique fields and constraints (identity, names, IPTC codes), each
error in the model's words and with its code. Fields the serializer does not write are left out of the checks, as
fields a form does not show are. The errors are keyed by the serializer's field names (a model's `source` is
written as `source_id`), those of the whole object under `non_field_errors`.

DRF derives copies of the uniqueness rules from the model (a `UniqueValidator` per unique field, a
`UniqueTogetherValidator` per constraint over several fields); a serializer with this mixin leaves them out, so each
rule is checked once, by the model.
"""

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator


class ModelValidationMixin:
    """For a `ModelSerializer`: validate writes with the model's `clean()`, unique fields and constraints."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        written = self._written_model_fields()
        instance = self._would_be_instance(attrs)
        exclude = {field.name for field in model._meta.concrete_fields} - written
        errors = {}
        try:
            instance.clean()
        except DjangoValidationError as error:
            errors = error.update_error_dict(errors)
        exclude |= set(errors) - {NON_FIELD_ERRORS}  # as Model.full_clean: only fields that passed are checked
        for check in (instance.validate_unique, instance.validate_constraints):
            try:
                check(exclude=exclude)
            except DjangoValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise serializers.ValidationError(self._field_errors(errors))
        return attrs

    def get_validators(self):
        return []

    def get_uniqueness_extra_kwargs(self, field_names, declared_fields, extra_kwargs):
        return extra_kwargs, {}  # what DRF does when the validators are declared: no defaults for its own checks

    def build_field(self, field_name, info, model_class, nested_depth):
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        if "validators" in kwargs:
            kwargs["validators"] = [v for v in kwargs["validators"] if not isinstance(v, UniqueValidator)]
        return field_class, kwargs

    def _written_model_fields(self) -> set[str]:
        return {field.source for field in self._writable_fields if field.source != "*" and "." not in field.source}

    def _would_be_instance(self, attrs):
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        return instance

    def _field_errors(self, errors: dict) -> dict:
        """Return the model's errors keyed by this serializer's field names, as DRF reports them."""
        names = {field.source: field.field_name for field in self._writable_fields}
        details: dict[str, list] = {}
        for name, found in get_error_detail(DjangoValidationError(errors)).items():
            key = names.get(name, api_settings.NON_FIELD_ERRORS_KEY)
            details.setdefault(key, []).extend(found)
        return details
