"""Child of bench/background.py: time posting a comment on a proposal with 50 followers.

Run as `python bench/comment_latency.py CODE_DIR POSTS` with the bench environment set
(DATABASE_URL of an empty database, EMAIL_* of the SMTP sink). CODE_DIR is the checkout whose
code is measured (this one, or an export of the code before background work), so this file
uses only what both have: the comment API, factories, subscriptions. Prints JSON.
"""

import json
import os
import sys
import time

CODE_DIR, POSTS = sys.argv[1], int(sys.argv[2])
FOLLOWERS = 50
sys.path.insert(0, CODE_DIR)
os.chdir(CODE_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.sites.models import Site
from django.core.management import call_command
from django.test import Client

from notifications.subscriptions import subscription_set
from tests.factories import AgencyFactory, ContestFactory, ProposalFactory, UserFactory

call_command("migrate", verbosity=0)
Site.objects.update_or_create(pk=1, defaults={"domain": "civitas.test", "name": "Civitas"})
contest = ContestFactory(agency=AgencyFactory(), slug="bench-rivers")
proposal = ProposalFactory(contest=contest)
for _ in range(FOLLOWERS):
    subscription_set(user=UserFactory(), target=proposal, follow=True)
commenter = UserFactory(display_name="Bench Commenter")
client = Client()
client.force_login(commenter)
url = f"/api/v1/proposals/{proposal.pk}/comments/"

timings = []
for number in range(POSTS + 5):
    started = time.perf_counter()
    response = client.post(url, {"text": f"Comment {number}", "followup": False}, content_type="application/json")
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.content[:500]
    if number >= 5:  # the first few warm caches and connections
        timings.append(elapsed * 1000)
print(json.dumps({"timings_ms": timings, "followers": FOLLOWERS, "author_emails": True}))
