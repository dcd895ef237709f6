"""Follow buttons, the list of what one follows, notification email preferences and one-click unsubscribe."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from accounts.follows import follow_list_for_user, follow_set, follow_target_get, follow_target_is_public
from accounts.models import NotificationPreference
from accounts.notifications import email_unsubscribe_user, notification_email_mode, notification_email_mode_set
from common.ratelimit import WriteRateLimitMixin
from common.urls_safety import safe_next_url


class FollowView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """POST `follow=1` to follow a contest, proposal or agency, `follow=0` to stop; then back where one was."""

    kind = ""

    def post(self, request, key):
        target = follow_target_get(kind=self.kind, key=key)
        if target is None:
            raise Http404
        follow = request.POST.get("follow") == "1"
        if follow and not follow_target_is_public(request.user, target):
            raise Http404  # a draft or hidden target: do not confirm it exists (unfollowing stays possible)
        if follow and not request.user.has_perm("accounts.add_follow", target):
            raise PermissionDenied(_("Only signed-in citizens with a verified email can follow."))
        following = follow_set(user=request.user, target=target, follow=follow)
        if following:
            messages.success(request, _("You follow “%(name)s” now.") % {"name": target})
        else:
            messages.success(request, _("You no longer follow “%(name)s”.") % {"name": target})
        return redirect(safe_next_url(request, target.get_absolute_url()))


class FollowListView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/follows/follow_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=follow_list_for_user(user=self.request.user), **kwargs)


class EmailPreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=gettext_lazy("Emails about my notifications"),
        choices=NotificationPreference.EmailMode.choices,
        widget=forms.RadioSelect,
    )


class NotificationPreferencesView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "accounts/follows/preferences.html"

    def get(self, request):
        form = EmailPreferenceForm(initial={"email_mode": notification_email_mode(user=request.user)})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = EmailPreferenceForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        notification_email_mode_set(user=request.user, email_mode=form.cleaned_data["email_mode"])
        messages.success(request, _("Your email preference was saved."))
        return redirect("follows:preferences")


# Why a GET that unsubscribes at once: the promise is one click, and a confirmation page
# breaks it. A link scanner that prefetches the URL could unsubscribe someone, so the
# page says what happened and offers "undo" (a POST, which scanners do not send). Mail
# clients' RFC 8058 one-click POST carries no CSRF token: the signed token is the authority.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET (or a mail client's one-click POST) turns notification emails off; the page's button undoes it."""

    template_name = "accounts/follows/unsubscribe.html"

    def _user(self, token):
        user = email_unsubscribe_user(token)
        if user is None:
            raise Http404
        return user

    def get(self, request, token):
        user = self._user(token)
        previous = notification_email_mode(user=user)
        notification_email_mode_set(user=user, email_mode=NotificationPreference.EmailMode.NONE)
        return render(request, self.template_name, {"token": token, "mode": "none", "previous": previous})

    def post(self, request, token):
        user = self._user(token)
        restore = request.POST.get("restore", "")
        if restore in NotificationPreference.EmailMode.values:
            notification_email_mode_set(user=user, email_mode=restore)
            return render(request, self.template_name, {"token": token, "mode": restore, "previous": restore})
        previous = notification_email_mode(user=user)
        notification_email_mode_set(user=user, email_mode=NotificationPreference.EmailMode.NONE)
        return render(request, self.template_name, {"token": token, "mode": "none", "previous": previous})
