"""Proposal moderation pages: report a proposal, merge duplicates, and the similar-proposals JSON
endpoint the submission form calls while the author types. The agency's queue is moderation's."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from common.forms import add_service_errors
from common.ratelimit import WriteRateLimitMixin
from moderation.services import REPORT_REASON_MAX_LENGTH, report_create
from proposals.models import Proposal
from proposals.rules import report_refusal
from proposals.selectors import contest_for_proposals, proposal_get_visible
from proposals.similarity import QUERY_MAX_LENGTH, proposal_merge, proposal_merge_candidates, proposals_similar_to


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong with this proposal?"),
        max_length=REPORT_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For example: offensive, spam, or someone else's work. The moderators will read it."),
    )


class MergeForm(forms.Form):
    target = forms.TypedChoiceField(label=gettext_lazy("Merge into"), coerce=int)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(proposal.pk, proposal.title) for proposal in candidates]


class ProposalReportView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """A verified citizen reports a public proposal, once while their report is open."""

    template_name = "proposals/staff/report_form.html"

    def _proposal(self, request, contest_slug, pk) -> Proposal:
        proposal = proposal_get_visible(pk=pk, contest_slug=contest_slug, user=request.user)
        refusal = report_refusal(request.user, proposal)
        if refusal:
            raise PermissionDenied(refusal)
        return proposal

    def _render(self, request, proposal, form, status=200):
        return render(
            request,
            self.template_name,
            {"contest": proposal.contest, "proposal": proposal, "form": form},
            status=status,
        )

    def get(self, request, contest_slug, pk):
        return self._render(request, self._proposal(request, contest_slug, pk), ReportForm())

    def post(self, request, contest_slug, pk):
        proposal = self._proposal(request, contest_slug, pk)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                report_create(reporter=request.user, target=proposal, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you. The moderators will look at your report."))
                return redirect(proposal)
        return self._render(request, proposal, form, status=400)


class ProposalMergeView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """A manager merges a duplicate into another proposal of the same contest."""

    template_name = "proposals/staff/merge_form.html"

    def _proposal(self, request, contest_slug, pk) -> Proposal:
        proposal = proposal_get_visible(pk=pk, contest_slug=contest_slug, user=request.user)
        if not request.user.has_perm("proposals.merge_proposal", proposal):
            raise PermissionDenied(_("Only the agency running this contest can merge its proposals."))
        return proposal

    def _render(self, request, proposal, form, status=200):
        context = {"contest": proposal.contest, "proposal": proposal, "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request, contest_slug, pk):
        proposal = self._proposal(request, contest_slug, pk)
        return self._render(request, proposal, MergeForm(candidates=proposal_merge_candidates(proposal=proposal)))

    def post(self, request, contest_slug, pk):
        proposal = self._proposal(request, contest_slug, pk)
        form = MergeForm(request.POST, candidates=proposal_merge_candidates(proposal=proposal))
        # The choice list holds the valid targets; anything else (another contest, itself) is refused
        # by the service with its reason, so check the raw id there rather than only "invalid choice".
        try:
            target_id = int(request.POST.get("target", ""))
        except ValueError:
            target_id = None
        target = Proposal.objects.select_related("contest").filter(pk=target_id).first() if target_id else None
        if target is None:
            form.is_valid()
            form.errors.pop("target", None)
            form.add_error("target", _("Choose the proposal to merge into."))
            return self._render(request, proposal, form, status=400)
        try:
            proposal_merge(duplicate=proposal, target=target, moderator=request.user)
        except ValidationError as error:
            form.is_valid()
            form.errors.pop("target", None)
            add_service_errors(form, error)
            return self._render(request, proposal, form, status=400)
        messages.success(
            request, _("The proposal was merged; its page now leads to “%(title)s”.") % {"title": target.title}
        )
        return redirect(target)


class SimilarProposalsView(View):
    """GET ?title=&summary=&exclude=: JSON list of public proposals of the contest that look like duplicates."""

    def get(self, request, contest_slug):
        contest = contest_for_proposals(slug=contest_slug, user=request.user)
        try:
            exclude_id = int(request.GET["exclude"]) if request.GET.get("exclude") else None
        except ValueError:
            return JsonResponse({"detail": _("“exclude” must be a proposal id.")}, status=400)
        similar = proposals_similar_to(
            contest,
            request.GET.get("title", "")[:QUERY_MAX_LENGTH],
            request.GET.get("summary", "")[:QUERY_MAX_LENGTH],
            exclude_id=exclude_id,
        )
        results = [
            {
                "id": item.proposal.pk,
                "title": item.proposal.title,
                "url": item.proposal.get_absolute_url(),
                "similarity": round(item.similarity, 2),
            }
            for item in similar
        ]
        return JsonResponse({"results": results})


def proposal_moderated_response(request, proposal: Proposal):
    """What the proposal page shows someone who may not view `proposal` itself, or None for a 404.

    A merged proposal redirects to the one it was merged into; a hidden one shows
    the moderators' public reason instead of its content (the content stays in
    the database for the agency's managers and the authors).
    """
    if proposal.merged_into_id is not None:
        return redirect(proposal.merged_into)
    hidden_but_public = proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN)
    if proposal.is_hidden and hidden_but_public and proposal.contest.is_published:
        return render(
            request, "proposals/staff/proposal_hidden.html", {"contest": proposal.contest, "proposal": proposal}
        )
    return None
