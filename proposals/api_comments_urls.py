from django.urls import path

from proposals import api_comments

urlpatterns = [
    path("proposals/<int:pk>/comments/", api_comments.ProposalCommentsView.as_view(), name="proposal_comments"),
]
