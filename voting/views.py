"""Voting pages: ballot forms that work without JavaScript, the pairwise page and the live leaderboard.

The forms post here and come back to the page they were sent from (a local `next`
only) with the service's message; static/js/voting.js sends the same forms to the
JSON API instead when JavaScript runs. Every rule is checked by the services.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from common.ratelimit import write_rate_limited
from common.urls_safety import safe_next_url
from contests.models import Contest
from live.boards import board_status_labels
from voting import leaderboard, selectors, services
from voting.challenge import vote_challenge_error, vote_challenge_new
from voting.quarantine import ballot_cast_on_commit
from voting.rules import pairwise_refusal


def _service_error(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    elif isinstance(error, services.VoteConflict):
        messages.info(request, error.message)
    else:
        messages.error(request, str(error) or _("You cannot vote on this proposal."))


def _cast_message(proposal, value: int, remaining: int | None) -> str:
    method = proposal.contest.voting_method
    if method == Contest.VotingMethod.APPROVAL:
        return ngettext(
            "Your support was recorded. You have %(count)s support left.",
            "Your support was recorded. You have %(count)s supports left.",
            remaining or 0,
        ) % {"count": remaining or 0}
    if method == Contest.VotingMethod.STARS:
        return ngettext(
            "Your rating of %(count)s star was recorded.", "Your rating of %(count)s stars was recorded.", value
        ) % {"count": value}
    return _("Your vote up was recorded.") if value > 0 else _("Your vote down was recorded.")


def _vote_challenge_page(request, proposal, back):
    """The "checking you are not a robot" page when this ballot needs a proof of work; None when it does not."""
    error = vote_challenge_error(
        request, challenge=request.POST.get("pow_challenge", ""), solution=request.POST.get("pow_solution", "")
    )
    if error is None:
        return None
    context = {"proposal": proposal, "value": request.POST.get("value", "")[:3], "next": back, **vote_challenge_new()}
    return render(request, "voting/vote_challenge.html", context, status=429)


class ProposalBallotView(View):
    """Base of the ballot form views: sign-in first, throttle, find the proposal, come back with a message."""

    include_own_ballots = False
    challenged = False  # casting past the rate threshold needs a proof of work (voting.challenge)

    def post(self, request, pk):
        proposal = selectors.proposal_for_vote(pk=pk, user=request.user, include_own_ballots=self.include_own_ballots)
        back = safe_next_url(request, proposal.get_absolute_url())
        if not request.user.is_authenticated:
            return redirect_to_login(back)
        if write_rate_limited(request, "vote"):
            messages.error(request, _("You are voting too fast. Wait a moment and try again."))
            return redirect(back)
        if self.challenged:
            challenged = _vote_challenge_page(request, proposal, back)
            if challenged is not None:
                return challenged
        try:
            message = self.act(request, proposal)
        except (PermissionDenied, ValidationError, services.VoteConflict) as error:
            _service_error(request, error)
        else:
            messages.success(request, message)
        return redirect(back)

    def act(self, request, proposal) -> str:
        raise NotImplementedError


class ProposalVoteView(ProposalBallotView):
    challenged = True

    def act(self, request, proposal) -> str:
        vote = services.vote_cast(voter=request.user, proposal=proposal, value=request.POST.get("value", ""))
        ballot_cast_on_commit(vote=vote, request=request)
        remaining = selectors.approval_remaining(voter=request.user, contest=proposal.contest)
        return _cast_message(proposal, vote.value, remaining)


class ProposalVoteWithdrawView(ProposalBallotView):
    include_own_ballots = True  # a support on a proposal hidden since can still be taken back

    def act(self, request, proposal) -> str:
        services.vote_withdraw(voter=request.user, proposal=proposal)
        if proposal.contest.voting_method == Contest.VotingMethod.APPROVAL:
            return _("Your support was withdrawn.")
        if proposal.contest.voting_method == Contest.VotingMethod.STARS:
            return _("Your rating was removed.")
        return _("Your vote was withdrawn.")


class ContestCompareView(View):
    """Pairwise contests: the pair offered to the citizen, side by side; a choice or a skip, then the next pair."""

    template_name = "voting/contest_compare.html"

    def _refused(self, request, contest):
        refusal = pairwise_refusal(request.user, contest)
        if refusal is None:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(request, self.template_name, {"contest": contest, "refusal": refusal}, status=403)

    def get(self, request, slug):
        contest = selectors.contest_for_viewer(slug=slug, user=request.user)
        refused = self._refused(request, contest)
        if refused:
            return refused
        pair = services.pair_offer(voter=request.user, contest=contest)
        context = {
            "contest": contest,
            "pair": pair,
            "no_pair_message": selectors.NO_PAIR_LEFT_MESSAGE if pair is None else "",
        }
        return render(request, self.template_name, context)

    def post(self, request, slug):
        contest = selectors.contest_for_viewer(slug=slug, user=request.user)
        refused = self._refused(request, contest)
        if refused:
            return refused
        back = reverse("voting:compare", kwargs={"slug": contest.slug})
        if write_rate_limited(request, "vote"):
            messages.error(request, _("You are voting too fast. Wait a moment and try again."))
            return redirect(back)
        first, second, choice = (request.POST.get(name, "") for name in ("first", "second", "choice"))
        skip = choice == "skip"
        winner, loser = (first, second) if skip or choice == first else (second, first)
        if not skip and choice not in (first, second):
            messages.error(request, _("Choose one of the two proposals, or skip the pair."))
            return redirect(back)
        try:
            services.pair_judge(voter=request.user, contest=contest, winner_id=winner, loser_id=loser, skip=skip)
        except (PermissionDenied, ValidationError, services.VoteConflict) as error:
            _service_error(request, error)
        else:
            messages.success(request, _("You skipped that pair.") if skip else _("Your choice was recorded."))
        return redirect(back)


def _movement_labels() -> dict:
    """Words for the movement column, for leaderboard.js (it cannot translate)."""
    return {
        "up_one": _("up 1 place"),
        "up_many": _("up %(count)s places"),
        "down_one": _("down 1 place"),
        "down_many": _("down %(count)s places"),
        "new": _("new"),
        "new_entry": _("new in the ranking"),
        "same": _("no change"),
        **board_status_labels(),
    }


class ContestLeaderboardView(View):
    """The contest's ranking, server-rendered from the cached snapshot; leaderboard.js keeps it live."""

    template_name = "voting/contest_leaderboard.html"

    def get(self, request, slug):
        contest = selectors.contest_for_viewer(slug=slug, user=request.user)
        snapshot = leaderboard.leaderboard_snapshot_cached(contest=contest)
        context = {
            "contest": contest,
            "snapshot": snapshot,
            "updated_at": parse_datetime(snapshot["updated_at"]),
            "labels": _movement_labels(),
            "websocket_path": f"/ws/contests/{contest.slug}/leaderboard/",
            "api_url": reverse("api:contest_leaderboard", kwargs={"slug": contest.slug}),
            "voting_state": selectors.contest_voting_state(contest),
        }
        return render(request, self.template_name, context)
