"""Co-author invitations cannot be used to bomb an address with email: a resend cooldown, and caps on
the emails per inviter and per recipient."""

import time

import pytest

from tests.factories import ContestFactory, ProposalFactory, UserFactory


@pytest.fixture
def contest(db):
    return ContestFactory(slug="parks")


def _invite(client, proposal, email):
    return client.post(f"/contests/{proposal.contest.slug}/proposals/{proposal.pk}/coauthors/invite/", {"email": email})


def test_six_reinvitations_send_one_email(client, contest, mailoutbox, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(contest=contest)
    client.force_login(proposal.author)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_invite(client, proposal, "victim@example.org").status_code for _ in range(6)]
    assert len([m for m in mailoutbox if "victim@example.org" in m.to]) == 1
    assert statuses[0] == 302
    second = _invite(client, proposal, "victim@example.org")
    assert "wait" in second.content.decode().lower()


def test_a_resend_after_the_cooldown_goes_out(
    client, contest, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COAUTHOR_INVITE_RESEND_COOLDOWN_SECONDS = 1
    proposal = ProposalFactory(contest=contest)
    client.force_login(proposal.author)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, proposal, "friend@example.org")
    time.sleep(1.1)
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client, proposal, "friend@example.org").status_code == 302
    assert len(mailoutbox) == 2


def test_many_inviters_cannot_flood_one_recipient(
    client, contest, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COAUTHOR_INVITES_PER_RECIPIENT = "3/d"
    for _ in range(5):
        proposal = ProposalFactory(contest=contest)
        client.force_login(proposal.author)
        with django_capture_on_commit_callbacks(execute=True):
            _invite(client, proposal, "victim@example.org")
    assert len(mailoutbox) == 3


def test_one_inviter_cannot_flood_many_addresses(
    client, contest, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COAUTHOR_INVITES_PER_INVITER = "4/d"
    author = UserFactory()
    client.force_login(author)
    proposals = [ProposalFactory(contest=contest, author=author) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        responses = [_invite(client, proposals[n % 3], f"person{n}@example.org") for n in range(6)]
    assert len(mailoutbox) == 4
    assert "too many invitations" in responses[-1].content.decode()
