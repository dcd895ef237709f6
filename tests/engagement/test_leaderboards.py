"""Contributor leaderboards: pages, API, periods, opt-out, profile badges, query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement import selectors, services
from engagement.models import EngagementPreference, PointsEntry
from tests.factories import ContestFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/leaderboards/contributors/"


def _contribute(contest, author, proposals=1):
    for _ in range(proposals):
        services.points_sync(target=ProposalFactory(contest=contest, author=author))


@pytest.fixture
def board(contest):
    """Ada: 30 points in the contest; Bo: 10 in it and 20 elsewhere (site-wide 30); Cy: 10 a month ago."""
    ada, bo, cy = (UserFactory(display_name=name) for name in ("Ada", "Bo", "Cy"))
    elsewhere = ContestFactory(agency=contest.agency)
    _contribute(contest, ada, 3)
    _contribute(contest, bo, 1)
    _contribute(elsewhere, bo, 2)
    _contribute(contest, cy, 1)
    PointsEntry.objects.filter(user=cy).update(created_at=timezone.now() - timedelta(days=20))
    return ada, bo, cy


def _names(snapshot):
    return [(entry["name"], entry["points"], entry["rank"]) for entry in snapshot["entries"]]


def test_site_board_ranks_by_points_with_shared_ranks_and_periods(client, board):
    week = client.get(API, {"period": "week"}).json()
    assert week["type"] == "contributors"
    assert week["scope"] == "site"
    assert _names(week) == [("Ada", 30, 1), ("Bo", 30, 1)]
    month = client.get(API, {"period": "month"}).json()
    assert _names(month) == [("Ada", 30, 1), ("Bo", 30, 1), ("Cy", 10, 3)]
    assert month["version"] > week["version"] or month["period"] != week["period"]


def test_contest_board_counts_only_that_contest(client, contest, board):
    data = client.get(API, {"contest": contest.slug, "period": "all"}).json()
    assert data["scope"] == contest.slug
    assert _names(data) == [("Ada", 30, 1), ("Bo", 10, 2), ("Cy", 10, 2)]
    assert data["entries"][0]["url"] == reverse("accounts:profile", kwargs={"user_id": board[0].pk})


def test_reversed_points_leave_the_board(client, contest, board, agency_manager):
    ada = board[0]
    for entry in PointsEntry.objects.filter(user=ada):
        services.points_reverse(award=entry, reason="hidden")
    data = client.get(API, {"contest": contest.slug, "period": "all"}).json()
    assert [name for name, _points, _rank in _names(data)] == ["Bo", "Cy"]


def test_api_refuses_a_bad_period_and_hides_unknown_or_draft_contests(client):
    assert client.get(API, {"period": "decade"}).status_code == 400
    assert client.get(API, {"contest": "no-such-contest"}).status_code == 404
    draft = ContestFactory(draft=True)
    assert client.get(API, {"contest": draft.slug}).status_code == 404
    assert client.get(reverse("engagement:contest_contributors", kwargs={"slug": draft.slug})).status_code == 404


def test_pages_show_the_board_and_never_emails(client, contest, board):
    ada = board[0]
    site = client.get(reverse("engagement:contributors"), {"period": "all"})
    assert site.status_code == 200
    assert "Ada" in site.content.decode()
    assert ada.email not in site.content.decode()
    assert 'aria-current="page"' in site.content.decode()
    page = client.get(reverse("engagement:contest_contributors", kwargs={"slug": contest.slug}))
    assert page.status_code == 200
    assert f"/ws/contests/{contest.slug}/contributors/week/" in page.content.decode()


def test_opting_out_removes_the_user_from_pages_and_api(client, contest, board, django_capture_on_commit_callbacks):
    ada = board[0]
    client.force_login(ada)
    settings_page = client.get(reverse("engagement:preferences"))
    assert 'for="id_show_on_leaderboards"' in settings_page.content.decode()
    response = client.post(reverse("engagement:preferences"), {})  # checkbox unticked
    assert response.status_code == 302
    assert EngagementPreference.objects.get(user=ada).show_on_leaderboards is False
    client.logout()
    for params in ({"period": "all"}, {"period": "week", "contest": contest.slug}):
        assert "Ada" not in [entry["name"] for entry in client.get(API, params).json()["entries"]]
    assert "Ada" not in client.get(reverse("engagement:contributors"), {"period": "all"}).content.decode()
    # Points still count; opting back in brings the user back.
    assert selectors.points_total(user=ada) == 30
    client.get(API, {"period": "all"})  # cached for a second...
    client.force_login(ada)
    with django_capture_on_commit_callbacks(execute=True):  # ...and dropped when the choice commits
        client.post(reverse("engagement:preferences"), {"show_on_leaderboards": "on"})
    assert "Ada" in [entry["name"] for entry in client.get(API, {"period": "all"}).json()["entries"]]


def test_preferences_need_sign_in(client):
    response = client.get(reverse("engagement:preferences"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_profile_shows_badges_with_rule_and_date(client, contest, citizen):
    _contribute(contest, citizen)
    page = client.get(reverse("accounts:profile", kwargs={"user_id": citizen.pk})).content.decode()
    assert "First proposal" in page
    assert "Submitted a first proposal that stayed public." in page
    assert "Earned on" in page
    assert "10 points" in page


@pytest.mark.parametrize("contributors", [3, 40])
def test_board_page_and_api_keep_a_constant_query_count(client, contest, contributors, django_assert_max_num_queries):
    for n in range(contributors):
        _contribute(contest, UserFactory(display_name=f"Helper {n}"), 2)
    url = reverse("engagement:contest_contributors", kwargs={"slug": contest.slug})
    with django_assert_max_num_queries(12):
        assert client.get(url, {"period": "all"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("engagement:contributors"), {"period": "month"}).status_code == 200
    with django_assert_max_num_queries(12):
        data = client.get(API, {"period": "week", "contest": contest.slug}).json()
    assert len(data["entries"]) == contributors


@pytest.mark.parametrize("badges", [1, 7])
def test_profile_page_query_count_does_not_grow_with_badges(client, citizen, badges, django_assert_max_num_queries):
    from engagement.ledger_rules import badges as badge_rules
    from engagement.models import BadgeAward

    for badge in list(badge_rules)[:badges]:
        BadgeAward.objects.create(user=citizen, badge=badge)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accounts:profile", kwargs={"user_id": citizen.pk}))
    assert page.content.decode().count("Earned on") == badges
