"""The report as it leaves for files: JSON with rounded floats, and tidy long rows for spreadsheets.

Rounding happens here, at the edge, and only here: every float is rounded to `DIGITS` decimals
with Python's `round` (correctly rounded, half to even). Rounding is monotone (a ≤ b implies
round(a) ≤ round(b)) and leaves whole numbers alone, so an interval that contains its mean still
does after rounding, and a mean within its scale stays within it.

Tidy rows have the columns `COLUMNS`; each row is one figure:

- `section` is `report` (instrument id and version, min_group_size), `wave` (respondents),
  `focus_area`, `item`, `group` (a breakdown group's n and suppressed), `group_focus_area`
  (a group's mean in one focus area) or `comparison`;
- `wave` is the wave label; for comparison rows it is "BASELINE vs FOLLOWUP";
- `focus_area`, `item`, `group_by` and `group` say what the figure is about; in breakdown rows an
  empty `group` is the group of respondents who did not answer `group_by`;
- `measure` names the figure as in the JSON (`n`, `mean`, `ci_low`, ..., `suppressed`); an item's
  distribution gives one row per point, `count_4`, ..., and `count_na`;
- `value` is the figure: empty when suppressed (null in JSON), `true`/`false`, or a number.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from scoring.results import ScoreReport

DIGITS = 6
COLUMNS = ("wave", "section", "focus_area", "item", "group_by", "group", "measure", "value")


def rounded(value: Any, digits: int = DIGITS) -> Any:
    """Return a JSON-shaped value with every float rounded to `digits` decimals."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v, digits) for v in value]
    return value


def report_json(report: ScoreReport, digits: int = DIGITS) -> str:
    """Return the report as indented JSON text, floats rounded, ending with a newline."""
    data = rounded(report.to_dict(), digits)
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def tidy_rows(report: ScoreReport, digits: int = DIGITS) -> Iterator[dict[str, str]]:
    """Yield one row (column -> text) per figure of the report."""

    def row(measure: str, value: Any, **where: str) -> dict[str, str]:
        out = dict.fromkeys(COLUMNS, "")
        out.update(where)
        out["measure"] = measure
        out["value"] = _cell(value, digits)
        return out

    yield row("instrument_id", report.instrument_id, section="report")
    yield row("instrument_version", report.instrument_version, section="report")
    yield row("min_group_size", report.min_group_size, section="report")
    for wave in report.waves:
        yield row("respondents", wave.respondents, wave=wave.label, section="wave")
        for area in wave.focus_areas:
            for measure, value in area.to_dict().items():
                if measure not in ("id", "title"):
                    yield row(
                        measure, value, wave=wave.label, section="focus_area", focus_area=area.id
                    )
        for item in wave.items:
            where = {"wave": wave.label, "section": "item", "item": item.id}
            yield row("n", item.n, **where)
            yield row("mean", item.mean, **where)
            if item.distribution is not None:
                for key, count in item.distribution.items():
                    yield row(f"count_{key}", count, **where)
            yield row("suppressed", item.suppressed, **where)
        for split in wave.breakdowns:
            for group in split.groups:
                where = {"wave": wave.label, "group_by": split.by, "group": group.value or ""}
                yield row("n", group.n, section="group", **where)
                yield row("suppressed", group.suppressed, section="group", **where)
                for cell in group.focus_areas:
                    cell_where = {**where, "section": "group_focus_area", "focus_area": cell.id}
                    yield row("mean", cell.mean, **cell_where)
                    yield row("suppressed", cell.suppressed, **cell_where)
    if report.comparison is not None:
        label = f"{report.comparison.baseline} vs {report.comparison.followup}"
        for compared in report.comparison.focus_areas:
            for measure, value in compared.to_dict().items():
                if measure != "id":
                    yield row(
                        measure, value, wave=label, section="comparison", focus_area=compared.id
                    )


def report_csv(report: ScoreReport, digits: int = DIGITS) -> str:
    """Return the tidy rows as CSV text with a header row."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(tidy_rows(report, digits))
    return out.getvalue()


def _cell(value: Any, digits: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, digits))
    return str(value)
