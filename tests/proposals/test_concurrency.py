import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from proposals import services
from proposals.models import Proposal
from tests.factories import ContestFactory, UserFactory
from tests.proposals.conftest import proposal_data


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_cannot_exceed_the_per_citizen_limit():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and real concurrent connections")
    contest = ContestFactory(max_proposals_per_citizen=1)
    author = UserFactory()
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def submit():
        try:
            barrier.wait()
            services.proposal_create(author=author, contest=contest, **proposal_data())
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    assert Proposal.objects.filter(author=author, status="submitted").count() == 1
