"""Data tasks: items shown to k different citizens, retired at agreement, gold items that score citizens.

- Each item takes at most k counted answers (`answers_per_item`): the count is raised with one conditional
  `UPDATE … WHERE answers_count < k`, so parallel answers never pass k.
- An item retires once its top answer has more than `agreement` × k counted votes (0.5: a majority of k),
  or, without agreement, once it has k counted answers (its consensus stays empty).
- Gold items (a known answer) are shown to everyone: first `gold_min_answers` of them, then one in every
  items/gold. A citizen whose accuracy on gold is surely below `gold_accuracy_min` (its Wilson upper
  bound, one-sided 95 %, after `gold_min_answers` gold answers) gets no more items; their answers stop counting (`discounted`), so the items they touched
  are settled again from the others' answers and reopen when they fall short.
- A claim of a data task is a batch of `batch_size` items; when it is done the work is submitted for review.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Mod
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.uploads import clean_image_upload
from microtasks.claims import slots_free
from microtasks.models import Campaign, Claim, Item, ItemAnswer, Submission
from microtasks.rules import Refusal

MAX_ITEMS_PER_UPLOAD = 5000
MAX_CSV_BYTES = 2 * 1024 * 1024


def votes_needed(campaign: Campaign) -> int:
    """The smallest count above `agreement` × k: 3 of 5 for a majority, 4 of 5 at 0.6."""
    return int(campaign.agreement * campaign.answers_per_item) + 1


@transaction.atomic
def items_from_csv(*, campaign: Campaign, upload) -> int:
    """Add items from a CSV with columns id, text and optionally gold; how many. ValidationError for bad files."""
    if upload.size > MAX_CSV_BYTES:
        raise ValidationError(_("The CSV file is too large; the limit is 2 MB."))
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The CSV file must be UTF-8 text.")) from error
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"id", "text"} <= {name.strip().lower() for name in reader.fieldnames}:
        raise ValidationError(_("The CSV file needs the columns id and text."))
    items = []
    for number, row in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        gold = row.get("gold", "")
        if not row["id"] or len(row["id"]) > 100 or len(row["text"]) > 2000:
            raise ValidationError(
                _("Line %(line)s: an id (up to 100 characters) and a text (up to 2000).") % {"line": number}
            )
        if gold and gold not in campaign.choices:
            raise ValidationError(_("Line %(line)s: the gold answer is not one of the choices.") % {"line": number})
        items.append(Item(campaign=campaign, external_id=row["id"], text=row["text"], gold_answer=gold))
        if len(items) > MAX_ITEMS_PER_UPLOAD:
            raise ValidationError(_("At most 5000 items per upload."))
    try:
        with transaction.atomic():
            Item.objects.bulk_create(items)
    except IntegrityError as error:
        raise ValidationError(_("Two items have the same id, or an id is already in this campaign.")) from error
    return len(items)


@transaction.atomic
def items_from_images(*, campaign: Campaign, uploads) -> int:
    """Add one item per image (re-encoded, metadata stripped); the file name is the item's id."""
    start = Item.objects.filter(campaign=campaign).count()
    for offset, upload in enumerate(uploads, start=1):
        clean = clean_image_upload(upload, max_bytes=settings.MICROTASKS_PHOTO_MAX_BYTES)
        item = Item(campaign=campaign, external_id=f"{start + offset}-{clean.name}"[:100])
        item.image.save(clean.name, clean.content, save=False)
        item.save()
    return len(uploads)


def accuracy(*, campaign_id: int, citizen_id: int) -> tuple[int, int]:
    """(correct, gold answered) of the citizen in the campaign."""
    golds = ItemAnswer.objects.filter(item__campaign_id=campaign_id, citizen_id=citizen_id, is_gold=True)
    return golds.filter(correct=True).count(), golds.count()


# One-sided 95 %: a citizen is cut off only when we are that sure their accuracy is below the threshold.
Z_ONE_SIDED_95 = 1.645


def accuracy_upper_bound(correct: int, answered: int, z: float = Z_ONE_SIDED_95) -> float:
    """Wilson score upper bound of the accuracy behind `correct` right answers out of `answered`."""
    if answered == 0:
        return 1.0
    p = correct / answered
    denominator = 1 + z * z / answered
    centre = p + z * z / (2 * answered)
    spread = z * math.sqrt(p * (1 - p) / answered + z * z / (4 * answered * answered))
    return (centre + spread) / denominator


def is_cut_off(campaign: Campaign, citizen_id: int) -> bool:
    """True once the citizen answered `gold_min_answers` gold items and even the upper bound of their accuracy is
    below `gold_accuracy_min`: a careful citizen's one slip does not cut them off, a random clicker soon is."""
    correct, answered = accuracy(campaign_id=campaign.pk, citizen_id=citizen_id)
    return (
        answered >= campaign.gold_min_answers and accuracy_upper_bound(correct, answered) < campaign.gold_accuracy_min
    )


def item_next(*, claim: Claim) -> Item | None:
    """The next item for the claim's citizen, or None when there is none left for them."""
    campaign = claim.campaign
    if is_cut_off(campaign, claim.citizen_id):
        return None
    answered = ItemAnswer.objects.filter(item__campaign=campaign, citizen_id=claim.citizen_id)
    answered_ids = answered.values("item_id")
    gold_done = answered.filter(is_gold=True).count()
    items = Item.objects.filter(campaign=campaign).exclude(pk__in=answered_ids)
    golds = items.exclude(gold_answer="")
    gold_total = Item.objects.filter(campaign=campaign).exclude(gold_answer="").count()
    every = max(2, round(Item.objects.filter(campaign=campaign).count() / gold_total)) if gold_total else 0
    want_gold = gold_total and (gold_done < campaign.gold_min_answers or answered.count() % every == 0)
    # Each citizen meets the gold items in an order of their own (a fixed shuffle by their id).
    golds = golds.annotate(turn=Mod(F("pk") * claim.citizen_id + claim.citizen_id, 7919)).order_by("turn", "pk")
    if want_gold and (gold := golds.first()) is not None:
        return gold
    regular = items.filter(gold_answer="", retired_at__isnull=True, answers_count__lt=campaign.answers_per_item)
    # Items closest to retiring first, so results come in early; the pk keeps it stable.
    return regular.order_by("-answers_count", "pk").first() or golds.first()


def _settle(item: Item, now: datetime) -> None:
    """Retire or reopen the item from its counted answers (those of citizens not cut off)."""
    campaign = item.campaign
    counted = Counter(
        ItemAnswer.objects.filter(item=item, discounted=False).values_list("answer", flat=True).order_by()
    )
    total = sum(counted.values())
    top, votes = counted.most_common(1)[0] if counted else ("", 0)
    if votes >= votes_needed(campaign):
        retired_at, consensus = item.retired_at or now, top
    elif total >= campaign.answers_per_item:
        retired_at, consensus = item.retired_at or now, ""
    else:
        retired_at, consensus = None, ""
    Item.objects.filter(pk=item.pk).update(answers_count=total, retired_at=retired_at, consensus=consensus)


def _cut_off(campaign: Campaign, claim: Claim, now: datetime) -> None:
    """Stop counting the citizen's answers, settle what they touched again, and close their claim as rejected."""
    touched = list(
        Item.objects.filter(answers__citizen_id=claim.citizen_id, answers__is_gold=False, campaign=campaign).distinct()
    )
    ItemAnswer.objects.filter(item__campaign=campaign, citizen_id=claim.citizen_id).update(discounted=True)
    for item in touched:
        _settle(item, now)
    correct, answered = accuracy(campaign_id=campaign.pk, citizen_id=claim.citizen_id)
    Submission.objects.create(
        claim=claim,
        round=2 if claim.redo_used else 1,
        answers={"items": claim.item_answers.count(), "gold_correct": correct, "gold_answered": answered},
        status=Submission.Status.REJECTED,
        submitted_at=now,
        reviewed_at=now,
        review_due_at=now,
        reason=_("Accuracy on the check items was below the campaign's threshold."),
    )
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.REJECTED, closed_at=now)
    slots_free(campaign_counts={campaign.pk: 1})


def _finish(claim: Claim, now: datetime) -> Submission:
    correct, answered = accuracy(campaign_id=claim.campaign_id, citizen_id=claim.citizen_id)
    submission = Submission.objects.create(
        claim=claim,
        round=2 if claim.redo_used else 1,
        answers={"items": claim.item_answers.count(), "gold_correct": correct, "gold_answered": answered},
        submitted_at=now,
        review_due_at=Submission.due_from(claim.campaign, now),
    )
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.SUBMITTED)
    return submission


@transaction.atomic
def item_answer(*, citizen: User, claim_id: int, item_id: int, answer: str, now: datetime | None = None) -> ItemAnswer:
    """Record the citizen's answer to an item of their data-task claim. Refusal (nothing stored) for a claim
    not theirs or not in progress, an item not in it, an answer not among the choices, a second answer, a full item."""
    now = now or timezone.now()
    claim = Claim.objects.select_for_update().select_related("campaign").filter(pk=claim_id, citizen=citizen).first()
    if claim is None:
        raise Refusal(_("No such claim."), 404)
    campaign = claim.campaign
    if campaign.kind != Campaign.Kind.DATA:
        raise Refusal(_("This task takes a photo as proof, not item answers."))
    if claim.status != Claim.Status.ACTIVE or claim.is_overdue(now):
        raise Refusal(_("This claim is not in progress any more."), 409)
    if is_cut_off(campaign, citizen.pk):
        raise Refusal(
            _("Your answers to the check items were too often wrong; this task has no more items for you."), 403
        )
    item = Item.objects.filter(pk=item_id, campaign=campaign).first() if 0 < item_id < 2**63 else None
    if item is None:
        raise Refusal(_("No such item."), 404)
    if answer not in campaign.choices:
        raise Refusal(_("Choose one of the answers offered."))
    if ItemAnswer.objects.filter(item=item, citizen=citizen).exists():
        raise Refusal(_("You have already answered this item."), 409)
    if not item.is_gold:
        counted = Item.objects.filter(
            pk=item.pk, retired_at__isnull=True, answers_count__lt=campaign.answers_per_item
        ).update(answers_count=F("answers_count") + 1)
        if not counted:
            raise Refusal(_("This item has all the answers it needs; take the next one."), 409)
    recorded = ItemAnswer.objects.create(
        item=item,
        claim=claim,
        citizen=citizen,
        answer=answer,
        is_gold=item.is_gold,
        correct=(answer == item.gold_answer) if item.is_gold else None,
        created_at=now,
    )
    if not item.is_gold:
        _settle(item, now)
    if item.is_gold and is_cut_off(campaign, citizen.pk):
        _cut_off(campaign, claim, now)
    elif claim.item_answers.count() >= campaign.batch_size or item_next(claim=claim) is None:
        _finish(claim, now)
    return recorded


def consensus_rows(*, campaign: Campaign) -> list[dict]:
    """Every item with its consensus (empty until agreement), counted answers and agreeing votes."""
    counted: dict[int, Counter] = {}
    for item_id, answer in ItemAnswer.objects.filter(item__campaign=campaign, discounted=False).values_list(
        "item_id", "answer"
    ):
        counted.setdefault(item_id, Counter())[answer] += 1
    rows = []
    for item in Item.objects.filter(campaign=campaign).order_by("pk"):
        votes = counted.get(item.pk, Counter())
        top, agreeing = votes.most_common(1)[0] if votes else ("", 0)
        rows.append(
            {
                "id": item.external_id,
                "consensus": top if agreeing >= votes_needed(campaign) else "",
                "agreeing": agreeing,
                "answers": sum(votes.values()),
                "gold": item.gold_answer,
                "retired": item.retired_at is not None,
            }
        )
    return rows


def consensus_csv(*, campaign: Campaign) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["id", "consensus", "agreeing", "answers", "gold", "retired"])
    writer.writeheader()
    for row in consensus_rows(campaign=campaign):
        # A leading = + - @ would be a formula in a spreadsheet: quote it as text.
        writer.writerow(
            {key: f"'{value}" if str(value)[:1] and str(value)[0] in "=+-@" else value for key, value in row.items()}
        )
    return buffer.getvalue()
