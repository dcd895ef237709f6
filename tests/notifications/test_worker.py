"""Real Celery workers against Redis and the test's PostgreSQL database, and a real SMTP server.

The test process enqueues (as the web process does); worker processes started here deliver.
Skipped on SQLite; they run in the PostgreSQL/Redis pass of .ci/run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from config.celery import app as celery_app
from notifications.emails import email_send
from notifications.models import OutgoingEmail
from tests.mailserver import SMTPSink
from tests.notifications.mail_scenario import (
    assert_every_email_arrived_once,
    requests_while_mail_is_down,
    smtp_settings,
)
from tests.voting.conftest import server_database_url, settings_module_dir

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL, reason="needs PostgreSQL and REDIS_URL"
    ),
]
VISIBILITY_TIMEOUT = 3  # seconds before Redis hands a dead worker's task to another worker


def start_worker(sink: SMTPSink) -> subprocess.Popen:
    """A `celery worker` process (one task at a time, in its main process) on the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CHANNEL_PREFIX": settings.CHANNEL_PREFIX,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_TIMEOUT": "60",  # the hanging server below must not time the send out before the kill
        "EMAIL_RETRY_BACKOFF_SECONDS": "1",
        "EMAIL_RETRY_BACKOFF_MAX_SECONDS": "1",
        "EMAIL_MAX_ATTEMPTS": "100",
        "LOG_LEVEL": "INFO",
    }
    log = tempfile.TemporaryFile()  # noqa: SIM115 - kept with the process, read by worker_log
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
            "--loglevel=INFO",
        ],
        cwd=settings_module_dir(),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    return process


def worker_log(process: subprocess.Popen) -> str:
    process.log.seek(0)
    return process.log.read().decode(errors="replace")[-20000:]


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_until(condition, *, timeout: float = 180, what: str = "", workers=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    logs = "\n".join(worker_log(worker) for worker in workers)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


@pytest.fixture
def broker():
    """This process publishes to Redis, as the web process does; the queue starts and ends empty.
    REDIS_URL names a database of this test process's own (under pytest -n each worker has its
    own, config/settings.py): the suite's `cache.clear()` flushes it."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    celery_app.control.purge()
    client.delete("unacked", "unacked_index", "unacked_mutex")  # left by workers that died in an earlier run
    celery_app.conf.task_always_eager = False
    yield client
    celery_app.conf.task_always_eager = True
    celery_app.control.purge()


def copies_left(client: redis.Redis) -> int:
    """Task messages still in the queue, or handed out and not acknowledged (Redis would hand them out again)."""
    queue = celery_app.conf.task_default_queue
    return client.llen(queue) + client.hlen("unacked")


@pytest.fixture
def sink():
    sink = SMTPSink()
    yield sink
    sink.stop()


@pytest.fixture
def workers(broker, sink):
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        started.append(start_worker(sink))
        return started[-1]

    yield start
    for process in started:
        stop_worker(process)


def statuses() -> set[str]:
    return set(OutgoingEmail.objects.values_list("status", flat=True))


def test_with_a_worker_the_mail_server_down_fails_no_request_and_every_email_arrives_once(settings, sink, workers):
    smtp_settings(settings, sink)
    worker = workers()

    requests_while_mail_is_down()
    wait_until(
        lambda: OutgoingEmail.objects.count() >= 6 and not OutgoingEmail.objects.filter(attempts=0).exists(),
        what="the worker to try every email",
        workers=[worker],
    )
    assert statuses() == {OutgoingEmail.Status.PENDING}  # tried, refused, waiting for the retry

    sink.start()
    wait_until(lambda: statuses() == {OutgoingEmail.Status.SENT}, what="every email sent", workers=[worker])
    assert_every_email_arrived_once(sink.messages())


def test_a_worker_killed_mid_send_leaves_the_email_to_another_worker_which_sends_it_once(sink, workers, broker):
    sink.holding.set()  # the server accepts connections but does not answer their greeting
    sink.start()
    first = workers()
    with transaction.atomic():
        email_send(to="ada@example.org", subject="Your proposal", body="It was shortlisted.")
    email = OutgoingEmail.objects.get()

    assert sink.sessions_started.wait(timeout=60), worker_log(first)  # the worker is in the middle of the send
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING  # its transaction died with it
    sink.holding.clear()
    assert sink.messages() == []

    second = workers()
    wait_until(lambda: statuses() == {OutgoingEmail.Status.SENT}, what="the second worker", workers=[second])
    wait_until(lambda: copies_left(broker) == 0, what="the task to be acknowledged", workers=[second])
    # No copy of the task is left anywhere, so nothing can send it again: what arrived is final.
    received = sink.messages()
    assert [item.message_id for item in received] == [email.headers["Message-ID"]]
    assert received[0].recipients == ("ada@example.org",)
