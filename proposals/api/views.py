from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from common.api import raise_drf_validation_error
from proposals import selectors, services
from proposals.api.serializers import (
    ProposalDetailSerializer,
    ProposalListQuerySerializer,
    ProposalSerializer,
    ProposalWriteSerializer,
)
from proposals.models import Proposal
from proposals.rules import submission_refusal


class ContestProposalListCreateView(generics.ListCreateAPIView):
    """Public proposals of a contest (`q`, `status`, `category`, `ordering`); verified citizens submit during
    the submission phase."""

    serializer_class = ProposalSerializer

    def _contest(self):
        return selectors.contest_for_proposals(slug=self.kwargs["slug"], user=self.request.user)

    def get_queryset(self):
        query = ProposalListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.proposal_list_public(contest=self._contest(), **query.validated_data)

    @extend_schema(parameters=[ProposalListQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ProposalWriteSerializer, responses={201: ProposalDetailSerializer})
    def post(self, request, slug):
        contest = self._contest()
        refusal = submission_refusal(request.user, contest)
        if refusal:
            self.permission_denied(request, message=refusal)
        serializer = ProposalWriteSerializer(data=request.data, contest=contest)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            proposal = services.proposal_create(
                author=request.user,
                contest=contest,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                category=data.get("category"),
                attachments=data.get("attachments", []),
                submit=not data.get("draft", False),
            )
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        proposal = selectors.proposal_get(pk=proposal.pk)
        return Response(ProposalDetailSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalDetailView(generics.GenericAPIView):
    """One proposal. Drafts, withdrawn and hidden proposals are a 404 except to their authors (and managers).
    Authors and co-authors edit until submission closes; DELETE withdraws (author only)."""

    serializer_class = ProposalDetailSerializer

    def _proposal(self, permission: str | None = None, message: str = "") -> Proposal:
        proposal = selectors.proposal_get_visible(pk=self.kwargs["pk"], user=self.request.user)
        if permission and not self.request.user.has_perm(permission, proposal):
            self.permission_denied(self.request, message=message)
        return proposal

    def get(self, request, pk):
        return Response(ProposalDetailSerializer(self._proposal()).data)

    @extend_schema(request=ProposalWriteSerializer, responses={200: ProposalDetailSerializer})
    def patch(self, request, pk):
        proposal = self._proposal(
            "proposals.change_proposal",
            _("Only its authors can edit this proposal, and only while submission is open."),
        )
        serializer = ProposalWriteSerializer(data=request.data, contest=proposal.contest, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.proposal_update(
                proposal=proposal,
                editor=request.user,
                title=data.get("title", proposal.title),
                summary=data.get("summary", proposal.summary),
                body=data.get("body", proposal.body),
                category=data.get("category", proposal.category),
                attachments=data.get("attachments", []),
                remove_attachment_ids=data.get("remove_attachments", []),
                submit="draft" in data and not data["draft"],
            )
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(ProposalDetailSerializer(selectors.proposal_get(pk=proposal.pk)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        proposal = self._proposal(
            "proposals.withdraw_proposal", _("Only the author can withdraw this proposal while submission is open.")
        )
        try:
            services.proposal_withdraw(proposal=proposal, user=request.user)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(status=status.HTTP_204_NO_CONTENT)
