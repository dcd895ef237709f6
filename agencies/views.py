"""Agency pages: the public list and profile, and the admin pages for the profile and members.

The profile page shows other apps' content (contests, accountability figures) through their
template tags, so this app needs none of their code.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from accounts.rules import is_verified
from agencies import selectors, services
from agencies.census import census_claim, census_of, census_upload, is_on_census
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


class CensusManageView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """Agency admins: the salt to hash with, the list's size, and uploading a new list of hashes."""

    template_name = "agencies/census_manage.html"
    max_upload_bytes = 200 * 1024 * 1024

    def _agency(self):
        return agency_for_action(user=self.request.user, slug=self.kwargs["slug"], permission="agencies.change_agency")

    def _render(self, request, agency, status=200):
        census = census_of(agency)
        context = {
            "agency": agency,
            "census": census,
            "listed": census.entries.count(),
            "claimed": census.entries.filter(claimed_by__isnull=False).count(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug):
        return self._render(request, self._agency())

    def post(self, request, slug):
        agency = self._agency()
        upload = request.FILES.get("hashes")
        if upload is None or upload.size > self.max_upload_bytes:
            messages.error(request, _("Choose a text file with one hash per line (at most 200 MB)."))
            return self._render(request, agency, status=400)
        try:
            lines = upload.read().decode("ascii").splitlines()
            listed, added = census_upload(agency=agency, lines=lines)
        except UnicodeDecodeError:
            messages.error(request, _("The file must be plain text: one hash per line."))
            return self._render(request, agency, status=400)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self._render(request, agency, status=400)
        messages.success(
            request,
            _("The census list now has %(listed)s entries (%(added)s new).") % {"listed": listed, "added": added},
        )
        return redirect("agencies:census", slug=agency.slug)


class CensusVerifyView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """Citizens: prove they are on the agency's census list by typing their ID number (hashed, never kept)."""

    template_name = "agencies/census_verify.html"

    def get(self, request, slug):
        agency = get_object_or_404(Agency, slug=slug)
        return render(request, self.template_name, {"agency": agency, "verified": is_on_census(request.user, agency)})

    def post(self, request, slug):
        agency = get_object_or_404(Agency, slug=slug)
        if not is_verified(request.user):
            messages.error(request, _("Verify your email address first."))
            return redirect("agencies:census_verify", slug=agency.slug)
        try:
            census_claim(user=request.user, agency=agency, id_number=request.POST.get("id_number", "")[:64])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(request, self.template_name, {"agency": agency, "verified": False}, status=400)
        messages.success(request, _("You are verified on %(agency)s's census list.") % {"agency": agency.name})
        return redirect("agencies:census_verify", slug=agency.slug)
