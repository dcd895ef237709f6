"""Jury pages: manager overview and actions, reviewer dashboard, conflicts, review form, results.

Views check permission, parse input, call one service or selector, render.
"""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from common.forms import add_service_errors
from common.ratelimit import WriteRateLimitMixin
from jury import reviewers, selectors, services
from jury.forms import AssignForm, CriterionFormSet, InviteReviewerForm, ReviewForm, ReviewSettingsForm
from jury.models import ContestReviewer


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def managed_contest(request, slug: str):
    """The contest if the user manages its jury; 404 if they may not see it, 403 if they may not manage it."""
    contest = selectors.contest_for_jury(slug=slug)
    if not request.user.has_perm("contests.view_contest", contest):
        raise Http404
    if not request.user.has_perm("jury.manage_review", contest):
        raise PermissionDenied
    return contest


def _manage_url(contest) -> str:
    return reverse("jury:manage", kwargs={"slug": contest.slug})


def _posted_ids(request, name: str) -> list[int]:
    """Ids chosen in a form's checkboxes; ValueError for anything but a plain id (a 400, never a database error)."""
    values = request.POST.getlist(name)
    if not all(value.isdigit() and len(value) <= 18 for value in values):
        raise ValueError(name)
    return [int(value) for value in values]


class ManageView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """The manager's jury overview: settings, rubric, reviewers, assignment, progress, agreement."""

    def get(self, request, slug, *, settings_form=None, invite_form=None, assign_form=None, status=200):
        contest = managed_contest(request, slug)
        review_settings = selectors.review_settings_of(contest=contest)
        reviewers = list(selectors.contest_reviewers(contest=contest))
        context = {
            "contest": contest,
            "review_settings": review_settings,
            "settings_form": settings_form or ReviewSettingsForm(instance=review_settings),
            "invite_form": invite_form or InviteReviewerForm(),
            "assign_form": assign_form or AssignForm(initial={"seed": review_settings.assignment_seed}),
            "criteria": selectors.rubric_of(contest=contest),
            "rubric_editable": services.rubric_is_editable(contest),
            "review_open": services.review_is_open(contest),
            "reviewers": reviewers,
            "totals": selectors.progress_totals(reviewers),
            "proposal_progress": selectors.proposal_progress(contest=contest),
            "agreement": selectors.jury_agreement(contest=contest),
            "results_published": services.results_are_published(contest),
            "chosen_winner_ids": set(review_settings.chosen_winners.values_list("pk", flat=True))
            if review_settings.pk
            else set(),
        }
        return render(request, "jury/contest_manage.html", context, status=status)


class SettingsView(ManageView):
    def post(self, request, slug):
        contest = managed_contest(request, slug)
        form = ReviewSettingsForm(request.POST, instance=selectors.review_settings_of(contest=contest))
        if form.is_valid():
            try:
                services.review_settings_update(contest=contest, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Jury settings saved."))
                return redirect(_manage_url(contest))
        return self.get(request, slug, settings_form=form, status=400)


class RubricView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "jury/criterion_form.html"

    def _render(self, request, contest, formset, status=200):
        context = {"contest": contest, "formset": formset, "editable": services.rubric_is_editable(contest)}
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug):
        contest = managed_contest(request, slug)
        initial = [
            {"name": c.name, "description": c.description, "weight": c.weight}
            for c in selectors.rubric_of(contest=contest)
        ]
        return self._render(request, contest, CriterionFormSet(initial=initial))

    def post(self, request, slug):
        contest = managed_contest(request, slug)
        formset = CriterionFormSet(request.POST)
        if formset.is_valid():
            criteria = [
                form.cleaned_data
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("name")
            ]
            try:
                services.rubric_replace(contest=contest, criteria=criteria)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("Rubric saved."))
                return redirect(_manage_url(contest))
        return self._render(request, contest, formset, status=400)


class InviteView(ManageView):
    def post(self, request, slug):
        contest = managed_contest(request, slug)
        form = InviteReviewerForm(request.POST)
        if form.is_valid():
            try:
                reviewers.reviewer_invite(
                    contest=contest,
                    inviter=request.user,
                    email=form.cleaned_data["email"],
                    site_url=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                form.add_error("email", _error_text(error))
            else:
                messages.success(request, _("Invitation sent."))
                return redirect(_manage_url(contest))
        return self.get(request, slug, invite_form=form, status=400)


class AssignView(ManageView):
    def post(self, request, slug):
        contest = managed_contest(request, slug)
        form = AssignForm(request.POST)
        if form.is_valid():
            try:
                added = services.assignment_run(contest=contest, seed=form.cleaned_data.get("seed"))
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(
                    request,
                    ngettext("%(count)d review assigned.", "%(count)d reviews assigned.", added) % {"count": added},
                )
                return redirect(_manage_url(contest))
        return self.get(request, slug, assign_form=form, status=400)


class _SimpleActionView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """POST-only manager action: call the service, report success or its message."""

    def act(self, request, contest): ...

    def post(self, request, slug, **kwargs):
        contest = managed_contest(request, slug)
        try:
            message = self.act(request, contest, **kwargs)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, message)
        return redirect(_manage_url(contest))


class RemindView(_SimpleActionView):
    def act(self, request, contest):
        count = services.reminders_send(contest=contest, site_url=request.build_absolute_uri("/"))
        return ngettext("Reminder sent to %(count)d reviewer.", "Reminders sent to %(count)d reviewers.", count) % {
            "count": count
        }


class PublishView(_SimpleActionView):
    def act(self, request, contest):
        services.results_publish(contest=contest, actor=request.user)
        return _("Results published.")


class WinnersView(_SimpleActionView):
    def act(self, request, contest):
        try:
            ids = _posted_ids(request, "winners")
        except ValueError as error:
            raise ValidationError(_("Choose winners from the list.")) from error
        chosen = services.winners_choose(contest=contest, proposal_ids=ids)
        if not chosen:
            return _("No winners chosen: the top entries will be the winners.")
        return ngettext("%(count)d winner chosen.", "%(count)d winners chosen.", len(chosen)) % {"count": len(chosen)}


class WithdrawReviewerView(_SimpleActionView):
    def act(self, request, contest, reviewer_id):
        reviewer = ContestReviewer.objects.filter(contest=contest, pk=reviewer_id).first()
        if reviewer is None:
            raise Http404
        services.reviewer_withdraw(reviewer=reviewer)
        return _("Reviewer withdrawn; their unfinished reviews were re-assigned.")


# --- Reviewers ------------------------------------------------------------------------


class AcceptInvitationView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """A signed invitation link: sign in (or sign up, then verify) and accept."""

    template_name = "jury/reviewer_accept.html"

    def _reviewer(self, token):
        reviewer = reviewers.invitation_reviewer(token)
        if reviewer is None:
            raise Http404
        return reviewer

    def get(self, request, token):
        reviewer = self._reviewer(token)
        return render(request, self.template_name, {"reviewer": reviewer, "contest": reviewer.contest})

    def post(self, request, token):
        reviewer = self._reviewer(token)
        try:
            reviewers.reviewer_accept(token=token, user=request.user)
        except ValidationError as error:
            context = {"reviewer": reviewer, "contest": reviewer.contest, "errors": error.messages}
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("You are now a reviewer of this contest. Declare any conflicts of interest."))
        return redirect("jury:conflicts", slug=reviewer.contest.slug)


class DashboardView(LoginRequiredMixin, View):
    def get(self, request):
        roles = list(selectors.reviewer_roles_of(user=request.user))
        reviews = list(selectors.reviews_of_reviewer(user=request.user))
        for role in roles:
            role.assignments = [review for review in reviews if review.reviewer_id == role.pk]
        return render(request, "jury/review_dashboard.html", {"roles": roles})


def _reviewer_of(request, slug):
    contest = selectors.contest_for_jury(slug=slug)
    reviewer = selectors.reviewer_role(user=request.user, contest=contest)
    if reviewer is None:
        raise PermissionDenied(_("You are not a reviewer of this contest."))
    return contest, reviewer


class ConflictsView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "jury/conflict_form.html"

    def _render(self, request, contest, reviewer, errors=(), status=200):
        context = {
            "contest": contest,
            "reviewer": reviewer,
            "blind": selectors.review_settings_of(contest=contest).blind,
            "proposals": selectors.conflict_candidates(reviewer=reviewer),
            "declared": set(reviewer.conflicts.values_list("proposal_id", flat=True)),
            "locked": reviewer.reviews.exists(),
            "errors": errors,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug):
        contest, reviewer = _reviewer_of(request, slug)
        return self._render(request, contest, reviewer)

    def post(self, request, slug):
        contest, reviewer = _reviewer_of(request, slug)
        try:
            ids = _posted_ids(request, "proposals")
            reviewers.conflicts_declare(reviewer=reviewer, proposal_ids=ids)
        except ValueError:
            return self._render(request, contest, reviewer, [_("Choose proposals from the list.")], 400)
        except ValidationError as error:
            return self._render(request, contest, reviewer, error.messages, 400)
        messages.success(request, _("Conflicts of interest saved."))
        return redirect("jury:dashboard")


class WithdrawSelfView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """A reviewer steps down; their unfinished reviews go to the others."""

    def post(self, request, slug):
        _contest, reviewer = _reviewer_of(request, slug)
        try:
            services.reviewer_withdraw(reviewer=reviewer)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("You no longer review this contest."))
        return redirect("jury:dashboard")


class ReviewView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """Score one assigned proposal: save as draft, or submit (locked)."""

    template_name = "jury/review_form.html"

    def _render(self, request, review, form, status=200):
        contest = review.reviewer.contest
        context = {
            "review": review,
            "proposal": review.proposal,
            "contest": contest,
            "form": form,
            "editable": review.status != review.Status.SUBMITTED and services.review_is_open(contest),
        }
        return render(request, self.template_name, context, status=status)

    def _criteria(self, review):
        return selectors.rubric_of(contest=review.reviewer.contest)

    def get(self, request, pk):
        review = selectors.review_for_reviewer(user=request.user, pk=pk)
        initial = {}
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.score
            initial[f"comment_{score.criterion_id}"] = score.comment
        return self._render(request, review, ReviewForm(initial=initial, criteria=self._criteria(review)))

    def post(self, request, pk):
        review = selectors.review_for_reviewer(user=request.user, pk=pk)
        form = ReviewForm(request.POST, criteria=self._criteria(review))
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                services.review_save(review=review, scores=form.scores(), submit=submit)
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
                return redirect("jury:dashboard") if submit else redirect("jury:review", pk=review.pk)
        return self._render(request, review, form, status=400)


# --- Results --------------------------------------------------------------------------


def visible_results_contest(request, slug: str):
    """The contest if the user may see its results: 404 for hidden contests, 403 before publication."""
    contest = selectors.contest_for_jury(slug=slug)
    if not request.user.has_perm("contests.view_contest", contest):
        raise Http404
    if not request.user.has_perm("jury.view_results", contest):
        raise PermissionDenied(_("The results of this contest are not published yet."))
    return contest


class ResultsView(View):
    def get(self, request, slug):
        contest = visible_results_contest(request, slug)
        results = selectors.contest_results(contest=contest)
        return render(request, "jury/contest_results.html", {"contest": contest, "results": results})


RESULT_COLUMNS = [
    "rank",
    "proposal_id",
    "title",
    "public_score",
    "jury_score",
    "public_component",
    "jury_component",
    "final",
    "winner",
]


def results_csv_response(results: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{results["contest"]}-results.csv"'
    writer = csv.writer(response)
    writer.writerow(RESULT_COLUMNS)
    for entry in results["entries"]:
        # A leading =, +, - or @ would make spreadsheets run the title as a formula.
        row = [entry[column] for column in RESULT_COLUMNS]
        title = row[2]
        if title and title[0] in "=+-@\t\r":
            row[2] = "'" + title
        writer.writerow(["" if value is None else value for value in row])
    return response
