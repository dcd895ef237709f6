from django.urls import path

from reports import open311, views, views_staff

app_name = "reports"

urlpatterns = [
    path("reports/", views.ReportMapView.as_view(), name="map"),
    path("reports/map.geojson", views.ReportGeoJSONView.as_view(), name="geojson"),
    path("reports/nearby/", views.NearbyView.as_view(), name="nearby"),
    path("reports/new/", views.ReportCreateView.as_view(), name="create"),
    path("reports/photo-location/", views.PhotoLocationView.as_view(), name="photo_location"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("reports/<int:pk>/metoo/", views.MeTooView.as_view(), name="metoo"),
    path("reports/<int:pk>/photos/<int:photo_id>/", views.PhotoView.as_view(), name="photo"),
    path("reports/<int:pk>/followup/", views.FollowupView.as_view(), name="followup"),
    path("reports/<int:pk>/status/", views_staff.ReportStatusView.as_view(), name="status"),
    path("reports/<int:pk>/assign/", views_staff.ReportAssignView.as_view(), name="assign"),
    path("reports/<int:pk>/reassign/", views_staff.ReportReassignView.as_view(), name="reassign"),
    path("reports/<int:pk>/merge/", views_staff.ReportMergeView.as_view(), name="merge"),
    path("agencies/<slug:slug>/reports/", views_staff.QueueView.as_view(), name="queue"),
    path("open311/v2/services.<str:fmt>", open311.ServiceListView.as_view(), name="open311_services"),
    path("open311/v2/services/<slug:code>.<str:fmt>", open311.ServiceDefinitionView.as_view(), name="open311_service"),
    path("open311/v2/requests.<str:fmt>", open311.RequestListView.as_view(), name="open311_requests"),
    path("open311/v2/requests/<str:request_id>.<str:fmt>", open311.RequestDetailView.as_view(), name="open311_request"),
]
