"""Points ledger: awards, caps, reversal on hiding, re-award on restoring, badges, audit."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from discussion.services import comment_hide, comment_react, comment_restore
from engagement import selectors, services
from engagement.ledger_rules import points_actions
from engagement.models import BadgeAward, PointsEntry
from moderation.services import report_create, report_hide_content
from tests.factories import ContestFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_submitting_a_proposal_earns_its_points_once(proposal, citizen):
    services.points_sync(target=proposal)
    services.points_sync(target=proposal)
    assert selectors.points_total(user=citizen) == points_actions["proposal_submitted"].points
    assert PointsEntry.objects.count() == 1


def test_daily_cap_stops_farming_proposals_and_the_next_day_counts_again(contest, citizen):
    cap = points_actions["proposal_submitted"].daily_cap
    proposals = [ProposalFactory(contest=contest, author=citizen) for _ in range(cap + 3)]
    for proposal in proposals:
        services.points_sync(target=proposal)
    assert PointsEntry.objects.filter(user=citizen).count() == cap
    assert selectors.points_total(user=citizen) == cap * points_actions["proposal_submitted"].points

    # Yesterday's awards no longer count towards today's cap.
    PointsEntry.objects.update(created_at=timezone.now() - timedelta(days=1))
    services.points_sync(target=proposals[-1])
    assert PointsEntry.objects.filter(user=citizen).count() == cap + 1


def test_voting_in_many_contests_is_capped_per_day_and_counted_once_per_contest(citizen):
    cap = points_actions["contest_voted"].daily_cap
    contests = [ContestFactory(voting=True) for _ in range(cap + 2)]
    for contest in contests:
        services.contest_voted(user_id=citizen.pk, contest=contest)
        services.contest_voted(user_id=citizen.pk, contest=contest)
    assert PointsEntry.objects.filter(user=citizen, action="contest_voted").count() == cap


def test_the_database_refuses_a_second_active_award_for_the_same_object(proposal, citizen):
    services.points_sync(target=proposal)
    award = PointsEntry.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            user=citizen,
            action=award.action,
            content_type=award.content_type,
            object_id=award.object_id,
            points=10,
        )


def test_hiding_a_proposal_reverses_its_points(proposal, citizen, agency_manager):
    services.points_sync(target=proposal)
    report = report_create(reporter=UserFactory(), target=proposal, reason="Spam")
    report_hide_content(report=report, moderator=agency_manager, reason="Advertising")
    services.points_sync(target=proposal, reason="hidden")

    assert selectors.points_total(user=citizen) == 0
    reversal = PointsEntry.objects.get(reverses__isnull=False)
    assert reversal.points == -10
    assert reversal.reason == "hidden"
    assert PointsEntry.objects.count() == 2  # append-only: the award is still there


def test_shortlisted_winner_and_adopted_reward_author_and_coauthors(proposal, citizen):
    from tests.factories import ProposalCoAuthorFactory

    coauthor = ProposalCoAuthorFactory(proposal=proposal).user
    proposal.status = "adopted"
    proposal.save()
    services.points_sync(target=proposal)
    assert set(PointsEntry.objects.filter(user=coauthor).values_list("action", flat=True)) == {"proposal_adopted"}
    assert selectors.points_total(user=citizen) == 10 + 100
    assert set(BadgeAward.objects.filter(user=citizen).values_list("badge", flat=True)) == {
        "first_proposal",
        "first_adopted",
    }


def test_a_liked_comment_earns_points_and_hiding_then_restoring_reverses_then_reawards(
    proposal, citizen, agency_manager, make_comment
):
    commenter = UserFactory()
    comment = make_comment(author=commenter, target=proposal)
    comment_react(comment=comment, user=citizen, reaction="like")
    services.points_sync(target=comment)
    assert selectors.points_total(user=commenter) == 2

    comment_hide(comment=comment, moderator=agency_manager, reason="Off topic")
    services.points_sync(target=comment, reason="hidden")
    assert selectors.points_total(user=commenter) == 0

    comment_restore(comment=comment, moderator=agency_manager)
    services.points_sync(target=comment)
    assert selectors.points_total(user=commenter) == 2
    assert list(PointsEntry.objects.order_by("pk").values_list("points", "sequence")) == [(2, 1), (-2, 1), (2, 2)]


def test_liking_and_unliking_cannot_mint_points(proposal, citizen, make_comment):
    commenter = UserFactory()
    comment = make_comment(author=commenter, target=proposal)
    for _ in range(20):
        comment_react(comment=comment, user=citizen, reaction="like")
        services.points_sync(target=comment)
        comment_react(comment=comment, user=citizen, reaction=None)
        services.points_sync(target=comment)
    assert selectors.points_total(user=commenter) == 0
    cap = points_actions["comment_liked"].daily_cap
    assert PointsEntry.objects.awards().filter(user=commenter).count() == cap


def test_badges_are_awarded_once(citizen):
    contests = [ContestFactory(voting=True) for _ in range(6)]
    for contest in contests:
        services.contest_voted(user_id=citizen.pk, contest=contest)
    PointsEntry.objects.update(created_at=timezone.now() - timedelta(days=1))
    services.contest_voted(user_id=citizen.pk, contest=contests[-1])
    services.badges_evaluate(user_ids=[citizen.pk])
    assert list(BadgeAward.objects.filter(user=citizen).values_list("badge", flat=True)) == ["active_voter"]
    with pytest.raises(IntegrityError), transaction.atomic():
        BadgeAward.objects.create(user=citizen, badge="active_voter")


def test_helpful_commenter_badge_needs_ten_liked_comments(proposal, citizen, make_comment, settings):
    settings.COMMENTS_RATE_LIMIT_USER = "100/60"
    commenter = UserFactory()
    for n in range(10):
        comment = make_comment(author=commenter, target=proposal, text=f"Remark {n}")
        comment_react(comment=comment, user=citizen, reaction="like")
        if n == 9:
            assert not BadgeAward.objects.filter(user=commenter).exists()
            PointsEntry.objects.update(created_at=timezone.now() - timedelta(days=1))  # past today's cap
        services.points_sync(target=comment)
    assert list(BadgeAward.objects.filter(user=commenter).values_list("badge", flat=True)) == ["helpful_commenter"]


def test_ledger_rebuild_equals_the_aggregated_totals(contest, citizen, agency_manager, make_comment):
    other = UserFactory()
    proposals = [ProposalFactory(contest=contest, author=author) for author in (citizen, citizen, other)]
    for proposal in proposals:
        services.points_sync(target=proposal)
    comment = make_comment(author=other, target=proposals[0])
    comment_react(comment=comment, user=citizen, reaction="like")
    services.points_sync(target=comment)
    comment_hide(comment=comment, moderator=agency_manager, reason="Rude")
    services.points_sync(target=comment)
    comment_restore(comment=comment, moderator=agency_manager)
    services.points_sync(target=comment)
    services.contest_voted(user_id=citizen.pk, contest=contest)

    audit = selectors.points_rebuild()
    assert audit.problems == []
    assert audit.totals == selectors.points_totals() == {citizen.pk: 21, other.pk: 12}


def test_audit_reports_a_reversal_that_does_not_cancel_its_award(proposal, citizen):
    services.points_sync(target=proposal)
    award = PointsEntry.objects.get()
    PointsEntry.objects.create(
        user=citizen,
        action=award.action,
        content_type=ContentType.objects.get_for_model(proposal),
        object_id=proposal.pk,
        points=-3,
        reverses=award,
    )
    assert selectors.points_rebuild().problems


def test_points_audit_command_passes_on_a_consistent_ledger_and_fails_on_a_broken_one(proposal, citizen):
    from io import StringIO

    from django.core.management import CommandError, call_command

    services.points_sync(target=proposal)
    out = StringIO()
    call_command("points_audit", stdout=out)
    assert "totals match" in out.getvalue()
    award = PointsEntry.objects.get()
    PointsEntry.objects.create(  # a second active award for the same object, as a faulty import could write
        user=citizen,
        action=award.action,
        content_type=award.content_type,
        object_id=award.object_id,
        points=10,
        sequence=2,
    )
    with pytest.raises(CommandError):
        call_command("points_audit", stdout=StringIO(), stderr=StringIO())
