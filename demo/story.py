"""The demo's story: simulated citizens, distinct proposals, a realistic spread of votes, comment threads,
official answers of every status, a jury that reviewed and published results, points and badges.

Every function is idempotent: it matches rows by natural keys and adds only what is missing, so
`seed_demo` can run again on a seeded database. Rows are bulk-inserted where that is much faster.
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment

from accounts.models import User
from contests.models import Category, Contest
from demo import content
from discussion.models import CommentState
from engagement.services import badges_evaluate, contest_voted, points_sync
from jury.models import ContestReviewer, ContestReviewSettings, Criterion, CriterionScore, Review
from proposals.models import Proposal, ProposalStatusChange
from voting.models import PairwiseComparison, Vote
from voting.pairing import pair_key
from voting.tallies import tallies_rebuild

SIMULATED = 300
FIRST = ["Ana", "Ben", "Carla", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kofi", "Lena", "Mateo"]
LAST = ["Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Silva", "Tanaka", "Umar", "Varga", "Weber", "Young"]
CHINESE = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷", "徐明", "孙丽", "马超"]
REVIEWERS = [("reviewer.one@example.org", "Rosa Reviewer"), ("reviewer.two@example.org", "Rui Reviewer")]


def _name(index: int) -> str:
    if index % 3 == 2:
        return f"{CHINESE[index % len(CHINESE)]}{index // len(CHINESE) or ''}"
    return f"{FIRST[index % len(FIRST)]} {LAST[(index // len(FIRST)) % len(LAST)]}"


def citizens_ensure(*, password: str) -> list[User]:
    """SIMULATED verified citizens (citizen-001@example.org, …), created once with one password hash."""
    emails = [f"citizen-{n:03d}@example.org" for n in range(1, SIMULATED + 1)]
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    hashed = make_password(password)
    User.objects.bulk_create(
        [
            User(email=email, display_name=_name(n), password=hashed)
            for n, email in enumerate(emails)
            if email not in known
        ]
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    have = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users if u.pk not in have]
    )
    return users


def proposals_seed(*, contest: Contest, authors: list[User]) -> list[Proposal]:
    """The contest's own ideas (content.IDEAS), by rotating authors, submitted across the submission phase."""
    ideas = content.IDEAS.get(contest.slug, [])
    categories = {
        name: Category.objects.get_or_create(contest=contest, slug=name.lower(), defaults={"name": name})[0]
        for name in sorted({idea[3] for idea in ideas})
    }
    span = max((contest.submission_closes_at - contest.submission_opens_at).total_seconds(), 3600)
    proposals = []
    for index, (title, summary, body, category) in enumerate(ideas):
        proposal = Proposal.objects.filter(contest=contest, title=title).first() or Proposal(contest=contest)
        proposal.title, proposal.summary, proposal.body = title, summary, body
        proposal.author = (
            proposal.author if proposal.author_id else authors[(index * 7 + len(contest.slug)) % len(authors)]
        )
        proposal.category = categories[category]
        if proposal.status in ("", Proposal.Status.DRAFT):
            proposal.status = Proposal.Status.SUBMITTED
        proposal.submitted_at = contest.submission_opens_at + timedelta(seconds=span * (index + 1) / (len(ideas) + 2))
        proposal.save()
        proposals.append(proposal)
    return proposals


def votes_seed(*, contest: Contest, proposals: list[Proposal], voters: list[User], now) -> None:
    """A realistic spread: a few proposals draw most votes (popularity falls off by rank), and a proposal's
    quality sets its share of up-votes or its stars. Skipped when the contest already has its votes."""
    if contest.voting_opens_at > now or not proposals or contest.votes.exists() or contest.comparisons.exists():
        return
    rng = random.Random(contest.slug)  # noqa: S311 - reproducible demo data
    quality = {p.pk: rng.uniform(0.45, 0.95) for p in proposals}
    order = sorted(proposals, key=lambda p: -quality[p.pk])
    popularity = [1 / (rank + 1) ** 0.9 for rank in range(len(order))]
    closes = min(contest.voting_closes_at, now)
    span = max((closes - contest.voting_opens_at).total_seconds(), 3600)
    votes, comparisons = [], []
    for voter in voters:
        if rng.random() > 0.7:
            continue  # not everyone votes
        when = contest.voting_opens_at + timedelta(seconds=span * rng.random() ** 1.6)  # early rush, long tail
        if contest.voting_method == Contest.VotingMethod.PAIRWISE:
            for _ in range(rng.randint(1, 4)):
                first, second = rng.sample(order, 2)
                low, high = pair_key(first.pk, second.pk)
                odds = quality[first.pk] / (quality[first.pk] + quality[second.pk])
                winner = first if rng.random() < odds else second
                comparisons.append(
                    PairwiseComparison(
                        voter=voter, contest=contest, proposal_low_id=low, proposal_high_id=high, winner=winner
                    )
                )
            continue
        limit = contest.approval_limit if contest.voting_method == Contest.VotingMethod.APPROVAL else len(order)
        picks = set()
        for _ in range(min(rng.randint(1, 4), limit)):
            picks.add(rng.choices(order, weights=popularity)[0])
        for proposal in picks:
            if proposal.author_id == voter.pk:
                continue
            if contest.voting_method == Contest.VotingMethod.UPDOWN:
                value = 1 if rng.random() < quality[proposal.pk] else -1
            elif contest.voting_method == Contest.VotingMethod.STARS:
                value = max(1, min(5, round(rng.gauss(quality[proposal.pk] * 5, 0.9))))
            else:
                value = 1
            votes.append(Vote(voter=voter, proposal=proposal, contest=contest, value=value, created_at=when))
    unique = {(c.voter_id, c.proposal_low_id, c.proposal_high_id): c for c in comparisons}
    PairwiseComparison.objects.bulk_create(unique.values())
    created = Vote.objects.bulk_create(votes)
    for vote, planned in zip(created, votes, strict=True):
        vote.created_at = planned.created_at  # bulk_create stamps "now"; spread the ballots over the phase
    Vote.objects.bulk_update(created, ["created_at"], batch_size=500)
    tallies_rebuild(contest=contest)


def comments_seed(*, proposals: list[Proposal], people: list[User], now) -> None:
    """Two to four comments per proposal, each of the first two with a reply (threaded), once."""
    content_type = ContentType.objects.get_for_model(Proposal)
    done = set(
        XtdComment.objects.filter(content_type=content_type, object_pk__in=[str(p.pk) for p in proposals])
        .values_list("object_pk", flat=True)
        .distinct()
    )
    for proposal in proposals:
        if str(proposal.pk) in done:
            continue
        rng = random.Random(proposal.title)  # noqa: S311 - reproducible demo data
        for number in range(rng.randint(2, 4)):
            author = rng.choice(people)
            comment = _comment(proposal, content_type, author, rng.choice(content.COMMENTS), parent=None)
            if number < 2:
                _comment(proposal, content_type, rng.choice(people), rng.choice(content.REPLIES), parent=comment)


def _comment(proposal, content_type, author, text, parent):
    comment = XtdComment(
        content_type=content_type,
        object_pk=str(proposal.pk),
        site_id=settings.SITE_ID,
        user=author,
        user_name=author.public_name[:50],
        user_email="",
        comment=text,
        is_public=True,
        followup=False,
        parent_id=parent.pk if parent else 0,
    )
    comment.save()
    CommentState.objects.create(comment=comment)
    return comment


def answer(*, proposal: Proposal, statuses: list[str], responder: User) -> None:
    """Official answers stepping the proposal through `statuses` (once)."""
    if proposal.status_changes.exists():
        return
    for status in statuses:
        ProposalStatusChange.objects.create(
            proposal=proposal,
            status=status,
            text=content.ANSWERS[status],
            agency=proposal.contest.agency,
            responded_by=responder,
        )
    Proposal.objects.filter(pk=proposal.pk).update(status=statuses[-1])


def jury_seed(*, contest: Contest, proposals: list[Proposal], manager: User, password: str, winners: int) -> list:
    """A rubric, two reviewers who scored every proposal, and the managers' chosen winners (the best jury scores)."""
    if not contest.criteria.exists():
        Criterion.objects.bulk_create(
            [
                Criterion(contest=contest, name="Impact", description="How many people benefit, how much.", weight=50),
                Criterion(contest=contest, name="Feasibility", description="Cost, time and who does it.", weight=30),
                Criterion(contest=contest, name="Support", description="What residents said.", weight=20, position=2),
            ]
        )
    criteria = list(contest.criteria.all())
    review_settings, _ = ContestReviewSettings.objects.update_or_create(
        contest=contest, defaults={"reviewers_per_proposal": 2, "blind": True, "winners_count": winners}
    )
    rng = random.Random(contest.slug + "jury")  # noqa: S311 - reproducible demo data
    for email, name in REVIEWERS:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=password, display_name=name
        )
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        reviewer, _ = ContestReviewer.objects.get_or_create(
            contest=contest, email=email, defaults={"user": user, "status": "active", "invited_by": manager}
        )
        for proposal in proposals:
            review, created = Review.objects.get_or_create(
                reviewer=reviewer,
                proposal=proposal,
                defaults={"status": "submitted", "submitted_at": contest.review_closes_at},
            )
            if created:
                base = rng.randint(3, 9)
                CriterionScore.objects.bulk_create(
                    [
                        CriterionScore(
                            review=review,
                            criterion=criterion,
                            score=max(0, min(10, base + rng.randint(-2, 2))),
                            comment=rng.choice(content.REVIEW_COMMENTS) if criterion.position == 0 else "",
                        )
                        for criterion in criteria
                    ]
                )
    if not review_settings.chosen_winners.exists():
        totals = {}
        for score in CriterionScore.objects.filter(review__proposal__in=proposals).select_related("criterion"):
            totals[score.review.proposal_id] = (
                totals.get(score.review.proposal_id, 0) + score.score * score.criterion.weight
            )
        best = sorted(totals, key=lambda pk: -totals[pk])[:winners]
        review_settings.chosen_winners.set(best)
    return list(review_settings.chosen_winners.values_list("pk", flat=True))


def points_and_badges(*, contests: list[Contest]) -> None:
    """Points for every public proposal, comment, vote and review, then the badges they earn."""
    for proposal in Proposal.objects.public().filter(contest__in=contests):
        points_sync(target=proposal)
    for comment in XtdComment.objects.filter(content_type=ContentType.objects.get_for_model(Proposal)):
        points_sync(target=comment)
    for review in Review.objects.filter(status="submitted"):
        points_sync(target=review)
    for contest in contests:
        voter_ids = set(contest.votes.values_list("voter_id", flat=True))
        voter_ids |= set(contest.comparisons.values_list("voter_id", flat=True))
        for user_id in voter_ids:
            contest_voted(user_id=user_id, contest=contest)
    badges_evaluate(user_ids=list(User.objects.values_list("pk", flat=True)))
