from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, UpdateView

from accounts import services
from accounts.forms import ProfileForm
from accounts.models import User
from accounts.rules import is_verified
from accounts.verification import has_verified_phone, phone_code_confirm, phone_code_send
from common.ratelimit import WriteRateLimitMixin


class ProfileView(DetailView):
    """A user's public page: display name and public contributions, never the email.

    What the person did elsewhere (agency roles, badges, contributions) is shown by the
    owning apps' template tags.
    """

    template_name = "accounts/user_profile.html"
    context_object_name = "profile_user"

    def get_object(self, queryset=None):
        return get_object_or_404(User, pk=self.kwargs["user_id"], is_active=True)


class ProfileEditView(LoginRequiredMixin, WriteRateLimitMixin, UpdateView):
    template_name = "accounts/user_profile_edit.html"
    form_class = ProfileForm

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        services.user_update_profile(user=self.request.user, display_name=form.cleaned_data["display_name"])
        messages.success(self.request, _("Your profile was saved."))
        return redirect("accounts:profile", user_id=self.request.user.pk)


class VerificationView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """The account's verification levels, and verifying a phone number with a one-time SMS code."""

    template_name = "accounts/verification.html"

    def _render(self, request, status=200, code_sent=False):
        context = {
            "email_verified": is_verified(request.user),
            "phone_verified": has_verified_phone(request.user),
            "code_sent": code_sent,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        if not is_verified(request.user):
            messages.error(request, _("Verify your email address first."))
            return self._render(request, status=400)
        action = request.POST.get("action")
        try:
            if action == "send":
                phone_code_send(user=request.user, phone=request.POST.get("phone", "")[:40])
                messages.success(request, _("A code is on its way by SMS. Enter it below."))
                return self._render(request, code_sent=True)
            phone_code_confirm(user=request.user, code=request.POST.get("code", "")[:20])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self._render(request, status=400, code_sent=action != "send")
        messages.success(request, _("Your phone number is verified."))
        return redirect("accounts:verification")
