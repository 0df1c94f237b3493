"""Who may use which page: every route of the admin and dashboard blueprints, GET and POST.

The table below must name every (endpoint, method) the app serves for those blueprints: a new
route without an entry fails `test_every_route_has_an_entry`.

- anonymous: redirected to sign in (POSTs too, with a valid CSRF token);
- a leader: 403 on every admin page and on the admins-only dashboard pages (free-text comments);
  the dashboard of their own organization; 404 on another's;
- an admin: the page itself (the status each entry names).

Downloads (CSV, JSON, the HTML report) are checked like pages, but are not HTML pages of the app:
the report carries its scripts inline under a CSP of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, url_for
from flask.testing import FlaskClient

from tests.support import csrf_token
from tests.webapp.test_admin_support import World, make_world, signed_in

BLUEPRINTS = ("admin", "dashboard")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    #: The expected status for an admin.
    admin: int
    #: URL arguments, from the world.
    args: Callable[[World], dict[str, Any]] = lambda w: {}
    #: For pages of one organization: the same page of organization B (leader A gets 404).
    other: Callable[[World], dict[str, Any]] | None = None
    #: The status for a leader of the organization (403 on pages for CfJJ admins only).
    leader: int = 200
    #: False for downloads: files, not pages of the app.
    page: bool = True

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"


ROUTES = [
    # admin: pages
    Route("admin.index", "GET", 200),
    Route("admin.instruments", "GET", 200),
    Route("admin.instrument_version", "GET", 200, lambda w: {"version_id": w.version}),
    Route("admin.upload_instrument", "GET", 200),
    Route("admin.upload_instrument", "POST", 400),
    Route("admin.add_bundled", "POST", 400),
    Route("admin.organizations", "GET", 200),
    Route("admin.organization", "GET", 200, lambda w: {"org_id": w.org_b}),
    Route("admin.new_organization", "GET", 200),
    Route("admin.new_organization", "POST", 400),
    Route("admin.waves", "GET", 200),
    Route("admin.wave", "GET", 200, lambda w: {"wave_id": w.wave_b}),
    Route("admin.new_wave", "GET", 200),
    Route("admin.new_wave", "POST", 400),
    Route("admin.open_wave", "POST", 302, lambda w: {"wave_id": w.wave_a}),
    Route("admin.close_wave", "POST", 302, lambda w: {"wave_id": w.wave_a}),
    Route("admin.wave_invitations", "POST", 400, lambda w: {"wave_id": w.wave_a}),
    Route("admin.users", "GET", 200),
    Route("admin.new_user", "GET", 200),
    Route("admin.new_user", "POST", 400),
    Route("admin.deactivate_user", "POST", 302, lambda w: {"user_id": w.leader_b}),
    Route("admin.reactivate_user", "POST", 302, lambda w: {"user_id": w.leader_b}),
    # dashboard
    Route("dashboard.index", "GET", 200),
    Route(
        "dashboard.wave",
        "GET",
        200,
        lambda w: {"wave_id": w.wave_a},
        other=lambda w: {"wave_id": w.wave_b},
    ),
    *(
        Route(
            endpoint,
            "GET",
            200,
            lambda w: {"wave_id": w.wave_a},
            other=lambda w: {"wave_id": w.wave_b},
            page=False,
        )
        for endpoint in ("dashboard.wave_csv", "dashboard.wave_json")
    ),
    Route(
        "dashboard.wave_comments",
        "GET",
        200,
        lambda w: {"wave_id": w.wave_a},
        other=lambda w: {"wave_id": w.wave_b},
        leader=403,
    ),
    Route(
        "dashboard.comparison",
        "GET",
        200,
        lambda w: {"org_id": w.org_a},
        other=lambda w: {"org_id": w.org_b},
    ),
    Route(
        "dashboard.report",
        "GET",
        200,
        lambda w: {"org_id": w.org_a},
        other=lambda w: {"org_id": w.org_b},
        page=False,
    ),
    # Without a baseline and a 12-month wave there is no comparison to download: 404 for all.
    *(
        Route(
            endpoint,
            "GET",
            404,
            lambda w: {"org_id": w.org_a},
            other=lambda w: {"org_id": w.org_b},
            leader=404,
            page=False,
        )
        for endpoint in ("dashboard.comparison_csv", "dashboard.comparison_json")
    ),
]


def served_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in BLUEPRINTS
        for method in (rule.methods or set()) - IGNORED_METHODS
    }


def test_every_route_has_an_entry(app: Flask) -> None:
    table = {(r.endpoint, r.method) for r in ROUTES}
    assert len(table) == len(ROUTES), "a route is listed twice"
    missing = served_routes(app) - table
    assert not missing, f"routes without an authorization entry: {sorted(missing)}"
    stale = table - served_routes(app)
    assert not stale, f"entries for routes the app does not serve: {sorted(stale)}"


def test_the_table_check_notices_a_route_without_an_entry(app: Flask) -> None:
    app.add_url_rule("/admin/extra", "admin.extra", lambda: "", methods=["GET", "POST"])
    table = {(r.endpoint, r.method) for r in ROUTES}
    assert served_routes(app) - table == {("admin.extra", "GET"), ("admin.extra", "POST")}


def _path(app: Flask, endpoint: str, args: dict[str, Any]) -> str:
    with app.test_request_context():
        return url_for(endpoint, **args)


def _request(client: FlaskClient, route: Route, path: str, token_page: str) -> Any:
    if route.method == "GET":
        return client.get(path)
    token = csrf_token(client.get(token_page).text)
    # An empty form: enough to pass the CSRF check and reach the view's own checks.
    return client.post(path, data={"csrf_token": token})


def _statuses(
    app: Flask, client: FlaskClient, token_page: str, paths: dict[str, str]
) -> dict[str, int]:
    """Request every route of the table on `paths` (route id -> path); return route id -> status."""
    return {
        route.id: _request(client, route, paths[route.id], token_page).status_code
        for route in ROUTES
        if route.id in paths
    }


def _own_paths(app: Flask, world: World) -> dict[str, str]:
    return {r.id: _path(app, r.endpoint, r.args(world)) for r in ROUTES}


def _other_paths(app: Flask, world: World) -> dict[str, str]:
    return {r.id: _path(app, r.endpoint, r.other(world)) for r in ROUTES if r.other is not None}


def test_anonymous_users_are_sent_to_sign_in(app: Flask, db: Any) -> None:
    world = make_world(db)
    client = app.test_client()
    paths = _own_paths(app, world)
    got = {}
    for route in ROUTES:
        response = _request(client, route, paths[route.id], "/login")
        got[route.id] = (response.status_code, urlsplit(response.headers.get("Location", "")).path)
    assert got == {route.id: (302, "/login") for route in ROUTES}


def test_leaders_get_403_on_admin_pages_and_only_their_own_dashboard(app: Flask, db: Any) -> None:
    world = make_world(db)
    leader_a = signed_in(app, "lead@a.org")
    own = _statuses(app, leader_a, "/dashboard/", _own_paths(app, world))
    assert own == {r.id: _leader_status(r) for r in ROUTES}
    other = _statuses(app, leader_a, "/dashboard/", _other_paths(app, world))
    assert other == {r.id: _outsider_status(r) for r in ROUTES if r.other is not None}
    assert other, "the table names no page of one organization"
    # ...and the same pages are there for organization B's own leader, who cannot see A's.
    leader_b = signed_in(app, "lead@b.org")
    assert _statuses(app, leader_b, "/dashboard/", _other_paths(app, world)) == {
        r.id: _leader_status(r) for r in ROUTES if r.other is not None
    }
    assert _statuses(app, leader_b, "/dashboard/", _own_paths(app, world)) == {
        r.id: _outsider_status(r) if r.other else _leader_status(r) for r in ROUTES
    }


def _leader_status(route: Route) -> int:
    return 403 if route.endpoint.startswith("admin.") else route.leader


def _outsider_status(route: Route) -> int:
    """A leader on another organization's page: 404, or 403 where leaders may never go."""
    return 403 if _leader_status(route) == 403 else 404


def test_admins_reach_every_page(app: Flask, db: Any) -> None:
    world = make_world(db)
    admin = signed_in(app, "admin@cfjj.org")
    assert _statuses(app, admin, "/admin/", _own_paths(app, world)) == {
        r.id: r.admin for r in ROUTES
    }
    assert _statuses(app, admin, "/admin/", _other_paths(app, world)) == {
        r.id: r.admin for r in ROUTES if r.other is not None
    }


def test_unknown_ids_are_404(app: Flask, db: Any) -> None:
    make_world(db)
    admin = signed_in(app, "admin@cfjj.org")
    pages = ["/admin/instruments/999", "/admin/organizations/999", "/admin/waves/999"]
    pages += [
        "/dashboard/waves/999",
        "/dashboard/waves/999/results.csv",
        "/dashboard/waves/999/results.json",
        "/dashboard/waves/999/comments",
        "/dashboard/organizations/999/comparison",
        "/dashboard/organizations/999/comparison.csv",
        "/dashboard/organizations/999/comparison.json",
        "/dashboard/organizations/999/report",
    ]
    assert {path: admin.get(path).status_code for path in pages} == dict.fromkeys(pages, 404)
    token = csrf_token(admin.get("/admin/").text)
    actions = [
        "/admin/waves/999/open",
        "/admin/waves/999/close",
        "/admin/waves/999/invitations",
        "/admin/users/999/deactivate",
        "/admin/users/999/reactivate",
    ]
    assert {
        path: admin.post(path, data={"csrf_token": token, "count": "1"}).status_code
        for path in actions
    } == dict.fromkeys(actions, 404)


def test_a_leader_cannot_act_on_a_wave(app: Flask, db: Any) -> None:
    from webapp.models import Wave, WaveStatus

    world = make_world(db)
    leader = signed_in(app, "lead@a.org")
    token = csrf_token(leader.get("/dashboard/").text)
    response = leader.post(f"/admin/waves/{world.wave_a}/close", data={"csrf_token": token})
    assert response.status_code == 403
    with db.session() as s:
        wave = s.get(Wave, world.wave_a)
        assert wave is not None
        assert wave.status is WaveStatus.OPEN


# Scripts must be files; JSON data blocks (chart figures) are data, never run.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.IGNORECASE
)
CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.IGNORECASE)


def _unlabelled_controls(page: str) -> list[str]:
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    missing = []
    for _tag, attrs in CONTROL.findall(page):
        if re.search(r'type="(hidden|submit|button)"', attrs):
            continue
        found = re.search(r'\bid="([^"]+)"', attrs)
        if found is None or found.group(1) not in labelled:
            missing.append(attrs.strip())
    return missing


def test_pages_have_labels_captions_and_nothing_inline(app: Flask, db: Any) -> None:
    """Every GET page: no inline script or style (the CSP forbids them), a label for every
    control, a caption and column headers on every table."""
    world = make_world(db)
    admin = signed_in(app, "admin@cfjj.org")
    failures = {}
    for route in ROUTES:
        if route.method != "GET" or not route.page:
            continue
        page = admin.get(_path(app, route.endpoint, route.args(world))).text
        problems = []
        if INLINE_SCRIPT.search(page):
            problems.append("inline script")
        if re.search(r"\sstyle=", page):
            problems.append("inline style")
        if unlabelled := _unlabelled_controls(page):
            problems.append(f"controls without a label: {unlabelled}")
        if page.count("<table") != page.count("<caption>"):
            problems.append("a table without a caption")
        if "<th>" in page:
            problems.append("a header cell without scope")
        if problems:
            failures[route.id] = problems
    assert failures == {}


def test_result_pages_have_labels_captions_and_nothing_inline(app: Flask, db: Any) -> None:
    """The same checks on result pages full of charts, tables and the gap form."""
    from tests.webapp.test_dashboard_comparison import with_followup
    from tests.webapp.test_dashboard_support import clear_caches

    clear_caches()
    world, followup = with_followup(db)
    admin = signed_in(app, "admin@cfjj.org")
    failures = {}
    for path in (
        f"/dashboard/waves/{world.wave_a}?gap_by=unit&gap_a=a&gap_b=b",
        f"/dashboard/waves/{followup}",
        f"/dashboard/organizations/{world.org_a}/comparison",
        f"/dashboard/waves/{followup}/comments",
    ):
        page = admin.get(path).text
        problems = []
        if 'class="repp-chart"' not in page and "comments" not in path:
            problems.append("no chart")
        if INLINE_SCRIPT.search(page):
            problems.append("inline script")
        if re.search(r"\sstyle=", page):
            problems.append("inline style")
        if unlabelled := _unlabelled_controls(page):
            problems.append(f"controls without a label: {unlabelled}")
        if page.count("<table") != page.count("<caption>"):
            problems.append("a table without a caption")
        if "<th>" in page:
            problems.append("a header cell without scope")
        levels = [int(n) for n in re.findall(r"<h([1-6])\b", page)]
        if any(b > a + 1 for a, b in zip(levels, levels[1:], strict=False)):
            problems.append(f"a heading level skipped: {levels}")
        if problems:
            failures[path] = problems
    clear_caches()
    assert failures == {}


def test_the_label_check_notices_an_unlabelled_control() -> None:
    page = '<label for="a">A</label><input id="a" type="text"><input id="b" type="text">'
    assert _unlabelled_controls(page) == ['id="b" type="text"']
