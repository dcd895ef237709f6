"""Proof of work: signed challenges, their checks, sign-up and fast voting (pages and API) behind them."""

import hashlib
import re
import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from common.pow import challenge_check_and_use, challenge_error, challenge_issue, leading_zero_bits
from tests.factories import ContestFactory, ProposalFactory
from voting.models import Vote


def solve(challenge: str) -> str:
    difficulty = int(challenge.split(".")[1])
    n = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{n}".encode()).digest()) < difficulty:
        n += 1
    return str(n)


def test_leading_zero_bits():
    assert leading_zero_bits(b"\x00\x00\x01") == 23
    assert leading_zero_bits(b"\x0f") == 4
    assert leading_zero_bits(b"\x80") == 0


def test_a_solved_challenge_passes_once_and_forgeries_do_not():
    challenge = challenge_issue(scope="signup", difficulty=8)
    solution = solve(challenge)
    kwargs = {"scope": "signup", "min_difficulty": 8}
    assert "not completed" in challenge_error(challenge=challenge, solution="0" if solution != "0" else "1", **kwargs)
    assert challenge_error(challenge=challenge, solution=solution, scope="vote", min_difficulty=8)
    easier = challenge.replace("signup.8.", "signup.1.", 1)
    assert "damaged" in challenge_error(challenge=easier, solution=solve(easier), **kwargs)
    assert challenge_check_and_use(challenge=challenge, solution=solution, **kwargs) is None
    assert "already used" in challenge_check_and_use(challenge=challenge, solution=solution, **kwargs)


def test_an_old_challenge_has_expired(monkeypatch):
    challenge = challenge_issue(scope="signup", difficulty=4)
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert "expired" in challenge_error(
        challenge=challenge, solution=solve(challenge), scope="signup", min_difficulty=4
    )


def _signup_data(page: str, **extra) -> dict:
    challenge = re.search(r'name="pow_challenge" value="([^"]+)"', page).group(1)
    return {
        "email": "new@example.org",
        "display_name": "Newt",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
        "pow_challenge": challenge,
        **extra,
    }


@pytest.mark.django_db
def test_signup_needs_the_proof_of_work(client, settings):
    settings.POW_SIGNUP_DIFFICULTY = 8
    page = client.get(reverse("account_signup")).content.decode()
    assert 'data-pow-difficulty="8"' in page and "js/pow.js" in page
    data = _signup_data(page)
    refused = client.post(reverse("account_signup"), data)
    assert "The anti-robot check was not completed" in refused.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()
    response = client.post(reverse("account_signup"), {**data, "pow_solution": solve(data["pow_challenge"])})
    assert response.status_code == 302
    assert User.objects.filter(email="new@example.org").exists()


@pytest.fixture
def fast_voting(settings, citizen):
    settings.POW_VOTE_RATE = "2/60"
    settings.POW_VOTE_DIFFICULTY = 8
    contest = ContestFactory(voting=True, voting_method="updown")
    return citizen, [ProposalFactory(contest=contest) for _ in range(4)]


@pytest.mark.django_db
def test_past_the_rate_a_vote_form_asks_for_the_proof_of_work_then_counts(client, fast_voting):
    citizen, proposals = fast_voting
    client.force_login(citizen)
    for proposal in proposals[:2]:
        client.post(reverse("voting:vote", kwargs={"pk": proposal.pk}), {"value": "1"})
    url = reverse("voting:vote", kwargs={"pk": proposals[2].pk})
    response = client.post(url, {"value": "1", "next": proposals[2].get_absolute_url()})
    assert response.status_code == 429
    page = response.content.decode()
    assert "does a short calculation to show it is not a robot" in page
    challenge = re.search(r'name="pow_challenge" value="([^"]+)"', page).group(1)
    assert not Vote.objects.filter(proposal=proposals[2]).exists()
    client.post(url, {"value": "1", "pow_challenge": challenge, "pow_solution": solve(challenge)})
    assert Vote.objects.filter(proposal=proposals[2], voter=citizen).exists()


@pytest.mark.django_db
def test_past_the_rate_the_api_answers_428_with_a_challenge(fast_voting):
    citizen, proposals = fast_voting
    api = APIClient()
    api.force_authenticate(citizen)
    for proposal in proposals[:2]:
        api.post(f"/api/v1/proposals/{proposal.pk}/vote/", {"value": 1}, format="json")
    url = f"/api/v1/proposals/{proposals[2].pk}/vote/"
    refused = api.post(url, {"value": 1}, format="json")
    assert refused.status_code == 428
    challenge = refused.json()["challenge"]
    headers = {"HTTP_X_POW_CHALLENGE": challenge, "HTTP_X_POW_SOLUTION": solve(challenge)}
    assert api.post(url, {"value": 1}, format="json", **headers).status_code in (200, 201)
    assert (
        api.post(f"/api/v1/proposals/{proposals[3].pk}/vote/", {"value": 1}, format="json", **headers).status_code
        == 428
    )
