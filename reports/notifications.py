"""What reports tell people (notification kinds) and how reports are followed (registered in reports.apps)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import NotificationKind
from notifications.subscriptions import Followable
from reports.models import Report


def _status_label(status: str) -> str:
    try:
        return str(Report.Status(status).label)
    except ValueError:
        return status


def _render_report_status(data: dict) -> str:
    return _("Your report #%(id)s (%(category)s) is now: %(status)s. %(note)s") % {
        "id": data.get("report_id", ""),
        "category": data.get("category_name", ""),
        "status": _status_label(data.get("status", "")),
        "note": data.get("note", ""),
    }


def _render_followed_report_status(data: dict) -> str:
    return _("Report #%(id)s (%(category)s), which you follow, is now: %(status)s. %(note)s") % {
        "id": data.get("report_id", ""),
        "category": data.get("category_name", ""),
        "status": _status_label(data.get("status", "")),
        "note": data.get("note", ""),
    }


def _render_report_followup(data: dict) -> str:
    return _("Report #%(id)s (%(category)s) was marked fixed a week ago. Is it really fixed? Tell us.") % {
        "id": data.get("report_id", ""),
        "category": data.get("category_name", ""),
    }


def _render_report_overdue(data: dict) -> str:
    return _("Report #%(id)s (%(category)s) has passed its response-time target of %(hours)s hours.") % {
        "id": data.get("report_id", ""),
        "category": data.get("category_name", ""),
        "hours": data.get("hours", ""),
    }


def _render_report_merged(data: dict) -> str:
    return _("Your report #%(id)s was merged into report #%(target)s, which reports the same problem.") % {
        "id": data.get("report_id", ""),
        "target": data.get("target_id", ""),
    }


REPORT_STATUS = NotificationKind("report_status", gettext_lazy("Your citizen report changed"), _render_report_status)
FOLLOWED_REPORT_STATUS = NotificationKind(
    "followed_report_status", gettext_lazy("A citizen report you follow changed"), _render_followed_report_status
)
REPORT_FOLLOWUP = NotificationKind(
    "report_followup", gettext_lazy("Is your fixed report really fixed?"), _render_report_followup
)
REPORT_OVERDUE = NotificationKind(
    "report_overdue", gettext_lazy("A citizen report of your agency is overdue"), _render_report_overdue
)
REPORT_MERGED = NotificationKind("report_merged", gettext_lazy("Citizen report merged"), _render_report_merged)
KINDS = (REPORT_STATUS, FOLLOWED_REPORT_STATUS, REPORT_FOLLOWUP, REPORT_OVERDUE, REPORT_MERGED)


def report_facts(report: Report, **extra) -> dict:
    return {"report_id": report.pk, "category_name": report.category.name, "status": report.status, **extra}


def _report_by_id(key: str) -> Report | None:
    if not key.isdigit() or len(key) > 18:
        return None
    return Report.objects.public().select_related("category", "agency").filter(pk=int(key)).first()


def _report_is_visible(user, report: Report) -> bool:
    return report.merged_into_id is None


def _reports_with_category() -> QuerySet:
    return Report.objects.select_related("category")


FOLLOWABLE = Followable(
    model=Report,
    segment="reports",
    label=gettext_lazy("Citizen report"),
    lookup=_report_by_id,
    is_visible=_report_is_visible,
    url_key=lambda report: str(report.pk),
    queryset=_reports_with_category,
)
