"""The respondent flow: welcome, sections, thank-you; closed waves, links and invitations."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

import instrument
import questionnaires
from tests.support import csrf_token
from tests.webapp.test_respondent_support import (
    CONDITIONS_DOC,
    Respondent,
    add_survey,
    count,
    rows,
    sample_answers,
    walk_to_last_page,
)
from webapp import clock
from webapp.db import Database
from webapp.models import Draft, Invitation, Response, Submission, Wave, WaveStatus
from webapp.respondent import views
from webapp.respondent.pages import estimate_minutes
from webapp.responses import store_response


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_full_walk_through_the_bundled_survey_stores_one_response(
    client: FlaskClient, db: Database, language: str
) -> None:
    survey = add_survey(db)
    inst = survey.inst
    respondent = Respondent(client, survey.link)
    page = respondent.start(language)
    rng = random.Random(language)
    given: dict[str, object] = {}
    total = len(inst.sections)
    for index, section in enumerate(inst.sections):
        assert page.status_code == 200
        assert f'<html lang="{language}">' in page.text
        progress = "Section {} of {}" if language == "en" else "Sección {} de {}"
        assert progress.format(index + 1, total) in page.text
        assert escape(section.title.get(language)) in page.text
        assert escape(section.items[0].text.get(language)) in page.text
        last = index == total - 1
        assert ('value="submit"' in page.text) is last
        answers = sample_answers(inst, index, rng)
        given.update(answers)
        page = respondent.answer(answers, "submit" if last else "next")
    assert page.status_code == 200
    assert respondent.path == f"{survey.link}/thanks"
    assert ("Thank you" if language == "en" else "Gracias") in page.text
    assert f'<html lang="{language}">' in page.text
    [stored] = rows(db, Response)
    assert stored.answers == given
    assert stored.language == language
    assert stored.submitted_on == clock.today()
    assert stored.wave_id == survey.wave_id
    assert count(db, Draft) == 0
    assert count(db, Submission) == 1


def test_the_welcome_page_says_what_is_stored_and_what_is_not(
    client: FlaskClient, db: Database
) -> None:
    survey = add_survey(db, min_group_size=7)
    page = client.get(survey.link)
    assert page.status_code == 200
    text = page.text
    assert escape(survey.inst.title.get("en")) in text
    assert "Organization org-a" in text
    assert f"about {estimate_minutes(survey.inst)} minutes" in text
    for stored in (
        "Your answers",
        "The language you answer in",
        "The date you submit — not the time",
    ):
        assert stored in text
    for not_stored in (
        "name or email",
        "IP address",
        "browser or device",
        "time of day",
        "invitation",
    ):
        assert not_stored in text
    assert "groups of at least 7 people" in text
    assert "skip any question" in text
    assert "always optional" in text
    # The language choice: real radio buttons, and links that switch the page.
    assert 'type="radio" id="language-en" name="language" value="en" checked' in text
    assert 'id="language-es" name="language" value="es"' in text
    assert f'href="{survey.link}?lang=es"' in text


def test_time_estimate_counts_items_by_type() -> None:
    inst = instrument.load(CONDITIONS_DOC)
    # 2 likert (20 s), 2 single choice and 1 multiple (90 s), 2 numbers (40 s), 2 texts (180 s):
    # 330 s, five and a half minutes, rounded up.
    assert estimate_minutes(inst) == 6
    # 43 likert, 4 demographic questions and 2 open questions: 730 s.
    assert estimate_minutes(questionnaires.load("repp-org-self-assessment")) == 12


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("es-US,es;q=0.9,en;q=0.5", "es"), ("en-US,en;q=0.9", "en"), ("fr-FR", "en"), ("", "en")],
)
def test_the_welcome_language_follows_the_browser(
    client: FlaskClient, db: Database, accept: str, expected: str
) -> None:
    survey = add_survey(db)
    page = client.get(survey.link, headers={"Accept-Language": accept} if accept else {})
    assert f'<html lang="{expected}">' in page.text
    assert escape(survey.inst.title.get(expected)) in page.text
    assert f'value="{expected}" checked' in page.text


def test_the_language_switch_wins_over_the_browser(client: FlaskClient, db: Database) -> None:
    survey = add_survey(db)
    page = client.get(f"{survey.link}?lang=es", headers={"Accept-Language": "en"})
    assert '<html lang="es">' in page.text
    assert 'value="es" checked' in page.text
    # An unknown language is ignored, not an error.
    assert client.get(f"{survey.link}?lang=xx").status_code == 200


def test_back_and_next_keep_answers(client: FlaskClient, db: Database) -> None:
    survey = add_survey(db)
    respondent = Respondent(client, survey.link)
    respondent.start()
    respondent.answer({"lead_1": 4, "lead_2": "na"})
    assert respondent.path == f"{survey.link}/page/2"
    respondent.answer({"wf_1": 2}, "back")
    assert respondent.path == f"{survey.link}/page/1"
    html = respondent.html
    assert 'id="lead_1.3" name="lead_1" value="4" checked' in html
    assert 'name="lead_2" value="na" checked' in html
    respondent.answer({"lead_1": 5})
    # What was posted with Back on page 2 is still there.
    assert 'name="wf_1" value="2" checked' in respondent.html
    respondent.answer({}, "back")
    respondent.answer({}, "back")
    assert respondent.path == survey.link


def test_pages_cannot_be_skipped_by_address(client: FlaskClient, db: Database) -> None:
    survey = add_survey(db)
    respondent = Respondent(client, survey.link)
    respondent.start()
    page = client.get(f"{survey.link}/page/5")
    assert page.status_code == 303
    assert page.headers["Location"].endswith(f"{survey.link}/page/1")
    assert client.get(f"{survey.link}/page/99").status_code == 404


def test_a_section_page_without_a_draft_goes_to_the_welcome_page(
    client: FlaskClient, db: Database
) -> None:
    survey = add_survey(db)
    response = client.get(f"{survey.link}/page/1")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(survey.link)


@pytest.mark.parametrize(
    "path", ["/s/unknown-slug-aaaaaaaaaaaa", "/i/unknown-token-aaaaaaaaa", "/s/%00bad", "/s/x"]
)
def test_an_unknown_link_is_404(client: FlaskClient, db: Database, path: str) -> None:
    add_survey(db)
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert client.post(path, data={"language": "en"}).status_code in (400, 404)


@pytest.mark.parametrize(
    ("status", "opens_on", "closes_on", "heading"),
    [
        (WaveStatus.CLOSED, None, None, "This survey is closed"),
        (WaveStatus.OPEN, None, clock.today() - dt.timedelta(days=1), "This survey is closed"),
        (WaveStatus.DRAFT, None, None, "This survey is not open yet"),
        (WaveStatus.OPEN, clock.today() + dt.timedelta(days=3), None, "not open yet"),
    ],
)
def test_a_wave_that_takes_no_answers_shows_a_friendly_page(
    client: FlaskClient,
    db: Database,
    status: WaveStatus,
    opens_on: dt.date | None,
    closes_on: dt.date | None,
    heading: str,
) -> None:
    survey = add_survey(db, status=status, opens_on=opens_on, closes_on=closes_on)
    page = client.get(survey.link)
    assert page.status_code == 200
    assert heading in page.text
    assert 'name="csrf_token"' not in page.text
    # Posting the welcome form anyway creates nothing.
    token = csrf_token(client.get("/login").text)
    response = client.post(survey.link, data={"csrf_token": token, "language": "en"})
    assert heading in response.text
    assert count(db, Draft) == 0
    assert count(db, Response) == 0


def test_a_post_after_the_wave_closed_stores_nothing_and_keeps_the_draft(
    client: FlaskClient, db: Database
) -> None:
    survey = add_survey(db)
    respondent = Respondent(client, survey.link)
    respondent.start()
    walk_to_last_page(respondent, survey.inst)
    with db.transaction() as s:
        wave = s.get(Wave, survey.wave_id)
        assert wave is not None
        wave.status = WaveStatus.CLOSED
    response = respondent.post({"demo_role": "frontline"}, "submit")
    assert response.status_code == 200
    assert "This survey is closed" in response.text
    assert "Nothing was submitted" in response.text
    assert count(db, Response) == 0
    assert count(db, Submission) == 0
    [draft] = rows(db, Draft)
    assert draft.answers  # the answers so far wait in case the wave reopens


def test_the_wave_closing_while_storing_stores_nothing(
    client: FlaskClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wave is checked again inside the storing transaction."""
    survey = add_survey(db)
    respondent = Respondent(client, survey.link)
    respondent.start()
    walk_to_last_page(respondent, survey.inst)

    def close_then_store(*args: Any, **kwargs: Any) -> Any:
        # The wave is closed by an admin between the page's checks and the storing.
        with db.transaction() as s:
            wave = s.get(Wave, survey.wave_id)
            assert wave is not None
            wave.status = WaveStatus.CLOSED
        return store_response(*args, **kwargs)

    monkeypatch.setattr(views, "store_response", close_then_store)
    response = respondent.post({}, "submit")
    assert "This survey is closed" in response.text
    assert count(db, Response) == 0
    assert count(db, Submission) == 0
    assert count(db, Draft) == 1


def test_an_invitation_leads_through_the_survey_and_is_then_used(
    client: FlaskClient, db: Database
) -> None:
    survey = add_survey(db, invitations=2)
    respondent = Respondent(client, survey.invitation(0))
    respondent.start("es")
    assert respondent.path == f"{survey.invitation(0)}/page/1"
    # The invitation's pages never reveal the wave's open link.
    assert survey.slug not in respondent.html
    walk_to_last_page(respondent, survey.inst)
    page = respondent.answer({"demo_race": "latine"}, "submit")
    assert respondent.path == f"{survey.invitation(0)}/thanks"
    assert "Gracias" in page.text
    used = {i.id: i.used for i in rows(db, Invitation)}
    assert sorted(used.values()) == [False, True]
    assert count(db, Response) == 1

    again = client.get(survey.invitation(0))
    assert again.status_code == 200
    assert "This invitation has been used" in again.text
    assert 'name="csrf_token"' not in again.text
    # The other invitation still works.
    other = client.get(survey.invitation(1))
    assert "Start the survey" in other.text


def test_a_used_invitation_stores_nothing_even_from_a_second_device(
    app: Flask, db: Database
) -> None:
    survey = add_survey(db, invitations=1)
    phone = Respondent(app.test_client(), survey.invitation())
    laptop = Respondent(app.test_client(), survey.invitation())
    phone.start()
    laptop.start()
    walk_to_last_page(phone, survey.inst)
    walk_to_last_page(laptop, survey.inst)
    assert "Thank you" in phone.answer({}, "submit").text
    second = laptop.post({}, "submit")
    assert "This invitation has been used" in second.text
    assert count(db, Response) == 1
    assert count(db, Submission) == 1


def test_a_draft_of_one_entry_is_not_used_by_another(client: FlaskClient, db: Database) -> None:
    survey = add_survey(db, invitations=1)
    respondent = Respondent(client, survey.link)
    respondent.start()
    controls = respondent.controls()
    # The same draft posted through the invitation's pages is not found there.
    response = client.post(f"{survey.invitation()}/page/1", data={**controls, "_action": "next"})
    assert response.status_code == 404
    assert "cannot be found" in response.text


def test_the_first_page_back_button_returns_to_the_welcome_page_in_the_same_language(
    client: FlaskClient, db: Database
) -> None:
    survey = add_survey(db)
    respondent = Respondent(client, survey.link)
    respondent.start("es")
    page = respondent.answer({"lead_1": 3}, "back")
    assert respondent.path == survey.link
    assert '<html lang="es">' in page.text
    # The welcome page offers to continue the saved answers, or to start anew.
    link = re.search(r'<a href="([^"]+)" id="continue-link"', page.text)
    assert link
    assert link.group(1) == f"{survey.link}/page/1"
    assert 'name="lead_1" value="3" checked' in client.get(link.group(1)).text


def test_a_demographic_question_is_marked_optional(client: FlaskClient, db: Database) -> None:
    survey = add_survey(db)
    respondent = Respondent(client, survey.link)
    respondent.start()
    walk_to_last_page(respondent, survey.inst)
    assert "(optional)" in respondent.html
    # Submitting without any demographic answer works.
    respondent.answer({}, "submit")
    [stored] = rows(db, Response)
    assert not any(key.startswith("demo_") for key in stored.answers)


# -- structure for assistive technology -------------------------------------------------------------


class _Structure(HTMLParser):
    """Headings, inputs, labels and fieldsets of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.inputs: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.stack: list[str] = []
        self.grouped: set[str] = set()
        self.legends = 0
        self.fieldsets = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "label" and attributes.get("for"):
            self.labels.add(str(attributes["for"]))
        elif tag in ("input", "textarea", "select") and attributes.get("type") != "hidden":
            self.inputs.append(attributes)
            if "fieldset" in self.stack:
                self.grouped.add(str(attributes.get("id")))
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1
        if tag in ("fieldset", "div", "form"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("fieldset", "div", "form") and tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def check_structure(page: str) -> _Structure:
    parser = _Structure()
    parser.feed(page)
    assert parser.headings[:1] == [1], "the page starts with its h1"
    assert parser.headings.count(1) == 1
    for before, after in zip(parser.headings, parser.headings[1:], strict=False):
        assert after <= before + 1, f"heading h{before} followed by h{after}"
    for field in parser.inputs:
        assert field.get("id") in parser.labels, f"no label for {field}"
        if field.get("type") in ("radio", "checkbox"):
            assert field.get("id") in parser.grouped, f"{field} is not in a fieldset"
    assert parser.fieldsets == parser.legends
    return parser


def test_pages_have_headings_in_order_labels_and_fieldsets(
    client: FlaskClient, db: Database
) -> None:
    survey = add_survey(db, CONDITIONS_DOC)
    respondent = Respondent(client, survey.link)
    check_structure(client.get(survey.link).text)
    respondent.start()
    first = check_structure(respondent.html)
    assert first.fieldsets == 1  # the radio question; number and text inputs have labels
    check_structure(respondent.post({"hours": "x"}).text)  # with the error summary
    saved = respondent.post({"supervises": "no"}, "save")
    check_structure(saved.text)
    respondent.get(f"{survey.link}/page/1")
    respondent.answer({"supervises": "no"})
    check_structure(respondent.html)
    check_structure(respondent.answer({}, "submit").text)


def test_items_named_like_everyday_form_words_are_asked_and_stored(
    client: FlaskClient, db: Database
) -> None:
    """The survey's own fields start with "_", so ids such as "language" stay free for questions."""
    doc = copy.deepcopy(CONDITIONS_DOC)
    renames = {"supervises": "action", "hours": "language", "comment": "submission_id"}
    text = json.dumps(doc)
    for old, new in renames.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    doc = json.loads(text)
    doc["sections"][2]["items"][2]["id"] = "lang"
    survey = add_survey(db, doc)
    respondent = Respondent(client, survey.link)
    respondent.start("es")
    page = respondent.answer({"action": "no", "language": "12", "submission_id": "hola"})
    assert page.status_code == 200
    assert respondent.path.endswith("/page/3")
    page = respondent.answer({"all_1": "2", "lang": "y"}, "submit")
    assert respondent.path == f"{survey.link}/thanks"
    [stored] = rows(db, Response)
    assert stored.answers == {
        "action": "no",
        "language": 12,
        "submission_id": "hola",
        "all_1": 2,
        "lang": "y",
    }
    assert stored.language == "es"


ATTACK = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _hostile(value: Any) -> Any:
    """Put the attack into every text of an instrument (titles, items, options, labels, help)."""
    if isinstance(value, dict):
        if set(value) == {"en", "es"} and all(isinstance(v, str) for v in value.values()):
            return {lang: f"{text} {ATTACK}" for lang, text in value.items()}
        return {
            key: (f"{item} {ATTACK}" if key in ("help", "intro", "description") else _hostile(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_hostile(item) for item in value]
    return value


def test_hostile_instrument_text_is_escaped_on_every_respondent_page(
    client: FlaskClient, db: Database
) -> None:
    doc = _hostile(copy.deepcopy(CONDITIONS_DOC))
    doc["sections"][0]["items"][2]["help"] = {"en": ATTACK, "es": ATTACK}
    survey = add_survey(db, doc)
    respondent = Respondent(client, survey.link)
    pages = [client.get(survey.link).text, respondent.start("en").text]
    pages.append(respondent.answer({}).text)  # an error summary: "supervises" is required
    pages.append(respondent.answer({"supervises": "yes"}).text)  # team size now required too
    pages.append(respondent.answer({"supervises": "yes", "team_size": "3"}).text)
    pages.append(respondent.answer({"sup_1": "2"}).text)
    pages.append(respondent.answer({}, "submit").text)
    assert respondent.path == f"{survey.link}/thanks"
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]
    assert 'class="error-summary' in pages[2]
