"""Who may do what with proposals (django-rules predicates).

Object predicates take a Proposal loaded with `contest__agency` (see
proposals.selectors) or, for `add_proposal`, a Contest. Authorship is read
from the proposal's prefetched co-authors when present, so checking several
permissions on one page costs no extra queries.
"""

import rules
from django.utils.translation import gettext as _

from accounts.rules import is_site_admin, is_verified
from agencies.rules import is_agency_manager
from contests.anonymity import authors_hidden, authors_hidden_from
from contests.phases import submission_is_open
from contests.rules import verification_refusal
from proposals.models import Proposal


def _coauthor_ids(proposal: Proposal) -> set[int]:
    """Ids of accepted co-authors, from the prefetch cache when the selector filled it."""
    cached = getattr(proposal, "_prefetched_objects_cache", {}).get("coauthorships")
    if cached is not None:
        return {coauthorship.user_id for coauthorship in cached}
    return set(proposal.coauthorships.values_list("user_id", flat=True))


@rules.predicate
def is_proposal_author(user, proposal) -> bool:
    return bool(proposal is not None and user and user.is_authenticated and proposal.author_id == user.pk)


def proposal_authors_hidden(user, proposal: Proposal) -> bool:
    """Blind review in progress and `user` is not one of the authors: show no names (contests.anonymity)."""
    if not authors_hidden(proposal.contest):
        return False
    return authors_hidden_from(user, proposal.contest, {proposal.author_id, *_coauthor_ids(proposal)})


@rules.predicate
def is_proposal_coauthor(user, proposal) -> bool:
    if proposal is None or not (user and user.is_authenticated):
        return False
    return user.pk in _coauthor_ids(proposal)


@rules.predicate
def manages_proposal_contest(user, proposal) -> bool:
    """An admin or manager of the agency running the proposal's contest."""
    return proposal is not None and is_agency_manager(user, proposal.contest.agency)


@rules.predicate
def is_public_proposal(user, proposal) -> bool:
    """Submitted, not withdrawn, not hidden by moderators, not merged into another proposal."""
    return bool(
        proposal is not None
        and proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN)
        and not proposal.is_hidden
        and proposal.merged_into_id is None
        and proposal.contest.is_published
    )


@rules.predicate
def contest_accepts_submissions(user, contest) -> bool:
    return contest is not None and submission_is_open(contest)


@rules.predicate
def proposal_submission_open(user, proposal) -> bool:
    """The proposal's contest is in its submission window: authors may still edit."""
    return proposal is not None and submission_is_open(proposal.contest)


@rules.predicate
def is_editable_state(user, proposal) -> bool:
    """Withdrawn proposals and those merged into another are frozen."""
    return proposal is not None and proposal.status != Proposal.Status.WITHDRAWN and proposal.merged_into_id is None


is_author_or_coauthor = is_proposal_author | is_proposal_coauthor

rules.add_perm("proposals.add_proposal", is_verified & contest_accepts_submissions)
rules.add_perm(
    "proposals.view_proposal", is_public_proposal | is_author_or_coauthor | manages_proposal_contest | is_site_admin
)
rules.add_perm(
    "proposals.change_proposal", is_verified & is_author_or_coauthor & is_editable_state & proposal_submission_open
)
rules.add_perm(
    "proposals.withdraw_proposal", is_verified & is_proposal_author & is_editable_state & proposal_submission_open
)
rules.add_perm(
    "proposals.invite_coauthor", is_verified & is_proposal_author & is_editable_state & proposal_submission_open
)
rules.add_perm("proposals.accept_invitation", is_verified)
rules.add_perm("proposals.view_revisions", manages_proposal_contest | is_site_admin)


# Which official status may follow which. Keeping the same status is allowed
# too: the agency posts a further answer without moving the proposal on.
# Winner and adopted both lead to implemented; declined and implemented are final.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Proposal.Status.SUBMITTED: frozenset(
        {Proposal.Status.UNDER_REVIEW, Proposal.Status.SHORTLISTED, Proposal.Status.DECLINED}
    ),
    Proposal.Status.UNDER_REVIEW: frozenset({Proposal.Status.SHORTLISTED, Proposal.Status.DECLINED}),
    Proposal.Status.SHORTLISTED: frozenset({Proposal.Status.WINNER, Proposal.Status.ADOPTED, Proposal.Status.DECLINED}),
    Proposal.Status.WINNER: frozenset({Proposal.Status.ADOPTED, Proposal.Status.IMPLEMENTED}),
    Proposal.Status.ADOPTED: frozenset({Proposal.Status.IMPLEMENTED}),
    Proposal.Status.IMPLEMENTED: frozenset(),
    Proposal.Status.DECLINED: frozenset(),
}


@rules.predicate
def is_answerable(user, proposal) -> bool:
    """Submitted by its authors (not a draft, not withdrawn) and not merged into another proposal."""
    return proposal is not None and proposal.status in ALLOWED_TRANSITIONS and proposal.merged_into_id is None


# The agency running the contest answers for it (Django lets superusers do anything, as always).
rules.add_perm("proposals.respond_proposal", manages_proposal_contest & is_answerable)
rules.add_perm("proposals.report_proposal", is_verified & is_public_proposal)
rules.add_perm("proposals.moderate_proposal", manages_proposal_contest | is_site_admin)
rules.add_perm("proposals.merge_proposal", manages_proposal_contest)


def submission_refusal(user, contest) -> str | None:
    """Why `user` may not submit a proposal to `contest` now, or None if they may (pages and API alike)."""
    if not (user and user.is_authenticated):
        return _("Sign in to submit a proposal.")
    if not is_verified(user):
        return _("Verify your email address before submitting a proposal.")
    if not contest_accepts_submissions(user, contest):
        return _("Submission is closed for this contest.")
    return verification_refusal(user, contest, "submit")


def report_refusal(user, proposal) -> str | None:
    """Why `user` may not report `proposal`, or None if they may."""
    if not is_verified(user):
        return _("Verify your email address before reporting content.")
    if not is_public_proposal(user, proposal):
        return _("This proposal can no longer be reported.")
    return None
