"""Similar proposals (trigram on PostgreSQL, token overlap on SQLite) and merging duplicates."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from notifications.models import Notification
from proposals import similarity
from proposals.models import Proposal
from proposals.signals import proposal_merged
from proposals.similarity import jaccard, normalise_words, proposal_merge, proposals_similar_to
from tests.factories import ContestFactory, MembershipFactory, ProposalCoAuthorFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas_contest(agency):
    return ContestFactory(agency=agency, slug="river-ideas", title="River ideas")


@pytest.fixture
def willows(ideas_contest, citizen):
    return ProposalFactory(
        contest=ideas_contest,
        author=citizen,
        title="Plant willow trees along the river banks",
        summary="Willows hold the banks together and filter the water.",
    )


@pytest.fixture
def bike_lanes(ideas_contest):
    return ProposalFactory(
        contest=ideas_contest,
        title="Protected bike lanes on Main Street",
        summary="Separate cyclists from cars with kerbs.",
    )


def similar_url(contest):
    return reverse("proposals:similar", kwargs={"contest_slug": contest.slug})


def merge_url(proposal):
    return reverse("proposals:merge", kwargs={"contest_slug": proposal.contest.slug, "pk": proposal.pk})


# --- the maths of the SQLite fallback ------------------------------------------------------------


def test_normalise_drops_case_accents_stopwords_and_plural_s():
    assert normalise_words("The Willows of the Rivér bank") == {"willow", "river", "bank"}


def test_jaccard_worked_example():
    # {willow, river, bank} vs {willow, river, park}: 2 shared of 4 distinct words.
    assert jaccard({"willow", "river", "bank"}, {"willow", "river", "park"}) == 0.5
    assert jaccard(set(), {"x"}) == 0.0


# --- finding duplicates (runs the database's own method: trigram on PostgreSQL, tokens on SQLite) -----


def test_near_duplicate_title_is_found_and_unrelated_one_is_not(ideas_contest, willows, bike_lanes):
    found = proposals_similar_to(ideas_contest, "Plant willows along river banks", "")
    assert [item.proposal for item in found] == [willows]
    assert 0 < found[0].similarity <= 1


def test_summary_alone_can_match(ideas_contest, willows, bike_lanes):
    found = proposals_similar_to(ideas_contest, "", "Kerbs to separate cyclists from cars on Main Street")
    assert [item.proposal for item in found] == [bike_lanes]


def test_only_public_proposals_of_the_same_contest_are_suggested(ideas_contest, willows, agency):
    title = "Plant willow trees along the river banks"
    ProposalFactory(contest=ContestFactory(agency=agency), title=title)
    ProposalFactory(contest=ideas_contest, title=title, status="draft", submitted_at=None)
    ProposalFactory(contest=ideas_contest, title=title, is_hidden=True, hidden_reason="Spam")
    ProposalFactory(contest=ideas_contest, title=title, merged_into=willows)
    found = proposals_similar_to(ideas_contest, title, "")
    assert [item.proposal for item in found] == [willows]


def test_exclude_leaves_out_the_proposal_being_edited(ideas_contest, willows):
    assert proposals_similar_to(ideas_contest, willows.title, willows.summary, exclude_id=willows.pk) == []


def test_limit_and_ordering(ideas_contest):
    best = ProposalFactory(contest=ideas_contest, title="Free public toilets in the central park")
    for index in range(6):
        ProposalFactory(contest=ideas_contest, title=f"Public toilets in the central park {index}")
    found = proposals_similar_to(ideas_contest, "Free public toilets in the central park", "", limit=3)
    assert len(found) == 3
    assert found[0].proposal == best
    assert found[0].similarity >= found[1].similarity >= found[2].similarity


def test_empty_input_finds_nothing(ideas_contest, willows):
    assert proposals_similar_to(ideas_contest, "  ", "") == []


def test_uses_trigram_on_postgresql_and_tokens_elsewhere(ideas_contest, willows, monkeypatch):
    called = []
    monkeypatch.setattr(similarity, "_similar_trigram", lambda *args: called.append("trigram") or [])
    monkeypatch.setattr(similarity, "_similar_tokens", lambda *args: called.append("tokens") or [])
    proposals_similar_to(ideas_contest, "Willows", "")
    assert called == (["trigram"] if connection.vendor == "postgresql" else ["tokens"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm exists only on PostgreSQL")
def test_pg_trgm_extension_is_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)


# --- the JSON endpoint ------------------------------------------------------------------------------


def test_endpoint_returns_json_suggestions(client, ideas_contest, willows):
    response = client.get(similar_url(ideas_contest), {"title": "Plant willows along river banks"})
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["id"] == willows.pk
    assert result["title"] == willows.title
    assert result["url"] == willows.get_absolute_url()


def test_endpoint_bad_exclude_is_a_400_and_unknown_contest_a_404(client, ideas_contest):
    assert client.get(similar_url(ideas_contest), {"title": "x", "exclude": "abc"}).status_code == 400
    assert client.get(reverse("proposals:similar", kwargs={"contest_slug": "nope"})).status_code == 404


def test_endpoint_of_a_draft_contest_is_hidden_from_the_public(client, agency):
    draft = ContestFactory(agency=agency, draft=True)
    assert client.get(similar_url(draft), {"title": "x"}).status_code == 404


# --- merging ---------------------------------------------------------------------------------------------


def test_merge_points_the_duplicate_at_the_target_runs_handlers_and_notifies_its_authors(
    ideas_contest, willows, agency_manager, monkeypatch, django_capture_on_commit_callbacks
):
    duplicate = ProposalFactory(contest=ideas_contest, title="Willows for the river")
    coauthor = ProposalCoAuthorFactory(proposal=duplicate).user
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    proposal_merged.connect(receiver, dispatch_uid="test-merge-receiver")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            proposal_merge(duplicate=duplicate, target=willows, moderator=agency_manager)
    finally:
        proposal_merged.disconnect(dispatch_uid="test-merge-receiver")

    duplicate.refresh_from_db()
    assert duplicate.merged_into == willows
    assert [(call["duplicate"], call["target"]) for call in calls] == [(duplicate, willows)]
    assert calls[0]["duplicate"].merged_into_id == willows.pk
    recipients = set(Notification.objects.filter(kind="proposal_merged").values_list("recipient", flat=True))
    assert recipients == {duplicate.author_id, coauthor.pk}
    assert willows.author_id not in recipients
    assert sorted(message.to[0] for message in mail.outbox) == sorted([duplicate.author.email, coauthor.email])
    assert not Proposal.objects.public().filter(pk=duplicate.pk).exists()


def test_a_failing_handler_rolls_the_merge_back(ideas_contest, willows, agency_manager, monkeypatch):
    duplicate = ProposalFactory(contest=ideas_contest)

    def broken(sender, **kwargs):
        raise RuntimeError("votes could not move")

    proposal_merged.connect(broken, dispatch_uid="test-broken-receiver")
    try:
        with pytest.raises(RuntimeError):
            proposal_merge(duplicate=duplicate, target=willows, moderator=agency_manager)
    finally:
        proposal_merged.disconnect(dispatch_uid="test-broken-receiver")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("make_target", "message"),
    [
        (lambda duplicate, agency: duplicate, "into itself"),
        (lambda duplicate, agency: ProposalFactory(contest=ContestFactory(agency=agency)), "same contest"),
        (
            lambda duplicate, agency: ProposalFactory(contest=duplicate.contest, status="draft", submitted_at=None),
            "public can see",
        ),
        (
            lambda duplicate, agency: ProposalFactory(
                contest=duplicate.contest, merged_into=ProposalFactory(contest=duplicate.contest)
            ),
            "itself merged",
        ),
    ],
)
def test_bad_merges_are_refused_and_nothing_changes(willows, agency, agency_manager, make_target, message):
    target = make_target(willows, agency)
    with pytest.raises(ValidationError) as error:
        proposal_merge(duplicate=willows, target=target, moderator=agency_manager)
    assert message in str(error.value.message_dict["target"])
    willows.refresh_from_db()
    assert willows.merged_into is None
    assert not Notification.objects.exists()


def test_manager_merges_from_the_page_and_the_old_page_redirects(client, ideas_contest, willows, agency_manager):
    duplicate = ProposalFactory(contest=ideas_contest, title="Willow trees by the river")
    client.force_login(agency_manager)
    page = client.get(merge_url(duplicate))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(willows.title) < html.index("Merge</button>")

    response = client.post(merge_url(duplicate), {"target": willows.pk})
    assert response.status_code == 302
    assert response["Location"] == willows.get_absolute_url()

    client.logout()
    old_page = client.get(duplicate.get_absolute_url())
    assert old_page.status_code in (301, 302)
    assert old_page["Location"] == willows.get_absolute_url()


def test_merge_across_contests_on_the_page_is_a_400(client, willows, agency, agency_manager):
    foreign = ProposalFactory(contest=ContestFactory(agency=agency))
    client.force_login(agency_manager)
    response = client.post(merge_url(willows), {"target": foreign.pk})
    assert response.status_code == 400
    assert "Only proposals of the same contest can be merged." in response.content.decode()
    willows.refresh_from_db()
    assert willows.merged_into is None


def test_merge_into_itself_on_the_page_is_a_400(client, willows, agency_manager):
    client.force_login(agency_manager)
    response = client.post(merge_url(willows), {"target": willows.pk})
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.content.decode()


def test_merge_without_target_is_a_400(client, willows, agency_manager):
    client.force_login(agency_manager)
    response = client.post(merge_url(willows), {"target": ""})
    assert response.status_code == 400
    assert "Choose the proposal to merge into." in response.content.decode()


def test_manager_of_another_agency_and_citizens_cannot_merge(client, ideas_contest, willows, other_agency, citizen):
    duplicate = ProposalFactory(contest=ideas_contest)
    for user in (MembershipFactory(agency=other_agency).user, citizen):
        client.force_login(user)
        assert client.post(merge_url(duplicate), {"target": willows.pk}).status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


# --- on the submission form ------------------------------------------------------------------------------


def create_url(contest):
    return reverse("proposals:create", kwargs={"contest_slug": contest.slug})


def test_form_page_carries_the_lookup_endpoint_for_the_script(client, ideas_contest, citizen):
    client.force_login(citizen)
    html = client.get(create_url(ideas_contest)).content.decode()
    assert f'data-endpoint="{similar_url(ideas_contest)}"' in html
    assert "js/similar_proposals.js" in html


def test_submitting_a_likely_duplicate_shows_it_first_then_submit_anyway_works(client, ideas_contest, willows):
    author = ProposalFactory(contest=ideas_contest).author  # any verified citizen
    client.force_login(author)
    data = {"title": "Plant willows along river banks", "summary": "Willows for the banks.", "body": "Do it."}
    response = client.post(create_url(ideas_contest), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert willows.title in html and "Submit anyway" in html
    assert not Proposal.objects.filter(title=data["title"]).exists()

    response = client.post(create_url(ideas_contest), {**data, "submit_anyway": ""})
    assert response.status_code == 302
    assert Proposal.objects.get(title=data["title"]).status == "submitted"


def test_a_proposal_without_lookalikes_is_submitted_straight_away(client, ideas_contest, willows, citizen):
    client.force_login(ProposalFactory(contest=ideas_contest).author)
    data = {"title": "Night buses on weekends", "summary": "Run buses after midnight.", "body": "Yes."}
    assert client.post(create_url(ideas_contest), data).status_code == 302
