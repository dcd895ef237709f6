from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from agencies.selectors import agency_for_action
from common.forms import add_service_errors
from common.ratelimit import WriteRateLimitMixin
from contests import selectors, services
from contests.forms import ContestFilterForm, ContestForm
from contests.models import Contest
from contests.phases import contest_timeline, next_deadline

CONTESTS_PER_PAGE = 20


class HomeView(TemplateView):
    template_name = "contests/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(open_contests=selectors.contest_list_open()[:12], **kwargs)


class AgencyManageView(LoginRequiredMixin, TemplateView):
    """The agency's back office for contests: every contest, drafts included. Managers and admins only."""

    template_name = "contests/agency_manage.html"

    def get_context_data(self, **kwargs):
        agency = agency_for_action(
            user=self.request.user, slug=self.kwargs["slug"], permission="agencies.manage_agency_contests"
        )
        contests = selectors.contest_list_for_agency(agency=agency, include_drafts=True)
        return super().get_context_data(agency=agency, contests=contests, **kwargs)


def contest_for_action(*, user, slug: str, permission: str) -> Contest:
    """The contest shaped for its page if `user` may `permission` it.

    404 when it does not exist or the user may not even see it (drafts stay
    secret), 403 when they may see it but not do this.
    """
    contest = selectors.contest_detail(slug=slug)
    if contest is None or not user.has_perm("contests.view_contest", contest):
        raise Http404(_("No contest found."))
    if permission != "contests.view_contest" and not user.has_perm(permission, contest):
        raise PermissionDenied
    return contest


class ContestListView(View):
    template_name = "contests/contest_list.html"

    def get(self, request):
        choices = selectors.contest_filter_choices()
        form = ContestFilterForm(request.GET or None, **choices)
        filters = form.filters() if request.GET else {}
        page = Paginator(selectors.contest_list(**filters), CONTESTS_PER_PAGE).get_page(request.GET.get("page"))
        query_string = urlencode({key: value for key, value in filters.items() if value})
        context = {
            "form": form,
            "page_obj": page,
            "contests": page.object_list,
            "query_string": query_string,
            "is_filtered": any(filters.values()),
        }
        return render(request, self.template_name, context)


def _detail_context(request, contest: Contest) -> dict:
    return {
        "contest": contest,
        "timeline": contest_timeline(contest),
        "next_deadline": next_deadline(contest),
        "can_change": request.user.has_perm("contests.change_contest", contest),
        "can_publish": request.user.has_perm("contests.publish_contest", contest),
    }


class ContestDetailView(View):
    template_name = "contests/contest_detail.html"

    def get(self, request, slug):
        contest = contest_for_action(user=request.user, slug=slug, permission="contests.view_contest")
        if not contest.is_published:
            # Managers see their drafts as a preview, with the banner and publish button.
            return redirect("contests:preview", slug=contest.slug)
        return render(request, self.template_name, _detail_context(request, contest))


class ContestPreviewView(LoginRequiredMixin, View):
    """The public page as it will look, for those who may change the contest (drafts included)."""

    template_name = "contests/contest_detail.html"

    def get(self, request, slug):
        contest = contest_for_action(user=request.user, slug=slug, permission="contests.change_contest")
        context = _detail_context(request, contest)
        context["is_preview"] = True
        return render(request, self.template_name, context)


class ContestCreateView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "contests/contest_form.html"

    def _agency(self):
        return agency_for_action(
            user=self.request.user, slug=self.kwargs["agency_slug"], permission="contests.add_contest"
        )

    def get(self, request, agency_slug):
        agency = self._agency()
        return render(request, self.template_name, {"agency": agency, "form": ContestForm()})

    def post(self, request, agency_slug):
        agency = self._agency()
        form = ContestForm(request.POST, request.FILES, instance=Contest(agency=agency))
        if form.is_valid():
            try:
                contest = services.contest_create(
                    agency=agency, fields=form.service_fields(), categories=form.category_names()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The draft was saved. Preview it, then publish when it is ready."))
                return redirect("contests:preview", slug=contest.slug)
        return render(request, self.template_name, {"agency": agency, "form": form}, status=400)


class ContestEditView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "contests/contest_form.html"

    def get(self, request, slug):
        contest = contest_for_action(user=request.user, slug=slug, permission="contests.change_contest")
        return render(
            request,
            self.template_name,
            {"contest": contest, "agency": contest.agency, "form": ContestForm(instance=contest)},
        )

    def post(self, request, slug):
        contest = contest_for_action(user=request.user, slug=slug, permission="contests.change_contest")
        form = ContestForm(request.POST, request.FILES, instance=contest)
        if form.is_valid():
            try:
                contest = services.contest_update(
                    contest=contest,
                    changed_by=request.user,
                    fields=form.service_fields(),
                    categories=form.category_names(),
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The contest was saved."))
                return redirect("contests:detail" if contest.is_published else "contests:preview", slug=contest.slug)
        context = {"contest": contest, "agency": contest.agency, "form": form}
        return render(request, self.template_name, context, status=400)


class ContestPublishView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, slug):
        contest = contest_for_action(user=request.user, slug=slug, permission="contests.publish_contest")
        try:
            contest = services.contest_publish(contest=contest, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            context = _detail_context(request, contest)
            context["is_preview"] = not contest.is_published
            return render(request, "contests/contest_detail.html", context, status=400)
        messages.success(request, _("The contest is published."))
        return redirect(contest)
