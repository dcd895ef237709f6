from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class Agency(TimeStampedModel):
    """A public body that runs contests."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    logo = models.ImageField(_("logo"), upload_to="agencies/logos/", blank=True)
    website = models.URLField(_("website"), blank=True)
    # The parent agency (上级部门) oversees its sub-agencies: it sees and reassigns their citizen reports.
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    members = models.ManyToManyField("accounts.User", through="AgencyMembership", related_name="agencies")

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", kwargs={"slug": self.slug})


class AgencyMembership(TimeStampedModel):
    """A user's role in an agency. Admins manage the agency; managers run its contests; staff triage its reports."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff (citizen reports)")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="agency_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")
        # Constraint names keep the prefix of the app the model was born in (accounts): renaming
        # them would rebuild the constraints on every database for no change in behaviour.
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="accounts_membership_unique_agency_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "manager", "staff"]), name="accounts_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.public_name} ({self.get_role_display()}, {self.agency})"


class CensusList(models.Model):
    """An agency's list of people who may take part where a contest asks for census verification.

    The agency uploads salted hashes, sha256(salt + ID number), computed on its own
    machines with the salt shown here: Civitas never receives an ID number from the
    agency and never stores the one a citizen types (it is hashed the same way and dropped).
    """

    agency = models.OneToOneField("agencies.Agency", on_delete=models.CASCADE, related_name="census")
    salt = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"census of {self.agency_id}"


class CensusEntry(models.Model):
    """One listed person (by hash), and the account that claimed them (one account per person)."""

    census = models.ForeignKey(CensusList, on_delete=models.CASCADE, related_name="entries")
    id_hash = models.CharField(max_length=64)
    claimed_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["census", "id_hash"], name="agencies_census_unique_hash"),
            models.UniqueConstraint(fields=["census", "claimed_by"], name="agencies_census_one_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.census_id}: {self.id_hash[:12]}"
