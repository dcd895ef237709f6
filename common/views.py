from django.shortcuts import render
from django.views.generic import TemplateView

from contests.selectors import contest_list_open


class HomeView(TemplateView):
    template_name = "common/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_contests"] = contest_list_open()[:12]
        return context


def _error_page(request, template_name: str, status: int):
    return render(request, template_name, status=status)


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def server_error(request):
    # No context processors that might touch the database: the 500 page must render even if it is down.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({"request": request}))
