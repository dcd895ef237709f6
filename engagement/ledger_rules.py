"""What earns points and badges, and how much a day: registered by the apps whose actions earn them.

Points go into an append-only ledger (engagement.models.PointsEntry). Each action
is worth a fixed number of points and may be awarded at most `daily_cap` times
per user per day (the site's TIME_ZONE day), so points cannot be farmed. Awards
that are reversed later (content hidden by moderators, a like taken back) still
count towards that day's cap: hiding and restoring content cannot mint points.

Badges are awarded once, when a user's active (not reversed) awards of one
action reach the badge's threshold.

An app whose content earns points defines its `ActionRule`s and `BadgeRule`s next to its
point source and registers them in `AppConfig.ready()` (`points_actions.register(rule.key, rule)`);
engagement itself owns voting in a contest, which it awards on the voting app's behalf.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.registry import Registry


@dataclass(frozen=True)
class ActionRule:
    key: str  # stored in PointsEntry.action; at most 30 characters
    label: Promise  # names the action in the ledger and the admin
    points: int  # the default award; an app may pass another amount (a task campaign's reward)
    daily_cap: int | None  # None: no daily cap (work an agency approved, such as micro-tasks)
    description: Promise  # the rule in words, listed on the contributor boards
    after_results: bool = False  # counts on the boards only once its contest's results are public (jury review)


@dataclass(frozen=True)
class BadgeRule:
    key: str  # stored in BadgeAward.badge; at most 30 characters
    action: str
    threshold: int
    name: Promise
    rule: Promise


points_actions: Registry[str, ActionRule] = Registry("points actions")
badges: Registry[str, BadgeRule] = Registry("badges")


def rules_register(*rules: ActionRule | BadgeRule) -> None:
    """Register action and badge rules (from an app's ready())."""
    for rule in rules:
        (points_actions if isinstance(rule, ActionRule) else badges).register(rule.key, rule)


CONTEST_VOTED = ActionRule(
    "contest_voted",
    _("Voted in a contest"),
    1,
    5,
    _("Vote in a contest (1 point per contest, up to 5 contests a day)."),
)
ACTIVE_VOTER = BadgeRule("active_voter", CONTEST_VOTED.key, 5, _("Active voter"), _("Voted in 5 contests."))
