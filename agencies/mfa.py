"""Multi-factor authentication is mandatory for agency staff and site admins (settings.MFA_REQUIRED_FOR_STAFF).

It is enforced at the next sign-in: allauth's `user_logged_in` marks the session of such a person
who has no authenticator yet, and until they activate one (TOTP; recovery codes come with it)
every page sends them to allauth's activation page. Sign-ins after that ask for the code.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.rules import is_site_admin
from agencies.models import AgencyMembership

SESSION_KEY = "civitas.mfa_setup_required"
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/media/")


def mfa_required_for(user) -> bool:
    if not (settings.MFA_REQUIRED_FOR_STAFF and user.is_authenticated):
        return False
    return bool(is_site_admin(user) or user.is_staff or AgencyMembership.objects.filter(user=user).exists())


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mark_session_on_sign_in(sender, request, user, **kwargs) -> None:
    """allauth.account.signals.user_logged_in: remember that this session must set up MFA first."""
    if mfa_required_for(user) and not has_authenticator(user):
        request.session[SESSION_KEY] = True


class MFASetupRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(SESSION_KEY) and request.user.is_authenticated:
            if has_authenticator(request.user):
                del request.session[SESSION_KEY]
            elif not request.path.startswith(_ALLOWED_PREFIXES):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
