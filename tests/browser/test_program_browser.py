"""The program year in a browser, on the demo's data: a leader walks the year (work plan and its
timeline, focus areas, strategies and indicators, validating a submitted strategy, the 12-month
review), a working-group member uses the forms, and axe-core checks every page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, axe_violations, describe, follow
from webapp import clock
from webapp.demo import DemoData, build_demo
from webapp.results import clear_cache


@pytest.fixture
def demo(live_server: LiveServer) -> DemoData:
    with live_server.app.extensions["repp.db"].transaction() as s:
        data = build_demo(s, today=clock.today(), seed=11)
    clear_cache()
    return data


def _sign_in(page: Any, server: LiveServer, email: str, password: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))
    page.wait_for_url(f"{server.url}/dashboard/")


def _accessible(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


# plotly.js sets a few style attributes (bold text in labels) that the app's CSP refuses: the
# browser says so on the console and draws the charts without them. Those refusals are expected;
# any other console error fails the test.
PLOTLY_STYLE_REFUSAL = "Applying inline style violates the following Content Security Policy"


def _watch_console(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _unexpected(errors: list[str]) -> list[str]:
    return [e for e in errors if not e.startswith(PLOTLY_STYLE_REFUSAL)]


def test_a_leader_walks_the_year(
    live_server: LiveServer, demo: DemoData, desktop_page: Any
) -> None:
    page = desktop_page
    errors = _watch_console(page)
    _sign_in(page, live_server, demo.leader_email, demo.leader_password)

    follow(
        page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Program year")
    )
    _accessible(page, "the list")
    follow(page, page.get_by_role("link", name=demo.organization.name))

    # The work plan: the timeline is drawn, today is marked, an overdue milestone says so.
    page.wait_for_selector('#figure-chart-timeline-1 .repp-chart[data-drawn="true"]')
    assert page.locator("#figure-chart-timeline-1 .main-svg").count() >= 1
    assert page.locator("#figure-chart-timeline-1 text", has_text="Today").count() >= 1
    assert page.locator("#figure-chart-timeline-1 text", has_text="Overdue").count() >= 1
    milestones = page.get_by_role("table", name="Milestones")
    assert milestones.get_by_role("row").count() == 10
    assert milestones.locator(".badge-overdue").count() >= 1
    _accessible(page, "the work plan")

    # The focus areas chosen, beside the baseline ranking.
    follow(page, page.get_by_role("link", name="Focus areas", exact=True))
    page.wait_for_selector('.repp-chart[data-drawn="true"]')
    ranking = page.get_by_role(
        "table", name="Baseline results by focus area (baseline), first priority first"
    )
    chosen = ranking.locator("tr.is-selected")
    assert chosen.count() == 2
    assert "Data and accountability" in chosen.nth(0).inner_text() + chosen.nth(1).inner_text()
    _accessible(page, "the focus areas")

    # Strategies and indicators with their status.
    follow(page, page.get_by_role("link", name="Strategies and framework"))
    assert page.locator("article.strategy").count() == 4
    assert page.locator(".badge-review-validated").count() >= 2
    assert page.locator("table.indicators").count() >= 4
    _accessible(page, "the strategies")

    # Validate the strategy that waits for leadership.
    follow(page, page.get_by_role("link", name="Data literacy training for supervisors"))
    assert page.get_by_text("Submitted for review").first.is_visible()
    _accessible(page, "a submitted strategy")
    follow(page, page.get_by_role("button", name="Validate"))
    page.wait_for_selector(".notice-success")
    assert "Validated by leadership" in page.locator(".notice-success").inner_text()
    assert page.get_by_role("button", name="Validate").count() == 0
    _accessible(page, "a validated strategy")

    # The 12-month review: targets met and not met.
    follow(page, page.get_by_role("link", name="12-month review"))
    review = page.locator("main").inner_text()
    assert "✓ Target met" in review
    assert "✗ Target not met" in review
    assert "Holm" in review
    _accessible(page, "the 12-month review")

    for name in ("Check-ins", "Trainings and policies", "Working group", "History"):
        follow(page, page.get_by_role("link", name=name, exact=True))
        _accessible(page, name)
    assert "validate" in page.locator("main").inner_text()
    assert _unexpected(errors) == []


def test_a_member_uses_the_forms(
    live_server: LiveServer, demo: DemoData, desktop_page: Any
) -> None:
    page = desktop_page
    errors = _watch_console(page)
    _sign_in(page, live_server, demo.member_email, demo.member_password)
    page.goto(f"{live_server.url}/program/1/checkins")
    _accessible(page, "the check-in form")
    page.get_by_label("Progress notes").fill("Quarterly check: reports on time.")
    page.get_by_label("Indicator: Quarterly race-equity data reports published").select_option(
        "on_track"
    )
    follow(page, page.get_by_role("button", name="Record the check-in"))
    page.wait_for_selector(".notice-success")
    assert "Quarterly check: reports on time." in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/program/1/strategies/new?focus_area=data")
    follow(page, page.get_by_role("button", name="Save the strategy"))
    # An error summary, focused, linking to the field.
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    _accessible(page, "a refused strategy form")
    page.get_by_label("Strategy", exact=True).fill("Data champions in every unit")
    follow(page, page.get_by_role("button", name="Save the strategy"))
    page.wait_for_selector(".notice-success")
    assert page.get_by_role("heading", name="Data champions in every unit").is_visible()
    _accessible(page, "a new strategy")

    for path in ("/program/1/focus-areas", "/program/1/working-group", "/program/1/trainings/new"):
        page.goto(f"{live_server.url}{path}")
        _accessible(page, path)
    # The refused form answered 400, as it should; nothing else went wrong.
    assert [e for e in _unexpected(errors) if "status of 400" not in e] == []


def test_axe_on_every_admin_form_of_the_year(
    live_server: LiveServer, demo: DemoData, desktop_page: Any
) -> None:
    """The forms the walks above do not open: settings, milestones, indicators, logs, a return."""
    from sqlalchemy import select

    from webapp.program.models import Indicator, Milestone, Policy, Strategy, Training

    with live_server.app.extensions["repp.db"].session() as s:
        milestone = s.scalars(select(Milestone).order_by(Milestone.id)).first()
        indicator = s.scalars(select(Indicator).order_by(Indicator.id)).first()
        strategy = s.scalars(select(Strategy).order_by(Strategy.id)).first()
        policy = s.scalars(select(Policy).order_by(Policy.id)).first()
        training = s.scalars(select(Training).order_by(Training.id)).first()
        assert None not in (milestone, indicator, strategy, policy, training)
        ids = (milestone.id, indicator.id, strategy.id, policy.id, training.id)  # type: ignore[union-attr]
    m, i, st, po, tr = ids
    page = desktop_page
    errors = _watch_console(page)
    _sign_in(page, live_server, demo.admin_email, demo.admin_password)
    paths = [
        "/program/",
        "/program/new",
        "/program/1/settings",
        f"/program/1/milestones/{m}",
        f"/program/1/strategies/{st}/edit",
        f"/program/1/strategies/{st}/indicators/new",
        f"/program/1/indicators/{i}/edit",
        f"/program/1/indicators/{i}/progress",
        "/program/1/policies/new",
        f"/program/1/policies/{po}",
        f"/program/1/trainings/{tr}",
        "/program/1/log",
        "/program/1/history",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, path
        _accessible(page, path)
    # A refused indicator form: an error summary with links to the fields.
    page.goto(f"{live_server.url}/program/1/strategies/{st}/indicators/new")
    follow(page, page.locator("form.stack button[type=submit], main form button[type=submit]").last)
    page.wait_for_selector(".error-summary")
    _accessible(page, "a refused indicator form")
    assert [e for e in _unexpected(errors) if "status of 400" not in e] == []


def test_the_volunteer_form_and_narrow_screens(
    live_server: LiveServer, demo: DemoData, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/program/volunteer/{demo.organization.slug}")
        _accessible(page, "the volunteer form")
        page.get_by_label("Your name").fill("Sam Offer")
        page.get_by_label("Email or phone").fill("sam@harborview.example")
        page.get_by_role("checkbox").check()
        follow(page, page.get_by_role("button", name="Send my offer"))
        page.wait_for_url("**/thanks**")
        _accessible(page, "the volunteer thanks")

        # At 320px nothing scrolls sideways but the tables, each in a region a keyboard reaches.
        _sign_in(page, live_server, demo.member_email, demo.member_password)
        for path in (
            "/program/1/",
            "/program/1/focus-areas",
            "/program/1/working-group",
            "/program/1/strategies",
            "/program/1/strategies/1",
            "/program/1/checkins",
            "/program/1/log",
            "/program/1/review",
            "/program/1/history",
        ):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} scrolls sideways at 320px ({width}px)"
            _accessible(page, f"{path} at 320px")
    finally:
        context.close()
