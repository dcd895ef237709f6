from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="auth_token"),
    path("agencies/", views.AgencyListCreateView.as_view(), name="agency_list"),
    path("agencies/<slug:slug>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("agencies/<slug:slug>/members/", views.AgencyMemberCreateView.as_view(), name="agency_member_create"),
]
