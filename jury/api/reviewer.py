"""Jury API for reviewers: accept an invitation, see your contests, declare conflicts, step down.

With `GET/PUT /api/v1/reviews/…` (jury.api.views) a reviewer does the whole review through the API.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import raise_drf_validation_error
from jury import reviewers, selectors, services


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500, help_text="The token of the invitation link sent by email.")


class ReviewerRoleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contest = serializers.CharField(source="contest.slug")
    status = serializers.CharField()
    conflicts_declared_at = serializers.DateTimeField(allow_null=True)
    assigned = serializers.IntegerField(required=False)
    submitted = serializers.IntegerField(required=False)


class InvitationAcceptView(APIView):
    """POST the token of an invitation link: you become a reviewer of that contest (your verified address)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=InvitationAcceptSerializer, responses={200: ReviewerRoleSerializer})
    def post(self, request):
        serializer = InvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            reviewer = reviewers.reviewer_accept(token=serializer.validated_data["token"], user=request.user)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(ReviewerRoleSerializer(reviewer).data)


class ReviewerRoleListView(APIView):
    """GET your active reviewer roles, with assignments done / due (the reviewer's dashboard)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ReviewerRoleSerializer(many=True)})
    def get(self, request):
        roles = selectors.reviewer_roles_of(user=request.user)
        return Response(ReviewerRoleSerializer(roles, many=True).data)


def _reviewer_of(request, slug):
    contest = selectors.contest_for_jury(slug=slug)
    reviewer = selectors.reviewer_role(user=request.user, contest=contest)
    if reviewer is None:
        raise PermissionDenied(_("You are not a reviewer of this contest."))
    return contest, reviewer


class ConflictCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    declared = serializers.BooleanField()


class ConflictsSerializer(serializers.Serializer):
    locked = serializers.BooleanField(help_text="True once you have assignments: ask the manager instead.")
    proposals = ConflictCandidateSerializer(many=True)


class ConflictsInputSerializer(serializers.Serializer):
    proposal_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=1000
    )


class ConflictsView(APIView):
    """GET the contest's proposals with your declared conflicts; PUT replaces them (before assignment).

    Titles only: the authors stay hidden so that blind review stays blind.
    """

    permission_classes = [permissions.IsAuthenticated]

    def _data(self, reviewer):
        declared = set(reviewer.conflicts.values_list("proposal_id", flat=True))
        return {
            "locked": reviewer.reviews.exists(),
            "proposals": [
                {"id": proposal.pk, "title": proposal.title, "declared": proposal.pk in declared}
                for proposal in selectors.conflict_candidates(reviewer=reviewer)
            ],
        }

    @extend_schema(responses={200: ConflictsSerializer})
    def get(self, request, slug):
        _contest, reviewer = _reviewer_of(request, slug)
        return Response(self._data(reviewer))

    @extend_schema(request=ConflictsInputSerializer, responses={200: ConflictsSerializer})
    def put(self, request, slug):
        _contest, reviewer = _reviewer_of(request, slug)
        serializer = ConflictsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            reviewers.conflicts_declare(reviewer=reviewer, proposal_ids=serializer.validated_data["proposal_ids"])
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(self._data(reviewer))


class WithdrawSelfView(APIView):
    """POST: step down as a reviewer of the contest; your unfinished reviews go to the others."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, slug):
        _contest, reviewer = _reviewer_of(request, slug)
        try:
            services.reviewer_withdraw(reviewer=reviewer)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(status=status.HTTP_204_NO_CONTENT)
