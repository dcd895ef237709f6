from django.urls import path

from microtasks.api import views

urlpatterns = [
    path("tasks/board/", views.TaskBoardView.as_view(), name="task_board"),
    path("tasks/", views.CampaignListView.as_view(), name="task_campaigns"),
    path("tasks/<int:pk>/", views.CampaignDetailView.as_view(), name="task_campaign"),
    path("tasks/<int:pk>/claim/", views.ClaimCreateView.as_view(), name="task_claim"),
    path("tasks/<int:pk>/submissions/", views.ReviewQueueView.as_view(), name="task_review_queue"),
    path("tasks/<int:pk>/items/", views.ItemsUploadView.as_view(), name="task_items"),
    path("tasks/<int:pk>/consensus/", views.ConsensusView.as_view(), name="task_consensus"),
    path("tasks/claims/", views.MyClaimsView.as_view(), name="task_claims"),
    path("tasks/claims/<int:claim_id>/release/", views.ClaimReleaseView.as_view(), name="task_claim_release"),
    path("tasks/claims/<int:claim_id>/proof/", views.ProofView.as_view(), name="task_claim_proof"),
    path("tasks/claims/<int:claim_id>/next-item/", views.NextItemView.as_view(), name="task_next_item"),
    path("tasks/claims/<int:claim_id>/answers/", views.ItemAnswerView.as_view(), name="task_item_answer"),
    path("tasks/submissions/<int:submission_id>/review/", views.ReviewView.as_view(), name="task_review"),
    path("agencies/<slug:slug>/tasks/", views.AgencyCampaignCreateView.as_view(), name="agency_task_create"),
    path("agencies/<slug:slug>/tasks/figures/", views.AgencyFiguresView.as_view(), name="agency_task_figures"),
]
