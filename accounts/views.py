from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView, UpdateView

from accounts import selectors, services
from accounts.accountability import agency_accountability
from accounts.forms import AgencyForm, AgencyMemberForm, ProfileForm
from accounts.models import Agency, AgencyMembership, User
from accounts.permissions import agency_for_action
from common.ratelimit import WriteRateLimitMixin
from contests.selectors import contest_list_for_agency


class ProfileView(DetailView):
    """A user's public page: display name and public contributions, never the email."""

    template_name = "accounts/user_profile.html"
    context_object_name = "profile_user"

    def get_object(self, queryset=None):
        return get_object_or_404(User, pk=self.kwargs["user_id"], is_active=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = selectors.user_memberships(user=self.object)
        return context


class ProfileEditView(LoginRequiredMixin, WriteRateLimitMixin, UpdateView):
    template_name = "accounts/user_profile_edit.html"
    form_class = ProfileForm

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        services.user_update_profile(user=self.request.user, display_name=form.cleaned_data["display_name"])
        messages.success(self.request, _("Your profile was saved."))
        return redirect("accounts:profile", user_id=self.request.user.pk)


class AgencyListView(ListView):
    template_name = "accounts/agency_list.html"
    context_object_name = "agencies"
    paginate_by = 24

    def get_queryset(self):
        return selectors.agency_list()


class AgencyDetailView(DetailView):
    template_name = "accounts/agency_detail.html"
    context_object_name = "agency"
    model = Agency

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contests"] = contest_list_for_agency(agency=self.object)
        context["can_manage"] = self.request.user.has_perm("accounts.manage_agency_contests", self.object)
        context["can_change"] = self.request.user.has_perm("accounts.change_agency", self.object)
        context["accountability"] = agency_accountability(agency=self.object)
        return context


class AgencyManageView(LoginRequiredMixin, TemplateView):
    """The agency's back office: every contest, drafts included. Managers and admins only."""

    template_name = "accounts/agency_manage.html"

    def get_context_data(self, **kwargs):
        agency = agency_for_action(
            user=self.request.user, slug=self.kwargs["slug"], permission="accounts.manage_agency_contests"
        )
        return super().get_context_data(
            agency=agency, contests=contest_list_for_agency(agency=agency, include_drafts=True), **kwargs
        )


class AgencyEditView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "accounts/agency_edit.html"

    def _agency(self):
        return agency_for_action(user=self.request.user, slug=self.kwargs["slug"], permission="accounts.change_agency")

    def get(self, request, slug):
        agency = self._agency()
        return render(request, self.template_name, {"agency": agency, "form": AgencyForm(instance=agency)})

    def post(self, request, slug):
        agency = self._agency()
        form = AgencyForm(request.POST, request.FILES, instance=agency)
        if not form.is_valid():
            return render(request, self.template_name, {"agency": agency, "form": form}, status=400)
        form.save()
        messages.success(request, _("The agency profile was saved."))
        return redirect(agency)


class AgencyMembersView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "accounts/agency_members.html"

    def _agency(self):
        return agency_for_action(
            user=self.request.user, slug=self.kwargs["slug"], permission="accounts.manage_agency_members"
        )

    def _render(self, request, agency, form, status=200):
        context = {"agency": agency, "form": form, "memberships": selectors.agency_members(agency=agency)}
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug):
        return self._render(request, self._agency(), AgencyMemberForm())

    def post(self, request, slug):
        agency = self._agency()
        form = AgencyMemberForm(request.POST)
        if form.is_valid():
            try:
                membership = services.agency_member_set(agency=agency, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)  # field errors go to their field, others above the form
            else:
                messages.success(
                    request,
                    _("%(name)s is now %(role)s.")
                    % {"name": membership.user.public_name, "role": membership.get_role_display()},
                )
                return redirect("accounts:agency_members", slug=agency.slug)
        return self._render(request, agency, form, status=400)


class AgencyMemberRemoveView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, slug, membership_id):
        agency = agency_for_action(user=request.user, slug=slug, permission="accounts.manage_agency_members")
        try:
            services.agency_member_remove(agency=agency, membership_id=membership_id)
        except AgencyMembership.DoesNotExist as error:
            # Another agency's membership id (or a stale one): not found here, not a 500.
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The member was removed."))
        return redirect("accounts:agency_members", slug=agency.slug)
