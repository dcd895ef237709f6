from django import template

from proposals.accountability import agency_accountability as _agency_accountability

register = template.Library()


@register.simple_tag
def agency_accountability(agency):
    """{% agency_accountability agency as accountability %}: the agency's answer figures (one query)."""
    return _agency_accountability(agency=agency)
