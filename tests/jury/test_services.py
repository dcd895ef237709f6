"""Jury services: rubric, invitations, conflicts, assignment, reviews, reminders, publication — and every refusal."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from jury import reviewers as reviewer_services
from jury import services
from jury.models import ConflictOfInterest, ContestReviewer, Criterion, CriterionScore, Review
from tests.factories import ContestFactory, CriterionFactory, ProposalCoAuthorFactory, UserFactory

from .conftest import days

pytestmark = pytest.mark.django_db


def _rubric(contest):
    return list(Criterion.objects.filter(contest=contest).values_list("name", "weight"))


# --- Rubric -----------------------------------------------------------------------------


def test_rubric_replace_stores_criteria_in_order(agency):
    contest = ContestFactory(agency=agency)
    services.rubric_replace(
        contest=contest,
        criteria=[{"name": "Impact", "description": "Who benefits", "weight": 70}, {"name": "Cost", "weight": 30}],
    )
    assert _rubric(contest) == [("Impact", 70), ("Cost", 30)]


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ([], "cannot be empty"),
        ([{"name": "Impact", "weight": 60}, {"name": "Cost", "weight": 30}], "they add up to 90 %"),
        ([{"name": "Impact", "weight": 110}], "whole number from 1 to 100"),
        ([{"name": "Impact", "weight": 50}, {"name": "impact", "weight": 50}], "Two criteria"),
        ([{"name": "", "weight": 100}], "needs a name"),
        ([{"name": "x" * 101, "weight": 100}], "under 100"),
    ],
)
def test_bad_rubrics_are_refused_and_the_old_rubric_stays(agency, criteria, message):
    contest = ContestFactory(agency=agency)
    CriterionFactory(contest=contest, name="Old", weight=100)
    with pytest.raises(ValidationError, match=message):
        services.rubric_replace(contest=contest, criteria=criteria)
    assert _rubric(contest) == [("Old", 100)]


def test_rubric_cannot_change_once_review_opens(review_contest):
    before = _rubric(review_contest)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.rubric_replace(contest=review_contest, criteria=[{"name": "New", "weight": 100}])
    assert _rubric(review_contest) == before


# --- Reviewers --------------------------------------------------------------------------


def test_inviting_a_verified_account_links_it_at_once_and_emails_it(
    review_contest, agency_manager, django_capture_on_commit_callbacks
):
    user = UserFactory(email="rita@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        reviewer = reviewer_services.reviewer_invite(
            contest=review_contest, inviter=agency_manager, email=" Rita@Example.org ", site_url="https://civitas.test"
        )
    assert (reviewer.user, reviewer.status, reviewer.email) == (user, "active", "rita@example.org")
    assert mail.outbox[0].to == ["rita@example.org"]
    assert "https://civitas.test/jury/" in mail.outbox[0].body


def test_invitation_link_works_after_sign_up_with_the_invited_address(
    review_contest, agency_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reviewer = reviewer_services.reviewer_invite(
            contest=review_contest, inviter=agency_manager, email="new@example.org", site_url="https://civitas.test"
        )
    assert reviewer.status == "invited" and reviewer.user is None
    link = next(line for line in mail.outbox[0].body.splitlines() if "/jury/invitations/" in line)
    token = link.rstrip("/").rsplit("/", 1)[1]
    stranger = UserFactory(email="other@example.org")
    with pytest.raises(ValidationError, match="another email address"):
        reviewer_services.reviewer_accept(token=token, user=stranger)
    newcomer = UserFactory(email="new@example.org")
    accepted = reviewer_services.reviewer_accept(token=token, user=newcomer)
    assert (accepted.user, accepted.status) == (newcomer, "active")


def test_a_forged_invitation_token_is_refused(review_contest, agency_manager):
    reviewer = reviewer_services.reviewer_invite(
        contest=review_contest, inviter=agency_manager, email="new@example.org", site_url="https://x.test"
    )
    token = reviewer_services.invitation_token(reviewer)
    with pytest.raises(ValidationError, match="not valid"):
        reviewer_services.reviewer_accept(token=token[:-2] + "xx", user=UserFactory(email="new@example.org"))


@pytest.mark.parametrize("email", ["not-an-email", "", "a" * 250 + "@example.org"])
def test_bad_invitation_addresses_are_refused(review_contest, agency_manager, email):
    with pytest.raises(ValidationError, match="valid email"):
        reviewer_services.reviewer_invite(
            contest=review_contest, inviter=agency_manager, email=email, site_url="https://x.test"
        )
    assert not ContestReviewer.objects.exists()


def test_inviting_the_same_address_twice_is_refused(review_contest, agency_manager):
    reviewer_services.reviewer_invite(
        contest=review_contest, inviter=agency_manager, email="a@example.org", site_url="https://x"
    )
    with pytest.raises(ValidationError, match="already invited"):
        reviewer_services.reviewer_invite(
            contest=review_contest, inviter=agency_manager, email="A@example.org", site_url="https://x"
        )


# --- Conflicts and assignment -------------------------------------------------------------


def test_assignment_skips_conflicts_authors_and_coauthors(review_contest, make_reviewer, make_proposals):
    reviewers = [make_reviewer(review_contest) for _ in range(4)]
    proposals = make_proposals(review_contest, 6)
    reviewer_services.conflicts_declare(reviewer=reviewers[0], proposal_ids=[proposals[0].pk, proposals[1].pk])
    proposals[2].author = reviewers[1].user
    proposals[2].save()
    ProposalCoAuthorFactory(proposal=proposals[3], user=reviewers[2].user)
    added = services.assignment_run(contest=review_contest, seed=7)
    assert added == 12
    pairs = set(Review.objects.values_list("reviewer_id", "proposal_id"))
    assert (reviewers[0].pk, proposals[0].pk) not in pairs and (reviewers[0].pk, proposals[1].pk) not in pairs
    assert (reviewers[1].pk, proposals[2].pk) not in pairs
    assert (reviewers[2].pk, proposals[3].pk) not in pairs
    loads = [Review.objects.filter(reviewer=r).count() for r in reviewers]
    assert loads == [3, 3, 3, 3]


def test_running_assignment_again_changes_nothing(review_contest, make_reviewer, make_proposals):
    for _ in range(3):
        make_reviewer(review_contest)
    make_proposals(review_contest, 5)
    services.assignment_run(contest=review_contest, seed=1)
    before = set(Review.objects.values_list("reviewer_id", "proposal_id"))
    assert services.assignment_run(contest=review_contest) == 0
    assert set(Review.objects.values_list("reviewer_id", "proposal_id")) == before


def test_infeasible_assignment_is_a_clear_error_and_assigns_nothing(review_contest, make_reviewer, make_proposals):
    only = make_reviewer(review_contest)
    make_proposals(review_contest, 2)
    with pytest.raises(ValidationError, match="Reviewers could not be assigned"):
        services.assignment_run(contest=review_contest)
    assert not Review.objects.filter(reviewer=only).exists()


def test_assignment_needs_a_rubric(review_contest, make_reviewer, make_proposals):
    review_contest.criteria.all().delete()
    make_reviewer(review_contest)
    make_proposals(review_contest, 1)
    with pytest.raises(ValidationError, match="rubric"):
        services.assignment_run(contest=review_contest)


def test_conflicts_cannot_change_after_assignment(review_contest, make_reviewer, make_proposals):
    reviewers = [make_reviewer(review_contest) for _ in range(2)]
    proposals = make_proposals(review_contest, 2)
    services.assignment_run(contest=review_contest)
    with pytest.raises(ValidationError, match="already assigned"):
        reviewer_services.conflicts_declare(reviewer=reviewers[0], proposal_ids=[proposals[0].pk])
    assert not ConflictOfInterest.objects.exists()


def test_conflicts_on_another_contests_proposals_are_refused(review_contest, make_reviewer, make_proposals):
    reviewer = make_reviewer(review_contest)
    elsewhere = make_proposals(ContestFactory(), 1)[0]
    with pytest.raises(ValidationError, match="not in this contest"):
        reviewer_services.conflicts_declare(reviewer=reviewer, proposal_ids=[elsewhere.pk])


def test_withdrawal_reassigns_unfinished_reviews_and_keeps_submitted_ones(
    review_contest, make_reviewer, make_proposals
):
    reviewers = [make_reviewer(review_contest) for _ in range(4)]
    make_proposals(review_contest, 6)
    services.assignment_run(contest=review_contest, seed=3)
    leaving = reviewers[0]
    first = leaving.reviews.first()
    criteria = list(review_contest.criteria.all())
    services.review_save(review=first, scores={str(c.pk): {"score": 5} for c in criteria}, submit=True)
    services.reviewer_withdraw(reviewer=leaving)
    assert list(leaving.reviews.values_list("status", flat=True)) == ["submitted"]
    for proposal in review_contest.proposals.all():
        assert proposal.jury_reviews.count() == 2
    loads = [Review.objects.filter(reviewer=r).count() for r in reviewers[1:]]
    assert max(loads) - min(loads) <= 1


def test_withdrawal_that_leaves_too_few_reviewers_is_refused_and_changes_nothing(
    review_contest, make_reviewer, make_proposals
):
    reviewers = [make_reviewer(review_contest) for _ in range(2)]
    make_proposals(review_contest, 2)
    services.assignment_run(contest=review_contest)
    with pytest.raises(ValidationError, match="could not be assigned"):
        services.reviewer_withdraw(reviewer=reviewers[0])
    reviewers[0].refresh_from_db()
    assert reviewers[0].status == "active" and reviewers[0].reviews.count() == 2


# --- Reviews ----------------------------------------------------------------------------


@pytest.fixture
def assigned(review_contest, make_reviewer, make_proposals):
    reviewers = [make_reviewer(review_contest) for _ in range(2)]
    make_proposals(review_contest, 2)
    services.assignment_run(contest=review_contest)
    review = reviewers[0].reviews.first()
    impact, feasibility = review_contest.criteria.order_by("position")
    return review, impact, feasibility


def test_draft_then_submit_locks_the_review(assigned):
    review, impact, feasibility = assigned
    services.review_save(review=review, scores={str(impact.pk): {"score": 8, "comment": "Strong"}})
    review.refresh_from_db()
    assert review.status == "draft"
    services.review_save(
        review=review,
        scores={impact.pk: {"score": 8, "comment": "Strong"}, feasibility.pk: {"score": "3"}},
        submit=True,
    )
    review.refresh_from_db()
    assert review.status == "submitted" and review.submitted_at is not None
    assert dict(review.scores.values_list("criterion__name", "score")) == {"Impact": 8, "Feasibility": 3}
    with pytest.raises(ValidationError, match="submitted and can no longer change"):
        services.review_save(review=review, scores={impact.pk: {"score": 1}, feasibility.pk: {"score": 1}}, submit=True)
    assert dict(review.scores.values_list("criterion__name", "score")) == {"Impact": 8, "Feasibility": 3}


@pytest.mark.parametrize("bad", [11, -1, 7.5, "seven", True, None, [3]])
def test_scores_outside_0_to_10_are_refused_and_nothing_is_saved(assigned, bad):
    review, impact, feasibility = assigned
    with pytest.raises(ValidationError):
        services.review_save(
            review=review, scores={impact.pk: {"score": bad}, feasibility.pk: {"score": 5}}, submit=True
        )
    review.refresh_from_db()
    assert review.status == "pending" and not CriterionScore.objects.exists()


def test_submitting_with_a_criterion_missing_is_refused(assigned):
    review, impact, _feasibility = assigned
    with pytest.raises(ValidationError, match="missing: Feasibility"):
        services.review_save(review=review, scores={impact.pk: {"score": 5}}, submit=True)
    assert not CriterionScore.objects.exists()


def test_scores_for_another_contests_criterion_are_refused(assigned):
    review, impact, _feasibility = assigned
    foreign = CriterionFactory(contest=ContestFactory())
    with pytest.raises(ValidationError, match="Unknown criterion"):
        services.review_save(review=review, scores={impact.pk: {"score": 5}, foreign.pk: {"score": 5}})
    assert not CriterionScore.objects.exists()


def test_reviews_cannot_be_saved_after_review_closes(assigned):
    review, impact, feasibility = assigned
    contest = review.reviewer.contest
    contest.review_closes_at = days(-0.5)
    contest.save()
    with pytest.raises(ValidationError, match="Review is not open"):
        services.review_save(review=review, scores={impact.pk: {"score": 5}, feasibility.pk: {"score": 5}})


# --- Reminders and publication ------------------------------------------------------------


def test_reminders_go_only_to_reviewers_with_pending_reviews(assigned, django_capture_on_commit_callbacks):
    review, impact, feasibility = assigned
    contest = review.reviewer.contest
    for own in review.reviewer.reviews.all():
        services.review_save(review=own, scores={impact.pk: {"score": 5}, feasibility.pk: {"score": 5}}, submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send(contest=contest, site_url="https://civitas.test")
    others = ContestReviewer.objects.exclude(pk=review.reviewer_id)
    assert sent == 1
    assert [message.to for message in mail.outbox] == [[others.get().user.email]]
    assert "2 reviews" in mail.outbox[0].body


def test_results_publish_early_once_and_only_after_voting(review_contest, agency):
    services.results_publish(contest=review_contest)
    assert services.results_are_published(review_contest)
    with pytest.raises(ValidationError, match="already published"):
        services.results_publish(contest=review_contest)
    voting = ContestFactory(agency=agency, voting=True)
    with pytest.raises(ValidationError, match="after voting closes"):
        services.results_publish(contest=voting)
