"""Anonymity by construction: what a submission writes, what survey pages send and load."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import MetaData, inspect, select, text
from sqlalchemy.exc import OperationalError
from werkzeug.test import TestResponse

import instrument
from tests.webapp.test_respondent_support import (
    Respondent,
    Survey,
    add_survey,
    rows,
    walk_to_last_page,
)
from webapp.db import Database
from webapp.instruments import add_version
from webapp.models import Invitation, Response
from webapp.responses import submission_key

USER_AGENT = "Mozilla/5.0 (X11) ua-marker-7f3a"
REFERRER = "https://mail.example.org/ref-marker-91c2"
CLIENT_IP = "198.51.100.23"
FORWARDED_IP = "203.0.113.77"

#: The columns a submission may write, table by table (the documented anonymity model).
DOCUMENTED = {
    "responses": {"id", "wave_id", "language", "submitted_on", "answers"},
    "submissions": {"key_hash", "wave_id"},
}


def tracked_client(app: Flask) -> FlaskClient:
    """A browser that sends everything a browser may give away."""
    client = app.test_client()
    client.environ_base.update(
        {
            "REMOTE_ADDR": CLIENT_IP,
            "HTTP_USER_AGENT": USER_AGENT,
            "HTTP_REFERER": REFERRER,
            "HTTP_X_FORWARDED_FOR": FORWARDED_IP,
        }
    )
    return client


def snapshot(database: Database) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every table, keyed by primary key, read without the ORM."""
    metadata = MetaData()
    metadata.reflect(database.engine)
    out: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    with database.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            keys = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
            out[table.name] = {
                tuple(row[k] for k in keys): dict(row)
                for row in conn.execute(select(table)).mappings()
            }
    return out


def cells(data: dict[str, dict[tuple[Any, ...], dict[str, Any]]]) -> Iterator[tuple[str, Any]]:
    for table, table_rows in data.items():
        for row in table_rows.values():
            for column, value in row.items():
                yield f"{table}.{column}", value


def submit_through(respondent: Respondent, survey: Survey) -> tuple[dict[str, Any], dict[str, Any]]:
    respondent.start()
    walk_to_last_page(respondent, survey.inst)
    before = snapshot(respondent_db(respondent))
    respondent.answer({"demo_role": "frontline", "demo_race": "prefer_not"}, "submit")
    assert "Thank you" in respondent.html
    return before, snapshot(respondent_db(respondent))


def respondent_db(respondent: Respondent) -> Database:
    database: Database = respondent.client.application.extensions["repp.db"]
    return database


def test_a_submission_writes_only_the_documented_columns(app: Flask, db: Database) -> None:
    survey = add_survey(db, invitations=2)
    respondent = Respondent(tracked_client(app), survey.invitation(1))
    before, after = submit_through(respondent, survey)

    changed: dict[str, list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]] = {}
    for table in after:
        old, new = before.get(table, {}), after[table]
        for key in set(old) | set(new):
            if old.get(key) != new.get(key):
                kind = "insert" if key not in old else "delete" if key not in new else "update"
                changed.setdefault(table, []).append((kind, old.get(key), new.get(key)))
    assert set(changed) == {"responses", "submissions", "invitations", "drafts"}

    [(kind, _, response)] = changed["responses"]
    assert kind == "insert"
    assert response is not None
    assert set(response) == DOCUMENTED["responses"]
    [(kind, _, marker)] = changed["submissions"]
    assert kind == "insert"
    assert marker is not None
    assert set(marker) == DOCUMENTED["submissions"]
    [(kind, old_invitation, new_invitation)] = changed["invitations"]
    assert kind == "update"
    assert old_invitation is not None
    assert new_invitation is not None
    assert {k for k in new_invitation if new_invitation[k] != old_invitation[k]} == {"used"}
    assert [kind for kind, _, _ in changed["drafts"]] == ["delete"]

    # Dates only: the submission date is a calendar date, and no value anywhere holds a time.
    submitted = response["submitted_on"]
    if isinstance(submitted, str):  # SQLite keeps dates as ISO text
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", submitted)
    else:
        assert type(submitted) is dt.date
    for where, value in cells(after):
        assert not isinstance(value, dt.datetime | dt.time), where
        if isinstance(value, str):
            assert not re.search(r"\d{1,2}:\d{2}(:\d{2})?", value), where

    # Nothing of the request is anywhere in the database.
    session_cookie = respondent.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert session_cookie is not None
    markers = {
        "ip": CLIENT_IP,
        "forwarded ip": FORWARDED_IP,
        "user agent": "ua-marker-7f3a",
        "referrer": "ref-marker-91c2",
        "cookie": session_cookie.value[:40],
    }
    for where, value in cells(after):
        for name, marker in markers.items():
            assert marker not in str(value), f"{name} stored in {where}"


def test_invitation_use_cannot_be_linked_to_the_response(app: Flask, db: Database) -> None:
    survey = add_survey(db, invitations=3)
    respondent = Respondent(tracked_client(app), survey.invitation(2))
    respondent.start()
    walk_to_last_page(respondent, survey.inst)
    submission_id = respondent.controls()["_submission"]
    respondent.answer({}, "submit")
    [response] = rows(db, Response)
    [used] = [i for i in rows(db, Invitation) if i.used]
    # No column of a response points anywhere but to its wave.
    foreign = inspect(db.engine).get_foreign_keys("responses")
    assert [(fk["referred_table"], fk["constrained_columns"]) for fk in foreign] == [
        ("waves", ["wave_id"])
    ]
    for table in ("submissions", "invitations"):
        referred = {fk["referred_table"] for fk in inspect(db.engine).get_foreign_keys(table)}
        assert "responses" not in referred
    # No value is shared but the wave.
    response_values = {str(v) for v in (response.id, response.language, response.answers)}
    invitation_values = {str(v) for v in (used.id, used.token_hash)}
    assert not response_values & invitation_values
    # The submission marker is a hash of the form's random id, which itself is stored nowhere.
    assert submission_key(submission_id) != submission_id
    assert all(submission_id not in str(v) for _, v in cells(snapshot(db)))
    if not db.is_sqlite:
        # PostgreSQL stamps rows with their writing transaction: the invitation's row is
        # written again on its own, so the stamps do not pair it with the response.
        with db.engine.connect() as conn:
            response_xmin = conn.execute(
                text("SELECT xmin::text FROM responses WHERE id = :id"), {"id": response.id}
            ).scalar_one()
            invitation_xmin = conn.execute(
                text("SELECT xmin::text FROM invitations WHERE id = :id"), {"id": used.id}
            ).scalar_one()
        assert response_xmin != invitation_xmin


def test_response_ids_are_random_uuid4(app: Flask, db: Database) -> None:
    survey = add_survey(db)
    for _ in range(3):
        respondent = Respondent(app.test_client(), survey.link)
        respondent.start()
        walk_to_last_page(respondent, survey.inst)
        respondent.answer({}, "submit")
    ids = [r.id for r in rows(db, Response)]
    assert len(set(ids)) == 3
    assert all(uuid.UUID(i).version == 4 for i in ids)


# -- what survey pages send -------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "action", "formaction", "poster", "srcset", "data"):
                self.urls.append((tag, name, value or ""))


def external_urls(page: str) -> list[str]:
    """Return every URL in a page that is neither relative nor on this site."""
    parser = _Links()
    parser.feed(page)
    bad = []
    for tag, name, url in parser.urls:
        parts = urlsplit(url)
        if url.startswith("//") or (parts.scheme and parts.netloc != "localhost"):
            bad.append(f"<{tag} {name}={url}>")
    assert "@import" not in page
    assert "url(" not in page
    return bad


def survey_pages(app: Flask, survey: Survey) -> Iterator[tuple[str, TestResponse]]:
    """Every kind of page a respondent may see, with its responses' headers."""
    client = app.test_client()
    # A left-over remember-me cookie must not make the app clear it (a second cookie).
    client.set_cookie("remember_token", "left-over")
    respondent = Respondent(client, survey.link)
    yield "welcome", client.get(survey.link)
    respondent.start()
    yield "section", respondent.page  # type: ignore[misc]
    yield "errors", respondent.post({"lead_1": "9"})
    saved = respondent.post({"lead_1": "2"}, "save")
    yield "saved", saved
    resume = re.search(r'href="http://localhost([^"]+)" id="resume-link"', saved.text)
    assert resume
    yield "resume", client.get(resume.group(1))
    respondent.get(resume.group(1))
    yield "next", respondent.post({"lead_1": "2"}, "next")
    walk_to_last_page(respondent, survey.inst)
    final = respondent.post({}, "submit")
    yield "submit", final
    yield "thanks", client.get(final.headers["Location"])
    yield "gone", client.get(resume.group(1))
    yield "unknown", client.get("/s/no-such-survey-here")
    yield "malformed", respondent.post({"x": "1"})


@pytest.fixture
def pages(app: Flask, db: Database) -> list[tuple[str, TestResponse]]:
    return list(survey_pages(app, add_survey(db)))


def test_survey_pages_are_not_cached_and_keep_the_referrer_on_site(
    pages: list[tuple[str, TestResponse]],
) -> None:
    for name, response in pages:
        assert response.headers.get("Cache-Control") == "no-store", name
        assert response.headers.get("Referrer-Policy") == "same-origin", name
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], name


def test_survey_pages_load_nothing_from_other_hosts(
    pages: list[tuple[str, TestResponse]],
) -> None:
    for name, response in pages:
        if response.mimetype == "text/html" and response.status_code != 303:
            assert external_urls(response.text) == [], name
            assert "<script>" not in response.text, name


def test_survey_pages_set_no_cookie_but_the_session(
    app: Flask, pages: list[tuple[str, TestResponse]]
) -> None:
    seen = 0
    for name, response in pages:
        for header in response.headers.getlist("Set-Cookie"):
            seen += 1
            assert header.split("=", 1)[0] == app.config["SESSION_COOKIE_NAME"], name
            # A browser-session cookie: it goes when the browser closes (shared computers).
            assert "Expires=" not in header, name
            assert "Max-Age" not in header, name
            assert "HttpOnly" in header, name
            assert "SameSite=Lax" in header, name
    assert seen > 0


def test_the_welcome_page_is_anonymous_even_for_a_signed_in_admin(
    app: Flask, db: Database, auth: Any, client: FlaskClient
) -> None:
    survey = add_survey(db)
    auth.create("admin@cfjj.org")
    auth.login("admin@cfjj.org")
    page = client.get(survey.link)
    assert page.status_code == 200
    assert "Sign out" not in page.text
    assert "/admin" not in page.text


def test_sqlite_stores_responses_in_the_order_of_their_random_ids(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """The responses and volunteers tables have no hidden rowid numbering arrivals.

    (PostgreSQL keeps rows in the order they were written, with transaction ids: see the
    anonymity section of docs/methodology.md for what that means and who can read it.)
    """
    import shutil

    from webapp.models import Organization, Wave

    path = tmp_path / "order.sqlite3"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    try:
        with database.transaction() as s:
            add_version(s, instrument.load(SMALL))
            org = Organization(slug="o", name="O")
            s.add(org)
            s.flush()
            wave = Wave(
                organization_id=org.id, instrument_version_id=1, label="w", link_slug="x" * 32
            )
            s.add(wave)
            s.flush()
            for _ in range(40):
                s.add(
                    Response(
                        wave_id=wave.id, language="en", submitted_on=dt.date(2026, 1, 5), answers={}
                    )
                )
        with database.engine.connect() as conn:
            for table in ("responses", "volunteers"):
                with pytest.raises(OperationalError, match="rowid"):
                    conn.execute(text(f"SELECT rowid FROM {table}")).all()  # noqa: S608
            scanned = [row[0] for row in conn.execute(text("SELECT id FROM responses"))]
        assert len(scanned) == 40
        assert scanned == sorted(scanned)
    finally:
        database.dispose()


SMALL = {
    "format": "repp-instrument/1",
    "id": "small",
    "version": "1",
    "title": "Small",
    "scales": {"yn": {"points": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]}},
    "focus_areas": [{"id": "fa", "title": "Area"}],
    "sections": [
        {
            "title": "S",
            "items": [
                {"id": "q", "type": "likert", "scale": "yn", "focus_area": "fa", "text": "Q"}
            ],
        }
    ],
}
