"""Reward pages: citizens spend points; agency staff list rewards and hand redemptions over."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agencies.models import Agency
from common.ratelimit import WriteRateLimitMixin
from engagement import rewards
from engagement.models import Redemption, Reward
from engagement.selectors import points_total


class RewardForm(forms.ModelForm):
    class Meta:
        model = Reward
        fields = ["name", "description", "points_price", "stock"]
        labels = {"points_price": gettext_lazy("Price in points"), "stock": gettext_lazy("Stock")}


class RewardListView(View):
    def get(self, request):
        context = {
            "rewards": Reward.objects.filter(is_active=True).select_related("agency"),
            "balance": points_total(user=request.user) if request.user.is_authenticated else None,
            "redemptions": Redemption.objects.filter(user=request.user).select_related("reward")
            if request.user.is_authenticated
            else [],
        }
        return render(request, "engagement/rewards.html", context)


class RedeemView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, pk):
        if not request.user.has_perm("engagement.redeem_reward"):
            messages.error(request, _("Only signed-in citizens with a verified email address can redeem rewards."))
            return redirect("engagement:rewards")
        try:
            redemption = rewards.reward_redeem(user=request.user, reward_id=pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("You redeemed “%(name)s”. The agency hands it over; keep this number: %(number)s.")
                % {"name": redemption.reward.name, "number": redemption.pk},
            )
        return redirect("engagement:rewards")


def _agency_for_staff(request, slug) -> Agency:
    agency = get_object_or_404(Agency, slug=slug)
    if not request.user.has_perm("engagement.manage_rewards", agency):
        raise PermissionDenied
    return agency


class AgencyRewardsView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def _render(self, request, agency, form, status=200):
        waiting = Redemption.objects.filter(reward__agency=agency, status=Redemption.Status.WAITING)
        context = {
            "agency": agency,
            "form": form,
            "rewards": Reward.objects.filter(agency=agency),
            "waiting": waiting.select_related("reward", "user").order_by("created_at"),
        }
        return render(request, "engagement/agency_rewards.html", context, status=status)

    def get(self, request, slug):
        return self._render(request, _agency_for_staff(request, slug), RewardForm())

    def post(self, request, slug):
        agency = _agency_for_staff(request, slug)
        form = RewardForm(request.POST)
        if not form.is_valid():
            return self._render(request, agency, form, status=400)
        rewards.reward_create(agency=agency, **form.cleaned_data)
        messages.success(request, _("The reward is listed."))
        return redirect("engagement:agency_rewards", slug=agency.slug)


class HandOverView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, pk):
        redemption = get_object_or_404(Redemption.objects.select_related("reward__agency"), pk=pk)
        if not request.user.has_perm("engagement.manage_rewards", redemption.reward.agency):
            raise PermissionDenied
        if rewards.redemption_hand_over(redemption=redemption, by=request.user):
            messages.success(request, _("Marked as handed over."))
        return redirect("engagement:agency_rewards", slug=redemption.reward.agency.slug)
