from django.urls import path

from record.api import views

urlpatterns = [
    path("record/", views.RecordEntriesView.as_view(), name="record_entries"),
    path("record/verify/", views.RecordVerifyView.as_view(), name="record_verify"),
]
