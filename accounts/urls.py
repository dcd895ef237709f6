from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/<int:user_id>/", views.ProfileView.as_view(), name="profile"),
    path("account/profile/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/<slug:slug>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("agencies/<slug:slug>/edit/", views.AgencyEditView.as_view(), name="agency_edit"),
    path("agencies/<slug:slug>/manage/", views.AgencyManageView.as_view(), name="agency_manage"),
    path("agencies/<slug:slug>/members/", views.AgencyMembersView.as_view(), name="agency_members"),
    path(
        "agencies/<slug:slug>/members/<int:membership_id>/remove/",
        views.AgencyMemberRemoveView.as_view(),
        name="agency_member_remove",
    ),
]
