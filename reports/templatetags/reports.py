"""What other apps' pages may include from reports: an agency's report figures."""

from django import template

from reports.accountability import agency_report_figures

register = template.Library()


@register.inclusion_tag("reports/accountability_figures.html")
def agency_report_accountability(agency):
    return {"agency": agency, "figures": agency_report_figures(agency=agency)}
