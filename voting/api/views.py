"""Voting API: ballots, pairwise pairs and the leaderboard (contract in DESIGN.md)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import raise_drf_validation_error
from voting import leaderboard, selectors, services
from voting.api.serializers import (
    LeaderboardSerializer,
    PairJudgementSerializer,
    PairSerializer,
    VoteRequestSerializer,
    VoteResponseSerializer,
)
from voting.challenge import vote_challenge_error, vote_challenge_new
from voting.quarantine import ballot_cast_on_commit


def _conflict(error: services.VoteConflict) -> Response:
    return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)


class VotingAPIView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    throttle_scope = "vote"

    def call_service(self, service, **kwargs):
        """Run a voting service, turning its refusals into 403 / 400 / 409 with the service's message."""
        try:
            return service(**kwargs)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except DjangoValidationError as error:
            raise_drf_validation_error(error)


class ProposalVoteView(VotingAPIView):
    """Cast, change (POST) or withdraw (DELETE) your ballot on a proposal while voting is open."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VoteRequestSerializer, responses={200: VoteResponseSerializer, 201: VoteResponseSerializer})
    def post(self, request, pk):
        serializer = VoteRequestSerializer(data=request.data)
        error = vote_challenge_error(
            request,
            challenge=request.headers.get("X-PoW-Challenge", ""),
            solution=request.headers.get("X-PoW-Solution", ""),
        )
        if error:
            # 428: solve the challenge (docs/integrity.md) and send it again in X-PoW-Challenge / X-PoW-Solution.
            return Response({"detail": error, **vote_challenge_new()}, status=status.HTTP_428_PRECONDITION_REQUIRED)
        value = serializer.validated_data["value"] if serializer.is_valid() else None
        # A new ballot on cached facts first; anything else (404, refusals, changes) takes the full path.
        token_key = request.auth.key if isinstance(request.auth, Token) else None
        vote = (
            None
            if value is None
            else self.call_service(
                services.vote_cast_fast, voter=request.user, proposal_id=pk, value=value, token_key=token_key
            )
        )
        if vote is None:
            proposal = selectors.proposal_for_vote(pk=pk, user=request.user)
            serializer.is_valid(raise_exception=True)
            try:
                vote = self.call_service(
                    services.vote_cast, voter=request.user, proposal=proposal, value=serializer.validated_data["value"]
                )
            except services.VoteConflict as error:
                return _conflict(error)
        ballot_cast_on_commit(vote=vote, request=request)
        body = {
            "proposal_id": vote.proposal_id,
            "value": vote.value,
            "remaining_supports": selectors.approval_remaining(voter=request.user, contest=vote.contest),
        }
        # Created or changed is decided inside the service, under the ballot's row lock: a check
        # made here beforehand would be wrong when the same citizen's requests race.
        return Response(body, status=status.HTTP_201_CREATED if vote.created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        proposal = selectors.proposal_for_vote(pk=pk, user=request.user, include_own_ballots=True)
        try:
            self.call_service(services.vote_withdraw, voter=request.user, proposal=proposal)
        except services.VoteConflict as error:
            return _conflict(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContestPairView(VotingAPIView):
    """Pairwise contests: GET hands out your next pair; POST judges that pair (or skips it)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: PairSerializer})
    def get(self, request, slug):
        contest = selectors.contest_for_viewer(slug=slug, user=request.user)
        pair = self.call_service(services.pair_offer, voter=request.user, contest=contest)
        if pair is None:
            return Response({"pair": None, "detail": selectors.NO_PAIR_LEFT_MESSAGE})
        return Response({"pair": [selectors.pair_proposal_data(proposal) for proposal in pair]})

    @extend_schema(request=PairJudgementSerializer, responses={201: None})
    def post(self, request, slug):
        contest = selectors.contest_for_viewer(slug=slug, user=request.user)
        serializer = PairJudgementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            self.call_service(
                services.pair_judge,
                voter=request.user,
                contest=contest,
                winner_id=serializer.validated_data["winner"],
                loser_id=serializer.validated_data["loser"],
                skip=serializer.validated_data["skip"],
            )
        except services.VoteConflict as error:
            return _conflict(error)
        return Response(status=status.HTTP_201_CREATED)


class ContestLeaderboardView(APIView):
    """The contest's current ranking, the same JSON the live websocket sends."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: LeaderboardSerializer})
    def get(self, request, slug):
        contest = selectors.contest_for_viewer(slug=slug, user=request.user)
        return Response(leaderboard.leaderboard_snapshot_cached(contest=contest))
