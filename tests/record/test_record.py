"""The decision record: official acts are chained, any edit of a past row is found, and anyone can check it."""

import threading
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse
from rest_framework.test import APIClient

from contests.models import Contest
from contests.notifications import phase_notifications_send
from contests.services import contest_publish, contest_update
from jury import services as jury_services
from jury.models import ContestReviewSettings, Criterion
from proposals.models import Proposal
from proposals.responses import proposal_respond
from record.models import RecordEntry, RecordHead
from record.services import record_append, record_verify
from tests.factories import ContestFactory, ContestReviewerFactory, CriterionFactory, ProposalFactory
from tests.jury.conftest import review_phase_dates

pytestmark = pytest.mark.django_db


def _verify_output() -> tuple[str, bool]:
    out = StringIO()
    try:
        call_command("verify_record", stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


def test_appends_form_one_chain_that_verifies():
    first = record_append(kind="test.act", object_type="thing", object_id=1, payload={"b": 2, "a": "é"})
    second = record_append(kind="test.act", object_type="thing", object_id=2)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash
    assert RecordHead.objects.get().hash == second.hash
    output, ok = _verify_output()
    assert ok
    assert f"OK: 2 entries, head #2 {second.hash}" in output


def test_editing_a_row_in_the_database_is_reported_at_that_entry():
    entries = [record_append(kind="test.act", object_type="thing", object_id=n, payload={"n": n}) for n in range(5)]
    RecordEntry.objects.filter(pk=entries[2].pk).update(payload={"n": 99})
    output, ok = _verify_output()
    assert not ok
    assert f"entry #3 (id {entries[2].pk}): hash does not match the entry's contents" in output
    assert "entry #1" not in output and "entry #4" not in output


def test_rewriting_a_row_with_a_fresh_hash_breaks_the_link_to_the_next_entry():
    entries = [record_append(kind="test.act", object_type="thing", object_id=n) for n in range(4)]
    from record.chain import hash_of

    forged = RecordEntry.objects.get(pk=entries[1].pk)
    forged.kind = "test.other"
    forged.hash = hash_of(forged)
    RecordEntry.objects.filter(pk=forged.pk).update(kind=forged.kind, hash=forged.hash)
    problems = record_verify().problems
    assert [(problem.sequence, problem.problem) for problem in problems] == [
        (3, "previous hash does not match the entry before")
    ]


def test_a_removed_entry_is_reported():
    entries = [record_append(kind="test.act", object_type="thing", object_id=n) for n in range(4)]
    RecordEntry.objects.filter(pk=entries[1].pk).delete()
    output, ok = _verify_output()
    assert not ok
    assert "entry #3" in output and "sequence 3 where 2 was due" in output
    RecordEntry.objects.filter(pk=entries[3].pk).delete()
    assert any("chain ends at 3" in problem.problem for problem in record_verify().problems)


def test_public_endpoints_list_entries_and_check_the_chain():
    entry = record_append(kind="test.act", object_type="thing", object_id=7, scope="contest:7", payload={"x": 1})
    record_append(kind="test.act", object_type="thing", object_id=8, scope="contest:8")
    api = APIClient()
    listing = api.get("/api/v1/record/", {"scope": "contest:7"}).json()
    assert [row["hash"] for row in listing["results"]] == [entry.hash]
    assert listing["results"][0]["payload"] == {"x": 1}
    check = api.get("/api/v1/record/verify/").json()
    assert check["ok"] is True and check["entries"] == 2
    RecordEntry.objects.filter(pk=entry.pk).update(object_id="9")
    cache.clear()  # results are shared for 30 s per head, and an edit in place leaves the head as it was
    check = api.get("/api/v1/record/verify/").json()
    assert check["ok"] is False
    assert check["problems"] == [
        {"sequence": 1, "entry_id": entry.pk, "problem": "hash does not match the entry's contents"}
    ]


def test_contest_publication_date_changes_and_answers_are_recorded(agency, agency_manager):
    contest = ContestFactory(agency=agency, draft=True, slug="record-me")
    contest_publish(contest=contest, actor=agency_manager)
    contest = Contest.objects.get(pk=contest.pk)
    contest_update(
        contest=contest,
        changed_by=agency_manager,
        fields={"results_at": contest.results_at.replace(year=contest.results_at.year + 1)},
        reason="More time to read",
    )
    proposal = ProposalFactory(contest=contest)
    proposal_respond(
        proposal=proposal, responder=agency_manager, status=Proposal.Status.UNDER_REVIEW, text="We read it."
    )
    entries = list(RecordEntry.objects.filter(scope=f"contest:{contest.pk}"))
    assert [entry.kind for entry in entries] == ["contest.published", "contest.dates_changed", "proposal.answered"]
    assert all(entry.actor_id == agency_manager.pk for entry in entries)
    assert entries[0].payload["slug"] == "record-me"
    assert entries[1].payload["reason"] == "More time to read"
    assert list(entries[1].payload["changes"]) == ["results_at"]
    assert entries[2].payload["status"] == Proposal.Status.UNDER_REVIEW
    assert record_verify().ok


def test_review_submission_and_results_publication_are_recorded(client, agency, agency_manager):
    contest = ContestFactory(agency=agency, slug="judged", **review_phase_dates())
    CriterionFactory(contest=contest, name="Impact", weight=100)
    ContestReviewSettings.objects.create(contest=contest, reviewers_per_proposal=1)
    reviewer = ContestReviewerFactory(contest=contest)
    proposals = [ProposalFactory(contest=contest) for _ in range(2)]
    jury_services.assignment_run(contest=contest)
    scores = {str(c.pk): {"score": 7} for c in Criterion.objects.filter(contest=contest)}
    for review in reviewer.reviews.all():
        jury_services.review_save(review=review, scores=scores, submit=True)
    jury_services.results_publish(contest=contest, actor=agency_manager)
    kinds = list(RecordEntry.objects.filter(scope=f"contest:{contest.pk}").values_list("kind", flat=True))
    assert kinds == ["review.submitted", "review.submitted", "contest.results_published"]
    assert set(RecordEntry.objects.filter(kind="review.submitted").values_list("actor_id", flat=True)) == {None}
    results = RecordEntry.objects.get(kind="contest.results_published")
    assert results.payload["trigger"] == "early"
    assert sorted(row[1] for row in results.payload["final_ranking"]) == sorted(p.pk for p in proposals)
    # The scheduled run later sees the results event and does not record it twice.
    phase_notifications_send()
    assert RecordEntry.objects.filter(kind="contest.results_published").count() == 1
    page = client.get(reverse("jury:results", args=[contest.slug])).content.decode()
    assert results.hash in page
    assert "Check the chain" in page


def test_results_out_by_date_are_recorded_by_the_timer(agency):
    contest = ContestFactory(agency=agency, slug="by-date", **{**review_phase_dates()})
    Contest.objects.filter(pk=contest.pk).update(
        review_closes_at=contest.voting_closes_at, results_at=contest.voting_closes_at
    )
    phase_notifications_send()
    phase_notifications_send()
    entry = RecordEntry.objects.get(kind="contest.results_published")
    assert entry.payload["trigger"] == "scheduled" and entry.actor_id is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real parallel PostgreSQL connections")
def test_concurrent_appends_never_fork_the_chain():
    threads_count, per_thread = 8, 10
    barrier = threading.Barrier(threads_count)
    errors = []

    def worker(number):
        try:
            barrier.wait(timeout=30)
            for n in range(per_thread):
                record_append(kind="test.act", object_type="thing", object_id=f"{number}-{n}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(RecordEntry.objects.values_list("sequence", flat=True)) == list(range(1, 81))
    assert record_verify().ok
