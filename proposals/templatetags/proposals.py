"""Proposal content on other apps' pages (a contest's proposals, an agency's answer figures) and the
official-answer partial of the proposal page. Each tag loads what it shows itself."""

from django import template

from proposals.accountability import agency_accountability as _agency_accountability
from proposals.responses import proposal_status_changes
from proposals.rules import proposal_authors_hidden
from proposals.selectors import proposal_contest_section

register = template.Library()


@register.simple_tag
def official_answers(proposal):
    """The proposal's official answers, newest first, with the answering agency loaded (one query)."""
    return list(proposal_status_changes(proposal=proposal))


@register.inclusion_tag("proposals/includes/contest_section.html", takes_context=True)
def contest_proposals(context, contest):
    """{% contest_proposals contest %}: the contest page's proposals section (two queries at most)."""
    return {"section": proposal_contest_section(contest=contest, user=context["request"].user)}


@register.simple_tag
def agency_accountability(agency):
    """{% agency_accountability agency as accountability %}: the agency's answer figures (one query)."""
    return _agency_accountability(agency=agency)


@register.filter
def authors_hidden_for(proposal, user) -> bool:
    """`{% if proposal|authors_hidden_for:user %}`: a blind review is on and `user` is not an author."""
    return proposal_authors_hidden(user, proposal)


@register.inclusion_tag("proposals/includes/profile_proposals.html", takes_context=True)
def profile_proposals(context, profile_user):
    """{% profile_proposals user %}: their public proposals, 10 a page (`?proposals_page=`), two queries."""
    from django.core.paginator import Paginator  # noqa: PLC0415

    from proposals.selectors import PROFILE_PAGE_SIZE, proposal_list_of_person  # noqa: PLC0415

    request = context["request"]
    page = Paginator(proposal_list_of_person(user=profile_user), PROFILE_PAGE_SIZE).get_page(
        request.GET.get("proposals_page")
    )
    return {"page": page, "request": request}
