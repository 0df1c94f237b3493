"""What the result-page tests share: a small instrument with a demographic item, answers of
known groups, the tables of a page read back as text, and fresh result caches. Its own tests
check the helpers themselves.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

import instrument
from webapp import clock, results
from webapp.dashboard import cache
from webapp.db import Database
from webapp.models import Response

SURVEY: dict[str, Any] = {
    "format": "repp-instrument/1",
    "id": "groups",
    "version": "1",
    "title": {"en": "Group survey", "es": "Encuesta de grupos"},
    "languages": ["en", "es"],
    "scales": {
        "agree": {
            "points": [
                {"value": v, "label": {"en": f"point {v}", "es": f"punto {v}"}} for v in range(1, 6)
            ],
            "not_applicable": {"label": {"en": "Don't know", "es": "No sé"}},
        },
    },
    "focus_areas": [
        {"id": "fa1", "title": {"en": "Leadership", "es": "Liderazgo"}},
        {"id": "fa2", "title": {"en": "Culture", "es": "Cultura"}},
    ],
    "sections": [
        {
            "id": "s1",
            "title": {"en": "Section one", "es": "Sección uno"},
            "items": [
                {
                    "id": "q1",
                    "type": "likert",
                    "text": {"en": "Leaders care.", "es": "Los líderes se preocupan."},
                    "scale": "agree",
                    "focus_area": "fa1",
                },
                {
                    "id": "q2",
                    "type": "likert",
                    "text": {"en": "Leaders listen.", "es": "Los líderes escuchan."},
                    "scale": "agree",
                    "focus_area": "fa1",
                },
                {
                    "id": "q3",
                    "type": "likert",
                    "text": {"en": "People feel safe.", "es": "La gente se siente segura."},
                    "scale": "agree",
                    "focus_area": "fa2",
                },
                {
                    "id": "q4",
                    "type": "likert",
                    "text": {"en": "People feel unsafe.", "es": "La gente se siente insegura."},
                    "scale": "agree",
                    "focus_area": "fa2",
                    "reverse": True,
                },
                {
                    "id": "unit",
                    "type": "single_choice",
                    "text": {"en": "Your unit", "es": "Su unidad"},
                    "demographic": True,
                    "options": [
                        {"value": "a", "label": {"en": "Unit A", "es": "Unidad A"}},
                        {"value": "b", "label": {"en": "Unit B", "es": "Unidad B"}},
                        {"value": "c", "label": {"en": "Unit C", "es": "Unidad C"}},
                    ],
                },
                {
                    "id": "note",
                    "type": "text",
                    "text": {"en": "Anything else?", "es": "¿Algo más?"},
                },
            ],
        }
    ],
}


def survey_document(**changes: Any) -> dict[str, Any]:
    """Return a fresh copy of the group survey, with top-level keys changed."""
    doc = copy.deepcopy(SURVEY)
    doc.update(changes)
    return doc


def answers(
    unit: str | None, q1: Any, q2: Any, q3: Any = 3, q4: Any = 3, **more: Any
) -> dict[str, Any]:
    """Return one response's answers (None leaves an item unanswered)."""
    given = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "unit": unit, **more}
    return {k: v for k, v in given.items() if v is not None}


def add_responses(db: Database, wave_id: int, rows: Iterable[Mapping[str, Any]]) -> None:
    with db.transaction() as s:
        s.add_all(
            Response(wave_id=wave_id, language="en", submitted_on=clock.today(), answers=dict(r))
            for r in rows
        )


def groups_of_three_sizes() -> list[dict[str, Any]]:
    """20 people in unit A, 8 in unit B, 2 in unit C: C is too small, and B must hide with it.

    Unit B's Leadership mean is 2.4375 and unit C's 1.25, numbers found nowhere else.
    """
    rows = [answers("a", 4 + i % 2, 5, 4, 2) for i in range(20)]
    rows += [answers("b", 2, 3, 3, 3) for _ in range(7)] + [answers("b", 1, 3, 3, 3)]
    rows += [answers("c", 1, 2, 2, 4), answers("c", 1, 1, 2, 4)]
    return rows


HIDDEN = {"b": {"n": 8, "fa1": 2.4375}, "c": {"n": 2, "fa1": 1.25}}


def clear_caches() -> None:
    """Forget cached results: tests reuse wave ids across fresh databases."""
    results.clear_cache()
    cache.clear()


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


def tables(page: str) -> dict[str, list[list[str]]]:
    """Return each table of a page by caption: its rows (header row first) as cell texts."""
    out: dict[str, list[list[str]]] = {}
    body = _SCRIPT.sub("", page)
    for table in re.findall(r"<table\b.*?</table>", body, re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, re.S)
        rows = [
            [_text(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        ]
        out[_text(caption.group(1)) if caption else ""] = rows
    return out


def table_starting(page: str, prefix: str) -> list[list[str]]:
    """Return the one table whose caption starts with `prefix`."""
    found = [rows for caption, rows in tables(page).items() if caption.startswith(prefix)]
    assert len(found) == 1, (prefix, list(tables(page)))
    return found[0]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def without_scripts(page: str) -> str:
    return _SCRIPT.sub("", page)


# -- the helpers' own checks -----------------------------------------------------------------------


def test_the_survey_is_valid_without_warnings() -> None:
    result = instrument.validate(survey_document())
    assert result.ok, result.problems
    assert result.warnings == ()


def test_answers_fit_the_survey() -> None:
    inst = instrument.load(survey_document())
    for row in groups_of_three_sizes():
        assert instrument.response_problems(inst, row) == {}


def test_tables_reads_captions_headers_and_cells() -> None:
    page = (
        '<table><caption>Ranks &amp; means</caption><thead><tr><th scope="col">A</th></tr></thead>'
        '<tbody><tr><th scope="row">x <b>1</b></th><td>2.50</td></tr></tbody></table>'
        '<script type="application/json"><table><caption>no</caption></table></script>'
    )
    assert tables(page) == {"Ranks & means": [["A"], ["x 1", "2.50"]]}
