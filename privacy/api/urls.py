from django.urls import path

from privacy.api import views

urlpatterns = [
    path("account/data/", views.AccountDataView.as_view(), name="account_data"),
]
