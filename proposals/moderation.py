"""Moderation: citizens report content, the agency running the contest hides it (with a public reason) or dismisses.

Reports are generic (`ModerationReport` points at any object through a content
type), and so is this module: what differs per kind of content lives in a
`ModerationTarget` registered in `MODERATION_TARGETS` under the model's label.
Proposals are registered here; the comments app registers its own target the
same way (`register_moderation_target("comments.comment", ModerationTarget(...))`)
and reuses the services, the queue and its pages unchanged.

Hidden content is never deleted: it stays in the database, visible to the
agency's managers, with the reports that led to hiding it, for audit.
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notification_notify
from accounts.rules import is_site_admin, is_verified
from agencies.models import Agency
from agencies.rules import is_agency_manager
from contests.models import Contest
from engagement.hooks import points_sync_on_commit
from proposals.models import ModerationReport, Proposal
from proposals.rules import is_public_proposal, manages_proposal_contest

REPORT_REASON_MAX_LENGTH = ModerationReport._meta.get_field("reason").max_length
HIDE_REASON_MAX_LENGTH = ModerationReport._meta.get_field("resolution_reason").max_length


@dataclass(frozen=True)
class ModerationTarget:
    """How moderation deals with one kind of content.

    contest: the contest the object belongs to (whose agency moderates it).
    is_reportable: whether citizens may report it now (public, not yet hidden).
    hide: hide it with a public reason (a write, inside the caller's transaction).
    authors: the users to tell when it is hidden.
    notify_kind: the Notification kind sent to them, and `notification_data` its facts.
    queryset: how the moderation pages load such objects (with what their links and titles need).
    """

    contest: Callable[[Model], Contest]
    is_reportable: Callable[[Model], bool]
    hide: Callable[[Model, str], None]
    authors: Callable[[Model], list[User]]
    notify_kind: str
    notification_data: Callable[[Model, str], dict]
    queryset: Callable[[], QuerySet]


MODERATION_TARGETS: dict[str, ModerationTarget] = {}


def register_moderation_target(model_label: str, target: ModerationTarget) -> None:
    """Make a model reportable. `model_label` is "app_label.modelname" in lower case."""
    MODERATION_TARGETS[model_label.lower()] = target


def _target_for(obj: Model) -> ModerationTarget:
    target = MODERATION_TARGETS.get(obj._meta.label_lower)
    if target is None:
        raise ValueError(f"{obj._meta.label} is not registered for moderation")
    return target


def _hide_proposal(proposal: Proposal, reason: str) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True, hidden_reason=reason, updated_at=timezone.now())
    proposal.is_hidden = True
    proposal.hidden_reason = reason
    points_sync_on_commit(target=proposal, reason="hidden")


def _proposal_authors(proposal: Proposal) -> list[User]:
    return [proposal.author, *User.objects.filter(coauthorships__proposal=proposal)]


register_moderation_target(
    "proposals.proposal",
    ModerationTarget(
        contest=lambda proposal: proposal.contest,
        is_reportable=lambda proposal: bool(is_public_proposal(None, proposal)),
        hide=_hide_proposal,
        authors=_proposal_authors,
        notify_kind=Notification.Kind.PROPOSAL_HIDDEN,
        notification_data=lambda proposal, reason: {
            "proposal_id": proposal.pk,
            "proposal_title": proposal.title,
            "reason": reason,
        },
        queryset=lambda: Proposal.objects.select_related("contest"),
    ),
)


@rules.predicate
def manages_report_contest(user, report) -> bool:
    """An admin or manager of the agency running the report's contest."""
    return report is not None and is_agency_manager(user, report.contest.agency)


rules.add_perm("proposals.report_proposal", is_verified & is_public_proposal)
rules.add_perm("proposals.moderate_proposal", manages_proposal_contest | is_site_admin)
rules.add_perm("proposals.resolve_report", manages_report_contest | is_site_admin)


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
    moderation_target = _target_for(target)
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

    Caller has checked `proposals.resolve_report`. Raises ValidationError for an
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
    moderation_target = _target_for(content)
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


def _content_prefetch() -> GenericPrefetch:
    return GenericPrefetch("content_object", [target.queryset() for target in MODERATION_TARGETS.values()])


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
