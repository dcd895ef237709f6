"""The leaderboard snapshot's entries, as a viewer's page and websocket read them."""

import pytest

from tests.factories import ContestFactory, ProposalFactory
from voting.leaderboard import leaderboard_snapshot


@pytest.mark.django_db
def test_snapshot_links_each_entry_to_its_proposal_page():
    contest = ContestFactory(slug="0", voting=True, voting_method="updown")  # a slug that looks like an id
    proposals = [ProposalFactory(contest=contest) for _ in range(3)]
    snapshot = leaderboard_snapshot(contest=contest)
    assert {entry["url"] for entry in snapshot["entries"]} == {proposal.get_absolute_url() for proposal in proposals}
