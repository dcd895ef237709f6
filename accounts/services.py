"""Writes for accounts."""

from rest_framework.authtoken.models import Token

from accounts.models import User


def user_update_profile(*, user: User, display_name: str) -> User:
    user.display_name = display_name
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name"])
    return user


def tokens_revoke_on_password_change(sender, instance: User, **kwargs) -> None:
    """pre_save of User: a new password (change, reset, admin, manage.py) revokes every API token.

    Django marks a password set since the last save in `_password`; the deletion commits or rolls
    back with the save itself.
    """
    if instance.pk and getattr(instance, "_password", None) is not None:
        Token.objects.filter(user_id=instance.pk).delete()
