"""Integrity pages: the managers' queue of ballots under review and the public report of a contest."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from common.ratelimit import WriteRateLimitMixin
from contests.models import Contest
from integrity import selectors, services


def _contest(request, slug: str, permission: str, refusal: str = "") -> Contest:
    """The contest if the user may see it (else 404) and holds `permission` on it (else 403)."""
    contest = Contest.objects.select_related("agency").filter(slug=slug).first()
    if contest is None or not request.user.has_perm("contests.view_contest", contest):
        raise Http404
    if not request.user.has_perm(permission, contest):
        raise PermissionDenied(refusal)
    return contest


def report_contest(request, slug: str) -> Contest:
    return _contest(request, slug, "integrity.view_report", _("The integrity report is published with the results."))


class QueueView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """Ballots under review, each with its signals; release or void with a reason."""

    def get(self, request, slug):
        contest = _contest(request, slug, "integrity.review_ballots")
        context = {
            "contest": contest,
            "ballots": selectors.review_queue(contest=contest),
            "labels": selectors.SIGNAL_LABELS,
        }
        return render(request, "integrity/review_queue.html", context)

    def post(self, request, slug):
        contest = _contest(request, slug, "integrity.review_ballots")
        ballot = selectors.quarantined_ballot_for(contest=contest, pk=request.POST.get("ballot"))
        if ballot is None:
            raise Http404
        decision = request.POST.get("decision")
        if decision not in ("release", "void"):
            messages.error(request, _("Choose to release or to void the ballot."))
            return redirect(reverse("integrity:queue", kwargs={"slug": contest.slug}))
        service = services.ballot_release if decision == "release" else services.ballot_void
        try:
            service(ballot=ballot, manager=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The ballot was released and counts again.")
                if decision == "release"
                else _("The ballot was voided."),
            )
        return redirect(reverse("integrity:queue", kwargs={"slug": contest.slug}))


class ReportView(View):
    def get(self, request, slug):
        contest = report_contest(request, slug)
        report = selectors.integrity_report(contest=contest)
        return render(
            request, "integrity/report.html", {"contest": contest, "report": report, "labels": selectors.SIGNAL_LABELS}
        )
