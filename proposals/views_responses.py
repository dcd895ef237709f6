"""Official answers on the web: a manager of the contest's agency sets the status with a public text."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from common.forms import add_service_errors
from common.ratelimit import WriteRateLimitMixin
from proposals.models import Proposal
from proposals.responses import (
    RESPONSE_TEXT_MAX_LENGTH,
    proposal_next_statuses,
    proposal_respond,
    proposal_status_changes,
)
from proposals.selectors import proposal_get_visible


class ResponseForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"))
    text = forms.CharField(
        label=gettext_lazy("Public answer"),
        max_length=RESPONSE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Markdown. Shown on the proposal page and sent to its authors."),
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = proposal_next_statuses(proposal=proposal)
        self.fields["status"].choices = [(status, Proposal.Status(status).label) for status in allowed]
        self.fields["status"].initial = proposal.status


class ProposalRespondView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """GET: the answer form with earlier answers. POST: record the answer (403 for anyone but the agency)."""

    template_name = "proposals/staff/response_form.html"

    def _proposal(self, request, contest_slug, pk) -> Proposal:
        proposal = proposal_get_visible(pk=pk, contest_slug=contest_slug, user=request.user)
        if not request.user.has_perm("proposals.respond_proposal", proposal):
            raise PermissionDenied(_("Only the agency running this contest can answer this proposal officially."))
        return proposal

    def _render(self, request, proposal, form, status=200):
        context = {
            "contest": proposal.contest,
            "proposal": proposal,
            "form": form,
            "answers": list(proposal_status_changes(proposal=proposal)),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, contest_slug, pk):
        proposal = self._proposal(request, contest_slug, pk)
        return self._render(request, proposal, ResponseForm(proposal=proposal))

    def post(self, request, contest_slug, pk):
        proposal = self._proposal(request, contest_slug, pk)
        form = ResponseForm(request.POST, proposal=proposal)
        if form.is_valid():
            try:
                proposal_respond(
                    proposal=proposal,
                    responder=request.user,
                    status=form.cleaned_data["status"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your answer is published and the authors were notified."))
                return redirect(proposal)
        return self._render(request, proposal, form, status=400)
