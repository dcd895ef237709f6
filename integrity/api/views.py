"""Integrity API: the public report (with the results), the managers' queue and their decisions."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import raise_drf_validation_error
from contests.models import Contest
from integrity import selectors, services


def _contest(request, slug: str, permission: str) -> Contest:
    contest = Contest.objects.select_related("agency").filter(slug=slug).first()
    if contest is None or not request.user.has_perm("contests.view_contest", contest):
        raise Http404
    if not request.user.has_perm(permission, contest):
        raise PermissionDenied
    return contest


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["release", "void"])
    reason = serializers.CharField(max_length=500)


class IntegrityReportView(APIView):
    """Ballots cast, held back, released and voided by reason; the ranking without and with held ballots."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug):
        contest = _contest(request, slug, "integrity.view_report")
        return Response(selectors.integrity_report(contest=contest))


class ReviewQueueView(APIView):
    """Managers: the ballots under review, with their signals."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug):
        contest = _contest(request, slug, "integrity.review_ballots")
        return Response(
            [
                {
                    "id": ballot.pk,
                    "proposal_id": ballot.proposal_id,
                    "voter_id": ballot.voter_id,
                    "value": ballot.value,
                    "signals": ballot.reasons,
                    "account_age_days": round(ballot.context.account_age_days, 1),
                    "held_at": ballot.created_at,
                }
                for ballot in selectors.review_queue(contest=contest)
            ]
        )


class ReviewDecisionView(APIView):
    """Managers: release (it counts again) or void a ballot under review, with the reason (recorded)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=DecisionSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, slug, pk):
        contest = _contest(request, slug, "integrity.review_ballots")
        ballot = selectors.quarantined_ballot_for(contest=contest, pk=pk)
        if ballot is None:
            raise Http404
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service = services.ballot_release if data["decision"] == "release" else services.ballot_void
        try:
            ballot = service(ballot=ballot, manager=request.user, reason=data["reason"])
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response({"id": ballot.pk, "status": ballot.status, "reason": ballot.decision_reason})
