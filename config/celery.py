"""The Celery app: background work and timers (docs/operations.md).

Tasks live in each app's `tasks.py` and call that app's services; the beat schedule is
`CELERY_BEAT_SCHEDULE` in config/settings.py. Without `REDIS_URL` (the embedded default),
tasks run eagerly, in the process that enqueues them, right after the transaction commits;
a failing task is logged there and never raised into the request.

    celery -A config worker   # runs tasks (any number of them, on any machine)
    celery -A config beat     # sends the timers (exactly one)
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("civitas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
