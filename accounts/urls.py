from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/<int:user_id>/", views.ProfileView.as_view(), name="profile"),
    path("account/profile/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("account/verification/", views.VerificationView.as_view(), name="verification"),
]
