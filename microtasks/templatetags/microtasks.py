"""What other apps' pages may include from micro-tasks: an agency's task figures."""

from django import template

from microtasks.selectors import agency_task_figures as _agency_task_figures

register = template.Library()


@register.inclusion_tag("microtasks/includes/agency_tasks_section.html", takes_context=True)
def agency_tasks(context, agency):
    """{% agency_tasks agency %}: the agency's task accountability figures, and a link for its staff."""
    user = context["request"].user
    return {
        "agency": agency,
        "figures": _agency_task_figures(agency=agency),
        "is_staff": user.has_perm("microtasks.add_campaign", agency),
    }
