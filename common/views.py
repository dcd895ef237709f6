"""Error pages for every app: HTML for pages, the API's JSON shape under /api/."""

from django.http import JsonResponse
from django.shortcuts import render
from rest_framework import exceptions


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def _error_page(request, template_name: str, status: int):
    # API clients get the API's JSON error shape, even for addresses no API view matched.
    if _wants_json(request):
        return _json_error(status)
    return render(request, template_name, status=status)


def _json_error(status: int):
    details = {
        400: exceptions.ParseError.default_detail,
        403: exceptions.PermissionDenied.default_detail,
        404: exceptions.NotFound.default_detail,
        500: exceptions.APIException.default_detail,
    }
    return JsonResponse({"detail": str(details[status])}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


def csrf_failure(request, reason: str = ""):
    """A form sent without a valid CSRF token: usually an old tab or an expired session."""
    return render(request, "403.html", {"csrf_failure": True}, status=403)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def server_error(request):
    # No context processors that might touch the database: the 500 page must render even if it is down.
    from django.http import HttpResponseServerError
    from django.template import loader

    if _wants_json(request):
        return _json_error(500)
    return HttpResponseServerError(loader.get_template("500.html").render({"request": request}))
