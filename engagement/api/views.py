"""Contributor leaderboards API: the same JSON the websocket pushes."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.selectors import contest_for_viewer
from engagement import selectors
from engagement.api.serializers import ContributorBoardQuerySerializer, ContributorBoardSerializer


class ContributorLeaderboardView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("contest", str, description="Contest slug; omit for the site-wide board."),
            OpenApiParameter("period", str, enum=list(selectors.PERIODS), description="week, month or all."),
        ],
        responses=ContributorBoardSerializer,
    )
    def get(self, request):
        """Top contributors of the site or of one contest (users who opted out are left out)."""
        query = ContributorBoardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slug = query.validated_data.get("contest")
        contest = contest_for_viewer(slug=slug, user=request.user) if slug else None
        snapshot = selectors.contributor_snapshot_cached(contest=contest, period=query.validated_data["period"])
        return Response(snapshot)
