"""What micro-tasks tell citizens (notification kinds, registered in microtasks.apps)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import NotificationKind


def _render_expiring(data: dict) -> str:
    return _("Your claim on “%(title)s” expires in %(minutes)s minutes; submit your work or release it.") % {
        "title": data.get("campaign_title", ""),
        "minutes": data.get("minutes", ""),
    }


def _render_approved(data: dict) -> str:
    return _("Your work on “%(title)s” was approved: %(points)s points.") % {
        "title": data.get("campaign_title", ""),
        "points": data.get("points", ""),
    }


def _render_rejected(data: dict) -> str:
    text = _("Your work on “%(title)s” was rejected. Reason: %(reason)s") % {
        "title": data.get("campaign_title", ""),
        "reason": data.get("reason", ""),
    }
    if data.get("redo"):
        text += " " + _("You may redo it once.")
    return text


CLAIM_EXPIRING = NotificationKind("task_claim_expiring", gettext_lazy("A task claim about to expire"), _render_expiring)
TASK_APPROVED = NotificationKind("task_approved", gettext_lazy("Task work approved"), _render_approved)
TASK_REJECTED = NotificationKind("task_rejected", gettext_lazy("Task work rejected"), _render_rejected)
KINDS = (CLAIM_EXPIRING, TASK_APPROVED, TASK_REJECTED)
