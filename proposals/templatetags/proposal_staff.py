"""Template tags for the official-answer, moderation and similar-proposal partials (templates/proposals/staff/).

The partials load what they show themselves, so the proposal page's view needs
no change to include them: `{% official_answers proposal as answers %}` costs one query.
"""

from django import template

from proposals.responses import proposal_status_changes

register = template.Library()


@register.simple_tag
def official_answers(proposal):
    """The proposal's official answers, newest first, with the answering agency loaded."""
    return list(proposal_status_changes(proposal=proposal))
