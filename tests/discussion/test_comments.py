"""Threaded comments on proposals and contests: sanitising, permissions, thread shape, notifications, API, queries."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from discussion import selectors as comment_selectors
from discussion import services as comment_services
from discussion.models import CommentBlocklist, CommentState
from moderation.models import ModerationReport
from moderation.services import report_create, report_hide_content
from notifications.models import Notification
from tests.factories import ContestFactory, MembershipFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">j</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<div><p><b onmouseover=alert(1)>nested <svg onload=alert(1)><script>alert(2)</script></svg></b></p></div>",
    "#!markdown\n<script>alert('md')</script>",
    "#!html\n<img src=x onerror=alert('html')>",
    "#!restructuredtext\n.. raw:: html\n\n   <script>alert('rst')</script>",
]


@pytest.fixture
def proposal(contest, citizen):
    return ProposalFactory(contest=contest, author=citizen, title="Plant willows")


@pytest.fixture
def commenter(db):
    return UserFactory(display_name="Cai Commenter", email="cai.secret@example.org")


def post_url(proposal):
    return reverse("discussion:post", kwargs={"segment": "proposals", "key": proposal.pk})


def api_url(proposal):
    return reverse("api:proposal_comments", kwargs={"pk": proposal.pk})


class _ActiveContentFinder(HTMLParser):
    """Collects what a browser would run: script/svg/img/iframe elements, on* handlers, script and data URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "svg", "img", "iframe", "object", "embed", "style"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            if name in {"href", "src"} and (value or "").strip().lower().startswith(("javascript:", "data:")):
                self.found.append(f"{name}={value}")


def _assert_clean(html: str):
    finder = _ActiveContentFinder()
    finder.feed(html)
    assert finder.found == [], html


# --- sanitising ------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_neutralised_on_the_page_and_in_the_api(client, proposal, commenter, payload):
    client.force_login(commenter)
    response = client.post(post_url(proposal), {"text": payload, "followup": "on"})
    assert response.status_code == 302
    page = client.get(proposal.get_absolute_url())
    thread = page.content.decode().split('id="discussion"', 1)[1].split("</ol>", 1)[0]
    _assert_clean(thread)
    data = client.get(api_url(proposal)).json()
    assert data["count"] == 1
    _assert_clean(data["results"][0]["html"])


def test_markup_filter_first_line_is_not_obeyed(proposal, commenter):
    comment_services.comment_post(author=commenter, target=proposal, text="#!html\n<b>bold</b> **md**")
    (node,) = comment_selectors.comment_thread(target=proposal, user=None)
    assert "<b>bold</b>" not in node.html
    assert "&lt;b&gt;bold&lt;/b&gt;" in node.html
    assert "<strong>md</strong>" in node.html


def test_links_in_comments_get_nofollow_ugc_noopener(proposal, commenter):
    comment_services.comment_post(author=commenter, target=proposal, text="See [site](https://example.org)")
    (node,) = comment_selectors.comment_thread(target=proposal, user=None)
    assert 'rel="nofollow ugc noopener"' in node.html


def test_page_and_api_show_display_names_never_emails(client, proposal, commenter):
    comment_services.comment_post(author=commenter, target=proposal, text="Hello")
    stored = XtdComment.objects.get()
    assert stored.user_email == ""
    assert stored.user_name == "Cai Commenter"
    page = client.get(proposal.get_absolute_url()).content.decode()
    api = client.get(api_url(proposal)).content.decode()
    for body in (page, api):
        assert "Cai Commenter" in body
        assert "cai.secret@example.org" not in body


# --- who may post ----------------------------------------------------------------------------


def test_unverified_user_cannot_post_on_the_page_or_in_the_api(client, proposal, unverified_user):
    client.force_login(unverified_user)
    response = client.post(post_url(proposal), {"text": "Hi"})
    assert response.status_code == 403
    assert "Verify your email" in response.content.decode()
    assert client.post(api_url(proposal), {"text": "Hi"}, content_type="application/json").status_code == 403
    assert not XtdComment.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, proposal):
    response = client.post(post_url(proposal), {"text": "Hi"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not XtdComment.objects.exists()


def test_comments_close_when_voting_closes(client, agency, citizen, commenter):
    past = ContestFactory(agency=agency, results=True)
    proposal = ProposalFactory(contest=past, author=citizen)
    client.force_login(commenter)
    response = client.post(post_url(proposal), {"text": "Too late"})
    assert response.status_code == 403
    assert "closed" in response.content.decode()


def test_posting_is_rate_limited_per_user(client, settings, proposal, commenter):
    settings.COMMENTS_RATE_LIMIT_USER = "2/60"
    client.force_login(commenter)
    assert client.post(post_url(proposal), {"text": "one"}).status_code == 302
    assert client.post(post_url(proposal), {"text": "two"}).status_code == 302
    assert client.post(post_url(proposal), {"text": "three"}).status_code == 429
    assert XtdComment.objects.count() == 2


def test_posting_is_rate_limited_per_ip(settings, proposal, commenter, citizen):
    settings.COMMENTS_RATE_LIMIT_IP = "1/60"
    comment_services.comment_post(author=commenter, target=proposal, text="one", ip_address="10.0.0.1")
    with pytest.raises(comment_services.CommentRateLimited):
        comment_services.comment_post(author=citizen, target=proposal, text="two", ip_address="10.0.0.1")


# --- thread shape, edit, delete, reactions ---------------------------------------------------


def test_reply_nests_under_its_parent_up_to_the_configured_depth(settings, proposal, commenter, citizen):
    settings.COMMENTS_XTD_MAX_THREAD_LEVEL = 1
    root = comment_services.comment_post(author=commenter, target=proposal, text="root")
    reply = comment_services.comment_post(author=citizen, target=proposal, text="reply", parent_id=root.pk)
    with pytest.raises(Exception, match="deep"):
        comment_services.comment_post(author=commenter, target=proposal, text="too deep", parent_id=reply.pk)
    (node,) = comment_selectors.comment_thread(target=proposal, user=None)
    assert [child.id for child in node.children] == [reply.pk]


def test_deleted_comment_keeps_thread_shape_with_placeholder(client, proposal, commenter, citizen):
    root = comment_services.comment_post(author=commenter, target=proposal, text="I regret this")
    reply = comment_services.comment_post(author=citizen, target=proposal, text="A reply that stays")
    reply = comment_services.comment_post(author=citizen, target=proposal, text="Nested reply stays", parent_id=root.pk)
    client.force_login(commenter)
    assert client.post(reverse("discussion:delete", kwargs={"comment_id": root.pk})).status_code == 302
    roots = comment_selectors.comment_thread(target=proposal, user=None)
    deleted = next(node for node in roots if node.id == root.pk)
    assert deleted.status == "deleted" and deleted.html == "" and deleted.author_name == ""
    assert [child.id for child in deleted.children] == [reply.pk]
    assert deleted.children[0].status == "visible"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "This comment was deleted." in page
    assert "I regret this" not in page
    assert "Nested reply stays" in page
    api_root = next(item for item in client.get(api_url(proposal)).json()["results"] if item["id"] == root.pk)
    assert api_root["status"] == "deleted" and api_root["author"] is None
    assert api_root["children"][0]["html"].startswith("<p>Nested reply stays")


def test_someone_else_cannot_delete_or_edit_a_comment(client, proposal, commenter, citizen):
    comment = comment_services.comment_post(author=commenter, target=proposal, text="mine")
    client.force_login(citizen)
    assert client.post(reverse("discussion:delete", kwargs={"comment_id": comment.pk})).status_code == 403
    edit = reverse("discussion:edit", kwargs={"comment_id": comment.pk})
    assert client.post(edit, {"text": "hijacked"}).status_code == 403
    assert XtdComment.objects.get().comment == "mine"


def test_author_edits_within_the_window_but_not_after(client, settings, proposal, commenter):
    comment = comment_services.comment_post(author=commenter, target=proposal, text="typo")
    client.force_login(commenter)
    edit = reverse("discussion:edit", kwargs={"comment_id": comment.pk})
    assert client.post(edit, {"text": "fixed"}).status_code == 302
    assert XtdComment.objects.get().comment == "fixed"
    assert CommentState.objects.get().edited_at is not None
    XtdComment.objects.filter(pk=comment.pk).update(submit_date=timezone.now() - timedelta(hours=1))
    assert client.post(edit, {"text": "too late"}).status_code == 403


def test_likes_and_dislikes_are_counted_and_sort_most_liked_first(client, proposal, commenter, citizen):
    first = comment_services.comment_post(author=commenter, target=proposal, text="first")
    second = comment_services.comment_post(author=commenter, target=proposal, text="second")
    react = reverse("discussion:react", kwargs={"comment_id": second.pk})
    client.force_login(citizen)
    assert client.post(react, {"reaction": "dislike"}).status_code == 302
    assert client.post(react, {"reaction": "like"}).status_code == 302  # replaces the dislike
    liked = comment_selectors.comment_thread(target=proposal, user=citizen, ordering="liked")
    assert [node.id for node in liked] == [second.pk, first.pk]
    assert (liked[0].likes, liked[0].dislikes, liked[0].my_reaction) == (1, 0, "like")
    assert [node.id for node in comment_selectors.comment_thread(target=proposal, user=None, ordering="newest")] == [
        second.pk,
        first.pk,
    ]


def test_author_cannot_like_own_comment(client, proposal, commenter):
    comment = comment_services.comment_post(author=commenter, target=proposal, text="me")
    client.force_login(commenter)
    react = reverse("discussion:react", kwargs={"comment_id": comment.pk})
    assert client.post(react, {"reaction": "like"}).status_code == 403


# --- notifications ---------------------------------------------------------------------------


def test_new_comment_notifies_the_authors_in_app_and_by_email_with_unsubscribe(
    django_capture_on_commit_callbacks, proposal, citizen, commenter
):
    coauthor = ProposalCoAuthorFactory(proposal=proposal).user
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_post(author=commenter, target=proposal, text="Nice idea")
    notified = set(Notification.objects.filter(kind="comment_posted").values_list("recipient", flat=True))
    assert notified == {citizen.pk, coauthor.pk}
    assert sorted(message.to[0] for message in mail.outbox) == sorted([citizen.email, coauthor.email])
    message = next(message for message in mail.outbox if message.to == [citizen.email])
    assert "Cai Commenter commented on “Plant willows”." in message.body
    assert "cai.secret@example.org" not in message.body
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_reply_notifies_the_parent_author_and_followers(django_capture_on_commit_callbacks, proposal, commenter):
    follower = UserFactory()
    root = comment_services.comment_post(author=commenter, target=proposal, text="root")
    comment_services.comment_post(author=follower, target=proposal, text="following", followup=True)
    replier = UserFactory()
    comment_services.comment_post(author=replier, target=proposal, text="reply", parent_id=root.pk, followup=False)
    assert Notification.objects.filter(recipient=commenter, kind="comment_reply").count() == 1
    assert Notification.objects.filter(recipient=follower, kind="comment_posted").count() == 1
    assert not Notification.objects.filter(recipient=replier).exists()


def test_an_old_comment_email_unsubscribe_link_still_turns_off_comment_emails_in_one_click(
    client, django_capture_on_commit_callbacks, proposal, citizen, commenter
):
    # Comment emails of earlier versions carried a token signed with their own salt, at this address.
    legacy_token = signing.dumps({"user": citizen.pk}, salt="proposals.comments.unsubscribe")
    url = f"/comments/unsubscribe/{legacy_token}/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_post(author=commenter, target=proposal, text="Nice idea")
    assert Notification.objects.filter(recipient=citizen).count() == 1  # in-app kept
    assert mail.outbox == []
    assert client.get(url[:-3] + "xx/").status_code == 404  # tampered token


# --- moderation ------------------------------------------------------------------------------


def test_report_and_hide_through_the_shared_queue(client, agency, agency_manager, proposal, commenter, citizen):
    comment = comment_services.comment_post(author=commenter, target=proposal, text="Buy pills")
    client.force_login(citizen)
    report_page = reverse("discussion:report", kwargs={"comment_id": comment.pk})
    assert client.post(report_page, {"reason": "spam"}).status_code == 302
    report = ModerationReport.objects.get()
    assert report.contest == proposal.contest
    client.force_login(agency_manager)
    queue = client.get(reverse("moderation:queue", kwargs={"slug": agency.slug}))
    assert "Buy pills" in queue.content.decode()
    hide = reverse("moderation:report_hide", kwargs={"slug": agency.slug, "report_id": report.pk})
    assert client.post(hide, {"reason": "Advertising"}).status_code == 302
    (node,) = comment_selectors.comment_thread(target=proposal, user=None)
    assert node.status == "hidden" and node.hidden_reason == "Advertising" and node.html == ""
    assert Notification.objects.filter(recipient=commenter, kind="comment_hidden").exists()
    restore = reverse("discussion:restore", kwargs={"comment_id": comment.pk})
    assert client.post(restore).status_code == 302
    assert comment_selectors.comment_thread(target=proposal, user=None)[0].status == "visible"


def test_manager_of_another_agency_cannot_moderate(client, other_agency, proposal, commenter):
    outsider = MembershipFactory(agency=other_agency, role="manager").user
    comment = comment_services.comment_post(author=commenter, target=proposal, text="fine")
    client.force_login(outsider)
    hide = reverse("discussion:hide", kwargs={"comment_id": comment.pk})
    assert client.post(hide, {"reason": "I dislike it"}).status_code == 403
    report = report_create(reporter=UserFactory(), target=comment, reason="meh")
    queue_hide = reverse("moderation:report_hide", kwargs={"slug": other_agency.slug, "report_id": report.pk})
    assert client.post(queue_hide, {"reason": "no"}).status_code == 404
    assert comment_selectors.comment_thread(target=proposal, user=None)[0].status == "visible"


def test_blocklisted_comment_is_held_for_review_not_published(client, agency, agency_manager, proposal, commenter):
    CommentBlocklist.objects.create(agency=agency, terms="casino\nspam.example")
    comment = comment_services.comment_post(author=commenter, target=proposal, text="Visit https://spam.example now")
    assert not XtdComment.objects.get().is_public
    assert comment_selectors.comment_thread(target=proposal, user=None) == []
    own = comment_selectors.comment_thread(target=proposal, user=commenter)
    assert own[0].status == "held"
    assert comment_selectors.comment_count(target=proposal) == 0
    client.force_login(agency_manager)
    queue = client.get(reverse("moderation:queue", kwargs={"slug": agency.slug})).content.decode()
    assert "Comments waiting for review" in queue and "spam.example" in queue
    client.post(reverse("discussion:restore", kwargs={"comment_id": comment.pk}))
    assert comment_selectors.comment_count(target=proposal) == 1


def test_report_hide_service_hides_a_comment(agency_manager, proposal, commenter):
    comment = comment_services.comment_post(author=commenter, target=proposal, text="rude")
    report = report_create(reporter=UserFactory(), target=comment, reason="rude")
    report_hide_content(report=report, moderator=agency_manager, reason="Insults")
    assert CommentState.objects.get(comment=comment).hidden_reason == "Insults"


# --- API, counts, contest discussion, queries ------------------------------------------------


def test_api_posts_a_reply_and_reads_the_thread(client, proposal, commenter, citizen):
    root = comment_services.comment_post(author=citizen, target=proposal, text="root")
    client.force_login(commenter)
    response = client.post(
        api_url(proposal), {"text": "**api** reply", "parent": root.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["html"] == "<p><strong>api</strong> reply</p>"
    assert response.json()["author"] == {"id": commenter.pk, "display_name": "Cai Commenter"}
    thread = client.get(api_url(proposal)).json()
    assert thread["count"] == 2
    assert thread["results"][0]["children"][0]["parent"] == root.pk
    assert client.post(api_url(proposal), {"text": ""}, content_type="application/json").status_code == 400


def test_comments_endpoint_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/v1/proposals/{id}/comments/" in schema


def test_count_endpoint_and_list_page_show_comment_counts(client, proposal, commenter):
    comment_services.comment_post(author=commenter, target=proposal, text="one")
    comment_services.comment_post(author=commenter, target=proposal, text="two")
    count = client.get(reverse("discussion:count", kwargs={"segment": "proposals", "key": proposal.pk}))
    assert count.json() == {"count": 2}
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "data-comment-count" in page and ">2</span>" in page


def test_contest_has_its_own_discussion(client, contest, commenter):
    client.force_login(commenter)
    url = reverse("discussion:post", kwargs={"segment": "contests", "key": contest.slug})
    assert client.post(url, {"text": "General question"}).status_code == 302
    page = client.get(contest.get_absolute_url()).content.decode()
    assert "General question" in page


def _many_comments(proposal, count):
    users = [UserFactory() for _ in range(5)]
    for index in range(count):
        comment_services.comment_post(author=users[index % 5], target=proposal, text=f"Comment {index}")


@pytest.mark.parametrize("count", [5, 500])
def test_proposal_page_queries_do_not_grow_with_comments(
    client, settings, django_assert_max_num_queries, proposal, commenter, count
):
    settings.COMMENTS_RATE_LIMIT_USER = "0/60"
    _many_comments(proposal, count)
    client.force_login(commenter)
    with django_assert_max_num_queries(14):  # 13 measured (vote widget, follow button); same bound at 5 and 500
        response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="comment comment-level-0') == count


def test_proposal_list_shows_comment_counts_in_constant_queries(
    client, settings, django_assert_max_num_queries, contest, citizen, commenter
):
    settings.COMMENTS_RATE_LIMIT_USER = "0/60"
    proposals = [ProposalFactory(contest=contest, author=citizen) for _ in range(6)]
    for index, proposal in enumerate(proposals):
        for _ in range(index):
            comment_services.comment_post(author=commenter, target=proposal, text="hi")
    with django_assert_max_num_queries(15):
        page = client.get(reverse("proposals:list", kwargs={"contest_slug": contest.slug})).content.decode()
    assert "5 comments" in page and "1 comment<" in page and "0 comments" in page


def test_following_a_discussion_without_commenting_brings_notifications(client, proposal, commenter):
    follower = UserFactory()
    client.force_login(follower)
    follow = reverse("discussion:follow", kwargs={"segment": "proposals", "key": proposal.pk})
    assert client.post(follow, {"follow": "1"}).status_code == 302
    assert "Stop following this discussion" in client.get(proposal.get_absolute_url()).content.decode()
    comment_services.comment_post(author=commenter, target=proposal, text="news")
    assert Notification.objects.filter(recipient=follower, kind="comment_posted").count() == 1
    assert client.post(follow, {"follow": "0"}).status_code == 302
    comment_services.comment_post(author=commenter, target=proposal, text="more news")
    assert Notification.objects.filter(recipient=follower).count() == 1


def test_unverified_user_cannot_follow(client, proposal, unverified_user):
    client.force_login(unverified_user)
    follow = reverse("discussion:follow", kwargs={"segment": "proposals", "key": proposal.pk})
    assert client.post(follow, {"follow": "1"}).status_code == 403


def test_reply_to_a_comment_of_another_discussion_is_refused(contest, citizen, commenter):
    here = ProposalFactory(contest=contest, author=citizen)
    elsewhere = ProposalFactory(contest=contest, author=citizen)
    other = comment_services.comment_post(author=citizen, target=elsewhere, text="elsewhere")
    with pytest.raises(ValidationError):
        comment_services.comment_post(author=commenter, target=here, text="sneaky", parent_id=other.pk)


def test_reply_to_a_deleted_comment_is_refused(proposal, citizen, commenter):
    root = comment_services.comment_post(author=citizen, target=proposal, text="gone soon")
    comment_services.comment_delete(comment=root, user=citizen)
    with pytest.raises(ValidationError):
        comment_services.comment_post(author=commenter, target=proposal, text="too late", parent_id=root.pk)


@pytest.mark.parametrize(
    ("phase", "allowed"),
    [("upcoming", True), ("submission", True), ("voting", True), ("results", False)],
)
def test_who_may_comment_in_each_phase(agency, citizen, unverified_user, agency_manager, phase, allowed):
    contest = ContestFactory(agency=agency, **({} if phase == "submission" else {phase: True}))
    proposal = ProposalFactory(contest=contest, author=citizen)
    assert citizen.has_perm("discussion.add_comment", proposal) is allowed
    assert citizen.has_perm("discussion.add_comment", contest) is allowed
    assert agency_manager.has_perm("discussion.add_comment", proposal) is allowed
    assert unverified_user.has_perm("discussion.add_comment", proposal) is False
    assert AnonymousUser().has_perm("discussion.add_comment", proposal) is False


def test_comments_stay_open_until_the_configured_contest_date(settings, agency, citizen):
    settings.COMMENTS_OPEN_UNTIL = "closes_at"
    contest = ContestFactory(agency=agency, results=True, closes_at=timezone.now() + timedelta(days=1))
    proposal = ProposalFactory(contest=contest, author=citizen)
    assert citizen.has_perm("discussion.add_comment", proposal)


def test_no_comments_on_drafts(contest, citizen):
    draft = ProposalFactory(contest=contest, author=citizen, status="draft", submitted_at=None)
    assert not citizen.has_perm("discussion.add_comment", draft)
