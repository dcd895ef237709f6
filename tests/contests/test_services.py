"""Contest services called directly: validation, the deadline log, categories, publication."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contests.models import Contest, DeadlineChange
from contests.services import contest_create, contest_publish, contest_update
from tests.contests.helpers import contest_dates
from tests.factories import ContestFactory

pytestmark = pytest.mark.django_db


def fields(**overrides):
    return {"title": "Safer crossings", "summary": "Where should we add crossings?", **contest_dates(), **overrides}


def test_create_derives_a_unique_slug(agency):
    first = contest_create(agency=agency, fields=fields())
    second = contest_create(agency=agency, fields=fields())
    assert (first.slug, second.slug) == ("safer-crossings", "safer-crossings-2")
    assert not first.is_published


def test_create_refuses_fields_that_are_not_editable(agency):
    with pytest.raises(ValidationError, match="cannot be set"):
        contest_create(agency=agency, fields=fields(is_published=True))
    assert not Contest.objects.exists()


def test_dates_out_of_order_are_refused_per_field(agency):
    dates = contest_dates()
    with pytest.raises(ValidationError) as error:
        contest_create(agency=agency, fields=fields(review_closes_at=dates["voting_closes_at"] - timedelta(hours=1)))
    assert "review_closes_at" in error.value.message_dict


def test_database_refuses_dates_out_of_order_even_without_the_service(agency):
    contest = ContestFactory.build(agency=agency)
    contest.results_at = contest.review_closes_at - timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        contest.save()


def test_categories_are_synced_by_slug_keeping_existing_ids(agency):
    contest = contest_create(agency=agency, fields=fields(), categories=["Trees", "Parks", "trees", " "])
    assert sorted(contest.categories.values_list("name", flat=True)) == ["Parks", "Trees"]
    trees_id = contest.categories.get(slug="trees").pk
    contest = contest_update(contest=contest, changed_by=None, fields={}, categories=["Trees", "Benches"])
    assert sorted(contest.categories.values_list("name", flat=True)) == ["Benches", "Trees"]
    assert contest.categories.get(slug="trees").pk == trees_id


def test_every_changed_date_of_a_published_contest_is_logged(published, agency_manager):
    old = Contest.objects.get(pk=published.pk)
    contest_update(
        contest=published,
        changed_by=agency_manager,
        fields={
            "results_at": old.results_at + timedelta(days=7),
            "closes_at": old.results_at + timedelta(days=30),
            "title": "Not a date",
        },
        reason="Jury needs more time",
    )
    changes = {change.field: change for change in DeadlineChange.objects.all()}
    assert set(changes) == {"results_at", "closes_at"}
    assert changes["results_at"].old_value == old.results_at
    assert changes["closes_at"].old_value is None
    assert changes["results_at"].reason == "Jury needs more time"


def test_failed_update_logs_nothing(published, agency_manager):
    with pytest.raises(ValidationError):
        contest_update(
            contest=published,
            changed_by=agency_manager,
            fields={"results_at": published.review_closes_at - timedelta(days=1)},
            reason="Oops",
        )
    assert not DeadlineChange.objects.exists()


def test_publish_sets_the_date_and_refuses_twice(draft):
    contest = contest_publish(contest=draft)
    assert contest.is_published and contest.published_at is not None
    with pytest.raises(ValidationError, match="already published"):
        contest_publish(contest=contest)


def test_voting_rules_are_locked_once_voting_opens(agency, agency_manager):
    contest = ContestFactory(agency=agency, voting=True, voting_method="approval")
    with pytest.raises(ValidationError) as error:
        contest_update(contest=contest, changed_by=agency_manager, fields={"voting_method": "stars"})
    assert "voting_method" in error.value.message_dict
    with pytest.raises(ValidationError):
        contest_update(contest=contest, changed_by=agency_manager, fields={"approval_limit": 9})
    contest.refresh_from_db()
    assert (contest.voting_method, contest.approval_limit) == ("approval", 3)


def test_voting_rules_may_change_before_voting_opens(published, agency_manager):
    contest = contest_update(contest=published, changed_by=agency_manager, fields={"voting_method": "pairwise"})
    assert contest.voting_method == "pairwise"
