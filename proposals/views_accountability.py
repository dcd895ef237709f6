"""Public accountability pages: how each agency, and the site as a whole, answers proposals."""

from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from agencies.models import Agency
from proposals.accountability import Bar, agency_accountability_report, bar_chart, site_accountability_report


def _monthly_chart(monthly, *, title: str):
    bars = [Bar(label=formats.date_format(month, "M Y"), value=count, display=str(count)) for month, count in monthly]
    total = sum(count for _month, count in monthly)
    description = _(
        "Bar chart of proposals that got their first official answer, per month, over the last %(months)d months: %(total)d in all. The same figures are in the table below."
    ) % {
        "months": len(monthly),
        "total": total,
    }
    return bar_chart(title=title, description=description, bars=bars)


class AgencyAccountabilityView(TemplateView):
    template_name = "proposals/accountability_agency.html"

    def get_context_data(self, **kwargs):
        agency = get_object_or_404(Agency, slug=self.kwargs["slug"])
        report = agency_accountability_report(agency=agency)
        chart = _monthly_chart(
            report.monthly, title=_("First official answers per month by %(agency)s") % {"agency": agency.name}
        )
        return super().get_context_data(
            agency=agency, accountability=report.figures, monthly=report.monthly, chart=chart, **kwargs
        )


class SiteAccountabilityView(TemplateView):
    template_name = "proposals/accountability_site.html"

    def get_context_data(self, **kwargs):
        report = site_accountability_report()
        bars = [
            Bar(
                label=agency.name,
                value=round(figures.response_rate or 0, 1),
                display=f"{figures.response_rate or 0:.0f} %",
                url=agency.get_absolute_url(),
            )
            for agency, figures in report.agencies
        ]
        rate_chart = bar_chart(
            title=_("Response rate per agency"),
            description=_(
                "Bar chart of the share of public proposals with an official answer, one bar per agency, "
                "from 0 to 100 %. The same figures are in the table below."
            ),
            bars=bars,
            max_value=100,
        )
        monthly_chart = _monthly_chart(report.monthly, title=_("First official answers per month, all agencies"))
        return super().get_context_data(
            accountability=report.figures,
            agencies=report.agencies,
            monthly=report.monthly,
            rate_chart=rate_chart,
            chart=monthly_chart,
            **kwargs,
        )
