"""Contributor leaderboard pages and the leaderboard privacy setting."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from common.ratelimit import WriteRateLimitMixin
from contests.selectors import contest_for_viewer
from engagement import selectors, services
from engagement.forms import PreferenceForm
from engagement.ledger_rules import points_actions
from live.boards import board_status_labels


class ContributorLeaderboardView(TemplateView):
    """Top contributors of the site, or of one contest, for the last 7 or 30 days or all time."""

    template_name = "engagement/contributor_leaderboard.html"

    def get_context_data(self, **kwargs):
        slug = self.kwargs.get("slug")
        contest = contest_for_viewer(slug=slug, user=self.request.user) if slug else None
        period = self.request.GET.get("period", selectors.DEFAULT_PERIOD)
        if period not in selectors.PERIODS:
            period = selectors.DEFAULT_PERIOD
        snapshot = selectors.contributor_snapshot_cached(contest=contest, period=period)
        if contest is not None:
            websocket_path = f"/ws/contests/{contest.slug}/contributors/{period}/"
            page_url = reverse("engagement:contest_contributors", kwargs={"slug": contest.slug})
        else:
            websocket_path = f"/ws/leaderboards/contributors/{period}/"
            page_url = reverse("engagement:contributors")
        api_url = reverse("api:contributor_leaderboard") + f"?period={period}"
        if contest is not None:
            api_url += f"&contest={contest.slug}"
        return super().get_context_data(
            contest=contest,
            period=period,
            periods=[(key, label, f"{page_url}?period={key}") for key, (label, _span) in selectors.PERIODS.items()],
            period_label=selectors.PERIODS[period][0],
            snapshot=snapshot,
            updated_at=parse_datetime(snapshot["updated_at"]),
            websocket_path=websocket_path,
            api_url=api_url,
            rules=points_actions.values(),
            status_labels=board_status_labels(),
            **kwargs,
        )


class PreferenceView(LoginRequiredMixin, WriteRateLimitMixin, FormView):
    """The privacy setting: appear on public contributor leaderboards or not."""

    template_name = "engagement/engagementpreference_form.html"
    form_class = PreferenceForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.preference_of(user=self.request.user)
        return kwargs

    def form_valid(self, form):
        preference = services.preference_set(
            user=self.request.user, show_on_leaderboards=form.cleaned_data["show_on_leaderboards"]
        )
        if preference.show_on_leaderboards:
            messages.success(self.request, _("You are shown on public contributor leaderboards."))
        else:
            messages.success(self.request, _("You no longer appear on public contributor leaderboards."))
        return redirect("engagement:preferences")
