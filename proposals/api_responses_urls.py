from django.urls import path

from proposals import api_responses

urlpatterns = [
    path("proposals/<int:pk>/response/", api_responses.ProposalResponseView.as_view(), name="proposal_response"),
]
