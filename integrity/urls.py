from django.urls import path

from integrity import views

app_name = "integrity"

urlpatterns = [
    path("contests/<slug:slug>/integrity/", views.ReportView.as_view(), name="report"),
    path("contests/<slug:slug>/integrity/queue/", views.QueueView.as_view(), name="queue"),
]
