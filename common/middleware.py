"""Requests no page or API can answer meaningfully are refused before any view runs.

- A NUL byte in the path, the query string or a form field: PostgreSQL text cannot hold one, so a
  lookup with it would fail inside the database. Nothing legitimate sends one: 400.
- A path segment made only of digits and longer than any database id (19+ digits, beyond 2**63):
  the object cannot exist: 404, the same answer as for any missing id.
"""

import re

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from common.views import bad_request, page_not_found

_HUGE_ID_SEGMENT = re.compile(r"/\d{19,}(?=/|$)")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query_dict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


def has_malformed_input(request) -> bool:
    if "\x00" in request.path or _has_nul(request.GET):
        return True
    return request.method == "POST" and request.content_type in _FORM_TYPES and _has_nul(request.POST)


class MalformedInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_malformed_input(request):
            return bad_request(request)
        if _HUGE_ID_SEGMENT.search(request.path):
            return page_not_found(request, Http404(_("No such object.")))
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY: camera, microphone, location and the like are off on every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
