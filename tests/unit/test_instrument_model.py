"""The typed model and what reads it: conditions, visibility, answer checks, texts, scales, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import instrument
from instrument import (
    NOT_APPLICABLE,
    All,
    Answered,
    AnyOf,
    Equals,
    In,
    ItemId,
    Language,
    Not,
    Point,
    Scale,
    ScaleId,
    Text,
)
from instrument.model import default_favorable

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "questionnaires" / "instrument.schema.json"

Q = ItemId


@pytest.fixture
def demo(minimal_doc: Any) -> instrument.Instrument:
    return instrument.load(minimal_doc())


def cascade_doc() -> dict[str, Any]:
    """q1 -> q2 (if q1 is yes) -> q3 (if q2 is answered); section s2 shown if q3 == "go"."""
    yes_no = [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]
    return {
        "format": "repp-instrument/1",
        "id": "cascade",
        "version": "1",
        "title": "Cascade",
        "scales": {"ok": {"points": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]}},
        "focus_areas": [{"id": "fa", "title": "Area"}],
        "sections": [
            {
                "id": "s1",
                "title": "One",
                "items": [
                    {"id": "q1", "type": "single_choice", "text": "Q1", "options": yes_no},
                    {
                        "id": "q2",
                        "type": "text",
                        "text": "Q2",
                        "show_if": {"item": "q1", "equals": "yes"},
                    },
                    {
                        "id": "q3",
                        "type": "text",
                        "text": "Q3",
                        "show_if": {"item": "q2", "answered": True},
                    },
                ],
            },
            {
                "id": "s2",
                "title": "Two",
                "show_if": {"item": "q3", "equals": "go"},
                "items": [
                    {
                        "id": "q4",
                        "type": "likert",
                        "text": "Q4",
                        "scale": "ok",
                        "focus_area": "fa",
                        "required": True,
                    },
                ],
            },
            {
                "id": "s3",
                "title": "Three",
                "show_if": {"item": "q4", "answered": True},
                "items": [{"id": "q5", "type": "text", "text": "Q5", "required": True}],
            },
        ],
    }


# -- conditions.evaluate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        (Equals(Q("a"), "yes"), {"a": "yes"}, True),
        (Equals(Q("a"), "yes"), {"a": "no"}, False),
        (Equals(Q("a"), "yes"), {}, False),
        (Equals(Q("a"), "yes"), {"a": None}, False),
        (Equals(Q("a"), 3), {"a": 3}, True),
        (Equals(Q("a"), 3), {"a": 3.0}, True),
        (Equals(Q("a"), 3), {"a": "3"}, False),
        (Equals(Q("a"), 1), {"a": True}, False),
        (Equals(Q("a"), True), {"a": 1}, False),
        (Equals(Q("a"), True), {"a": True}, True),
        (Equals(Q("a"), NOT_APPLICABLE), {"a": NOT_APPLICABLE}, True),
        # multiple choice: "equals" means "includes"
        (Equals(Q("m"), "b"), {"m": ["a", "b"]}, True),
        (Equals(Q("m"), "c"), {"m": ["a", "b"]}, False),
        (Equals(Q("m"), "a"), {"m": []}, False),
        (Equals(Q("m"), "a"), {"m": ("a",)}, True),
        (In(Q("a"), ("x", "y")), {"a": "y"}, True),
        (In(Q("a"), ("x", "y")), {"a": "z"}, False),
        (In(Q("a"), (1, 2)), {}, False),
        (In(Q("m"), ("x", "y")), {"m": ["z", "y"]}, True),
        (In(Q("m"), ("x", "y")), {"m": ["z"]}, False),
        (Answered(Q("a")), {"a": 0}, True),
        (Answered(Q("a")), {"a": NOT_APPLICABLE}, True),
        (Answered(Q("a")), {"a": ""}, False),
        (Answered(Q("a")), {"a": []}, False),
        (Answered(Q("a")), {"a": None}, False),
        (Answered(Q("a")), {}, False),
        (Not(Equals(Q("a"), "yes")), {}, True),
        (Not(Equals(Q("a"), "yes")), {"a": "yes"}, False),
        (All((Answered(Q("a")), Equals(Q("b"), 2))), {"a": "x", "b": 2}, True),
        (All((Answered(Q("a")), Equals(Q("b"), 2))), {"a": "x", "b": 1}, False),
        (AnyOf((Answered(Q("a")), Equals(Q("b"), 2))), {"b": 2}, True),
        (AnyOf((Answered(Q("a")), Equals(Q("b"), 2))), {"b": 1}, False),
        (Not(AnyOf((Not(Answered(Q("a"))), Equals(Q("b"), 2)))), {"a": 1, "b": 1}, True),
    ],
)
def test_evaluate(condition: instrument.Condition, answers: dict[str, Any], expected: bool) -> None:
    assert instrument.evaluate(condition, answers) is expected


@pytest.mark.parametrize(
    ("value", "answered"),
    [
        (None, False),
        ("", False),
        ([], False),
        ((), False),
        (set(), False),
        ("x", True),
        (0, True),
        (0.0, True),
        (["a"], True),
        (NOT_APPLICABLE, True),
        (False, True),
    ],
)
def test_is_answered(value: Any, answered: bool) -> None:
    assert instrument.is_answered(value) is answered


# -- visibility and prune ----------------------------------------------------------------------------


def test_visibility_of_the_minimal_instrument(demo: instrument.Instrument) -> None:
    seen = instrument.visibility(demo, {})
    assert seen.sections == (0,)
    assert seen.items == {"q1", "q2", "q3", "q4"}
    assert not seen.section_visible(1)

    seen = instrument.visibility(demo, {"q1": 3, "q2": "yes", "q7": 1})
    assert seen.sections == (0, 1)
    assert seen.items == {"q1", "q2", "q3", "q4", "q5", "q6", "q7"}  # q8: q7 in (1, 2)
    assert seen.section_visible(1)

    seen = instrument.visibility(demo, {"q1": NOT_APPLICABLE, "q2": "no", "q7": 3})
    assert seen.items == {"q1", "q2", "q3", "q4", "q6", "q7", "q8"}


def test_hiding_cascades_through_items_and_sections() -> None:
    inst = instrument.load(cascade_doc())
    everything = {"q1": "yes", "q2": "why", "q3": "go", "q4": 1, "q5": "end"}
    assert instrument.visibility(inst, everything).items == {"q1", "q2", "q3", "q4", "q5"}

    # q1 is no: q2 is hidden, so its answer does not count and q3 is hidden too, and with it
    # section s2 (which asks for q3) and s3 (which asks for q4 in s2)
    answers = {**everything, "q1": "no"}
    seen = instrument.visibility(inst, answers)
    assert seen.items == {"q1"}
    assert seen.sections == (0,)
    assert instrument.prune(inst, answers) == {"q1": "no"}


def test_prune_keeps_visible_answered_items_in_document_order(demo: instrument.Instrument) -> None:
    answers = {"q8": 4, "q7": 1, "q5": "mentor", "q3": [], "q2": "no", "q1": 2, "q4": 0}
    pruned = instrument.prune(demo, answers)
    # q5 hidden (q2 is no), q8 hidden (q7 is 1), q3 unanswered (empty list)
    assert pruned == {"q1": 2, "q2": "no", "q4": 0, "q7": 1}
    assert list(pruned) == ["q1", "q2", "q4", "q7"]


def test_prune_drops_a_whole_hidden_section(demo: instrument.Instrument) -> None:
    assert instrument.prune(demo, {"q6": 4, "q7": 4, "q8": 4}) == {}


# -- answers.response_problems -----------------------------------------------------------------------


def full_response(**changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "q1": 3,
        "q2": "yes",
        "q3": ["a", "c"],
        "q4": 12,
        "q5": "mentoring",
        "q6": 2,
        "q7": 4,
        "q8": NOT_APPLICABLE,
    }
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not ...}


def test_a_complete_response_has_no_problems(demo: instrument.Instrument) -> None:
    assert instrument.response_problems(demo, full_response()) == {}


@pytest.mark.parametrize(
    ("changes", "item_id", "fragment"),
    [
        ({"q1": 5}, "q1", "5 is not a point of scale 'agree'"),
        ({"q1": 0}, "q1", "not a point"),
        ({"q1": True}, "q1", "not a point"),
        ({"q1": 3.0}, "q1", "not a point"),
        ({"q1": "3"}, "q1", "not a point"),
        ({"q2": "maybe", "q5": ...}, "q2", "not one of the options"),
        ({"q3": "a"}, "q3", "not a list of the options"),
        ({"q3": ["a", "z"]}, "q3", "not a list of the options"),
        ({"q3": ["a", "a"]}, "q3", "chosen twice"),
        ({"q4": -1}, "q4", "below the minimum 0"),
        ({"q4": 101}, "q4", "above the maximum 100"),
        ({"q4": 2.5}, "q4", "not a whole number"),
        ({"q4": float("nan")}, "q4", "not a number"),
        ({"q4": float("inf")}, "q4", "not a number"),
        ({"q4": True}, "q4", "not a number"),
        ({"q4": "12"}, "q4", "not a number"),
        ({"q4": 10**400}, "q4", "above the maximum"),
        ({"q5": "x" * 201}, "q5", "longer than 200 characters"),
        ({"q5": 7}, "q5", "not text"),
        ({"q9": "extra"}, "q9", "not an item of this instrument"),
        ({"q2": "no"}, "q5", "hidden"),  # q5 is shown only if q2 is yes
        ({"q7": 1}, "q8", "hidden"),
        ({"q1": ..., "q6": ..., "q7": ..., "q8": ...}, "q1", "required"),
        ({"q1": "", "q6": ..., "q7": ..., "q8": ...}, "q1", "required"),
    ],
)
def test_response_problems(
    demo: instrument.Instrument, changes: dict[str, Any], item_id: str, fragment: str
) -> None:
    problems = instrument.response_problems(demo, full_response(**changes))
    assert list(problems) == [item_id]
    assert fragment in problems[item_id]


def test_a_likert_na_needs_a_scale_that_offers_it(minimal_doc: Any) -> None:
    doc = minimal_doc()
    del doc["scales"]["agree"]["not_applicable"]
    doc["sections"][1]["items"][2]["show_if"] = {"item": "q7", "in": [1, 2]}
    inst = instrument.load(doc)
    problems = instrument.response_problems(inst, full_response(q7=1, q8=NOT_APPLICABLE))
    assert problems == {"q8": "'na' is not a point of scale 'agree'"}


def test_empty_answers_to_hidden_items_are_not_problems(demo: instrument.Instrument) -> None:
    """A form posts blank fields for questions it hid; they are no answers at all."""
    answers = full_response(q2="no", q5="", q7=2, q8=None)
    assert instrument.response_problems(demo, answers) == {}


def test_required_applies_only_to_visible_items() -> None:
    inst = instrument.load(cascade_doc())
    assert instrument.response_problems(inst, {"q1": "no"}) == {}
    problems = instrument.response_problems(inst, {"q1": "yes", "q2": "x", "q3": "go"})
    assert problems == {"q4": "required"}
    problems = instrument.response_problems(inst, {"q1": "yes", "q2": "x", "q3": "go", "q4": 0})
    assert problems == {"q5": "required"}


def test_demographic_items_are_never_required(minimal_doc: Any) -> None:
    doc = minimal_doc()
    doc["sections"][0]["items"][1]["required"] = True  # q2, demographic
    doc["sections"][0]["items"][2]["required"] = True  # q3, not demographic
    inst = instrument.load(doc)
    q2, q3 = inst.item("q2"), inst.item("q3")
    assert q2.required
    assert not instrument.is_required(q2)
    assert instrument.is_required(q3)
    assert instrument.response_problems(inst, full_response(q2=..., q5=..., q3=...)) == {
        "q3": "required"
    }


def test_required_is_not_checked_for_partial_responses(demo: instrument.Instrument) -> None:
    assert instrument.response_problems(demo, {"q4": 3}, check_required=False) == {}
    assert instrument.response_problems(demo, {"q4": 3}) == {"q1": "required"}


def test_answer_problem_accepts_tuples_for_multiple_choice(demo: instrument.Instrument) -> None:
    assert instrument.answer_problem(demo, demo.item("q3"), ("a", "b")) is None
    assert instrument.answer_problem(demo, demo.item("q4"), 10**400) is not None
    assert instrument.answer_problem(demo, demo.item("q4"), 7.0) is None


# -- Text ----------------------------------------------------------------------------------------------


def test_text_get_falls_back_to_the_default_language() -> None:
    text = Text.of({"es": "Hola", "en": "Hello"}, ("en", "es"))
    assert text.translations == (("en", "Hello"), ("es", "Hola"))
    assert text.get("es") == "Hola"
    assert text.get("en") == "Hello"
    assert text.get("fr") == "Hello"
    assert text.get(None) == "Hello"
    assert text.get() == "Hello"
    assert str(text) == "Hello"
    assert text.as_dict() == {"en": "Hello", "es": "Hola"}
    assert Text(()).get("en") == ""


def test_a_plain_string_is_the_text_in_every_language() -> None:
    assert Text.of("Hi", ("es", "en")) == Text((("es", "Hi"), ("en", "Hi")))
    assert Text.of("Hi", ("es", "en")).get("fr") == "Hi"


def test_loaded_texts_follow_the_instruments_languages(minimal_doc: Any) -> None:
    inst = instrument.load(minimal_doc(("es", "en")))
    assert inst.default_language == Language("es")
    q1 = inst.item("q1")
    assert q1.text.get() == "Leaders talk about race equity."
    assert q1.text.get("en") == "Leaders talk about race equity. [en]"
    assert q1.text.get("ht") == q1.text.get("es")


# -- Scale ---------------------------------------------------------------------------------------------


def scale(*values: int, favorable: tuple[int, ...] | None = None) -> Scale:
    label = Text.of("x", ("en",))
    vals = tuple(values)
    return Scale(
        ScaleId("s"),
        tuple(Point(v, label) for v in vals),
        None,
        default_favorable(vals) if favorable is None else favorable,
    )


@pytest.mark.parametrize(
    ("values", "pairs"),
    [
        ((1, 2, 3, 4), [(1, 4), (2, 3), (3, 2), (4, 1)]),
        ((1, 2, 3, 4, 5), [(1, 5), (3, 3), (5, 1)]),
        ((0, 1), [(0, 1), (1, 0)]),
        ((0, 1, 3), [(0, 3), (1, 1), (3, 0), (2, 1)]),  # 2 is no point: min + max - value
        ((-2, 0, 2), [(-2, 2), (0, 0)]),
    ],
)
def test_scale_reverse(values: tuple[int, ...], pairs: list[tuple[int, int]]) -> None:
    s = scale(*values)
    for value, reversed_value in pairs:
        assert s.reverse(value) == reversed_value


@settings(max_examples=100, deadline=None)
@given(st.sets(st.integers(-50, 50), min_size=2, max_size=9))
def test_reverse_maps_points_to_points_and_undoes_itself(values: set[int]) -> None:
    s = scale(*sorted(values))
    for v in s.values:
        assert s.reverse(v) in s.values
        assert s.reverse(s.reverse(v)) == v
    assert s.reverse(s.min) == s.max
    # order is reversed
    assert [s.reverse(v) for v in s.values] == sorted(s.values, reverse=True)


@pytest.mark.parametrize(
    ("values", "favorable"),
    [
        ((1, 2), (2,)),
        ((1, 2, 3), (3,)),
        ((1, 2, 3, 4), (3, 4)),
        ((0, 1, 2, 3, 4), (3, 4)),
        ((1, 2, 3, 4, 5, 6, 7), (6, 7)),
        ((0, 5, 10, 20), (10, 20)),
    ],
)
def test_default_favorable(values: tuple[int, ...], favorable: tuple[int, ...]) -> None:
    assert default_favorable(values) == favorable


def test_loaded_scales_get_the_default_or_the_declared_favorable_set(minimal_doc: Any) -> None:
    doc = minimal_doc()
    assert instrument.load(doc).scale("agree").favorable == (3, 4)
    doc["scales"]["three"] = {
        "points": [{"value": v, "label": str(v)} for v in (1, 2, 3)],
    }
    doc["scales"]["agree"]["favorable"] = [4, 2, 4]
    inst = instrument.load(doc)
    assert inst.scale("three").favorable == (3,)
    assert inst.scale("agree").favorable == (2, 4)


def test_scale_accessors(demo: instrument.Instrument) -> None:
    agree = demo.scale("agree")
    assert agree.values == (1, 2, 3, 4)
    assert (agree.min, agree.max) == (1, 4)
    assert agree.label(2) == "Disagree"
    assert agree.not_applicable is not None
    assert agree.not_applicable.get() == "Don't know"
    with pytest.raises(KeyError):
        agree.label(9)


# -- Instrument ----------------------------------------------------------------------------------


def test_instrument_lookups(demo: instrument.Instrument) -> None:
    assert demo.key == "demo@2024-1"
    assert [i.id for i in demo.items] == [f"q{n}" for n in range(1, 9)]
    assert demo.item("q4").type == "number"
    assert demo.has_item("q8")
    assert not demo.has_item("q9")
    with pytest.raises(KeyError):
        demo.item("q9")
    with pytest.raises(KeyError):
        demo.scale("nope")
    with pytest.raises(KeyError):
        demo.focus_area("nope")
    assert demo.focus_area("fa2").title.get() == "Data"
    assert [i.id for i in demo.likert_items] == ["q1", "q6", "q7", "q8"]
    assert [i.id for i in demo.scored_items("fa1")] == ["q1", "q6"]
    assert [i.id for i in demo.scored_items("fa2")] == ["q7", "q8"]
    assert demo.scored_items("nope") == ()
    assert [i.id for i in demo.demographic_items] == ["q2"]
    q6 = demo.item("q6")
    assert isinstance(q6, instrument.LikertItem)
    assert q6.reverse


def test_instruments_are_immutable(demo: instrument.Instrument) -> None:
    with pytest.raises(AttributeError):
        demo.version = "2"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        demo.items[0].text = Text(())  # type: ignore[misc]


def test_model_values_are_the_documents(demo: instrument.Instrument) -> None:
    q4 = demo.item("q4")
    assert isinstance(q4, instrument.NumberItem)
    assert (q4.min, q4.max, q4.integer) == (0, 100, True)
    q5 = demo.item("q5")
    assert isinstance(q5, instrument.TextItem)
    assert q5.max_length == 200
    assert q5.show_if == Equals(Q("q2"), "yes")
    assert demo.sections[1].show_if == Answered(Q("q1"))
    assert demo.item("q8").show_if == Not(In(Q("q7"), (1, 2)))


def _swap_q3_q4(doc: dict[str, Any]) -> None:
    items = doc["sections"][0]["items"]
    items[2], items[3] = items[3], items[2]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(version="2024-2"),
        lambda d: d["sections"][1]["items"][0].update(reverse=False),
        lambda d: d["scales"]["agree"].update(favorable=[4]),
        lambda d: d["sections"][0]["items"][3].update(max=99),
        lambda d: d["scales"]["agree"]["points"][0].update(label="Strongly Disagree"),
        lambda d: d.update(languages=["en", "es"], title={"en": "T", "es": "T"}) or None,
        _swap_q3_q4,
    ],
    ids=["version", "reverse", "favorable", "max", "label", "languages", "order"],
)
def test_the_hash_changes_with_meaning(minimal_doc: Any, change: Any) -> None:
    base = instrument.load(minimal_doc()).content_hash
    doc = minimal_doc()
    change(doc)
    result = instrument.validate(doc)
    assert result.instrument is not None, result.problems
    assert result.instrument.content_hash != base


def test_whole_floats_and_defaults_do_not_change_the_hash(minimal_doc: Any) -> None:
    base = instrument.load(minimal_doc()).content_hash
    doc = minimal_doc()
    doc["sections"][0]["items"][3].update(min=0.0, max=100.0)
    doc["scales"]["agree"]["favorable"] = [3, 4]  # the default, written out
    doc["sections"][0]["items"][1]["required"] = False
    doc["sections"][0]["items"][2]["help"] = {"en": "Choose every one that applies."}
    doc["languages"] = ["en"]
    assert instrument.load(doc).content_hash == base


# -- JSON Schema -----------------------------------------------------------------------------------


def test_the_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == instrument.json_schema_text(), (
        "regenerate it: .venv/bin/repp schema > questionnaires/instrument.schema.json"
    )


def test_the_schema_is_valid_draft_2020_12() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(instrument.json_schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft202012Validator


def test_the_schema_accepts_valid_documents(minimal_doc: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(instrument.json_schema())
    for languages in (("en",), ("en", "es")):
        doc = minimal_doc(languages)
        assert list(validator.iter_errors(doc)) == []
        assert list(validator.iter_errors(instrument.dump(instrument.load(doc)))) == []
    doc = minimal_doc()
    doc["$schema"] = "./instrument.schema.json"
    assert list(validator.iter_errors(doc)) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["sections"][0]["items"][0].update(scal="agree"),
        lambda d: d["sections"][0]["items"][0].pop("scale"),
        lambda d: d["sections"][0]["items"][1].update(reverse=True),
        lambda d: d["sections"][0]["items"][3].update(type="slider"),
        lambda d: d["sections"][0]["items"][2].update(options=[{"value": "a", "label": "A"}]),
        lambda d: d["scales"]["agree"]["points"][0].update(value=1.5),
        lambda d: d["sections"][0]["items"][4].update(show_if={"item": "q2"}),
        lambda d: d["sections"][0]["items"][0].update(id="1st"),
        lambda d: d.update(format="repp-instrument/2"),
        lambda d: d.pop("version"),
        lambda d: d.update(languages=["en", "en"]),
        lambda d: d["focus_areas"][0].update(title={"EN": "x"}),
    ],
    ids=[
        "typo",
        "likert-without-scale",
        "reverse-on-choice",
        "unknown-type",
        "one-option",
        "fractional-point",
        "bad-condition",
        "bad-id",
        "format",
        "no-version",
        "duplicate-language",
        "bad-language-key",
    ],
)
def test_the_schema_rejects_what_the_validator_rejects(minimal_doc: Any, change: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(instrument.json_schema())
    doc = minimal_doc()
    change(doc)
    assert not instrument.validate(doc).ok
    assert list(validator.iter_errors(doc)) != []
