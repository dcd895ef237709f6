"""The one table of what earns points and badges, and how much a day.

Points go into an append-only ledger (engagement.models.PointsEntry). Each action
is worth a fixed number of points and may be awarded at most `daily_cap` times
per user per day (the site's TIME_ZONE day), so points cannot be farmed. Awards
that are reversed later (content hidden by moderators, a like taken back) still
count towards that day's cap: hiding and restoring content cannot mint points.

Badges are awarded once, when a user's active (not reversed) awards of one
action reach the badge's threshold.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engagement.models import Badge, PointsEntry

Action = PointsEntry.Action


@dataclass(frozen=True)
class ActionRule:
    points: int
    daily_cap: int
    description: Promise


POINTS_RULES: dict[str, ActionRule] = {
    Action.PROPOSAL_SUBMITTED: ActionRule(10, 3, _("Submit a proposal (10 points, up to 3 a day).")),
    Action.PROPOSAL_SHORTLISTED: ActionRule(
        20, 5, _("A proposal of yours is shortlisted by the agency (20 points, up to 5 a day).")
    ),
    Action.PROPOSAL_WINNER: ActionRule(50, 5, _("A proposal of yours wins a contest (50 points, up to 5 a day).")),
    Action.PROPOSAL_ADOPTED: ActionRule(
        100, 5, _("A proposal of yours is adopted by the agency (100 points, up to 5 a day).")
    ),
    Action.COMMENT_LIKED: ActionRule(
        2, 10, _("Someone else likes a comment of yours (2 points per comment, up to 10 comments a day).")
    ),
    Action.CONTEST_VOTED: ActionRule(1, 5, _("Vote in a contest (1 point per contest, up to 5 contests a day).")),
    Action.REVIEW_COMPLETED: ActionRule(5, 20, _("Complete a jury review (5 points, up to 20 a day).")),
}


@dataclass(frozen=True)
class BadgeRule:
    action: str
    threshold: int
    name: Promise
    rule: Promise


BADGE_RULES: dict[str, BadgeRule] = {
    Badge.FIRST_PROPOSAL: BadgeRule(
        Action.PROPOSAL_SUBMITTED, 1, _("First proposal"), _("Submitted a first proposal that stayed public.")
    ),
    Badge.SHORTLISTED: BadgeRule(
        Action.PROPOSAL_SHORTLISTED, 1, _("Shortlisted"), _("Had a proposal shortlisted by an agency.")
    ),
    Badge.WINNER: BadgeRule(Action.PROPOSAL_WINNER, 1, _("Contest winner"), _("Had a proposal win a contest.")),
    Badge.FIRST_ADOPTED: BadgeRule(
        Action.PROPOSAL_ADOPTED, 1, _("First adopted idea"), _("Had a first proposal adopted by an agency.")
    ),
    Badge.HELPFUL_COMMENTER: BadgeRule(
        Action.COMMENT_LIKED, 10, _("Helpful commenter"), _("Wrote 10 comments that other people liked.")
    ),
    Badge.ACTIVE_VOTER: BadgeRule(Action.CONTEST_VOTED, 5, _("Active voter"), _("Voted in 5 contests.")),
    Badge.REVIEWER: BadgeRule(Action.REVIEW_COMPLETED, 1, _("Reviewer"), _("Completed a jury review.")),
}
