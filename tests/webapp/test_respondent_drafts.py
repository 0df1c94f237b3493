"""Drafts, save and resume, expiry, long-open pages (CSRF, lost session) and idempotent submits."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.webapp.test_respondent_support import (
    CONDITIONS_DOC,
    Respondent,
    Survey,
    add_survey,
    count,
    rows,
    walk_to_last_page,
)
from webapp import clock, drafts
from webapp.db import Database
from webapp.drafts import create_draft, purge_expired_drafts
from webapp.models import Draft, Response, Submission


def session_data(app: Flask, client: FlaskClient) -> dict[str, object]:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    data: dict[str, object] = serializer.loads(cookie.value)
    return data


def expired_token(app: Flask, client: FlaskClient, hours: float) -> str:
    """Sign the session's CSRF secret as Flask-WTF does, but `hours` ago."""

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - hours * 3600)

    serializer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=Earlier)
    return serializer.dumps(session_data(app, client)["csrf_token"])


@pytest.fixture
def survey(db: Database) -> Survey:
    return add_survey(db)


# -- save and resume --------------------------------------------------------------------------------


def test_save_and_resume_on_another_device(
    app: Flask, client: FlaskClient, db: Database, survey: Survey
) -> None:
    phone = Respondent(client, survey.link)
    phone.start("es")
    phone.answer({"lead_1": 5, "lead_2": 1})
    saved = phone.post({"wf_1": 3}, "save")
    assert saved.status_code == 200
    assert "Sus respuestas están guardadas" in saved.text
    [draft] = rows(db, Draft)
    link = re.search(r'<a href="([^"]+)" id="resume-link">', saved.text)
    assert link
    assert link.group(1) == f"http://localhost{survey.link}/resume/{draft.id}"
    assert draft.answers == {"lead_1": 5, "lead_2": 1, "wf_1": 3}

    laptop = Respondent(app.test_client(), survey.link)
    page = laptop.get(link.group(1).removeprefix("http://localhost"))
    assert laptop.path == f"{survey.link}/page/2"
    assert '<html lang="es">' in page.text
    assert 'name="wf_1" value="3" checked' in page.text
    laptop.answer({"wf_1": 3, "wf_2": 4})
    for _ in range(len(survey.inst.sections) - 3):
        laptop.answer({})
    done = laptop.answer({"demo_role": "other"}, "submit")
    assert "Gracias" in done.text
    [stored] = rows(db, Response)
    assert stored.answers == {
        "lead_1": 5,
        "lead_2": 1,
        "wf_1": 3,
        "wf_2": 4,
        "demo_role": "other",
    }
    assert stored.language == "es"
    assert count(db, Draft) == 0
    # The resume link is dead once the answers are submitted.
    gone = app.test_client().get(link.group(1))
    assert gone.status_code == 404
    assert "cannot be found" in gone.text


def test_save_requires_nothing_but_checks_what_was_typed(client: FlaskClient, db: Database) -> None:
    survey = add_survey(db, CONDITIONS_DOC)
    respondent = Respondent(client, survey.link)
    respondent.start()
    page = respondent.post({"supervises": "yes"}, "save")
    assert "Your answers are saved" in page.text
    assert rows(db, Draft)[0].answers == {"supervises": "yes"}
    respondent.get(f"{survey.link}/page/1")
    page = respondent.post({"supervises": "yes", "hours": "many"}, "save")
    assert "There is a problem" in page.text
    assert rows(db, Draft)[0].answers == {"supervises": "yes"}


def test_the_session_cookie_holds_only_the_draft_id(
    app: Flask, client: FlaskClient, survey: Survey, db: Database
) -> None:
    respondent = Respondent(client, survey.link)
    respondent.start()
    respondent.answer({"lead_1": 4, "lead_2": 4, "lead_3": 4})
    respondent.answer({"wf_1": 2})
    data = session_data(app, client)
    assert set(data) <= {"csrf_token", "draft_id"}
    [draft] = rows(db, Draft)
    assert data["draft_id"] == draft.id
    assert len(draft.id) == 32
    saved = respondent.post({}, "save")
    assert set(session_data(app, client)) <= {"csrf_token", "draft_id"}
    go_on = re.search(r'<a class="button" href="([^"]+)" id="continue-link">', saved.text)
    assert go_on
    respondent.get(go_on.group(1))
    # Submitting forgets the draft id.
    assert respondent.path == f"{survey.link}/page/3"
    for _ in range(len(survey.inst.sections) - 3):
        respondent.answer({})
    respondent.answer({}, "submit")
    assert "draft_id" not in session_data(app, client)


def test_a_draft_carries_dates_only_and_lives_draft_days_after_its_last_save(
    app: Flask, client: FlaskClient, survey: Survey, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    respondent = Respondent(client, survey.link)
    respondent.start()
    [draft] = rows(db, Draft)
    today = clock.today()
    assert type(draft.expires_on) is dt.date
    assert draft.expires_on == today + dt.timedelta(days=app.config["DRAFT_DAYS"])
    later = today + dt.timedelta(days=5)
    monkeypatch.setattr(drafts, "today", lambda: later)
    respondent.answer({"lead_1": 2})
    assert rows(db, Draft)[0].expires_on == later + dt.timedelta(days=app.config["DRAFT_DAYS"])


def test_an_expired_draft_is_never_resumed(
    app: Flask, client: FlaskClient, survey: Survey, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    respondent = Respondent(client, survey.link)
    respondent.start()
    saved = respondent.post({"lead_1": 2}, "save")
    link = re.search(r'<a href="http://localhost([^"]+)" id="resume-link">', saved.text)
    assert link
    [draft] = rows(db, Draft)
    assert client.get(link.group(1)).status_code == 303
    monkeypatch.setattr(drafts, "today", lambda: draft.expires_on + dt.timedelta(days=1))
    for who in (client, app.test_client()):
        page = who.get(link.group(1))
        assert page.status_code == 404
        assert "These saved answers cannot be found" in page.text
        assert "14 days" in page.text
    # Nor continued from the cookie or by posting the open page.
    assert client.get(f"{survey.link}/page/1").status_code == 404
    assert respondent.post({"lead_1": 3}).status_code == 404
    assert count(db, Response) == 0


@pytest.mark.parametrize("draft_id", ["A" * 32, "short", "%00" * 11, "x" * 200])
def test_an_unknown_resume_link_is_a_friendly_404(
    client: FlaskClient, survey: Survey, draft_id: str
) -> None:
    page = client.get(f"{survey.link}/resume/{draft_id}")
    assert page.status_code == 404
    assert "cannot be found" in page.text


def test_purge_expired_drafts_deletes_only_expired_ones(survey: Survey, db: Database) -> None:
    today = dt.date(2030, 6, 15)

    def draft(expires_on: dt.date) -> Draft:
        return Draft(
            id=drafts.new_random_id(),
            wave_id=survey.wave_id,
            language="en",
            answers={},
            submission_id=drafts.new_random_id(),
            expires_on=expires_on,
        )

    with db.transaction() as s:
        for days_ago in (30, 2, 1):
            s.add(draft(today - dt.timedelta(days=days_ago)))
        keep, later = draft(today), draft(today + dt.timedelta(days=14))
        s.add_all([keep, later])
        keep_id, later_id = keep.id, later.id
    with db.transaction() as s:
        assert purge_expired_drafts(s, today) == 3
    assert {d.id for d in rows(db, Draft)} == {keep_id, later_id}
    with db.transaction() as s:
        assert purge_expired_drafts(s, today) == 0


def test_expired_drafts_are_purged_when_a_draft_is_created(
    client: FlaskClient, survey: Survey, db: Database
) -> None:
    with db.transaction() as s:
        old = create_draft(s, survey.wave_id, "en", on=dt.date(2020, 1, 1), days=14).id
    Respondent(client, survey.link).start()
    ids = {d.id for d in rows(db, Draft)}
    assert old not in ids
    assert len(ids) == 1


# -- a page left open for hours ---------------------------------------------------------------------


def test_an_expired_token_shows_the_page_again_with_the_answers_kept(
    app: Flask, client: FlaskClient, survey: Survey, db: Database
) -> None:
    respondent = Respondent(client, survey.link)
    respondent.start()
    controls = respondent.controls()
    old = {**controls, "csrf_token": expired_token(app, client, hours=13)}
    page = respondent.post({"lead_1": 4, "lead_2": "na"}, controls=old)
    assert page.status_code == 200
    assert "Please send this page again" in page.text
    assert 'name="lead_1" value="4" checked' in page.text
    assert 'name="lead_2" value="na" checked' in page.text
    assert rows(db, Draft)[0].answers == {}
    # The page carries a fresh token: sending it again goes through.
    respondent.page = page
    fresh = respondent.controls()
    assert fresh["csrf_token"] != old["csrf_token"]
    assert respondent.post({"lead_1": 4, "lead_2": "na"}).status_code == 303
    assert rows(db, Draft)[0].answers == {"lead_1": 4, "lead_2": "na"}


def test_an_expired_token_on_the_welcome_page_asks_to_start_again(
    app: Flask, client: FlaskClient, survey: Survey, db: Database
) -> None:
    client.get(survey.link)
    token = expired_token(app, client, hours=20)
    page = client.post(survey.link, data={"csrf_token": token, "language": "es"})
    assert page.status_code == 200
    assert "presione otra vez “Comenzar la encuesta”" in page.text
    assert 'value="es" checked' in page.text
    assert count(db, Draft) == 0


def test_a_lost_session_shows_the_page_again_and_the_draft_is_found_by_the_form(
    app: Flask, client: FlaskClient, survey: Survey, db: Database
) -> None:
    respondent = Respondent(client, survey.link)
    respondent.start()
    walk_to_last_page(respondent, survey.inst)
    controls = respondent.controls()
    # The browser lost its cookies (closed, cleared), but the page is still open.
    other = Respondent(app.test_client(), survey.link)
    other.path = respondent.path
    page = other.post({"demo_role": "supervisor"}, "submit", controls=controls)
    assert page.status_code == 200
    assert "Please send this page again" in page.text
    assert 'name="demo_role" value="supervisor" checked' in page.text
    assert count(db, Response) == 0
    other.page = page
    assert other.controls()["_draft"] == controls["_draft"]
    done = other.answer({"demo_role": "supervisor"}, "submit")
    assert "Thank you" in done.text
    [stored] = rows(db, Response)
    assert stored.answers["demo_role"] == "supervisor"


def test_a_token_not_signed_by_us_without_a_session_is_refused(
    app: Flask, client: FlaskClient, survey: Survey, db: Database
) -> None:
    respondent = Respondent(client, survey.link)
    respondent.start()
    controls = {**respondent.controls(), "csrf_token": "IjEyMyI.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"}
    other = app.test_client()
    response = other.post(respondent.path, data={**controls, "lead_1": "3", "_action": "next"})
    assert response.status_code == 400
    assert rows(db, Draft)[0].answers == {}


# -- submitting once --------------------------------------------------------------------------------


def test_a_repeated_final_post_stores_once_and_shows_the_same_thanks(
    client: FlaskClient, survey: Survey, db: Database
) -> None:
    respondent = Respondent(client, survey.link)
    respondent.start()
    walk_to_last_page(respondent, survey.inst)
    controls = respondent.controls()
    first = respondent.post({"demo_unit": "direct"}, "submit", controls=controls)
    second = respondent.post({"demo_unit": "admin"}, "submit", controls=controls)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"].split("?")[0] == second.headers["Location"].split("?")[0]
    assert "Thank you" in client.get(second.headers["Location"]).text
    # Any button of the submitted form leads to the same page.
    third = respondent.post({}, "back", controls=controls)
    assert third.headers["Location"] == second.headers["Location"]
    assert count(db, Response) == 1
    assert count(db, Submission) == 1
    assert rows(db, Response)[0].answers["demo_unit"] == "direct"


def test_a_repeated_final_post_thanks_in_the_survey_language_not_the_browsers(
    client: FlaskClient, survey: Survey, db: Database
) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    respondent = Respondent(client, survey.link)
    respondent.start("es")
    walk_to_last_page(respondent, survey.inst)
    action = re.search(r'<form method="post" action="([^"]+)"', respondent.html)
    assert action is not None
    body = {**respondent.controls(), "_action": "submit"}
    first = client.post(action.group(1), data=body)
    second = client.post(action.group(1), data=body)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert "Gracias" in client.get(second.headers["Location"]).text
    assert count(db, Response) == 1


def test_concurrent_final_posts_store_once(app: Flask, survey: Survey, db: Database) -> None:
    respondent = Respondent(app.test_client(), survey.link)
    respondent.start()
    walk_to_last_page(respondent, survey.inst)
    draft_id = respondent.controls()["_draft"]
    # The same open page in several browsers (each with its own session and token).
    tabs = []
    for _ in range(4):
        tab = Respondent(app.test_client(), survey.link)
        tab.get(f"{survey.link}/resume/{draft_id}")
        assert tab.controls()["_draft"] == draft_id
        tabs.append(tab)
    barrier = threading.Barrier(len(tabs))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def submit(tab: Respondent) -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(tab.post({"demo_tenure": "2_to_5"}, "submit").status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert statuses == [303] * len(tabs)
    assert count(db, Response) == 1
    assert count(db, Submission) == 1
    assert count(db, Draft) == 0


def test_the_draft_is_deleted_with_the_storing(
    client: FlaskClient, survey: Survey, db: Database
) -> None:
    respondent = Respondent(client, survey.link)
    respondent.start()
    walk_to_last_page(respondent, survey.inst)
    assert count(db, Draft) == 1
    respondent.answer({}, "submit")
    assert count(db, Draft) == 0
    # The cookie no longer leads to a draft: the survey starts again from the welcome page.
    response = client.get(f"{survey.link}/page/1")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(survey.link)
