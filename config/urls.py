"""Every app's pages at the site root (each app's urls.py holds full paths) and its API under /api/v1/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from contests import views as contests_views
from discussion import views as discussion_views

APPS = ["accounts", "agencies", "notifications", "contests", "engagement", "moderation", "discussion", "proposals"]
APPS += ["reports", "microtasks", "voting", "integrity", "jury", "privacy"]
APPS_WITH_API = ["accounts", "agencies", "notifications", "contests", "engagement", "moderation", "discussion"]
APPS_WITH_API += ["proposals", "record", "reports", "microtasks", "voting", "integrity", "jury", "privacy"]

api_v1 = [
    *(path("", include(f"{app}.api.urls")) for app in APPS_WITH_API),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from a URL, not inline, so the CSP needs no exception.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
]

urlpatterns = [
    path("", contests_views.HomeView.as_view(), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    # Comment.get_absolute_url() (django-contrib-comments) reverses this un-namespaced name.
    path(
        "comments/cr/<int:content_type_id>/<str:object_pk>/",
        discussion_views.comment_target_redirect,
        name="comments-url-redirect",
    ),
    *(path("", include(f"{app}.urls")) for app in APPS),
    path("api/v1/", include((api_v1, "api"))),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
