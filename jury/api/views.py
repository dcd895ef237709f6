"""Jury API: invite reviewers (managers), list and fill in reviews (reviewers), results (everyone, once published)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import raise_drf_validation_error
from jury import reviewers, selectors, services
from jury.api.serializers import (
    ResultsSerializer,
    ReviewerInviteSerializer,
    ReviewerSerializer,
    ReviewSerializer,
    ReviewUpdateSerializer,
)
from jury.views import results_csv_response, visible_results_contest


def _django_errors_to_drf(fetch):
    try:
        return fetch()
    except Http404 as error:
        raise NotFound() from error
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error) or None) from error


class ContestReviewersView(APIView):
    """Invite a reviewer by email (agency managers of the contest)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReviewerInviteSerializer, responses={201: ReviewerSerializer})
    def post(self, request, slug):
        contest = _django_errors_to_drf(lambda: selectors.contest_for_jury(slug=slug))
        if not request.user.has_perm("contests.view_contest", contest):
            raise NotFound()
        if not request.user.has_perm("jury.manage_review", contest):
            raise PermissionDenied()
        serializer = ReviewerInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            reviewer = reviewers.reviewer_invite(
                contest=contest,
                inviter=request.user,
                email=serializer.validated_data["email"],
                site_url=request.build_absolute_uri("/"),
            )
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(ReviewerSerializer(reviewer).data, status=status.HTTP_201_CREATED)


class ReviewListView(generics.ListAPIView):
    """Your assignments as a reviewer, with the scores you saved."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReviewSerializer

    def get_queryset(self):
        return selectors.reviews_of_reviewer(user=self.request.user).prefetch_related(
            "scores", "reviewer__contest__criteria"
        )


class ReviewDetailView(APIView):
    """GET one of your reviews; PUT its scores (whole review), as a draft or submitted (final)."""

    permission_classes = [permissions.IsAuthenticated]

    def _review(self, request, pk):
        return _django_errors_to_drf(lambda: selectors.review_for_reviewer(user=request.user, pk=pk))

    @extend_schema(responses={200: ReviewSerializer})
    def get(self, request, pk):
        return Response(ReviewSerializer(self._review(request, pk)).data)

    @extend_schema(request=ReviewUpdateSerializer, responses={200: ReviewSerializer})
    def put(self, request, pk):
        review = self._review(request, pk)
        serializer = ReviewUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.review_save(
                review=review, scores=serializer.validated_data["scores"], submit=serializer.validated_data["submit"]
            )
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(ReviewSerializer(selectors.review_for_reviewer(user=request.user, pk=pk)).data)


class ContestResultsView(APIView):
    """The final ranking (JSON), once published; managers may look before."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: ResultsSerializer, 403: OpenApiResponse(description="Not published yet")})
    def get(self, request, slug):
        contest = _django_errors_to_drf(lambda: visible_results_contest(request, slug))
        return Response(selectors.contest_results(contest=contest))


class ContestResultsCSVView(APIView):
    """The final ranking as CSV, once published."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(description="CSV, one row per proposal")})
    def get(self, request, slug):
        contest = _django_errors_to_drf(lambda: visible_results_contest(request, slug))
        return results_csv_response(selectors.contest_results(contest=contest))
