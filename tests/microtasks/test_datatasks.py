"""Data tasks: k answers per item, retirement at agreement, gold items that cut off random clickers, consensus."""

import io
import random
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microtasks import claims, datatasks
from microtasks.models import Claim, Item, ItemAnswer
from microtasks.rules import Refusal
from tests.factories import UserFactory
from tests.microtasks.factories import CampaignFactory

pytestmark = pytest.mark.django_db

CHOICES = ["cat", "dog", "bird"]


def _csv(rows) -> SimpleUploadedFile:
    lines = ["id,text,gold"] + [f"{item_id},{text},{gold}" for item_id, text, gold in rows]
    return SimpleUploadedFile("items.csv", "\n".join(lines).encode(), content_type="text/csv")


def test_a_crowd_of_thirty_reaches_the_truth_and_the_random_clickers_are_cut_off(agency, settings):
    settings.MICROTASKS_OPEN_CLAIMS_LIMIT = 5
    rng = random.Random(14)
    campaign = CampaignFactory(
        agency=agency, data=True, slots=100, choices=CHOICES, answers_per_item=5, agreement=0.5,
        gold_accuracy_min=0.7, gold_min_answers=3, batch_size=100,
    )  # fmt: skip
    truth = {f"item-{n}": rng.choice(CHOICES) for n in range(100)}
    gold_ids = set(list(truth)[:10])
    datatasks.items_from_csv(
        campaign=campaign,
        upload=_csv((item_id, f"Photo {item_id}", truth[item_id] if item_id in gold_ids else "") for item_id in truth),
    )
    accurate = [UserFactory(display_name=f"Accurate {n}") for n in range(20)]
    randoms = [UserFactory(display_name=f"Random {n}") for n in range(10)]
    skill = {citizen.pk: 0.9 for citizen in accurate} | {citizen.pk: None for citizen in randoms}
    crowd = accurate + randoms
    rng.shuffle(crowd)
    claim_of = {citizen.pk: claims.claim_create(citizen=citizen, campaign_id=campaign.pk) for citizen in crowd}

    # Round-robin: everyone asks for an item in turn until nobody gets one.
    while True:
        progressed = False
        for citizen in crowd:
            claim = Claim.objects.select_related("campaign").get(pk=claim_of[citizen.pk].pk)
            if claim.status != Claim.Status.ACTIVE:
                continue
            item = datatasks.item_next(claim=claim)
            if item is None:
                continue
            right = truth[item.external_id]
            if skill[citizen.pk] is None or rng.random() > skill[citizen.pk]:
                answer = (
                    rng.choice(CHOICES) if skill[citizen.pk] is None else rng.choice([c for c in CHOICES if c != right])
                )
            else:
                answer = right
            datatasks.item_answer(citizen=citizen, claim_id=claim.pk, item_id=item.pk, answer=answer)
            progressed = True
        if not progressed:
            break

    # The random clickers are cut off by the gold items; the accurate ones are not.
    cut = {citizen.pk for citizen in crowd if datatasks.is_cut_off(campaign, citizen.pk)}
    # (The rule cuts off a random clicker with 88 % chance over 10 gold items.)
    assert sum(1 for citizen in randoms if citizen.pk in cut) >= 7
    # A careful citizen with a bad run of luck may be cut off too (0.5 % each; two of 20 would be 0.5 %).
    assert sum(1 for citizen in accurate if citizen.pk in cut) <= 1
    assert all(Claim.objects.get(pk=claim_of[c.pk].pk).status == Claim.Status.REJECTED for c in randoms if c.pk in cut)

    # Consensus matches the truth on at least 95 % of the items the accurate majority agreed on.
    accurate_ids = {citizen.pk for citizen in accurate}
    by_item: dict[str, Counter] = {}
    for external_id, citizen_id, answer in ItemAnswer.objects.filter(
        item__campaign=campaign, is_gold=False
    ).values_list("item__external_id", "citizen_id", "answer"):
        if citizen_id in accurate_ids:
            by_item.setdefault(external_id, Counter())[answer] += 1
    agreed = {item_id for item_id, votes in by_item.items() if votes.most_common(1)[0][1] > sum(votes.values()) / 2}
    rows = {row["id"]: row for row in datatasks.consensus_rows(campaign=campaign)}
    assert len(agreed) >= 80
    matches = sum(1 for item_id in agreed if rows[item_id]["consensus"] == truth[item_id])
    assert matches / len(agreed) >= 0.95
    # Every regular item retired, none took more than k counted answers.
    regular = Item.objects.filter(campaign=campaign, gold_answer="")
    assert regular.filter(retired_at__isnull=True).count() == 0
    assert max(regular.values_list("answers_count", flat=True)) <= 5
    csv_text = datatasks.consensus_csv(campaign=campaign)
    assert csv_text.splitlines()[0] == "id,consensus,agreeing,answers,gold,retired"
    assert len(csv_text.splitlines()) == 101


def test_an_item_takes_at_most_k_answers_and_each_citizen_answers_it_once(agency):
    campaign = CampaignFactory(agency=agency, data=True, answers_per_item=2, agreement=0.5, slots=10)
    datatasks.items_from_csv(campaign=campaign, upload=_csv([("a", "first", ""), ("b", "second", "")]))
    item = Item.objects.get(external_id="a")
    people = [UserFactory() for _ in range(3)]
    claim_list = [claims.claim_create(citizen=person, campaign_id=campaign.pk) for person in people]
    datatasks.item_answer(citizen=people[0], claim_id=claim_list[0].pk, item_id=item.pk, answer="cat")
    with pytest.raises(Refusal, match="already answered"):
        datatasks.item_answer(citizen=people[0], claim_id=claim_list[0].pk, item_id=item.pk, answer="dog")
    with pytest.raises(Refusal, match="Choose one of the answers"):
        datatasks.item_answer(citizen=people[1], claim_id=claim_list[1].pk, item_id=item.pk, answer="fish")
    with pytest.raises(Refusal) as refused:
        datatasks.item_answer(citizen=people[1], claim_id=claim_list[0].pk, item_id=item.pk, answer="cat")
    assert refused.value.status == 404
    datatasks.item_answer(citizen=people[1], claim_id=claim_list[1].pk, item_id=item.pk, answer="cat")
    item.refresh_from_db()
    assert item.retired_at is not None and item.consensus == "cat" and item.answers_count == 2
    with pytest.raises(Refusal, match="all the answers it needs"):
        datatasks.item_answer(citizen=people[2], claim_id=claim_list[2].pk, item_id=item.pk, answer="cat")


def test_bad_csv_files_are_refused_whole(agency):
    from django.core.exceptions import ValidationError

    campaign = CampaignFactory(agency=agency, data=True)
    with pytest.raises(ValidationError, match="columns id and text"):
        datatasks.items_from_csv(campaign=campaign, upload=SimpleUploadedFile("x.csv", b"name\nfoo"))
    with pytest.raises(ValidationError, match="gold answer is not one of the choices"):
        datatasks.items_from_csv(campaign=campaign, upload=_csv([("a", "x", ""), ("b", "y", "fish")]))
    with pytest.raises(ValidationError, match="same id"):
        datatasks.items_from_csv(campaign=campaign, upload=_csv([("a", "x", ""), ("a", "y", "")]))
    assert not Item.objects.exists()
    assert io  # the module is used for the CSV text above


def test_an_oversized_or_foreign_item_id_is_a_404_not_an_error(agency, citizen):
    campaign = CampaignFactory(agency=agency, data=True)
    other = CampaignFactory(agency=agency, data=True)
    datatasks.items_from_csv(campaign=other, upload=_csv([("x", "elsewhere", "")]))
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    for item_id in (10**30, Item.objects.get().pk):
        with pytest.raises(Refusal) as refused:
            datatasks.item_answer(citizen=citizen, claim_id=claim.pk, item_id=item_id, answer="cat")
        assert refused.value.status == 404
    assert not ItemAnswer.objects.exists()
