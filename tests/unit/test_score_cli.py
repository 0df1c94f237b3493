"""`repp score`: the command analysts run on CSV files of responses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.unit.test_scoring_support import standard_doc
from webapp.cli import main

ROWS = [
    # wave, role, q1, q2, q3, q4, q5, q6
    ("baseline", "staff", "1", "4", "2", "1", "2", "1"),
    ("baseline", "staff", "2", "Disagree", "2", "2", "na", "2"),
    ("baseline", "staff", "3", "2", "3", "1", "2", "3"),
    ("baseline", "supervisor", "Agree", "1", "4", "3", "2", "2"),
    ("baseline", "supervisor", "4", "2", "", "2", "3", "1"),
    ("baseline", "leader", "2", "3", "2", "1", "1", "2"),
    ("12-month", "staff", "4", "1", "4", "3", "4", "5"),
    ("12-month", "staff", "3", "1", "4", "4", "3", "4"),
    ("12-month", "Supervisor", "De acuerdo", "2", "3", "3", "4", "5"),
    ("12-month", "supervisor", "4", "1", "4", "4", "4", "4"),
    ("12-month", "", "3", "2", "3", "3", "3", "5"),
    ("12-month", "staff", "4", "No sé", "4", "4", "4", "4"),
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    inst = tmp_path / "instrument.json"
    inst.write_text(json.dumps(standard_doc()), encoding="utf-8")
    responses = tmp_path / "responses.csv"
    write(responses, ROWS)
    return inst, responses


def write(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...] | None = None) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or ("wave", "role", "q1", "q2", "q3", "q4", "q5", "q6"))
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def repp(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["score", *map(str, args)])


FOCUS_AREA_KEYS = [
    "id", "title", "n", "mean", "sd", "ci_low", "ci_high",
    "percent_favorable", "cronbach_alpha", "rank", "suppressed",
]  # fmt: skip
COMPARISON_KEYS = [
    "id", "baseline_mean", "followup_mean", "difference", "ci_low", "ci_high",
    "hedges_g", "p_value", "p_holm", "suppressed",
]  # fmt: skip


def test_json_names_exactly(files: tuple[Path, Path]) -> None:
    result = repp(*files, "--by", "role", "--min-group", "3")
    assert result.exit_code == 0, result.stderr
    # the file has no column for q7: the one warning, on stderr
    assert result.stderr.splitlines() == [
        f"{files[1]}: warning: no column for item(s) q7: every answer to them counts as missing"
    ]
    report = json.loads(result.stdout)
    assert list(report) == ["instrument", "min_group_size", "waves", "comparison"]
    assert report["instrument"] == {"id": "std", "version": "1"}
    assert report["min_group_size"] == 3
    assert [w["label"] for w in report["waves"]] == ["baseline", "12-month"]
    wave = report["waves"][0]
    assert list(wave) == ["label", "respondents", "focus_areas", "items", "breakdowns"]
    assert wave["respondents"] == 6
    assert [list(a) for a in wave["focus_areas"]] == [FOCUS_AREA_KEYS] * 3
    assert [list(i) for i in wave["items"]] == [
        ["id", "n", "mean", "distribution", "suppressed"]
    ] * 7
    (split,) = wave["breakdowns"]
    assert list(split) == ["by", "groups"]
    assert split["by"] == "role"
    group = split["groups"][0]
    assert list(group) == ["value", "label", "n", "suppressed", "focus_areas"]
    assert list(group["focus_areas"][0]) == ["id", "mean", "suppressed"]
    comparison = report["comparison"]
    assert list(comparison) == ["baseline", "followup", "focus_areas"]
    assert (comparison["baseline"], comparison["followup"]) == ("baseline", "12-month")
    assert [list(a) for a in comparison["focus_areas"]] == [COMPARISON_KEYS] * 3


def test_json_figures_are_rounded_to_six_decimals(files: tuple[Path, Path]) -> None:
    report = json.loads(repp(*files, "--min-group", "3").stdout)
    fa1 = report["waves"][0]["focus_areas"][0]
    # baseline fa1 scores (q2 reversed): 4/3, 7/3, 3, 11/3, 7/2, 2 -> mean 95/36
    assert fa1["mean"] == round(95 / 36, 6)
    for value in _floats(report):
        assert value == round(value, 6)


def _floats(node: Any) -> list[float]:
    if isinstance(node, float):
        return [node]
    if isinstance(node, dict):
        return [f for v in node.values() for f in _floats(v)]
    if isinstance(node, list):
        return [f for v in node for f in _floats(v)]
    return []


def test_default_min_group_hides_small_groups(files: tuple[Path, Path]) -> None:
    report = json.loads(repp(*files, "--by", "role").stdout)
    assert report["min_group_size"] == 5
    baseline = report["waves"][0]
    assert baseline["respondents"] == 6
    assert not any(a["suppressed"] for a in baseline["focus_areas"])
    groups = baseline["breakdowns"][0]["groups"]
    assert all(g["suppressed"] and g["n"] is None for g in groups)


def test_csv_format(files: tuple[Path, Path]) -> None:
    result = repp(*files, "--format", "csv", "--by", "role", "--min-group", "3")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "wave",
        "section",
        "focus_area",
        "item",
        "group_by",
        "group",
        "measure",
        "value",
    ]
    index = {
        (r["wave"], r["section"], r["focus_area"], r["item"], r["group"], r["measure"]): r["value"]
        for r in rows
    }
    assert index[("", "report", "", "", "", "min_group_size")] == "3"
    assert index[("baseline", "wave", "", "", "", "respondents")] == "6"
    assert index[("baseline", "focus_area", "fa1", "", "", "mean")] == repr(round(95 / 36, 6))
    assert index[("baseline", "focus_area", "fa1", "", "", "suppressed")] == "false"
    assert index[("baseline", "item", "", "q2", "", "count_na")] == "0"
    assert index[("12-month", "item", "", "q2", "", "count_na")] == "1"
    assert index[("baseline", "group", "", "", "staff", "n")] == "3"
    assert index[("baseline", "group", "", "", "leader", "n")] == ""
    assert index[("baseline", "group", "", "", "leader", "suppressed")] == "true"
    assert ("baseline vs 12-month", "comparison", "fa1", "", "", "p_holm") in index


def test_output_file(files: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = repp(*files, "-o", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["instrument"]["id"] == "std"
    assert f"{out}: written" in result.stderr


def test_a_bad_cell_names_row_column_and_value(files: tuple[Path, Path]) -> None:
    inst, responses = files
    bad = list(ROWS)
    bad[4] = ("baseline", "supervisor", "4", "2", "sometimes", "2", "3", "1")
    write(responses, bad)
    result = repp(inst, responses)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        "line 6 (the header is line 1), column 'q3': 'sometimes' is not a point of scale 'agree'"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_unknown_columns_are_warnings(files: tuple[Path, Path]) -> None:
    inst, responses = files
    write(
        responses,
        [(*r, "x") for r in ROWS],
        ("wave", "role", "q1", "q2", "q3", "q4", "q5", "q6", "notes"),
    )
    result = repp(inst, responses)
    assert result.exit_code == 0
    assert (
        f"{responses}: warning: column 'notes' is not an item of instrument std@1; ignored"
        in result.stderr
    )
    assert json.loads(result.stdout)["waves"][0]["respondents"] == 6


def test_warnings_read_before_a_bad_cell_are_still_shown(files: tuple[Path, Path]) -> None:
    inst, responses = files
    rows = [(*r, "x") for r in ROWS]
    rows[3] = (*rows[3][:2], "often", *rows[3][3:])
    write(responses, rows, ("wave", "role", "q1", "q2", "q3", "q4", "q5", "q6", "notes"))
    result = repp(inst, responses)
    assert result.exit_code == 1
    assert result.stdout == ""
    *warnings, error = result.stderr.splitlines()
    assert (
        f"{responses}: warning: column 'notes' is not an item of instrument std@1; ignored"
        in warnings
    )
    assert error.startswith(f"{responses}: error: line 5 (the header is line 1), column 'q1'")
    assert "'often'" in error


@pytest.mark.parametrize(
    ("by", "message"),
    [
        (
            "site",
            "cannot break down by 'site': it is not a demographic item; disaggregation is declared in the instrument, never ad hoc",
        ),
        ("q1", "cannot break down by 'q1': it is not a demographic item"),
        ("nothing", "cannot break down by 'nothing': the instrument has no such item"),
    ],
)
def test_by_a_non_demographic_item(files: tuple[Path, Path], by: str, message: str) -> None:
    result = repp(*files, "--by", by)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert message in result.stderr


def test_comparison_labels(files: tuple[Path, Path]) -> None:
    result = repp(*files, "--baseline", "12-month", "--followup", "baseline")
    assert result.exit_code == 0
    comparison = json.loads(result.stdout)["comparison"]
    assert (comparison["baseline"], comparison["followup"]) == ("12-month", "baseline")
    result = repp(*files, "--baseline", "pilot", "--followup", "baseline")
    assert result.exit_code == 1
    assert (
        "no baseline wave 'pilot' in the responses (waves: 'baseline', '12-month')" in result.stderr
    )


def test_min_group_below_three_is_refused(files: tuple[Path, Path]) -> None:
    result = repp(*files, "--min-group", "2")
    assert result.exit_code == 2
    assert "--min-group" in result.stderr


def test_an_invalid_instrument(files: tuple[Path, Path], tmp_path: Path) -> None:
    doc = standard_doc()
    doc["sections"][1]["items"][0]["scale"] = "nope"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    result = repp(broken, files[1])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "the instrument is not valid" in result.stderr
    assert 'item "q1": unknown scale "nope"' in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "the CSV file is empty"), ("wave,q1,q2\n", "has a header but no responses")],
)
def test_empty_csv(files: tuple[Path, Path], content: str, message: str) -> None:
    inst, responses = files
    responses.write_text(content, encoding="utf-8")
    result = repp(inst, responses)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert message in result.stderr


def test_responses_from_stdin(files: tuple[Path, Path]) -> None:
    inst, responses = files
    result = CliRunner().invoke(
        main, ["score", str(inst), "-"], input=responses.read_text(encoding="utf-8")
    )
    assert result.exit_code == 0, result.stderr
    assert [w["respondents"] for w in json.loads(result.stdout)["waves"]] == [6, 6]


def test_language(files: tuple[Path, Path]) -> None:
    report = json.loads(repp(*files, "--language", "es", "--by", "role", "--min-group", "3").stdout)
    assert [a["title"] for a in report["waves"][0]["focus_areas"]] == ["Liderazgo", "Datos", "Voz"]
    assert report["waves"][0]["breakdowns"][0]["groups"][0]["label"] == "Personal"


def test_html_format(files: tuple[Path, Path]) -> None:
    pytest.importorskip("scoring.report")
    result = repp(*files, "--format", "html", "--min-group", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.lstrip().lower().startswith("<!doctype html")


def test_listed_in_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "score" in result.stdout


def test_stdin_that_is_not_utf8(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(
        main, ["score", str(files[0]), "-"], input="q1\nDon\xe9\n".encode("latin-1")
    )
    assert result.exit_code == 1
    assert "<stdin>: error: standard input is not UTF-8 text" in result.stderr
