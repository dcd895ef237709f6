"""What other apps' pages show of the integrity monitor: the count of ballots under review, with links."""

from django import template
from django.core.cache import cache

from integrity.models import QuarantinedBallot

register = template.Library()
UNDER_REVIEW_CACHE_SECONDS = 5


@register.inclusion_tag("integrity/includes/under_review.html", takes_context=True)
def ballots_under_review(context, contest):
    """ "N ballots under review" (cached a few seconds), a link to the report when the viewer may read it, to the queue for managers."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # Cached for a few seconds, like the leaderboard snapshot it sits beside: a busy page costs no query.
    count = cache.get_or_set(
        f"integrity:under-review:{contest.pk}",
        lambda: QuarantinedBallot.objects.filter(contest=contest, status=QuarantinedBallot.Status.PENDING).count(),
        UNDER_REVIEW_CACHE_SECONDS,
    )
    return {
        "contest": contest,
        "count": count,
        "monitoring": contest.integrity_monitoring,
        "can_review": bool(user and user.has_perm("integrity.review_ballots", contest)),
        "can_read_report": bool(user and user.has_perm("integrity.view_report", contest)),
    }
