"""Writes for agencies. Callers have checked the matching `agencies.*` permission."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency, AgencyMembership


def _unique_agency_slug(name: str) -> str:
    base = slugify(name)[:70] or "agency"
    slug, counter = base, 2
    while Agency.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def agency_create(*, name: str, description: str = "", website: str = "", slug: str = "") -> Agency:
    """Create an agency (site admins only). The slug is derived from the name unless given."""
    agency = Agency(name=name, description=description, website=website, slug=slug or _unique_agency_slug(name))
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def agency_member_set(*, agency: Agency, email: str, role: str) -> AgencyMembership:
    """Give the account with `email` a role in `agency`, or change its role.

    Raises ValidationError when no active account uses the email, the role is unknown,
    or the change would demote the agency's last administrator.
    """
    if role not in AgencyMembership.Role.values:
        raise ValidationError({"role": _("Choose admin, manager or staff.")})
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"email": _("No active account uses this email address. Ask them to sign up first.")})
    if role != AgencyMembership.Role.ADMIN:
        _ensure_another_admin(agency=agency, leaving_user_id=user.pk)
    membership, _created = AgencyMembership.objects.update_or_create(agency=agency, user=user, defaults={"role": role})
    return membership


def _ensure_another_admin(*, agency: Agency, leaving_user_id: int) -> None:
    """Refuse a change that would leave the agency without an administrator (rows locked meanwhile)."""
    admins = list(
        AgencyMembership.objects.select_for_update()
        .filter(agency=agency, role=AgencyMembership.Role.ADMIN)
        .values_list("user_id", flat=True)
    )
    if leaving_user_id in admins and len(admins) <= 1:
        raise ValidationError(_("An agency needs at least one administrator."))


@transaction.atomic
def agency_member_remove(*, agency: Agency, membership_id: int) -> None:
    """Remove a member. The last admin cannot be removed, so an agency is never left unmanaged."""
    membership = AgencyMembership.objects.select_for_update().get(agency=agency, pk=membership_id)
    if membership.role == AgencyMembership.Role.ADMIN:
        _ensure_another_admin(agency=agency, leaving_user_id=membership.user_id)
    membership.delete()
