from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.models import Report, ReportUpdate, ServiceCategory


class ServiceCategorySerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ServiceCategory
        fields = [
            "id",
            "code",
            "name",
            "description",
            "group",
            "keywords",
            "extra_questions",
            "response_hours",
            "agency",
        ]


class ReportUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportUpdate
        fields = ["status", "previous_status", "close_reason", "note", "created_at"]


class ReportSerializer(serializers.ModelSerializer):
    """A report as the public sees it: the reporter's name only when not anonymous, never an email."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    reporter = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id", "url", "category", "category_name", "agency", "reporter", "description", "address", "latitude",
            "longitude", "status", "close_reason", "me_too_count", "created_at", "updated_at", "due_at", "fixed_at", "photos",
        ]  # fmt: skip

    def get_reporter(self, report) -> str | None:
        return None if report.is_anonymous or report.source_client_id else report.reporter.public_name

    def get_photos(self, report) -> list[str]:
        return [f"/reports/{report.pk}/photos/{photo.pk}/" for photo in report.photos.all()]


class ReportDetailSerializer(ReportSerializer):
    updates = ReportUpdateSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "updates"]


class ReportCreateSerializer(serializers.Serializer):
    category = serializers.SlugField(help_text=_("The service code; the point decides which agency's category."))
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    description = serializers.CharField(max_length=2000)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    answers = serializers.DictField(child=serializers.CharField(max_length=500), required=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=10)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Report.Status.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    close_reason = serializers.ChoiceField(choices=Report.CloseReason.choices, required=False, default="")
    rejection_reason = serializers.ChoiceField(choices=Report.RejectionReason.choices, required=False, default="")
    passed_to = serializers.SlugField(required=False, help_text=_("Slug of the agency it was passed to."))


class NearbySerializer(ReportSerializer):
    distance_m = serializers.FloatField(read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "distance_m"]
