"""Every validation rule of `repp-instrument/1`, one table row each.

A row is a change to the valid `minimal_doc()` (see conftest), the path of the problem it must
cause, and fragments its message must hold: the id of the element concerned and the offending
value. Each row must cause exactly that one problem, so a rule that also reports knock-on noise,
or that reports nothing, fails here.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import instrument
from instrument import InstrumentError, Problem

S0 = "sections[0]"
Q1 = "sections[0].items[0]"  # likert, fa1
Q2 = "sections[0].items[1]"  # single_choice yes/no, demographic
Q3 = "sections[0].items[2]"  # multiple_choice a/b/c
Q4 = "sections[0].items[3]"  # number 0-100
Q5 = "sections[0].items[4]"  # text, shown if q2 == "yes"
S1 = "sections[1]"
Q6 = "sections[1].items[0]"  # likert reverse, fa1
Q7 = "sections[1].items[1]"  # likert, fa2
Q8 = "sections[1].items[2]"  # likert, fa2, shown unless q7 in (1, 2)
AGREE = "scales.agree"


@dataclass(frozen=True)
class Case:
    id: str
    edits: tuple[tuple[Any, ...], ...]
    path: str
    fragments: tuple[str, ...]
    languages: tuple[str, ...] = ("en",)


def case(
    case_id: str,
    edits: list[tuple[Any, ...]],
    path: str,
    *fragments: str,
    languages: tuple[str, ...] = ("en",),
) -> Any:
    return pytest.param(Case(case_id, tuple(edits), path, fragments, languages), id=case_id)


def new_area(area_id: str) -> dict[str, Any]:
    return {"id": area_id, "title": "Another area"}


RULES = [
    # -- unknown keys (typos) ----------------------------------------------------------------
    case(
        "unknown-key-top",
        [("set", "sectons", [])],
        "sectons",
        'instrument "demo"',
        'unknown key "sectons"',
        'did you mean "sections"',
    ),
    case(
        "unknown-key-item",
        [("set", f"{Q1}.scal", "agree")],
        f"{Q1}.scal",
        'item "q1"',
        '"scal"',
        'did you mean "scale"',
    ),
    case(
        "unknown-key-section",
        [("set", f"{S1}.titel", "x")],
        f"{S1}.titel",
        'section "s2"',
        '"titel"',
    ),
    case(
        "unknown-key-scale",
        [("set", f"{AGREE}.favourable", [4])],
        f"{AGREE}.favourable",
        'scale "agree"',
        '"favourable"',
        'did you mean "favorable"',
    ),
    case(
        "unknown-key-point",
        [("set", f"{AGREE}.points[1].score", 2)],
        f"{AGREE}.points[1].score",
        'scale "agree"',
        '"score"',
    ),
    case(
        "unknown-key-focus-area",
        [("set", "focus_areas[1].descripton", "x")],
        "focus_areas[1].descripton",
        'focus area "fa2"',
        '"descripton"',
        'did you mean "description"',
    ),
    case(
        "unknown-key-option",
        [("set", f"{Q3}.options[2].text", "C")],
        f"{Q3}.options[2].text",
        'item "q3"',
        '"text"',
    ),
    case(
        "unknown-key-not-applicable",
        [("set", f"{AGREE}.not_applicable.value", 0)],
        f"{AGREE}.not_applicable.value",
        'scale "agree"',
        '"value"',
    ),
    case(
        "key-of-another-item-type",
        [("set", f"{Q4}.options", [])],
        f"{Q4}.options",
        'item "q4"',
        '"options"',
        "single_choice",
    ),
    # -- duplicate ids ---------------------------------------------------------------------------
    case(
        "duplicate-item-id-same-section",
        [("set", f"{Q4}.id", "q1")],
        f"{Q4}.id",
        'item "q1"',
        'duplicate item id "q1"',
        Q1,
    ),
    case(
        "duplicate-item-id-across-sections",
        [("set", f"{Q6}.id", "q3")],
        f"{Q6}.id",
        'duplicate item id "q3"',
        Q3,
    ),
    case(
        "duplicate-section-id", [("set", f"{S1}.id", "s1")], f"{S1}.id", 'duplicate section id "s1"'
    ),
    case(
        "duplicate-focus-area-id",
        [("append", "focus_areas", new_area("fa1"))],
        "focus_areas[2].id",
        'focus area "fa1"',
        'duplicate focus area id "fa1"',
    ),
    case(
        "duplicate-option-value",
        [("set", f"{Q3}.options[2].value", "a")],
        f"{Q3}.options[2].value",
        'item "q3"',
        'duplicate option value "a"',
    ),
    case(
        "duplicate-language",
        [("set", "languages", ["en", "en"])],
        "languages[1]",
        '"en"',
        "twice",
    ),
    # -- references ----------------------------------------------------------------------------
    case(
        "unknown-scale",
        [("set", f"{Q1}.scale", "agreement")],
        f"{Q1}.scale",
        'item "q1"',
        'unknown scale "agreement"',
        "agree",
    ),
    case(
        "unknown-focus-area",
        [("set", f"{Q7}.focus_area", "fa9")],
        f"{Q7}.focus_area",
        'item "q7"',
        'unknown focus area "fa9"',
    ),
    case(
        "focus-area-not-scored",
        [("append", "focus_areas", new_area("fa3"))],
        "focus_areas[2]",
        'focus area "fa3"',
        "no likert item",
    ),
    case(
        "focus-area-no-longer-scored",
        [("del", f"{Q7}.focus_area"), ("del", f"{Q8}.focus_area")],
        "focus_areas[1]",
        'focus area "fa2"',
        "no likert item",
    ),
    # -- item types and their keys -----------------------------------------------------------------
    case(
        "likert-without-scale",
        [("del", f"{Q1}.scale")],
        f"{Q1}.scale",
        'item "q1"',
        '"scale" is required',
    ),
    case(
        "reverse-on-single-choice",
        [("set", f"{Q2}.reverse", True)],
        f"{Q2}.reverse",
        'item "q2"',
        '"reverse"',
        "only to likert",
        "not single_choice",
    ),
    case(
        "reverse-on-multiple-choice",
        [("set", f"{Q3}.reverse", False)],
        f"{Q3}.reverse",
        'item "q3"',
        '"reverse"',
        "not multiple_choice",
    ),
    case(
        "reverse-on-number",
        [("set", f"{Q4}.reverse", True)],
        f"{Q4}.reverse",
        'item "q4"',
        "not number",
    ),
    case(
        "reverse-on-text",
        [("set", f"{Q5}.reverse", True)],
        f"{Q5}.reverse",
        'item "q5"',
        "not text",
    ),
    case(
        "unknown-item-type",
        [("set", f"{Q4}.type", "slider")],
        f"{Q4}.type",
        'item "q4"',
        '"slider"',
        "not a known item type",
    ),
    case(
        "item-type-not-a-string",
        [("set", f"{Q4}.type", ["number"])],
        f"{Q4}.type",
        'item "q4"',
        '["number"]',
    ),
    case(
        "item-type-missing",
        [("del", f"{Q4}.type")],
        f"{Q4}.type",
        'item "q4"',
        '"type" is required',
    ),
    case(
        "empty-choice-list",
        [("set", f"{Q2}.options", [])],
        f"{Q2}.options",
        'item "q2"',
        "at least 2 options",
        "got []",
    ),
    case(
        "single-option-choice-list",
        [("set", f"{Q3}.options", [{"value": "a", "label": "A"}])],
        f"{Q3}.options",
        'item "q3"',
        "at least 2 options",
        '"a"',
    ),
    case(
        "choice-without-options",
        [("del", f"{Q3}.options")],
        f"{Q3}.options",
        'item "q3"',
        "required",
    ),
    case(
        "number-min-above-max",
        [("set", f"{Q4}.min", 10), ("set", f"{Q4}.max", 5)],
        f"{Q4}.min",
        'item "q4"',
        "min 10",
        "max 5",
    ),
    case(
        "number-bound-not-a-number",
        [("set", f"{Q4}.max", "100")],
        f"{Q4}.max",
        'item "q4"',
        '"100"',
    ),
    case(
        "text-max-length-zero",
        [("set", f"{Q5}.max_length", 0)],
        f"{Q5}.max_length",
        'item "q5"',
        "got 0",
    ),
    # -- scales ----------------------------------------------------------------------------------
    case(
        "points-repeat-a-value",
        [("set", f"{AGREE}.points[2].value", 2)],
        f"{AGREE}.points[2].value",
        'scale "agree"',
        "2 follows 2",
    ),
    case(
        "points-decrease",
        [("set", f"{AGREE}.points[3].value", 0)],
        f"{AGREE}.points[3].value",
        'scale "agree"',
        "0 follows 3",
    ),
    case(
        "point-value-not-whole",
        [("set", f"{AGREE}.points[0].value", 0.5)],
        f"{AGREE}.points[0].value",
        'scale "agree"',
        "0.5",
    ),
    case(
        "scale-with-one-point",
        [("set", f"{AGREE}.points", [{"value": 1, "label": "Yes"}])],
        f"{AGREE}.points",
        'scale "agree"',
        "at least 2 points",
    ),
    case(
        "favorable-not-a-point",
        [("set", f"{AGREE}.favorable", [4, 5])],
        f"{AGREE}.favorable[1]",
        'scale "agree"',
        "favorable value 5",
    ),
    case(
        "favorable-empty",
        [("set", f"{AGREE}.favorable", [])],
        f"{AGREE}.favorable",
        'scale "agree"',
        "at least one",
    ),
    case(
        "scale-id-not-an-id",
        [
            (
                "set",
                'scales["2-point"]',
                {"points": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]},
            )
        ],
        'scales["2-point"]',
        'scale id "2-point"',
        "must start with a letter",
    ),
    # -- TEXT and languages ----------------------------------------------------------------------
    case(
        "text-missing-a-language-title",
        [("set", "title", {"en": "Self-assessment"})],
        "title",
        'instrument "demo"',
        "missing language(s) es",
        languages=("en", "es"),
    ),
    case(
        "text-missing-a-language-item",
        [("set", f"{Q6}.text", {"es": "Texto"})],
        f"{Q6}.text",
        'item "q6"',
        "missing language(s) en",
        languages=("en", "es"),
    ),
    case(
        "text-missing-a-language-option",
        [("set", f"{Q2}.options[1].label", {"en": "No"})],
        f"{Q2}.options[1].label",
        'item "q2"',
        "missing language(s) es",
        languages=("en", "es"),
    ),
    case(
        "text-missing-a-language-point",
        [("set", f"{AGREE}.points[0].label", {"en": "Disagree"})],
        f"{AGREE}.points[0].label",
        'scale "agree"',
        "es",
        languages=("en", "es"),
    ),
    case(
        "text-with-an-undeclared-language",
        [
            (
                "set",
                "focus_areas[0].title",
                {"en": "Leadership", "es": "Liderazgo", "fr": "Direction"},
            )
        ],
        "focus_areas[0].title",
        'focus area "fa1"',
        '"fr"',
        languages=("en", "es"),
    ),
    case(
        "text-empty",
        [("set", f"{S1}.title", "  ")],
        f"{S1}.title",
        'section "s2"',
        "must not be empty",
    ),
    case("text-wrong-type", [("set", f"{Q1}.text", 7)], f"{Q1}.text", 'item "q1"', "got 7"),
    case(
        "language-not-a-code",
        [("set", "languages", ["en", "Spanish"])],
        "languages[1]",
        '"Spanish"',
        "language code",
    ),
    case(
        "language-with-trailing-newline",
        [("set", "languages", ["en\n"])],
        "languages[0]",
        '"en\\n"',
    ),
    case(
        "text-with-a-lone-surrogate",
        [("set", "title", "Caf\ud800")],
        "title",
        'instrument "demo"',
        "lone surrogate",
        '"Caf\\ud800"',
    ),
    case(
        "translation-with-a-lone-surrogate",
        [("set", f"{Q2}.options[0].label", {"en": "Yes", "es": "S\udce9"})],
        f"{Q2}.options[0].label.es",
        'item "q2"',
        '"S\\udce9"',
        languages=("en", "es"),
    ),
    # -- show_if ---------------------------------------------------------------------------------
    case(
        "show-if-unknown-item",
        [("set", f"{Q5}.show_if", {"item": "q99", "answered": True})],
        f"{Q5}.show_if.item",
        'item "q5"',
        'unknown item "q99"',
    ),
    case(
        "show-if-itself",
        [("set", f"{Q5}.show_if", {"item": "q5", "answered": True})],
        f"{Q5}.show_if.item",
        'item "q5"',
        "itself",
    ),
    case(
        "show-if-later-item-same-section",
        [("set", f"{Q2}.show_if", {"item": "q4", "answered": True})],
        f"{Q2}.show_if.item",
        'item "q2"',
        '"q4"',
        "forward reference",
    ),
    case(
        "show-if-later-item-later-section",
        [("set", f"{Q3}.show_if", {"item": "q7", "equals": 3})],
        f"{Q3}.show_if.item",
        'item "q3"',
        '"q7"',
        "forward reference",
    ),
    case(
        "section-show-if-own-item",
        [("set", f"{S1}.show_if", {"item": "q6", "answered": True})],
        f"{S1}.show_if.item",
        'section "s2"',
        '"q6"',
        "earlier section",
    ),
    case(
        "show-if-nested-forward-reference",
        [
            (
                "set",
                f"{Q5}.show_if",
                {
                    "any": [
                        {"item": "q2", "equals": "yes"},
                        {"not": {"item": "q6", "answered": True}},
                    ]
                },
            )
        ],
        f"{Q5}.show_if.any[1].not.item",
        'item "q5"',
        '"q6"',
    ),
    case(
        "show-if-equals-not-an-option",
        [("set", f"{Q5}.show_if", {"item": "q2", "equals": "maybe"})],
        f"{Q5}.show_if.equals",
        'item "q5"',
        '"q2"',
        '"maybe"',
        '"yes", "no"',
    ),
    case(
        "show-if-in-not-an-option",
        [("set", f"{Q5}.show_if", {"item": "q3", "in": ["a", "d"]})],
        f"{Q5}.show_if.in[1]",
        '"q3"',
        '"d"',
    ),
    case(
        "show-if-option-compared-with-a-number",
        [("set", f"{Q5}.show_if", {"item": "q2", "equals": 1})],
        f"{Q5}.show_if.equals",
        '"q2"',
        "with 1,",
    ),
    case(
        "show-if-not-a-point",
        [("set", f"{Q8}.show_if", {"item": "q7", "in": [1, 5]})],
        f"{Q8}.show_if.in[1]",
        'item "q8"',
        '"q7"',
        "with 5",
    ),
    case(
        "show-if-boolean-for-a-point",
        [("set", f"{Q8}.show_if", {"item": "q7", "equals": True})],
        f"{Q8}.show_if.equals",
        '"q7"',
        "true",
    ),
    case(
        "show-if-nested-value-in-all",
        [
            (
                "set",
                f"{Q5}.show_if",
                {"all": [{"item": "q1", "answered": True}, {"item": "q2", "equals": "nah"}]},
            )
        ],
        f"{Q5}.show_if.all[1].equals",
        'item "q5"',
        '"nah"',
    ),
    case(
        "show-if-number-compared-with-text",
        [("set", f"{Q5}.show_if", {"item": "q4", "equals": "ten"})],
        f"{Q5}.show_if.equals",
        '"q4"',
        '"ten"',
    ),
    case(
        "section-show-if-value",
        [("set", f"{S1}.show_if", {"item": "q1", "equals": 0})],
        f"{S1}.show_if.equals",
        'section "s2"',
        '"q1"',
        "with 0",
    ),
    case(
        "show-if-value-with-a-lone-surrogate",
        [("set", f"{Q5}.show_if", {"item": "q2", "equals": "\udc80"})],
        f"{Q5}.show_if.equals",
        'item "q5"',
        '"\\udc80"',
    ),
    case(
        "show-if-bad-shape",
        [("set", f"{Q5}.show_if", {"item": "q2"})],
        f"{Q5}.show_if",
        'item "q5"',
        "a condition must be one of",
        '"item"',
    ),
    case(
        "show-if-two-comparisons",
        [("set", f"{Q5}.show_if", {"item": "q2", "equals": "yes", "in": ["yes"]})],
        f"{Q5}.show_if",
        '"equals", "in", "item"',
    ),
    case(
        "show-if-answered-false",
        [("set", f"{Q5}.show_if", {"item": "q2", "answered": False})],
        f"{Q5}.show_if.answered",
        'item "q5"',
        "must be true",
    ),
    case(
        "show-if-empty-all",
        [("set", f"{Q5}.show_if", {"all": []})],
        f"{Q5}.show_if.all",
        "non-empty list",
    ),
    # -- ids, required keys and types ------------------------------------------------------------
    case(
        "item-id-not-an-id",
        [("set", f"{Q4}.id", "4th")],
        f"{Q4}.id",
        '"4th"',
        "must start with a letter",
    ),
    case(
        "item-id-with-trailing-newline",
        [("set", f"{Q4}.id", "q4\n")],
        f"{Q4}.id",
        '"q4\\n"',
    ),
    case("item-id-missing", [("del", f"{Q4}.id")], f"{Q4}.id", f"item at {Q4}", '"id" is required'),
    case(
        "required-not-boolean",
        [("set", f"{Q1}.required", "yes")],
        f"{Q1}.required",
        'item "q1"',
        '"yes"',
    ),
    case("format-missing", [("del", "format")], "format", '"format" is required'),
    case(
        "format-wrong",
        [("set", "format", "repp-instrument/2")],
        "format",
        '"repp-instrument/1"',
        '"repp-instrument/2"',
    ),
    case("version-missing", [("del", "version")], "version", '"version" is required'),
    case("version-not-a-string", [("set", "version", 2)], "version", 'instrument "demo"', "got 2"),
    case("title-missing", [("del", "title")], "title", '"title" is required'),
    case("id-missing", [("del", "id")], "id", '"id" is required'),
    case("no-sections", [("set", "sections", [])], "sections", "at least one section"),
    case(
        "no-focus-areas",
        [
            ("set", "focus_areas", []),
            ("del", f"{Q1}.focus_area"),
            ("del", f"{Q6}.focus_area"),
            ("del", f"{Q7}.focus_area"),
            ("del", f"{Q8}.focus_area"),
        ],
        "focus_areas",
        "at least one focus area",
    ),
    case(
        "section-without-items",
        [("set", f"{S1}.items", [])],
        f"{S1}.items",
        'section "s2"',
        "at least one item",
    ),
    case(
        "section-without-title", [("del", f"{S0}.title")], f"{S0}.title", 'section "s1"', "required"
    ),
    case(
        "item-not-an-object",
        [("append", f"{S1}.items", "q9")],
        f"{S1}.items[3]",
        '"q9"',
        "JSON object",
    ),
    case("item-null", [("append", f"{S1}.items", None)], f"{S1}.items[3]", "must not be null"),
    case("sections-not-a-list", [("set", "sections", {"s1": {}})], "sections", "must be a list"),
]


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_reports_one_problem_at_its_path(rule: Case, minimal_doc: Any, docs: Any) -> None:
    doc = docs.apply(minimal_doc(rule.languages), rule.edits)
    result = instrument.validate(doc)
    assert result.instrument is None
    assert [p.path for p in result.problems] == [rule.path], result.problems
    (problem,) = result.problems
    for fragment in rule.fragments:
        assert fragment in problem.message
    with pytest.raises(InstrumentError) as raised:
        instrument.load(doc)
    assert raised.value.problems == result.problems


@pytest.mark.parametrize("rule", RULES)
def test_problem_paths_point_into_the_document(rule: Case, minimal_doc: Any, docs: Any) -> None:
    """A path leads to the offending value or, for a missing key, to the object that lacks it."""
    doc = docs.apply(minimal_doc(rule.languages), rule.edits)
    (problem,) = instrument.validate(doc).problems
    parts = docs.path_parts(problem.path)
    assert list(problem.parts) == parts
    if "is required" in problem.message:
        assert docs.resolve_parts(doc, parts) is docs.MISSING
        assert isinstance(docs.resolve_parts(doc, parts[:-1]), dict)
    else:
        assert docs.resolve_parts(doc, parts) is not docs.MISSING


def test_the_minimal_document_is_valid(minimal_doc: Any) -> None:
    for languages in (("en",), ("en", "es"), ("es", "en", "pt-BR")):
        result = instrument.validate(minimal_doc(languages))
        assert result.problems == ()
        assert result.instrument is not None
        assert result.instrument.languages == languages


def test_valid_variants_are_accepted(minimal_doc: Any, docs: Any) -> None:
    doc = docs.apply(
        minimal_doc(),
        [
            ("set", '["$schema"]', "../questionnaires/instrument.schema.json"),
            ("set", "scales.agree.favorable", [3, 4]),
            ("set", f"{Q8}.show_if", {"item": "q7", "in": [3, 4, "na"]}),  # "na": the scale has N/A
            ("set", f"{Q5}.show_if", {"item": "q3", "equals": "b"}),
            ("set", f"{Q4}.min", 1.5),
            ("set", f"{Q4}.max", 1.5),  # min == max is allowed
            ("set", f"{Q4}.integer", False),
            ("del", f"{S0}.id"),  # section ids are optional
            (
                "set",
                f"{S1}.show_if",
                {"all": [{"item": "q1", "equals": 4}, {"item": "q4", "in": [1, 2.5]}]},
            ),
        ],
    )
    inst = instrument.load(doc)
    assert inst.sections[0].id is None
    assert inst.scale("agree").favorable == (3, 4)


# -- several problems at once --------------------------------------------------------------------


def test_every_problem_is_reported_at_once(minimal_doc: Any, docs: Any) -> None:
    doc = docs.apply(
        minimal_doc(),
        [
            ("set", "versoin", "2"),  # unknown key
            ("set", f"{AGREE}.points[2].value", 1),  # not increasing
            ("set", f"{Q4}.min", 200),  # min > max
            ("set", f"{Q6}.id", "q1"),  # duplicate item id
            ("set", f"{Q5}.show_if", {"item": "q2", "equals": "maybe"}),  # not an option
        ],
    )
    with pytest.raises(InstrumentError) as raised:
        instrument.load(doc)
    problems = raised.value.problems
    assert len(problems) == 5
    # in document order: the order of the keys and list entries in the document
    assert [p.path for p in problems] == [
        f"{AGREE}.points[2].value",
        f"{Q4}.min",
        f"{Q5}.show_if.equals",
        f"{Q6}.id",
        "versoin",
    ]
    assert str(raised.value).startswith("5 problems:")
    assert raised.value.messages[f"{Q4}.min"] == [problems[1].message]


def test_paths_are_zero_based_and_point_at_the_right_element(minimal_doc: Any, docs: Any) -> None:
    doc = minimal_doc()
    docs.item(doc, "q7")["options"] = []  # sections[1].items[1], not [2].[2]
    doc["sections"][1]["items"][2]["scale"] = "nope"
    problems = instrument.validate(doc).problems
    assert [(p.path, p.message.split(":")[0]) for p in problems] == [
        (f"{Q7}.options", 'item "q7"'),
        (f"{Q8}.scale", 'item "q8"'),
    ]
    assert docs.resolve(doc, problems[1].path) == "nope"


def test_problems_in_unrelated_places_do_not_hide_each_other(minimal_doc: Any) -> None:
    """Structural and semantic checks both run: a broken scale does not hide a bad reference."""
    doc = minimal_doc()
    doc["scales"]["agree"]["points"] = "four"
    doc["sections"][0]["items"][4]["show_if"] = {"item": "q9", "answered": True}
    paths = [p.path for p in instrument.validate(doc).problems]
    assert paths == [f"{AGREE}.points", f"{Q5}.show_if.item"]


def test_elements_without_an_id_are_named_by_their_path(minimal_doc: Any) -> None:
    doc = minimal_doc()
    del doc["sections"][1]["id"]
    doc["sections"][1]["titel"] = "Practice"
    (problem,) = instrument.validate(doc).problems
    assert problem.message.startswith(f"section at {S1}: ")


# -- warnings --------------------------------------------------------------------------------------


def test_plain_strings_in_a_multi_language_document_warn_without_failing(minimal_doc: Any) -> None:
    doc = minimal_doc(("en", "es"))
    doc["sections"][0]["items"][0]["text"] = "Leaders talk about race equity."
    doc["title"] = "Self-assessment"
    result = instrument.validate(doc)
    assert result.ok
    assert result.problems == ()
    assert [w.path for w in result.warnings] == ["title", f"{Q1}.text"]
    assert 'instrument "demo"' in result.warnings[0].message
    assert "en, es" in result.warnings[0].message
    inst = instrument.load(doc)
    assert inst.items[0].text.get("es") == "Leaders talk about race equity."


def test_plain_strings_do_not_warn_in_a_one_language_document(minimal_doc: Any) -> None:
    result = instrument.validate(minimal_doc())
    assert result.ok
    assert result.warnings == ()


def test_warnings_are_kept_alongside_problems(minimal_doc: Any) -> None:
    doc = minimal_doc(("en", "es"))
    doc["title"] = "Self-assessment"
    doc["version"] = ""
    result = instrument.validate(doc)
    assert [p.path for p in result.problems] == ["version"]
    assert [w.path for w in result.warnings] == ["title"]


def test_demographic_items_marked_required_warn(minimal_doc: Any) -> None:
    doc = minimal_doc()
    doc["sections"][0]["items"][1]["required"] = True
    result = instrument.validate(doc)
    assert result.ok
    assert [w.path for w in result.warnings] == [f"{Q2}.required"]


# -- what is not an instrument at all -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [[], [{"format": "repp-instrument/1"}], None, 7, 2.5, True, b"{}"],
    ids=["empty-list", "list", "null", "int", "float", "bool", "bytes"],
)
def test_a_document_that_is_not_an_object_is_one_problem(value: Any) -> None:
    result = instrument.validate(value)
    assert [p.path for p in result.problems] == [""]
    assert "must be a JSON object" in result.problems[0].message
    with pytest.raises(InstrumentError):
        instrument.load(value)


@pytest.mark.parametrize("text", ["[]", "null", "5", '"instrument"', "[1, 2]"])
def test_loads_rejects_json_that_is_not_an_object(text: str) -> None:
    with pytest.raises(InstrumentError, match="must be a JSON object"):
        instrument.loads(text)


def test_loads_and_load_agree(minimal_doc: Any, tmp_path: Path, docs: Any) -> None:
    doc = minimal_doc(("en", "es"))
    text = json.dumps(doc)
    from_text = instrument.loads(text)
    assert from_text == instrument.loads(text.encode("utf-8"))
    assert from_text == instrument.load(docs.write(tmp_path, "demo.json", doc))
    assert from_text == instrument.load(str(tmp_path / "demo.json"))
    assert from_text == instrument.load(doc)


def test_json_with_a_duplicate_key_is_rejected(minimal_doc: Any) -> None:
    text = json.dumps(minimal_doc())
    text = text.replace('"version": "2024-1"', '"version": "2024-1", "version": "2024-2"')
    with pytest.raises(InstrumentError) as raised:
        instrument.loads(text)
    (problem,) = raised.value.problems
    assert problem.path == "version"
    assert 'duplicate key "version"' in problem.message


def test_json_with_a_duplicate_key_deep_inside_is_rejected(minimal_doc: Any) -> None:
    text = json.dumps(minimal_doc())
    text = text.replace('"id": "q7",', '"id": "q7", "id": "q7",')
    (problem,) = instrument.validate(instrument.parse_json(text)).problems
    assert problem.path == f"{Q7}.id"
    assert 'item "q7"' in problem.message
    assert 'duplicate key "id"' in problem.message


def test_a_duplicate_scale_id_in_the_json_is_rejected(minimal_doc: Any) -> None:
    doc = minimal_doc()
    scale = json.dumps(doc["scales"]["agree"])
    doc["scales"] = {"__PLACEHOLDER__": 0}
    text = json.dumps(doc).replace('"__PLACEHOLDER__": 0', f'"agree": {scale}, "agree": {scale}')
    (problem,) = instrument.validate(instrument.parse_json(text)).problems
    assert problem.path == "scales.agree"
    assert 'duplicate scale id "agree"' in problem.message


def test_duplicate_keys_are_found_when_parsed_with_pairs_hook_alone(minimal_doc: Any) -> None:
    """A document parsed by other code with `pairs_hook` is checked as thoroughly."""
    from instrument.checks import pairs_hook

    text = json.dumps(minimal_doc()).replace('"id": "q7",', '"id": "q7", "id": "q7",')
    doc = json.loads(text, object_pairs_hook=pairs_hook)
    assert [p.path for p in instrument.validate(doc).problems] == [f"{Q7}.id"]


def test_bytes_that_are_not_utf8_are_rejected(tmp_path: Path, minimal_doc: Any) -> None:
    data = json.dumps(minimal_doc()).replace("About you", "Acerca de t\u00ed").encode("latin-1")
    with pytest.raises(InstrumentError, match="not UTF-8") as raised:
        instrument.loads(data)
    assert raised.value.problems[0].path == ""
    path = tmp_path / "latin1.json"
    path.write_bytes(data)
    result = instrument.validate(path)
    assert "not UTF-8" in result.problems[0].message
    offset = data.index(b"\xed")
    assert f"byte {offset}" in result.problems[0].message


def test_a_utf8_byte_order_mark_is_accepted(minimal_doc: Any) -> None:
    data = b"\xef\xbb\xbf" + json.dumps(minimal_doc(), ensure_ascii=False).encode("utf-8")
    assert instrument.loads(data).id == "demo"


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('{\n  "format": "repp-instrument/1",\n  oops\n}', "line 3, column 3", "property name"),
        ('{"format": "repp-instrument/1",}', "line 1, column 32", "property name"),
        ("", "line 1, column 1", "Expecting value"),
        ('{\n\n  "title": "x"\n  "id": "y"}', "line 4, column 3", "delimiter"),
    ],
    ids=["bare-word", "trailing-comma", "empty", "missing-comma"],
)
def test_invalid_json_names_line_and_column(text: str, where: str, what: str) -> None:
    with pytest.raises(InstrumentError) as raised:
        instrument.loads(text)
    (problem,) = raised.value.problems
    assert problem.path == where
    assert problem.message.startswith("not valid JSON")
    assert what in problem.message


def test_json_nested_too_deeply_is_a_problem_not_a_crash() -> None:
    with pytest.raises(InstrumentError, match="nested too deeply"):
        instrument.loads("[" * 100_000 + "]" * 100_000)


def test_a_condition_nested_too_deeply_is_a_problem_not_a_crash(minimal_doc: Any) -> None:
    doc = minimal_doc()
    cond: dict[str, Any] = {"item": "q2", "equals": "yes"}
    for _ in range(50_000):
        cond = {"not": cond}
    doc["sections"][0]["items"][4]["show_if"] = cond
    result = instrument.validate(doc)
    assert result.problems == (
        Problem(
            f"{Q5}.show_if.not.not.not",
            'item "q5": nested more than 100 levels deep',
            ("sections", 0, "items", 4, "show_if", "not", "not", "not"),
        ),
    )


def test_an_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    result = instrument.validate(tmp_path / "missing.json")
    assert result.problems[0].path == ""
    assert "cannot read" in result.problems[0].message
    assert "missing.json" in result.problems[0].message
    assert "cannot read" in instrument.validate(tmp_path).problems[0].message  # a directory
    assert "cannot read" in instrument.validate("bad\0name.json").problems[0].message


def test_load_points_json_text_to_loads(minimal_doc: Any) -> None:
    with pytest.raises(InstrumentError, match=r"use instrument\.loads"):
        instrument.load(json.dumps(minimal_doc()))


def test_mapping_keys_that_are_not_strings_are_problems(minimal_doc: Any) -> None:
    """Mappings built in Python may have any keys; they are reported, never a TypeError."""
    doc = minimal_doc()
    doc[1] = "one"
    doc["scales"][2] = doc["scales"]["agree"]
    doc["sections"][0]["items"][4]["show_if"] = {"item": "q2", 3: "x"}
    messages = [str(p) for p in instrument.validate(doc).problems]
    assert any("[1]" in m and "keys must be strings" in m for m in messages)
    assert any("scale id 2" in m for m in messages)
    assert any("got keys" in m and "3" in m for m in messages)


def test_a_lone_surrogate_in_json_text_is_a_problem_not_a_broken_hash(minimal_doc: Any) -> None:
    """JSON may spell a lone surrogate; such a string cannot be stored or hashed as UTF-8."""
    text = json.dumps(minimal_doc()).replace("About you", "About \\ud83d you")
    assert "\\ud83d" in text
    (problem,) = instrument.validate(instrument.parse_json(text)).problems
    assert problem.path == f"{S0}.title"
    problem.message.encode("utf-8")  # the message itself is printable


def test_instrument_errors_survive_pickling() -> None:
    error = InstrumentError([Problem("title", 'instrument "x": "title" is required', ("title",))])
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert copy.problems == error.problems
    assert str(copy) == str(error)


def test_keys_with_newlines_or_lone_surrogates_print_on_one_line(minimal_doc: Any) -> None:
    doc = minimal_doc()
    doc["sections"][0]["items"][0]["sca\nle"] = "agree"
    doc["x\ud800"] = 1
    lines = [str(p) for p in instrument.validate(doc).problems]
    assert lines == [
        f'{Q1}["sca\\nle"]: item "q1": unknown key "sca\\nle" (did you mean "scale"?)',
        '["x\\ud800"]: instrument "demo": unknown key "x\\ud800"',
    ]
    for line in lines:
        line.encode("utf-8")


def test_the_survey_forms_security_field_name_is_not_an_item_id(minimal_doc: Any) -> None:
    doc = minimal_doc()
    doc["sections"][0]["items"][0]["id"] = "csrf_token"
    result = instrument.validate(doc)
    messages = [p.message for p in result.problems if p.path == "sections[0].items[0].id"]
    assert len(messages) == 1
    assert "security field" in messages[0]
    assert '"csrf_token"' in messages[0]


@pytest.mark.parametrize("item_id", ["action", "language", "lang", "draft_id", "submission_id"])
def test_everyday_words_the_survey_form_once_needed_are_free_item_ids(
    item_id: str, minimal_doc: Any
) -> None:
    first = minimal_doc()["sections"][0]["items"][0]["id"]
    doc = json.loads(json.dumps(minimal_doc()).replace(f'"{first}"', f'"{item_id}"'))
    assert doc["sections"][0]["items"][0]["id"] == item_id
    assert instrument.validate(doc).ok
