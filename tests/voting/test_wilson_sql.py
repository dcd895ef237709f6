"""The Wilson score stored by a ballot's UPDATE (raw SQL in voting.services) equals voting.ranking's."""

import pytest

from tests.factories import ProposalFactory
from voting import ranking
from voting.models import ProposalTally
from voting.services import _wilson_sql


@pytest.mark.django_db
def test_stored_wilson_score_equals_ranking_function_for_every_small_tally_and_change():
    proposal = ProposalFactory()
    tally = ProposalTally.objects.create(proposal=proposal, contest=proposal.contest)
    for up in range(7):
        for down in range(7):
            for d_up, d_down in ((1, 0), (0, 1), (-1, 1), (1, -1), (0, 0)):
                if up + d_up < 0 or down + d_down < 0:
                    continue
                ProposalTally.objects.filter(pk=tally.pk).update(positive=up, negative=down)
                ProposalTally.objects.filter(pk=tally.pk).update(score=_wilson_sql(d_up, d_down))
                stored = ProposalTally.objects.get(pk=tally.pk).score
                expected = ranking.wilson_lower_bound(up + d_up, down + d_down)
                assert stored == pytest.approx(expected, abs=1e-12), (up, down, d_up, d_down)
