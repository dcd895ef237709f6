from django.urls import path

from discussion.api import views

urlpatterns = [
    path(
        "proposals/<int:pk>/comments/",
        views.DiscussionView.as_view(segment="proposals"),
        name="proposal_comments",
    ),
    path("contests/<slug:slug>/comments/", views.DiscussionView.as_view(segment="contests"), name="contest_comments"),
]
