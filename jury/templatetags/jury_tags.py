from django import template

from jury import selectors

register = template.Library()


@register.simple_tag
def jury_rubric(contest):
    """The contest's rubric criteria (one query), for the public contest page."""
    return selectors.rubric_of(contest=contest)


@register.simple_tag
def results_chart(results):
    """{% results_chart results as chart %}: public and jury scores (0–100) side by side, as SVG bars."""
    from django.utils.translation import gettext as _  # noqa: PLC0415

    from common.charts import bar_chart_svg  # noqa: PLC0415

    rows = [
        {
            "label": f"{entry['rank']}. {entry['title']}",
            "values": [entry["public_component"], None if entry["jury_score"] is None else entry["jury_component"]],
            "note": "★" if entry["winner"] else "",
        }
        for entry in results["entries"][:15]
    ]
    if not rows:
        return ""
    return bar_chart_svg(
        rows=rows,
        title=_("Public and jury scores"),
        description=_("For each proposal, its public score and its jury score on a 0–100 scale; ★ marks winners."),
        series=[_("Public"), _("Jury")],
        maximum=100,
    )
