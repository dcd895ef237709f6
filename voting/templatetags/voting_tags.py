"""Vote controls on proposal pages (which belong to proposals, below voting).

A page loads the votes of the proposals it shows once, `{% contest_voting contest proposals as voting %}`
(three queries at most, whatever the page size); `vote_widget` and `voting_summary` then draw
from the `voting` variable without further queries.
"""

from django import template

from voting.exposure import exposures_record, ranks_by_exposure
from voting.exposure_ranking import EXPOSURE_PRIOR_WEIGHT
from voting.selectors import contest_voting_for_proposals

register = template.Library()


@register.simple_tag(takes_context=True)
def contest_voting(context, contest, proposals):
    """The voting window and each listed proposal's tallies, ballot and refusal, for the signed-in user.

    Every page that shows proposals with their vote controls goes through here, so this is
    where the proposals shown are counted as exposures (voting.exposure).
    """
    proposals = list(proposals)
    user = context["request"].user
    exposures_record(viewer=user, contest=contest, proposal_ids=[proposal.pk for proposal in proposals])
    return contest_voting_for_proposals(user=user, contest=contest, proposals=proposals)


STAR_VALUES = (1, 2, 3, 4, 5)


@register.inclusion_tag("voting/includes/vote_widget.html", takes_context=True)
def vote_widget(context, proposal, detail=False):
    """The counts and the vote form (or why there is none) for one proposal; nothing if the view gave no `voting`."""
    voting = context.get("voting")
    votes = voting.for_proposal(proposal.pk) if voting is not None else None
    request = context.get("request")
    return {
        "voting": voting,
        "votes": votes,
        "proposal": proposal,
        "detail": detail,
        # The id of the proposal's title, which describes the buttons (several rows have a "Vote up").
        "title_id": "proposal-title" if detail else f"proposal-{proposal.pk}-title",
        "star_values": STAR_VALUES,
        "next": request.get_full_path() if request else "",
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("voting/includes/voting_summary.html", takes_context=True)
def voting_summary(context):
    """The contest's voting window, supports left and links to the leaderboard and pairwise page."""
    voting = context.get("voting")
    request = context.get("request")
    return {
        "voting": voting,
        "contest": voting.contest if voting is not None else None,
        "next": request.get_full_path() if request else "",
        "user": context.get("user"),
    }


@register.inclusion_tag("voting/includes/ranking_formula.html")
def public_ranking_formula(contest):
    """How the contest's public score is computed, in words and as a formula (results and leaderboard pages)."""
    return {
        "contest": contest,
        "method": contest.voting_method,
        "by_exposure": ranks_by_exposure(contest),
        "prior_weight": f"{EXPOSURE_PRIOR_WEIGHT:g}",
    }
