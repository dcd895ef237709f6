from django.urls import path

from proposals import views

app_name = "proposals"

_contest = "contests/<slug:contest_slug>/proposals/"

urlpatterns = [
    path(_contest, views.ProposalListView.as_view(), name="list"),
    path(f"{_contest}new/", views.ProposalCreateView.as_view(), name="create"),
    path(f"{_contest}<int:pk>/", views.ProposalDetailView.as_view(), name="detail"),
    path(f"{_contest}<int:pk>/edit/", views.ProposalEditView.as_view(), name="edit"),
    path(f"{_contest}<int:pk>/withdraw/", views.ProposalWithdrawView.as_view(), name="withdraw"),
    path(f"{_contest}<int:pk>/coauthors/invite/", views.CoAuthorInviteView.as_view(), name="invite_coauthor"),
    path(
        f"{_contest}<int:pk>/attachments/<int:attachment_id>/",
        views.AttachmentView.as_view(),
        name="attachment",
    ),
    path("proposals/invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="accept_invitation"),
]
