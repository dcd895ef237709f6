from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationReport(models.Model):
    """A report about any registered piece of content (moderation.targets), and how moderators resolved it."""

    class Resolution(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Hidden")
        DISMISSED = "dismissed", _("Dismissed")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="moderation_reports")
    reporter = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=1000)
    resolution = models.CharField(max_length=20, choices=Resolution.choices, default=Resolution.OPEN)
    resolution_reason = models.CharField(_("public reason"), max_length=500, blank=True)
    resolved_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["contest", "resolution"], name="proposals_report_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter"],
                condition=models.Q(resolution="open"),
                name="proposals_report_one_open_per_reporter",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.resolution})"
