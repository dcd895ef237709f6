"""The inbox, follow buttons, what one follows, email preferences and one-click unsubscribe."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import ListView, TemplateView

from common.ratelimit import WriteRateLimitMixin
from common.urls_safety import safe_next_url
from notifications import selectors, services
from notifications.emails import unsubscribe_decode
from notifications.kinds import notification_kinds, notification_text
from notifications.models import NotificationPreference
from notifications.rules import target_is_followable
from notifications.subscriptions import followable_for_segment, subscription_list_for_user, subscription_set

EmailMode = NotificationPreference.EmailMode


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self):
        notifications = selectors.notification_list_for_user(user=self.request.user)
        if self.request.GET.get("unread") == "1":
            notifications = notifications.filter(read_at__isnull=True)
        return notifications

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["only_unread"] = self.request.GET.get("unread") == "1"
        context["query_string"] = "unread=1" if context["only_unread"] else ""
        # Text rendered here, in the reader's language, from each notification's kind and data.
        context["entries"] = [
            (notification, notification_text(notification)) for notification in context["notifications"]
        ]
        return context


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark one notification read, then go to `next` (a local URL) or back to the list."""

    def post(self, request, pk):
        if not services.notification_mark_read(user=request.user, notification_id=pk):
            raise Http404
        return redirect(safe_next_url(request, reverse("notifications:list")))


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.notification_mark_all_read(user=request.user)
        messages.success(request, _("All notifications are marked as read.") if count else _("Nothing was unread."))
        return redirect("notifications:list")


class FollowView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """POST `follow=1` to follow a contest, proposal or agency, `follow=0` to stop; then back where one was.

    A target the user may not see is a 404 either way, so the answer never confirms that a
    draft exists, nor shows its title.
    """

    def post(self, request, segment, key):
        followable = followable_for_segment(segment)
        target = followable.lookup(key) if followable is not None else None
        if target is None or not target_is_followable(request.user, target):
            raise Http404
        follow = request.POST.get("follow") == "1"
        if follow and not request.user.has_perm("notifications.add_subscription", target):
            raise PermissionDenied(_("Only signed-in citizens with a verified email can follow."))
        if subscription_set(user=request.user, target=target, follow=follow):
            messages.success(request, _("You follow “%(name)s” now.") % {"name": target})
        else:
            messages.success(request, _("You no longer follow “%(name)s”.") % {"name": target})
        return redirect(safe_next_url(request, target.get_absolute_url()))


class FollowListView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/follow_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=subscription_list_for_user(user=self.request.user), **kwargs)


class PreferencesForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=gettext_lazy("Emails about my notifications"), choices=EmailMode.choices, widget=forms.RadioSelect
    )
    muted_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Never email me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("These stay on your notifications page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["muted_kinds"].choices = sorted(
            ((kind.key, kind.label) for kind in notification_kinds.values()), key=lambda choice: str(choice[1])
        )


class NotificationPreferencesView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "notifications/preferences.html"

    def get(self, request):
        initial = {
            "email_mode": selectors.notification_email_mode(user=request.user),
            "muted_kinds": sorted(selectors.notification_muted_kinds(user=request.user)),
        }
        return render(request, self.template_name, {"form": PreferencesForm(initial=initial)})

    def post(self, request):
        form = PreferencesForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.notification_preference_set(
            user=request.user, email_mode=form.cleaned_data["email_mode"], muted_kinds=form.cleaned_data["muted_kinds"]
        )
        messages.success(request, _("Your email preference was saved."))
        return redirect("notifications:preferences")


# Why a GET that unsubscribes at once: the promise is one click, and a confirmation page
# breaks it. A link scanner that prefetches the URL could unsubscribe someone, so the
# page says what happened and offers "undo" (a POST, which scanners do not send). Mail
# clients' RFC 8058 one-click POST carries no CSRF token: the signed token is the authority.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET (or a mail client's one-click POST) stops notification emails; the page's button undoes it.

    A link from a comment email of an earlier version stops only the kinds it was about.
    """

    template_name = "notifications/unsubscribe.html"

    def _decode(self, token):
        decoded = unsubscribe_decode(token)
        if decoded is None:
            raise Http404
        return decoded

    def _unsubscribe(self, request, token):
        user, kinds = self._decode(token)
        if kinds:
            services.notification_kinds_mute(user=user, kinds=kinds)
            context = {"token": token, "done": "muted", "kinds": [notification_kinds[kind].label for kind in kinds]}
        else:
            previous = selectors.notification_email_mode(user=user)
            services.notification_preference_set(user=user, email_mode=EmailMode.NONE)
            context = {"token": token, "done": "none", "previous": previous}
        return render(request, self.template_name, context)

    def get(self, request, token):
        return self._unsubscribe(request, token)

    def post(self, request, token):
        if "restore" not in request.POST:
            return self._unsubscribe(request, token)
        user, kinds = self._decode(token)
        if kinds:
            services.notification_kinds_unmute(user=user, kinds=kinds)
        else:
            restore = request.POST["restore"]
            if restore not in EmailMode.values:
                raise Http404
            services.notification_preference_set(user=user, email_mode=restore)
        return render(request, self.template_name, {"token": token, "done": "restored"})
