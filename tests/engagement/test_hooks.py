"""The other apps' services award and reverse points after their transaction commits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagement.models import PointsEntry
from engagement.selectors import points_total
from proposals import services as proposal_services
from tests.factories import ContestFactory

pytestmark = pytest.mark.django_db


def test_creating_a_submitted_proposal_awards_points_after_commit(django_capture_on_commit_callbacks, agency, citizen):
    open_contest = ContestFactory(agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_services.proposal_create(
            author=citizen, contest=open_contest, title="Rain gardens", summary="Soak up storms.", body="Details."
        )
    assert points_total(user=citizen) == 10
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.proposal_withdraw(proposal=proposal, user=citizen)
    assert points_total(user=citizen) == 0
    assert PointsEntry.objects.get(reverses__isnull=False).reason == "withdrawn"


def test_a_draft_earns_nothing_until_it_is_submitted(django_capture_on_commit_callbacks, agency, citizen):
    open_contest = ContestFactory(agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        draft = proposal_services.proposal_create(
            author=citizen, contest=open_contest, title="Rain gardens", summary="Soak.", body="Details.", submit=False
        )
    assert points_total(user=citizen) == 0
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.proposal_update(
            proposal=draft,
            editor=citizen,
            title="Rain gardens",
            summary="Soak.",
            body="More.",
            category=None,
            submit=True,
        )
    assert points_total(user=citizen) == 10


def test_a_like_rewards_the_comment_author_and_hiding_it_in_the_queue_reverses(
    django_capture_on_commit_callbacks, proposal, citizen, agency_manager, make_comment
):
    from discussion.services import comment_react, comment_restore
    from moderation.services import report_create, report_hide_content
    from tests.factories import UserFactory

    commenter = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        comment = make_comment(author=commenter, target=proposal)
        comment_react(comment=comment, user=citizen, reaction="like")
    assert points_total(user=commenter) == 2
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(reporter=citizen, target=comment, reason="Insulting")
        report_hide_content(report=report, moderator=agency_manager, reason="Insults")
    assert points_total(user=commenter) == 0
    with django_capture_on_commit_callbacks(execute=True):
        comment_restore(comment=comment, moderator=agency_manager)
    assert points_total(user=commenter) == 2


def test_hiding_a_proposal_through_the_queue_reverses_its_points(
    django_capture_on_commit_callbacks, proposal, citizen, agency_manager
):
    from engagement.services import points_sync
    from moderation.services import report_create, report_hide_content
    from tests.factories import UserFactory

    points_sync(target=proposal)
    assert points_total(user=citizen) == 10
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(reporter=UserFactory(), target=proposal, reason="Spam")
        report_hide_content(report=report, moderator=agency_manager, reason="Advertising")
    assert points_total(user=citizen) == 0
    assert PointsEntry.objects.get(reverses__isnull=False).reason == "hidden"


def test_an_official_answer_shortlisting_then_adopting_rewards_the_authors(
    django_capture_on_commit_callbacks, proposal, citizen, agency_manager
):
    from proposals.responses import proposal_respond

    with django_capture_on_commit_callbacks(execute=True):
        proposal_respond(proposal=proposal, responder=agency_manager, status="shortlisted", text="Promising.")
    with django_capture_on_commit_callbacks(execute=True):
        proposal_respond(proposal=proposal, responder=agency_manager, status="adopted", text="We will do it.")
    actions = set(PointsEntry.objects.filter(user=citizen).values_list("action", flat=True))
    assert actions == {"proposal_submitted", "proposal_shortlisted", "proposal_adopted"}
    assert points_total(user=citizen) == 10 + 20 + 100


def test_voting_earns_one_point_per_contest_however_many_ballots(django_capture_on_commit_callbacks, contest, citizen):
    from tests.factories import ProposalFactory
    from voting.services import vote_cast

    proposals = [ProposalFactory(contest=contest) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for proposal in proposals:
            vote_cast(voter=citizen, proposal=proposal, value=1)
    assert points_total(user=citizen) == 1
    assert PointsEntry.objects.get(user=citizen).contest_id == contest.pk


def test_submitting_a_jury_review_earns_the_reviewer_points_but_a_draft_does_not(
    django_capture_on_commit_callbacks, agency
):
    from jury.models import Review
    from jury.services import review_save
    from tests.factories import ContestReviewerFactory, CriterionFactory, ProposalFactory

    days = lambda n: timezone.now() + timedelta(days=n)  # noqa: E731
    contest = ContestFactory(
        agency=agency,
        submission_opens_at=days(-30),
        submission_closes_at=days(-20),
        voting_opens_at=days(-20),
        voting_closes_at=days(-1),
        review_closes_at=days(5),
        results_at=days(10),
    )
    criterion = CriterionFactory(contest=contest, weight=100)
    reviewer = ContestReviewerFactory(contest=contest)
    review = Review.objects.create(reviewer=reviewer, proposal=ProposalFactory(contest=contest))
    with django_capture_on_commit_callbacks(execute=True):
        review_save(review=review, scores={str(criterion.pk): {"score": 6}})
    assert points_total(user=reviewer.user) == 0
    with django_capture_on_commit_callbacks(execute=True):
        review_save(review=review, scores={str(criterion.pk): {"score": 7}}, submit=True)
    assert points_total(user=reviewer.user) == 5
    assert list(reviewer.user.badges.values_list("badge", flat=True)) == ["reviewer"]


def test_a_failure_while_awarding_points_never_breaks_the_citizens_action(
    django_capture_on_commit_callbacks, monkeypatch, agency, citizen
):
    def broken(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr("engagement.hooks.points_sync", broken)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_services.proposal_create(
            author=citizen, contest=ContestFactory(agency=agency), title="Rain gardens", summary="Soak.", body="Text."
        )
    assert proposal.pk is not None
    assert points_total(user=citizen) == 0


@pytest.mark.django_db
def test_a_later_ballot_does_not_re_read_its_contest_for_points(django_capture_on_commit_callbacks):
    """The vote path is hot: the points hook reuses the ballot's contest instead of loading it again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ContestFactory, ProposalFactory, UserFactory
    from voting import services

    contest = ContestFactory(voting=True)
    first, second = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    voter = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(voter=voter, proposal=first, value=1)
    second = type(second).objects.select_related("contest__agency").get(pk=second.pk)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(voter=voter, proposal=second, value=1)
    assert not [query for query in queries.captured_queries if 'FROM "contests_contest"' in query["sql"]]
