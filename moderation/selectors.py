"""Reads for the moderation pages: the agency's queue and its audit trail."""

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import QuerySet

from agencies.models import Agency
from moderation.models import ModerationReport
from moderation.targets import moderation_targets


def _content_prefetch() -> GenericPrefetch:
    return GenericPrefetch("content_object", [target.queryset() for target in moderation_targets.values()])


def moderation_queue(*, agency: Agency) -> QuerySet[ModerationReport]:
    """Open reports on content in the agency's contests, oldest first, with what the queue page shows loaded."""
    return (
        ModerationReport.objects.filter(contest__agency=agency, resolution=ModerationReport.Resolution.OPEN)
        .select_related("contest", "reporter", "content_type")
        .prefetch_related(_content_prefetch())
        .order_by("created_at", "pk")
    )


def moderation_recently_resolved(*, agency: Agency, limit: int = 20) -> QuerySet[ModerationReport]:
    """The agency's latest resolved reports (the audit trail), newest first."""
    return (
        ModerationReport.objects.filter(contest__agency=agency)
        .exclude(resolution=ModerationReport.Resolution.OPEN)
        .select_related("contest", "reporter", "resolved_by", "content_type")
        .prefetch_related(_content_prefetch())
        .order_by("-resolved_at", "-pk")[:limit]
    )


def report_get_for_agency(*, agency: Agency, report_id: int) -> ModerationReport | None:
    """A report on content in one of the agency's contests, or None."""
    return (
        ModerationReport.objects.select_related("contest__agency").filter(pk=report_id, contest__agency=agency).first()
    )
