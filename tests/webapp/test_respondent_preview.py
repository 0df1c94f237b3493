"""The admin preview: any stored instrument version as respondents see it, storing nothing."""

from __future__ import annotations

import html
import json
import re

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support import AuthActions, csrf_token
from tests.webapp.test_respondent_support import (
    CONDITIONS_DOC,
    Survey,
    add_survey,
    count,
    form_body,
)
from webapp.db import Database
from webapp.models import Draft, Invitation, Response, Submission

STORED = (Draft, Response, Submission, Invitation)


@pytest.fixture
def survey(db: Database) -> Survey:
    return add_survey(db, CONDITIONS_DOC, invitations=1)


@pytest.fixture
def admin(auth: AuthActions) -> AuthActions:
    auth.create("admin@cfjj.org")
    auth.login("admin@cfjj.org")
    return auth


def counts(db: Database) -> dict[str, int]:
    return {model.__tablename__: count(db, model) for model in STORED}


def preview_answers(page_html: str) -> dict[str, object]:
    match = re.search(r'name="_preview" value="([^"]*)"', page_html)
    assert match
    loaded: dict[str, object] = json.loads(html.unescape(match.group(1)))
    return loaded


def post(
    client: FlaskClient, path: str, page_html: str, answers: dict[str, object], action: str
) -> TestResponse:
    """Post a preview page as a browser would: the answers, its token and the carried answers."""
    body = form_body(answers)
    body["csrf_token"] = csrf_token(page_html)
    body["_preview"] = json.dumps(preview_answers(page_html))
    body["_action"] = action
    return client.post(path, data=body)


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient, survey: Survey) -> None:
    for path in (f"/preview/{survey.version_id}", f"/preview/{survey.version_id}/1"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_a_leader_may_not_preview(
    auth: AuthActions, client: FlaskClient, survey: Survey, db: Database
) -> None:
    auth.create("lead@a.org", role="leader", org_slug="org-a")
    auth.login("lead@a.org")
    assert client.get(f"/preview/{survey.version_id}").status_code == 403
    assert client.get(f"/preview/{survey.version_id}/1").status_code == 403


def test_the_preview_walks_through_the_questionnaire_and_stores_nothing(
    admin: AuthActions, client: FlaskClient, survey: Survey, db: Database
) -> None:
    before = counts(db)
    welcome = client.get(f"/preview/{survey.version_id}?lang=es")
    assert welcome.status_code == 200
    assert "Vista previa — no se guarda nada" in welcome.text
    assert "Prueba de condiciones" in welcome.text
    assert '<html lang="es">' in welcome.text
    # The same start form as respondents see, but it only moves to the first page.
    assert f'action="/preview/{survey.version_id}/1"' in welcome.text
    assert 'name="lang" value="es" checked' in welcome.text

    path = f"/preview/{survey.version_id}/1?lang=es"
    first = client.get(path)
    assert first.status_code == 200
    assert "Vista previa — no se guarda nada" in first.text
    assert "Sobre su trabajo" in first.text
    assert "Sección 1 de 2" in first.text
    assert 'data-show-if="' in first.text  # the same templates as respondents

    # A required answer is missing: the same error summary.
    problem = post(client, path, first.text, {}, "next")
    assert "Hay un problema" in problem.text

    second = post(client, path, first.text, {"supervises": "yes", "team_size": "3"}, "next")
    assert second.status_code == 200
    assert "Supervisión" in second.text
    assert "Sección 2 de 3" in second.text
    assert preview_answers(second.text) == {"supervises": "yes", "team_size": 3}
    second_path = f"/preview/{survey.version_id}/2?lang=es"
    assert f'action="{second_path}"' in second.text.replace("&amp;", "&")

    back = post(client, second_path, second.text, {"sup_1": "2"}, "back")
    assert 'name="supervises" value="yes" checked' in back.text
    assert preview_answers(back.text)["sup_1"] == 2

    again = post(client, path, back.text, {"supervises": "yes", "team_size": "3"}, "next")
    assert 'name="sup_1" value="2" checked' in again.text
    saved = post(client, second_path, again.text, {"sup_1": "2"}, "save")
    assert "no guarda nada" in saved.text
    third = post(client, second_path, saved.text, {"sup_1": "2", "sup_areas": ["b"]}, "next")
    third_path = f"/preview/{survey.version_id}/3?lang=es"
    assert 'id="follow"' in third.text
    end = post(client, third_path, third.text, {"follow": "B"}, "submit")
    assert end.status_code == 200
    assert "Fin de la vista previa" in end.text
    assert "No se guardó nada" in end.text
    assert counts(db) == before


def test_the_preview_refuses_what_respondent_pages_refuse(
    admin: AuthActions, client: FlaskClient, survey: Survey, db: Database
) -> None:
    path = f"/preview/{survey.version_id}/1"
    page = client.get(path)
    assert post(client, path, page.text, {"supervises": "maybe"}, "next").status_code == 400
    assert post(client, path, page.text, {"nope": "1"}, "next").status_code == 400
    no_token = client.post(path, data={"supervises": "yes", "_action": "next"})
    assert no_token.status_code == 400
    # Answers carried between pages that do not fit the instrument are dropped, not stored.
    body = form_body({"supervises": "no"})
    body["csrf_token"] = csrf_token(page.text)
    body["_preview"] = json.dumps({"sup_1": 99, "ghost": 1, "all_1": [[]]})
    body["_action"] = "next"
    response = client.post(path, data=body)
    assert response.status_code == 200
    assert preview_answers(response.text) == {"supervises": "no"}
    assert counts(db)["responses"] == 0


@pytest.mark.parametrize("path", ["/preview/999", "/preview/999/1", "/preview/{id}/99"])
def test_an_unknown_version_or_page_is_404(
    admin: AuthActions, client: FlaskClient, survey: Survey, path: str
) -> None:
    assert client.get(path.format(id=survey.version_id)).status_code == 404
