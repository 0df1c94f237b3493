"""Property tests: every valid instrument loads and round-trips; no document makes `load` crash.

`instruments()` builds valid documents of every shape the format allows: one to three languages,
TEXT as plain strings or full mappings, scales with uneven values and optional N/A and favorable,
every focus area scored, every item type, and `show_if` conditions (nested all/any/not) that
refer only backwards and compare only with values the referenced item can take.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import instrument
from instrument import InstrumentError
from instrument.checks import RESERVED_ITEM_IDS
from instrument.paths import format_path

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LANGUAGES = ["en", "es", "pt-BR", "ht", "zh"]
ID_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ID_REST = ID_FIRST + "0123456789_-"

ids = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(ID_FIRST),
    st.text(alphabet=ID_REST, max_size=6),
).filter(lambda value: value not in RESERVED_ITEM_IDS)
#: Short strings with some of what real texts hold: accents, other scripts, quotes, inner spaces.
plain_text = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("aZ0é中\"'"),
    st.text(alphabet="aZ0 é–ñ中\"'\\", max_size=7),
)


@functools.cache
def _texts(languages: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return plain_text | st.fixed_dictionaries({lang: plain_text for lang in languages})


def texts(languages: list[str]) -> st.SearchStrategy[Any]:
    """TEXT: a plain string, or a mapping holding every language."""
    return _texts(tuple(languages))


def maybe(
    draw: st.DrawFn, target: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]
) -> None:
    if draw(st.booleans()):
        target[key] = draw(strategy)


@st.composite
def scales(draw: st.DrawFn, languages: list[str]) -> dict[str, Any]:
    values = sorted(draw(st.sets(st.integers(-3, 10), min_size=2, max_size=5)))
    scale: dict[str, Any] = {
        "points": [{"value": v, "label": draw(texts(languages))} for v in values]
    }
    if draw(st.booleans()):
        scale["not_applicable"] = {"label": draw(texts(languages))}
    if draw(st.booleans()):
        scale["favorable"] = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3))
    return scale


def answers_of(node: dict[str, Any], scales_by_id: dict[str, Any]) -> list[Any]:
    """Return values an item's answer can equal (empty when any string or number can)."""
    kind = node["type"]
    if kind == "likert":
        scale = scales_by_id[node["scale"]]
        values: list[Any] = [p["value"] for p in scale["points"]]
        if "not_applicable" in scale:
            values.append(instrument.NOT_APPLICABLE)
        return values
    if kind in ("single_choice", "multiple_choice"):
        return [o["value"] for o in node["options"]]
    return []


@st.composite
def conditions(
    draw: st.DrawFn, earlier: list[dict[str, Any]], scales_by_id: dict[str, Any], depth: int = 0
) -> dict[str, Any]:
    """A COND referring only to `earlier` items, comparing only with values they can take."""
    if depth < 2 and draw(st.integers(0, 3)) == 0:
        kind = draw(st.sampled_from(["all", "any", "not"]))
        sub = conditions(earlier, scales_by_id, depth + 1)
        if kind == "not":
            return {"not": draw(sub)}
        return {kind: draw(st.lists(sub, min_size=1, max_size=3))}
    target = draw(st.sampled_from(earlier))
    allowed = answers_of(target, scales_by_id)
    if target["type"] == "number":
        value = st.one_of(
            st.integers(-100, 100), st.floats(-100, 100, allow_nan=False, allow_infinity=False)
        )
    elif target["type"] == "text":
        value = plain_text
    else:
        value = st.sampled_from(allowed)
    form = draw(st.sampled_from(["equals", "in", "answered"]))
    if form == "answered":
        return {"item": target["id"], "answered": True}
    if form == "in":
        return {"item": target["id"], "in": draw(st.lists(value, min_size=1, max_size=3))}
    return {"item": target["id"], "equals": draw(value)}


@st.composite
def options(draw: st.DrawFn, languages: list[str]) -> list[dict[str, Any]]:
    values = draw(st.lists(plain_text, min_size=2, max_size=5, unique=True))
    return [{"value": v, "label": draw(texts(languages))} for v in values]


@st.composite
def items(
    draw: st.DrawFn,
    item_id: str,
    kind: str,
    languages: list[str],
    scales_by_id: dict[str, Any],
    area: str | None,
    area_ids: list[str],
) -> dict[str, Any]:
    node: dict[str, Any] = {"id": item_id, "type": kind, "text": draw(texts(languages))}
    maybe(draw, node, "help", texts(languages))
    maybe(draw, node, "required", st.booleans())
    if kind == "likert":
        node["scale"] = draw(st.sampled_from(sorted(scales_by_id)))
        if area is not None:
            node["focus_area"] = area
        else:
            maybe(draw, node, "focus_area", st.sampled_from(area_ids))
        maybe(draw, node, "reverse", st.booleans())
    elif kind in ("single_choice", "multiple_choice"):
        node["options"] = draw(options(languages))
        if kind == "single_choice":
            maybe(draw, node, "demographic", st.booleans())
    elif kind == "number":
        bounds = sorted(
            draw(
                st.lists(
                    st.one_of(
                        st.integers(-1000, 1000),
                        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
                    ),
                    min_size=2,
                    max_size=2,
                )
            )
        )
        if draw(st.booleans()):
            node["min"] = bounds[0]
        if draw(st.booleans()):
            node["max"] = bounds[1]
        maybe(draw, node, "integer", st.booleans())
    else:
        maybe(draw, node, "max_length", st.integers(1, 10_000))
    return node


@st.composite
def instruments(draw: st.DrawFn) -> dict[str, Any]:
    """A valid `repp-instrument/1` document."""
    languages = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True))
    scale_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    scales_by_id = {sid: draw(scales(languages)) for sid in scale_ids}
    area_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    kinds = [
        *(("likert", area) for area in area_ids),  # every focus area is scored at least once
        *(
            (kind, None)
            for kind in draw(st.lists(st.sampled_from(instrument.ITEM_TYPES), max_size=6))
        ),
    ]
    kinds = draw(st.permutations(kinds))
    item_ids = draw(st.lists(ids, min_size=len(kinds), max_size=len(kinds), unique=True))
    nodes: list[dict[str, Any]] = []
    for item_id, (kind, area) in zip(item_ids, kinds, strict=True):
        node = draw(items(item_id, kind, languages, scales_by_id, area, area_ids))
        if nodes and draw(st.integers(0, 2)) == 0:
            node["show_if"] = draw(conditions(nodes, scales_by_id))
        nodes.append(node)
    cuts = (
        sorted(draw(st.sets(st.integers(1, len(nodes) - 1), max_size=3))) if len(nodes) > 1 else []
    )
    bounds = [0, *cuts, len(nodes)]
    section_ids = draw(
        st.lists(ids, min_size=len(bounds) - 1, max_size=len(bounds) - 1, unique=True)
    )
    sections = []
    for s, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
        section: dict[str, Any] = {"title": draw(texts(languages)), "items": nodes[start:end]}
        if draw(st.booleans()):
            section["id"] = section_ids[s]
        maybe(draw, section, "intro", texts(languages))
        if start > 0 and draw(st.integers(0, 2)) == 0:
            section["show_if"] = draw(conditions(nodes[:start], scales_by_id))
        sections.append(section)
    doc: dict[str, Any] = {
        "format": instrument.FORMAT,
        "id": draw(ids),
        "version": draw(plain_text),
        "title": draw(texts(languages)),
        "scales": scales_by_id,
        "focus_areas": [{"id": area, "title": draw(texts(languages))} for area in area_ids],
        "sections": sections,
    }
    maybe(draw, doc, "description", texts(languages))
    for area in doc["focus_areas"]:
        maybe(draw, area, "description", texts(languages))
    if languages != ["en"] or draw(st.booleans()):
        doc["languages"] = languages
    return doc


# -- helpers ---------------------------------------------------------------------------------------


def text_slots(doc: dict[str, Any]) -> Iterator[tuple[Any, Any]]:
    """Yield (container, key) for every TEXT of a valid document."""
    for key in ("title", "description"):
        if key in doc:
            yield doc, key
    for scale in doc["scales"].values():
        for point in scale["points"]:
            yield point, "label"
        if "not_applicable" in scale:
            yield scale["not_applicable"], "label"
    for area in doc["focus_areas"]:
        yield area, "title"
        if "description" in area:
            yield area, "description"
    for section in doc["sections"]:
        yield section, "title"
        if "intro" in section:
            yield section, "intro"
        for node in section["items"]:
            yield node, "text"
            if "help" in node:
                yield node, "help"
            for option in node.get("options", []):
                yield option, "label"


def shuffled_keys(value: Any, order: Callable[[list[str]], list[str]]) -> Any:
    """Return a copy of a JSON value with every object's keys in another order."""
    if isinstance(value, dict):
        return {k: shuffled_keys(value[k], order) for k in order(list(value))}
    if isinstance(value, list):
        return [shuffled_keys(v, order) for v in value]
    return value


# -- (a) valid instruments -------------------------------------------------------------------------


@SETTINGS
@given(instruments())
def test_valid_instruments_load_and_round_trip(doc: dict[str, Any]) -> None:
    result = instrument.validate(doc)
    assert result.problems == ()
    inst = result.instrument
    assert inst is not None
    assert len(inst.items) == sum(len(s["items"]) for s in doc["sections"])
    assert {a.id for a in inst.focus_areas} == {
        i.focus_area for i in inst.likert_items if i.focus_area is not None
    }
    # dump -> load gives an equal instrument with an equal hash, and dump is a fixed point
    dumped = instrument.dump(inst)
    again = instrument.load(dumped)
    assert again == inst
    assert again.content_hash == inst.content_hash
    assert instrument.dump(again) == dumped
    # through JSON text too, canonical and pretty
    assert instrument.loads(instrument.canonical_json(inst)) == inst
    assert instrument.loads(instrument.pretty_json(inst)) == inst
    assert inst.content_hash.startswith("sha256:")
    assert len(inst.content_hash) == len("sha256:") + 64
    # the editor schema accepts every valid instrument
    validator = _schema_validator()
    if validator is not None:
        assert [e.message for e in validator.iter_errors(doc)] == []


@functools.cache
def _schema_validator() -> Any:
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - jsonschema is a test dependency
        return None
    return jsonschema.Draft202012Validator(instrument.json_schema())


@SETTINGS
@given(instruments(), st.integers(0, 2**32), st.sampled_from([None, 0, 2, "\t"]), st.data())
def test_hash_ignores_how_the_same_instrument_is_written(
    doc: dict[str, Any], seed: int, indent: Any, data: st.DataObject
) -> None:
    expected = instrument.load(doc).content_hash
    rnd = random.Random(seed)

    # key order and whitespace
    def order(keys: list[str]) -> list[str]:
        rnd.shuffle(keys)
        return keys

    text = json.dumps(shuffled_keys(doc, order), indent=indent, ensure_ascii=rnd.random() < 0.5)
    assert instrument.loads(text).content_hash == expected

    # a text written once for every language means the same as written out per language
    languages = doc.get("languages", ["en"])
    other = copy.deepcopy(doc)
    for container, key in text_slots(other):
        value = container[key]
        if isinstance(value, str):
            container[key] = {lang: value for lang in languages}
        elif len(set(value.values())) == 1 and data.draw(st.booleans()):
            container[key] = next(iter(value.values()))
    assert instrument.load(other).content_hash == expected

    # ...while a change of wording changes the hash
    container, key = next(text_slots(other))
    container[key] = {lang: "A different title" for lang in languages}
    assert instrument.load(other).content_hash != expected


# -- (b) broken documents -------------------------------------------------------------------------------

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**30)
    | st.floats()
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.one_of(st.text(max_size=6), st.integers(), st.none()), inner, max_size=3
        )
    ),
    max_leaves=6,
)
#: Strings that look like what a document holds: ids, types, keys, option values.
lookalikes = st.sampled_from(
    [
        *("q1", "agree", "fa1", "likert", "text", "number", "single_choice", "na", "en", "es"),
        *("", " ", "two\nlines", "lone \ud800 surrogate"),
    ]
)


def nodes(value: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Yield (path, value) for every value in a JSON document, the root first."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, dict):
            stack.extend(((*path, k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))


OWNERS = ("instrument", "item ", "section ", "scale ", "focus area ")


def _exists(doc: Any, parts: tuple[Any, ...]) -> bool:
    for part in parts:
        in_list = isinstance(doc, list) and isinstance(part, int) and 0 <= part < len(doc)
        in_dict = isinstance(doc, dict) and part in doc  # keys of Python-built mappings: any type
        if not (in_list or in_dict):
            return False
        doc = doc[part]
    return True


def at(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document after one to four random changes, the last perhaps a deep nesting."""
    doc = draw(instruments())
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p, _ in nodes(doc)]
        path = draw(st.sampled_from(paths))
        target = at(doc, path)
        op = draw(
            st.sampled_from(
                ["delete", "replace", "lookalike", "insert", "duplicate", "swap", "retype"]
            )
        )
        if op == "delete" and path:
            parent = at(doc, path[:-1])
            del parent[path[-1]]
        elif op == "replace" and path:
            at(doc, path[:-1])[path[-1]] = draw(junk)
        elif op == "lookalike" and path:
            at(doc, path[:-1])[path[-1]] = draw(lookalikes)
        elif op == "insert" and isinstance(target, dict):
            target[draw(st.one_of(lookalikes, st.text(max_size=6), st.integers()))] = draw(junk)
        elif op == "insert" and isinstance(target, list):
            target.insert(draw(st.integers(0, len(target))), draw(junk))
        elif op == "duplicate" and isinstance(target, list) and target:
            target.append(copy.deepcopy(draw(st.sampled_from(target))))
        elif op == "swap" and isinstance(target, list) and len(target) >= 2:
            i, j = draw(
                st.lists(st.integers(0, len(target) - 1), min_size=2, max_size=2, unique=True)
            )
            target[i], target[j] = target[j], target[i]
        elif op == "retype" and path:
            value = at(doc, path)
            retyped = {
                str: lambda v: [v],
                int: lambda v: str(v),
                float: lambda v: str(v),
                bool: lambda v: int(v),
                list: lambda v: dict(enumerate(v)),
                dict: lambda v: list(v.values()),
            }.get(type(value), lambda v: v)
            at(doc, path[:-1])[path[-1]] = retyped(value)
    if draw(st.integers(0, 3)) == 0:
        # Nest a value deeply: in lists, or in conditions where a condition may stand. Last, so
        # the walks above never have to go down it.
        path = draw(st.sampled_from([p for p, _ in nodes(doc) if p]))
        wrap = draw(st.sampled_from([lambda v: [v], lambda v: {"not": v}, lambda v: {"all": [v]}]))
        value = at(doc, path)
        for _ in range(draw(st.sampled_from([2, 50, 3000]))):
            value = wrap(value)
        at(doc, path[:-1])[path[-1]] = value
    return doc


@SETTINGS
@given(mutated())
def test_mutated_documents_raise_only_instrument_error(doc: dict[str, Any]) -> None:
    result = instrument.validate(doc)  # never raises
    assert (result.instrument is None) == bool(result.problems)
    assert len(set(result.problems)) == len(result.problems)
    for problem in (*result.problems, *result.warnings):
        # every path leads into the document: to the value itself, or to the object missing it
        assert problem.path == format_path(problem.parts)
        assert _exists(doc, problem.parts[:-1]), problem
        # each problem prints as one line of UTF-8 text (`repp validate` prints one per line)
        line = str(problem)
        assert "\n" not in line
        line.encode("utf-8")
        # and every message about a place starts by naming the element concerned
        assert not problem.parts or problem.message.startswith(OWNERS), problem
    if result.instrument is None:
        with pytest.raises(InstrumentError) as raised:
            instrument.load(doc)
        assert raised.value.problems == result.problems
    else:
        # whatever still loads is a real instrument: it round-trips
        inst = instrument.load(doc)
        assert instrument.load(instrument.dump(inst)) == inst


@SETTINGS
@given(mutated(), st.data())
def test_mutated_json_text_raises_only_instrument_error(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    try:
        text = json.dumps(doc)
    except (ValueError, TypeError, RecursionError):
        assume(False)
    edit = data.draw(st.sampled_from(["as is", "truncate", "insert", "bytes"]))
    if edit == "truncate":
        text = text[: data.draw(st.integers(0, len(text)))]
    elif edit == "insert":
        at_ = data.draw(st.integers(0, len(text)))
        text = (
            text[:at_]
            + data.draw(st.sampled_from(['"', ",", "}", "]", "{", "\\", "\x00"]))
            + text[at_:]
        )
    payload: str | bytes = text
    if edit == "bytes":
        raw = bytearray(text.encode("utf-8"))
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0x80, 0xFF))
        payload = bytes(raw)
    outcome: Any
    try:
        outcome = instrument.loads(payload)
    except InstrumentError as exc:  # the only exception allowed
        outcome = exc
    if isinstance(outcome, InstrumentError):
        assert outcome.problems
    else:
        assert isinstance(outcome, instrument.Instrument)


@SETTINGS
@given(junk)
def test_any_value_at_all_is_validated_without_raising(value: Any) -> None:
    result = instrument.validate(value)
    assert result.instrument is None
    assert result.problems


def test_floats_that_json_cannot_hold_are_problems() -> None:
    """Python's json reads NaN and Infinity; the validator must reject them wherever they land."""
    doc: dict[str, Any] = json.loads(
        '{"format": "repp-instrument/1", "id": "x", "version": "1", "title": "T",'
        ' "scales": {"s": {"points": [{"value": NaN, "label": "a"}, {"value": 1, "label": "b"}]}},'
        ' "focus_areas": [{"id": "f", "title": "F"}],'
        ' "sections": [{"title": "S", "items": ['
        '   {"id": "a", "type": "likert", "text": "A", "scale": "s", "focus_area": "f"},'
        '   {"id": "n", "type": "number", "text": "N", "min": -Infinity},'
        '   {"id": "b", "type": "text", "text": "B", "show_if": {"item": "n", "equals": NaN}}]}]}'
    )
    assert math.isnan(doc["scales"]["s"]["points"][0]["value"])
    paths = [p.path for p in instrument.validate(doc).problems]
    assert paths == [
        "scales.s.points[0].value",
        "sections[0].items[1].min",
        "sections[0].items[2].show_if.equals",
    ]
