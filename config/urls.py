from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from contests import views as contests_views
from proposals import views_comments as comments_views

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("agencies.api.urls")),
    path("", include("proposals.api.urls")),
    path("", include("contests.api.urls")),
    path("", include("proposals.api_responses_urls")),
    path("", include("proposals.api_comments_urls")),
    path("", include("voting.api.urls")),
    path("", include("jury.api.urls")),
    path("", include("engagement.api.urls")),
    path("", include("accounts.api_notifications_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", contests_views.HomeView.as_view(), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("agencies.urls")),
    path("", include("proposals.urls")),
    path("", include("proposals.urls_staff")),
    path("", include("proposals.urls_comments")),
    # Comment.get_absolute_url() reverses this name; django_comments' other views (anonymous posting) stay off.
    path(
        "comments/cr/<int:content_type_id>/<str:object_pk>/",
        comments_views.comment_target_redirect,
        name="comments-url-redirect",
    ),
    path("", include("accounts.urls_notifications")),
    path("", include("accounts.urls_engagement")),
    path("", include("voting.urls")),
    path("", include("engagement.urls")),
    path("", include("contests.urls")),
    path("", include("jury.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
