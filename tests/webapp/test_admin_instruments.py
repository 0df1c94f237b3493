"""Admin instrument pages: upload (the same messages as `repp validate`), bundled, list, detail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import instrument
import questionnaires
from tests.support import csrf_token
from tests.webapp.test_admin_support import (
    make_world,
    mini_document,
    post_form,
    signed_in,
    upload,
    visible_text,
)
from webapp.cli.instruments import validate as validate_command
from webapp.db import Database
from webapp.models import InstrumentVersion

ATTACK = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def admin(app: Flask, auth: Any) -> FlaskClient:
    auth.create("admin@cfjj.org")
    return signed_in(app, "admin@cfjj.org")


def _versions(db: Database) -> list[tuple[str, str, str]]:
    with db.session() as s:
        rows = s.scalars(select(InstrumentVersion).order_by(InstrumentVersion.id))
        return [(r.instrument_id, r.version, r.content_hash) for r in rows]


def _bad_document() -> dict[str, Any]:
    doc = mini_document()
    doc["sections"][0]["items"] = [
        {"id": "q1", "type": "likert", "text": "Leaders care.", "scale": "nope"},
        {"id": "q2", "type": "bogus", "text": "Anything else?"},
    ]
    return doc


def _cli_lines(tmp_path: Path, content: bytes) -> tuple[list[str], list[str]]:
    """Run `repp validate` on the content; return its problem and warning lines, file name cut."""
    path = tmp_path / "inst.json"
    path.write_bytes(content)
    result = CliRunner().invoke(validate_command, [str(path)])
    prefix = f"{path}: "
    problems = [line.removeprefix(prefix) for line in result.stdout.splitlines()]
    warnings = [
        line.removeprefix(prefix).replace(": warning: ", ": ", 1)
        for line in result.stderr.splitlines()
    ]
    return [p for p in problems if not p.startswith("OK (")], warnings


def test_a_valid_file_is_stored(admin: FlaskClient, db: Database) -> None:
    response = upload(admin, mini_document())
    assert response.status_code == 200
    assert "mini@1: added." in visible_text(response.text)
    inst = instrument.load(mini_document())
    assert _versions(db) == [("mini", "1", inst.content_hash)]
    listing = visible_text(admin.get("/admin/instruments/").text)
    assert "Mini survey" in listing
    assert "mini@1" in listing


def test_an_invalid_file_shows_every_problem_with_its_path_as_repp_validate_does(
    admin: FlaskClient, db: Database, tmp_path: Path
) -> None:
    content = json.dumps(_bad_document(), indent=2).encode()
    response = upload(admin, content, "bad.json")
    assert response.status_code == 400
    text = visible_text(response.text)
    problems, _ = _cli_lines(tmp_path, content)
    assert len(problems) >= 3
    for line in problems:
        assert line in text
    assert "sections[0].items[0].scale: " in text
    assert "sections[0].items[1].type: " in text
    assert 'class="error-summary"' in response.text
    assert 'href="#problems"' in response.text
    assert _versions(db) == []


def test_non_json_shows_line_and_column(admin: FlaskClient, db: Database) -> None:
    response = upload(admin, b'{\n  "id": "x",\n  oops\n}', "broken.json")
    assert response.status_code == 400
    text = visible_text(response.text)
    assert "line 3, column 3: not valid JSON" in text
    assert "broken.json" in text
    assert _versions(db) == []


def test_a_file_that_is_not_utf8_is_refused_clearly(admin: FlaskClient) -> None:
    response = upload(admin, b'{"title": "caf\xe9"}')
    assert response.status_code == 400
    assert "not UTF-8" in visible_text(response.text)


def test_warnings_are_listed_apart_and_the_file_is_stored(
    admin: FlaskClient, db: Database, tmp_path: Path
) -> None:
    doc = mini_document(languages=["en", "es"], title={"en": "Mini", "es": "Mini"})
    content = json.dumps(doc).encode()
    _, warnings = _cli_lines(tmp_path, content)
    assert warnings
    response = upload(admin, content)
    assert response.status_code == 200
    page = response.text
    assert 'id="warnings"' in page
    warnings_part = visible_text(page[page.index('id="warnings"') :])
    for line in warnings:
        assert line in warnings_part
    assert "added" in visible_text(page)
    assert len(_versions(db)) == 1


def test_an_identical_upload_is_already_present(admin: FlaskClient, db: Database) -> None:
    upload(admin, mini_document())
    # The same meaning written differently has the same content hash.
    response = upload(admin, json.dumps(mini_document(), indent=4, sort_keys=True).encode())
    assert response.status_code == 200
    assert "mini@1: already present" in visible_text(response.text)
    assert len(_versions(db)) == 1


def test_changed_content_replaces_a_version_no_wave_uses(admin: FlaskClient, db: Database) -> None:
    upload(admin, mini_document())
    response = upload(admin, mini_document(title="Mini survey, revised"))
    assert response.status_code == 200
    assert "mini@1: replaced" in visible_text(response.text)
    [(_, _, content_hash)] = _versions(db)
    assert content_hash == instrument.load(mini_document(title="Mini survey, revised")).content_hash


def test_changed_content_of_a_version_a_wave_uses_is_refused(app: Flask, db: Database) -> None:
    make_world(db)
    before = _versions(db)
    admin = signed_in(app, "admin@cfjj.org")
    response = upload(admin, mini_document(title="Mini survey, revised"))
    assert response.status_code == 400
    text = visible_text(response.text)
    assert "mini@1 is already used by 2 wave(s) and its content differs" in text
    assert 'a changed document must be a new version (change "version")' in text
    assert 'class="error-summary"' in response.text
    assert _versions(db) == before
    # A new version is fine.
    response = upload(admin, mini_document(title="Mini survey, revised", version="2"))
    assert "mini@2: added." in visible_text(response.text)


def test_an_upload_without_a_file_shows_an_error_summary(admin: FlaskClient) -> None:
    response = post_form(admin, "/admin/instruments/upload", "/admin/instruments/upload", {})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text
    assert 'href="#file"' in response.text
    assert 'aria-describedby="file-hint file-error"' in response.text


@pytest.mark.parametrize("questionnaire_id", questionnaires.list_bundled())
def test_a_bundled_questionnaire_is_added_once(
    admin: FlaskClient, db: Database, questionnaire_id: str
) -> None:
    response = post_form(
        admin,
        "/admin/instruments/",
        "/admin/instruments/bundled",
        {"questionnaire": questionnaire_id},
    )
    assert response.status_code == 302
    inst = questionnaires.load(questionnaire_id)
    [(instrument_id, version, content_hash)] = _versions(db)
    assert (instrument_id, version, content_hash) == (inst.id, inst.version, inst.content_hash)
    page = admin.get(response.headers["Location"])
    assert f"{inst.key}: added." in visible_text(page.text)
    again = post_form(
        admin,
        "/admin/instruments/",
        "/admin/instruments/bundled",
        {"questionnaire": questionnaire_id},
    )
    assert "already present" in visible_text(admin.get(again.headers["Location"]).text)
    assert len(_versions(db)) == 1


def test_an_unknown_bundled_questionnaire_is_refused(admin: FlaskClient, db: Database) -> None:
    response = post_form(
        admin, "/admin/instruments/", "/admin/instruments/bundled", {"questionnaire": "../etc"}
    )
    assert response.status_code == 400
    assert "Choose a questionnaire from the list." in visible_text(response.text)
    assert _versions(db) == []


def test_the_list_and_detail_pages_summarize_the_instrument(app: Flask, db: Database) -> None:
    world = make_world(db)
    admin = signed_in(app, "admin@cfjj.org")
    listing = admin.get("/admin/instruments/").text
    inst = instrument.load(mini_document())
    short = inst.content_hash.partition(":")[2][:12]
    row = visible_text(listing[listing.index("Mini survey") :])
    # Title, key, short hash, waves using it, items and focus areas.
    assert f"Mini survey mini@1 {short} 2 2 1" in row
    detail = admin.get(f"/admin/instruments/{world.version}")
    assert detail.status_code == 200
    text = visible_text(detail.text)
    for fragment in ("Section one", "Leaders care.", "Anything else?", "Leadership", "q1", "q2"):
        assert fragment in text
    assert f'href="/preview/{world.version}"' in detail.text
    assert "Preview as a respondent" in text
    assert text.count("Organization A · baseline") == 1


def test_instrument_text_is_escaped_everywhere(app: Flask, db: Database) -> None:
    doc = mini_document(title=ATTACK)
    doc["focus_areas"][0]["title"] = ATTACK
    doc["sections"][0]["title"] = ATTACK
    doc["sections"][0]["items"][0]["text"] = ATTACK
    world = make_world(db, doc)
    admin = signed_in(app, "admin@cfjj.org")
    leader = signed_in(app, "lead@a.org")
    pages = {
        "list": admin.get("/admin/instruments/"),
        "detail": admin.get(f"/admin/instruments/{world.version}"),
        "waves": admin.get("/admin/waves/"),
        "wave": admin.get(f"/admin/waves/{world.wave_a}"),
        "new wave": admin.get("/admin/waves/new"),
        "dashboard": leader.get("/dashboard/"),
        "dashboard wave": leader.get(f"/dashboard/waves/{world.wave_a}"),
        "admin dashboard": admin.get("/dashboard/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert ATTACK not in response.text, name
        assert ESCAPED in response.text, name


def test_an_uploaded_title_is_escaped_in_the_result(admin: FlaskClient) -> None:
    response = upload(admin, mini_document(title=ATTACK), filename=f"{ATTACK}.json")
    assert response.status_code == 200
    assert ATTACK not in response.text
    assert ESCAPED in response.text


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=200).map(str.encode)))
def test_any_upload_is_a_page_never_a_500(admin: FlaskClient, content: bytes) -> None:
    token = csrf_token(admin.get("/admin/instruments/upload").text)
    import io

    response = admin.post(
        "/admin/instruments/upload",
        data={"csrf_token": token, "file": (io.BytesIO(content), "x.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 400)
