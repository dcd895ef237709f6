from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, UpdateView

from accounts import services
from accounts.forms import ProfileForm
from accounts.models import User
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
