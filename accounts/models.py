from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# An account deleted by its owner keeps its row (contributions point at it) under this address and name.
DELETED_EMAIL_DOMAIN = "deleted.invalid"
DELETED_USER_NAME = _("Deleted user")


def public_name_for(*, display_name: str, user_id: int) -> str:
    """A person's public name from their display name, for reads that load no User object."""
    return display_name or _("Citizen #%(id)s") % {"id": user_id}


class UserManager(BaseUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. The email is private; the display name is what others see."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown publicly next to your contributions."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name to show anywhere public; never falls back to the email."""
        if not self.is_active and self.email.endswith("@" + DELETED_EMAIL_DOMAIN):
            return str(DELETED_USER_NAME)
        return public_name_for(display_name=self.display_name, user_id=self.pk)

    def get_full_name(self) -> str:
        return self.public_name

    def get_short_name(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"user_id": self.pk})


class PhoneVerification(models.Model):
    """An account's verified phone number, kept only as a keyed hash; one account per number."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="phone_verification")
    phone_hash = models.CharField(max_length=64, unique=True)
    verified_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"phone of {self.user_id}"


class PhoneChallenge(models.Model):
    """The one-time code last sent to an account (hashed), until it is used, expires or is guessed at too often."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"code for {self.user_id}"
