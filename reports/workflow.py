"""The report workflow: status changes with public notes, assignment, reassignment, merging duplicates.

open → acknowledged → in_progress → fixed, or closed (duplicate / not ours, passed to another agency /
cannot fix) from any unresolved status. A fixed or closed report can be reopened (the reporter's
"it is not fixed" answer does that). Every change adds a timeline entry and tells the reporter and
the followers through the notifications pipeline. Callers have checked `reports.manage_report`.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from agencies.rules import is_agency_member_or_overseer
from engagement.services import points_sync
from notifications.services import notification_notify
from notifications.subscriptions import subscribers_of, subscriptions_move
from reports.live import reports_live_changed
from reports.models import MeToo, Report, ReportUpdate, ServiceCategory
from reports.notifications import FOLLOWED_REPORT_STATUS, REPORT_MERGED, REPORT_STATUS, report_facts

Status = Report.Status
TRANSITIONS: dict[str, set[str]] = {
    Status.OPEN: {Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.FIXED, Status.CLOSED},
    Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.FIXED, Status.CLOSED},
    Status.IN_PROGRESS: {Status.FIXED, Status.CLOSED},
    Status.FIXED: {Status.OPEN},
    Status.CLOSED: {Status.OPEN},
}
NOTE_MAX = 2000


def status_change_allowed(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


def _notify(report: Report, note: str) -> None:
    data = report_facts(report, note=note[:300])
    url = report.get_absolute_url()
    reporter = report.reporter if report.source_client_id is None else None
    notification_notify(recipients=[reporter], kind=REPORT_STATUS.key, data=data, url=url)
    followers = [user for user in subscribers_of(target=report) if reporter is None or user.pk != reporter.pk]
    notification_notify(recipients=followers, kind=FOLLOWED_REPORT_STATUS.key, data=data, url=url)


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("category", "reporter").get(pk=report.pk)


@transaction.atomic
def report_status_change(
    *,
    report: Report,
    author: User | None,
    status: str,
    note: str = "",
    close_reason: str = "",
    passed_to: Agency | None = None,
    rejection_reason: str = "",
    duplicate_of: Report | None = None,
) -> Report:
    """Move the report to `status` with a public note; ValidationError for a change the workflow does not allow.

    Closing needs a reason; "not ours" needs the agency it was passed to; "duplicate" goes through
    `report_merge`. Reopening clears the fixed/closed facts and starts a new response-time window.
    """
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Keep the note under %(max)s characters.") % {"max": NOTE_MAX}})
    report = _lock(report)
    if status not in Status.values or not status_change_allowed(report.status, status):
        raise ValidationError(
            {
                "status": _("A report that is %(current)s cannot become %(new)s.")
                % {"current": report.get_status_display(), "new": dict(Status.choices).get(status, status)}
            }
        )
    if rejection_reason and rejection_reason not in Report.RejectionReason.values:
        raise ValidationError({"rejection_reason": _("Choose a reason from the list.")})
    if status == Status.CLOSED:
        if close_reason not in Report.CloseReason.values:
            raise ValidationError({"close_reason": _("Say why the report is closed.")})
        if close_reason == Report.CloseReason.NOT_OURS and passed_to is None:
            raise ValidationError({"passed_to": _("Say which agency the report was passed to.")})
        if close_reason == Report.CloseReason.DUPLICATE and duplicate_of is None and not rejection_reason:
            raise ValidationError({"close_reason": _("Merge a duplicate into the report it repeats.")})
    now = timezone.now()
    previous = report.status
    report.status = status
    if status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
        report.acknowledged_at = report.acknowledged_at or now
    elif status == Status.FIXED:
        report.fixed_at, report.followup_sent_at, report.followup_answered_at = now, None, None
    elif status == Status.CLOSED:
        report.closed_at = now
        report.close_reason = close_reason
        report.passed_to = passed_to if close_reason == Report.CloseReason.NOT_OURS else None
        report.rejection_reason = rejection_reason
    elif status == Status.OPEN:  # reopened
        report.fixed_at = report.closed_at = report.overdue_at = None
        report.close_reason = report.rejection_reason = ""
        report.passed_to = None
        report.due_at = now + timedelta(hours=report.category.response_hours)
    report.save()
    ReportUpdate.objects.create(
        report=report,
        author=author,
        status=status,
        previous_status=previous,
        close_reason=report.close_reason if status == Status.CLOSED else "",
        note=note,
    )
    points_sync(target=report)
    _notify(report, note)
    reports_live_changed(agency_ids={report.agency_id})
    return report


def reports_bulk_status_change(
    *,
    reports: list[Report],
    author: User,
    status: str,
    note: str = "",
    close_reason: str = "",
    rejection_reason: str = "",
) -> tuple[int, list[tuple[Report, str]]]:
    """Apply one status change to several reports, each in its own transaction; (changed, [(report, why not)])."""
    changed, refused = 0, []
    for report in reports:
        try:
            report_status_change(
                report=report,
                author=author,
                status=status,
                note=note,
                close_reason=close_reason,
                rejection_reason=rejection_reason,
            )
            changed += 1
        except ValidationError as error:
            refused.append((report, " ".join(error.messages)))
    return changed, refused


@transaction.atomic
def report_assign(*, report: Report, assignee: User | None) -> Report:
    """Give the report to a staff member of its agency (or of an agency above it), or take it back (None)."""
    if assignee is not None and not is_agency_member_or_overseer(assignee, report.agency):
        raise ValidationError({"assignee": _("Assign the report to a member of its agency.")})
    Report.objects.filter(pk=report.pk).update(assigned_to=assignee)
    report.assigned_to = assignee
    reports_live_changed(agency_ids={report.agency_id})
    return report


@transaction.atomic
def report_reassign(*, report: Report, author: User, category: ServiceCategory, note: str = "") -> Report:
    """Route the report to another category (a sub-agency's, by a parent agency; or its own agency's other one).

    Caller has checked `reports.manage_report` on the report and on a report of the target agency:
    the new category must belong to the report's agency or to an agency the author oversees.
    """
    if not (author.is_superuser or is_agency_member_or_overseer(author, category.agency)):
        raise ValidationError({"category": _("This category belongs to an agency you do not oversee.")})
    report = _lock(report)
    old_agency = report.agency_id
    report.category, report.agency = category, category.agency
    report.save(update_fields=["category", "agency", "updated_at"])
    ReportUpdate.objects.create(
        report=report, author=author, status=report.status, previous_status=report.status, note=note
    )
    reports_live_changed(agency_ids={old_agency, category.agency_id})
    return report


@transaction.atomic
def report_merge(*, source: Report, target: Report, author: User, note: str = "") -> Report:
    """Merge a duplicate into the report it repeats: followers, "me too"s (and the reporter as one) move.

    The source is closed as a duplicate and its page sends readers to the target.
    """
    if source.pk == target.pk:
        raise ValidationError({"target": _("A report cannot be merged into itself.")})
    if target.merged_into_id is not None or source.merged_into_id is not None:
        raise ValidationError({"target": _("This report was already merged.")})
    if target.agency_id != source.agency_id:
        raise ValidationError({"target": _("Merge only reports of the same agency.")})
    source, target = _lock(source), _lock(target)
    subscriptions_move(source=source, target=target)
    already = MeToo.objects.filter(report=target).values("user_id")
    MeToo.objects.filter(report=source).exclude(user_id__in=already).exclude(user_id=target.reporter_id).update(
        report=target
    )
    MeToo.objects.filter(report=source).delete()
    if (
        source.reporter_id != target.reporter_id
        and not MeToo.objects.filter(report=target, user_id=source.reporter_id).exists()
    ):
        MeToo.objects.create(report=target, user_id=source.reporter_id)
    Report.objects.filter(pk=target.pk).update(me_too_count=MeToo.objects.filter(report=target).count())
    Report.objects.filter(pk=source.pk).update(me_too_count=0)
    if source.status in Report.UNRESOLVED:
        report_status_change(
            report=source,
            author=author,
            status=Status.CLOSED,
            close_reason=Report.CloseReason.DUPLICATE,
            note=note or _("Merged into report #%(id)s.") % {"id": target.pk},
            duplicate_of=target,
        )
    Report.objects.filter(pk=source.pk).update(merged_into=target)
    source.merged_into = target
    notification_notify(
        recipients=[source.reporter] if source.source_client_id is None else [],
        kind=REPORT_MERGED.key,
        data={"report_id": source.pk, "target_id": target.pk},
        url=target.get_absolute_url(),
    )
    points_sync(target=source)
    reports_live_changed(agency_ids={target.agency_id})
    return target


@transaction.atomic
def report_followup_answer(*, report: Report, user: User, is_fixed: bool, note: str = "") -> Report:
    """The reporter's answer to the follow-up question: "yes" is recorded, "no" reopens the report.

    Caller has checked `reports.answer_followup`. ValidationError if no question is waiting.
    """
    report = _lock(report)
    if report.status != Status.FIXED or report.followup_sent_at is None or report.followup_answered_at is not None:
        raise ValidationError(_("This report is not waiting for your answer."))
    Report.objects.filter(pk=report.pk).update(followup_answered_at=timezone.now())
    if is_fixed:
        ReportUpdate.objects.create(
            report=report,
            author=user,
            status=Status.FIXED,
            previous_status=Status.FIXED,
            note=note or _("The reporter confirmed the problem is fixed."),
        )
        return report
    return report_status_change(
        report=report, author=user, status=Status.OPEN, note=note or _("The reporter says the problem is not fixed.")
    )
