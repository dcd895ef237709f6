"""Comment actions. A discussion's own routes exist for each registered discussable's segment
(/comments/proposals/17/, /comments/contests/clean-rivers/), so they never shadow a comment's."""

from django.urls import path

from discussion import views
from discussion.discussables import discussables

app_name = "discussion"

urlpatterns = [
    path("comments/<int:comment_id>/", views.CommentRedirectView.as_view(), name="redirect"),
    path("comments/<int:comment_id>/edit/", views.CommentEditView.as_view(), name="edit"),
    path("comments/<int:comment_id>/delete/", views.CommentDeleteView.as_view(), name="delete"),
    path("comments/<int:comment_id>/react/", views.CommentReactView.as_view(), name="react"),
    path("comments/<int:comment_id>/report/", views.CommentReportView.as_view(), name="report"),
    path("comments/<int:comment_id>/hide/", views.CommentHideView.as_view(), name="hide"),
    path("comments/<int:comment_id>/restore/", views.CommentRestoreView.as_view(), name="restore"),
    path("agencies/<slug:slug>/moderation/blocklist/", views.BlocklistView.as_view(), name="blocklist"),
]

for discussable in discussables.values():
    segment = {"segment": discussable.segment}
    urlpatterns += [
        path(f"comments/{discussable.segment}/<str:key>/", views.CommentPostView.as_view(), segment, name="post"),
        path(
            f"comments/{discussable.segment}/<str:key>/follow/",
            views.DiscussionFollowView.as_view(),
            segment,
            name="follow",
        ),
        path(
            f"comments/{discussable.segment}/<str:key>/count/", views.CommentCountView.as_view(), segment, name="count"
        ),
    ]
