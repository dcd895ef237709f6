"""Comment actions (included at the site root under /comments/)."""

from django.urls import path

from proposals import views_comments

app_name = "proposals_comments"

urlpatterns = [
    path(
        "comments/proposals/<int:key>/", views_comments.CommentPostView.as_view(kind="proposal"), name="post_proposal"
    ),
    path("comments/contests/<slug:key>/", views_comments.CommentPostView.as_view(kind="contest"), name="post_contest"),
    path(
        "comments/proposals/<int:key>/follow/",
        views_comments.DiscussionFollowView.as_view(kind="proposal"),
        name="follow_proposal",
    ),
    path(
        "comments/contests/<slug:key>/follow/",
        views_comments.DiscussionFollowView.as_view(kind="contest"),
        name="follow_contest",
    ),
    path("comments/proposals/<int:pk>/count/", views_comments.CommentCountView.as_view(), name="count"),
    path("comments/<int:comment_id>/", views_comments.CommentRedirectView.as_view(), name="redirect"),
    path("comments/<int:comment_id>/edit/", views_comments.CommentEditView.as_view(), name="edit"),
    path("comments/<int:comment_id>/delete/", views_comments.CommentDeleteView.as_view(), name="delete"),
    path("comments/<int:comment_id>/react/", views_comments.CommentReactView.as_view(), name="react"),
    path("comments/<int:comment_id>/report/", views_comments.CommentReportView.as_view(), name="report"),
    path("comments/<int:comment_id>/hide/", views_comments.CommentHideView.as_view(), name="hide"),
    path("comments/<int:comment_id>/restore/", views_comments.CommentRestoreView.as_view(), name="restore"),
    path("comments/unsubscribe/<str:token>/", views_comments.UnsubscribeView.as_view(), name="unsubscribe"),
    path("agencies/<slug:slug>/moderation/blocklist/", views_comments.BlocklistView.as_view(), name="blocklist"),
]
