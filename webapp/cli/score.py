"""`repp score`: score responses collected anywhere (a CSV file) against an instrument."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click

import instrument
import scoring
from scoring.suppression import DEFAULT_MIN_GROUP_SIZE, SMALLEST_MIN_GROUP_SIZE


@click.command()
@click.argument("instrument_file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("responses", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "--by",
    "by",
    multiple=True,
    metavar="ITEM_ID",
    help="Break focus areas down by this demographic item (repeatable).",
)
@click.option(
    "--min-group",
    type=click.IntRange(min=SMALLEST_MIN_GROUP_SIZE),
    default=DEFAULT_MIN_GROUP_SIZE,
    show_default=True,
    help="Hide every figure about fewer respondents than this.",
)
@click.option("--baseline", metavar="LABEL", help="The wave to compare from.")
@click.option("--followup", metavar="LABEL", help="The wave to compare with the baseline.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "csv", "html"]),
    default="json",
    show_default=True,
    help="json: the full report; csv: one figure per row; html: the leadership report.",
)
@click.option("--language", metavar="LANG", help="Language of titles and labels.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
def score(
    instrument_file: Path,
    responses: Path,
    by: tuple[str, ...],
    min_group: int,
    baseline: str | None,
    followup: str | None,
    output_format: str,
    language: str | None,
    output: Path | None,
) -> None:
    """Score RESPONSES (CSV) against INSTRUMENT_FILE and print the results.

    The CSV has a header row naming item ids, one row per respondent, and an optional `wave`
    column. Likert cells hold a point value or label (any language, any case), the
    not-applicable label, or nothing; choice cells hold option values or labels, several
    separated by ";". Without --baseline/--followup the waves "baseline" and "12-month" are
    compared when both are present. See docs/methodology.md for every formula.
    """
    validation = instrument.validate(instrument_file)
    if validation.instrument is None:
        click.echo(f"{instrument_file}: the instrument is not valid:", err=True)
        for problem in validation.problems:
            click.echo(f"{instrument_file}: {problem}", err=True)
        sys.exit(1)
    inst = validation.instrument
    name = "<stdin>" if str(responses) == "-" else str(responses)
    try:
        source: Path | io.StringIO = responses
        if str(responses) == "-":
            source = io.StringIO(_read_stdin())
        table, warnings = scoring.ResponseTable.from_csv(inst, source)
        for warning in warnings:
            click.echo(f"{name}: warning: {warning}", err=True)
        report = scoring.score(
            inst,
            table,
            by=by,
            min_group_size=min_group,
            baseline=baseline,
            followup=followup,
            language=language,
        )
    except scoring.ScoringInputError as exc:
        for warning in exc.warnings:
            click.echo(f"{name}: warning: {warning}", err=True)
        click.echo(f"{name}: error: {exc}", err=True)
        sys.exit(1)
    if output_format == "json":
        text = scoring.report_json(report)
    elif output_format == "csv":
        text = scoring.report_csv(report)
    else:
        from scoring.report import render_report

        text = render_report(inst, report, language=language)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8", newline="")
        click.echo(f"{output}: written", err=True)


def _read_stdin() -> str:
    """Return standard input as text, read as UTF-8 like a file would be."""
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise scoring.ScoringInputError(
            f"standard input is not UTF-8 text (byte {exc.start}): save the file as UTF-8 CSV"
        ) from None
