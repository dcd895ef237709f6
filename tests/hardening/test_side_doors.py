"""Every endpoint that takes an object id answers 404 for what the user may not see, so it confirms
nothing: not a title, not a slug, not a redirect, not that the thing exists.

States: a draft proposal, a withdrawn one, one hidden by moderators, one in an unpublished contest,
and someone else's unpublished comment (held for review). The viewer is a verified citizen who is
neither author nor staff (and, for the pages anyone may read, an anonymous visitor).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment

from discussion.models import CommentState
from discussion.services import comment_post
from proposals.models import Proposal
from tests.factories import ContestFactory, ProposalFactory, UserFactory

STATES = ["draft", "withdrawn", "hidden", "unpublished_contest", "held_comment"]


def _make(state: str):
    contest = ContestFactory(draft=state == "unpublished_contest", slug=f"c-{state.replace('_', '-')}")
    proposal = ProposalFactory(contest=contest, title=f"Secret title {state}")
    commenter = UserFactory()
    comment = comment_post(author=commenter, target=proposal, text=f"Secret comment {state}", followup=False)
    if state == "draft":
        Proposal.objects.filter(pk=proposal.pk).update(status="draft", submitted_at=None)
    elif state == "withdrawn":
        Proposal.objects.filter(pk=proposal.pk).update(status="withdrawn")
    elif state == "hidden":
        Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True, hidden_reason="spam")
    elif state == "held_comment":
        XtdComment.objects.filter(pk=comment.pk).update(is_public=False)
        CommentState.objects.filter(comment=comment).update(is_held=True, held_reason="word")
    proposal.refresh_from_db()
    return contest, proposal, comment


def _proposal_endpoints(contest, proposal):
    base = f"/contests/{contest.slug}/proposals/{proposal.pk}/"
    ct = ContentType.objects.get_for_model(Proposal).pk
    return [
        ("get", base, {}),
        ("get", f"{base}edit/", {}),
        ("post", f"{base}withdraw/", {}),
        ("post", f"{base}coauthors/invite/", {"email": "someone@example.org"}),
        ("get", f"{base}report/", {}),
        ("post", f"{base}report/", {"reason": "spam"}),
        ("get", f"{base}response/", {}),
        ("get", f"{base}merge/", {}),
        ("post", f"/proposals/{proposal.pk}/vote/", {"value": "1"}),
        ("post", f"/proposals/{proposal.pk}/vote/withdraw/", {}),
        ("post", f"/follow/proposals/{proposal.pk}/", {"follow": "0"}),
        ("post", f"/follow/proposals/{proposal.pk}/", {"follow": "1"}),
        ("get", f"/comments/cr/{ct}/{proposal.pk}/", {}),
        ("post", f"/comments/proposals/{proposal.pk}/", {"text": "Hello"}),
        ("post", f"/comments/proposals/{proposal.pk}/follow/", {"follow": "1"}),
        ("get", f"/comments/proposals/{proposal.pk}/count/", {}),
        ("get", f"/api/v1/proposals/{proposal.pk}/", {}),
        ("get", f"/api/v1/proposals/{proposal.pk}/comments/", {}),
        ("post", f"/api/v1/proposals/{proposal.pk}/comments/", {"text": "Hello"}),
        ("post", f"/api/v1/proposals/{proposal.pk}/vote/", {"value": 1}),
    ]


def _comment_endpoints(comment):
    return [
        ("get", f"/comments/{comment.pk}/", {}),
        ("get", f"/comments/{comment.pk}/edit/", {}),
        ("get", f"/comments/{comment.pk}/report/", {}),
        ("post", f"/comments/{comment.pk}/report/", {"reason": "spam"}),
        ("post", f"/comments/{comment.pk}/react/", {"reaction": "like"}),
        ("post", f"/comments/{comment.pk}/delete/", {}),
    ]


def _contest_endpoints(contest):
    slug = contest.slug
    return [
        ("get", f"/contests/{slug}/", {}),
        ("get", f"/contests/{slug}/proposals/", {}),
        ("get", f"/contests/{slug}/proposals/new/", {}),
        ("get", f"/contests/{slug}/proposals/similar/?title=park", {}),
        ("get", f"/contests/{slug}/leaderboard/", {}),
        ("get", f"/contests/{slug}/compare/", {}),
        ("get", f"/contests/{slug}/results/", {}),
        ("get", f"/leaderboards/contributors/{slug}/", {}),
        ("post", f"/follow/contests/{slug}/", {"follow": "0"}),
        ("post", f"/follow/contests/{slug}/", {"follow": "1"}),
        ("post", f"/comments/contests/{slug}/", {"text": "Hello"}),
        ("get", f"/api/v1/contests/{slug}/", {}),
        ("get", f"/api/v1/contests/{slug}/proposals/", {}),
        ("get", f"/api/v1/contests/{slug}/comments/", {}),
        ("get", f"/api/v1/contests/{slug}/leaderboard/", {}),
        ("get", f"/api/v1/contests/{slug}/results/", {}),
    ]


def _cases():
    for state in STATES:
        if state == "held_comment":
            yield state, "comment"
        else:
            yield state, "proposal"
            yield state, "comment"
        if state == "unpublished_contest":
            yield state, "contest"


def _detail(contest, proposal) -> str:
    return f"/contests/{contest.slug}/proposals/{proposal.pk}/"


def _acceptable(response, signed_in: bool, *, hidden_notice: bool) -> bool:
    """Besides 404: the sign-in redirect or 401 for anonymous visitors (nothing looked up yet), and the
    moderators' notice that replaces a hidden proposal's page (reason only: no title, no content)."""
    if hidden_notice and response.status_code == 200:
        return "hidden" in response.content.decode()
    if not signed_in and response.status_code in (401, 403):
        return True
    return not signed_in and response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("signed_in", [True, False], ids=["citizen", "anonymous"])
@pytest.mark.parametrize(("state", "kind"), list(_cases()))
def test_hidden_things_are_404_on_every_endpoint_that_takes_their_id(client, db, state, kind, signed_in):
    contest, proposal, comment = _make(state)
    if signed_in:
        client.force_login(UserFactory())
    endpoints = {
        "proposal": lambda: _proposal_endpoints(contest, proposal),
        "comment": lambda: _comment_endpoints(comment),
        "contest": lambda: _contest_endpoints(contest),
    }[kind]()
    wrong = []
    for method, url, data in endpoints:
        if method == "post" and not signed_in and not url.startswith("/api/"):
            continue  # anonymous form posts go to the sign-in page before anything is looked up
        if method == "post" and url.startswith("/api/"):
            response = client.post(url, data, content_type="application/json")
        else:
            response = getattr(client, method)(url, data)
        body = response.content.decode(errors="replace")
        if f"Secret title {state}" in body or f"Secret comment {state}" in body:
            wrong.append(f"{method.upper()} {url} -> {response.status_code} shows the secret")
        elif _acceptable(response, signed_in, hidden_notice=state == "hidden" and url == _detail(contest, proposal)):
            continue
        if response.status_code != 404:
            wrong.append(f"{method.upper()} {url} -> {response.status_code}")
    assert not wrong, "\n".join(wrong)
