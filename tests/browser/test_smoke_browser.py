"""The browser harness itself: Chromium runs, our CSP holds, axe-core can audit our pages."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, axe_violations, describe


def test_login_page_renders_under_the_csp_and_passes_axe(
    live_server: LiveServer, desktop_page: Any
) -> None:
    errors: list[str] = []
    desktop_page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    response = desktop_page.goto(f"{live_server.url}/login")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert desktop_page.get_by_label("Email").is_visible()
    violations = axe_violations(desktop_page)
    assert violations == [], describe(violations)
    assert errors == []
