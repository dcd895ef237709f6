"""The signed-in user's notifications: list (paginated), mark one or all read."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.notifications import (
    notification_list_for_user,
    notification_mark_all_read,
    notification_mark_read,
    notification_text,
)
from common.urls_safety import safe_next_url


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "accounts/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self):
        notifications = notification_list_for_user(user=self.request.user)
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
        if not notification_mark_read(user=request.user, notification_id=pk):
            raise Http404
        return redirect(safe_next_url(request, reverse("notifications:list")))


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = notification_mark_all_read(user=request.user)
        messages.success(request, _("All notifications are marked as read.") if count else _("Nothing was unread."))
        return redirect("notifications:list")
