"""Admin pages for organizations and users: create, list, detail, deactivate and reactivate."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.support import AuthActions, csrf_token
from tests.webapp.test_admin_support import (
    PASSWORD,
    World,
    make_world,
    post_form,
    refusal_problems,
    signed_in,
    visible_text,
)
from webapp.db import Database
from webapp.models import Organization, Role, User

NEW_PASSWORD = "a long enough initial password"


@pytest.fixture
def world(db: Database) -> World:
    return make_world(db)


@pytest.fixture
def admin(app: Flask, world: World) -> FlaskClient:
    return signed_in(app, "admin@cfjj.org")


def _count(db: Database, model: type[Any]) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _user(db: Database, email: str) -> User:
    with db.session() as s:
        user = s.scalars(select(User).where(User.email == email)).one()
        return user


# -- organizations -------------------------------------------------------------------------------


def test_create_an_organization(admin: FlaskClient, db: Database) -> None:
    response = post_form(
        admin,
        "/admin/organizations/new",
        "/admin/organizations/new",
        {"slug": "dcf-boston", "name": "DCF Boston", "sector": "child-welfare"},
    )
    assert response.status_code == 302
    with db.session() as s:
        org = s.scalars(select(Organization).where(Organization.slug == "dcf-boston")).one()
        assert (org.name, org.sector) == ("DCF Boston", "child-welfare")
    assert response.headers["Location"].endswith(f"/admin/organizations/{org.id}")
    page = visible_text(admin.get(response.headers["Location"]).text)
    assert "Organization DCF Boston added." in page
    assert "Child welfare" in page
    listing = visible_text(admin.get("/admin/organizations/").text)
    assert "DCF Boston dcf-boston Child welfare 0 0" in listing


@pytest.mark.parametrize("sector", [{"sector": ""}, {}])
def test_the_sector_may_be_left_out(
    admin: FlaskClient, db: Database, sector: dict[str, str]
) -> None:
    response = post_form(
        admin,
        "/admin/organizations/new",
        "/admin/organizations/new",
        {"slug": "nosector", "name": "No Sector", **sector},
    )
    assert response.status_code == 302
    with db.session() as s:
        org = s.scalars(select(Organization).where(Organization.slug == "nosector")).one()
        assert org.sector is None


BAD_ORGANIZATIONS = [
    ({"slug": "Bad Slug"}, "#slug", "lower-case letters"),
    ({"slug": ""}, "#slug", "Enter a short name."),
    ({"name": "  "}, "#name", "Enter the organization's name."),
    ({"sector": "banking"}, "#sector", "Choose a sector from the list."),
    ({"name": "A\x00B"}, "#name", "Remove the control characters"),
    ({"slug": "org-a"}, None, "organization 'org-a' already exists"),
]


def test_bad_organization_input_shows_an_error_summary(admin: FlaskClient, db: Database) -> None:
    valid = {"slug": "new-org", "name": "New Org", "sector": "education"}
    failures = {}
    for change, anchor, message in BAD_ORGANIZATIONS:
        response = post_form(
            admin, "/admin/organizations/new", "/admin/organizations/new", {**valid, **change}
        )
        problems = refusal_problems(response, anchor, message)
        if problems:
            failures[repr(change)] = problems
    assert failures == {}
    assert _count(db, Organization) == 2


def test_the_organization_page_lists_its_own_waves_and_users(
    admin: FlaskClient, world: World
) -> None:
    text = visible_text(admin.get(f"/admin/organizations/{world.org_a}").text)
    assert "Organization A" in text
    assert "lead@a.org" in text
    assert "lead@b.org" not in text
    assert "baseline" in text
    assert "Education" in text
    assert (
        f'href="/admin/waves/new?organization={world.org_a}"'
        in admin.get(f"/admin/organizations/{world.org_a}").text
    )


# -- users ---------------------------------------------------------------------------------------


def _new_user(admin: FlaskClient, **fields: str) -> Any:
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, **fields}
    return post_form(admin, "/admin/users/new", "/admin/users/new", data)


def test_create_a_leader_who_can_then_sign_in(
    app: Flask, admin: FlaskClient, db: Database, world: World
) -> None:
    response = _new_user(
        admin, email=" New.Leader@A.org ", role="leader", organization=str(world.org_a)
    )
    assert response.status_code == 302
    user = _user(db, "new.leader@a.org")
    assert (user.role, user.organization_id, user.active) == (Role.LEADER, world.org_a, True)
    listing = visible_text(admin.get("/admin/users/").text)
    assert "User new.leader@a.org added." in listing
    assert "new.leader@a.org Leader Organization A Active" in listing
    client = app.test_client()
    assert AuthActions(client, db).login("new.leader@a.org", NEW_PASSWORD).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/admin/").status_code == 403


def test_create_an_admin(admin: FlaskClient, db: Database) -> None:
    response = _new_user(admin, email="second@cfjj.org", role="admin", organization="")
    assert response.status_code == 302
    user = _user(db, "second@cfjj.org")
    assert (user.role, user.organization_id) == (Role.ADMIN, None)


def test_the_user_form_groups_the_roles_and_can_preselect_an_organization(
    admin: FlaskClient, world: World
) -> None:
    page = admin.get(f"/admin/users/new?organization={world.org_b}").text
    assert "<fieldset" in page
    assert "<legend>Role</legend>" in page
    assert f'<option selected value="{world.org_b}">' in page
    assert 'minlength="12"' in page


BAD_USERS = [
    ({"role": "leader", "organization": ""}, "#organization", "A leader belongs to one"),
    ({"role": "admin"}, "#organization", "Admins belong to CfJJ"),
    ({"organization": "999"}, "#organization", "Choose an organization from the list."),
    ({"role": "superuser"}, "#role-0", "Choose a role from the list."),
    ({"email": "not-an-email"}, "#email", "Enter an email address like"),
    ({"email": ""}, "#email", "Enter an email address."),
    ({"email": "a\x00b@a.org"}, "#email", "Remove the control characters"),
    ({"password": "short", "confirm": "short"}, "#password", "at least 12 characters"),
    ({"confirm": "something else entirely"}, "#confirm", "The two passwords differ."),
    ({"email": "lead@a.org"}, None, "a user lead@a.org already exists"),
]


def test_bad_user_input_shows_an_error_summary(
    admin: FlaskClient, db: Database, world: World
) -> None:
    valid = {"email": "x@a.org", "role": "leader", "organization": str(world.org_a)}
    failures = {}
    for change, anchor, message in BAD_USERS:
        response = _new_user(admin, **{**valid, **change})
        problems = refusal_problems(response, anchor, message)
        if NEW_PASSWORD in response.text:
            problems.append("the password was sent back")
        if problems:
            failures[repr(change)] = problems
    assert failures == {}
    assert _count(db, User) == 3


def test_a_deactivated_user_cannot_sign_in_and_is_signed_out(
    app: Flask, admin: FlaskClient, db: Database, world: World
) -> None:
    leader = signed_in(app, "lead@a.org")
    assert leader.get("/dashboard/").status_code == 200
    response = post_form(admin, "/admin/users/", f"/admin/users/{world.leader_a}/deactivate", {})
    assert response.status_code == 302
    assert _user(db, "lead@a.org").active is False
    assert "lead@a.org is deactivated" in visible_text(admin.get("/admin/users/").text)
    # The open session ends at the next request...
    response = leader.get("/dashboard/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    # ...and signing in again is refused.
    assert AuthActions(app.test_client(), db).login("lead@a.org", PASSWORD).status_code == 401
    post_form(admin, "/admin/users/", f"/admin/users/{world.leader_a}/reactivate", {})
    assert _user(db, "lead@a.org").active is True
    assert AuthActions(app.test_client(), db).login("lead@a.org", PASSWORD).status_code == 302


def test_an_admin_cannot_deactivate_their_own_account(
    admin: FlaskClient, db: Database, world: World
) -> None:
    response = post_form(admin, "/admin/users/", f"/admin/users/{world.admin}/deactivate", {})
    assert response.status_code == 302
    assert _user(db, "admin@cfjj.org").active is True
    assert "You cannot deactivate your own account." in visible_text(
        admin.get("/admin/users/").text
    )


def test_the_users_page_offers_the_right_action(admin: FlaskClient, world: World) -> None:
    page = admin.get("/admin/users/").text
    assert f'action="/admin/users/{world.leader_a}/deactivate"' in page
    assert f'action="/admin/users/{world.admin}/deactivate"' not in page


# -- never a 500 -----------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
values = st.one_of(st.text(max_size=80), st.integers(-3, 10**6).map(str))


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["slug", "name", "sector"]), values))
def test_any_organization_form_is_a_page_never_a_500(
    admin: FlaskClient, fields: dict[str, str]
) -> None:
    token = csrf_token(admin.get("/admin/organizations/new").text)
    response = admin.post("/admin/organizations/new", data={"csrf_token": token, **fields})
    assert response.status_code in (302, 400)


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["email", "role", "organization", "password", "confirm"]), values
    )
)
def test_any_user_form_is_a_page_never_a_500(admin: FlaskClient, fields: dict[str, str]) -> None:
    token = csrf_token(admin.get("/admin/users/new").text)
    response = admin.post("/admin/users/new", data={"csrf_token": token, **fields})
    assert response.status_code in (302, 400)
