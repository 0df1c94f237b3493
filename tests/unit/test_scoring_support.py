"""Shared builders for the scoring tests: small instruments as dicts, and tables from rows.

Not a test module of its own (it holds no tests); the scoring test modules import from it.

The standard instrument, in English and Spanish:

    scale agree:  1 Strongly disagree, 2 Disagree, 3 Agree, 4 Strongly agree; "Don't know";
                  favorable 3, 4 (the default)
    scale five:   1..5 (labels "One".."Five"), no not-applicable; favorable 5 only
    fa1: q1, q2 (reverse), q3 on agree      fa2: q4, q5 on agree      fa3: q6 on five
    q7 likert on agree in no focus area
    role: single choice, demographic (staff, supervisor, leader)
    site: single choice, not demographic (north, south)
    langs: multiple choice (en, es, other);  years: number 0..60;  comments: text
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import instrument
from instrument import Instrument
from scoring import ResponseTable

AGREE_EN = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
AGREE_ES = ["Muy en desacuerdo", "En desacuerdo", "De acuerdo", "Muy de acuerdo"]
NA_EN, NA_ES = "Don't know", "No sé"
FIVE = ["One", "Two", "Three", "Four", "Five"]
ROLES = ["staff", "supervisor", "leader"]
ROLE_LABELS = {
    "staff": ("Staff", "Personal"),
    "supervisor": ("Supervisor", "Supervisora"),
    "leader": ("Leader", "Líder"),
}

_STANDARD: dict[str, Any] = {
    "format": "repp-instrument/1",
    "id": "std",
    "version": "1",
    "title": {"en": "Standard", "es": "Estándar"},
    "languages": ["en", "es"],
    "scales": {
        "agree": {
            "points": [
                {"value": v, "label": {"en": en, "es": es}}
                for v, (en, es) in enumerate(zip(AGREE_EN, AGREE_ES, strict=True), start=1)
            ],
            "not_applicable": {"label": {"en": NA_EN, "es": NA_ES}},
        },
        "five": {
            "points": [{"value": v, "label": label} for v, label in enumerate(FIVE, start=1)],
            "favorable": [5],
        },
    },
    "focus_areas": [
        {"id": "fa1", "title": {"en": "Leadership", "es": "Liderazgo"}},
        {"id": "fa2", "title": {"en": "Data", "es": "Datos"}},
        {"id": "fa3", "title": {"en": "Voice", "es": "Voz"}},
    ],
    "sections": [
        {
            "id": "about",
            "title": "About you",
            "items": [
                {
                    "id": "role",
                    "type": "single_choice",
                    "text": "Role",
                    "demographic": True,
                    "options": [
                        {"value": v, "label": {"en": en, "es": es}}
                        for v, (en, es) in ROLE_LABELS.items()
                    ],
                },
                {
                    "id": "site",
                    "type": "single_choice",
                    "text": "Site",
                    "options": [
                        {"value": "north", "label": "North"},
                        {"value": "south", "label": "South"},
                    ],
                },
                {
                    "id": "langs",
                    "type": "multiple_choice",
                    "text": "Languages",
                    "options": [
                        {"value": "en", "label": "English"},
                        {"value": "es", "label": "Spanish"},
                        {"value": "other", "label": "Other"},
                    ],
                },
                {"id": "years", "type": "number", "text": "Years", "min": 0, "max": 60},
            ],
        },
        {
            "id": "statements",
            "title": "Statements",
            "items": [
                {"id": "q1", "type": "likert", "text": "Q1", "scale": "agree", "focus_area": "fa1"},
                {
                    "id": "q2",
                    "type": "likert",
                    "text": "Q2",
                    "scale": "agree",
                    "focus_area": "fa1",
                    "reverse": True,
                },
                {"id": "q3", "type": "likert", "text": "Q3", "scale": "agree", "focus_area": "fa1"},
                {"id": "q4", "type": "likert", "text": "Q4", "scale": "agree", "focus_area": "fa2"},
                {"id": "q5", "type": "likert", "text": "Q5", "scale": "agree", "focus_area": "fa2"},
                {"id": "q6", "type": "likert", "text": "Q6", "scale": "five", "focus_area": "fa3"},
                {"id": "q7", "type": "likert", "text": "Q7", "scale": "agree"},
                {"id": "comments", "type": "text", "text": "Comments"},
            ],
        },
    ],
}

LIKERT = ("q1", "q2", "q3", "q4", "q5", "q6", "q7")


def standard_doc() -> dict[str, Any]:
    """Return a fresh copy of the standard instrument document."""
    return copy.deepcopy(_STANDARD)


def standard() -> Instrument:
    return instrument.load(standard_doc())


def one_area_doc(items: int, *, reverse: Sequence[int] = (), points: int = 4) -> dict[str, Any]:
    """Return a one-language instrument: `items` likert items (1..points) in focus area fa1."""
    return {
        "format": "repp-instrument/1",
        "id": "one",
        "version": "1",
        "title": "One area",
        "scales": {
            "s": {
                "points": [{"value": v, "label": f"P{v}"} for v in range(1, points + 1)],
                "not_applicable": {"label": "N/A"},
            }
        },
        "focus_areas": [{"id": "fa1", "title": "Area"}],
        "sections": [
            {
                "title": "S",
                "items": [
                    {
                        "id": "g",
                        "type": "single_choice",
                        "text": "Group",
                        "demographic": True,
                        "options": [{"value": v, "label": v.upper()} for v in "abcd"],
                    },
                    *(
                        {
                            "id": f"i{j}",
                            "type": "likert",
                            "text": f"I{j}",
                            "scale": "s",
                            "focus_area": "fa1",
                            **({"reverse": True} if j in reverse else {}),
                        }
                        for j in range(1, items + 1)
                    ),
                ],
            }
        ],
    }


def table(
    inst: Instrument,
    rows: Iterable[Mapping[str, Any]],
    wave: str | Sequence[str] = "",
) -> ResponseTable:
    return ResponseTable.from_answers(inst, rows, wave)


def likert_rows(ids: Sequence[str], matrix: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Return answers from a matrix: one row per respondent, None for unanswered."""
    return [
        {item: value for item, value in zip(ids, row, strict=True) if value is not None}
        for row in matrix
    ]
