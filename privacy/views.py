"""The account's privacy page: download my data, delete my account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from common.ratelimit import WriteRateLimitMixin
from privacy.selectors import user_data_export_json
from privacy.services import account_delete


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my account and personal data are deleted for good."), required=True
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password."))
        return password


class PrivacyView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "privacy/account_privacy.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AccountDeleteForm(user=request.user)})

    def post(self, request):
        form = AccountDeleteForm(request.POST, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account was deleted. Your public contributions now show “Deleted user”."))
        return redirect("home")


class DataExportView(LoginRequiredMixin, View):
    def get(self, request):
        response = HttpResponse(user_data_export_json(user=request.user), content_type="application/json")
        filename = f"civitas-data-{timezone.now():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
