from django.urls import path

from reports.api import views

urlpatterns = [
    path("report-categories/", views.ServiceCategoryListView.as_view(), name="report_categories"),
    path("reports/", views.ReportListCreateView.as_view(), name="report_list"),
    path("reports/nearby/", views.NearbyView.as_view(), name="report_nearby"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/metoo/", views.MeTooView.as_view(), name="report_metoo"),
    path("reports/<int:pk>/status/", views.StatusChangeView.as_view(), name="report_status"),
]
