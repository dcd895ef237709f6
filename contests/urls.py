from django.urls import path

from contests import views

app_name = "contests"

# Only explicit paths under <slug>/: the proposals app adds its own /contests/<slug>/proposals/... pages.
urlpatterns = [
    path("", views.ContestListView.as_view(), name="list"),
    path("new/<slug:agency_slug>/", views.ContestCreateView.as_view(), name="create"),
    path("<slug:slug>/", views.ContestDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.ContestEditView.as_view(), name="edit"),
    path("<slug:slug>/preview/", views.ContestPreviewView.as_view(), name="preview"),
    path("<slug:slug>/publish/", views.ContestPublishView.as_view(), name="publish"),
]
