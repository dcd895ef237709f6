"""Schemathesis against /api/v1/schema/: every operation, anonymous and signed in with a token, with a
bounded number of generated examples each. No response may be a 500, and documented responses must
match their schema.

Runs when FUZZ=1 (.ci/run does, once): `FUZZ=1 .venv/bin/pytest tests/fuzz -q`; FUZZ_EXAMPLES sets the
examples per operation (default 5).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.models import User
from tests.factories import ContestFactory, ProposalFactory, UserFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
pytestmark = pytest.mark.skipif(not os.environ.get("FUZZ"), reason="API fuzzing runs with FUZZ=1 (.ci/run)")


def _load_schema():
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


schema = _load_schema()


@pytest.fixture
def world(db):
    """Something for the generated ids and slugs to find. Like Django's test client, the WSGI calls must
    not close the test's database connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    contest = ContestFactory(slug="rivers", voting=True)
    ProposalFactory(contest=contest)
    yield contest
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _no_server_error(response, case):
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}"


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def _check(case, headers):
    response = case.call(headers=headers)
    _no_server_error(response, case)
    if response.status_code < 400:
        case.validate_response(response, checks=[response_schema_conformance])


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_no_operation_answers_500_and_responses_match_the_schema(case, world):
    _check(case, {})


@schema.parametrize()
@FUZZ_SETTINGS
def test_signed_in_no_operation_answers_500_and_responses_match_the_schema(case, world):
    user = User.objects.filter(email="fuzz@example.org").first() or UserFactory(email="fuzz@example.org")
    token, _created = Token.objects.get_or_create(user=user)
    _check(case, {"Authorization": f"Token {token.key}"})
