from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("account/privacy/", views.PrivacyView.as_view(), name="account"),
    path("account/privacy/data.json", views.DataExportView.as_view(), name="export"),
]
