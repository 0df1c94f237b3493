"""A respondent completes the bundled self-assessment in a real browser, on a phone-sized screen.

English and Spanish, with JavaScript on and off; the thank-you page shows and exactly one
response is stored with the answers given. axe-core audits the welcome, section, error and
thank-you pages and the admin pages.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

import questionnaires
from tests.browser.conftest import LiveServer, axe_violations, describe, follow
from tests.support import PASSWORD
from webapp.db import Database
from webapp.instruments import add_version
from webapp.models import Response, Role, WaveStatus
from webapp.organizations import add_organization
from webapp.users import add_user
from webapp.waves import create_wave

SELF_ASSESSMENT = "repp-org-self-assessment"


def _open_wave(app: Flask) -> str:
    database: Database = app.extensions["repp.db"]
    with database.transaction() as s:
        version, _ = add_version(s, questionnaires.load(SELF_ASSESSMENT))
        org = add_organization(s, "riverside", "Riverside Youth Services")
        wave = create_wave(s, org, version, "baseline", status=WaveStatus.OPEN)
        add_user(s, "admin@cfjj.example", PASSWORD, Role.ADMIN)
        return f"/s/{wave.link_slug}"


def _stored(app: Flask) -> list[Response]:
    database: Database = app.extensions["repp.db"]
    with database.session() as s:
        return list(s.scalars(select(Response)))


def _answer_visible_questions(page: Any, rng: random.Random, given: dict[str, Any]) -> None:
    """Answer every question shown on the page, remembering what was given."""
    for block in page.locator(".question-block").all():
        if not block.is_visible():
            continue
        item = block.get_attribute("data-item")
        kind = block.get_attribute("data-type")
        if kind in ("likert", "single_choice"):
            # Likert: a point of the scale (never the "Don't know" kept apart).
            radios = block.locator(".choices:not(.choices-apart) input[type=radio]").all()
            choice = rng.choice(radios)
            choice.check()
            given[item] = choice.get_attribute("value")
        elif kind == "multiple_choice":
            box = block.locator("input[type=checkbox]").first
            box.check()
            given[item] = [box.get_attribute("value")]
        elif kind == "number":
            block.locator("input").fill("3")
            given[item] = 3
        elif kind == "text":
            block.locator("textarea").fill("Más tiempo para capacitación <b>y</b> datos.")
            given[item] = "Más tiempo para capacitación <b>y</b> datos."


def _walk(
    page: Any, server: LiveServer, link: str, language: str, rng: random.Random
) -> dict[str, Any]:
    page.goto(server.url + link)
    assert page.locator("h1").first.is_visible()
    page.locator(f"#language-{language}").check()
    follow(page, page.locator("#start-button"))
    given: dict[str, Any] = {}
    for _ in range(30):
        assert page.locator("html").get_attribute("lang") == language
        _answer_visible_questions(page, rng, given)
        submit = page.locator("button[name=_action][value=submit]")
        if submit.count():
            follow(page, submit)
            break
        follow(page, page.locator("button[name=_action][value=next]"))
    else:
        pytest.fail("the survey never reached its last section")
    return given


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_respondent_completes_the_survey(
    live_app: Flask,
    live_server: LiveServer,
    page: Any,
    page_no_js: Any,
    language: str,
    javascript: bool,
) -> None:
    link = _open_wave(live_app)
    tab = page if javascript else page_no_js
    given = _walk(tab, live_server, link, language, random.Random(language + str(javascript)))
    thanks = "Thank you" if language == "en" else "Gracias"
    assert thanks in tab.locator("h1").inner_text()
    stored = _stored(live_app)
    assert len(stored) == 1
    response = stored[0]
    assert response.language == language
    for item, value in given.items():
        stored_value = response.answers[item]
        expected = int(value) if isinstance(stored_value, int) and isinstance(value, str) else value
        assert stored_value == expected, item
    # Reloading the thank-you page or going back stores nothing more.
    tab.reload()
    tab.go_back()
    assert len(_stored(live_app)) == 1


def _tab_to(page: Any, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_keyboard_alone_on_a_320_pixel_screen_gets_through(
    live_app: Flask, live_server: LiveServer, page: Any, page_no_js: Any, javascript: bool
) -> None:
    """No sideways scrolling at 320 px; Tab, Space and Enter answer and move between sections."""
    link = _open_wave(live_app)
    tab = page if javascript else page_no_js
    tab.set_viewport_size({"width": 320, "height": 640})
    tab.goto(live_server.url + link)
    assert _fits(tab)
    _tab_to(tab, "#start-button")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "Section 1 of" in tab.content()
    assert _fits(tab)
    first = tab.locator(".question-block input[type=radio]").first
    _tab_to(tab, f"#{first.get_attribute('id')}")
    tab.keyboard.press("Space")
    assert first.is_checked()
    _tab_to(tab, "button[name=_action][value=next]")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "Section 2 of" in tab.content()
    assert _fits(tab)


def test_axe_finds_no_serious_violations_on_the_respondent_pages(
    live_app: Flask, live_server: LiveServer, page: Any
) -> None:
    link = _open_wave(live_app)
    page.goto(live_server.url + link)
    checked = {"welcome": axe_violations(page)}
    follow(page, page.locator("#start-button"))
    checked["section"] = axe_violations(page)
    # An error page: a number out of range somewhere later would do, but the simplest error
    # is submitting a section with a required answer missing; the bundled survey has none,
    # so post a bad number through the resume flow instead: use the save page as a further
    # check, then come back for the thank-you page.
    follow(page, page.locator("button[name=_action][value=save]"))
    checked["saved"] = axe_violations(page)
    page.go_back()
    rng = random.Random(1)
    for _ in range(30):
        _answer_visible_questions(page, rng, {})
        submit = page.locator("button[name=_action][value=submit]")
        if submit.count():
            follow(page, submit)
            break
        follow(page, page.locator("button[name=_action][value=next]"))
    checked["thanks"] = axe_violations(page)
    problems = {name: describe(v) for name, v in checked.items() if v}
    assert problems == {}


def test_axe_on_an_error_summary(live_app: Flask, live_server: LiveServer, page: Any) -> None:
    database: Database = live_app.extensions["repp.db"]
    doc = {
        "format": "repp-instrument/1",
        "id": "errors",
        "version": "1",
        "title": "Errors",
        "scales": {"yn": {"points": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]}},
        "focus_areas": [{"id": "fa", "title": "Area"}],
        "sections": [
            {
                "title": "Only",
                "items": [
                    {
                        "id": "q1",
                        "type": "likert",
                        "scale": "yn",
                        "focus_area": "fa",
                        "text": "A question",
                        "required": True,
                    },
                    {"id": "n", "type": "number", "text": "How many?", "min": 0, "max": 10},
                ],
            }
        ],
    }
    import instrument

    with database.transaction() as s:
        version, _ = add_version(s, instrument.load(doc))
        org = add_organization(s, "errs", "Errors")
        wave = create_wave(s, org, version, "baseline", status=WaveStatus.OPEN)
        link = f"/s/{wave.link_slug}"
    page.goto(live_server.url + link)
    follow(page, page.locator("#start-button"))
    page.locator("#n").fill("99")
    follow(page, page.locator("button[name=_action][value=submit]"))
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.locator("a").count() == 2
    assert page.locator("#n").get_attribute("aria-describedby")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Response)) == 0


def test_axe_on_the_admin_pages(
    live_app: Flask, live_server: LiveServer, desktop_page: Any
) -> None:
    _open_wave(live_app)
    page = desktop_page
    page.goto(live_server.url + "/login")
    page.locator("#email").fill("admin@cfjj.example")
    page.locator("#password").fill(PASSWORD)
    follow(page, page.locator("button[type=submit]"))
    problems: dict[str, str] = {}
    for path in (
        "/admin/",
        "/admin/instruments/",
        "/admin/organizations/",
        "/admin/waves/",
        "/admin/waves/new",
        "/admin/users/",
        "/admin/users/new",
        "/dashboard/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            problems[path] = describe(violations)
    assert problems == {}
