"""Every proposal permission for every role, before / during / after the submission window."""

import pytest

from tests.factories import ContestFactory, MembershipFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

PHASES = {"upcoming": {"upcoming": True}, "submission": {}, "voting": {"voting": True}}


@pytest.fixture
def people(agency, citizen):
    return {
        "anonymous": None,
        "unverified": UserFactory(verified=False),
        "citizen": UserFactory(),
        "author": citizen,
        "coauthor": UserFactory(),
        "manager": MembershipFactory(agency=agency, role="manager").user,
        "other_manager": MembershipFactory().user,
        "site_admin": UserFactory(is_superuser=True),
    }


def _proposal(agency, people, phase, **fields):
    contest = ContestFactory(agency=agency, **PHASES[phase])
    proposal = ProposalFactory(contest=contest, author=people["author"], **fields)
    ProposalCoAuthorFactory(proposal=proposal, user=people["coauthor"])
    return proposal


def _can(people, role, permission, obj):
    from django.contrib.auth.models import AnonymousUser

    user = people[role] or AnonymousUser()
    return user.has_perm(permission, obj)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize(
    ("role", "add_during_submission"),
    [
        ("anonymous", False),
        ("unverified", False),
        ("citizen", True),
        ("author", True),
        ("manager", True),
    ],
)
def test_add_proposal_needs_a_verified_account_and_the_submission_window(
    agency, people, phase, role, add_during_submission
):
    contest = ContestFactory(agency=agency, **PHASES[phase])
    assert _can(people, role, "proposals.add_proposal", contest) is (add_during_submission and phase == "submission")


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize(
    ("role", "change", "withdraw", "invite", "revisions"),
    [
        ("anonymous", False, False, False, False),
        ("unverified", False, False, False, False),
        ("citizen", False, False, False, False),
        ("author", True, True, True, False),
        ("coauthor", True, False, False, False),
        ("manager", False, False, False, True),
        ("other_manager", False, False, False, False),
    ],
)
def test_authors_edit_only_while_submission_is_open(agency, people, phase, role, change, withdraw, invite, revisions):
    proposal = _proposal(agency, people, phase)
    open_ = phase == "submission"
    assert _can(people, role, "proposals.change_proposal", proposal) is (change and open_)
    assert _can(people, role, "proposals.withdraw_proposal", proposal) is (withdraw and open_)
    assert _can(people, role, "proposals.invite_coauthor", proposal) is (invite and open_)
    assert _can(people, role, "proposals.view_revisions", proposal) is revisions
    assert _can(people, role, "proposals.view_proposal", proposal) is True


@pytest.mark.parametrize(
    ("role", "sees_private"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("author", True),
        ("coauthor", True),
        ("manager", True),
        ("other_manager", False),
        ("site_admin", True),
    ],
)
@pytest.mark.parametrize(
    "state", [{"status": "draft", "submitted_at": None}, {"is_hidden": True}, {"status": "withdrawn"}]
)
def test_drafts_hidden_and_withdrawn_proposals_are_private(agency, people, role, sees_private, state):
    proposal = _proposal(agency, people, "submission", **state)
    assert _can(people, role, "proposals.view_proposal", proposal) is sees_private


def test_withdrawn_proposals_cannot_be_edited(agency, people):
    proposal = _proposal(agency, people, "submission", status="withdrawn")
    assert not _can(people, "author", "proposals.change_proposal", proposal)
    assert not _can(people, "author", "proposals.withdraw_proposal", proposal)


def test_site_admins_hold_every_permission_but_services_still_check_the_window(agency, people):
    """Django grants active superusers every permission; the services refuse writes outside the window anyway."""
    from django.core.exceptions import ValidationError

    from proposals import services

    proposal = _proposal(agency, people, "voting")
    assert _can(people, "site_admin", "proposals.change_proposal", proposal)
    with pytest.raises(ValidationError, match="Submission is closed"):
        services.proposal_update(
            proposal=proposal, editor=people["site_admin"], title="t", summary="s", body="b", category=None
        )
