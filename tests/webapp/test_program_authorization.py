"""Who may use which page of the program year: every route of the `program` blueprint, GET and
POST, for every role, on its own organization and on another.

The table must name every (endpoint, method) the blueprint serves: a new route without an entry
fails `test_every_program_route_has_an_entry`.

- anonymous: redirected to sign in (POSTs too), except the public volunteer form;
- a leader: reads everything of their organization, 403 on what only members and CfJJ change;
- a working-group member: reads and changes the year's records, 403 on CfJJ's settings;
- an admin: everything;
- a leader or member of organization A: 404 on every page of B, GET or POST, and B unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from tests.support import csrf_token
from tests.webapp.test_program_support import (
    ProgramWorld,
    Year,
    audit_count,
    make_program_world,
    signed_in,
)
from webapp.db import Database

BLUEPRINT = "program"
IGNORED_METHODS = {"HEAD", "OPTIONS"}

#: Expected statuses (admin, leader, member) of pages of one's own organization.
READ = (200, 200, 200)
PLAN_PAGE = (200, 403, 200)
MANAGE_PAGE = (200, 403, 403)
PLAN_FORM = (400, 403, 400)
PLAN_ACTION = (302, 403, 302)
MANAGE_FORM = (400, 403, 403)
REVIEW_FORM = (400, 400, 400)
PUBLIC_PAGE = (200, 200, 200)
PUBLIC_FORM = (400, 400, 400)


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    expected: tuple[int, int, int]
    #: URL arguments from one organization's year.
    args: Callable[[Year], dict[str, Any]] = lambda y: {}
    #: Whether the route belongs to one organization (another organization's people get 404).
    scoped: bool = True
    public: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"


def e(y: Year) -> dict[str, Any]:
    return {"engagement_id": y.engagement}


ROUTES = [
    Route("program.index", "GET", READ, scoped=False),
    Route("program.new_engagement", "GET", MANAGE_PAGE, scoped=False),
    Route("program.new_engagement", "POST", MANAGE_FORM, scoped=False),
    Route("program.engagement", "GET", READ, e),
    Route("program.edit_engagement", "GET", MANAGE_PAGE, e),
    Route("program.edit_engagement", "POST", MANAGE_FORM, e),
    Route(
        "program.edit_milestone",
        "GET",
        MANAGE_PAGE,
        lambda y: {**e(y), "milestone_id": y.milestone},
    ),
    Route(
        "program.edit_milestone",
        "POST",
        MANAGE_FORM,
        lambda y: {**e(y), "milestone_id": y.milestone},
    ),
    Route("program.focus_areas", "GET", READ, e),
    Route("program.focus_areas", "POST", PLAN_FORM, e),
    Route("program.working_group", "GET", READ, e),
    Route("program.working_group", "POST", PLAN_FORM, e),
    Route("program.strategies", "GET", READ, e),
    Route("program.new_strategy", "GET", PLAN_PAGE, e),
    Route("program.new_strategy", "POST", PLAN_FORM, e),
    Route("program.strategy", "GET", READ, lambda y: {**e(y), "strategy_id": y.strategy}),
    Route("program.edit_strategy", "GET", PLAN_PAGE, lambda y: {**e(y), "strategy_id": y.strategy}),
    Route(
        "program.edit_strategy", "POST", PLAN_FORM, lambda y: {**e(y), "strategy_id": y.strategy}
    ),
    Route(
        "program.strategy_progress",
        "POST",
        PLAN_FORM,
        lambda y: {**e(y), "strategy_id": y.strategy},
    ),
    Route(
        "program.review_strategy",
        "POST",
        REVIEW_FORM,
        lambda y: {**e(y), "strategy_id": y.strategy},
    ),
    Route("program.new_indicator", "GET", PLAN_PAGE, lambda y: {**e(y), "strategy_id": y.strategy}),
    Route(
        "program.new_indicator", "POST", PLAN_FORM, lambda y: {**e(y), "strategy_id": y.strategy}
    ),
    Route(
        "program.edit_indicator", "GET", PLAN_PAGE, lambda y: {**e(y), "indicator_id": y.indicator}
    ),
    Route(
        "program.edit_indicator", "POST", PLAN_FORM, lambda y: {**e(y), "indicator_id": y.indicator}
    ),
    Route(
        "program.indicator_progress", "GET", PLAN_PAGE, lambda y: {**e(y), "indicator_id": y.manual}
    ),
    Route(
        "program.indicator_progress",
        "POST",
        PLAN_FORM,
        lambda y: {**e(y), "indicator_id": y.manual},
    ),
    Route("program.review_framework", "POST", REVIEW_FORM, e),
    Route("program.checkins", "GET", READ, e),
    Route("program.checkins", "POST", PLAN_FORM, e),
    Route("program.log", "GET", READ, e),
    Route("program.new_training", "GET", PLAN_PAGE, e),
    Route("program.new_training", "POST", PLAN_FORM, e),
    Route("program.edit_training", "GET", PLAN_PAGE, lambda y: {**e(y), "training_id": y.training}),
    Route(
        "program.edit_training", "POST", PLAN_FORM, lambda y: {**e(y), "training_id": y.training}
    ),
    Route("program.new_policy", "GET", PLAN_PAGE, e),
    Route("program.new_policy", "POST", PLAN_FORM, e),
    Route("program.edit_policy", "GET", PLAN_PAGE, lambda y: {**e(y), "policy_id": y.policy}),
    Route("program.edit_policy", "POST", PLAN_FORM, lambda y: {**e(y), "policy_id": y.policy}),
    Route("program.review", "GET", READ, e),
    Route("program.history", "GET", READ, e),
    # Changes that need no form fields: each on a record kept for it.
    Route(
        "program.delete_indicator",
        "POST",
        PLAN_ACTION,
        lambda y: {**e(y), "indicator_id": y.spare_indicator},
    ),
    Route(
        "program.delete_strategy",
        "POST",
        PLAN_ACTION,
        lambda y: {**e(y), "strategy_id": y.spare_strategy},
    ),
    Route(
        "program.delete_training",
        "POST",
        PLAN_ACTION,
        lambda y: {**e(y), "training_id": y.spare_training},
    ),
    Route(
        "program.delete_policy",
        "POST",
        PLAN_ACTION,
        lambda y: {**e(y), "policy_id": y.spare_policy},
    ),
    Route(
        "program.remove_member",
        "POST",
        PLAN_ACTION,
        lambda y: {**e(y), "member_id": y.spare_member},
    ),
    Route(
        "program.accept_volunteer",
        "POST",
        PLAN_ACTION,
        lambda y: {**e(y), "offer_id": y.accept_offer},
    ),
    Route(
        "program.discard_volunteer",
        "POST",
        PLAN_ACTION,
        lambda y: {**e(y), "offer_id": y.discard_offer},
    ),
    # Public: the volunteer form and the blueprint's stylesheet.
    Route("program.volunteer", "GET", PUBLIC_PAGE, lambda y: {"org_slug": y.slug}, False, True),
    Route("program.volunteer", "POST", PUBLIC_FORM, lambda y: {"org_slug": y.slug}, False, True),
    Route(
        "program.volunteer_thanks", "GET", PUBLIC_PAGE, lambda y: {"org_slug": y.slug}, False, True
    ),
    Route("program.static", "GET", PUBLIC_PAGE, lambda y: {"filename": "program.css"}, False, True),
]

ROLES = ("admin", "leader", "member")


def served_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] == BLUEPRINT
        for method in (rule.methods or set()) - IGNORED_METHODS
    }


def test_every_program_route_has_an_entry(app: Flask) -> None:
    table = {(r.endpoint, r.method) for r in ROUTES}
    assert len(table) == len(ROUTES), "a route is listed twice"
    missing = served_routes(app) - table
    assert not missing, f"routes without an authorization entry: {sorted(missing)}"
    stale = table - served_routes(app)
    assert not stale, f"entries for routes the app does not serve: {sorted(stale)}"


def test_the_table_check_notices_a_route_without_an_entry(app: Flask) -> None:
    app.add_url_rule("/program/extra", "program.extra", lambda: "", methods=["GET", "POST"])
    table = {(r.endpoint, r.method) for r in ROUTES}
    assert served_routes(app) - table == {("program.extra", "GET"), ("program.extra", "POST")}


def _path(app: Flask, route: Route, year: Year) -> str:
    with app.test_request_context():
        return url_for(route.endpoint, **route.args(year))


def _request(client: FlaskClient, route: Route, path: str, token_page: str) -> Any:
    if route.method == "GET":
        response = client.get(path)
    else:
        token = csrf_token(client.get(token_page).text)
        # An empty form: enough to pass the CSRF check and reach the view's own checks.
        response = client.post(path, data={"csrf_token": token})
    # A static file's response holds the file open until closed.
    response.close()
    return response


def _statuses(app: Flask, client: FlaskClient, year: Year, routes: list[Route]) -> dict[str, int]:
    token_page = f"/program/volunteer/{year.slug}"
    return {
        route.id: _request(client, route, _path(app, route, year), token_page).status_code
        for route in routes
    }


def _email(world: ProgramWorld, role: str, year: Year) -> str:
    return {"admin": world.admin, "leader": year.leader, "member": year.member}[role]


def test_anonymous_users_are_sent_to_sign_in(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    client = app.test_client()
    got = {}
    for route in ROUTES:
        response = _request(
            client, route, _path(app, route, world.a), f"/program/volunteer/{world.a.slug}"
        )
        location = urlsplit(response.headers.get("Location", "")).path
        got[route.id] = (response.status_code, location if response.status_code == 302 else "")
    assert got == {r.id: (r.expected[0], "") if r.public else (302, "/login") for r in ROUTES}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_its_own_organization(app: Flask, db: Database, role: str) -> None:
    world = make_program_world(db)
    client = signed_in(app, _email(world, role, world.a))
    got = _statuses(app, client, world.a, ROUTES)
    assert got == {r.id: r.expected[ROLES.index(role)] for r in ROUTES}


@pytest.mark.parametrize("role", ["leader", "member"])
def test_people_of_organization_a_get_404_on_everything_of_b(
    app: Flask, db: Database, role: str
) -> None:
    world = make_program_world(db)
    before = audit_count(db, world.b.engagement)
    client = signed_in(app, _email(world, role, world.a))
    scoped = [r for r in ROUTES if r.scoped]
    assert _statuses(app, client, world.b, scoped) == {r.id: 404 for r in scoped}
    assert audit_count(db, world.b.engagement) == before
    # B's own people still have every page: nothing of B was deleted.
    client_b = signed_in(app, _email(world, role, world.b))
    reads = [r for r in scoped if r.method == "GET"]
    assert _statuses(app, client_b, world.b, reads) == {
        r.id: r.expected[ROLES.index(role)] for r in reads
    }


@pytest.mark.parametrize("role", ["leader", "member"])
def test_the_list_shows_only_ones_own_organization(app: Flask, db: Database, role: str) -> None:
    world = make_program_world(db)
    page = signed_in(app, _email(world, role, world.a)).get("/program/").text
    assert "Organization ORG-A" in page
    assert "Organization ORG-B" not in page
    admin_page = signed_in(app, world.admin).get("/program/").text
    assert "Organization ORG-A" in admin_page
    assert "Organization ORG-B" in admin_page


def test_records_of_another_engagement_are_404_under_ones_own(app: Flask, db: Database) -> None:
    """A record id of B under A's engagement path is not found, even for an admin."""
    world = make_program_world(db)
    admin = signed_in(app, world.admin)
    a, b = world.a.engagement, world.b
    paths = [
        f"/program/{a}/strategies/{b.strategy}",
        f"/program/{a}/strategies/{b.strategy}/edit",
        f"/program/{a}/indicators/{b.indicator}/edit",
        f"/program/{a}/indicators/{b.manual}/progress",
        f"/program/{a}/milestones/{b.milestone}",
        f"/program/{a}/trainings/{b.training}",
        f"/program/{a}/policies/{b.policy}",
        "/program/999/",
        "/program/volunteer/no-such-org",
    ]
    assert {p: admin.get(p).status_code for p in paths} == dict.fromkeys(paths, 404)
    token = csrf_token(admin.get("/program/").text)
    actions = [
        f"/program/{a}/strategies/{b.spare_strategy}/delete",
        f"/program/{a}/indicators/{b.spare_indicator}/delete",
        f"/program/{a}/trainings/{b.spare_training}/delete",
        f"/program/{a}/policies/{b.spare_policy}/delete",
        f"/program/{a}/working-group/{b.spare_member}/remove",
        f"/program/{a}/volunteers/{b.accept_offer}/accept",
        f"/program/{a}/volunteers/{b.discard_offer}/discard",
        f"/program/{a}/strategies/{b.strategy}/review",
    ]
    before = audit_count(db)
    assert {
        p: admin.post(p, data={"csrf_token": token}).status_code for p in actions
    } == dict.fromkeys(actions, 404)
    assert audit_count(db) == before


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.IGNORECASE
)
CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.IGNORECASE)


def unlabelled_controls(page: str) -> list[str]:
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    missing = []
    for _tag, attrs in CONTROL.findall(page):
        if re.search(r'type="(hidden|submit|button)"', attrs):
            continue
        found = re.search(r'\bid="([^"]+)"', attrs)
        if found is None or found.group(1) not in labelled:
            missing.append(attrs.strip())
    return missing


def test_the_label_check_notices_an_unlabelled_control() -> None:
    page = '<label for="a">A</label><input id="a" type="text"><textarea id="b"></textarea>'
    assert unlabelled_controls(page) == ['id="b"']


def test_pages_have_labels_captions_and_nothing_inline(app: Flask, db: Database) -> None:
    """Every GET page: no inline script or style, a label for every control, a caption and
    column headers on every table."""
    world = make_program_world(db)
    admin = signed_in(app, world.admin)
    failures = {}
    for route in ROUTES:
        if route.method != "GET" or route.endpoint == "program.static":
            continue
        page = admin.get(_path(app, route, world.a)).text
        problems = []
        if INLINE_SCRIPT.search(page):
            problems.append("inline script")
        if re.search(r"\sstyle=", page):
            problems.append("inline style")
        if unlabelled := unlabelled_controls(page):
            problems.append(f"controls without a label: {unlabelled}")
        if page.count("<table") != page.count("<caption>"):
            problems.append("a table without a caption")
        if "<th>" in page:
            problems.append("a header cell without scope")
        if problems:
            failures[route.id] = problems
    assert failures == {}
