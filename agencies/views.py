"""Agency pages: the public list and profile, and the admin pages for the profile and members.

The profile page shows other apps' content (contests, accountability figures) through their
template tags, so this app needs none of their code.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from agencies import selectors, services
from agencies.forms import AgencyForm, AgencyMemberForm
from agencies.models import Agency, AgencyMembership
from agencies.selectors import agency_for_action
from common.ratelimit import WriteRateLimitMixin


class AgencyListView(ListView):
    template_name = "agencies/agency_list.html"
    context_object_name = "agencies"
    paginate_by = 24

    def get_queryset(self):
        return selectors.agency_list()


class AgencyDetailView(DetailView):
    template_name = "agencies/agency_detail.html"
    context_object_name = "agency"
    model = Agency

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.request.user.has_perm("agencies.manage_agency_contests", self.object)
        context["can_change"] = self.request.user.has_perm("agencies.change_agency", self.object)
        return context


class AgencyEditView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "agencies/agency_edit.html"

    def _agency(self):
        return agency_for_action(user=self.request.user, slug=self.kwargs["slug"], permission="agencies.change_agency")

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
    template_name = "agencies/agency_members.html"

    def _agency(self):
        return agency_for_action(
            user=self.request.user, slug=self.kwargs["slug"], permission="agencies.manage_agency_members"
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
                return redirect("agencies:members", slug=agency.slug)
        return self._render(request, agency, form, status=400)


class AgencyMemberRemoveView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, slug, membership_id):
        agency = agency_for_action(user=request.user, slug=slug, permission="agencies.manage_agency_members")
        try:
            services.agency_member_remove(agency=agency, membership_id=membership_id)
        except AgencyMembership.DoesNotExist as error:
            # Another agency's membership id (or a stale one): not found here, not a 500.
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The member was removed."))
        return redirect("agencies:members", slug=agency.slug)
