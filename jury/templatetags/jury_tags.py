from django import template

from jury import selectors

register = template.Library()


@register.simple_tag
def jury_rubric(contest):
    """The contest's rubric criteria (one query), for the public contest page."""
    return selectors.rubric_of(contest=contest)
