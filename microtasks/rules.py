"""Who may do what with task campaigns (django-rules predicates), and why a claim is refused.

An agency's admins and managers (agencies.rules.is_agency_manager) post its campaigns and
review the work; verified citizens claim. `claim_refusal` says why a citizen may not claim
now; pages, API and the claiming service all use it (the service re-checks under its locks).
"""

from __future__ import annotations

import rules
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_site_admin, is_verified
from agencies.rules import is_agency_manager
from engagement.models import BadgeAward
from microtasks.models import Claim, Submission


@rules.predicate
def is_campaign_staff(user, campaign) -> bool:
    return campaign is not None and is_agency_manager(user, campaign.agency)


@rules.predicate
def is_published_campaign(user, campaign) -> bool:
    return campaign is not None and campaign.is_published


rules.add_perm("microtasks.add_campaign", is_site_admin | is_agency_manager)
rules.add_perm("microtasks.manage_campaign", is_site_admin | is_campaign_staff)
rules.add_perm("microtasks.review_submission", is_site_admin | is_campaign_staff)
rules.add_perm("microtasks.view_campaign", is_published_campaign | is_site_admin | is_campaign_staff)
rules.add_perm("microtasks.claim_campaign", is_verified & is_published_campaign)


class Refusal(Exception):
    """Why an action is refused, with the HTTP status the API answers (400 bad input, 409 conflict)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def claim_refusal(user, campaign, now=None) -> Refusal | None:
    """Why `user` may not claim a slot of `campaign` now, or None. Full campaigns are judged by the service."""
    now = now or timezone.now()
    if not is_verified(user):
        return Refusal(_("Only signed-in citizens with a verified email address can take tasks."), 403)
    if not campaign.is_published:
        return Refusal(_("This campaign is not open."), 400)
    if now < campaign.starts_at:
        return Refusal(_("This campaign has not started yet."), 400)
    if now >= campaign.ends_at:
        return Refusal(_("This campaign has ended."), 400)
    if (
        campaign.required_badge
        and not BadgeAward.objects.filter(user_id=user.pk, badge=campaign.required_badge).exists()
    ):
        return Refusal(_("This campaign is open to holders of a badge you do not have yet."), 403)
    if campaign.min_approved:
        approved = Submission.objects.filter(claim__citizen_id=user.pk, status=Submission.Status.APPROVED).count()
        if approved < campaign.min_approved:
            return Refusal(
                _("This campaign needs %(count)s approved tasks first; you have %(done)s.")
                % {"count": campaign.min_approved, "done": approved},
                403,
            )
    mine = Claim.objects.filter(citizen_id=user.pk)
    if mine.filter(campaign_id=campaign.pk, status=Claim.Status.ACTIVE, expires_at__gt=now).exists():
        return Refusal(_("You are already working on this task."), 409)
    if campaign.kind == campaign.Kind.FIELD and mine.filter(campaign_id=campaign.pk, status__in=Claim.TAKEN).exists():
        return Refusal(_("You have already taken this task."), 409)
    limit = settings.MICROTASKS_OPEN_CLAIMS_LIMIT
    if mine.filter(status=Claim.Status.ACTIVE, expires_at__gt=now).count() >= limit:
        return Refusal(_("You already hold %(limit)s open tasks; finish or release one first.") % {"limit": limit}, 409)
    return None
