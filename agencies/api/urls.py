from django.urls import path

from agencies.api import views

urlpatterns = [
    path("agencies/", views.AgencyListCreateView.as_view(), name="agency_list"),
    path("agencies/<slug:slug>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("agencies/<slug:slug>/members/", views.AgencyMemberCreateView.as_view(), name="agency_member_create"),
    path(
        "agencies/<slug:slug>/members/<int:membership_id>/",
        views.AgencyMemberRemoveView.as_view(),
        name="agency_member_remove",
    ),
]
