from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="auth_token"),
    path("auth/token/revoke/", views.TokenRevokeView.as_view(), name="auth_token_revoke"),
]
