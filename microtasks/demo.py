"""Demo data for micro-tasks: a field task, a data task with gold items, and rewards (called by seed_demo).

Idempotent: campaigns and rewards are matched by agency and title/name and updated; dates are
re-anchored on today.
"""

from datetime import timedelta

from django.utils import timezone

from agencies.models import Agency
from engagement.models import Reward
from microtasks.models import Campaign, Item

FIELD = {
    "title": "Check the timetable at your bus stop",
    "instructions": "Photograph the timetable at a stop near you and say whether it matches the **online** one.",
    "kind": Campaign.Kind.FIELD,
    "questions": ["Does the printed timetable match the online one?", "Anything damaged at the stop?"],
    "slots": 40,
    "claim_minutes": 60,
    "reward_points": 20,
    "allow_redo": True,
}
DATA = {
    "title": "Classify report photos",
    "instructions": "Say what each report is about.",
    "kind": Campaign.Kind.DATA,
    "choices": ["pothole", "litter", "streetlight"],
    "slots": 100,
    "claim_minutes": 30,
    "reward_points": 10,
    "answers_per_item": 3,
    "batch_size": 10,
}
ITEMS = [
    ("r1", "A deep hole in the road outside number 12", "pothole"),
    ("r2", "Bags of rubbish left by the bench", "litter"),
    ("r3", "The lamp at the corner is dark every night", "streetlight"),
    ("r4", "Broken tarmac on the cycle lane", ""),
    ("r5", "Bottles thrown in the flower beds", ""),
    ("r6", "Flickering light in the underpass", ""),
    ("r7", "Crack across the crossing", ""),
    ("r8", "Overflowing bin at the bus stop", ""),
]
REWARDS = [
    ("Museum ticket", "One entry to the city museum.", 50, 20),
    ("Day transit pass", "A day of buses and trams.", 80, 10),
    ("Certificate of volunteer hours", "Signed by the agency.", 30, 100),
]


def seed_microtasks(*, agency_slug: str = "transport") -> None:
    agency = Agency.objects.filter(slug=agency_slug).first()
    if agency is None:
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    dates = {"starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=14), "is_published": True}
    for fields in (FIELD, DATA):
        defaults = {key: value for key, value in fields.items() if key != "title"} | dates
        campaign, _created = Campaign.objects.update_or_create(agency=agency, title=fields["title"], defaults=defaults)
        if campaign.kind == Campaign.Kind.DATA:
            for external_id, text, gold in ITEMS:
                Item.objects.update_or_create(
                    campaign=campaign, external_id=external_id, defaults={"text": text, "gold_answer": gold}
                )
    for name, description, price, stock in REWARDS:
        Reward.objects.update_or_create(
            agency=agency, name=name, defaults={"description": description, "points_price": price, "stock": stock}
        )
