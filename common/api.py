"""API pieces shared by the apps: rule-based permission classes, error translation, the JSON parser."""

import io
import re
from itertools import accumulate

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import permissions
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.throttling import BaseThrottle

from common.ratelimit import rate_limit_wait


class HasRulePermission(permissions.BasePermission):
    """Allow safe methods to everyone; require a django-rules permission (no object) to create."""

    create_permission = ""

    @classmethod
    def for_create(cls, permission: str) -> type["HasRulePermission"]:
        return type(f"Has_{permission.replace('.', '_')}", (cls,), {"create_permission": permission})

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.has_perm(self.create_permission))


def raise_drf_validation_error(error: DjangoValidationError):
    """Re-raise a service's Django ValidationError as a 400 in the API's error shape."""
    if hasattr(error, "error_dict"):
        raise ValidationError(error.message_dict) from error
    raise ValidationError({"detail": " ".join(error.messages)}) from error


class WriteRateThrottle(BaseThrottle):
    """The view's `throttle_scope` rate (default "write") per account and per client IP, on unsafe methods only.

    Counted by common.ratelimit, the same engine as the form views, so a write costs the
    same budget whichever way it comes.
    """

    def allow_request(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        self.retry_after = rate_limit_wait(request, getattr(view, "throttle_scope", "write"))
        return self.retry_after is None

    def wait(self):
        return self.retry_after


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}.__getitem__


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest, counted without recursion (strings skipped)."""
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_BRACKET_STEP, brackets)), default=0)


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser, refusing documents nested deeper than API_JSON_MAX_DEPTH with a 400.

    Python's json decoder recurses once per level: a 50,000-deep array raised RecursionError (a 500).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read()
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(_("The request body is not valid %(encoding)s.") % {"encoding": encoding}) from error
        limit = settings.API_JSON_MAX_DEPTH
        if json_depth(text) > limit:
            raise ParseError(_("The JSON document is nested too deep (more than %(limit)d levels).") % {"limit": limit})
        return super().parse(io.BytesIO(raw), media_type, parser_context)
