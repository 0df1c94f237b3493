"""The result pages in Chromium: a leader of the demo organization sees the charts drawn under
the CSP, without console errors (but plotly's refused inline styles), and axe finds nothing
serious on the wave and comparison pages, wide and at 320 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import LiveServer, axe_violations, describe, follow
from webapp import results
from webapp.dashboard import cache
from webapp.demo import DemoData, build_demo

# plotly.js (3.8) sets a few style attributes (bold in labels) and injects one <style> element
# (map styles) that the app's CSP refuses: the browser says so on the console and draws the
# charts without them. Those refusals are expected; any other console error fails the test.
PLOTLY_STYLE_REFUSAL = "Applying inline style violates the following Content Security Policy"


@pytest.fixture
def demo(live_app: Flask) -> DemoData:
    results.clear_cache()
    cache.clear()
    with live_app.extensions["repp.db"].transaction() as session:
        return build_demo(session, today=dt.date(2025, 6, 1), seed=7)


def _sign_in(page: Any, server: LiveServer, demo: DemoData) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill(demo.leader_email)
    page.get_by_label("Password").fill(demo.leader_password)
    follow(page, page.get_by_role("button", name="Sign in"))
    page.wait_for_url(f"{server.url}/dashboard/")


def _charts_drawn(page: Any) -> tuple[int, int]:
    charts = page.locator(".repp-chart")
    count = charts.count()
    page.wait_for_function(
        "n => document.querySelectorAll('.repp-chart .main-svg').length >= n && "
        "document.querySelectorAll('.repp-chart[data-drawn=\"true\"]').length === n",
        arg=count,
        timeout=30_000,
    )
    drawn = page.locator(".repp-chart[data-drawn='true']:has(.main-svg)").count()
    return count, drawn


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 320, "height": 640}]
)
def test_a_leader_sees_drawn_charts_that_pass_axe(
    live_server: LiveServer, browser: Any, demo: DemoData, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _sign_in(page, live_server, demo)
        for path in (
            f"/dashboard/waves/{demo.baseline.id}",
            f"/dashboard/organizations/{demo.organization.id}/comparison",
        ):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200
            assert "script-src 'self'" in response.headers["content-security-policy"]
            count, drawn = _charts_drawn(page)
            assert count >= 3
            assert drawn == count, path
            # Nothing wider than a narrow screen: tables scroll inside their own region.
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, (path, overflow)
            violations = axe_violations(page)
            assert violations == [], f"{path}\n{describe(violations)}"
        assert [e for e in errors if not e.startswith(PLOTLY_STYLE_REFUSAL)] == []
    finally:
        context.close()
