"""What other apps' pages show of the decision record: the chain head (results page)."""

from django import template

from record.services import contest_scope, record_head

register = template.Library()


@register.inclusion_tag("record/includes/chain_head.html")
def record_chain_head(contest_id: int | None = None):
    """The head of the chain, with links to check it and, given a contest, to that contest's own entries."""
    return {"head": record_head(), "scope": contest_scope(contest_id) if contest_id else ""}
