"""Service errors land on the form the person sees, whatever their shape."""

from django import forms
from django.core.exceptions import ValidationError

from common.forms import add_service_errors


class TitleForm(forms.Form):
    title = forms.CharField()


def test_field_errors_go_to_their_field_and_unknown_fields_above_the_form():
    form = TitleForm(data={"title": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"title": "Too short.", "slug": "Taken."}))
    assert form.errors["title"] == ["Too short."]
    assert form.non_field_errors() == ["Taken."]


def test_plain_messages_go_above_the_form():
    form = TitleForm(data={"title": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError(["Voting has opened.", "Ask a site admin."]))
    assert form.non_field_errors() == ["Voting has opened.", "Ask a site admin."]
