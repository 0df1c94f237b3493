"""The SurveyJS converter: element types, scales, matrices, languages, conditions, focus areas.

Every conversion here is also loaded with `instrument.load`: a converter's output must always be a
valid instrument, whatever it had to drop.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import instrument
from instrument.convert import Conversion, ConversionError, convert_survey, from_surveyjs
from instrument.convert.expressions import (
    Compare,
    ExpressionError,
    Junction,
    Negation,
    parse_surveyjs,
)
from webapp.cli import main

#: A scored question, so a survey under test converts into a valid instrument.
SCORED: dict[str, Any] = {"type": "rating", "name": "scored", "focusArea": "Climate"}


def survey(*elements: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"pages": [{"name": "p1", "elements": list(elements)}], **extra}


def convert(source: dict[str, Any]) -> Conversion:
    result = convert_survey(source, name="test")
    instrument.load(result.document)
    return result


def items(result: Conversion) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for s in result.document["sections"] for i in s["items"]}


def points(result: Conversion, item_id: str) -> list[tuple[int, Any]]:
    scale = result.document["scales"][items(result)[item_id]["scale"]]
    return [(p["value"], p["label"]) for p in scale["points"]]


def warned(result: Conversion, *parts: str) -> bool:
    return any(all(part in w for part in parts) for w in result.warnings)


# -- element types ---------------------------------------------------------------------------

ELEMENT_TYPES = [
    (
        {"type": "radiogroup", "name": "q", "choices": ["a", "b"]},
        {
            "type": "single_choice",
            "options": [{"value": "a", "label": "a"}, {"value": "b", "label": "b"}],
        },
    ),
    (
        {"type": "dropdown", "name": "q", "choices": [{"value": 1, "text": "One"}, 2]},
        {
            "type": "single_choice",
            "options": [{"value": "1", "label": "One"}, {"value": "2", "label": "2"}],
        },
    ),
    (
        {"type": "checkbox", "name": "q", "choices": ["x", "y", "z"]},
        {"type": "multiple_choice", "options": [{"value": v, "label": v} for v in "xyz"]},
    ),
    (
        {"type": "tagbox", "name": "q", "choices": ["x", "y"]},
        {"type": "multiple_choice", "options": [{"value": v, "label": v} for v in "xy"]},
    ),
    ({"type": "comment", "name": "q", "maxLength": 200}, {"type": "text", "max_length": 200}),
    ({"type": "text", "name": "q"}, {"type": "text"}),
    (
        {"type": "text", "name": "q", "inputType": "number", "min": 0, "max": 120},
        {"type": "number", "min": 0, "max": 120},
    ),
    ({"type": "text", "name": "q", "inputType": "range", "min": "1"}, {"type": "number", "min": 1}),
    (
        {"type": "boolean", "name": "q", "labelTrue": "Sure", "labelFalse": "Nope"},
        {
            "type": "single_choice",
            "options": [{"value": "true", "label": "Sure"}, {"value": "false", "label": "Nope"}],
        },
    ),
    (
        {"type": "radiogroup", "name": "q", "choices": ["a"], "showNoneItem": True},
        {"options": [{"value": "a", "label": "a"}, {"value": "none", "label": "None"}]},
    ),
]


@pytest.mark.parametrize(("element", "expected"), ELEMENT_TYPES)
def test_each_element_type_becomes_its_item(
    element: dict[str, Any], expected: dict[str, Any]
) -> None:
    item = items(convert(survey(element, SCORED)))["q"]
    assert {key: item.get(key) for key in expected} == expected


def test_common_properties_title_description_required() -> None:
    element = {
        "type": "text",
        "name": "q",
        "title": "Your name?",
        "description": "First name is fine",
        "isRequired": True,
    }
    item = items(convert(survey(element, SCORED)))["q"]
    assert (item["text"], item["help"], item["required"]) == (
        "Your name?",
        "First name is fine",
        True,
    )


def test_the_name_stands_in_for_a_missing_title() -> None:
    item = items(convert(survey({"type": "comment", "name": "feedback"}, SCORED)))["feedback"]
    assert item["text"] == "feedback"
    assert "required" not in item


def test_other_input_types_become_text_with_a_warning() -> None:
    result = convert(survey({"type": "text", "name": "q", "inputType": "date"}, SCORED))
    assert items(result)["q"]["type"] == "text"
    assert warned(result, 'question "q"', '"date"')


def test_number_bounds_the_wrong_way_round_are_dropped() -> None:
    element = {"type": "text", "name": "q", "inputType": "number", "min": 9, "max": 1}
    result = convert(survey(element, SCORED))
    assert "min" not in items(result)["q"]
    assert "max" not in items(result)["q"]
    assert warned(result, 'question "q"', "min 9")


def test_other_choice_is_kept_with_a_warning() -> None:
    element = {"type": "radiogroup", "name": "q", "choices": ["a", "b"], "showOtherItem": True}
    result = convert(survey(element, SCORED))
    assert items(result)["q"]["options"][-1] == {"value": "other", "label": "Other"}
    assert warned(result, 'question "q"', "Other")


def test_duplicate_choice_values_keep_the_first() -> None:
    element = {
        "type": "radiogroup",
        "name": "q",
        "choices": ["a", {"value": "a", "text": "A"}, "b"],
    }
    result = convert(survey(element, SCORED))
    assert [o["value"] for o in items(result)["q"]["options"]] == ["a", "b"]
    assert warned(result, 'question "q"', '"a" appears twice')


# -- ratings ---------------------------------------------------------------------------------

RATINGS = [
    ({}, [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]),
    (
        {"rateMin": 0, "rateMax": 3, "minRateDescription": "Never", "maxRateDescription": "Always"},
        [(0, "Never"), (1, "1"), (2, "2"), (3, "Always")],
    ),
    ({"rateMin": 2, "rateCount": 3, "rateStep": 2}, [(2, "2"), (4, "4"), (6, "6")]),
    ({"rateMax": 10, "rateCount": 3}, [(8, "8"), (9, "9"), (10, "10")]),
    ({"rateCount": 4}, [(1, "1"), (2, "2"), (3, "3"), (4, "4")]),
    ({"rateValues": [1, 3, 5]}, [(1, "1"), (3, "3"), (5, "5")]),
    (
        {
            "rateValues": [{"value": 1, "text": "Low"}, {"value": 2}],
            "minRateDescription": "Bottom",
            "maxRateDescription": "Top",
        },
        [(1, "Low"), (2, "Top")],
    ),
    ({"rateValues": [1, 2], "autoGenerate": True, "rateMax": 3}, [(1, "1"), (2, "2"), (3, "3")]),
]


@pytest.mark.parametrize(("rating", "expected"), RATINGS)
def test_rating_becomes_likert_on_its_scale(
    rating: dict[str, Any], expected: list[tuple[int, str]]
) -> None:
    result = convert(survey({"type": "rating", "name": "r", "focusArea": "A", **rating}))
    assert items(result)["r"]["type"] == "likert"
    assert points(result, "r") == expected


def test_rating_values_that_are_not_whole_numbers_score_1_to_k() -> None:
    rating = {"type": "rating", "name": "r", "rateValues": ["low", "mid", "high"]}
    later = {"type": "text", "name": "why", "visibleIf": "{r} = 'high'"}
    result = convert(survey(rating, later))
    assert points(result, "r") == [(1, "low"), (2, "mid"), (3, "high")]
    assert warned(result, 'question "r"', "scored 1 to 3")
    assert items(result)["why"]["show_if"] == {"item": "r", "equals": 3}


def test_rating_values_in_descending_order_are_sorted() -> None:
    rating = {"type": "rating", "name": "r", "rateValues": [5, 4, 3, 2, 1]}
    result = convert(survey(rating))
    assert [value for value, _ in points(result, "r")] == [1, 2, 3, 4, 5]
    assert warned(result, 'question "r"', "increasing order")


def test_identical_scales_are_shared_and_different_ones_are_not() -> None:
    result = convert(
        survey(
            {"type": "rating", "name": "a", "focusArea": "X"},
            {"type": "rating", "name": "b", "focusArea": "X"},
            {"type": "rating", "name": "c", "focusArea": "X", "rateMax": 4},
        )
    )
    found = items(result)
    assert found["a"]["scale"] == found["b"]["scale"] != found["c"]["scale"]
    assert len(result.document["scales"]) == 2


def test_a_rating_with_very_many_points_becomes_a_number() -> None:
    result = convert(survey({"type": "rating", "name": "big", "rateMax": 100}, SCORED))
    item = items(result)["big"]
    assert (item["type"], item["min"], item["max"]) == ("number", 1, 100)
    assert warned(result, 'question "big"', "number question")


def test_a_rating_with_one_point_is_dropped() -> None:
    result = convert(survey({"type": "rating", "name": "one", "rateMin": 3, "rateMax": 3}, SCORED))
    assert "one" not in items(result)
    assert warned(result, 'question "one"', "fewer than 2 points")


def test_not_applicable_rating_value_becomes_the_scales_na() -> None:
    rating = {
        "type": "rating",
        "name": "r",
        "rateValues": [1, 2, 3, {"value": "na", "text": "Don't know"}],
    }
    result = convert(survey(rating, {"type": "text", "name": "t", "visibleIf": "{r} = 'na'"}))
    scale = result.document["scales"][items(result)["r"]["scale"]]
    assert scale["not_applicable"] == {"label": "Don't know"}
    assert items(result)["t"]["show_if"] == {"item": "r", "equals": "na"}


# -- matrices --------------------------------------------------------------------------------

MATRIX: dict[str, Any] = {
    "type": "matrix",
    "name": "m",
    "title": "How much do you agree?",
    "focusArea": "Leadership",
    "columns": [{"value": 1, "text": "Disagree"}, {"value": 2, "text": "Agree"}],
    "rows": [{"value": "r1", "text": "Leaders listen"}, "r2"],
}


def test_matrix_rows_become_likert_items_on_one_scale() -> None:
    result = convert(survey(MATRIX))
    found = items(result)
    assert list(found) == ["m_r1", "m_r2"]
    assert [found[i]["text"] for i in found] == ["Leaders listen", "r2"]
    assert all(found[i]["help"] == "How much do you agree?" for i in found)
    assert found["m_r1"]["scale"] == found["m_r2"]["scale"]
    assert points(result, "m_r1") == [(1, "Disagree"), (2, "Agree")]


def test_matrix_focus_area_applies_to_every_row() -> None:
    result = convert(survey(MATRIX))
    assert {i["focus_area"] for i in items(result).values()} == {"Leadership"}
    assert result.document["focus_areas"] == [{"id": "Leadership", "title": "Leadership"}]


def test_matrix_columns_that_are_not_numbers_score_1_to_k() -> None:
    matrix = {**MATRIX, "columns": ["a", "b", "c"]}
    result = convert(survey(matrix))
    assert points(result, "m_r1") == [(1, "a"), (2, "b"), (3, "c")]
    assert warned(result, 'question "m"', "scored 1 to 3")


def test_matrix_rows_are_required_only_with_is_all_row_required() -> None:
    all_rows = convert(survey({**MATRIX, "isAllRowRequired": True}))
    assert all(i["required"] for i in items(all_rows).values())
    some_row = convert(survey({**MATRIX, "isRequired": True}))
    assert not any(i.get("required") for i in items(some_row).values())
    assert warned(some_row, 'question "m"', "isRequired")


def test_conditions_on_a_matrix_row_and_on_the_whole_matrix() -> None:
    row = {"type": "text", "name": "a", "visibleIf": "{m.r1} = 2"}
    whole = {"type": "text", "name": "b", "visibleIf": "{m} notempty"}
    found = items(convert(survey(MATRIX, row, whole)))
    assert found["a"]["show_if"] == {"item": "m_r1", "equals": 2}
    assert found["b"]["show_if"] == {
        "any": [{"item": "m_r1", "answered": True}, {"item": "m_r2", "answered": True}]
    }


def test_matrix_visible_if_applies_to_every_row() -> None:
    gate = {"type": "boolean", "name": "gate"}
    found = items(convert(survey(gate, {**MATRIX, "visibleIf": "{gate} = true"})))
    assert (
        found["m_r1"]["show_if"]
        == found["m_r2"]["show_if"]
        == {
            "item": "gate",
            "equals": "true",
        }
    )


# -- languages -------------------------------------------------------------------------------


def test_localized_strings_become_text_with_languages() -> None:
    element = {
        "type": "radiogroup",
        "name": "q",
        "title": {"default": "Colour?", "es": "¿Color?"},
        "choices": [
            {"value": "r", "text": {"default": "Red", "es": "Rojo"}},
            {"value": "b", "text": {"en": "Blue", "es": "Azul"}},
        ],
    }
    result = convert(survey(element, SCORED, title={"default": "Survey", "es": "Encuesta"}))
    doc = result.document
    assert doc["languages"] == ["en", "es"]
    assert doc["title"] == {"en": "Survey", "es": "Encuesta"}
    item = items(result)["q"]
    assert item["text"] == {"en": "Colour?", "es": "¿Color?"}
    assert [o["label"] for o in item["options"]] == [
        {"en": "Red", "es": "Rojo"},
        {"en": "Blue", "es": "Azul"},
    ]


def test_default_is_the_survey_locale() -> None:
    element = {"type": "text", "name": "q", "title": {"default": "¿Nombre?", "en": "Name?"}}
    result = convert(survey(element, SCORED, locale="es"))
    assert result.document["languages"] == ["es", "en"]
    assert items(result)["q"]["text"] == {"es": "¿Nombre?", "en": "Name?"}


def test_a_missing_translation_is_filled_with_a_warning() -> None:
    translated = {"type": "text", "name": "a", "title": {"default": "A?", "es": "¿A?"}}
    untranslated = {"type": "text", "name": "b", "title": "B?"}
    result = convert(survey(translated, untranslated, SCORED))
    assert items(result)["b"]["text"] == {"en": "B?", "es": "B?"}
    assert warned(result, 'no "es" translation', 'question "b"')
    assert not warned(result, 'question "a"')


def test_text_in_an_unknown_language_is_dropped_with_a_warning() -> None:
    element = {"type": "text", "name": "q", "title": {"default": "Q?", "not a language": "x"}}
    result = convert(survey(element, SCORED))
    assert result.document["languages"] == ["en"]
    assert items(result)["q"]["text"] == "Q?"
    assert warned(result, 'question "q"', '"not a language"')


def test_one_language_gives_plain_strings() -> None:
    result = convert(survey({"type": "text", "name": "q", "title": "Q?"}, SCORED, title="S"))
    assert result.document["title"] == "S"
    assert result.document["languages"] == ["en"]


# -- conditions ------------------------------------------------------------------------------

EARLIER: list[dict[str, Any]] = [
    {"type": "radiogroup", "name": "color", "choices": ["red", "blue"]},
    {"type": "checkbox", "name": "pets", "choices": ["cat", "dog"]},
    {"type": "rating", "name": "r", "focusArea": "A"},
    {"type": "text", "name": "age", "inputType": "number"},
    {"type": "text", "name": "nick"},
    {"type": "boolean", "name": "ok"},
    {"type": "html", "name": "banner"},
]
RED = {"item": "color", "equals": "red"}

VISIBLE_IF = [
    ("{color} = 'red'", RED),
    ('{color} == "red"', RED),
    ("{color} equal red", RED),
    ("'red' = {color}", RED),
    ("{Color} = 'red'", RED),
    ("{color} != 'red'", {"not": RED}),
    ("{color} <> 'red'", {"not": RED}),
    ("{color} anyof ['red', 'blue']", {"item": "color", "in": ["red", "blue"]}),
    ("{color} noneof ['blue']", {"not": {"item": "color", "in": ["blue"]}}),
    ("{color} notempty", {"item": "color", "answered": True}),
    ("{color} empty", {"not": {"item": "color", "answered": True}}),
    ("{color} = ''", {"not": {"item": "color", "answered": True}}),
    ("{pets} contains 'cat'", {"item": "pets", "equals": "cat"}),
    ("{pets} notcontains 'cat'", {"not": {"item": "pets", "equals": "cat"}}),
    (
        "{pets} allof ['cat', 'dog']",
        {"all": [{"item": "pets", "equals": "cat"}, {"item": "pets", "equals": "dog"}]},
    ),
    ("{pets} anyof ['dog']", {"item": "pets", "in": ["dog"]}),
    (
        "{color} = 'red' and {pets} notempty",
        {"all": [RED, {"item": "pets", "answered": True}]},
    ),
    (
        "{color} = 'red' or {color} = 'blue'",
        {"any": [RED, {"item": "color", "equals": "blue"}]},
    ),
    (
        "{color} = 'red' && ({pets} contains 'cat' || {nick} notempty)",
        {
            "all": [
                RED,
                {"any": [{"item": "pets", "equals": "cat"}, {"item": "nick", "answered": True}]},
            ]
        },
    ),
    ("!({color} = 'red')", {"not": RED}),
    ("not {color} notempty", {"not": {"item": "color", "answered": True}}),
    ("{r} = 5", {"item": "r", "equals": 5}),
    ("{r} = '4'", {"item": "r", "equals": 4}),
    ("{r} >= 4", {"item": "r", "in": [4, 5]}),
    ("2 > {r}", {"item": "r", "in": [1]}),
    ("{age} = 18", {"item": "age", "equals": 18}),
    ("{age} anyof [1, 2]", {"item": "age", "in": [1, 2]}),
    ("{nick} = 'Ana'", {"item": "nick", "equals": "Ana"}),
    ("{ok} = true", {"item": "ok", "equals": "true"}),
    ("{ok}", {"item": "ok", "equals": "true"}),
]


@pytest.mark.parametrize(("expression", "show_if"), VISIBLE_IF)
def test_visible_if_becomes_show_if(expression: str, show_if: dict[str, Any]) -> None:
    question = {"type": "text", "name": "q", "visibleIf": expression}
    result = convert(survey(*EARLIER, question))
    assert items(result)["q"]["show_if"] == show_if
    assert not warned(result, 'question "q"')


DROPPED_VISIBLE_IF = [
    ("{later} = 'x'", "comes later"),
    ("{nobody} = 'x'", 'no question "nobody"'),
    ("{banner} notempty", "was dropped"),
    ("{q} notempty", "itself"),
    ("{color} = 'green'", "not one of its values"),
    ("{pets} = 'cat'", "whole selection"),
    ("{nick} contains 'a'", "multiple-choice"),
    ("{age} > 18", "cannot compare"),
    ("{r} > 9", "can ever satisfy"),
    ("age({age}) > 18", "function age()"),
    ("{age} + 1 = 3", "operator '+'"),
    ("{color} = {nick}", "two questions"),
    ("{color} = 'red' and", "unexpected"),
    ("{color} = 'red", "not closed"),
    ("{color} anyof []", "empty list"),
    ("{color}", "on its own"),
    ("{m} = 1", "no question"),
    ("(" * 60 + "{color} notempty" + ")" * 60, "nested too deeply"),
]


@pytest.mark.parametrize(("expression", "reason"), DROPPED_VISIBLE_IF)
def test_a_condition_repp_cannot_say_is_dropped_with_a_warning(
    expression: str, reason: str
) -> None:
    question = {"type": "text", "name": "q", "visibleIf": expression}
    result = convert(survey(*EARLIER, question, {"type": "text", "name": "later"}))
    assert "show_if" not in items(result)["q"]
    assert warned(result, 'question "q": visibleIf', reason), result.warnings


def test_page_visible_if_becomes_section_show_if() -> None:
    source = {
        "pages": [
            {"name": "first", "elements": [{"type": "boolean", "name": "ok"}, SCORED]},
            {
                "name": "second",
                "visibleIf": "{ok} = true",
                "elements": [{"type": "text", "name": "t"}],
            },
            {
                "name": "third",
                "visibleIf": "{u} notempty",
                "elements": [{"type": "text", "name": "u"}],
            },
        ]
    }
    result = convert(source)
    sections = result.document["sections"]
    assert sections[1]["show_if"] == {"item": "ok", "equals": "true"}
    assert "show_if" not in sections[2]
    assert warned(result, 'page "third": visibleIf', "comes later")


PARSED = [
    ("{a} = 1", Compare("a", "eq", 1)),
    ("{a} = -1.5", Compare("a", "eq", -1.5)),
    ("{a b} notempty", Compare("a b", "notempty")),
    ("{a} anyof ['x', \"y\"]", Compare("a", "anyof", ("x", "y"))),
    ("{a} = 'it\\'s'", Compare("a", "eq", "it's")),
    ("{a} = null", Compare("a", "eq", None)),
    (
        "{a} = 1 or {b} = 2 and {c} = 3",
        Junction(
            "any",
            (
                Compare("a", "eq", 1),
                Junction("all", (Compare("b", "eq", 2), Compare("c", "eq", 3))),
            ),
        ),
    ),
    ("!{a} empty", Negation(Compare("a", "empty"))),
    ("{a} *= 'x'", Compare("a", "contains", "x")),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_surveyjs_expressions_parse(text: str, expected: object) -> None:
    assert parse_surveyjs(text) == expected


@pytest.mark.parametrize("text", ["", "{a} =", "{a} = 1)", "{} = 1", "iif({a}, 1, 2)", "5"])
def test_malformed_surveyjs_expressions_raise(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse_surveyjs(text)


ON_EARLIER = st.recursive(
    st.builds(
        lambda name, op, value: f"{{{name}}} {op} {value}",
        st.sampled_from(["color", "pets", "r", "age", "nick", "ok", "banner", "q", "later"]),
        st.sampled_from(["=", "!=", ">=", "<", "anyof", "allof", "noneof", "contains", "empty"]),
        st.sampled_from(["'red'", "'cat'", "3", "'3'", "9", "true", "''", "['red', 'dog']", "[]"]),
    ),
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"{a} and {b}", inner, inner),
        st.builds(lambda a, b: f"({a} or {b})", inner, inner),
        inner.map(lambda e: f"!({e})"),
    ),
    max_leaves=4,
)


@settings(max_examples=150, deadline=None)
@given(expression=ON_EARLIER)
def test_any_condition_on_earlier_questions_is_kept_valid_or_dropped_with_a_warning(
    expression: str,
) -> None:
    question = {"type": "text", "name": "q", "visibleIf": expression}
    result = convert(survey(*EARLIER, question, {"type": "text", "name": "later"}))
    kept = "show_if" in items(result)["q"]
    assert kept != warned(result, 'question "q": visibleIf')


# -- focus areas -----------------------------------------------------------------------------


def test_focus_area_of_a_question_creates_the_area_once() -> None:
    result = convert(
        survey(
            {"type": "rating", "name": "a", "focusArea": "Family & Community"},
            {"type": "rating", "name": "b", "focusArea": "Family & Community"},
        )
    )
    assert result.document["focus_areas"] == [
        {"id": "Family_Community", "title": "Family & Community"}
    ]
    assert {i["focus_area"] for i in items(result).values()} == {"Family_Community"}


def test_radiogroup_with_a_focus_area_is_scored_as_likert() -> None:
    element = {
        "type": "radiogroup",
        "name": "q",
        "focusArea": "Trust",
        "choices": [{"value": 1, "text": "Low"}, {"value": 2, "text": "High"}],
    }
    result = convert(survey(element))
    item = items(result)["q"]
    assert (item["type"], item["focus_area"]) == ("likert", "Trust")
    assert points(result, "q") == [(1, "Low"), (2, "High")]


def test_without_focus_areas_rated_questions_share_one_general_area() -> None:
    result = convert(survey({"type": "rating", "name": "a"}, {**MATRIX, "focusArea": None}))
    assert [a["id"] for a in result.document["focus_areas"]] == ["general"]
    assert {i["focus_area"] for i in items(result).values()} == {"general"}
    assert warned(result, '"general"')


def test_a_rating_without_focus_area_beside_named_areas_is_not_scored() -> None:
    result = convert(survey({"type": "rating", "name": "a"}, SCORED))
    assert "focus_area" not in items(result)["a"]
    assert warned(result, 'question "a"', "not scored")


def test_focus_area_on_a_question_that_is_not_rated_is_ignored() -> None:
    result = convert(survey({"type": "text", "name": "t", "focusArea": "X"}, SCORED))
    assert [a["id"] for a in result.document["focus_areas"]] == ["Climate"]
    assert warned(result, 'question "t"', "focusArea ignored")


# -- dropped elements, panels, pages, ids ----------------------------------------------------

DROPPED = [
    ("html", "repp has no html element"),
    ("expression", "repp does not compute values"),
    ("image", "image"),
    ("file", "file"),
    ("signaturepad", "signature"),
    ("ranking", "ranking"),
    ("matrixdynamic", "matrix"),
    ("paneldynamic", "repeating panel"),
    ("fancyslider", 'repp has no "fancyslider" question'),
]


@pytest.mark.parametrize(("kind", "reason"), DROPPED)
def test_unsupported_elements_are_dropped_with_a_warning(kind: str, reason: str) -> None:
    result = convert(survey({"type": kind, "name": "gone"}, SCORED))
    assert "gone" not in items(result)
    assert warned(result, f'question "gone" ({kind}) dropped', reason)


def test_an_element_without_type_is_dropped() -> None:
    result = convert(survey({"name": "gone"}, SCORED))
    assert warned(result, 'question "gone" dropped: it has no type')


def test_panels_are_flattened_and_their_logic_dropped() -> None:
    panel = {
        "type": "panel",
        "name": "box",
        "title": "Box",
        "visibleIf": "{scored} notempty",
        "elements": [
            {"type": "text", "name": "inner"},
            {"type": "panel", "name": "deeper", "elements": [{"type": "text", "name": "deepest"}]},
        ],
    }
    result = convert(survey(SCORED, panel))
    assert list(items(result)) == ["scored", "inner", "deepest"]
    assert "show_if" not in items(result)["inner"]
    assert warned(result, 'panel "box"', "visibleIf")


def test_hidden_questions_and_logic_properties_are_reported() -> None:
    result = convert(
        survey(
            {"type": "text", "name": "hidden", "visible": False},
            {"type": "text", "name": "logic", "enableIf": "{scored} = 1", "validators": [{}]},
            SCORED,
        )
    )
    assert "hidden" not in items(result)
    assert warned(result, 'question "hidden" dropped', "hidden")
    assert warned(result, 'question "logic"', "enableIf, validators")


def test_pages_become_sections() -> None:
    source = {
        "pages": [
            {
                "name": "about",
                "title": "About you",
                "description": "A few facts",
                "elements": [SCORED],
            },
            {"name": "empty", "elements": [{"type": "html", "name": "h"}]},
            {"elements": [{"type": "text", "name": "t"}]},
        ]
    }
    result = convert(source)
    sections = result.document["sections"]
    assert [(s["id"], s["title"]) for s in sections] == [("about", "About you"), ("page3", "page3")]
    assert sections[0]["intro"] == "A few facts"
    assert warned(result, 'page "empty" dropped')


def test_elements_without_pages_form_one_section() -> None:
    result = convert({"title": "Quick", "elements": [SCORED]})
    assert len(result.document["sections"]) == 1
    assert result.document["title"] == "Quick"


def test_ids_are_made_valid_and_unique() -> None:
    result = convert(
        survey(
            {"type": "text", "name": "1. Age"},
            {"type": "text", "name": "año"},
            {"type": "text", "name": "dup"},
            {"type": "text", "name": "dup"},
            SCORED,
        )
    )
    assert list(items(result)) == ["q1_Age", "ano", "dup", "dup_2", "scored"]
    assert warned(result, 'question "1. Age" gets the id "q1_Age"')
    assert warned(result, 'question "dup" gets the id "dup_2"', "already taken")


def test_survey_title_description_and_id() -> None:
    result = convert(survey(SCORED, title="Climate", description="Yearly"))
    doc = result.document
    assert (doc["id"], doc["version"], doc["title"], doc["description"]) == (
        "test",
        "1",
        "Climate",
        "Yearly",
    )
    assert convert(survey(SCORED)).document["title"] == "test"


# -- input that cannot be converted --------------------------------------------------------

UNREADABLE: list[tuple[bytes, str]] = [
    (b"{not json", "not valid JSON (line 1"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"[1, 2]", "JSON object"),
    (b'{"title": "x"}', 'no "pages" and no "elements"'),
    (b'{"pages": [{"name": "p"}]}', "it has no questions"),
    (b'{"elements": [{"type": "html", "name": "h"}]}', "none of its questions"),
    (
        b'{"elements": [{"type": "radiogroup", "name": "r", "choices": ["a", "b"]}]}',
        "at least one rating or matrix",
    ),
]


@pytest.mark.parametrize(("content", "message"), UNREADABLE)
def test_unreadable_input_raises_conversion_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "survey.json"
    path.write_bytes(content)
    with pytest.raises(ConversionError, match=message.replace("(", r"\(")):
        from_surveyjs(path)


def test_lone_surrogates_are_replaced_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    path.write_text(
        '{"elements": [{"type": "rating", "name": "r", "title": "Bad \\ud800 text", '
        '"rateValues": [1, {"value": 2, "text": "\\udfff"}]}]}',
        encoding="utf-8",
    )
    result = from_surveyjs(path)
    instrument.load(result.document)
    assert items(result)["r"]["text"] == "Bad \ufffd text"
    assert warned(result, "lone surrogates")


def test_a_missing_file_raises_conversion_error(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="cannot read"):
        from_surveyjs(tmp_path / "absent.json")


# -- property: any SurveyJS-shaped input gives a valid instrument or a ConversionError ------

T = TypeVar("T")


def named(name: str, strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """Give a big strategy a short repr, `name()`: hypothesis warns about huge reprs."""

    def draw_from(draw: st.DrawFn) -> T:
        return draw(strategy)

    draw_from.__name__ = draw_from.__qualname__ = name
    return st.composite(draw_from)()


NAMES = st.sampled_from(["q1", "q2", "Q2", "r", "m", "1st", "año", "a b", "", "page1"])
LANGS = st.sampled_from(["default", "en", "es", "pt-BR", "xx_YY", "EN", "not a code", ""])
TEXTS = named(
    "texts",
    st.one_of(
        st.sampled_from(["Yes", "Agree", " ", "¿Qué?", "lone \ud800"]),
        st.fixed_dictionaries(
            {"default": st.sampled_from(["Yes", "Agree"])},
            optional={"es": st.sampled_from(["Sí", ""]), "pt-BR": st.just("Sim")},
        ),
        st.dictionaries(
            LANGS, st.one_of(st.text(max_size=5), st.integers(), st.none()), max_size=3
        ),
        st.text(max_size=6),
        st.integers(-5, 5),
        st.booleans(),
        st.none(),
    ),
)
SMALL_VALUES = st.one_of(
    st.sampled_from(["a", "b", "c", "na", "N/A", "01", "\udc00"]), st.integers(0, 6)
)
VALUES = st.one_of(
    SMALL_VALUES,
    st.text(max_size=4),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
ITEM_VALUES = named(
    "item_values",
    st.one_of(
        SMALL_VALUES,
        st.fixed_dictionaries({"value": SMALL_VALUES}, optional={"text": TEXTS}),
        VALUES,
        st.fixed_dictionaries(
            {"value": VALUES}, optional={"text": TEXTS, "visibleIf": st.just("1")}
        ),
    ),
)
LITERALS = st.one_of(
    st.sampled_from(["'a'", "1", "5", "true", "'na'", "''", "['a', 2]", "null", "x"]),
    st.integers(-2, 7).map(str),
)
OPERATORS = st.sampled_from(
    ["=", "!=", "<>", ">", "<=", "anyof", "noneof", "allof", "contains", "notcontains", "+"]
)
REFERENCES = st.sampled_from(["q1", "q2", "r", "m", "m.r1", "m.r2", "x", "1st"])
COMPARISONS = st.one_of(
    st.builds(lambda n, o, v: f"{{{n}}} {o} {v}", REFERENCES, OPERATORS, LITERALS),
    st.builds(lambda n, o: f"{{{n}}} {o}", REFERENCES, st.sampled_from(["empty", "notempty"])),
)
EXPRESSIONS = named(
    "expressions",
    st.one_of(
        st.recursive(
            COMPARISONS,
            lambda inner: st.one_of(
                st.builds(
                    lambda a, j, b: f"{a} {j} {b}",
                    inner,
                    st.sampled_from(["and", "or", "||"]),
                    inner,
                ),
                inner.map(lambda e: f"!({e})"),
            ),
            max_leaves=3,
        ),
        st.text(max_size=12),
    ),
)
AREAS = st.one_of(st.sampled_from(["Climate", "Trust & Safety", "", " ", "9"]), TEXTS)
NUMBERISH = st.one_of(st.integers(-3, 40), st.floats(-1e6, 1e6), st.text(max_size=3), st.none())
CHOICES = st.lists(ITEM_VALUES, min_size=1, max_size=4)

#: Names that conditions refer to, mostly.
KNOWN = st.one_of(st.sampled_from(["q1", "q2", "r", "m"]), NAMES)

#: Questions shaped as an author writes them, with the odd mistake.
PLAUSIBLE = named(
    "plausible_questions",
    st.one_of(
        st.fixed_dictionaries(
            {
                "type": st.sampled_from(["radiogroup", "dropdown", "checkbox", "tagbox"]),
                "name": KNOWN,
                "choices": CHOICES,
            },
            optional={
                "title": TEXTS,
                "visibleIf": EXPRESSIONS,
                "focusArea": AREAS,
                "showOtherItem": st.booleans(),
            },
        ),
        st.fixed_dictionaries(
            {"type": st.just("rating"), "name": KNOWN},
            optional={
                "rateMin": st.integers(-2, 3),
                "rateMax": st.integers(0, 30),
                "rateValues": CHOICES,
                "focusArea": AREAS,
                "visibleIf": EXPRESSIONS,
                "minRateDescription": TEXTS,
            },
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("matrix"),
                "name": KNOWN,
                "columns": CHOICES,
                "rows": st.lists(st.sampled_from(["r1", "r2", 3, {"value": "r1"}]), max_size=3),
            },
            optional={
                "focusArea": AREAS,
                "visibleIf": EXPRESSIONS,
                "isAllRowRequired": st.booleans(),
            },
        ),
        st.fixed_dictionaries(
            {"type": st.sampled_from(["text", "comment", "boolean", "html"]), "name": KNOWN},
            optional={
                "title": TEXTS,
                "inputType": st.sampled_from(["number", "text", "date"]),
                "visibleIf": EXPRESSIONS,
                "isRequired": st.booleans(),
            },
        ),
    ),
)

#: Anything roughly element-shaped, with wrong types where an author would never put them.
WILD = named(
    "wild_elements",
    st.fixed_dictionaries(
        {
            "type": st.one_of(
                st.sampled_from(["radiogroup", "rating", "matrix", "text", "weird", "panel", ""]),
                st.integers(),
                st.none(),
            )
        },
        optional={
            "name": st.one_of(NAMES, st.integers(0, 3)),
            "title": TEXTS,
            "description": TEXTS,
            "isRequired": st.one_of(st.booleans(), st.just("true")),
            "visible": st.booleans(),
            "visibleIf": st.one_of(EXPRESSIONS, st.integers()),
            "choices": st.one_of(CHOICES, st.text(max_size=3)),
            "rateValues": st.lists(ITEM_VALUES, max_size=4),
            "rateMin": NUMBERISH,
            "rateMax": NUMBERISH,
            "rateStep": NUMBERISH,
            "rateCount": NUMBERISH,
            "columns": st.lists(ITEM_VALUES, max_size=4),
            "rows": st.one_of(st.lists(ITEM_VALUES, max_size=4), st.integers()),
            "focusArea": AREAS,
            "inputType": st.sampled_from(["number", "range"]),
            "min": NUMBERISH,
            "max": NUMBERISH,
            "maxLength": NUMBERISH,
            "valueTrue": VALUES,
            "elements": st.one_of(st.just([]), st.integers()),
        },
    ),
)

ELEMENT_LISTS = st.recursive(
    st.lists(st.one_of(PLAUSIBLE, PLAUSIBLE, WILD), min_size=1, max_size=3),
    lambda inner: st.lists(
        st.one_of(
            PLAUSIBLE,
            st.fixed_dictionaries(
                {"type": st.just("panel"), "elements": inner},
                optional={"name": NAMES, "title": TEXTS, "visibleIf": EXPRESSIONS},
            ),
        ),
        min_size=1,
        max_size=3,
    ),
    max_leaves=3,
)
PAGE = st.fixed_dictionaries(
    {"elements": ELEMENT_LISTS},
    optional={"name": NAMES, "title": TEXTS, "visibleIf": EXPRESSIONS, "visible": st.booleans()},
)
_SURVEYS = st.fixed_dictionaries(
    {
        "pages": st.builds(
            lambda pages, junk: pages + junk,
            st.lists(PAGE, min_size=1, max_size=2),
            st.lists(st.integers(), max_size=1),
        )
    },
    optional={
        "title": TEXTS,
        "description": TEXTS,
        "locale": st.sampled_from(["es", "en", "pt", "xx_YY", "", "Spanish"]),
        "elements": ELEMENT_LISTS,
        "triggers": st.lists(st.just({}), max_size=1),
    },
)


SURVEYS = named("surveys", _SURVEYS)


@settings(max_examples=100, deadline=None)
@given(source=SURVEYS, scored=st.booleans())
def test_any_surveyjs_shaped_document_converts_to_a_valid_instrument_or_refuses(
    source: dict[str, Any], scored: bool
) -> None:
    if scored and source["pages"] and isinstance(source["pages"][-1], dict):
        source["pages"][-1]["elements"].append(dict(SCORED))
    try:
        result = convert_survey(source, name="random")
    except ConversionError:
        return
    json.dumps(result.document)
    instrument.load(result.document)
    assert all(isinstance(w, str) and w for w in result.warnings)


# -- the command line ------------------------------------------------------------------------


def test_cli_converts_a_surveyjs_file(tmp_path: Path) -> None:
    path = tmp_path / "climate.json"
    path.write_text(
        json.dumps(survey({"type": "html", "name": "intro"}, SCORED, title="Climate")),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["convert", "--from", "surveyjs", str(path)])
    assert result.exit_code == 0, result.stderr
    inst = instrument.load(json.loads(result.stdout))
    assert (inst.id, str(inst.title)) == ("climate", "Climate")
    assert f'{path}: warning: question "intro" (html) dropped' in result.stderr


def test_cli_reports_a_broken_file_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{ nope", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", "--from", "surveyjs", str(path)])
    assert result.exit_code == 1
    assert f"{path}: not valid JSON (line 1" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_a_question_named_like_a_survey_form_field_is_renamed() -> None:
    from instrument.convert import convert_survey

    survey = {
        "pages": [
            {
                "name": "p1",
                "elements": [
                    {
                        "type": "rating",
                        "name": "csrf_token",
                        "title": "How much?",
                        "focusArea": "lead",
                    },
                ],
            }
        ]
    }
    conversion = convert_survey(survey)
    item = conversion.document["sections"][0]["items"][0]
    assert item["id"] == "csrf_token_2"
    assert any("reserved" in w for w in conversion.warnings)
    instrument.load(conversion.document)
