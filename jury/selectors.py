"""Reads for jury review, shaped so templates and serializers run no further queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from contests.models import Contest
from contests.phases import Phase, contest_phase, results_are_published
from jury import aggregation
from jury.models import ContestReviewer, ContestReviewSettings, Criterion, Review
from proposals.models import Proposal
from voting.leaderboard import leaderboard_entries


def review_settings_of(*, contest: Contest) -> ContestReviewSettings:
    """The contest's jury settings, or unsaved defaults when none were set."""
    try:
        return contest.review_settings
    except ContestReviewSettings.DoesNotExist:
        return ContestReviewSettings(contest=contest)


def contest_in_blind_review(contest: Contest) -> bool:
    """In its review phase with blind review on: authors' names are hidden (contests.anonymity)."""
    return contest_phase(contest) == Phase.REVIEW and review_settings_of(contest=contest).blind


def rubric_of(*, contest: Contest) -> list[Criterion]:
    return list(Criterion.objects.filter(contest=contest).order_by("position", "pk"))


def contest_for_jury(*, slug: str) -> Contest:
    contest = Contest.objects.select_related("agency", "review_settings").filter(slug=slug).first()
    if contest is None:
        raise Http404
    return contest


def reviewer_role(*, user, contest: Contest) -> ContestReviewer | None:
    """The user's active reviewer role in the contest, if any."""
    if not user.is_authenticated:
        return None
    return ContestReviewer.objects.filter(contest=contest, user=user, status=ContestReviewer.Status.ACTIVE).first()


def reviews_of_reviewer(*, user):
    """Every assignment of the user's active reviewer roles, with contest and proposal title."""
    return (
        Review.objects.filter(reviewer__user=user, reviewer__status=ContestReviewer.Status.ACTIVE)
        .select_related("reviewer__contest", "proposal")
        .order_by("reviewer__contest__review_closes_at", "reviewer__contest_id", "proposal__title", "pk")
    )


def review_for_reviewer(*, user, pk: int) -> Review:
    """One of the user's assignments with what its form needs; 404 for anyone else's."""
    review = (
        reviews_of_reviewer(user=user)
        .select_related("reviewer__contest__review_settings", "proposal__category")
        .prefetch_related("scores", "reviewer__contest__criteria")
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise Http404
    return review


def reviewer_roles_of(*, user):
    """The user's active reviewer roles with contest, conflicts declared and assignment counts."""
    return (
        ContestReviewer.objects.filter(user=user, status=ContestReviewer.Status.ACTIVE)
        .select_related("contest")
        .annotate(
            assigned=Count("reviews", distinct=True),
            submitted=Count("reviews", filter=Q(reviews__status=Review.Status.SUBMITTED), distinct=True),
        )
        .order_by("contest__review_closes_at", "pk")
    )


def conflict_candidates(*, reviewer: ContestReviewer):
    """Public proposals of the reviewer's contest, for declaring conflicts (authors loaded for non-blind)."""
    return (
        Proposal.objects.public()
        .filter(contest_id=reviewer.contest_id)
        .select_related("author")
        .prefetch_related("coauthorships__user")
        .order_by("title", "pk")
    )


def contest_reviewers(*, contest: Contest):
    return (
        ContestReviewer.objects.filter(contest=contest)
        .select_related("user")
        .annotate(
            assigned=Count("reviews", distinct=True),
            submitted=Count("reviews", filter=Q(reviews__status=Review.Status.SUBMITTED), distinct=True),
            conflict_count=Count("conflicts", distinct=True),
        )
        .order_by("invited_at", "pk")
    )


def proposal_progress(*, contest: Contest) -> list[dict]:
    """Per public proposal: reviews submitted and assigned."""
    rows = (
        Proposal.objects.public()
        .filter(contest=contest)
        .annotate(
            assigned=Count("jury_reviews", distinct=True),
            submitted=Count("jury_reviews", filter=Q(jury_reviews__status=Review.Status.SUBMITTED), distinct=True),
        )
        .order_by("title", "pk")
        .values("pk", "title", "assigned", "submitted")
    )
    return list(rows)


def submitted_review_scores(*, contest: Contest) -> list[aggregation.ReviewScore]:
    """Each submitted review of a public proposal as its weighted rubric score (raw, 0–10)."""
    weights = {criterion.pk: criterion.weight for criterion in rubric_of(contest=contest)}
    if not weights:
        return []
    public = Proposal.objects.public().filter(contest=contest)
    reviews = (
        Review.objects.filter(reviewer__contest=contest, status=Review.Status.SUBMITTED, proposal__in=public)
        .prefetch_related("scores")
        .order_by("pk")
    )
    result = []
    for review in reviews:
        scores = {score.criterion_id: score.score for score in review.scores.all()}
        if set(scores) != set(weights):
            continue  # defensive: a submitted review always scores every criterion
        result.append(
            aggregation.ReviewScore(review.reviewer_id, review.proposal_id, aggregation.weighted_score(scores, weights))
        )
    return result


def jury_scores(*, contest: Contest) -> tuple[list[aggregation.ReviewScore], dict[int, float]]:
    """(review scores as used, {proposal_id: jury score 0–10}), normalised when the contest says so."""
    reviews = submitted_review_scores(contest=contest)
    if review_settings_of(contest=contest).normalise:
        reviews = aggregation.normalise_per_reviewer(reviews)
    return reviews, aggregation.proposal_scores(reviews)


def jury_agreement(*, contest: Contest, limit: int = 5) -> dict:
    """Krippendorff's alpha over raw review scores, and the proposals reviewers disagree on most."""
    reviews = submitted_review_scores(contest=contest)
    titles = dict(Proposal.objects.filter(contest=contest).values_list("pk", "title"))
    return {
        "alpha": aggregation.krippendorff_alpha_interval(reviews),
        "reviews": len(reviews),
        "disagreements": [
            {
                "proposal_id": row.proposal,
                "title": titles.get(row.proposal, ""),
                "spread": row.spread,
                "low": row.low,
                "high": row.high,
                "reviews": row.reviews,
            }
            for row in aggregation.largest_disagreements(reviews, limit)
        ],
    }


def contest_results(*, contest: Contest) -> dict:
    """The final ranking of the contest's public proposals, both components, winners marked."""
    proposals = list(
        Proposal.objects.public().filter(contest=contest).order_by("submitted_at", "pk").values_list("pk", "title")
    )
    titles = dict(proposals)
    public_entries = leaderboard_entries(contest=contest, limit=max(len(proposals), 1))
    public_scores = {entry.proposal_id: float(entry.score) for entry in public_entries}
    _reviews, jury = jury_scores(contest=contest)
    entries = aggregation.combine_results(
        proposals=[pk for pk, _title in proposals],
        public_scores=public_scores,
        jury_scores=jury,
        public_weight=contest.public_weight,
        jury_weight=contest.jury_weight,
    )
    review_settings = review_settings_of(contest=contest)
    winners = review_settings.winners_count
    chosen = set(review_settings.chosen_winners.values_list("pk", flat=True)) if review_settings.pk else set()
    return {
        "contest": contest.slug,
        "published": results_are_published(contest),
        "public_weight": contest.public_weight,
        "jury_weight": contest.jury_weight,
        "normalised_reviewers": review_settings.normalise,
        "winners_chosen_by_managers": bool(chosen),
        "voting_method": contest.voting_method,
        "entries": [
            {
                "rank": entry.rank,
                "proposal_id": entry.proposal,
                "title": titles[entry.proposal],
                "url": reverse("proposals:detail", kwargs={"contest_slug": contest.slug, "pk": entry.proposal}),
                "public_score": None if entry.public_score is None else round(entry.public_score, 2),
                "jury_score": None if entry.jury_score is None else round(entry.jury_score, 3),
                "public_component": round(entry.public_component, 2),
                "jury_component": round(entry.jury_component, 2),
                "final": round(entry.final, 2),
                "winner": entry.proposal in chosen if chosen else entry.rank <= winners,
            }
            for entry in entries
        ],
    }


def results_record_summary(contest: Contest) -> list[list]:
    """The final ranking as the decision record keeps it at publication: [rank, proposal id, final score as text]."""
    return [
        [entry["rank"], entry["proposal_id"], f"{entry['final']:.2f}"]
        for entry in contest_results(contest=contest)["entries"]
    ]


def progress_totals(reviewers) -> dict:
    totals = defaultdict(int)
    for reviewer in reviewers:
        totals["assigned"] += reviewer.assigned
        totals["submitted"] += reviewer.submitted
    return dict(totals)
