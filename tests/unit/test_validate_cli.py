"""`repp validate` and `repp schema`: output lines, exit codes, and never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import instrument
from webapp.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture
def files(tmp_path: Path, minimal_doc: Any, docs: Any) -> dict[str, Path]:
    """One valid, one with a warning, one with two problems, one not JSON, one not UTF-8."""
    good = docs.write(tmp_path, "good.json", minimal_doc())
    warned_doc = minimal_doc(("en", "es"))
    warned_doc["title"] = "Self-assessment"
    warned = docs.write(tmp_path, "warned.json", warned_doc)
    bad_doc = minimal_doc()
    bad_doc["sections"][0]["items"][0]["scale"] = "agreement"
    bad_doc["sections"][0]["items"][3]["min"] = 500
    bad = docs.write(tmp_path, "bad.json", bad_doc)
    broken = docs.write(
        tmp_path, "broken.json", '{\n  "format": "repp-instrument/1",\n  id: 1\n}\n'
    )
    latin1 = docs.write(tmp_path, "latin1.json", '{"title": "Se\u00f1or"}'.encode("latin-1"))
    listed = docs.write(tmp_path, "list.json", "[1, 2]")
    return {
        "good": good,
        "warned": warned,
        "bad": bad,
        "broken": broken,
        "latin1": latin1,
        "list": listed,
    }


def test_a_valid_file_prints_ok_with_counts(files: dict[str, Path]) -> None:
    result = run("validate", str(files["good"]))
    no_traceback(result)
    assert result.exit_code == 0
    assert result.stdout == f"{files['good']}: OK (8 items, 2 focus areas, en)\n"
    assert result.stderr == ""


def test_warnings_go_to_stderr_and_do_not_fail(files: dict[str, Path]) -> None:
    result = run("validate", str(files["warned"]))
    assert result.exit_code == 0
    assert result.stdout == f"{files['warned']}: OK (8 items, 2 focus areas, en, es)\n"
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{files['warned']}: title: warning: ")
    assert "plain string" in line


def test_each_problem_is_one_line_with_file_and_path(files: dict[str, Path]) -> None:
    result = run("validate", str(files["bad"]))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'{files["bad"]}: sections[0].items[0].scale: item "q1": unknown scale "agreement" '
        "(scales: agree)",
        f'{files["bad"]}: sections[0].items[3].min: item "q4": min 500 is greater than max 100',
    ]


def test_a_file_that_is_not_json_names_line_and_column(files: dict[str, Path]) -> None:
    result = run("validate", str(files["broken"]))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{files['broken']}: line 3, column 3: not valid JSON: "
        "Expecting property name enclosed in double quotes\n"
    )


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("latin1", "not UTF-8 text"), ("list", "must be a JSON object, got [1, 2]")],
)
def test_files_that_are_not_instruments_are_one_line(
    files: dict[str, Path], name: str, fragment: str
) -> None:
    result = run("validate", str(files[name]))
    no_traceback(result)
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{files[name]}: ")
    assert fragment in line


def test_several_files_are_each_reported_and_any_failure_fails(files: dict[str, Path]) -> None:
    result = run(
        "validate",
        str(files["good"]),
        str(files["broken"]),
        str(files["warned"]),
        str(files["bad"]),
    )
    no_traceback(result)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        str(files["good"]),
        str(files["broken"]),
        str(files["warned"]),
        str(files["bad"]),
        str(files["bad"]),
    ]
    assert lines[0].endswith("OK (8 items, 2 focus areas, en)")
    assert lines[2].endswith("OK (8 items, 2 focus areas, en, es)")


def test_several_valid_files_pass(files: dict[str, Path]) -> None:
    result = run("validate", str(files["good"]), str(files["warned"]))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_a_missing_file_is_a_failed_file_not_a_crash(
    files: dict[str, Path], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.json"
    result = run("validate", str(missing), str(files["good"]))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith(f"{missing}: cannot read")
    assert result.stdout.splitlines()[1].endswith("OK (8 items, 2 focus areas, en)")


@pytest.mark.parametrize(
    "args",
    [["validate"], ["validate", "--strict", "x.json"], ["validate", "."], ["nonsense"]],
    ids=["no-files", "unknown-option", "directory", "unknown-command"],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    no_traceback(result)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr


def test_the_problem_lines_are_the_problems(files: dict[str, Path]) -> None:
    expected = [str(p) for p in instrument.validate(files["bad"]).problems]
    result = run("validate", str(files["bad"]))
    assert [line.split(": ", 1)[1] for line in result.stdout.splitlines()] == expected


def test_schema_prints_the_committed_schema() -> None:
    result = run("schema")
    no_traceback(result)
    assert result.exit_code == 0
    assert result.stdout == instrument.json_schema_text()
    committed = (ROOT / "questionnaires" / "instrument.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_number_too_long_to_read_is_a_problem_and_the_next_file_is_still_checked(
    files: dict[str, Path], tmp_path: Path
) -> None:
    huge = tmp_path / "huge.json"
    huge.write_text('{"format": "repp-instrument/1", "id": ' + "9" * 5000 + "}", encoding="utf-8")
    result = run("validate", str(huge), str(files["good"]))
    no_traceback(result)
    assert result.exit_code == 1
    first, second = result.stdout.splitlines()
    assert first.startswith(f"{huge}: not valid JSON")
    assert "more digits" in first
    assert second == f"{files['good']}: OK (8 items, 2 focus areas, en)"


def test_a_file_nested_too_deeply_is_a_problem(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run("validate", str(deep))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout == f"{deep}: not valid JSON: nested too deeply\n"


def test_the_bundled_questionnaires_all_pass_and_the_format_schema_is_skipped() -> None:
    paths = sorted((ROOT / "questionnaires").glob("*.json"))
    result = run("validate", *map(str, paths))
    no_traceback(result)
    assert result.exit_code == 0
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    schema_path = str(ROOT / "questionnaires" / "instrument.schema.json")
    assert lines.pop(schema_path) == "skipped (a JSON Schema, not an instrument)"
    assert lines
    assert all(status.startswith("OK (") for status in lines.values())


def test_a_document_is_skipped_as_a_schema_only_without_a_format(tmp_path: Path) -> None:
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "format": "x"}
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "skipped (a JSON Schema" not in result.stdout


def test_json_reports_every_file_with_its_problems_and_warnings(
    files: dict[str, Path], tmp_path: Path
) -> None:
    schema = ROOT / "questionnaires" / "instrument.schema.json"
    missing = tmp_path / "missing.json"
    names = ["good", "warned", "bad", "broken"]
    result = run("validate", "--json", *(str(files[n]) for n in names), str(missing), str(schema))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == ""
    good, warned, bad, broken, absent, skipped = json.loads(result.stdout)
    inst = instrument.load(files["good"])
    assert good == {
        "file": str(files["good"]),
        "status": "ok",
        "id": inst.id,
        "version": inst.version,
        "content_hash": inst.content_hash,
        "items": 8,
        "focus_areas": 2,
        "languages": ["en"],
        "warnings": [],
    }
    assert warned["status"] == "ok"
    (warning,) = warned["warnings"]
    assert (warning["path"], warning["location"]) == ("title", ["title"])
    assert "plain string" in warning["message"]
    assert bad["status"] == "invalid"
    assert [p["path"] for p in bad["problems"]] == [
        "sections[0].items[0].scale",
        "sections[0].items[3].min",
    ]
    assert bad["problems"][0]["location"] == ["sections", 0, "items", 0, "scale"]
    assert bad["problems"][1]["message"] == 'item "q4": min 500 is greater than max 100'
    assert broken["status"] == absent["status"] == "invalid"
    assert broken["problems"][0]["path"] == "line 3, column 3"
    assert broken["problems"][0]["location"] == []
    assert absent["problems"][0]["path"] == ""
    assert skipped == {
        "file": str(schema),
        "status": "skipped",
        "reason": "a JSON Schema, not an instrument",
    }


def test_json_and_text_tell_the_same_story(files: dict[str, Path]) -> None:
    """Each problem line of the text output is a problem of the JSON output, in order."""
    paths = [str(p) for p in files.values()]
    text = run("validate", *paths)
    reports = json.loads(run("validate", "--json", *paths).stdout)
    assert text.exit_code == 1
    expected: list[str] = []
    for report in reports:
        if report["status"] == "ok":
            expected.append(f"{report['file']}: OK (")
        for problem in report.get("problems", []):
            where = f"{problem['path']}: " if problem["path"] else ""
            expected.append(f"{report['file']}: {where}{problem['message']}")
    lines = text.stdout.splitlines()
    assert len(lines) == len(expected)
    assert all(line.startswith(e) for line, e in zip(lines, expected, strict=True))


def test_json_of_valid_files_exits_0(files: dict[str, Path]) -> None:
    result = run("validate", "--json", str(files["good"]), str(files["warned"]))
    assert result.exit_code == 0
    assert [r["status"] for r in json.loads(result.stdout)] == ["ok", "ok"]
