"""Server-rendered charts: SVG with a text alternative, the data beside it, user text escaped."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common.charts import bar_chart_svg
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting.models import Vote
from voting.services import vote_cast


def test_bar_chart_is_an_image_with_title_description_and_escaped_labels():
    svg = bar_chart_svg(
        rows=[{"label": "<script>x</script>", "values": [3, None]}, {"label": "河流", "values": [6, 2.5]}],
        title="Scores",
        description="Two series",
        series=["Public", "Jury"],
    )
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert ">6<" in svg and ">2.5<" in svg and "—" in svg  # values written out; a missing value says so
    assert "Public" in svg and "Jury" in svg


@pytest.mark.django_db
def test_leaderboard_and_proposal_pages_draw_bars_movement_and_votes_over_time(client, agency):
    now = timezone.now()
    contest = ContestFactory(
        agency=agency,
        voting_method="updown",
        submission_opens_at=now - timedelta(days=10),
        submission_closes_at=now + timedelta(days=5),
        voting_opens_at=now - timedelta(days=5),
        voting_closes_at=now + timedelta(days=5),
    )
    early, late = (
        ProposalFactory(contest=contest, title="Early favourite"),
        ProposalFactory(contest=contest, title="Late riser"),
    )
    vote_cast(voter=UserFactory(), proposal=early, value=1)
    Vote.objects.update(created_at=now - timedelta(days=2))
    for _ in range(3):
        vote_cast(voter=UserFactory(), proposal=late, value=1)

    page = client.get(reverse("voting:leaderboard", kwargs={"slug": contest.slug})).content.decode()
    assert "<svg" in page and "Scores of the top proposals" in page
    assert "▲1" in page and "up 1 place" in page and "down 1 place" in page

    detail = client.get(late.get_absolute_url()).content.decode()
    assert "Votes over time" in detail and "<svg" in detail and "Votes in total" in detail
