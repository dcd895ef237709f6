"""POST /api/v1/proposals/<id>/response/ {"status", "text"}: an official answer from the contest's agency."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import raise_drf_validation_error
from common.sanitize import render_markdown
from proposals.models import Proposal, ProposalStatusChange
from proposals.responses import RESPONSE_TEXT_MAX_LENGTH, proposal_respond
from proposals.selectors import proposal_get


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
