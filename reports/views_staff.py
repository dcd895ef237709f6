"""Staff pages of reports: status changes with public notes, assignment, merging, the agency's queue."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from accounts.models import User
from agencies.models import Agency, AgencyMembership
from agencies.selectors import agency_ancestor_ids, agency_descendant_ids
from common.ratelimit import WriteRateLimitMixin
from reports import selectors
from reports.forms import BulkStatusForm, StatusForm
from reports.models import Report, ServiceCategory
from reports.workflow import (
    report_assign,
    report_merge,
    report_reassign,
    report_status_change,
    reports_bulk_status_change,
)

QUEUE_PAGE_SIZE = 50


def report_for_staff(request, pk: int) -> Report:
    """The report if the user may manage it; 404 otherwise (staff of other agencies learn nothing)."""
    report = get_object_or_404(Report.objects.public().select_related("agency", "category"), pk=pk)
    if not request.user.has_perm("reports.manage_report", report):
        raise Http404
    return report


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class ReportStatusView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, pk):
        report = report_for_staff(request, pk)
        form = StatusForm(request.POST)
        if not form.is_valid():
            return render(request, "reports/refusal.html", {"report": report, "form": form}, status=400)
        data = form.cleaned_data
        try:
            report_status_change(
                report=report,
                author=request.user,
                status=data["status"],
                note=data["note"],
                close_reason=data["close_reason"],
                rejection_reason=data["rejection_reason"],
                passed_to=data["passed_to"],
            )
        except ValidationError as error:
            return render(
                request, "reports/refusal.html", {"report": report, "refusal": " ".join(error.messages)}, status=400
            )
        messages.success(request, _("The report's status was changed and the reporter told."))
        return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/reports/") else report)


class ReportAssignView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, pk):
        report = report_for_staff(request, pk)
        assignee_id = request.POST.get("assignee", "")
        assignee = None
        if assignee_id:
            if not assignee_id.isdigit():
                return render(
                    request, "reports/refusal.html", {"report": report, "refusal": _("Choose a person.")}, status=400
                )
            assignee = User.objects.filter(pk=int(assignee_id), is_active=True).first()
        try:
            if assignee_id and assignee is None:
                raise ValidationError(_("Assign the report to a member of its agency."))
            report_assign(report=report, assignee=assignee)
        except ValidationError as error:
            return render(
                request, "reports/refusal.html", {"report": report, "refusal": " ".join(error.messages)}, status=400
            )
        messages.success(request, _("Assignment saved."))
        return redirect(report)


class ReportMergeView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """Merge this report (a duplicate) into the report number given."""

    def post(self, request, pk):
        source = report_for_staff(request, pk)
        target_id = request.POST.get("target", "").strip().lstrip("#")
        target = (
            Report.objects.public().filter(pk=int(target_id)).first()
            if target_id.isdigit() and len(target_id) < 18
            else None
        )
        if target is None or not request.user.has_perm("reports.manage_report", target):
            refusal = _("Give the number of a report of your agency.")
            return render(request, "reports/refusal.html", {"report": source, "refusal": refusal}, status=400)
        try:
            report_merge(source=source, target=target, author=request.user, note=request.POST.get("note", "")[:2000])
        except ValidationError as error:
            return render(
                request, "reports/refusal.html", {"report": source, "refusal": " ".join(error.messages)}, status=400
            )
        messages.success(request, _("The reports were merged."))
        return redirect(target)


class ReportReassignView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """Route the report to another category: a parent agency passes it to one of its sub-agencies."""

    def post(self, request, pk):
        report = report_for_staff(request, pk)
        category_id = request.POST.get("category", "")
        category = (
            ServiceCategory.objects.filter(pk=int(category_id), is_active=True).select_related("agency").first()
            if category_id.isdigit() and len(category_id) < 18
            else None
        )
        try:
            if category is None:
                raise ValidationError(_("Choose a kind of problem from the list."))
            report_reassign(
                report=report, author=request.user, category=category, note=request.POST.get("note", "")[:2000]
            )
        except ValidationError as error:
            return render(
                request, "reports/refusal.html", {"report": report, "refusal": " ".join(error.messages)}, status=400
            )
        messages.success(request, _("The report was passed to %(agency)s.") % {"agency": category.agency.name})
        return redirect(report)


def reassign_choices(user, report: Report) -> list[ServiceCategory]:
    """Categories the user may route the report to: of its agency and of agencies the user is a member of, with their sub-agencies."""
    member_of = set(AgencyMembership.objects.filter(user=user).values_list("agency_id", flat=True))
    agency_ids = agency_descendant_ids(agency_ids=member_of | {report.agency_id}) if not user.is_superuser else None
    categories = (
        ServiceCategory.objects.filter(is_active=True).select_related("agency").order_by("agency__name", "name")
    )
    if agency_ids is not None:
        categories = categories.filter(agency_id__in=agency_ids)
    return list(categories.exclude(pk=report.category_id))


class QueueView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """The agency's reports (and its sub-agencies'), by status, overdue first; bulk status changes."""

    def _agency(self, request, slug):
        agency = get_object_or_404(Agency, slug=slug)
        if not request.user.has_perm("reports.view_report_queue", agency):
            raise Http404
        return agency

    def _render(self, request, agency, bulk_form=None, status=200):
        status_filter = request.GET.get("status", "")
        mine = request.GET.get("mine") == "1"
        queue = selectors.report_queue(agency=agency, status=status_filter, assigned_to=request.user if mine else None)
        page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        members = AgencyMembership.objects.filter(
            agency_id__in=[agency.pk, *agency_ancestor_ids(agency=agency)]
        ).select_related("user")
        context = {
            "agency": agency,
            "page": page,
            "status": status_filter,
            "mine": mine,
            "statuses": Report.Status.choices,
            "bulk_form": bulk_form or BulkStatusForm(),
            "status_form": StatusForm(),
            "members": [membership.user for membership in members],
            "query_string": urlencode({"status": status_filter, "mine": "1" if mine else ""}),
        }
        return render(request, "reports/report_queue.html", context, status=status)

    def get(self, request, slug):
        return self._render(request, self._agency(request, slug))

    def post(self, request, slug):
        agency = self._agency(request, slug)
        ids = [int(value) for value in request.POST.getlist("reports") if value.isdigit() and len(value) < 18]
        visible = Report.objects.public().filter(
            pk__in=ids, agency_id__in=agency_descendant_ids(agency_ids={agency.pk})
        )
        form = BulkStatusForm(request.POST, report_ids=list(visible.values_list("pk", flat=True)))
        if not form.is_valid():
            return self._render(request, agency, bulk_form=form, status=400)
        data = form.cleaned_data
        changed, refused = reports_bulk_status_change(
            reports=list(visible.filter(pk__in=data["reports"])),
            author=request.user,
            status=data["status"],
            note=data["note"],
            close_reason=data["close_reason"],
            rejection_reason=data["rejection_reason"],
        )
        if changed:
            messages.success(
                request,
                ngettext("%(count)s report changed.", "%(count)s reports changed.", changed) % {"count": changed},
            )
        for report, why in refused:
            messages.error(request, _("Report #%(id)s: %(why)s") % {"id": report.pk, "why": why})
        return redirect(request.get_full_path())
