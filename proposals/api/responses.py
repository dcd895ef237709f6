"""Agency manager operations on proposals: an official answer (one, or the same to many), and merging duplicates."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import raise_drf_validation_error
from common.sanitize import render_markdown
from proposals.models import Proposal, ProposalStatusChange
from proposals.responses import (
    BULK_RESPONSE_MAX_PROPOSALS,
    RESPONSE_TEXT_MAX_LENGTH,
    proposal_respond,
    proposal_respond_bulk,
)
from proposals.selectors import contest_for_proposals, proposal_get
from proposals.similarity import proposal_merge


class ResponseRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(status, status) for status in Proposal.OFFICIAL_STATUSES])
    text = serializers.CharField(max_length=RESPONSE_TEXT_MAX_LENGTH, help_text="Markdown.")


class AnsweringAgencySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ResponseSerializer(serializers.ModelSerializer):
    agency = AnsweringAgencySerializer()
    text_html = serializers.SerializerMethodField()

    class Meta:
        model = ProposalStatusChange
        fields = ["id", "proposal", "status", "text", "text_html", "agency", "created_at"]

    def get_text_html(self, change: ProposalStatusChange) -> str:
        return str(render_markdown(change.text))


class MergedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    merged_into = serializers.IntegerField()
    url = serializers.CharField()


class ProposalResponseView(APIView):
    """Set the proposal's status with a public answer. Agency managers of the contest's agency only."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ResponseRequestSerializer, responses={201: ResponseSerializer})
    def post(self, request, pk):
        proposal = proposal_get(pk=pk)  # Http404 becomes a JSON 404
        if not request.user.has_perm("proposals.view_proposal", proposal):
            raise NotFound
        if not request.user.has_perm("proposals.respond_proposal", proposal):
            raise PermissionDenied(_("Only the agency running this contest can answer this proposal officially."))
        serializer = ResponseRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            change = proposal_respond(proposal=proposal, responder=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(ResponseSerializer(change).data, status=status.HTTP_201_CREATED)


class BulkResponseRequestSerializer(ResponseRequestSerializer):
    proposal_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=BULK_RESPONSE_MAX_PROPOSALS,
        help_text="Proposals of this contest; all get the same answer, or none does.",
    )


class ContestBulkResponseView(APIView):
    """The same official answer to several proposals of the contest at once (agency managers). All or nothing."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=BulkResponseRequestSerializer, responses={201: ResponseSerializer(many=True)})
    def post(self, request, slug):
        contest = contest_for_proposals(slug=slug, user=request.user)  # Http404 becomes a JSON 404
        serializer = BulkResponseRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        wanted = set(data["proposal_ids"])
        proposals = list(Proposal.objects.filter(contest=contest, pk__in=wanted).select_related("contest__agency"))
        visible = [proposal for proposal in proposals if request.user.has_perm("proposals.view_proposal", proposal)]
        if len(visible) != len(wanted):
            raise NotFound(_("Some of these proposals are not in this contest."))
        if not all(request.user.has_perm("proposals.respond_proposal", proposal) for proposal in visible):
            raise PermissionDenied(_("Only the agency running this contest can answer this proposal officially."))
        try:
            changes = proposal_respond_bulk(
                proposals=visible, responder=request.user, status=data["status"], text=data["text"]
            )
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(ResponseSerializer(changes, many=True).data, status=status.HTTP_201_CREATED)


class MergeRequestSerializer(serializers.Serializer):
    target = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The proposal to merge into.")


class ProposalMergeView(APIView):
    """Merge a duplicate into another proposal of the same contest (agency managers): ballots, comments and
    followers move; the duplicate's page leads to the target."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=MergeRequestSerializer, responses={200: MergedSerializer})
    def post(self, request, pk):
        proposal = proposal_get(pk=pk)
        if not request.user.has_perm("proposals.view_proposal", proposal):
            raise NotFound
        if not request.user.has_perm("proposals.merge_proposal", proposal):
            raise PermissionDenied(_("Only the agency running this contest can merge its proposals."))
        serializer = MergeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = Proposal.objects.select_related("contest").filter(pk=serializer.validated_data["target"]).first()
        if target is None or not request.user.has_perm("proposals.view_proposal", target):
            raise DRFValidationError({"target": [_("Choose the proposal to merge into.")]})
        try:
            proposal_merge(duplicate=proposal, target=target, moderator=request.user)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response({"id": proposal.pk, "merged_into": target.pk, "url": target.get_absolute_url()})
