"""Rewards: agencies list them with a points price and a stock; citizens spend points on them.

Redeeming is one transaction that locks the citizen's user row (the same lock every award takes,
engagement.services.points_award), so two redemptions of one citizen are serialised and the
balance read before spending is the balance spent from: it never goes below zero. The stock is
taken with one conditional `UPDATE … SET stock = stock - 1 WHERE stock > 0`, so parallel
redemptions of the last item give it to one of them. The spending is a negative ledger entry
(models.SPENT_ACTION) pointing at the redemption; nothing is ever updated in the ledger.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagement.models import SPENT_ACTION, PointsEntry, Redemption, Reward


@transaction.atomic
def reward_create(*, agency, name: str, points_price: int, stock: int, description: str = "") -> Reward:
    """List a reward of the agency. Caller has checked `engagement.manage_rewards` on the agency."""
    if points_price < 1:
        raise ValidationError({"points_price": _("The price must be at least one point.")})
    return Reward.objects.create(
        agency=agency, name=name, description=description, points_price=points_price, stock=stock
    )


@transaction.atomic
def reward_restock(*, reward: Reward, add: int) -> None:
    """Add items to the stock (an atomic increment: redemptions running now are not lost)."""
    Reward.objects.filter(pk=reward.pk).update(stock=F("stock") + max(0, add))


def _balance_locked(user_id: int) -> int:
    return PointsEntry.objects.filter(user_id=user_id).aggregate(total=Sum("points"))["total"] or 0


@transaction.atomic
def reward_redeem(*, user: User, reward_id: int) -> Redemption:
    """Spend the reward's price from the user's points and take one item of its stock.

    ValidationError (and nothing stored) when the reward is not offered, out of stock, or the
    user's balance is short. Caller has checked `engagement.redeem_reward`.
    """
    if User.objects.select_for_update().filter(pk=user.pk, is_active=True).values_list("pk").first() is None:
        raise ValidationError(_("This account cannot redeem rewards."))
    reward = Reward.objects.filter(pk=reward_id, is_active=True).first()
    if reward is None:
        raise ValidationError(_("This reward is not offered."))
    balance = _balance_locked(user.pk)
    if balance < reward.points_price:
        raise ValidationError(
            _("You have %(balance)s points; this reward costs %(price)s.")
            % {"balance": balance, "price": reward.points_price}
        )
    if not Reward.objects.filter(pk=reward.pk, stock__gt=0).update(stock=F("stock") - 1):
        raise ValidationError(_("This reward is out of stock."))
    redemption = Redemption.objects.create(reward=reward, user=user, points=reward.points_price)
    PointsEntry.objects.create(
        user=user,
        action=SPENT_ACTION,
        content_type=ContentType.objects.get_for_model(Redemption),
        object_id=redemption.pk,
        points=-reward.points_price,
        reason=reward.name[:40],
    )
    return redemption


@transaction.atomic
def redemption_hand_over(*, redemption: Redemption, by: User) -> bool:
    """Mark the redemption handed over (once; False if it already was). Caller has checked
    `engagement.manage_rewards` on the reward's agency."""
    return bool(
        Redemption.objects.filter(pk=redemption.pk, status=Redemption.Status.WAITING).update(
            status=Redemption.Status.HANDED_OVER, handed_over_at=timezone.now(), handed_over_by=by
        )
    )
