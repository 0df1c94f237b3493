"""Helpers for the respondent tests: surveys in a test database and a respondent's browser.

No tests here; the respondent test modules import these.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

import instrument
import questionnaires
from tests.support import csrf_token
from webapp.db import Database
from webapp.instruments import add_version
from webapp.models import WaveStatus
from webapp.organizations import add_organization
from webapp.waves import create_wave, generate_invitations

BUNDLED = "repp-org-self-assessment"


def _t(en: str, es: str | None = None) -> dict[str, str]:
    return {"en": en, "es": es or f"{en} (es)"}


#: A small instrument with every item type, required items, bounds, a length limit and every
#: kind of condition: same page (team_size), a whole section (s2) and across pages (follow).
CONDITIONS_DOC: dict[str, Any] = {
    "format": "repp-instrument/1",
    "id": "test-conditions",
    "version": "1",
    "title": _t("Conditions test", "Prueba de condiciones"),
    "languages": ["en", "es"],
    "scales": {
        "agree": {
            "points": [{"value": v, "label": _t(f"Point {v}", f"Punto {v}")} for v in (1, 2, 3, 4)],
            "not_applicable": {"label": _t("Don't know", "No sé")},
        }
    },
    "focus_areas": [{"id": "fa", "title": _t("Area")}],
    "sections": [
        {
            "id": "s1",
            "title": _t("About your work", "Sobre su trabajo"),
            "items": [
                {
                    "id": "supervises",
                    "type": "single_choice",
                    "required": True,
                    "text": _t("Do you supervise staff?", "¿Supervisa personal?"),
                    "options": [
                        {"value": "yes", "label": _t("Yes", "Sí")},
                        {"value": "no", "label": _t("No", "No")},
                    ],
                },
                {
                    "id": "team_size",
                    "type": "number",
                    "integer": True,
                    "min": 1,
                    "max": 500,
                    "required": True,
                    "show_if": {"item": "supervises", "equals": "yes"},
                    "text": _t("How many people do you supervise?"),
                },
                {"id": "hours", "type": "number", "min": 0, "max": 80, "text": _t("Hours a week?")},
                {"id": "comment", "type": "text", "max_length": 20, "text": _t("A short comment")},
            ],
        },
        {
            "id": "s2",
            "title": _t("Supervision", "Supervisión"),
            "show_if": {"item": "supervises", "equals": "yes"},
            "items": [
                {
                    "id": "sup_1",
                    "type": "likert",
                    "scale": "agree",
                    "focus_area": "fa",
                    "required": True,
                    "text": _t("I get the support I need"),
                },
                {
                    "id": "sup_areas",
                    "type": "multiple_choice",
                    "text": _t("Areas you supervise"),
                    "options": [{"value": v, "label": _t(v.upper())} for v in ("a", "b", "c")],
                },
            ],
        },
        {
            "id": "s3",
            "title": _t("Everyone", "Todos"),
            "items": [
                {
                    "id": "all_1",
                    "type": "likert",
                    "scale": "agree",
                    "focus_area": "fa",
                    "text": _t("Things are fine"),
                },
                {
                    "id": "follow",
                    "type": "text",
                    "show_if": {"item": "sup_areas", "equals": "b"},
                    "text": _t("Tell us about area B"),
                },
                {
                    "id": "role",
                    "type": "single_choice",
                    "demographic": True,
                    # Ignored with a warning: demographic items are always optional.
                    "required": True,
                    "text": _t("Your role"),
                    "options": [
                        {"value": "x", "label": _t("X")},
                        {"value": "y", "label": _t("Y")},
                    ],
                },
            ],
        },
    ],
}


@dataclass
class Survey:
    inst: instrument.Instrument
    wave_id: int
    version_id: int
    slug: str
    tokens: list[str] = field(default_factory=list)

    @property
    def link(self) -> str:
        return f"/s/{self.slug}"

    def invitation(self, n: int = 0) -> str:
        return f"/i/{self.tokens[n]}"


def add_survey(
    database: Database,
    doc: Mapping[str, Any] | None = None,
    *,
    status: WaveStatus = WaveStatus.OPEN,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    invitations: int = 0,
    min_group_size: int = 5,
    org_slug: str = "org-a",
) -> Survey:
    """Add an instrument (the bundled self-assessment by default), an organization and a wave."""
    inst = instrument.load(doc) if doc is not None else questionnaires.load(BUNDLED)
    with database.transaction() as s:
        version, _new = add_version(s, inst)
        org = add_organization(s, org_slug, f"Organization {org_slug}")
        wave = create_wave(
            s,
            org,
            version,
            "baseline",
            status=status,
            opens_on=opens_on,
            closes_on=closes_on,
            min_group_size=min_group_size,
        )
        tokens = generate_invitations(s, wave, invitations) if invitations else []
        return Survey(inst, wave.id, version.id, wave.link_slug, tokens)


def count(database: Database, model: Any) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def rows(database: Database, model: Any) -> list[Any]:
    with database.session() as s:
        return list(s.scalars(select(model)))


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


def form_body(answers: Mapping[str, Any]) -> MultiDict[str, str]:
    """Return answers as a browser would post them (lists as repeated fields)."""
    body: MultiDict[str, str] = MultiDict()
    for key, value in answers.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            body.add(key, str(one))
    return body


class Respondent:
    """A respondent's browser: a test client that moves through the survey by its forms."""

    def __init__(self, client: FlaskClient, entry: str) -> None:
        self.client = client
        self.entry = entry
        self.page: TestResponse | None = None
        self.path = entry

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        self.page = self.client.get(path, follow_redirects=True, **kwargs)
        self.path = self.page.request.path
        return self.page

    def start(self, language: str = "en") -> TestResponse:
        welcome = self.client.get(self.entry)
        assert welcome.status_code == 200, welcome.text
        self.page = self.client.post(
            self.entry,
            data={"csrf_token": csrf_token(welcome.text), "language": language, "action": "start"},
            follow_redirects=True,
        )
        self.path = self.page.request.path
        return self.page

    @property
    def html(self) -> str:
        assert self.page is not None
        return self.page.text

    def controls(self) -> dict[str, str]:
        return {
            name: hidden_value(self.html, name) for name in ("csrf_token", "_draft", "_submission")
        }

    def post(
        self,
        answers: Mapping[str, Any] | None = None,
        action: str = "next",
        *,
        controls: Mapping[str, str] | None = None,
        follow: bool = False,
        **kwargs: Any,
    ) -> TestResponse:
        """Post the current page with `answers` and the button `action`."""
        body = form_body(answers or {})
        for key, value in (self.controls() if controls is None else controls).items():
            body[key] = value
        if action:
            body["_action"] = action
        response = self.client.post(self.path, data=body, follow_redirects=follow, **kwargs)
        if follow:
            self.page = response
            self.path = response.request.path
        return response

    def answer(self, answers: Mapping[str, Any], action: str = "next") -> TestResponse:
        """Post the page and follow to wherever it leads."""
        return self.post(answers, action, follow=True)


def sample_answers(
    inst: instrument.Instrument, section_index: int, rng: random.Random, *, skip: float = 0.2
) -> dict[str, Any]:
    """Return random valid answers to a section's items (typed as stored), some skipped."""
    out: dict[str, Any] = {}
    for item in inst.sections[section_index].items:
        if rng.random() < skip and not instrument.is_required(item):
            continue
        if isinstance(item, instrument.LikertItem):
            scale = inst.scale(item.scale)
            choices: list[Any] = list(scale.values)
            if scale.not_applicable is not None:
                choices.append(instrument.NOT_APPLICABLE)
            out[item.id] = rng.choice(choices)
        elif isinstance(item, instrument.SingleChoiceItem):
            out[item.id] = rng.choice(item.option_values)
        elif isinstance(item, instrument.MultipleChoiceItem):
            out[item.id] = sorted(
                rng.sample(list(item.option_values), rng.randint(1, len(item.options))),
                key=item.option_values.index,
            )
        elif isinstance(item, instrument.NumberItem):
            out[item.id] = rng.randint(int(item.min or 0), int(item.max or 100))
        else:
            limit = item.max_length or 200
            out[item.id] = rng.choice(["Más apoyo", "Clear goals", "Línea 1\nLínea 2"])[:limit]
    return out


def walk_to_last_page(respondent: Respondent, inst: instrument.Instrument) -> dict[str, Any]:
    """Answer every section of the bundled survey but the last; return the answers given."""
    rng = random.Random(7)
    given: dict[str, Any] = {}
    for index in range(len(inst.sections) - 1):
        answers = sample_answers(inst, index, rng)
        given.update(answers)
        page = respondent.answer(answers)
        assert page.status_code == 200
    return given
