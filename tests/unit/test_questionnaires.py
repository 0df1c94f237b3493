"""The bundled questionnaires: each validates cleanly and keeps the shape the program relies on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import instrument
import questionnaires
from instrument import (
    Instrument,
    LikertItem,
    MultipleChoiceItem,
    SingleChoiceItem,
    Text,
    TextItem,
)

HERE = Path(__file__).resolve().parents[2] / "questionnaires"
SELF_ASSESSMENT = "repp-org-self-assessment"
READINESS = "repp-leadership-readiness"
BUNDLED = questionnaires.list_bundled()


def texts(inst: Instrument) -> Iterator[tuple[str, Text]]:
    """Yield every piece of text of an instrument with a readable location."""
    yield "title", inst.title
    if inst.description is not None:
        yield "description", inst.description
    for scale in inst.scales:
        for point in scale.points:
            yield f"scale {scale.id} point {point.value}", point.label
        if scale.not_applicable is not None:
            yield f"scale {scale.id} not_applicable", scale.not_applicable
    for area in inst.focus_areas:
        yield f"focus area {area.id} title", area.title
        if area.description is not None:
            yield f"focus area {area.id} description", area.description
    for s, section in enumerate(inst.sections):
        yield f"section {section.id or s} title", section.title
        if section.intro is not None:
            yield f"section {section.id or s} intro", section.intro
        for item in section.items:
            yield f"item {item.id} text", item.text
            if item.help is not None:
                yield f"item {item.id} help", item.help
            if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
                for option in item.options:
                    yield f"item {item.id} option {option.value}", option.label


def untranslated(inst: Instrument) -> list[str]:
    """Return where a text is blank in English or Spanish, or the Spanish merely repeats it."""
    out = []
    for where, text in texts(inst):
        values = text.as_dict()
        en, es = values.get("en", "").strip(), values.get("es", "").strip()
        if not en or not es or en.casefold() == es.casefold():
            out.append(where)
    return out


def reverse_counts(inst: Instrument) -> Counter[str]:
    return Counter(i.focus_area or "" for i in inst.likert_items if i.reverse)


@pytest.fixture(scope="module")
def self_assessment() -> Instrument:
    return questionnaires.load(SELF_ASSESSMENT)


@pytest.fixture(scope="module")
def readiness() -> Instrument:
    return questionnaires.load(READINESS)


# -- every bundled instrument ----------------------------------------------------------------------


def test_both_instruments_are_bundled() -> None:
    assert {SELF_ASSESSMENT, READINESS} <= set(BUNDLED)


@pytest.mark.parametrize("instrument_id", BUNDLED)
def test_bundled_file_validates_without_problems_or_warnings(instrument_id: str) -> None:
    result = instrument.validate(HERE / f"{instrument_id}.json")
    assert result.problems == ()
    assert result.warnings == ()
    assert result.instrument is not None
    assert result.instrument.id == instrument_id


@pytest.mark.parametrize("instrument_id", BUNDLED)
def test_load_returns_the_instrument_named_by_its_file(instrument_id: str) -> None:
    inst = questionnaires.load(instrument_id)
    assert inst.id == instrument_id
    assert inst.version == "1.0"
    assert inst.languages == ("en", "es")


def test_loading_an_unknown_instrument_raises_key_error() -> None:
    with pytest.raises(KeyError, match="nope"):
        questionnaires.load("nope")


@pytest.mark.parametrize("instrument_id", BUNDLED)
def test_content_hash_is_stable_across_loads(instrument_id: str) -> None:
    first = questionnaires.load(instrument_id)
    second = questionnaires.load(instrument_id)
    from_path = instrument.load(HERE / f"{instrument_id}.json")
    assert first is not second
    assert first.content_hash == second.content_hash == from_path.content_hash
    assert first.content_hash.startswith("sha256:")


def test_the_instruments_have_different_hashes() -> None:
    hashes = {questionnaires.load(i).content_hash for i in BUNDLED}
    assert len(hashes) == len(BUNDLED)


@pytest.mark.parametrize("instrument_id", BUNDLED)
def test_every_text_is_translated(instrument_id: str) -> None:
    inst = questionnaires.load(instrument_id)
    assert untranslated(inst) == []
    for _, text in texts(inst):
        assert set(text.as_dict()) == {"en", "es"}


def test_a_copied_english_text_counts_as_untranslated() -> None:
    doc: dict[str, Any] = questionnaires.read(SELF_ASSESSMENT)
    item = doc["sections"][0]["items"][0]
    item["text"]["es"] = item["text"]["en"]
    assert untranslated(instrument.load(doc)) == [f"item {item['id']} text"]


@pytest.mark.parametrize("instrument_id", BUNDLED)
def test_likert_items_are_optional_scored_and_named_after_their_section(
    instrument_id: str,
) -> None:
    inst = questionnaires.load(instrument_id)
    for section in inst.sections:
        for item in section.items:
            if isinstance(item, LikertItem):
                assert item.required is False, item.id
                assert item.focus_area is not None, item.id
                assert item.scale == "agreement", item.id
                assert item.id.startswith(f"{section.id}_"), item.id


@pytest.mark.parametrize("instrument_id", BUNDLED)
def test_agreement_scale_runs_from_strongly_disagree_to_strongly_agree(
    instrument_id: str,
) -> None:
    scale = questionnaires.load(instrument_id).scale("agreement")
    assert scale.values == (1, 2, 3, 4, 5)
    assert scale.label(1, "en") == "Strongly disagree"
    assert scale.label(5, "en") == "Strongly agree"
    assert scale.favorable == scale.values[-2:]
    assert scale.not_applicable is not None
    assert scale.not_applicable.as_dict() == {"en": "Don't know", "es": "No sé"}


@pytest.mark.parametrize("instrument_id", BUNDLED)
def test_focus_areas_have_a_one_sentence_description(instrument_id: str) -> None:
    for area in questionnaires.load(instrument_id).focus_areas:
        assert area.description is not None, area.id
        for lang, sentence in area.description.as_dict().items():
            assert sentence.endswith("."), (area.id, lang)
            assert ". " not in sentence, (area.id, lang)


@pytest.mark.parametrize("instrument_id", BUNDLED)
def test_every_section_has_an_id_and_an_intro(instrument_id: str) -> None:
    for section in questionnaires.load(instrument_id).sections:
        assert section.id is not None
        assert section.intro is not None, section.id


# -- the organizational self-assessment ------------------------------------------------------------


def test_self_assessment_covers_the_program_focus_areas(self_assessment: Instrument) -> None:
    ids = {a.id for a in self_assessment.focus_areas}
    required = {"leadership", "workforce", "culture", "policy", "data", "engagement", "training"}
    assert required <= ids
    assert 7 <= len(ids) <= 9


def test_self_assessment_scores_four_to_six_items_per_focus_area(
    self_assessment: Instrument,
) -> None:
    counts = {a.id: len(self_assessment.scored_items(a.id)) for a in self_assessment.focus_areas}
    assert all(4 <= n <= 6 for n in counts.values()), counts
    assert sum(counts.values()) == len(self_assessment.likert_items)


def test_self_assessment_reverse_items_are_spread_out(self_assessment: Instrument) -> None:
    counts = reverse_counts(self_assessment)
    assert sum(counts.values()) >= 3
    assert max(counts.values()) <= 2, counts
    # Roughly one per focus area: most areas carry a reverse-worded item.
    assert len(counts) >= len(self_assessment.focus_areas) // 2


def test_reverse_counts_notice_a_crowded_focus_area() -> None:
    doc: dict[str, Any] = questionnaires.read(SELF_ASSESSMENT)
    items = doc["sections"][0]["items"]
    for item in items:
        item["reverse"] = True
    counts = reverse_counts(instrument.load(doc))
    assert counts[items[0]["focus_area"]] == len(items) > 2


def test_self_assessment_asks_four_optional_demographic_questions_last(
    self_assessment: Instrument,
) -> None:
    demographic = self_assessment.demographic_items
    assert {i.id for i in demographic} == {"demo_role", "demo_race", "demo_tenure", "demo_unit"}
    assert not any(i.required for i in demographic)
    last = self_assessment.sections[-1]
    assert last.items == demographic
    assert last.intro is not None
    intro = last.intro.get("en")
    assert "optional" in intro
    assert "at least five" in intro


def test_demographic_options_are_coarse_short_ids(self_assessment: Instrument) -> None:
    for item in self_assessment.demographic_items:
        assert 3 <= len(item.options) <= 6, item.id
        for value in item.option_values:
            assert value.replace("_", "").isalnum(), (item.id, value)
            assert len(value) <= 16, (item.id, value)


def test_race_and_ethnicity_offers_prefer_not_to_say(self_assessment: Instrument) -> None:
    race = self_assessment.item("demo_race")
    assert isinstance(race, SingleChoiceItem)
    labels = {o.value: o.label.get("en") for o in race.options}
    assert labels.get("prefer_not") == "Prefer not to say"
    assert "latine" in labels


def test_tenure_bands_run_from_under_two_to_over_ten_years(self_assessment: Instrument) -> None:
    tenure = self_assessment.item("demo_tenure")
    assert isinstance(tenure, SingleChoiceItem)
    labels = [o.label.get("en") for o in tenure.options]
    assert labels[0].startswith("Less than 2")
    assert labels[-1].startswith("More than 10")
    assert len(labels) == 4


def test_self_assessment_has_two_open_questions_in_their_own_section(
    self_assessment: Instrument,
) -> None:
    text_items = [i for i in self_assessment.items if isinstance(i, TextItem)]
    assert len(text_items) == 2
    assert all(i.max_length is not None and i.max_length >= 500 for i in text_items)
    assert not any(i.required for i in text_items)
    sections = [s for s in self_assessment.sections if any(i in text_items for i in s.items)]
    assert len(sections) == 1
    assert list(sections[0].items) == text_items
    # The open questions come just before "About you".
    assert self_assessment.sections[-2] == sections[0]


def test_self_assessment_items_are_all_scored_open_or_demographic(
    self_assessment: Instrument,
) -> None:
    for item in self_assessment.items:
        scored = isinstance(item, LikertItem)
        demographic = isinstance(item, SingleChoiceItem) and item.demographic
        assert scored or demographic or isinstance(item, TextItem), item.id


def test_self_assessment_description_says_it_is_anonymous(self_assessment: Instrument) -> None:
    assert self_assessment.description is not None
    assert "anonymous" in self_assessment.description.get("en")
    assert "anónima" in self_assessment.description.get("es")


# -- the leadership readiness questionnaire -------------------------------------------------------


def test_readiness_has_the_four_focus_areas(readiness: Instrument) -> None:
    assert [a.id for a in readiness.focus_areas] == [
        "commitment",
        "capacity",
        "priorities",
        "expectations",
    ]


def test_readiness_scores_three_or_four_items_per_focus_area(readiness: Instrument) -> None:
    counts = {a.id: len(readiness.scored_items(a.id)) for a in readiness.focus_areas}
    assert all(3 <= n <= 4 for n in counts.values()), counts
    assert 12 <= len(readiness.likert_items) <= 16
    assert sum(reverse_counts(readiness).values()) >= 1


def test_readiness_has_one_or_two_open_questions(readiness: Instrument) -> None:
    text_items = [i for i in readiness.items if isinstance(i, TextItem)]
    assert 1 <= len(text_items) <= 2
    assert not readiness.demographic_items


def test_readiness_offers_the_self_assessment_focus_areas(
    readiness: Instrument, self_assessment: Instrument
) -> None:
    item = readiness.item("expected_areas")
    assert isinstance(item, MultipleChoiceItem)
    offered = {o.value: o.label for o in item.options if o.value != "not_sure"}
    areas = {a.id: a.title for a in self_assessment.focus_areas}
    assert offered == areas
