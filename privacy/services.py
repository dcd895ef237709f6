"""Account deletion and retention of personal logs.

Deleting an account anonymises the user row instead of removing it: public contributions
(proposals, comments, votes, reviews) keep pointing at it and show "Deleted user", votes stay
counted, and no foreign key (Proposal.author is PROTECT) has to change. Everything that only
serves the person — emails, sign-in, tokens, sessions, follows, notifications, preferences,
memberships — is deleted, sessions end, and the name and email copied onto comments are erased.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from rest_framework.authtoken.models import Token

from accounts.models import DELETED_EMAIL_DOMAIN, DELETED_USER_NAME
from agencies.models import AgencyMembership
from notifications.models import Notification, NotificationPreference, Subscription


@transaction.atomic
def account_delete(*, user) -> None:
    """Erase the person's personal data; keep their public contributions as "Deleted user"."""
    user_id = user.pk
    EmailAddress.objects.filter(user=user).delete()
    user.socialaccount_set.all().delete()
    Token.objects.filter(user=user).delete()
    Subscription.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    AgencyMembership.objects.filter(user=user).delete()
    XtdComment.objects.filter(user=user).update(
        user_name=str(DELETED_USER_NAME), user_email="", user_url="", ip_address=None
    )
    user.email = f"deleted-{user_id}@{DELETED_EMAIL_DOMAIN}"
    user.display_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()  # a new (unusable) password ends every session: their hash no longer matches


def personal_logs_purge(*, now=None) -> int:
    """Erase comment IP addresses older than PERSONAL_LOG_RETENTION_DAYS; returns how many. Safe to run twice."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PERSONAL_LOG_RETENTION_DAYS)
    return XtdComment.objects.filter(submit_date__lt=cutoff, ip_address__isnull=False).update(ip_address=None)
