from django.urls import path

from contests.api import views

urlpatterns = [
    path("contests/", views.ContestListCreateView.as_view(), name="contest_list"),
    path("contests/<slug:slug>/", views.ContestDetailView.as_view(), name="contest_detail"),
    path("contests/<slug:slug>/publish/", views.ContestPublishView.as_view(), name="contest_publish"),
]
