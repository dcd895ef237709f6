"""Following (subscribing to) contests, proposals, agencies: one model for every kind of target.

What can be followed is registered by the app that owns it (`followables.register`, in its
`AppConfig.ready()`), with how to find it from a URL and who may see it. The follow URLs are
`/follow/<segment>/<key>/` ("contests", slug; "proposals", id; "agencies", slug). Registering
also connects a delete signal, so a target's subscriptions go with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete

from accounts.models import User
from common.registry import Registry
from notifications.models import Subscription


@dataclass(frozen=True)
class Followable:
    model: type[models.Model]
    segment: str  # the URL segment: /follow/<segment>/<key>/
    label: object  # "Contest", for lists of what one follows
    lookup: Callable[[str], models.Model | None]  # the target named by a URL key, or None
    is_visible: Callable[[object, models.Model], bool]  # (user, target): may they see (and so follow) it
    url_key: Callable[[models.Model], str]  # the URL key of a target (slug or id)
    # The targets with what their links need loaded (a proposal's contest), for lists.
    queryset: Callable[[], QuerySet] | None = None

    def targets(self) -> QuerySet:
        return self.queryset() if self.queryset is not None else self.model._default_manager.all()


followables: Registry[type[models.Model], Followable] = Registry("followables")


def _delete_subscriptions(sender, instance, **kwargs) -> None:
    Subscription.objects.filter(content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk).delete()


def followable_register(followable: Followable) -> None:
    """Make a model followable (call from the owning app's ready())."""
    followables.register(followable.model, followable)
    post_delete.connect(
        _delete_subscriptions, sender=followable.model, dispatch_uid=f"subscriptions-{followable.model._meta.label}"
    )


def followable_for_segment(segment: str) -> Followable | None:
    return next((entry for entry in followables.values() if entry.segment == segment), None)


def _target_filter(target: models.Model) -> dict:
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def subscription_set(*, user: User, target: models.Model, follow: bool) -> bool:
    """Follow (or stop following) a target; returns whether the user now follows it.

    Caller has checked `notifications.add_subscription` to follow (stopping is always allowed).
    Idempotent: following twice keeps one row (the unique constraint decides under races).
    """
    if not follow:
        Subscription.objects.filter(user=user, **_target_filter(target)).delete()
        return False
    if not Subscription.objects.filter(user=user, **_target_filter(target)).exists():
        try:
            with transaction.atomic():
                Subscription.objects.create(user=user, **_target_filter(target))
        except IntegrityError:
            pass  # a concurrent request created it first
    return True


@transaction.atomic
def subscriptions_move(*, source: models.Model, target: models.Model) -> int:
    """Move every subscription of `source` to `target` (a merge); who followed both keeps one. Returns how many moved."""
    moving = Subscription.objects.filter(**_target_filter(source))
    already = Subscription.objects.filter(**_target_filter(target)).values("user_id")
    moving.filter(user_id__in=already).delete()
    return moving.update(**_target_filter(target))


# --- reads -------------------------------------------------------------------------------------


def subscription_exists(*, user, target: models.Model) -> bool:
    """Whether `user` follows `target` (one query; False for anonymous visitors, without a query)."""
    if not (user and user.is_authenticated):
        return False
    return Subscription.objects.filter(user_id=user.pk, **_target_filter(target)).exists()


def subscriber_ids(*, target: models.Model) -> QuerySet:
    """A values queryset of the ids of the target's followers (for use in a subquery)."""
    return Subscription.objects.filter(**_target_filter(target)).values("user_id")


def subscribers_of(*, target: models.Model) -> list[User]:
    """Active users following `target`."""
    return list(User.objects.filter(pk__in=subscriber_ids(target=target), is_active=True))


@dataclass(frozen=True)
class SubscriptionEntry:
    subscription: Subscription
    followable: Followable
    target: models.Model


def subscription_list_for_user(*, user: User) -> list[SubscriptionEntry]:
    """What the user follows and may still see, newest first, targets loaded (one query per kind of target)."""
    rows = list(Subscription.objects.filter(user=user).select_related("content_type"))
    by_model: dict[type, list[int]] = {}
    for row in rows:
        by_model.setdefault(row.content_type.model_class(), []).append(row.object_id)
    targets = {
        model: followables[model].targets().in_bulk(ids) for model, ids in by_model.items() if model in followables
    }
    entries = []
    for row in rows:
        model = row.content_type.model_class()
        target = targets.get(model, {}).get(row.object_id)
        if target is not None and followables[model].is_visible(user, target):
            entries.append(SubscriptionEntry(subscription=row, followable=followables[model], target=target))
    return entries
