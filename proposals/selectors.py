"""Reads of proposals, shaped so the pages and the API that show them run a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import F, FloatField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Lower, Mod, NullIf
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from common.search import search_filter, search_order
from contests.models import Contest
from contests.phases import submission_is_open
from contests.selectors import contest_for_viewer
from discussion.selectors import comment_count_subquery
from proposals.models import Proposal, ProposalCoAuthor, ProposalQuerySet, ProposalRevision

# Sort orders offered on the list page and in the API (`ordering`).
# "most_voted" orders by the voting app's stored tally (voting.models.ProposalTally).
PROPOSAL_ORDERINGS = {
    "relevance": _("Best match"),
    "newest": _("Newest"),
    "oldest": _("Oldest"),
    "title": _("Title"),
    "random": _("Random"),
    "most_voted": _("Most voted"),
}
DEFAULT_ORDERING = "newest"


def proposal_ordering_for(*, q: str, ordering: str) -> str:
    """The order a list uses: the one asked for if known; otherwise best match when searching, else newest."""
    if ordering in PROPOSAL_ORDERINGS and (ordering != "relevance" or (q or "").strip()):
        return ordering
    return "relevance" if (q or "").strip() else DEFAULT_ORDERING


# Random order is an affine permutation of ids modulo a prime, seeded per
# visitor: stable across pages for one visitor, different between visitors,
# computed in SQL the same way on SQLite and PostgreSQL (no seeded RANDOM()).
_RANDOM_MODULUS = 2_147_483_647  # 2**31 - 1, prime; id * multiplier stays inside a 64-bit integer


def _coauthors_prefetch() -> Prefetch:
    return Prefetch("coauthorships", queryset=ProposalCoAuthor.objects.select_related("user").order_by("created_at"))


def contest_for_proposals(*, slug: str, user) -> Contest:
    """The contest with this slug if its proposals may be shown to `user`: published, or run by their agency."""
    return contest_for_viewer(slug=slug, user=user)


def _most_voted_key(voting_method: str):
    """The tally a "most voted" list sorts by: the stored score (updown: Wilson bound), supports, mean stars or
    share of pairwise wins; proposals without a vote count as 0."""
    if voting_method == "approval":
        return Cast(Coalesce(F("tally__ballots"), 0), FloatField())
    if voting_method == "stars":
        return Coalesce(Cast(F("tally__value_sum"), FloatField()) / NullIf(F("tally__ballots"), 0), Value(0.0))
    if voting_method == "pairwise":
        return Coalesce(Cast(F("tally__wins"), FloatField()) / NullIf(F("tally__comparisons"), 0), Value(0.0))
    return Coalesce(F("tally__score"), Value(0.0))


def _apply_ordering(proposals: QuerySet, *, ordering: str, seed: int, voting_method: str = "") -> QuerySet:
    if ordering == "most_voted":
        # Ties: more net votes (updown), then more ballots, then earliest, as the leaderboard breaks them.
        return proposals.annotate(
            most_voted_key=_most_voted_key(voting_method),
            net_votes=Coalesce(F("tally__positive") - F("tally__negative"), 0),
            ballot_count=Coalesce(F("tally__ballots"), 0),
        ).order_by("-most_voted_key", "-net_votes", "-ballot_count", F("submitted_at").asc(nulls_last=True), "pk")
    if ordering == "oldest":
        return proposals.order_by(F("submitted_at").asc(nulls_last=True), "pk")
    if ordering == "title":
        return proposals.order_by(Lower("title"), "pk")
    if ordering == "random":
        multiplier = seed % (_RANDOM_MODULUS - 1) + 1
        offset = (seed // _RANDOM_MODULUS) % _RANDOM_MODULUS
        key = Mod(F("pk") * Value(multiplier) + Value(offset), Value(_RANDOM_MODULUS))
        return proposals.annotate(shuffle_key=key).order_by("shuffle_key", "pk")
    return proposals.order_by(F("submitted_at").desc(nulls_last=True), "-pk")


def proposal_list_public(
    *,
    contest: Contest,
    q: str = "",
    category: str = "",
    status: str = "",
    ordering: str = "",
    seed: int = 0,
) -> ProposalQuerySet:
    """Public proposals of a contest, filtered and sorted, with author, category and co-authors loaded.

    `q` searches the words of title, summary and body, English and Chinese (common.search), best match
    first unless another `ordering` is asked for; `category` is a category slug; `status` one of the
    public statuses; unknown `ordering` values fall back to newest first (best match when searching).
    """
    proposals = (
        Proposal.objects.public()
        .filter(contest=contest)
        .select_related("author", "category", "contest", "tally")
        .prefetch_related(_coauthors_prefetch())
        .annotate(comment_count=comment_count_subquery(Proposal))
    )
    proposals, searched = search_filter(proposals, q)
    if category:
        proposals = proposals.filter(category__slug=category)
    if status:
        proposals = proposals.filter(status=status)
    ordering = proposal_ordering_for(q=q if searched else "", ordering=ordering)
    if ordering == "relevance":
        return search_order(proposals, F("submitted_at").desc(nulls_last=True), "-pk")
    return _apply_ordering(proposals, ordering=ordering, seed=seed, voting_method=contest.voting_method)


def proposal_get(*, pk: int, contest_slug: str | None = None) -> Proposal:
    """One proposal with everything its page shows; 404 if unknown. Visibility is checked by the caller."""
    proposals = (
        Proposal.objects.select_related("author", "category", "contest__agency", "tally")
        .prefetch_related(_coauthors_prefetch(), "attachments")
        .annotate(comment_count=comment_count_subquery(Proposal))
    )
    if contest_slug is not None:
        proposals = proposals.filter(contest__slug=contest_slug)
    proposal = proposals.filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def proposal_get_visible(*, pk: int, user, contest_slug: str | None = None) -> Proposal:
    """The proposal if `user` may see it. Drafts and hidden proposals are a 404 to others, not a 403."""
    proposal = proposal_get(pk=pk, contest_slug=contest_slug)
    if not user.has_perm("proposals.view_proposal", proposal):
        raise Http404
    return proposal


def proposal_revisions(*, proposal: Proposal) -> QuerySet[ProposalRevision]:
    return proposal.revisions.select_related("editor", "category").order_by("-created_at", "-pk")


def proposal_count_submitted_by(*, contest: Contest, author) -> int:
    """Submitted (not draft, not withdrawn) proposals `author` wrote in `contest`: what the per-citizen limit counts."""
    return (
        Proposal.objects.filter(contest=contest, author=author)
        .exclude(status__in=[Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN])
        .count()
    )


def proposal_list_own(*, contest: Contest, user) -> ProposalQuerySet:
    """The user's drafts and proposals in a contest (as author or co-author), for their own overview."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(contest=contest)
        .filter(Q(author=user) | Q(coauthorships__user=user))
        .distinct()
        .select_related("category")
        .order_by("-updated_at", "-pk")
    )


@dataclass(frozen=True)
class ContestProposalSection:
    """What templates/proposals/includes/contest_section.html shows on a contest page."""

    contest: Contest
    proposal_count: int
    submission_open: bool
    can_submit: bool
    submitted_by_user: int
    limit: int


def proposal_contest_section(*, contest: Contest, user) -> ContestProposalSection:
    """Counts and the submit button's state for the contest page (two queries at most)."""
    submitted = proposal_count_submitted_by(contest=contest, author=user) if user.is_authenticated else 0
    return ContestProposalSection(
        contest=contest,
        proposal_count=Proposal.objects.public().filter(contest=contest).count(),
        submission_open=submission_is_open(contest),
        can_submit=user.has_perm("proposals.add_proposal", contest) and submitted < contest.max_proposals_per_citizen,
        submitted_by_user=submitted,
        limit=contest.max_proposals_per_citizen,
    )


PROFILE_PAGE_SIZE = 10


def proposal_list_of_person(*, user) -> ProposalQuerySet:
    """The public proposals `user` wrote or co-wrote, in published contests, newest first, for their profile."""
    return (
        Proposal.objects.public()
        .filter(contest__is_published=True)
        .filter(Q(author=user) | Q(coauthorships__user=user))
        .distinct()
        .select_related("contest")
        .annotate(comment_count=comment_count_subquery(Proposal))
        .order_by(F("submitted_at").desc(nulls_last=True), "-pk")
    )
