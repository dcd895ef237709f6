"""Jury pages and API: who may do what, blind rendering, results before and after publication, bad input."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from jury import reviewers as reviewer_services
from jury import services
from jury.models import ContestReviewer, Criterion, CriterionScore, Review
from tests.factories import ContestFactory, MembershipFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory

from .conftest import review_phase_dates

pytestmark = pytest.mark.django_db


def api_for(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


@pytest.fixture
def assigned(review_contest, make_reviewer, make_proposals):
    """Two reviewers, two proposals by a named author with a co-author, everything assigned (R = 2)."""
    author = UserFactory(display_name="Zora Quillfeather")
    coauthor = UserFactory(display_name="Ignatius Brackenridge")
    reviewers = [make_reviewer(review_contest) for _ in range(2)]
    proposals = make_proposals(review_contest, 2, author=author)
    ProposalCoAuthorFactory(proposal=proposals[0], user=coauthor)
    services.assignment_run(contest=review_contest)
    return reviewers, proposals


def _scores(contest, value=5):
    return {str(c.pk): {"score": value, "comment": ""} for c in Criterion.objects.filter(contest=contest)}


# --- Manager pages ----------------------------------------------------------------------


def test_manage_page_is_for_the_contests_managers_only(client, review_contest, agency_manager, citizen, other_agency):
    url = reverse("jury:manage", args=[review_contest.slug])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(MembershipFactory(agency=other_agency).user)
    assert client.get(url).status_code == 403
    client.force_login(agency_manager)
    page = client.get(url)
    assert page.status_code == 200
    assert "Impact (60 %)" in page.content.decode()


def test_manage_page_of_a_draft_contest_is_hidden_from_others(client, agency, citizen):
    draft = ContestFactory(agency=agency, draft=True)
    client.force_login(citizen)
    assert client.get(reverse("jury:manage", args=[draft.slug])).status_code == 404


def test_rubric_form_refuses_weights_that_do_not_add_up(client, agency, agency_manager):
    contest = ContestFactory(agency=agency)
    client.force_login(agency_manager)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "Impact",
        "form-0-weight": "50",
        "form-1-name": "Cost",
        "form-1-weight": "20",
    }
    response = client.post(reverse("jury:rubric", args=[contest.slug]), data)
    assert response.status_code == 400
    assert "they add up to 70 %" in response.content.decode()
    assert not Criterion.objects.filter(contest=contest).exists()
    data["form-1-weight"] = "50"
    assert client.post(reverse("jury:rubric", args=[contest.slug]), data).status_code == 302
    assert list(Criterion.objects.filter(contest=contest).values_list("name", "weight")) == [
        ("Impact", 50),
        ("Cost", 50),
    ]


def test_rubric_form_refuses_an_empty_rubric(client, agency, agency_manager):
    contest = ContestFactory(agency=agency)
    client.force_login(agency_manager)
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": "", "form-0-weight": ""}
    response = client.post(reverse("jury:rubric", args=[contest.slug]), data)
    assert response.status_code == 400
    assert "cannot be empty" in response.content.decode()


def test_rubric_is_shown_on_the_public_contest_page(client, review_contest):
    page = client.get(review_contest.get_absolute_url()).content.decode()
    assert "How the jury judges entries" in page
    assert "Feasibility" in page and "40 %" in page


def test_settings_page_refuses_bad_values(client, review_contest, agency_manager):
    client.force_login(agency_manager)
    response = client.post(
        reverse("jury:settings", args=[review_contest.slug]),
        {"reviewers_per_proposal": "0", "blind": "on", "normalise": "on", "winners_count": "3"},
    )
    assert response.status_code == 400
    review_contest.review_settings.refresh_from_db()
    assert review_contest.review_settings.reviewers_per_proposal == 2


def test_manager_sends_reminders_and_publishes_early(
    client, assigned, review_contest, agency_manager, django_capture_on_commit_callbacks
):
    client.force_login(agency_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jury:remind", args=[review_contest.slug]), follow=True)
    assert "Reminders sent to 2 reviewers." in response.content.decode()
    assert len(mail.outbox) == 2
    client.post(reverse("jury:publish", args=[review_contest.slug]))
    assert client.logout() is None
    assert client.get(reverse("jury:results", args=[review_contest.slug])).status_code == 200


# --- Reviewer pages -------------------------------------------------------------------------


def test_reviewer_dashboard_lists_assignments_with_progress(client, assigned):
    reviewers, proposals = assigned
    client.force_login(reviewers[0].user)
    page = client.get(reverse("jury:dashboard")).content.decode()
    assert "0 of 2 reviews submitted." in page
    for proposal in proposals:
        assert proposal.title in page


def test_review_page_in_blind_mode_shows_no_author(client, assigned):
    reviewers, proposals = assigned
    client.force_login(reviewers[0].user)
    review = reviewers[0].reviews.get(proposal=proposals[0])
    page = client.get(reverse("jury:review", args=[review.pk])).content.decode()
    assert proposals[0].title in page
    assert "Zora Quillfeather" not in page and "Ignatius Brackenridge" not in page
    assert f"/users/{proposals[0].author_id}" not in page


def test_review_form_saves_a_draft_then_submits(client, assigned, review_contest):
    reviewers, _proposals = assigned
    review = reviewers[0].reviews.first()
    impact, feasibility = Criterion.objects.filter(contest=review_contest)
    client.force_login(reviewers[0].user)
    url = reverse("jury:review", args=[review.pk])
    client.post(url, {f"score_{impact.pk}": "7", "action": "draft"})
    review.refresh_from_db()
    assert review.status == "draft"
    response = client.post(url, {f"score_{impact.pk}": "7", f"score_{feasibility.pk}": "11", "action": "submit"})
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.status == "draft"
    client.post(url, {f"score_{impact.pk}": "7", f"score_{feasibility.pk}": "9", "action": "submit"})
    review.refresh_from_db()
    assert review.status == "submitted"
    response = client.post(url, {f"score_{impact.pk}": "1", f"score_{feasibility.pk}": "1", "action": "submit"})
    assert response.status_code == 400
    assert "can no longer change" in response.content.decode()
    assert sorted(review.scores.values_list("score", flat=True)) == [7, 9]


def test_reviewers_cannot_open_reviews_of_others_or_of_another_contest(client, assigned, agency):
    reviewers, _proposals = assigned
    other_contest = ContestFactory(agency=agency, slug="other", **review_phase_dates())
    outsider = ContestReviewer.objects.create(
        contest=other_contest,
        user=UserFactory(),
        email="out@example.org",
        status="active",
        invited_by=reviewers[0].user,
    )
    review = reviewers[0].reviews.first()
    client.force_login(reviewers[1].user)
    own_ids = set(reviewers[1].reviews.values_list("pk", flat=True))
    foreign = Review.objects.exclude(pk__in=own_ids).first()
    assert client.get(reverse("jury:review", args=[foreign.pk])).status_code == 404
    client.force_login(outsider.user)
    assert client.get(reverse("jury:review", args=[review.pk])).status_code == 404
    assert client.get(reverse("jury:conflicts", args=["clean-rivers"])).status_code == 403


def test_conflict_page_lists_titles_only_in_blind_mode(client, review_contest, make_reviewer, make_proposals):
    reviewer = make_reviewer(review_contest)
    proposal = make_proposals(review_contest, 1, author=UserFactory(display_name="Zora Quillfeather"))[0]
    client.force_login(reviewer.user)
    url = reverse("jury:conflicts", args=[review_contest.slug])
    page = client.get(url).content.decode()
    assert proposal.title in page and "Zora Quillfeather" not in page
    client.post(url, {"proposals": [str(proposal.pk)]})
    assert list(reviewer.conflicts.values_list("proposal_id", flat=True)) == [proposal.pk]
    assert client.post(url, {"proposals": ["abc"]}).status_code == 400


def test_invitation_link_accepts_after_sign_in(
    client, review_contest, agency_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_services.reviewer_invite(
            contest=review_contest, inviter=agency_manager, email="new@example.org", site_url="http://testserver"
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/jury/invitations/" in line)
    path = link.replace("http://testserver", "")
    assert client.get(path).status_code == 302  # to sign in / sign up
    newcomer = UserFactory(email="new@example.org")
    client.force_login(newcomer)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert ContestReviewer.objects.get(email="new@example.org").user == newcomer


# --- API ------------------------------------------------------------------------------------


def test_api_invite_reviewer_is_for_managers(review_contest, agency_manager, citizen):
    url = f"/api/v1/contests/{review_contest.slug}/reviewers/"
    assert api_for(citizen).post(url, {"email": "x@example.org"}, format="json").status_code == 403
    response = api_for(agency_manager).post(url, {"email": "x@example.org"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "invited"
    again = api_for(agency_manager).post(url, {"email": "x@example.org"}, format="json")
    assert again.status_code == 400 and "already invited" in str(again.json())
    assert api_for(agency_manager).post(url, {"email": "nope"}, format="json").status_code == 400
    assert (
        api_for(agency_manager)
        .post("/api/v1/contests/missing/reviewers/", {"email": "a@b.org"}, format="json")
        .status_code
        == 404
    )


def test_api_reviews_list_and_put(assigned, review_contest):
    reviewers, _proposals = assigned
    api = api_for(reviewers[0].user)
    listing = api.get("/api/v1/reviews/").json()
    assert listing["count"] == 2
    assert "author" not in str(listing) and "Zora" not in str(listing)
    review_id = listing["results"][0]["id"]
    url = f"/api/v1/reviews/{review_id}/"
    bad = api.put(url, {"scores": {k: {"score": 11} for k in _scores(review_contest)}, "submit": True}, format="json")
    assert bad.status_code == 400 and "0 to 10" in str(bad.json())
    assert not CriterionScore.objects.exists()
    ok = api.put(url, {"scores": _scores(review_contest, 6), "submit": True}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "submitted"
    locked = api.put(url, {"scores": _scores(review_contest, 1), "submit": False}, format="json")
    assert locked.status_code == 400 and "can no longer change" in str(locked.json())
    assert api.put(url, {"scores": "oops"}, format="json").status_code == 400


def test_api_put_on_an_unassigned_review_is_404(assigned, review_contest):
    reviewers, _proposals = assigned
    stranger = UserFactory()
    review = reviewers[0].reviews.first()
    response = api_for(stranger).put(
        f"/api/v1/reviews/{review.pk}/", {"scores": _scores(review_contest)}, format="json"
    )
    assert response.status_code == 404
    assert api_for().get("/api/v1/reviews/").status_code in (401, 403)


def test_results_are_hidden_until_published_then_downloadable(
    client, assigned, review_contest, agency_manager, citizen
):
    reviewers, _proposals = assigned
    for reviewer in reviewers:
        for review in reviewer.reviews.all():
            services.review_save(review=review, scores=_scores(review_contest, 4), submit=True)
    json_url = f"/api/v1/contests/{review_contest.slug}/results/"
    csv_url = f"/api/v1/contests/{review_contest.slug}/results.csv"
    page_url = reverse("jury:results", args=[review_contest.slug])
    for user in (None, citizen, reviewers[0].user):
        assert api_for(user).get(json_url).status_code == 403
        assert api_for(user).get(csv_url).status_code == 403
        if user:
            client.force_login(user)
        assert client.get(page_url).status_code == 403
    assert api_for(agency_manager).get(json_url).json()["published"] is False
    services.results_publish(contest=review_contest)
    body = api_for().get(json_url).json()
    assert body["published"] is True and len(body["entries"]) == 2
    rows = list(csv.DictReader(io.StringIO(api_for().get(csv_url).content.decode())))
    assert [row["proposal_id"] for row in rows] == [str(entry["proposal_id"]) for entry in body["entries"]]
    page = client.get(page_url).content.decode()
    assert "final = 40 % × public score + 60 % × jury score" in page


def test_results_csv_neutralises_formula_titles(assigned, review_contest):
    _reviewers, proposals = assigned
    proposals[0].title = "=HYPERLINK(1)"
    proposals[0].save()
    services.results_publish(contest=review_contest)
    text = api_for().get(f"/api/v1/contests/{review_contest.slug}/results.csv").content.decode()
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize("count", [2, 8])
def test_jury_pages_run_a_constant_number_of_queries(
    client, review_contest, agency_manager, make_reviewer, make_proposals, count, django_assert_max_num_queries
):
    reviewers = [make_reviewer(review_contest) for _ in range(count)]
    make_proposals(review_contest, count)
    services.assignment_run(contest=review_contest)
    client.force_login(agency_manager)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("jury:manage", args=[review_contest.slug])).status_code == 200
    client.force_login(reviewers[0].user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("jury:dashboard")).status_code == 200
    with django_assert_max_num_queries(8):
        assert api_for(reviewers[0].user).get("/api/v1/reviews/").status_code == 200
    services.results_publish(contest=review_contest)
    with django_assert_max_num_queries(16):
        assert api_for().get(f"/api/v1/contests/{review_contest.slug}/results/").status_code == 200


def test_reviewer_can_withdraw_and_their_work_goes_to_others(client, review_contest, make_reviewer, make_proposals):
    reviewers = [make_reviewer(review_contest) for _ in range(3)]
    make_proposals(review_contest, 3)
    services.assignment_run(contest=review_contest)
    client.force_login(reviewers[0].user)
    response = client.post(reverse("jury:withdraw_self", args=[review_contest.slug]), follow=True)
    assert "You no longer review this contest." in response.content.decode()
    reviewers[0].refresh_from_db()
    assert reviewers[0].status == "withdrawn" and not reviewers[0].reviews.exists()
    assert set(Review.objects.values_list("reviewer_id", flat=True)) == {reviewers[1].pk, reviewers[2].pk}
    assert Review.objects.count() == 6
    assert client.post(reverse("jury:withdraw_self", args=[review_contest.slug])).status_code == 403


def test_managers_may_choose_the_winners_instead_of_the_top_entries(
    client, assigned, review_contest, agency_manager, citizen
):
    _reviewers, proposals = assigned
    client.force_login(citizen)
    assert (
        client.post(reverse("jury:winners", args=[review_contest.slug]), {"winners": [proposals[1].pk]}).status_code
        == 403
    )
    client.force_login(agency_manager)
    foreign = ProposalFactory(contest=ContestFactory())
    response = client.post(reverse("jury:winners", args=[review_contest.slug]), {"winners": ["x"]}, follow=True)
    assert "Choose winners from the list." in response.content.decode()
    response = client.post(
        reverse("jury:winners", args=[review_contest.slug]), {"winners": [str(foreign.pk)]}, follow=True
    )
    assert "public proposals of this contest" in response.content.decode()
    client.post(reverse("jury:winners", args=[review_contest.slug]), {"winners": [str(proposals[1].pk)]})
    services.results_publish(contest=review_contest)
    body = api_for().get(f"/api/v1/contests/{review_contest.slug}/results/").json()
    assert body["winners_chosen_by_managers"] is True
    assert {e["proposal_id"] for e in body["entries"] if e["winner"]} == {proposals[1].pk}
    response = client.post(reverse("jury:winners", args=[review_contest.slug]), {"winners": []}, follow=True)
    assert "the winners are final" in response.content.decode()
