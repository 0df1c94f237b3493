"""Random POST bodies against the respondent pages: never a 500, never a partial response."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

import instrument
from tests.support import csrf_token
from tests.webapp.test_respondent_support import (
    CONDITIONS_DOC,
    Respondent,
    Survey,
    add_survey,
    count,
    rows,
)
from webapp import drafts
from webapp.db import Database
from webapp.models import Draft, Response, Submission

ITEM_IDS = [item["id"] for section in CONDITIONS_DOC["sections"] for item in section["items"]]
CONTROLS = ["csrf_token", "_draft", "_submission", "_action", "_preview", "language", "action"]
PLAUSIBLE = ["", "1", "2", "4", "9", "na", "NA", "yes", "no", "a", "b", "x", "12", "2,5", "-0"]
PLAUSIBLE += ["next", "back", "save", "submit", "en", "es", "\x00", "1e309", "٣", "x" * 30]

names = st.one_of(st.sampled_from(ITEM_IDS + CONTROLS), st.text(max_size=12))
values = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=40))
bodies = st.lists(st.tuples(names, values), max_size=12)
#: Bodies the last page's form could send, more or less: mostly well formed, sometimes not.
page_bodies = st.fixed_dictionaries(
    {},
    optional={
        "all_1": st.sampled_from(["1", "2", "3", "4", "na", "5", ""]),
        "role": st.sampled_from(["x", "y", "z"]),
        "follow": values,
        "comment": values,
        "_action": st.sampled_from(["next", "submit", "save", "back", "other"]),
    },
).map(lambda d: list(d.items()))


@pytest.fixture
def survey(db: Database) -> Survey:
    return add_survey(db, CONDITIONS_DOC)


def on_last_page(app: Flask, survey: Survey, db: Database) -> Respondent:
    """A respondent with required answers on earlier pages, looking at the last page."""
    with db.transaction() as s:
        draft = drafts.create_draft(s, survey.wave_id, "en", on=drafts.today(), days=14)
        draft.answers = {"supervises": "yes", "team_size": 3, "sup_1": 2}
        draft.page = 2
        draft_id = draft.id
    respondent = Respondent(app.test_client(), survey.link)
    respondent.get(f"{survey.link}/resume/{draft_id}")
    assert respondent.path == f"{survey.link}/page/3"
    return respondent


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.one_of(bodies, page_bodies),
    controls=st.sampled_from(["real", "none", "mixed"]),
    target=st.sampled_from(["/page/3", "/page/1", "/page/2", "", "/page/0"]),
    multipart=st.booleans(),
    upload=st.booleans(),
)
def test_random_posts_never_fail_and_never_store_a_partial_response(
    app: Flask,
    db: Database,
    survey: Survey,
    body: list[tuple[str, str]],
    controls: str,
    target: str,
    multipart: bool,
    upload: bool,
) -> None:
    respondent = on_last_page(app, survey, db)
    data: MultiDict[str, Any] = MultiDict(body)
    if controls != "none":
        for key, value in respondent.controls().items():
            if controls == "real" or key not in data:
                data[key] = value
    kwargs: dict[str, Any] = {}
    if multipart:
        kwargs["content_type"] = "multipart/form-data"
        if upload:
            data.add("comment", (io.BytesIO(b"file body"), "notes.txt"))
    draft_id = respondent.controls()["_draft"]
    before = count(db, Response)
    response = respondent.client.post(f"{survey.link}{target}", data=data, **kwargs)

    assert response.status_code < 500, response.text
    for stored in rows(db, Response):
        # Whatever was stored is a whole, valid response to the instrument.
        assert instrument.response_problems(survey.inst, stored.answers) == {}
        assert {"supervises", "team_size", "sup_1"} <= set(stored.answers)
    # Nothing is lost: the draft is gone exactly when its response was stored, once.
    stored_now = count(db, Response) - before
    event(f"status {response.status_code}, stored {stored_now}")
    assert stored_now in (0, 1)
    assert (draft_id in {d.id for d in rows(db, Draft)}) is (stored_now == 0)
    assert count(db, Response) == count(db, Submission)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies, real_token=st.booleans())
def test_random_welcome_posts_never_fail(
    app: Flask, db: Database, survey: Survey, body: list[tuple[str, str]], real_token: bool
) -> None:
    client = app.test_client()
    page = client.get(survey.link)
    data: MultiDict[str, str] = MultiDict(body)
    if real_token:
        data["csrf_token"] = csrf_token(page.text)
    response = client.post(survey.link, data=data)
    assert response.status_code < 500, response.text
    if response.status_code == 303:
        # Only a well-formed start creates a draft, in an offered language.
        assert data.get("language", "en") in ("en", "es")
        assert set(data) <= {"csrf_token", "language", "action"}
    assert not rows(db, Response)
