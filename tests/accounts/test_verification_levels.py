"""Verification levels: SMS codes, the agency census list (hashes only), and contests that ask for them."""

import hashlib
import re

import pytest
from django.db import connection
from django.urls import reverse

from accounts import sms
from accounts.models import PhoneChallenge, PhoneVerification
from agencies.census import census_hash, census_of
from agencies.models import CensusEntry
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.django_db

PHONE = "+86 138 0013 8000"
ID_NUMBER = "11010519491231002X"


@pytest.fixture(autouse=True)
def _sms_in_memory(settings):
    settings.SMS_BACKEND = "accounts.sms.MemorySmsBackend"
    sms.outbox.clear()


def _code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)


def _all_stored_text() -> str:
    """Every row of the verification tables, as text: what an attacker with the database would read."""
    rows = []
    for model in (PhoneVerification, PhoneChallenge, CensusEntry):
        rows += [str(row) for row in model.objects.values_list()]
    return " ".join(rows)


def test_a_phone_is_verified_with_the_code_sent_by_sms_and_only_its_hash_is_kept(
    client, citizen, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    url = reverse("accounts:verification")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"action": "send", "phone": PHONE}).content.decode()
    assert "A code is on its way by SMS" in page
    assert sms.outbox[-1][0] == "+8613800138000"
    wrong = client.post(url, {"action": "confirm", "code": "000000" if _code() != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    response = client.post(url, {"action": "confirm", "code": _code()}, follow=True)
    assert "Your phone number is verified." in response.content.decode()
    assert PhoneVerification.objects.filter(user=citizen).exists()
    assert "13800138000" not in _all_stored_text()


def test_one_number_verifies_one_account(client, citizen, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    url = reverse("accounts:verification")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "send", "phone": PHONE})
    client.post(url, {"action": "confirm", "code": _code()})
    other = UserFactory()
    client.force_login(other)
    page = client.post(url, {"action": "send", "phone": PHONE}).content.decode()
    assert "This number already verifies another account." in page


def test_census_upload_refuses_raw_id_numbers_and_a_citizen_claims_their_entry(client, agency, agency_admin, citizen):
    census = census_of(agency)
    url = reverse("agencies:census", kwargs={"slug": agency.slug})
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(agency_admin)
    page = client.get(url).content.decode()
    assert census.salt in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    raw = SimpleUploadedFile("ids.txt", f"{ID_NUMBER}\n".encode())
    assert "never ID numbers" in client.post(url, {"hashes": raw}).content.decode()
    assert not CensusEntry.objects.exists()
    hashed = hashlib.sha256(f"{census.salt}{ID_NUMBER}".encode()).hexdigest()
    listed = SimpleUploadedFile("hashes.txt", f"{hashed}\n{'a' * 64}\n".encode())
    assert "2 entries (2 new)" in client.post(url, {"hashes": listed}, follow=True).content.decode()
    client.force_login(citizen)
    verify = reverse("agencies:census_verify", kwargs={"slug": agency.slug})
    assert "not on the agency" in client.post(verify, {"id_number": "123"}).content.decode()
    response = client.post(verify, {"id_number": ID_NUMBER.lower()}, follow=True)
    assert "census list" in response.content.decode()
    assert CensusEntry.objects.get(id_hash=hashed).claimed_by == citizen
    assert census_hash(salt=census.salt, id_number=f" {ID_NUMBER.lower()} ") == hashed
    other = UserFactory()
    client.force_login(other)
    assert "already verifies another account" in client.post(verify, {"id_number": ID_NUMBER}).content.decode()
    assert ID_NUMBER not in _all_stored_text() and ID_NUMBER.lower() not in _all_stored_text()
    with connection.cursor() as cursor:
        cursor.execute("SELECT salt FROM agencies_censuslist")
        assert ID_NUMBER not in str(cursor.fetchall())


def test_a_contest_asking_for_a_phone_refuses_votes_until_it_is_verified(client, citizen):
    contest = ContestFactory(voting=True, voting_method="updown", vote_verification="phone")
    proposal = ProposalFactory(contest=contest)
    client.force_login(citizen)
    response = client.post(reverse("voting:vote", kwargs={"pk": proposal.pk}), {"value": "1"}, follow=True)
    assert "This contest asks for this before voting: Verified phone number (SMS code)." in response.content.decode()
    assert not Vote.objects.exists()
    PhoneVerification.objects.create(user=citizen, phone_hash="x" * 64)
    client.post(reverse("voting:vote", kwargs={"pk": proposal.pk}), {"value": "1"})
    assert Vote.objects.filter(voter=citizen).exists()


def test_a_contest_asking_for_the_census_refuses_submissions_from_others(client, agency, citizen):
    contest = ContestFactory(agency=agency, submit_verification="census")
    client.force_login(citizen)
    from proposals.rules import submission_refusal

    assert "census list" in submission_refusal(citizen, contest)
    census = census_of(agency)
    CensusEntry.objects.create(census=census, id_hash="b" * 64, claimed_by=citizen)
    fresh = type(citizen).objects.get(pk=citizen.pk)
    assert submission_refusal(fresh, contest) is None


def test_the_api_fast_path_also_refuses_a_voter_without_the_level(citizen):
    from rest_framework.test import APIClient

    contest = ContestFactory(voting=True, voting_method="updown", vote_verification="phone")
    proposal = ProposalFactory(contest=contest)
    api = APIClient()
    api.force_authenticate(citizen)
    refused = api.post(f"/api/v1/proposals/{proposal.pk}/vote/", {"value": 1}, format="json")
    assert refused.status_code == 403
    assert "Verified phone number" in refused.json()["detail"]
    assert not Vote.objects.exists()
