"""Upgrading a database created before the apps were split keeps every row.

The database is taken back to the migrations the platform had before the split (every app
that did not exist then unapplied), filled through the historical models with one or more
rows in every table the split touches, then migrated forward. Every table keeps its row
count; moved tables keep theirs under their new name; follows of both kinds become
subscriptions, comment opt-outs become muted kinds, and live board versions and early
result dates land in their new homes.
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_SPLIT = [
    ("accounts", "0003_follows_preferences_phase_notifications"),
    ("contests", "0001_initial"),
    ("proposals", "0004_discussion_follow"),
    ("voting", "0001_initial"),
    ("jury", "0002_settings_chosen_winners"),
    ("engagement", "0001_points_badges_preferences"),
    ("agencies", None),
    ("notifications", None),
    ("live", None),
    ("moderation", None),
    ("discussion", None),
]
AFTER_THE_SPLIT = [
    ("accounts", "0005_agencies_notifications_leave_accounts"),
    ("proposals", "0006_discussion_and_moderation_leave_proposals"),
    ("voting", "0002_leaderboard_versions_move_to_live"),
    ("jury", "0003_results_published_at_moves_to_contests"),
    ("engagement", "0002_board_versions_move_to_live"),
]
# Old table -> where its rows are after the split (tables not listed keep their name).
MOVED_TABLES = {
    "accounts_agency": "agencies_agency",
    "accounts_agencymembership": "agencies_agencymembership",
    "accounts_notification": "notifications_notification",
    "accounts_phasenotificationsent": "contests_phasenotificationsent",
    "proposals_moderationreport": "moderation_moderationreport",
    "proposals_commentstate": "discussion_commentstate",
    "proposals_commentblocklist": "discussion_commentblocklist",
}
# Old tables whose rows are folded into another table (checked one by one below).
FOLDED_TABLES = {
    "accounts_follow",
    "accounts_notificationpreference",
    "proposals_discussionfollow",
    "proposals_commentnotificationpreference",
    "voting_leaderboardstate",
    "engagement_contributorboardversion",
}


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from the schema itself
            counts[table] = cursor.fetchone()[0]
    return counts


def _populate(apps) -> dict:
    """One or more rows in every table the split touches, through the models as they were then."""
    now = timezone.now()
    User = apps.get_model("accounts", "User")
    Agency = apps.get_model("accounts", "Agency")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Site = apps.get_model("sites", "Site")
    ada = User.objects.create(email="ada@example.org", display_name="Ada")
    bo = User.objects.create(email="bo@example.org", display_name="Bo")
    cy = User.objects.create(email="cy@example.org", display_name="Cy")
    agency = Agency.objects.create(name="City Water", slug="city-water")
    apps.get_model("accounts", "AgencyMembership").objects.create(agency=agency, user=cy, role="manager")
    contest = apps.get_model("contests", "Contest").objects.create(
        agency=agency,
        title="Clean rivers",
        slug="clean-rivers",
        summary="Ideas for the river.",
        is_published=True,
        published_at=now - timedelta(days=9),
        submission_opens_at=now - timedelta(days=8),
        submission_closes_at=now - timedelta(days=6),
        voting_opens_at=now - timedelta(days=6),
        voting_closes_at=now - timedelta(days=4),
        review_closes_at=now - timedelta(days=2),
        results_at=now + timedelta(days=3),
    )
    Proposal = apps.get_model("proposals", "Proposal")
    willows = Proposal.objects.create(
        contest=contest, author=ada, title="Plant willows", summary="Roots hold the banks.", body="Willows.",
        status="submitted", submitted_at=now - timedelta(days=7),
    )  # fmt: skip
    weirs = Proposal.objects.create(
        contest=contest, author=bo, title="Open the weirs", summary="Let fish pass.", body="Weirs.",
        status="submitted", submitted_at=now - timedelta(days=7),
    )  # fmt: skip
    proposal_type = ContentType.objects.get_or_create(app_label="proposals", model="proposal")[0]
    XtdComment = apps.get_model("django_comments_xtd", "XtdComment")
    site = Site.objects.get_or_create(pk=1, defaults={"domain": "example.com", "name": "example"})[0]
    comments = []
    for order, (author, followup) in enumerate([(bo, True), (cy, False)], start=1):
        comment = XtdComment.objects.create(
            content_type=proposal_type, object_pk=str(willows.pk), site=site, user=author,
            user_name=author.display_name, user_email="", comment=f"Comment {order}", submit_date=now,
            is_public=True, is_removed=False, followup=followup, level=0, order=order,
        )  # fmt: skip
        XtdComment.objects.filter(pk=comment.pk).update(thread_id=comment.pk, parent_id=comment.pk)
        apps.get_model("proposals", "CommentState").objects.create(comment_id=comment.pk)
        comments.append(comment)
    apps.get_model("proposals", "CommentBlocklist").objects.create(agency=agency, terms="spam")
    apps.get_model("proposals", "ModerationReport").objects.create(
        content_type=proposal_type, object_id=weirs.pk, contest=contest, reporter=ada, reason="Off topic"
    )
    # Ada follows the discussion of weirs without commenting, and turned comment emails off.
    apps.get_model("proposals", "DiscussionFollow").objects.create(
        user=ada, content_type=proposal_type, object_pk=str(weirs.pk)
    )
    apps.get_model("proposals", "CommentNotificationPreference").objects.create(user=ada, email_on_comments=False)
    Notification = apps.get_model("accounts", "Notification")
    Notification.objects.create(recipient=ada, kind="proposal_status", data={"proposal_title": "Plant willows"})
    Notification.objects.create(recipient=bo, kind="comment_posted", data={"title": "Plant willows"})
    apps.get_model("accounts", "NotificationPreference").objects.create(user=bo, email_mode="digest")
    Follow = apps.get_model("accounts", "Follow")
    Follow.objects.create(user=bo, contest=contest)
    Follow.objects.create(user=bo, proposal=weirs)  # the same target as a discussion follow would fold into one
    Follow.objects.create(user=cy, agency=agency)
    apps.get_model("accounts", "PhaseNotificationSent").objects.create(contest=contest, phase="voting_opens")
    apps.get_model("voting", "Vote").objects.create(voter=cy, proposal=willows, contest=contest, value=1)
    apps.get_model("voting", "LeaderboardState").objects.create(contest=contest, version=41)
    apps.get_model("engagement", "ContributorBoardVersion").objects.create(key="site.week", version=7)
    published_early = now - timedelta(hours=1)
    apps.get_model("jury", "ContestReviewSettings").objects.create(
        contest=contest, results_published_at=published_early
    )
    return {"ada": ada.pk, "bo": bo.pk, "cy": cy.pk, "agency": agency.pk, "contest": contest.pk,
            "willows": willows.pk, "weirs": weirs.pk, "published_early": published_early}  # fmt: skip


def _migrate(targets):
    """Migrate to `targets` (None: unapply the app) and return the models as they are there."""
    MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()
    loader = MigrationExecutor(connection).loader
    return loader.project_state([target for target in targets if target[1] is not None])


@pytest.fixture
def migrate():
    """Migrate the test database to targets; afterwards, back to the latest migrations for the other tests."""
    yield _migrate
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


def test_upgrading_a_database_from_before_the_split_keeps_every_row(migrate):
    old_state = migrate(BEFORE_THE_SPLIT)
    ids = _populate(old_state.apps)
    before = _row_counts()
    assert all(before[table] > 0 for table in [*MOVED_TABLES, *FOLDED_TABLES])

    new_state = migrate(AFTER_THE_SPLIT)
    after = _row_counts()

    for table, count in before.items():
        if table == "django_migrations":
            continue  # grows by the migrations just applied
        if table in FOLDED_TABLES:
            assert table not in after, f"{table} should be gone"
        else:
            assert after[MOVED_TABLES.get(table, table)] == count, table

    apps = new_state.apps
    ContentType = apps.get_model("contenttypes", "ContentType")
    subscriptions = {
        (row.user_id, ContentType.objects.get(pk=row.content_type_id).model, row.object_id)
        for row in apps.get_model("notifications", "Subscription").objects.all()
    }
    assert subscriptions == {
        (ids["bo"], "contest", ids["contest"]),
        (ids["bo"], "proposal", ids["weirs"]),
        (ids["cy"], "agency", ids["agency"]),
        (ids["ada"], "proposal", ids["weirs"]),  # the discussion follow
        (ids["bo"], "proposal", ids["willows"]),  # a comment posted with "notify me"
    }
    Preference = apps.get_model("notifications", "NotificationPreference")
    assert Preference.objects.get(user_id=ids["bo"]).email_mode == "digest"
    assert Preference.objects.get(user_id=ids["ada"]).muted_kinds == ["comment_posted", "comment_reply"]
    versions = dict(apps.get_model("live", "BoardVersion").objects.values_list("key", "version"))
    assert versions == {f"lb.{ids['contest']}": 41, "cb.site.week": 7}
    contest = apps.get_model("contests", "Contest").objects.get(pk=ids["contest"])
    assert contest.results_published_at == ids["published_early"]
    assert ContentType.objects.filter(app_label="agencies", model="agency").exists()
    assert not ContentType.objects.filter(app_label="accounts", model="agency").exists()
