"""JSON API of micro-tasks: campaigns, claims, proof, items, review, consensus, agency figures."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from common.api import raise_drf_validation_error
from microtasks import claims, datatasks, selectors, services
from microtasks.api import serializers as s
from microtasks.live import task_board_snapshot_cached
from microtasks.models import Campaign, Claim, Submission
from microtasks.rules import Refusal


def _refused(refusal: Refusal) -> Response:
    return Response({"detail": refusal.message}, status=refusal.status)


def _campaigns_with_free_slots():
    now = timezone.now()
    overdue = Count("claims", filter=Q(claims__status=Claim.Status.ACTIVE, claims__expires_at__lte=now))
    return Campaign.objects.select_related("agency").annotate(free_slots=F("slots") - F("slots_taken") + overdue)


class CampaignListView(generics.ListAPIView):
    """Open campaigns (published, within their dates), soonest ending first, with the slots left."""

    serializer_class = s.CampaignSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        now = timezone.now()
        return (
            _campaigns_with_free_slots()
            .filter(is_published=True, starts_at__lte=now, ends_at__gt=now)
            .order_by("ends_at", "pk")
        )


class CampaignDetailView(generics.RetrieveAPIView):
    serializer_class = s.CampaignSerializer
    permission_classes = [permissions.AllowAny]

    def get_object(self):
        campaign = get_object_or_404(_campaigns_with_free_slots(), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("microtasks.view_campaign", campaign):
            raise NotFound
        return campaign


class AgencyCampaignCreateView(APIView):
    @extend_schema(request=s.CampaignSerializer, responses={201: s.CampaignSerializer})
    def post(self, request, slug):
        agency = get_object_or_404(Agency, slug=slug)
        if not request.user.has_perm("microtasks.add_campaign", agency):
            raise PermissionDenied
        serializer = s.CampaignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            campaign = services.campaign_create(agency=agency, created_by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        campaign.free_slots = campaign.slots
        return Response(s.CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class AgencyFiguresView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.FiguresSerializer)
    def get(self, request, slug):
        agency = get_object_or_404(Agency, slug=slug)
        return Response(s.FiguresSerializer(selectors.agency_task_figures(agency=agency)).data)


class ClaimCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: s.ClaimSerializer})
    def post(self, request, pk):
        selectors.campaign_for_viewer(pk=pk, user=request.user)
        try:
            claim = claims.claim_create(citizen=request.user, campaign_id=pk)
        except Refusal as refusal:
            return _refused(refusal)
        return Response(s.ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class MyClaimsView(generics.ListAPIView):
    serializer_class = s.ClaimSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.my_claims(user=self.request.user)


def _my_claim(request, claim_id) -> Claim:
    return get_object_or_404(Claim.objects.select_related("campaign"), pk=claim_id, citizen=request.user)


class ClaimReleaseView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=s.ClaimSerializer)
    def post(self, request, claim_id):
        try:
            claim = claims.claim_release(citizen=request.user, claim_id=claim_id)
        except Refusal as refusal:
            return _refused(refusal)
        return Response(s.ClaimSerializer(claim).data)


class ProofView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=s.ProofSerializer, responses={201: s.SubmissionSerializer})
    def post(self, request, claim_id):
        _my_claim(request, claim_id)
        serializer = s.ProofSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            submission = services.submission_submit(
                citizen=request.user,
                claim_id=claim_id,
                photo=data["photo"],
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                answers=data.get("answers") or {},
            )
        except Refusal as refusal:
            return _refused(refusal)
        return Response(s.SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


class NextItemView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: s.ItemSerializer, 204: None})
    def get(self, request, claim_id):
        claim = _my_claim(request, claim_id)
        if claim.status != Claim.Status.ACTIVE or claim.is_overdue():
            return Response({"detail": "This claim is not in progress any more."}, status=409)
        item = datatasks.item_next(claim=claim)
        if item is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.ItemSerializer(item, context={"request": request}).data)


class ItemAnswerView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, FormParser]

    @extend_schema(request=s.ItemAnswerSerializer, responses={201: None})
    def post(self, request, claim_id):
        _my_claim(request, claim_id)
        serializer = s.ItemAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            datatasks.item_answer(citizen=request.user, claim_id=claim_id, **serializer.validated_data)
        except Refusal as refusal:
            return _refused(refusal)
        return Response({"detail": "recorded"}, status=status.HTTP_201_CREATED)


def _campaign_for_staff(request, pk) -> Campaign:
    campaign = selectors.campaign_for_viewer(pk=pk, user=request.user)
    if not request.user.has_perm("microtasks.manage_campaign", campaign):
        raise PermissionDenied
    return campaign


class ReviewQueueView(generics.ListAPIView):
    serializer_class = s.SubmissionSerializer

    def get_queryset(self):
        return selectors.review_queue(campaign=_campaign_for_staff(self.request, self.kwargs["pk"]))


class ReviewView(APIView):
    @extend_schema(request=s.ReviewSerializer, responses=s.SubmissionSerializer)
    def post(self, request, submission_id):
        submission = get_object_or_404(Submission.objects.select_related("claim__campaign__agency"), pk=submission_id)
        if not request.user.has_perm("microtasks.review_submission", submission.claim.campaign):
            raise NotFound
        serializer = s.ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            reviewed = services.submission_review(
                reviewer=request.user,
                submission_id=submission.pk,
                approve=serializer.validated_data["decision"] == "approve",
                reason=serializer.validated_data["reason"],
            )
        except Refusal as refusal:
            return _refused(refusal)
        return Response(s.SubmissionSerializer(reviewed).data)


class ItemsUploadView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request=s.ItemsUploadSerializer, responses={201: None})
    def post(self, request, pk):
        campaign = _campaign_for_staff(request, pk)
        if campaign.kind != Campaign.Kind.DATA:
            return Response({"detail": "Only data tasks have items."}, status=400)
        serializer = s.ItemsUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            added = datatasks.items_from_csv(campaign=campaign, upload=serializer.validated_data["csv_file"])
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response({"added": added}, status=status.HTTP_201_CREATED)


class ConsensusView(APIView):
    @extend_schema(responses={200: None})
    def get(self, request, pk):
        return Response(datatasks.consensus_rows(campaign=_campaign_for_staff(request, pk)))


class TaskBoardView(APIView):
    """The live task board's snapshot, for clients that poll (the websocket sends the same JSON)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: None})
    def get(self, request):
        return Response(task_board_snapshot_cached())
