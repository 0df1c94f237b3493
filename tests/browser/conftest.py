"""Browser fixtures: a live repp server and Debian's Chromium driven by Playwright.

No browser is downloaded: Playwright drives /usr/bin/chromium. Without Chromium the browser tests
skip on a developer machine; under CI=true they fail instead, because CI must run them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from tests.support import TEST_SECRET
from webapp.app import create_app

CHROMIUM = os.environ.get("REPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no Chromium at {CHROMIUM}: install Debian's chromium")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class LiveServer:
    """The app served by Werkzeug in a thread of the test process, on a free port."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


@pytest.fixture
def live_app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    app = create_app(
        {
            "SECRET_KEY": TEST_SECRET,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    yield app
    app.extensions["repp.db"].dispose()


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with LiveServer(live_app) as server:
        yield server


def _context(browser: Any, **options: Any) -> Any:
    return browser.new_context(**options)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A phone-sized page with JavaScript on."""
    context = _context(browser, viewport={"width": 375, "height": 740}, locale="en-US")
    yield context.new_page()
    context.close()


@pytest.fixture
def page_no_js(browser: Any) -> Iterator[Any]:
    """A phone-sized page with JavaScript off."""
    context = _context(
        browser, viewport={"width": 320, "height": 640}, java_script_enabled=False, locale="en-US"
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop_page(browser: Any) -> Iterator[Any]:
    context = _context(browser, viewport={"width": 1280, "height": 900}, locale="en-US")
    yield context.new_page()
    context.close()


AXE_SOURCE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = {"serious", "critical"}


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page; return its serious and critical violations."""
    # Evaluated through the DevTools protocol, which the page's CSP does not govern (an inline
    # script tag would be blocked, as it should be).
    page.evaluate(f"() => {{ {AXE_SOURCE}\n }}")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def follow(page: Any, target: Any) -> None:
    """Click a link or button that loads a new page, and return once that page has loaded.

    A bare click returns as soon as the click is dispatched; a check made right after it can
    still see the old page.
    """
    with page.expect_navigation():
        target.click()


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n.get("target") else "?" for n in v["nodes"][:5])
        for v in violations
    )
