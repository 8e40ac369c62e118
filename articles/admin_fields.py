"""Form fields of the desk that read what an editor typed more carefully than Django's own."""

from django import forms
from django.core.exceptions import ValidationError


class JSONTextField(forms.JSONField):
    """Django's JSON form field, with text nested too deeply for the decoder an error on the field, not a crash."""

    default_error_messages = {"nested": "This JSON is nested too deeply."}

    def to_python(self, value):
        try:
            return super().to_python(value)
        except RecursionError:
            raise ValidationError(self.error_messages["nested"], code="nested") from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)
