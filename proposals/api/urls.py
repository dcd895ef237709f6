from django.urls import path

from proposals.api import responses, views

urlpatterns = [
    path("contests/<slug:slug>/proposals/", views.ContestProposalListCreateView.as_view(), name="contest_proposals"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/response/", responses.ProposalResponseView.as_view(), name="proposal_response"),
    path("proposals/<int:pk>/merge/", responses.ProposalMergeView.as_view(), name="proposal_merge"),
    path("contests/<slug:slug>/responses/", responses.ContestBulkResponseView.as_view(), name="contest_responses"),
]
