from django.urls import path

from contests import views

app_name = "contests"

# Only explicit paths under contests/<slug>/: other apps add their own pages there
# (proposals, leaderboard, jury, results).
urlpatterns = [
    path("contests/", views.ContestListView.as_view(), name="list"),
    path("contests/new/<slug:agency_slug>/", views.ContestCreateView.as_view(), name="create"),
    path("contests/<slug:slug>/", views.ContestDetailView.as_view(), name="detail"),
    path("contests/<slug:slug>/edit/", views.ContestEditView.as_view(), name="edit"),
    path("contests/<slug:slug>/preview/", views.ContestPreviewView.as_view(), name="preview"),
    path("contests/<slug:slug>/publish/", views.ContestPublishView.as_view(), name="publish"),
    path("agencies/<slug:slug>/manage/", views.AgencyManageView.as_view(), name="agency_manage"),
]
