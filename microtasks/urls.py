from django.urls import path

from microtasks import views, views_staff

app_name = "microtasks"

urlpatterns = [
    path("tasks/", views.TaskBoardView.as_view(), name="board"),
    path("tasks/mine/", views.MyTasksView.as_view(), name="mine"),
    path("tasks/<int:pk>/", views.CampaignDetailView.as_view(), name="detail"),
    path("tasks/<int:pk>/claim/", views.ClaimView.as_view(), name="claim"),
    path("tasks/claims/<int:claim_id>/release/", views.ReleaseView.as_view(), name="release"),
    path("tasks/claims/<int:claim_id>/proof/", views.ProofView.as_view(), name="proof"),
    path("tasks/claims/<int:claim_id>/answer/", views.ItemAnswerView.as_view(), name="answer"),
    path("agencies/<slug:slug>/tasks/", views_staff.AgencyTasksView.as_view(), name="agency"),
    path("agencies/<slug:slug>/tasks/new/", views_staff.CampaignCreateView.as_view(), name="create"),
    path("tasks/<int:pk>/review/", views_staff.ReviewQueueView.as_view(), name="review"),
    path("tasks/submissions/<int:submission_id>/review/", views_staff.ReviewView.as_view(), name="review_submission"),
    path("tasks/submissions/<int:submission_id>/photo/", views_staff.ProofPhotoView.as_view(), name="photo"),
    path("tasks/<int:pk>/items/", views_staff.ItemsUploadView.as_view(), name="items"),
    path("tasks/<int:pk>/consensus.csv", views_staff.ConsensusCSVView.as_view(), name="consensus"),
]
