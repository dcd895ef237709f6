"""Citizen reports of local problems ("随手拍"): service categories, reports, photos, timeline, "me too", Open311 clients."""

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class ServiceCategory(TimeStampedModel):
    """An Open311 "service": a kind of problem one agency fixes, in the area it covers (none = everywhere)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="service_categories")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)
    group = models.CharField(_("group"), max_length=80, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True, help_text=_("Comma-separated."))
    # Open311 attributes: [{"code", "description", "datatype", "required", "values": [{"key", "name"}]}]
    extra_questions = models.JSONField(_("extra questions"), default=list, blank=True)
    # A GeoJSON Polygon or MultiPolygon geometry ([longitude, latitude] pairs); null covers everywhere.
    area = models.JSONField(_("area covered"), null=True, blank=True)
    response_hours = models.PositiveIntegerField(_("response-time target (hours)"), default=72)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["group", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="reports_category_unique_agency_code"),
            models.CheckConstraint(condition=models.Q(response_hours__gt=0), name="reports_category_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class ReportQuerySet(models.QuerySet):
    def public(self) -> "ReportQuerySet":
        """Reports anyone may see: every report except those merged into another one."""
        return self.filter(merged_into__isnull=True)

    def unresolved(self) -> "ReportQuerySet":
        return self.filter(status__in=Report.UNRESOLVED)


class Report(TimeStampedModel):
    """A problem a citizen reported at a point; routed to the agency whose category and area cover it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        FIXED = "fixed", _("Fixed")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate")
        NOT_OURS = "not_ours", _("Not ours (passed to another agency)")
        CANNOT_FIX = "cannot_fix", _("Cannot fix")

    class RejectionReason(models.TextChoices):
        BLURRY_PHOTO = "blurry_photo", _("Blurry photo")
        OUTSIDE_AREA = "outside_area", _("Outside our area")
        DUPLICATE = "duplicate", _("Duplicate")
        NOT_PUBLIC = "not_public", _("Not a public matter")

    UNRESOLVED = (Status.OPEN, Status.ACKNOWLEDGED, Status.IN_PROGRESS)

    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="reports")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports")
    is_anonymous = models.BooleanField(_("report anonymously"), default=False)
    description = models.TextField(_("description"), max_length=2000)
    address = models.CharField(_("address"), max_length=300, blank=True)
    answers = models.JSONField(_("answers to the category's questions"), default=dict, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    close_reason = models.CharField(_("close reason"), max_length=20, choices=CloseReason.choices, blank=True)
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    passed_to = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("passed to"),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_reports"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_reports"
    )
    source_client = models.ForeignKey(
        "reports.Open311Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    me_too_count = models.PositiveIntegerField(_("me too"), default=0)
    due_at = models.DateTimeField(_("due"))  # created + the category's response-time target
    overdue_at = models.DateTimeField(_("marked overdue"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    fixed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    followup_sent_at = models.DateTimeField(null=True, blank=True)
    followup_answered_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bounding box of the nearby search and of the map (FixMyStreet's way, no GIS needed).
            models.Index(fields=["latitude", "longitude"], name="reports_report_lat_lng"),
            models.Index(fields=["agency", "status", "due_at"], name="reports_report_queue"),
            models.Index(fields=["status", "due_at"], name="reports_report_status_due"),
            models.Index(fields=["status", "fixed_at"], name="reports_report_status_fixed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="reports_report_point_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category.name}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", kwargs={"pk": self.pk})

    @property
    def is_unresolved(self) -> bool:
        return self.status in self.UNRESOLVED


class ReportPhoto(models.Model):
    """A photo of a report, re-encoded without EXIF/GPS before it was stored."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="reports/photos/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"photo {self.pk} of report #{self.report_id}"


class ReportUpdate(models.Model):
    """One entry of a report's public timeline: a status change (or a note) with a public note."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=20, choices=Report.Status.choices)
    previous_status = models.CharField(max_length=20, choices=Report.Status.choices, blank=True)
    close_reason = models.CharField(max_length=20, choices=Report.CloseReason.choices, blank=True)
    note = models.TextField(_("public note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.report_id}: {self.status}"


class MeToo(models.Model):
    """A citizen saying "me too" on a report instead of reporting it again: one per person per report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="me_toos")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_me_toos")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="reports_metoo_unique_report_user")]

    def __str__(self) -> str:
        return f"me too on #{self.report_id}"


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Open311Client(TimeStampedModel):
    """A client application allowed to POST Open311 service requests with its own API key.

    Only the key's SHA-256 is stored; requests it posts are reported by `user` (the app's account).
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="open311_clients")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name
