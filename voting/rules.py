"""Who may vote on what (django-rules predicates), with the reason given when they may not.

A ballot is accepted only from a verified citizen, while the contest's voting
window is open, on a public proposal (submitted, not hidden, withdrawn or
merged) that they did not write or co-write. `vote_refusal` returns the first
failing condition as a message for the person.
"""

import rules
from django.utils.translation import gettext as _

from accounts.rules import is_verified
from contests.phases import voting_is_open
from contests.rules import verification_refusal
from proposals.rules import is_proposal_author, is_proposal_coauthor, is_public_proposal


@rules.predicate
def proposal_voting_open(user, proposal) -> bool:
    return proposal is not None and voting_is_open(proposal.contest)


@rules.predicate
def contest_voting_open(user, contest) -> bool:
    return contest is not None and voting_is_open(contest)


def vote_refusal(user, proposal) -> str | None:
    """Why `user` may not vote on `proposal` now, or None if they may."""
    if not (user and user.is_authenticated):
        return _("Sign in to vote.")
    if not is_verified(user):
        return _("Verify your email address before voting.")
    if not is_public_proposal(user, proposal):
        return _("This proposal cannot receive votes.")
    if not proposal_voting_open(user, proposal):
        return _("Voting is not open for this contest.")
    if is_proposal_author(user, proposal) or is_proposal_coauthor(user, proposal):
        return _("You cannot vote on your own proposal.")
    return verification_refusal(user, proposal.contest, "vote")


def withdrawal_refusal(user, proposal) -> str | None:
    """Why `user` may not take back a ballot now. Unlike casting, it works on a proposal hidden or withdrawn since."""
    if not (user and user.is_authenticated):
        return _("Sign in to vote.")
    if not is_verified(user):
        return _("Verify your email address before voting.")
    if not proposal_voting_open(user, proposal):
        return _("Voting is not open for this contest.")
    return None


def pairwise_refusal(user, contest) -> str | None:
    if not (user and user.is_authenticated):
        return _("Sign in to vote.")
    if not is_verified(user):
        return _("Verify your email address before voting.")
    if contest.voting_method != contest.VotingMethod.PAIRWISE:
        return _("This contest does not use pairwise comparison.")
    if not contest_voting_open(user, contest):
        return _("Voting is not open for this contest.")
    return verification_refusal(user, contest, "vote")
