"""Rewards API: list and redeem (citizens), list rewards and hand redemptions over (agency staff)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from engagement import rewards
from engagement.api.serializers import BalanceSerializer, RedemptionSerializer, RewardSerializer
from engagement.models import Redemption, Reward
from engagement.selectors import points_total


class RewardListView(generics.ListAPIView):
    """Rewards on offer, cheapest first."""

    serializer_class = RewardSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return Reward.objects.filter(is_active=True).select_related("agency")


class AgencyRewardsView(APIView):
    @extend_schema(request=RewardSerializer, responses={201: RewardSerializer})
    def post(self, request, slug):
        """List a reward of the agency (its admins and managers)."""
        agency = get_object_or_404(Agency, slug=slug)
        if not request.user.has_perm("engagement.manage_rewards", agency):
            raise PermissionDenied
        serializer = RewardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reward = rewards.reward_create(agency=agency, **serializer.validated_data)
        return Response(RewardSerializer(reward).data, status=status.HTTP_201_CREATED)


class RedeemView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: RedemptionSerializer})
    def post(self, request, pk):
        """Spend the reward's price from your points; 409 without enough points or stock."""
        if not request.user.has_perm("engagement.redeem_reward"):
            raise PermissionDenied
        get_object_or_404(Reward, pk=pk, is_active=True)
        try:
            redemption = rewards.reward_redeem(user=request.user, reward_id=pk)
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(RedemptionSerializer(redemption).data, status=status.HTTP_201_CREATED)


class MyRedemptionsView(generics.ListAPIView):
    serializer_class = RedemptionSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Redemption.objects.filter(user=self.request.user).select_related("reward")


class BalanceView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=BalanceSerializer)
    def get(self, request):
        """Your points: everything earned minus everything spent."""
        return Response({"points": points_total(user=request.user)})


class HandOverView(APIView):
    @extend_schema(request=None, responses=RedemptionSerializer)
    def post(self, request, pk):
        """Mark a redemption handed over (the reward agency's admins and managers)."""
        redemption = get_object_or_404(Redemption.objects.select_related("reward__agency"), pk=pk)
        if not request.user.has_perm("engagement.manage_rewards", redemption.reward.agency):
            raise NotFound
        if not rewards.redemption_hand_over(redemption=redemption, by=request.user):
            return Response({"detail": "Already handed over."}, status=status.HTTP_409_CONFLICT)
        redemption.refresh_from_db()
        return Response(RedemptionSerializer(redemption).data)
