"""survey.js decides same-page conditions in the browser as the server decides them."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import instrument
from instrument.loader import condition as build_condition

NODE = shutil.which("node")
SCRIPT = str(resources.files("webapp") / "static" / "js" / "survey.js")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js runs survey.js outside a browser")

# Answers as the browser reads them: likert points or "na", option values, lists, numbers, text.
ANSWER_VALUES = {
    "likert": st.sampled_from([1, 2, 3, 4, 5, "na"]),
    "choice": st.sampled_from(["yes", "no", "maybe"]),
    "multi": st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3),
    "number": st.sampled_from([0, 1, 2.5, -3, 12]),
    "text": st.sampled_from(["", "some words", "yes"]),
}
CONDITION_VALUES = st.sampled_from([1, 3, 5, "na", "yes", "no", "a", "b", 0, 2.5, 12, True])


def leaves() -> st.SearchStrategy[dict[str, Any]]:
    item = st.sampled_from(sorted(ANSWER_VALUES))
    return st.one_of(
        st.builds(lambda i, v: {"item": i, "equals": v}, item, CONDITION_VALUES),
        st.builds(
            lambda i, vs: {"item": i, "in": vs}, item, st.lists(CONDITION_VALUES, min_size=1)
        ),
        st.builds(lambda i: {"item": i, "answered": True}, item),
    )


conditions = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.builds(lambda cs: {"all": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda cs: {"any": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda c: {"not": c}, inner),
    ),
    max_leaves=6,
)
answers = st.fixed_dictionaries({}, optional=ANSWER_VALUES)


def in_node(expression: str, payload: Any) -> Any:
    assert NODE is not None
    program = (
        f"const s = require({json.dumps(SCRIPT)});"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        f"process.stdout.write(JSON.stringify({expression}));"
    )
    done = subprocess.run(
        [NODE, "-e", program],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(done.stdout)


@settings(max_examples=5, deadline=None)
@given(st.lists(st.tuples(conditions, answers), min_size=60, max_size=60))
def test_the_script_evaluates_conditions_as_the_server_does(
    cases: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    in_browser = in_node("input.map(([c, a]) => s.evaluate(c, a))", cases)
    on_server = [instrument.evaluate(build_condition(c), a) for c, a in cases]  # type: ignore[arg-type]
    assert in_browser == on_server


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), ("2,5", 2.5), (" 7 ", 7), ("-3", -3), (".5", 0.5), ("abc", None), ("1e3", None)],
)
def test_the_script_reads_numbers_as_the_server_does(typed: str, number: float | None) -> None:
    assert in_node("s.readNumber(input)", typed) == number
