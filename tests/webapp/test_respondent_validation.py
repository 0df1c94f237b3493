"""Validation of a section page, the error summary, conditions, and refusing malformed POSTs."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

import instrument
from tests.webapp.test_respondent_support import (
    CONDITIONS_DOC,
    Respondent,
    Survey,
    add_survey,
    count,
    rows,
)
from webapp.db import Database
from webapp.models import Draft, Response, Submission
from webapp.respondent.forms import parse_number
from webapp.respondent.pages import condition_note, reduce_condition


@pytest.fixture
def survey(db: Database) -> Survey:
    return add_survey(db, CONDITIONS_DOC)


@pytest.fixture
def respondent(client: FlaskClient, survey: Survey) -> Respondent:
    respondent = Respondent(client, survey.link)
    respondent.start()
    return respondent


def draft_answers(db: Database) -> dict[str, object]:
    [draft] = rows(db, Draft)
    return dict(draft.answers)


def test_a_missing_required_answer_shows_the_error_summary(
    respondent: Respondent, db: Database
) -> None:
    page = respondent.post({"hours": "4"})
    assert page.status_code == 200
    html = page.text
    assert "<title>Error: " in html
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    assert 'role="alert"' in summary.group(0)
    assert 'tabindex="-1"' in summary.group(0)
    assert "autofocus" in summary.group(0)
    assert "There is a problem" in summary.group(1)
    # One link per problem, to the question's first input.
    links = re.findall(r'<a href="#([^"]+)">', summary.group(1))
    assert links == ["supervises"]
    assert 'id="supervises"' in html
    # The message sits above the inputs and is tied to the question.
    fieldset = re.search(r'<fieldset class="question has-error" aria-describedby="([^"]+)">', html)
    assert fieldset
    assert "supervises.error" in fieldset.group(1).split()
    error = html.index('id="supervises.error"')
    assert "Choose an answer" in html[error : error + 200]
    assert error < html.index('id="supervises"')
    # The summary comes right after the heading, before the questions; what was typed is kept.
    assert html.index("<h1") < html.index('class="error-summary"') < html.index('id="supervises"')
    assert 'name="hours" value="4"' in html
    assert draft_answers(db) == {}


def test_a_text_or_number_error_is_tied_to_its_input(respondent: Respondent) -> None:
    html = respondent.post({"supervises": "no", "hours": "lots"}).text
    field = re.search(r'<input type="text"[^>]*id="hours"[^>]*>', html)
    assert field
    assert 'aria-describedby="hours.error"' in field.group(0)
    assert 'aria-invalid="true"' in field.group(0)
    assert 'inputmode="decimal"' in field.group(0)
    assert '<a href="#hours">Enter a number, like 12 or 2.5' in html


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("team_size", "abc", "Enter a whole number, like 12"),
        ("team_size", "2.5", "Enter a whole number, like 12, without a point or comma"),
        ("team_size", "1,000", "without a point or comma"),
        ("team_size", "0", "Enter a number between 1 and 500"),
        ("team_size", "501", "Enter a number between 1 and 500"),
        ("team_size", "9" * 40, "Enter a smaller number"),
        ("hours", "81", "Enter a number between 0 and 80"),
        ("hours", "-1", "Enter a number between 0 and 80"),
        ("hours", "1,500", "without a comma between thousands"),
        ("hours", "1e3", "Enter a number, like 12 or 2.5"),
        ("hours", "nan", "Enter a number, like 12 or 2.5"),
        ("comment", "x" * 21, "Your answer must be 20 characters or fewer (it has 21)"),
    ],
)
def test_values_out_of_bounds_are_explained(
    respondent: Respondent, db: Database, field: str, typed: str, message: str
) -> None:
    answers = {"supervises": "yes", "team_size": "12", field: typed}
    page = respondent.post(answers)
    assert page.status_code == 200
    assert message in page.text
    assert f'<a href="#{field}">' in page.text
    assert draft_answers(db) == {}


@pytest.mark.parametrize(
    ("answers", "stored"),
    [
        ({"hours": "2,5"}, {"hours": 2.5}),
        ({"hours": " 7 "}, {"hours": 7}),
        ({"hours": "0.25"}, {"hours": 0.25}),
        ({"hours": "\u22120"}, {"hours": 0}),
        ({"team_size": "12"}, {"team_size": 12}),
        # Browsers send a line break as CR LF but count it as one character for maxlength.
        ({"comment": "abc\r\n" * 4 + "abcd"}, {"comment": "abc\n" * 4 + "abcd"}),
        ({"comment": "  padded  "}, {"comment": "padded"}),
    ],
)
def test_numbers_and_text_are_read_as_people_type_them(
    respondent: Respondent, db: Database, answers: dict[str, str], stored: dict[str, object]
) -> None:
    page = respondent.answer({"supervises": "yes", "team_size": "3", **answers})
    assert "There is a problem" not in page.text
    assert draft_answers(db) == {"supervises": "yes", "team_size": 3, **stored}


def test_parse_number_accepts_what_it_should() -> None:
    assert parse_number("12", integer=True) == 12
    assert parse_number("-3", integer=True) == -3
    assert parse_number("3,25", integer=False) == 3.25
    assert parse_number(".5", integer=False) == 0.5
    assert parse_number("1 500", integer=True) == 1500
    for bad in ("", "1.2.3", "1,2,3", "--1", "inf", "0x10", "١٢"):
        with pytest.raises(ValueError, match="."):
            parse_number(bad, integer=False)


def test_a_same_page_condition_is_marked_and_carried_for_the_script(
    respondent: Respondent,
) -> None:
    html = respondent.html
    block = re.search(
        r'<div class="question-block conditional" id="team_size.question"[^>]*>', html
    )
    assert block
    show_if = re.search(r'data-show-if="([^"]+)"', block.group(0))
    assert show_if
    assert json.loads(show_if.group(1).replace("&#34;", '"')) == {
        "item": "supervises",
        "equals": "yes",
    }
    assert "Answer only if your answer to “Do you supervise staff?” was “Yes”." in html
    assert 'id="team_size.note"' in html
    # No inline script anywhere: the conditions are data, survey.js reads them.
    assert "<script>" not in html
    assert '<script src="/static/js/survey.js" defer></script>' in html


def test_a_hidden_same_page_answer_is_dropped_and_not_validated(
    respondent: Respondent, db: Database
) -> None:
    page = respondent.answer({"supervises": "no", "team_size": "not a number"})
    assert "There is a problem" not in page.text
    assert draft_answers(db) == {"supervises": "no"}


def test_a_shown_same_page_question_is_required(respondent: Respondent) -> None:
    page = respondent.post({"supervises": "yes"})
    assert '<a href="#team_size">Enter a number' in page.text


def test_a_hidden_section_is_skipped_and_not_counted(
    client: FlaskClient, respondent: Respondent, survey: Survey
) -> None:
    page = respondent.answer({"supervises": "no"})
    assert respondent.path == f"{survey.link}/page/3"
    assert "Section 2 of 2" in page.text
    assert 'value="submit"' in page.text
    # The skipped section cannot be reached by its address either.
    response = client.get(f"{survey.link}/page/2")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/page/3")
    respondent.answer({}, "back")
    assert respondent.path == f"{survey.link}/page/1"


def test_a_shown_section_is_counted(respondent: Respondent, survey: Survey) -> None:
    # Before the answer that shows section 2, the first page counts what is visible so far.
    assert "Section 1 of 2" in respondent.html
    assert 'value="next"' in respondent.html  # section 2 may follow, depending on this page
    page = respondent.answer({"supervises": "yes", "team_size": "4"})
    assert respondent.path == f"{survey.link}/page/2"
    assert "Section 2 of 3" in page.text


def test_cross_page_conditions_and_hidden_answers_never_stored(
    respondent: Respondent, survey: Survey, db: Database
) -> None:
    respondent.answer({"supervises": "yes", "team_size": "4"})
    respondent.answer({"sup_1": "3", "sup_areas": ["a", "b"]})
    # Decided by an earlier page: the follow-up is an ordinary question here.
    assert 'id="follow.question"' in respondent.html
    assert "data-show-if" not in respondent.html
    respondent.answer({"follow": "About B"}, "back")
    respondent.answer({"sup_1": "3", "sup_areas": ["a"]})
    assert 'id="follow"' not in respondent.html
    # Posting the hidden question anyway changes nothing.
    respondent.answer({"all_1": "na", "follow": "sneaked in"}, "back")
    respondent.answer({"sup_1": "3", "sup_areas": ["a"]}, "back")
    # Now nobody is supervised: section 2 is skipped, and its answers are not stored.
    respondent.answer({"supervises": "no", "team_size": "4"})
    assert "Section 2 of 2" in respondent.html
    assert draft_answers(db) == {"supervises": "no", "sup_1": 3, "sup_areas": ["a"], "all_1": "na"}
    page = respondent.answer({"all_1": "na", "role": "x"}, "submit")
    assert "Thank you" in page.text
    [stored] = rows(db, Response)
    assert stored.answers == {"supervises": "no", "all_1": "na", "role": "x"}


def test_the_demographic_question_is_never_required(respondent: Respondent, db: Database) -> None:
    respondent.answer({"supervises": "no"})
    page = respondent.answer({}, "submit")
    assert "Thank you" in page.text
    assert rows(db, Response)[0].answers == {"supervises": "no"}


def test_multiple_choice_answers_are_stored_in_option_order(
    respondent: Respondent, db: Database
) -> None:
    respondent.answer({"supervises": "yes", "team_size": "2"})
    html = respondent.html
    assert 'type="checkbox" id="sup_areas" name="sup_areas" value="a"' in html
    respondent.answer({"sup_1": "4", "sup_areas": ["c", "a"]})
    assert draft_answers(db)["sup_areas"] == ["a", "c"]


def test_likert_not_applicable_is_shown_apart(respondent: Respondent) -> None:
    respondent.answer({"supervises": "yes", "team_size": "2"})
    html = respondent.html
    apart = html.index('class="choices choices-apart"')
    assert html.index('value="4"') < apart < html.index('value="na"')


def test_reduce_condition_keeps_only_what_this_page_decides() -> None:
    yes = instrument.Equals(instrument.ItemId("a"), "yes")
    here = instrument.Answered(instrument.ItemId("b"))
    known = {"a": "yes"}
    assert reduce_condition(yes, known, {"b"}) is True
    assert reduce_condition(yes, {}, {"b"}) is False
    assert reduce_condition(instrument.All((yes, here)), known, {"b"}) == here
    assert reduce_condition(instrument.All((yes, here)), {}, {"b"}) is False
    assert reduce_condition(instrument.AnyOf((yes, here)), known, {"b"}) is True
    assert reduce_condition(instrument.AnyOf((yes, here)), {}, {"b"}) == here
    assert reduce_condition(instrument.Not(here), known, {"b"}) == instrument.Not(here)
    assert reduce_condition(instrument.Not(yes), known, {"b"}) is False


# -- malformed POSTs: 400 with a readable page, nothing stored --------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"supervises": "maybe"},
        {"supervises": ""},
        {"supervises": ["yes", "no"]},
        {"unknown_field": "x"},
        {"sup_1": "3"},  # an item of another section
        {"supervises": "yes", "_action": "explode"},
        {"supervises": "yes", "_draft": "not-a-draft"},
    ],
)
def test_a_body_no_form_of_ours_sends_is_refused(
    respondent: Respondent, db: Database, body: dict[str, object]
) -> None:
    controls = respondent.controls()
    data = MultiDict(controls)
    for key, value in body.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    response = respondent.client.post(respondent.path, data=data)
    assert response.status_code == 400
    assert "This form could not be accepted" in response.text
    assert "nothing was stored" in response.text
    assert draft_answers(db) == {}


def test_bad_values_on_a_likert_or_checkbox_question_are_refused(
    respondent: Respondent, db: Database
) -> None:
    respondent.answer({"supervises": "yes", "team_size": "2"})
    before = draft_answers(db)
    for bad in ({"sup_1": "7"}, {"sup_1": "NA"}, {"sup_areas": ["a", "a"]}, {"sup_areas": "d"}):
        response = respondent.post(bad)
        assert response.status_code == 400, bad
    assert draft_answers(db) == before


def test_a_missing_or_forged_csrf_token_is_refused(respondent: Respondent, db: Database) -> None:
    controls = respondent.controls()
    forged = {**controls, "csrf_token": controls["csrf_token"][:-4] + "AAAA"}
    missing = {k: v for k, v in controls.items() if k != "csrf_token"}
    other = {**controls, "csrf_token": "IjEyMyI.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"}
    for bad in (forged, missing, other):
        response = respondent.post({"supervises": "no"}, controls=bad)
        assert response.status_code == 400
        assert "This form could not be accepted" in response.text
    assert draft_answers(db) == {}


def test_a_cross_site_post_is_refused(respondent: Respondent, db: Database) -> None:
    response = respondent.post({"supervises": "no"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 400
    response = respondent.post({"supervises": "no"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 400
    assert draft_answers(db) == {}
    # Our own origin is fine.
    ok = respondent.post({"supervises": "no"}, headers={"Origin": "http://localhost"})
    assert ok.status_code == 303


def test_an_oversized_body_is_refused(respondent: Respondent, db: Database) -> None:
    response = respondent.post({"supervises": "no", "comment": "x" * 300_000})
    assert response.status_code == 400
    assert "too large" in response.text
    assert draft_answers(db) == {}


def test_a_file_upload_is_refused(respondent: Respondent, db: Database) -> None:
    import io

    body = {**respondent.controls(), "supervises": "no", "comment": (io.BytesIO(b"hi"), "a.txt")}
    response = respondent.client.post(
        respondent.path, data=body, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert draft_answers(db) == {}


def test_a_multipart_part_with_a_broken_name_is_refused(
    respondent: Respondent, db: Database
) -> None:
    body = {**respondent.controls(), "\n": "", "_action": "next"}
    response = respondent.client.post(
        respondent.path, data=body, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert draft_answers(db) == {}


def test_a_forged_submission_id_is_refused(respondent: Respondent, db: Database) -> None:
    controls = {**respondent.controls(), "_submission": "A" * 32}
    response = respondent.post({"supervises": "no"}, controls=controls)
    assert response.status_code == 400
    assert count(db, Submission) == 0
    assert draft_answers(db) == {}


def test_condition_notes_name_the_question_and_the_answers(app: Flask) -> None:
    inst = instrument.load(CONDITIONS_DOC)
    supervises = instrument.ItemId("supervises")
    with app.test_request_context():
        one = condition_note(instrument.In(supervises, ("yes",)), inst, "es")
        both = condition_note(instrument.In(supervises, ("yes", "no")), inst, "en")
        answered = condition_note(instrument.Answered(supervises), inst, "en")
        other = condition_note(instrument.Not(instrument.Answered(supervises)), inst, "en")
    assert one == "Answer only if your answer to “¿Supervisa personal?” was “Sí”."
    assert both == "Answer only if your answer to “Do you supervise staff?” was “Yes” or “No”."
    assert answered == "Answer only if you answered “Do you supervise staff?”."
    assert other == "Answer only if it applies to you, given your answers above."
