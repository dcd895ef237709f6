"""The reports API (/api/v1/reports/…): list, report, read, "me too", staff status changes, nearby, categories."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from common.api import HasRulePermission, raise_drf_validation_error
from reports import selectors, services
from reports.api.serializers import (
    NearbySerializer,
    ReportCreateSerializer,
    ReportDetailSerializer,
    ReportSerializer,
    ServiceCategorySerializer,
    StatusChangeSerializer,
)
from reports.geo import point_check
from reports.models import Report, ServiceCategory
from reports.rules import metoo_refusal
from reports.workflow import report_status_change


def _public_reports():
    return Report.objects.public().select_related("category", "agency", "reporter").prefetch_related("photos")


class ServiceCategoryListView(generics.ListAPIView):
    serializer_class = ServiceCategorySerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        return ServiceCategory.objects.filter(is_active=True).select_related("agency").order_by("group", "name", "pk")


class ReportListCreateView(generics.ListCreateAPIView):
    """Public reports, newest first (?status=&category=); verified citizens report a problem (multipart for photos)."""

    permission_classes = [HasRulePermission.for_create("reports.add_report")]

    def get_serializer_class(self):
        return ReportCreateSerializer if self.request.method == "POST" else ReportSerializer

    def get_queryset(self):
        return (
            selectors.report_list(
                status=self.request.query_params.get("status", ""),
                category_code=self.request.query_params.get("category", ""),
            )
            .select_related("reporter")
            .prefetch_related("photos")
        )

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportDetailSerializer})
    def post(self, request):
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            report = services.report_create(
                reporter=request.user,
                latitude=data["latitude"],
                longitude=data["longitude"],
                description=data["description"],
                category_code=data["category"],
                photos=data.get("photos", []),
                is_anonymous=data["is_anonymous"],
                address=data.get("address", ""),
                answers=data.get("answers"),
            )
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        report = _public_reports().prefetch_related("updates").get(pk=report.pk)
        return Response(ReportDetailSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportDetailView(generics.RetrieveAPIView):
    serializer_class = ReportDetailSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return _public_reports().prefetch_related("updates")


class NearbyView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("lat", float), OpenApiParameter("lng", float), OpenApiParameter("category", str)],
        responses={200: NearbySerializer(many=True)},
    )
    def get(self, request):
        try:
            lat, lng = point_check(request.query_params.get("lat"), request.query_params.get("lng"))
        except DjangoValidationError as error:
            raise ValidationError({"detail": " ".join(error.messages)}) from error
        nearby = (
            selectors.reports_nearby(
                latitude=lat, longitude=lng, category_code=request.query_params.get("category", "")
            )
            .prefetch_related("photos")
            .select_related("reporter")
        )
        return Response(NearbySerializer(nearby, many=True).data)


class MeTooView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: ReportSerializer})
    def post(self, request, pk):
        report = get_object_or_404(_public_reports(), pk=pk)
        refusal = metoo_refusal(request.user, report)
        if refusal:
            self.permission_denied(request, message=refusal)
        if not services.metoo_add(user=request.user, report=report):
            return Response({"detail": _("You already said “me too” on this report.")}, status=status.HTTP_409_CONFLICT)
        return Response(ReportSerializer(_public_reports().get(pk=pk)).data)


class StatusChangeView(APIView):
    """Staff of the report's agency (or of an agency above it) change its status with a public note."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=StatusChangeSerializer, responses={200: ReportDetailSerializer})
    def post(self, request, pk):
        report = get_object_or_404(_public_reports(), pk=pk)
        if not request.user.has_perm("reports.manage_report", report):
            raise NotFound
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        passed_to = None
        if data.get("passed_to"):
            passed_to = Agency.objects.filter(slug=data["passed_to"]).first()
            if passed_to is None:
                raise ValidationError({"passed_to": _("No agency has this slug.")})
        try:
            report_status_change(
                report=report,
                author=request.user,
                status=data["status"],
                note=data["note"],
                close_reason=data["close_reason"],
                rejection_reason=data["rejection_reason"],
                passed_to=passed_to,
            )
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(ReportDetailSerializer(_public_reports().prefetch_related("updates").get(pk=pk)).data)
