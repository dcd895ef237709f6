from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("agencies/", views.AgencyListView.as_view(), name="list"),
    path("agencies/<slug:slug>/", views.AgencyDetailView.as_view(), name="detail"),
    path("agencies/<slug:slug>/edit/", views.AgencyEditView.as_view(), name="edit"),
    path("agencies/<slug:slug>/members/", views.AgencyMembersView.as_view(), name="members"),
    path("agencies/<slug:slug>/census/", views.CensusManageView.as_view(), name="census"),
    path("agencies/<slug:slug>/census/verify/", views.CensusVerifyView.as_view(), name="census_verify"),
    path(
        "agencies/<slug:slug>/members/<int:membership_id>/remove/",
        views.AgencyMemberRemoveView.as_view(),
        name="member_remove",
    ),
]
