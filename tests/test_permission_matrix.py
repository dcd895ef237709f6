"""Every django-rules permission of Civitas, for every role, in every contest phase.

Each permission has one row in CASES: the object it is checked against and the rule, read from
the predicates (accounts, agencies, contests, proposals, discussion, jury, moderation and
notifications rules, contests.phases), written as a small function of (role, phase).
Registering a permission without adding a row here fails the completeness test.

Site admins are active superusers, and Django's User.has_perm grants an active superuser every
permission before it asks any backend (agencies.rules: "site admins may do everything";
tests/proposals/test_rules.py relies on it). The rules below follow the predicates only; the test
adds that short-circuit on top, so the site_admin column is True everywhere.

Roles and one scene per phase (agency, contest, proposal, comment, report) are built once for the
module, in a transaction rolled back at its end; the checks only read them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from rules.permissions import permissions

from contests.models import Contest
from contests.phases import contest_phase
from discussion.services import comment_post
from moderation.models import ModerationReport
from moderation.services import report_create
from proposals.models import Proposal
from tests.factories import AgencyFactory, ContestFactory, MembershipFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "accounts",
    "agencies",
    "notifications",
    "live",
    "contests",
    "engagement",
    "moderation",
    "discussion",
    "proposals",
    "voting",
    "integrity",
    "jury",
    "demo",
}

ROLES = ("anonymous", "unverified", "citizen", "owner", "manager", "agency_admin", "other_manager", "site_admin")
VERIFIED = frozenset(ROLES) - {"anonymous", "unverified"}
STAFF = frozenset({"manager", "agency_admin"})  # admins and managers of the agency running the contest
STAFF_OR_SITE_ADMIN = STAFF | {"site_admin"}


def _days(n: int):
    return timezone.now() + timedelta(days=n)


# ContestFactory arguments per phase (the factory's default is the submission phase).
PHASES = {
    # A draft contest takes no proposals, comments or reports through the services, and only the Django
    # admin can unpublish a contest; so the draft scene is built published (submission dates) and then
    # unpublished, which is what an admin unticking "published" leaves behind.
    "draft": {},
    # Proposals cannot be submitted before submission opens; the factory makes one anyway (as if the dates
    # had been moved later), and these cells follow the predicates, which only look at the windows.
    "upcoming": {"upcoming": True},
    "submission": {},
    "voting": {"voting": True},
    # No review trait: voting closed two days ago, results in five days.
    "review": {
        "submission_opens_at": _days(-20),
        "submission_closes_at": _days(-10),
        "voting_opens_at": _days(-10),
        "voting_closes_at": _days(-2),
        "review_closes_at": _days(3),
        "results_at": _days(5),
    },
    "results": {"results": True},
}
PUBLISHED = frozenset(PHASES) - {"draft"}
# COMMENTS_OPEN_UNTIL = "voting_closes_at" (pinned in the test): a published contest takes comments until
# voting closes. In review and results comment_post (which checks no permission) still makes the comment.
COMMENTS_OPEN = frozenset({"upcoming", "submission", "voting"})
COMMENTS_EDIT_WINDOW_SECONDS = 15 * 60  # every scene's comment was posted seconds ago: inside the window


@dataclass(frozen=True)
class Scene:
    """One contest in one phase with a public proposal, a visible comment on it and an open report about it."""

    agency: object
    contest: Contest
    proposal: Proposal
    comment: XtdComment
    report: ModerationReport
    author: object  # wrote the proposal
    commenter: object  # wrote the comment
    reporter: object  # filed the report

    def owner_of(self, obj):
        """The "owner" role: who wrote or filed the object; for the rest, the author of a proposal in the contest."""
        if isinstance(obj, XtdComment):
            return self.commenter
        if isinstance(obj, ModerationReport):
            return self.reporter
        return self.author


@dataclass(frozen=True)
class World:
    people: dict
    scenes: dict[str, Scene]


def _scene(phase: str, agency) -> Scene:
    contest = ContestFactory(agency=agency, **PHASES[phase])
    author, commenter, reporter = UserFactory(), UserFactory(), UserFactory()
    proposal = ProposalFactory(contest=contest, author=author)
    comment = comment_post(author=commenter, target=proposal, text="Good idea, and cheap too.")
    report = report_create(reporter=reporter, target=proposal, reason="Copied from another proposal.")
    if phase == "draft":
        Contest.objects.filter(pk=contest.pk).update(is_published=False)
    # Loaded afresh, as the selectors load them.
    return Scene(
        agency=agency,
        contest=Contest.objects.select_related("agency").get(pk=contest.pk),
        proposal=Proposal.objects.select_related("contest__agency")
        .prefetch_related("coauthorships")
        .get(pk=proposal.pk),
        comment=XtdComment.objects.get(pk=comment.pk),
        report=ModerationReport.objects.select_related("contest__agency").get(pk=report.pk),
        author=author,
        commenter=commenter,
        reporter=reporter,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The roles and the scenes, built once (conftest's agency, citizen… fixtures are per test, so not used here)."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                agency, other_agency = AgencyFactory(), AgencyFactory()
                people = {
                    "anonymous": AnonymousUser(),
                    "unverified": UserFactory(verified=False),
                    "citizen": UserFactory(),
                    "manager": MembershipFactory(agency=agency, role="manager").user,
                    "agency_admin": MembershipFactory(agency=agency, role="admin").user,
                    "other_manager": MembershipFactory(agency=other_agency, role="manager").user,
                    "site_admin": UserFactory(is_superuser=True, is_staff=True),
                }
                scenes = {phase: _scene(phase, agency) for phase in PHASES}
            yield World(people=people, scenes=scenes)
        finally:
            transaction.set_rollback(True)


def no_object(scene: Scene):
    return None


def the_agency(scene: Scene):
    return scene.agency


def the_contest(scene: Scene):
    return scene.contest


def the_proposal(scene: Scene):
    return scene.proposal


def the_comment(scene: Scene):
    return scene.comment


def the_report(scene: Scene):
    return scene.report


Rule = Callable[[str, str], bool]  # (role, phase) -> whether the role holds the permission in that phase


@dataclass(frozen=True)
class PermissionCase:
    permission: str
    build_object: Callable[[Scene], object]
    expected: Rule


CASES = [
    # --- accounts, agencies: the phase plays no part -------------------------------------------------
    # Anyone signed in, active and with a verified primary email.
    PermissionCase("accounts.act_as_citizen", no_object, lambda role, phase: role in VERIFIED),
    # Site admins only.
    PermissionCase("agencies.add_agency", the_agency, lambda role, phase: role == "site_admin"),
    # Site admins and the agency's own admins (not its managers).
    PermissionCase("agencies.change_agency", the_agency, lambda role, phase: role in {"agency_admin", "site_admin"}),
    # Site admins and the agency's own admins (not its managers).
    PermissionCase(
        "agencies.manage_agency_members", the_agency, lambda role, phase: role in {"agency_admin", "site_admin"}
    ),
    # Site admins and the agency's admins and managers.
    PermissionCase("agencies.manage_agency_contests", the_agency, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # --- contests ---------------------------------------------------------------------------------------
    # Site admins and the agency's admins and managers may create contests for it.
    PermissionCase("contests.add_contest", the_agency, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # Site admins and the contest agency's staff, in every phase.
    PermissionCase("contests.change_contest", the_contest, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # Site admins and the contest agency's staff, in every phase (publishing twice is refused by the service).
    PermissionCase("contests.publish_contest", the_contest, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # Everyone once published; a draft only those who may change it.
    PermissionCase(
        "contests.view_contest",
        the_contest,
        lambda role, phase: phase in PUBLISHED or role in STAFF_OR_SITE_ADMIN,
    ),
    # --- jury -------------------------------------------------------------------------------------------
    # Site admins and the contest agency's staff, in every phase (the services check the phase).
    PermissionCase("jury.manage_review", the_contest, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # Everyone once the results of a published contest are out; before that the contest agency's staff.
    PermissionCase(
        "jury.view_results", the_contest, lambda role, phase: phase == "results" or role in STAFF_OR_SITE_ADMIN
    ),
    # --- integrity -------------------------------------------------------------------------------------
    # The queue: site admins and the contest agency's staff, in every phase.
    PermissionCase("integrity.review_ballots", the_contest, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # The report is published with the results; before that the contest agency's staff.
    PermissionCase(
        "integrity.view_report", the_contest, lambda role, phase: phase == "results" or role in STAFF_OR_SITE_ADMIN
    ),
    # --- proposals (a submitted proposal: public unless its contest is a draft) -------------------------
    # Verified people, while the contest's submission window is open.
    PermissionCase(
        "proposals.add_proposal", the_contest, lambda role, phase: role in VERIFIED and phase == "submission"
    ),
    # Everyone when public; a proposal of a draft contest only its author, the contest agency's staff, site admins.
    PermissionCase(
        "proposals.view_proposal",
        the_proposal,
        lambda role, phase: phase in PUBLISHED or role in STAFF_OR_SITE_ADMIN | {"owner"},
    ),
    # Its (co-)authors, while the submission window is open.
    PermissionCase(
        "proposals.change_proposal", the_proposal, lambda role, phase: role == "owner" and phase == "submission"
    ),
    # Its author, while the submission window is open.
    PermissionCase(
        "proposals.withdraw_proposal", the_proposal, lambda role, phase: role == "owner" and phase == "submission"
    ),
    # Its author, while the submission window is open.
    PermissionCase(
        "proposals.invite_coauthor", the_proposal, lambda role, phase: role == "owner" and phase == "submission"
    ),
    # Any verified person (the invitation itself is checked by the service).
    PermissionCase("proposals.accept_invitation", no_object, lambda role, phase: role in VERIFIED),
    # The contest agency's staff and site admins, in every phase.
    PermissionCase("proposals.view_revisions", the_proposal, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # The contest agency's staff, on a submitted proposal, in every phase.
    PermissionCase("proposals.respond_proposal", the_proposal, lambda role, phase: role in STAFF),
    # Verified people (its author too) while the proposal is public.
    PermissionCase(
        "proposals.report_proposal", the_proposal, lambda role, phase: role in VERIFIED and phase in PUBLISHED
    ),
    # The contest agency's staff and site admins, in every phase.
    PermissionCase("proposals.moderate_proposal", the_proposal, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # The contest agency's staff, in every phase.
    PermissionCase("proposals.merge_proposal", the_proposal, lambda role, phase: role in STAFF),
    # --- discussion (a visible comment on the proposal; posting is checked on the proposal itself) -----
    # Verified people, on a public proposal, until voting closes.
    PermissionCase(
        "discussion.add_comment", the_proposal, lambda role, phase: role in VERIFIED and phase in COMMENTS_OPEN
    ),
    # Its author, within the edit window, even once the discussion has closed.
    PermissionCase("discussion.change_comment", the_comment, lambda role, phase: role == "owner"),
    # Its author, in every phase.
    PermissionCase("discussion.delete_comment", the_comment, lambda role, phase: role == "owner"),
    # Verified people other than its author, while the discussion is open.
    PermissionCase(
        "discussion.react_to_comment",
        the_comment,
        lambda role, phase: role in VERIFIED - {"owner"} and phase in COMMENTS_OPEN,
    ),
    # Verified people other than its author, in every phase (the predicate does not look at the discussion).
    PermissionCase("discussion.report_comment", the_comment, lambda role, phase: role in VERIFIED - {"owner"}),
    # The contest agency's staff and site admins, in every phase.
    PermissionCase("discussion.moderate_comment", the_comment, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # --- engagement: rewards (the phase plays no part) -------------------------------------------------
    # Site admins and the agency's admins and managers list its rewards and hand them over.
    PermissionCase("engagement.manage_rewards", the_agency, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # Anyone verified may spend points (the balance and the stock are checked by the service).
    PermissionCase("engagement.redeem_reward", no_object, lambda role, phase: role in VERIFIED),
    # --- moderation, notifications ---------------------------------------------------------------------
    # The contest agency's staff and site admins, in every phase (not the reporter).
    PermissionCase("moderation.resolve_report", the_report, lambda role, phase: role in STAFF_OR_SITE_ADMIN),
    # Verified people, on a proposal they may see as public (a draft contest's proposal is not).
    PermissionCase(
        "notifications.add_subscription", the_proposal, lambda role, phase: role in VERIFIED and phase in PUBLISHED
    ),
]

# (permission, role, phase) -> why the code is wrong there; such cells are strict xfails.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


def _params() -> list:
    params = []
    for case in CASES:
        for phase in PHASES:
            for role in ROLES:
                bug = KNOWN_BUGS.get((case.permission, role, phase))
                marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
                params.append(pytest.param(case, role, phase, id=f"{case.permission}-{role}-{phase}", marks=marks))
    return params


def test_matrix_covers_every_registered_permission_once():
    registered = {name for name in permissions if name.split(".", 1)[0] in PROJECT_APPS}
    covered = [case.permission for case in CASES]
    assert len(covered) == len(set(covered)), "a permission has two rows"
    assert set(covered) == registered


@pytest.mark.parametrize("phase", PHASES)
def test_each_scene_is_in_its_phase_with_public_content(world, phase):
    scene = world.scenes[phase]
    assert contest_phase(scene.contest) == phase
    assert scene.comment.civitas_state.is_held is False
    assert scene.report.resolution == ModerationReport.Resolution.OPEN


@pytest.mark.parametrize(("case", "role", "phase"), _params())
def test_role_holds_permission_exactly_where_its_rule_says(world, settings, case, role, phase):
    settings.COMMENTS_OPEN_UNTIL = "voting_closes_at"
    settings.COMMENTS_EDIT_WINDOW_SECONDS = COMMENTS_EDIT_WINDOW_SECONDS
    scene = world.scenes[phase]
    obj = case.build_object(scene)
    user = scene.owner_of(obj) if role == "owner" else world.people[role]
    # Django grants an active superuser every permission before asking django-rules.
    expected = role == "site_admin" or case.expected(role, phase)
    assert user.has_perm(case.permission, obj) is expected
