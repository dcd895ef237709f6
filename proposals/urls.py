from django.urls import path

from proposals import views, views_accountability, views_moderation, views_responses

app_name = "proposals"

_contest = "contests/<slug:contest_slug>/proposals/"
_proposal = f"{_contest}<int:pk>/"

urlpatterns = [
    path(_contest, views.ProposalListView.as_view(), name="list"),
    path(f"{_contest}new/", views.ProposalCreateView.as_view(), name="create"),
    path(f"{_contest}similar/", views_moderation.SimilarProposalsView.as_view(), name="similar"),
    path(_proposal, views.ProposalDetailView.as_view(), name="detail"),
    path(f"{_proposal}edit/", views.ProposalEditView.as_view(), name="edit"),
    path(f"{_proposal}withdraw/", views.ProposalWithdrawView.as_view(), name="withdraw"),
    path(f"{_proposal}coauthors/invite/", views.CoAuthorInviteView.as_view(), name="invite_coauthor"),
    path(f"{_proposal}attachments/<int:attachment_id>/", views.AttachmentView.as_view(), name="attachment"),
    path(f"{_proposal}response/", views_responses.ProposalRespondView.as_view(), name="respond"),
    path(f"{_proposal}report/", views_moderation.ProposalReportView.as_view(), name="report"),
    path(f"{_proposal}merge/", views_moderation.ProposalMergeView.as_view(), name="merge"),
    path("proposals/invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="accept_invitation"),
    path("accountability/", views_accountability.SiteAccountabilityView.as_view(), name="accountability_site"),
    path(
        "agencies/<slug:slug>/accountability/",
        views_accountability.AgencyAccountabilityView.as_view(),
        name="accountability_agency",
    ),
]
