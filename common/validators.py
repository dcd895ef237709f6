"""Validators for user-written text that ends up on one line (names, titles, email subjects)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs, NUL and every other Unicode control character (category Cc)."""
    return any(unicodedata.category(char) == "Cc" for char in text)


def reject_control_characters(value: str) -> None:
    """A one-line field: refuse line breaks and other control characters (they could split an email header)."""
    if value and has_control_characters(value):
        raise ValidationError(
            _("This cannot contain line breaks, tabs or other control characters."), code="control_characters"
        )
