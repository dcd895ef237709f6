from django.urls import path

from jury.api import views

urlpatterns = [
    path("contests/<slug:slug>/reviewers/", views.ContestReviewersView.as_view(), name="contest_reviewers"),
    path("contests/<slug:slug>/results/", views.ContestResultsView.as_view(), name="contest_results"),
    path("contests/<slug:slug>/results.csv", views.ContestResultsCSVView.as_view(), name="contest_results_csv"),
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
]
