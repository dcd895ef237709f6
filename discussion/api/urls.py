from django.urls import path

from discussion.api import moderation, views

urlpatterns = [
    path(
        "proposals/<int:pk>/comments/",
        views.DiscussionView.as_view(segment="proposals"),
        name="proposal_comments",
    ),
    path("comments/<int:comment_id>/hide/", moderation.CommentHideView.as_view(), name="comment_hide"),
    path("comments/<int:comment_id>/restore/", moderation.CommentRestoreView.as_view(), name="comment_restore"),
    path("agencies/<slug:slug>/moderation/comments/", moderation.HeldCommentsView.as_view(), name="held_comments"),
    path("agencies/<slug:slug>/moderation/blocklist/", moderation.BlocklistView.as_view(), name="comment_blocklist"),
    path("contests/<slug:slug>/comments/", views.DiscussionView.as_view(segment="contests"), name="contest_comments"),
]
