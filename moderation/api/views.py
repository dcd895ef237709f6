"""Moderation API for agency managers: the open reports of the agency's contests, hide or dismiss each."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.selectors import agency_for_action
from common.api import raise_drf_validation_error
from moderation.models import ModerationReport
from moderation.selectors import moderation_queue, report_get_for_agency
from moderation.services import HIDE_REASON_MAX_LENGTH, report_dismiss, report_hide_content


@extend_schema_serializer(component_name="ModerationReport")  # "Report" is a citizen report (reports/)
class ReportSerializer(serializers.ModelSerializer):
    contest = serializers.CharField(source="contest.slug")
    kind = serializers.CharField(source="content_type.model", help_text="proposal, comment, …")
    content = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    reporter = serializers.CharField(source="reporter.public_name", help_text="Display name, never an email.")

    class Meta:
        model = ModerationReport
        fields = ["id", "contest", "kind", "object_id", "content", "url", "reason", "reporter", "created_at"]
        fields += ["resolution", "resolution_reason", "resolved_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_content(self, report) -> str | None:
        return None if report.content_object is None else str(report.content_object)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_url(self, report) -> str | None:
        target = report.content_object
        return target.get_absolute_url() if target is not None and hasattr(target, "get_absolute_url") else None


def _agency(request, slug):
    return agency_for_action(user=request.user, slug=slug, permission="agencies.manage_agency_contests")


class ModerationQueueView(generics.ListAPIView):
    """The agency's open reports, oldest first (managers of the agency's contests)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReportSerializer

    def get_queryset(self):
        return moderation_queue(agency=_agency(self.request, self.kwargs["slug"]))


def _report(request, slug, report_id) -> ModerationReport:
    report = report_get_for_agency(agency=_agency(request, slug), report_id=report_id)
    if report is None:
        raise Http404
    if not request.user.has_perm("moderation.resolve_report", report):
        raise PermissionDenied()
    return report


class ReportHideSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=HIDE_REASON_MAX_LENGTH, help_text="Public: shown in place of the content, sent to its authors."
    )


class ReportHideView(APIView):
    """Hide the reported content with a public reason; the report is resolved."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReportHideSerializer, responses={200: ReportSerializer})
    def post(self, request, slug, report_id):
        report = _report(request, slug, report_id)
        serializer = ReportHideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report_hide_content(report=report, moderator=request.user, reason=serializer.validated_data["reason"])
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        report.refresh_from_db()
        return Response(ReportSerializer(report).data)


class ReportDismissView(APIView):
    """Dismiss the report: the content stays."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: ReportSerializer})
    def post(self, request, slug, report_id):
        report = _report(request, slug, report_id)
        try:
            report_dismiss(report=report, moderator=request.user)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        report.refresh_from_db()
        return Response(ReportSerializer(report).data)
