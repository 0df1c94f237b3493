"""The XLSForm converter: row types, languages, settings, groups, relevant, focus areas, errors.

Most tests convert sheets given as rows (the converter's pure core); the workbook tests write real
.xlsx files with openpyxl. Every conversion is also loaded with `instrument.load`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import instrument
from instrument.convert import Conversion, ConversionError, convert_workbook, from_xlsform
from instrument.convert.expressions import (
    Compare,
    ExpressionError,
    Junction,
    Negation,
    parse_xlsform,
)
from webapp.cli import main

Sheets = dict[str, list[tuple[Any, ...]]]

#: A scored question, so a form under test converts into a valid instrument.
SCORED = {
    "type": "select_one agree",
    "name": "scored",
    "label": "Staff are respected",
    "repp::focus_area": "Climate",
}

CHOICES = [
    {"list_name": "agree", "name": 1, "label": "Disagree"},
    {"list_name": "agree", "name": 2, "label": "Neutral"},
    {"list_name": "agree", "name": 3, "label": "Agree"},
    {"list_name": "yn", "name": "yes", "label": "Yes"},
    {"list_name": "yn", "name": "no", "label": "No"},
    {"list_name": "colors", "name": "red", "label": "Red"},
    {"list_name": "colors", "name": "blue", "label": "Blue"},
]


def sheet(rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Return a sheet's rows: a header row naming every column used, then one row per dict."""
    headers: list[str] = []
    for row in rows:
        headers.extend(key for key in row if key not in headers)
    return [tuple(headers), *(tuple(row.get(h) for h in headers) for row in rows)]


def sheets(
    *survey: dict[str, Any],
    choices: Sequence[dict[str, Any]] = CHOICES,
    form: dict[str, Any] | None = None,
) -> Sheets:
    out = {"survey": sheet(survey), "choices": sheet(choices)}
    if form is not None:
        out["settings"] = sheet([form])
    return out


def convert(*survey: dict[str, Any], **kwargs: Any) -> Conversion:
    result = convert_workbook(sheets(*survey, **kwargs), name="test")
    instrument.load(result.document)
    return result


def items(result: Conversion) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for s in result.document["sections"] for i in s["items"]}


def warned(result: Conversion, *parts: str) -> bool:
    return any(all(part in w for part in parts) for w in result.warnings)


def write_workbook(path: Path, content: Sheets) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in content.items():
        worksheet = book.create_sheet(title)
        for row in rows:
            worksheet.append(list(row))
    book.save(path)
    return path


# -- row types -------------------------------------------------------------------------------

ROW_TYPES = [
    (
        {"type": "select_one yn", "name": "q"},
        {
            "type": "single_choice",
            "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
        },
    ),
    (
        {"type": "select_multiple colors", "name": "q"},
        {
            "type": "multiple_choice",
            "options": [{"value": "red", "label": "Red"}, {"value": "blue", "label": "Blue"}],
        },
    ),
    ({"type": "select one yn", "name": "q"}, {"type": "single_choice"}),
    ({"type": "integer", "name": "q"}, {"type": "number", "integer": True}),
    ({"type": "decimal", "name": "q"}, {"type": "number", "integer": None}),
    (
        {"type": "range", "name": "q", "parameters": "start=0 end=5 step=1"},
        {"type": "number", "min": 0, "max": 5, "integer": True},
    ),
    ({"type": "text", "name": "q"}, {"type": "text"}),
]


@pytest.mark.parametrize(("row", "expected"), ROW_TYPES)
def test_each_row_type_becomes_its_item(row: dict[str, Any], expected: dict[str, Any]) -> None:
    item = items(convert(row, SCORED))["q"]
    assert {key: item.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("required", "expected"),
    [("yes", True), ("TRUE", True), (True, True), ("true()", True), ("no", None), (None, None)],
)
def test_required_column(required: Any, expected: bool | None) -> None:
    item = items(convert({"type": "text", "name": "q", "required": required}, SCORED))["q"]
    assert item.get("required") == expected


def test_label_and_hint_become_text_and_help() -> None:
    row = {"type": "text", "name": "q", "label": "Your role?", "hint": "One word"}
    item = items(convert(row, SCORED))["q"]
    assert (item["text"], item["help"]) == ("Your role?", "One word")


def test_the_name_stands_in_for_a_missing_label() -> None:
    assert items(convert({"type": "text", "name": "q"}, SCORED))["q"]["text"] == "q"


def test_a_required_expression_is_dropped_with_a_warning() -> None:
    row = {"type": "text", "name": "q", "required": "${scored} = '1'"}
    result = convert(SCORED, row)
    assert "required" not in items(result)["q"]
    assert warned(result, 'question "q" (survey row 3)', "required")


def test_logic_columns_are_reported() -> None:
    row = {"type": "integer", "name": "q", "constraint": ". > 0", "default": 3}
    result = convert(row, SCORED)
    assert warned(result, 'question "q"', "constraint, default dropped")


def test_or_other_adds_an_other_choice() -> None:
    result = convert({"type": "select_one colors or_other", "name": "q"}, SCORED)
    assert items(result)["q"]["options"][-1] == {"value": "other", "label": "Other"}
    assert warned(result, 'question "q"', "Other")


def test_a_select_without_its_list_is_dropped() -> None:
    result = convert({"type": "select_one nowhere", "name": "q"}, SCORED)
    assert "q" not in items(result)
    assert warned(result, 'question "q" (survey row 2) dropped', 'no list "nowhere"')


DROPPED = [
    ("note", "repp has no note element"),
    ("calculate", "repp does not compute values"),
    ("start", "metadata"),
    ("deviceid", "metadata"),
    ("geopoint", 'repp has no "geopoint" question'),
    ("image", 'repp has no "image" question'),
    ("select_one_from_file towns.csv", "from a file"),
]


@pytest.mark.parametrize(("kind", "reason"), DROPPED)
def test_unsupported_rows_are_dropped_with_a_warning(kind: str, reason: str) -> None:
    result = convert({"type": kind, "name": "gone", "label": "Gone"}, SCORED)
    assert "gone" not in items(result)
    first = kind.split()[0]
    assert warned(result, f'question "gone" ({first}, survey row 2) dropped', reason)


def test_ids_are_made_valid_and_unique() -> None:
    result = convert(
        {"type": "text", "name": "_private"},
        {"type": "text", "name": "group.q"},
        {"type": "text", "name": "group_q"},
        SCORED,
    )
    assert list(items(result)) == ["private", "group_q", "group_q_2", "scored"]
    assert warned(result, 'question "group_q" (survey row 4) gets the id "group_q_2"')


# -- languages and settings ----------------------------------------------------------------


def test_language_columns_become_translations() -> None:
    row = {
        "type": "select_one yn",
        "name": "q",
        "label": "Agree?",
        "label::Spanish (es)": "¿De acuerdo?",
        "hint::Spanish (es)": "Elija uno",
        "hint": "Pick one",
    }
    choices = [
        {"list_name": "yn", "name": "yes", "label": "Yes", "label::Spanish (es)": "Sí"},
        {"list_name": "yn", "name": "no", "label": "No", "label::Spanish (es)": "No"},
        *CHOICES[:3],
    ]
    result = convert(row, SCORED, choices=choices)
    assert result.document["languages"] == ["en", "es"]
    item = items(result)["q"]
    assert item["text"] == {"en": "Agree?", "es": "¿De acuerdo?"}
    assert item["help"] == {"en": "Pick one", "es": "Elija uno"}
    assert item["options"][0]["label"] == {"en": "Yes", "es": "Sí"}
    assert warned(result, 'no "es" translation', 'choice list "agree"')


def test_default_language_from_settings_orders_languages() -> None:
    row = {
        "type": "text",
        "name": "q",
        "label::English (en)": "Name?",
        "label::Español (es)": "¿Nombre?",
    }
    result = convert(row, SCORED, form={"default_language": "Español (es)"})
    assert result.document["languages"] == ["es", "en"]
    assert items(result)["q"]["text"] == {"es": "¿Nombre?", "en": "Name?"}


def test_plain_label_is_the_default_language() -> None:
    row = {"type": "text", "name": "q", "label": "¿Nombre?", "label::English (en)": "Name?"}
    result = convert(row, SCORED, form={"default_language": "es"})
    assert items(result)["q"]["text"] == {"es": "¿Nombre?", "en": "Name?"}


def test_a_language_column_without_a_code_is_ignored_with_a_warning() -> None:
    row = {"type": "text", "name": "q", "label": "Name?", "label::Klingon": "X"}
    result = convert(row, SCORED)
    assert result.document["languages"] == ["en"]
    assert warned(result, '"label::Klingon" ignored')


def test_language_names_without_codes_are_recognised() -> None:
    row = {"type": "text", "name": "q", "label::English": "Name?", "label::Spanish": "¿Nombre?"}
    result = convert(row, SCORED)
    assert items(result)["q"]["text"] == {"en": "Name?", "es": "¿Nombre?"}


def test_only_languages_in_use_are_declared() -> None:
    unused = {"list_name": "unused", "name": "a", "label": "A", "label::French (fr)": "A"}
    result = convert(SCORED, choices=[*CHOICES, unused])
    assert result.document["languages"] == ["en"]


def test_an_unknown_default_language_falls_back_to_english() -> None:
    result = convert(SCORED, form={"default_language": "Klingon"})
    assert result.document["languages"] == ["en"]
    assert warned(result, 'default_language "Klingon"', "English is assumed")


def test_settings_give_id_version_and_title() -> None:
    result = convert(
        SCORED, form={"form_id": "climate_2024", "version": 2024061001, "form_title": "Climate"}
    )
    doc = result.document
    assert (doc["id"], doc["version"], doc["title"]) == ("climate_2024", "2024061001", "Climate")


def test_without_settings_the_file_name_is_id_and_title() -> None:
    doc = convert(SCORED).document
    assert (doc["id"], doc["version"], doc["title"]) == ("test", "1", "test")


# -- groups ----------------------------------------------------------------------------------


def test_groups_become_sections_and_loose_rows_their_own() -> None:
    result = convert(
        {"type": "text", "name": "before"},
        {"type": "begin_group", "name": "g", "label": "Climate", "hint": "About your agency"},
        SCORED,
        {"type": "end_group"},
        {"type": "text", "name": "after"},
        form={"form_title": "Survey"},
    )
    sections = result.document["sections"]
    assert [(s["id"], s["title"]) for s in sections] == [
        ("questions", "Survey"),
        ("g", "Climate"),
        ("questions_2", "Survey"),
    ]
    assert sections[1]["intro"] == "About your agency"
    assert [[i["id"] for i in s["items"]] for s in sections] == [["before"], ["scored"], ["after"]]


def test_group_relevant_becomes_section_show_if() -> None:
    result = convert(
        {"type": "select_one yn", "name": "ok"},
        {"type": "begin group", "name": "g", "relevant": "${ok} = 'yes'"},
        SCORED,
        {"type": "end group"},
    )
    assert result.document["sections"][1]["show_if"] == {"item": "ok", "equals": "yes"}


def test_nested_groups_join_their_outer_group() -> None:
    result = convert(
        {"type": "begin_group", "name": "outer", "label": "Outer"},
        SCORED,
        {"type": "begin_group", "name": "inner", "label": "Inner", "relevant": "${scored} != ''"},
        {"type": "text", "name": "deep"},
        {"type": "end_group"},
        {"type": "end_group"},
    )
    sections = result.document["sections"]
    assert [[i["id"] for i in s["items"]] for s in sections] == [["scored", "deep"]]
    assert "show_if" not in items(result)["deep"]
    assert warned(result, 'group "inner" (survey row 4)', "label and relevant dropped")


def test_group_problems_are_reported() -> None:
    result = convert(
        {"type": "end_group"},
        {"type": "begin_group", "name": "empty"},
        {"type": "note", "name": "n"},
        {"type": "end_group"},
        {"type": "begin_repeat", "name": "kids"},
        SCORED,
    )
    assert warned(result, "survey row 2: end_group without a group")
    assert warned(result, 'group "empty" (survey row 3) dropped')
    assert warned(result, 'repeat "kids"', "asked once")
    assert warned(result, "not closed")
    assert [s["id"] for s in result.document["sections"]] == ["kids"]


# -- relevant ------------------------------------------------------------------------------

EARLIER: list[dict[str, Any]] = [
    {"type": "select_one yn", "name": "ok"},
    {"type": "select_multiple colors", "name": "colors"},
    SCORED,
    {"type": "integer", "name": "age"},
    {"type": "text", "name": "nick"},
    {"type": "note", "name": "banner"},
]
YES = {"item": "ok", "equals": "yes"}

RELEVANT = [
    ("${ok} = 'yes'", YES),
    ('${ok}="yes"', YES),
    ("'yes' = ${ok}", YES),
    ("${ok} != 'yes'", {"not": YES}),
    ("selected(${ok}, 'yes')", YES),
    ("selected(${colors}, 'red')", {"item": "colors", "equals": "red"}),
    ("not(selected(${colors}, 'red'))", {"not": {"item": "colors", "equals": "red"}}),
    ("${ok} != ''", {"item": "ok", "answered": True}),
    ("${ok} = ''", {"not": {"item": "ok", "answered": True}}),
    ("${nick}", {"item": "nick", "answered": True}),
    ("${ok} = 'yes' and ${age} = 18", {"all": [YES, {"item": "age", "equals": 18}]}),
    (
        "${ok} = 'no' or ${nick} = 'Al'",
        {"any": [{"item": "ok", "equals": "no"}, {"item": "nick", "equals": "Al"}]},
    ),
    (
        "(${ok} = 'yes' or ${ok} = 'no') and not(${nick} = '')",
        {
            "all": [
                {"any": [YES, {"item": "ok", "equals": "no"}]},
                {"not": {"not": {"item": "nick", "answered": True}}},
            ]
        },
    ),
    ("${scored} = 2", {"item": "scored", "equals": 2}),
    ("${scored} = '3'", {"item": "scored", "equals": 3}),
    ("${scored} >= 2", {"item": "scored", "in": [2, 3]}),
    ("selected(${scored}, '1')", {"item": "scored", "equals": 1}),
]


@pytest.mark.parametrize(("relevant", "show_if"), RELEVANT)
def test_relevant_becomes_show_if(relevant: str, show_if: dict[str, Any]) -> None:
    result = convert(*EARLIER, {"type": "text", "name": "q", "relevant": relevant})
    assert items(result)["q"]["show_if"] == show_if
    assert not warned(result, 'question "q"')


DROPPED_RELEVANT = [
    ("${later} = 'x'", "comes later"),
    ("${nobody} = 'x'", 'no question "nobody"'),
    ("${g} != ''", 'no question "g"'),
    ("${banner} != ''", "was dropped"),
    ("${q} != ''", "itself"),
    ("${ok} = 'maybe'", "not one of its values"),
    ("${colors} = 'red'", "whole selection"),
    ("${age} > 18", "cannot compare"),
    ("string-length(${nick}) > 3", "string-length()"),
    (". > 3", "current question"),
    ("${age} + 1 = 3", "'+'"),
    ("${ok} = ${nick}", "two questions"),
    ("${ok} = 'yes' and", "unexpected"),
    ("selected(${ok})", "expected ','"),
]


@pytest.mark.parametrize(("relevant", "reason"), DROPPED_RELEVANT)
def test_a_relevant_repp_cannot_say_is_dropped_with_a_warning(relevant: str, reason: str) -> None:
    question = {"type": "text", "name": "q", "relevant": relevant}
    group = [{"type": "begin_group", "name": "g"}, {"type": "text", "name": "later"}]
    result = convert(*EARLIER, question, *group, {"type": "end_group"})
    assert "show_if" not in items(result)["q"]
    assert warned(result, 'question "q" (survey row 8): relevant', reason), result.warnings


PARSED = [
    ("${a} = 1", Compare("a", "eq", 1)),
    ("${a} >= -2.5", Compare("a", "ge", -2.5)),
    ("selected(${a}, 'x')", Compare("a", "selected", "x")),
    ("${a} = true()", Compare("a", "eq", True)),
    (
        "${a} = 1 or ${b} = 2 and ${c} = 3",
        Junction(
            "any",
            (
                Compare("a", "eq", 1),
                Junction("all", (Compare("b", "eq", 2), Compare("c", "eq", 3))),
            ),
        ),
    ),
    ("not(${a} = 1)", Negation(Compare("a", "eq", 1))),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_xlsform_expressions_parse(text: str, expected: object) -> None:
    assert parse_xlsform(text) == expected


@pytest.mark.parametrize("text", ["", "${a} =", "${} = 1", "count(${a}) > 1", "${a} = 'x", "1"])
def test_malformed_xlsform_expressions_raise(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse_xlsform(text)


# -- focus areas and scales ------------------------------------------------------------------


def test_focus_area_column_makes_a_likert_item_on_its_list() -> None:
    result = convert(SCORED, {**SCORED, "name": "also"})
    found = items(result)
    assert (found["scored"]["type"], found["scored"]["focus_area"]) == ("likert", "Climate")
    assert found["scored"]["scale"] == found["also"]["scale"]
    scale = result.document["scales"][found["scored"]["scale"]]
    assert [(p["value"], p["label"]) for p in scale["points"]] == [
        (1, "Disagree"),
        (2, "Neutral"),
        (3, "Agree"),
    ]
    assert result.document["focus_areas"] == [{"id": "Climate", "title": "Climate"}]


def test_a_choice_named_na_becomes_not_applicable() -> None:
    choices = [*CHOICES, {"list_name": "agree", "name": "dont_know", "label": "Don't know"}]
    result = convert(
        SCORED,
        {"type": "text", "name": "t", "relevant": "${scored} = 'dont_know'"},
        choices=choices,
    )
    scale = result.document["scales"][items(result)["scored"]["scale"]]
    assert scale["not_applicable"] == {"label": "Don't know"}
    assert len(scale["points"]) == 3
    assert items(result)["t"]["show_if"] == {"item": "scored", "equals": "na"}


def test_a_list_that_is_not_numeric_scores_1_to_k() -> None:
    row = {"type": "select_one yn", "name": "q", "repp::focus_area": "Trust"}
    result = convert(row)
    scale = result.document["scales"][items(result)["q"]["scale"]]
    assert [(p["value"], p["label"]) for p in scale["points"]] == [(1, "Yes"), (2, "No")]
    assert warned(result, 'question "q"', "scored 1 to 2")


def test_focus_areas_with_names_that_are_not_ids() -> None:
    result = convert({**SCORED, "repp::focus_area": "Family & Community"})
    assert result.document["focus_areas"] == [
        {"id": "Family_Community", "title": "Family & Community"}
    ]


def test_focus_area_on_another_row_type_is_ignored() -> None:
    result = convert({"type": "text", "name": "t", "repp::focus_area": "X"}, SCORED)
    assert [a["id"] for a in result.document["focus_areas"]] == ["Climate"]
    assert warned(result, 'question "t"', "repp::focus_area ignored")


# -- input that cannot be converted --------------------------------------------------------

REFUSED: list[tuple[Sheets, str]] = [
    ({"choices": [("list_name",)]}, 'no "survey" sheet (its sheets: "choices")'),
    ({"survey": [("name", "label"), ("q", "Q")]}, 'no "type" column'),
    ({"survey": [("type", "name")]}, "has no questions"),
    ({"survey": []}, 'no "type" column'),
    ({"survey": [("type", "name"), ("note", "n")]}, "no question repp can hold"),
    ({"survey": [("type", "name"), ("text", "t")]}, "repp::focus_area"),
]


@pytest.mark.parametrize(("content", "message"), REFUSED)
def test_unusable_sheets_raise_conversion_error(content: Sheets, message: str) -> None:
    with pytest.raises(ConversionError) as caught:
        convert_workbook(content)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"type,name\ntext,q\n", "not an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 60, "the old .xls format"),
        (b"", "not an Excel workbook"),
    ],
)
def test_a_file_that_is_not_a_workbook_raises(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(content)
    with pytest.raises(ConversionError) as caught:
        from_xlsform(path)
    assert message in str(caught.value)


def test_a_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="cannot read"):
        from_xlsform(tmp_path / "absent.xlsx")


def test_lone_surrogates_in_cells_are_replaced_with_a_warning() -> None:
    result = convert({**SCORED, "label": "Bad \ud800"})
    assert items(result)["scored"]["text"] == "Bad \ufffd"
    assert warned(result, "lone surrogates")


# -- real workbooks --------------------------------------------------------------------------


def test_a_workbook_file_converts(tmp_path: Path) -> None:
    content = sheets(
        {"type": "begin_group", "name": "g", "label": "Climate", "label::Spanish (es)": "Clima"},
        {**SCORED, "label::Spanish (es)": "Se respeta al personal", "required": True},
        {"type": "end_group"},
        choices=[
            {"list_name": "agree", "name": 1, "label": "No", "label::Spanish (es)": "No"},
            {"list_name": "agree", "name": 2, "label": "Yes", "label::Spanish (es)": "Sí"},
        ],
        form={"form_id": "climate", "version": "2", "form_title": "Climate"},
    )
    path = write_workbook(
        tmp_path / "Climate Survey.xlsx",
        {"Survey": content["survey"], **{k: v for k, v in content.items() if k != "survey"}},
    )
    result = from_xlsform(path)
    inst = instrument.load(result.document)
    assert (inst.id, inst.version, inst.languages) == ("climate", "2", ("en", "es"))
    item = inst.item("scored")
    assert (item.type, item.required, item.text.get("es")) == (
        "likert",
        True,
        "Se respeta al personal",
    )
    assert inst.sections[0].title.get("es") == "Clima"


# -- property: random rows give a valid instrument or a ConversionError -------------------

CELLS = st.one_of(
    st.just("lone \ud800"),
    st.none(),
    st.text(max_size=4),
    st.integers(-2, 5),
    st.booleans(),
    st.floats(-3, 3),
)
TYPES = st.sampled_from(
    [
        "select_one agree",
        "select_one yn",
        "select_one nowhere",
        "select_multiple colors",
        "select one yn or_other",
        "integer",
        "decimal",
        "range",
        "text",
        "note",
        "begin_group",
        "end_group",
        "begin repeat",
        "end_repeat",
        "calculate",
        "geopoint",
        "",
    ]
)
RELEVANTS = st.one_of(
    st.none(),
    st.builds(
        lambda name, op, value: f"${{{name}}} {op} {value}",
        st.sampled_from(["q0", "q1", "q2", "scored", "x"]),
        st.sampled_from(["=", "!=", ">=", "<"]),
        st.sampled_from(["'yes'", "1", "'red'", "''", "2"]),
    ),
    st.builds(
        lambda name, value: f"selected(${{{name}}}, {value})",
        st.sampled_from(["q0", "q1", "q2"]),
        st.sampled_from(["'red'", "'yes'"]),
    ),
    st.text(max_size=8),
)
ROWS = st.lists(
    st.fixed_dictionaries(
        {"type": TYPES, "name": st.sampled_from(["q0", "q1", "q2", "scored", "", "1x", "q1"])},
        optional={
            "label": CELLS,
            "label::Spanish (es)": CELLS,
            "hint": CELLS,
            "required": CELLS,
            "relevant": RELEVANTS,
            "repp::focus_area": st.one_of(st.sampled_from(["Climate", "Trust", " "]), CELLS),
            "parameters": st.sampled_from(["start=5 end=1", "start=0 end=10 step=0.5", "x"]),
        },
    ),
    max_size=8,
)
CHOICE_ROWS = st.lists(
    st.fixed_dictionaries(
        {"list_name": st.sampled_from(["agree", "yn", "colors", ""]), "name": CELLS},
        optional={"label": CELLS, "label::Spanish (es)": CELLS},
    ),
    max_size=8,
)


@settings(max_examples=100, deadline=None)
@given(
    rows=ROWS,
    scored_at=st.one_of(st.none(), st.integers(0, 8)),
    choices=CHOICE_ROWS,
    form=st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {},
            optional={
                "form_id": CELLS,
                "version": CELLS,
                "default_language": st.sampled_from(["es", "Klingon", "English (en)"]),
            },
        ),
    ),
)
def test_any_rows_convert_to_a_valid_instrument_or_refuse(
    rows: list[dict[str, Any]],
    scored_at: int | None,
    choices: list[dict[str, Any]],
    form: dict[str, Any] | None,
) -> None:
    if scored_at is not None:
        rows.insert(scored_at, SCORED)
    try:
        result = convert_workbook(sheets(*rows, choices=choices + CHOICES, form=form))
    except ConversionError:
        return
    json.dumps(result.document)
    instrument.load(result.document)


# -- the command line ------------------------------------------------------------------------


def test_cli_converts_a_workbook_to_a_file(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "form.xlsx", sheets({"type": "note", "name": "hello"}, SCORED))
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["convert", "--from", "xlsform", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f'{path}: warning: question "hello" (note, survey row 2) dropped' in result.stderr
    assert f"{out}: written (1 items)" in result.stderr
    assert instrument.load(out).item("scored").type == "likert"


def test_cli_reports_a_broken_workbook_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_text("this is not a workbook", encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["convert", "--from", "xlsform", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{path}: not an Excel workbook (.xlsx)" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


def test_cli_reports_a_workbook_without_survey_sheet(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "form.xlsx", {"Sheet1": [("a",)]})
    result = CliRunner().invoke(main, ["convert", "--from", "xlsform", str(path)])
    assert result.exit_code == 1
    assert 'no "survey" sheet (its sheets: "sheet1")' in result.stderr
