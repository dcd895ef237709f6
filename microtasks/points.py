"""Points for approved work (registered in microtasks.apps). The amount is each campaign's reward."""

from django.utils.translation import gettext_lazy as _

from engagement.ledger_rules import ActionRule, BadgeRule

TASK_APPROVED = ActionRule(
    "microtask_approved",
    _("Task approved"),
    10,
    None,  # approved by the agency: no daily cap
    _("Complete a task an agency posted (the campaign's reward, once the agency approves the work)."),
)
RULES = (
    TASK_APPROVED,
    BadgeRule("first_task", TASK_APPROVED.key, 1, _("First task done"), _("Had a first task approved by an agency.")),
    BadgeRule("ten_tasks", TASK_APPROVED.key, 10, _("Ten tasks done"), _("Had ten tasks approved by agencies.")),
)
