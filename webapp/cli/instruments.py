"""`repp validate`, `repp schema` and `repp convert`: the authoring commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

import instrument
from instrument.loader import Validation, read_document
from webapp.cli.context import echo_json


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object a file, warnings included."
)
def validate(files: tuple[Path, ...], as_json: bool) -> None:
    """Check instrument files; print OK or one line per problem.

    Exit 0 when every file is valid, 1 when any is not. Warnings go to stderr (with --json, into
    each file's object).
    """
    reports = []
    for path in files:
        reports.append(_check(path))
        if not as_json:
            _print(reports[-1])
    if as_json:
        echo_json(reports)
    sys.exit(1 if any(r["status"] == "invalid" for r in reports) else 0)


def _check(path: Path) -> dict[str, Any]:
    """The outcome of validating one file, in the shape `--json` prints."""
    report: dict[str, Any] = {"file": str(path)}
    try:
        doc = read_document(path)
    except instrument.InstrumentError as exc:
        result = Validation(None, exc.problems, ())
    else:
        if _is_json_schema(doc):
            # questionnaires/*.json includes the format's own JSON Schema; not an instrument.
            return report | {"status": "skipped", "reason": "a JSON Schema, not an instrument"}
        result = instrument.validate(doc)
    warnings = {"warnings": [_problem(w) for w in result.warnings]}
    inst = result.instrument
    if inst is None:
        problems = [_problem(p) for p in result.problems]
        return report | {"status": "invalid", "problems": problems} | warnings
    summary = {
        "status": "ok",
        "id": inst.id,
        "version": inst.version,
        "content_hash": inst.content_hash,
        "items": len(inst.items),
        "focus_areas": len(inst.focus_areas),
        "languages": list(inst.languages),
    }
    return report | summary | warnings


def _problem(problem: instrument.Problem) -> dict[str, Any]:
    return {"path": problem.path, "location": list(problem.parts), "message": problem.message}


def _print(report: dict[str, Any]) -> None:
    path = report["file"]
    if report["status"] == "skipped":
        click.echo(f"{path}: skipped ({report['reason']})")
        return
    for warning in report["warnings"]:
        click.echo(f"{path}: {warning['path']}: warning: {warning['message']}", err=True)
    if report["status"] == "invalid":
        for problem in report["problems"]:
            where = f"{problem['path']}: " if problem["path"] else ""
            click.echo(f"{path}: {where}{problem['message']}")
        return
    click.echo(
        f"{path}: OK ({report['items']} items, {report['focus_areas']} focus areas, "
        f"{', '.join(report['languages'])})"
    )


def _is_json_schema(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and "format" not in doc
        and str(doc.get("$schema", "")).startswith("https://json-schema.org/")
    )


@click.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the instrument format."""
    click.echo(instrument.json_schema_text(), nl=False)


@click.command()
@click.option(
    "--from",
    "source_format",
    type=click.Choice(["surveyjs", "xlsform"]),
    required=True,
    help="The format of FILE.",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
def convert(source_format: str, file: Path, output: Path | None) -> None:
    """Convert a SurveyJS JSON or XLSForm workbook into a repp instrument.

    Elements repp cannot represent are dropped with a warning on stderr naming each one.
    """
    from instrument.convert import ConversionError, from_surveyjs, from_xlsform

    try:
        conversion = from_surveyjs(file) if source_format == "surveyjs" else from_xlsform(file)
    except ConversionError as exc:
        click.echo(f"{file}: {exc}", err=True)
        sys.exit(1)
    for warning in conversion.warnings:
        click.echo(f"{file}: warning: {warning}", err=True)
    result = instrument.validate(conversion.document)
    if result.instrument is None:
        click.echo(f"{file}: the converted instrument is not valid:", err=True)
        for problem in result.problems:
            click.echo(f"{file}: {problem}", err=True)
        sys.exit(1)
    text = json.dumps(conversion.document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{output}: written ({len(result.instrument.items)} items)", err=True)
