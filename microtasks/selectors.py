"""Reads for task campaigns, shaped for their pages."""

from __future__ import annotations

from statistics import median

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from engagement.models import PointsEntry
from microtasks.models import Campaign, Claim, Submission
from microtasks.points import TASK_APPROVED


def campaign_for_viewer(*, pk: int, user) -> Campaign:
    """The campaign, or 404 when it does not exist or the user may not see it (a draft of another agency)."""
    campaign = get_object_or_404(Campaign.objects.select_related("agency"), pk=pk)
    if not user.has_perm("microtasks.view_campaign", campaign):
        raise Http404
    return campaign


def campaign_free_slots(campaign: Campaign, now=None) -> int:
    """Slots left, counting claims past their time limit as free (lazy expiry on read)."""
    overdue = Claim.objects.filter(campaign=campaign).overdue(now).count()
    return max(0, campaign.slots - campaign.slots_taken + overdue)


def active_claim_of(*, user, campaign: Campaign, now=None) -> Claim | None:
    if not user.is_authenticated:
        return None
    return (
        Claim.objects.filter(
            campaign=campaign, citizen=user, status=Claim.Status.ACTIVE, expires_at__gt=now or timezone.now()
        )
        .select_related("campaign")
        .first()
    )


def my_claims(*, user):
    """The citizen's claims, newest first, with their campaign and latest submission (two queries)."""
    return (
        Claim.objects.filter(citizen=user)
        .select_related("campaign__agency")
        .prefetch_related("submissions")
        .order_by("-claimed_at", "-pk")
    )


def review_queue(*, campaign: Campaign):
    """Pending work of the campaign, oldest first, with who did it."""
    return (
        Submission.objects.filter(claim__campaign=campaign, status=Submission.Status.PENDING)
        .select_related("claim__citizen")
        .order_by("review_due_at", "pk")
    )


def agency_campaigns(*, agency):
    return (
        Campaign.objects.filter(agency=agency)
        .annotate(pending=Count("claims__submissions", filter=Q(claims__submissions__status=Submission.Status.PENDING)))
        .order_by("-starts_at", "-pk")
    )


def agency_task_figures(*, agency) -> dict:
    """Accountability of an agency's task campaigns: posted, completed, median review time, points paid."""
    campaigns = Campaign.objects.filter(agency=agency)
    posted = campaigns.aggregate(campaigns=Count("pk"), slots=Sum("slots"))
    submissions = Submission.objects.filter(claim__campaign__agency=agency)
    completed = submissions.filter(status=Submission.Status.APPROVED).count()
    durations = list(
        submissions.filter(reviewed_at__isnull=False)
        .annotate(took=ExpressionWrapper(F("reviewed_at") - F("submitted_at"), output_field=DurationField()))
        .values_list("took", flat=True)
    )
    approved_ids = submissions.filter(status=Submission.Status.APPROVED).values("pk")
    paid = (
        PointsEntry.objects.filter(
            action=TASK_APPROVED.key,
            content_type=ContentType.objects.get_for_model(Submission),
            object_id__in=approved_ids,
        ).aggregate(total=Sum("points"))["total"]
        or 0
    )
    return {
        "campaigns": posted["campaigns"] or 0,
        "tasks_posted": posted["slots"] or 0,
        "tasks_completed": completed,
        "median_review_hours": round(median(d.total_seconds() for d in durations) / 3600, 1) if durations else None,
        "points_paid": paid,
    }
