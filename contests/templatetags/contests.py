from django import template

from contests.selectors import contest_list_for_agency

register = template.Library()


@register.simple_tag
def agency_contests(agency):
    """{% agency_contests agency as contests %}: the agency's published contests, newest first (one query)."""
    return list(contest_list_for_agency(agency=agency))
