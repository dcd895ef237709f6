"""Browser tests: Playwright (sync API) driving Debian's Chromium against a live ASGI server.

How it fits together
--------------------
- ``asgi_server`` (session): serves ``config.asgi:application`` with uvicorn in a background
  thread of this test process (its own event loop, 127.0.0.1, a free port), wrapped in Django's
  ``ASGIStaticFilesHandler`` so CSS and JS load without ``collectstatic``. HTTP and websockets
  both work. Because it runs in-process, settings changed by fixtures (e.g. the locmem email
  backend from ``tests/conftest.py``) apply to it, and mail it sends lands in ``mailoutbox``.
- ``live_url`` (function): the server's base URL for one test. It requests ``transactional_db``:
  the server thread uses its own database connections, so the test's data must be committed to
  be visible (on SQLite the test database is a file, see ``DATABASES["default"]["TEST"]``).
  Tables are emptied after each test.
- ``page`` (function): a page in a fresh browser context (no cookies, English, 1280x800) with
  ``base_url`` set, so ``page.goto("/")`` works. ``new_page(**context_options)`` makes more
  (another person, JavaScript off, a phone viewport). The default timeout is 5 s so a wrong
  locator fails fast.
- ``browser`` (package scope): Playwright's sync API keeps an asyncio loop running in the main
  thread while it is alive, so it is started for this package only and
  ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set just for that time (ORM calls from test code are safe:
  the test and the server never share a connection).
- Chromium is ``/usr/bin/chromium`` (``playwright install`` cannot download browsers here). If it
  is missing the tests are skipped, unless the ``CI`` environment variable is set: then they fail.

Writing the next browser test
-----------------------------
::

    import pytest
    from playwright.sync_api import expect

    from tests.factories import ContestFactory

    pytestmark = pytest.mark.e2e

    def test_visitor_sees_open_contests(page):
        ContestFactory(title="Cleaner rivers")   # committed data, visible to the server
        page.goto("/")
        expect(page.get_by_role("heading", name="Cleaner rivers")).to_be_visible()

Find elements the way a person does: ``get_by_role(..., name=...)`` and ``get_by_label(...)``
(Django's labels end in a colon: ``get_by_label("Password:", exact=True)``), and assert with
``expect(...)``, which retries until the timeout. After switching to Chinese, English names no
longer match. ``page`` already brings the live server and ``transactional_db``; ask for
``live_url`` only to build absolute URLs (``live_url.replace("http", "ws", 1)`` for websockets).
Mail sent by the server is in ``mailoutbox``. Keep each test to a few seconds.
Run: ``.venv/bin/pytest tests/e2e -q`` (``-m e2e`` selects them anywhere, ``-m "not e2e"`` skips them).
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 5_000
SERVER_START_TIMEOUT_S = 10


@dataclass
class LiveASGIServer:
    url: str
    thread: threading.Thread


@pytest.fixture(scope="session")
def asgi_server(django_db_setup) -> Iterator[LiveASGIServer]:
    """Uvicorn serving the project's ASGI app from a background thread of this process.

    Depends on ``django_db_setup`` so it starts after, and stops before, the test database
    is created and destroyed (PostgreSQL refuses to drop a database with open connections).
    """
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from config.asgi import application

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the OS picks a free port; uvicorn serves on this very socket
    host, port = sock.getsockname()
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application),
        host=host,
        port=port,
        lifespan="off",
        log_level="warning",
        access_log=False,
        loop="asyncio",
        ws="websockets-sansio",  # as the web unit runs it (deploy/systemd/civitas-web@.service)
        ws_per_message_deflate=False,
    )
    server = uvicorn.Server(config)

    def serve() -> None:
        # A new event loop for this thread; uvicorn skips signal handlers outside the main thread.
        asyncio.run(server.serve(sockets=[sock]))

    thread = threading.Thread(target=serve, name="e2e-uvicorn", daemon=True)
    thread.start()
    for _ in range(SERVER_START_TIMEOUT_S * 100):
        if server.started or not thread.is_alive():
            break
        threading.Event().wait(0.01)
    if not server.started:
        pytest.fail("The e2e ASGI server did not start; see the captured log above.")
    yield LiveASGIServer(url=f"http://{host}:{port}", thread=thread)
    server.should_exit = True
    thread.join(timeout=SERVER_START_TIMEOUT_S)
    sock.close()


@pytest.fixture
def live_url(asgi_server: LiveASGIServer, transactional_db) -> str:
    """Base URL of the live server, with committed (transactional) test data visible to it."""
    return asgi_server.url


@pytest.fixture(scope="package")
def browser():
    """Headless Debian Chromium, shared by the tests of this package.

    Package scope, not session: while Playwright's sync API is alive the main thread has a
    running asyncio loop, which would break later non-browser tests that use ``async_to_sync``
    (channels consumers). Playwright stops as soon as the last browser test has run.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in the main thread, so Django
    # would refuse ORM calls made there (factories, transactional_db's flush). Test code
    # never shares a connection with the server thread, so allowing them is safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_url: str) -> Iterator[Callable[..., Page]]:
    """Factory for pages, each in a fresh, isolated browser context pointed at the live server.

    Keyword arguments go to ``browser.new_context`` (e.g. ``java_script_enabled=False``,
    ``viewport=...``, ``locale=...``). Call it twice for two people at once.
    """
    contexts = []

    def make(**context_options) -> Page:
        options = {"base_url": live_url, "locale": "en-US", "viewport": {"width": 1280, "height": 800}}
        context = browser.new_context(**(options | context_options))
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A page in a fresh browser context (English, 1280x800, JavaScript on) on the live server."""
    return new_page()
