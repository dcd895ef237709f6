"""Moderation: citizens report content, the agency running the contest hides it (with a public reason) or dismisses.

Reports are generic (`ModerationReport` points at any object through a content type);
what differs per kind of content is its registered `ModerationTarget` (moderation.targets).
Hidden content is never deleted: it stays in the database, visible to the agency's
managers, with the reports that led to hiding it, for audit.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from moderation.models import ModerationReport
from moderation.targets import moderation_targets
from notifications.services import notification_notify

REPORT_REASON_MAX_LENGTH = ModerationReport._meta.get_field("reason").max_length
HIDE_REASON_MAX_LENGTH = ModerationReport._meta.get_field("resolution_reason").max_length


def _clean_reason(reason: str, *, field: str, limit: int, empty_message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: empty_message})
    if len(reason) > limit:
        raise ValidationError(
            {field: _("Keep it to %(limit)d characters (it has %(length)d).") % {"limit": limit, "length": len(reason)}}
        )
    return reason


def _open_reports_for(obj: Model) -> QuerySet[ModerationReport]:
    return ModerationReport.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        resolution=ModerationReport.Resolution.OPEN,
    )


@transaction.atomic
def report_create(*, reporter: User, target: Model, reason: str) -> ModerationReport:
    """File a report about `target` (any registered content). Caller has checked the report permission.

    Raises ValidationError for an empty or over-long reason, content that can no
    longer be reported, or a second open report by the same person on the same
    content (also enforced by a partial unique constraint).
    """
    moderation_target = moderation_targets[target]
    reason = _clean_reason(
        reason,
        field="reason",
        limit=REPORT_REASON_MAX_LENGTH,
        empty_message=_("Say what is wrong with this content."),
    )
    # Judge the content as it is now, not as the caller loaded it (it may have been hidden meanwhile).
    target = type(target)._default_manager.filter(pk=target.pk).first()
    if target is None or not moderation_target.is_reportable(target):
        raise ValidationError(_("This content can no longer be reported."))
    if _open_reports_for(target).filter(reporter=reporter).exists():
        raise ValidationError(_("You have already reported this. The moderators will look at your report."))
    try:
        # A savepoint, so a concurrent duplicate caught by the constraint leaves the outer transaction usable.
        with transaction.atomic():
            return ModerationReport.objects.create(
                content_type=ContentType.objects.get_for_model(target),
                object_id=target.pk,
                contest=moderation_target.contest(target),
                reporter=reporter,
                reason=reason,
            )
    except IntegrityError as error:
        raise ValidationError(_("You have already reported this. The moderators will look at your report.")) from error


def _locked_open_report(report: ModerationReport) -> ModerationReport:
    locked = ModerationReport.objects.select_for_update().filter(pk=report.pk).first()
    if locked is None or locked.resolution != ModerationReport.Resolution.OPEN:
        raise ValidationError(_("This report was already handled."))
    return locked


@transaction.atomic
def report_hide_content(*, report: ModerationReport, moderator: User, reason: str) -> ModerationReport:
    """Hide the reported content with a public reason, close every open report on it, and tell its authors.

    Caller has checked `moderation.resolve_report`. Raises ValidationError for an
    empty or over-long reason or a report already handled.
    """
    reason = _clean_reason(
        reason,
        field="reason",
        limit=HIDE_REASON_MAX_LENGTH,
        empty_message=_("Give the public reason for hiding this content."),
    )
    report = _locked_open_report(report)
    content = report.content_object
    if content is None:
        raise ValidationError(_("The reported content no longer exists."))
    moderation_target = moderation_targets[content]
    moderation_target.hide(content, reason)
    now = timezone.now()
    _open_reports_for(content).update(
        resolution=ModerationReport.Resolution.HIDDEN, resolution_reason=reason, resolved_by=moderator, resolved_at=now
    )
    notification_notify(
        recipients=moderation_target.authors(content),
        kind=moderation_target.notify_kind,
        data=moderation_target.notification_data(content, reason),
        url=content.get_absolute_url() if hasattr(content, "get_absolute_url") else "",
    )
    report.refresh_from_db()
    return report


@transaction.atomic
def report_dismiss(*, report: ModerationReport, moderator: User) -> ModerationReport:
    """Close a report without acting on the content. Other people's reports on it stay open."""
    report = _locked_open_report(report)
    report.resolution = ModerationReport.Resolution.DISMISSED
    report.resolved_by = moderator
    report.resolved_at = timezone.now()
    report.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    return report
