"""Jury API for the contest's managers: settings, rubric, reviewers, assignment, progress, reminders,
winners and publication — each a page action of `jury.views`, here as JSON."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import raise_drf_validation_error
from jury import selectors, services
from jury.api.serializers import (
    CriterionSerializer,
    ProgressSerializer,
    ResultsSerializer,
    ReviewerProgressSerializer,
    ReviewSettingsSerializer,
)
from jury.models import ContestReviewer


def managed_contest(request, slug: str):
    """The contest if the user manages its jury: 404 if they may not see it, 403 if they may not manage it."""
    contest = selectors.contest_for_jury(slug=slug)  # DRF answers Http404 with a JSON 404
    if not request.user.has_perm("contests.view_contest", contest):
        raise NotFound()
    if not request.user.has_perm("jury.manage_review", contest):
        raise PermissionDenied()
    return contest


def _call(service, **kwargs):
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        raise_drf_validation_error(error)


class ReviewSettingsView(APIView):
    """GET or PUT the contest's jury settings (reviewers per proposal, blind, normalise, winners count)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ReviewSettingsSerializer})
    def get(self, request, slug):
        contest = managed_contest(request, slug)
        return Response(ReviewSettingsSerializer(selectors.review_settings_of(contest=contest)).data)

    @extend_schema(request=ReviewSettingsSerializer, responses={200: ReviewSettingsSerializer})
    def put(self, request, slug):
        contest = managed_contest(request, slug)
        serializer = ReviewSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = _call(services.review_settings_update, contest=contest, **serializer.validated_data)
        return Response(ReviewSettingsSerializer(saved).data)


class RubricInputSerializer(serializers.Serializer):
    criteria = CriterionSerializer(many=True)


class RubricView(APIView):
    """GET the rubric (anyone who may see the contest, it is public); PUT replaces it (managers, before review)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses={200: CriterionSerializer(many=True)})
    def get(self, request, slug):
        contest = selectors.contest_for_jury(slug=slug)
        if not request.user.has_perm("contests.view_contest", contest):
            raise NotFound()
        return Response(CriterionSerializer(selectors.rubric_of(contest=contest), many=True).data)

    @extend_schema(request=RubricInputSerializer, responses={200: CriterionSerializer(many=True)})
    def put(self, request, slug):
        contest = managed_contest(request, slug)
        serializer = RubricInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        criteria = [dict(criterion) for criterion in serializer.validated_data["criteria"]]
        saved = _call(services.rubric_replace, contest=contest, criteria=criteria)
        return Response(CriterionSerializer(saved, many=True).data)


class ReviewerWithdrawView(APIView):
    """DELETE: withdraw a reviewer; their unfinished reviews are re-assigned to the others."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, slug, reviewer_id):
        contest = managed_contest(request, slug)
        reviewer = ContestReviewer.objects.filter(contest=contest, pk=reviewer_id).first()
        if reviewer is None:
            raise NotFound()
        _call(services.reviewer_withdraw, reviewer=reviewer)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignInputSerializer(serializers.Serializer):
    seed = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, required=False, allow_null=True, help_text="Same seed, same assignment."
    )


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class AssignView(APIView):
    """POST: assign every public proposal to R reviewers (balanced, skipping conflicts). Returns how many were added."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AssignInputSerializer, responses={200: CountSerializer})
    def post(self, request, slug):
        contest = managed_contest(request, slug)
        serializer = AssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        added = _call(services.assignment_run, contest=contest, seed=serializer.validated_data.get("seed"))
        return Response({"count": added})


class ProgressView(APIView):
    """GET the manager's overview: each reviewer's progress, each proposal's, totals and reviewer agreement."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ProgressSerializer})
    def get(self, request, slug):
        contest = managed_contest(request, slug)
        reviewers = list(selectors.contest_reviewers(contest=contest))
        totals = selectors.progress_totals(reviewers)
        return Response(
            {
                "reviewers": ReviewerProgressSerializer(reviewers, many=True).data,
                "proposals": [
                    {"proposal_id": row["pk"], "title": row["title"], **{k: row[k] for k in ("assigned", "submitted")}}
                    for row in selectors.proposal_progress(contest=contest)
                ],
                "assigned": totals.get("assigned", 0),
                "submitted": totals.get("submitted", 0),
                "agreement": selectors.jury_agreement(contest=contest),
            }
        )


class RemindView(APIView):
    """POST: email every reviewer who still has reviews to submit. Returns how many were emailed."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: CountSerializer})
    def post(self, request, slug):
        contest = managed_contest(request, slug)
        count = _call(services.reminders_send, contest=contest, site_url=request.build_absolute_uri("/"))
        return Response({"count": count})


class WinnersSerializer(serializers.Serializer):
    proposal_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=1000,
        help_text="Public proposals of the contest; an empty list goes back to the top entries.",
    )


class WinnersView(APIView):
    """PUT the winners the managers chose (final once results are published)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=WinnersSerializer, responses={200: WinnersSerializer})
    def put(self, request, slug):
        contest = managed_contest(request, slug)
        serializer = WinnersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chosen = _call(services.winners_choose, contest=contest, proposal_ids=serializer.validated_data["proposal_ids"])
        return Response({"proposal_ids": chosen})


class PublishView(APIView):
    """POST: publish the results now (after voting). Returns the results."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: ResultsSerializer})
    def post(self, request, slug):
        contest = managed_contest(request, slug)
        _call(services.results_publish, contest=contest)
        return Response(selectors.contest_results(contest=selectors.contest_for_jury(slug=slug)))
