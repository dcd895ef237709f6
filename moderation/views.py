"""The agency's moderation queue: open reports with hide and dismiss, and the latest decisions for audit.

Other apps' moderation (held comments, the blocklist) is shown on the same page through
their template tags. Reporting a piece of content is a page of the app that shows it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agencies.selectors import agency_for_action
from common.ratelimit import WriteRateLimitMixin
from moderation.models import ModerationReport
from moderation.selectors import moderation_queue, moderation_recently_resolved, report_get_for_agency
from moderation.services import HIDE_REASON_MAX_LENGTH, report_dismiss, report_hide_content


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Public reason for hiding"),
        max_length=HIDE_REASON_MAX_LENGTH,
        help_text=gettext_lazy("Shown in place of the content, and sent to its authors."),
    )


def _render_queue(request, agency, *, errors=(), failed_report_id=None, hide_form=None, status=200):
    context = {
        "agency": agency,
        "reports": list(moderation_queue(agency=agency)),
        "resolved": list(moderation_recently_resolved(agency=agency)),
        "errors": list(errors),
        "failed_report_id": failed_report_id,
        "hide_form": hide_form or HideForm(),
    }
    return render(request, "moderation/moderation_queue.html", context, status=status)


class ModerationQueueView(LoginRequiredMixin, View):
    def get(self, request, slug):
        agency = agency_for_action(user=request.user, slug=slug, permission="agencies.manage_agency_contests")
        return _render_queue(request, agency)


class _ReportActionView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """Fetch and authorise: 403 unless the user runs the agency's contests, 404 if the report is not the agency's."""

    def _report(self, request, slug, report_id) -> ModerationReport:
        agency = agency_for_action(user=request.user, slug=slug, permission="agencies.manage_agency_contests")
        report = report_get_for_agency(agency=agency, report_id=report_id)
        if report is None:
            raise Http404
        if not request.user.has_perm("moderation.resolve_report", report):
            raise PermissionDenied
        return report


class ReportHideView(_ReportActionView):
    def post(self, request, slug, report_id):
        report = self._report(request, slug, report_id)
        agency = report.contest.agency
        form = HideForm(request.POST)
        if form.is_valid():
            try:
                report_hide_content(report=report, moderator=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                return _render_queue(
                    request, agency, errors=error.messages, failed_report_id=report.pk, hide_form=form, status=400
                )
            messages.success(request, _("The content is hidden and its authors were told why."))
            return redirect("moderation:queue", slug=agency.slug)
        errors = [message for field_errors in form.errors.values() for message in field_errors]
        return _render_queue(request, agency, errors=errors, failed_report_id=report.pk, hide_form=form, status=400)


class ReportDismissView(_ReportActionView):
    def post(self, request, slug, report_id):
        report = self._report(request, slug, report_id)
        agency = report.contest.agency
        try:
            report_dismiss(report=report, moderator=request.user)
        except ValidationError as error:
            return _render_queue(request, agency, errors=error.messages, failed_report_id=report.pk, status=400)
        messages.success(request, _("The report was dismissed."))
        return redirect("moderation:queue", slug=agency.slug)
