"""Citizen pages of micro-tasks: the live task board, a campaign (claim, proof, items), my tasks."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from common.ratelimit import WriteRateLimitMixin
from live.boards import board_status_labels
from microtasks import claims, datatasks, selectors, services
from microtasks.forms import ProofForm
from microtasks.live import task_board_snapshot_cached
from microtasks.models import Campaign, Claim
from microtasks.rules import Refusal, claim_refusal


class TaskBoardView(TemplateView):
    """Open campaigns with the slots left, kept live by the task board's websocket."""

    template_name = "microtasks/task_board.html"

    def get_context_data(self, **kwargs):
        labels = board_status_labels() | {"slots_left": _("slots left"), "points": _("points"), "ends": _("ends")}
        return super().get_context_data(snapshot=task_board_snapshot_cached(), status_labels=labels, **kwargs)


def _campaign_page(request, campaign: Campaign, *, form=None, status=200):
    now = timezone.now()
    claim = selectors.active_claim_of(user=request.user, campaign=campaign, now=now)
    context = {
        "campaign": campaign,
        "slots_left": selectors.campaign_free_slots(campaign, now),
        "claim": claim,
        "refusal": claim_refusal(request.user, campaign, now) if request.user.is_authenticated and not claim else None,
        "can_manage": request.user.has_perm("microtasks.manage_campaign", campaign),
    }
    if claim and campaign.kind == Campaign.Kind.FIELD:
        context["form"] = form or ProofForm(campaign=campaign)
    elif claim:
        context["item"] = datatasks.item_next(claim=claim)
    return render(request, "microtasks/campaign_detail.html", context, status=status)


class CampaignDetailView(View):
    def get(self, request, pk):
        return _campaign_page(request, selectors.campaign_for_viewer(pk=pk, user=request.user))


class ClaimView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, pk):
        campaign = selectors.campaign_for_viewer(pk=pk, user=request.user)
        try:
            claims.claim_create(citizen=request.user, campaign_id=campaign.pk)
        except Refusal as refusal:
            messages.error(request, refusal.message)
            return redirect(campaign)
        messages.success(request, _("The task is yours. Finish it before the time limit."))
        return redirect(campaign)


def _my_claim(request, claim_id) -> Claim:
    return get_object_or_404(Claim.objects.select_related("campaign__agency"), pk=claim_id, citizen=request.user)


class ReleaseView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, claim_id):
        claim = _my_claim(request, claim_id)
        try:
            claims.claim_release(citizen=request.user, claim_id=claim.pk)
            messages.success(request, _("You released the task; its slot is free for someone else."))
        except Refusal as refusal:
            messages.error(request, refusal.message)
        return redirect("microtasks:mine")


class ProofView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, claim_id):
        claim = _my_claim(request, claim_id)
        form = ProofForm(request.POST, request.FILES, campaign=claim.campaign)
        if not form.is_valid():
            return _campaign_page(request, claim.campaign, form=form, status=400)
        try:
            services.submission_submit(
                citizen=request.user,
                claim_id=claim.pk,
                photo=form.cleaned_data["photo"],
                latitude=form.cleaned_data.get("latitude"),
                longitude=form.cleaned_data.get("longitude"),
                answers=form.answers(),
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
            return _campaign_page(request, claim.campaign, form=form, status=refusal.status)
        messages.success(request, _("Your work is submitted. The agency reviews it within the review window."))
        return redirect("microtasks:mine")


class ItemAnswerView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, claim_id):
        claim = _my_claim(request, claim_id)
        try:
            datatasks.item_answer(
                citizen=request.user,
                claim_id=claim.pk,
                item_id=int(request.POST.get("item", 0) or 0),
                answer=request.POST.get("answer", ""),
            )
        except (Refusal, ValueError) as refusal:
            messages.error(request, getattr(refusal, "message", _("Choose one of the answers offered.")))
        return redirect(claim.campaign)


class MyTasksView(LoginRequiredMixin, TemplateView):
    """The citizen's claims with their deadlines (live countdowns) and the state of their work."""

    template_name = "microtasks/my_tasks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            claims=selectors.my_claims(user=self.request.user), now=timezone.now(), **kwargs
        )
