"""Marshmallow schemas of the API's results: the names and shapes of `repp score`'s JSON.

They dump scoring's result objects (frozen dataclasses, already suppressed) field by field, so
`ScoreReportSchema().dump(report)` equals `json.loads(scoring.report_json(report))`: the same
names, floats rounded to the same number of decimals, None for every suppressed figure.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from scoring.export import DIGITS


class Rounded(fields.Float):
    """A float rounded as `repp score` rounds it (None stays None)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return round(float(value), DIGITS)


def _number() -> Rounded:
    return Rounded(allow_none=True)


def _count() -> fields.Integer:
    return fields.Integer(allow_none=True)


class FocusAreaSchema(Schema):
    id = fields.String()
    title = fields.String()
    n = _count()
    mean = _number()
    sd = _number()
    ci_low = _number()
    ci_high = _number()
    percent_favorable = _number()
    cronbach_alpha = _number()
    rank = _count()
    suppressed = fields.Boolean()


class ItemSchema(Schema):
    id = fields.String()
    n = _count()
    mean = _number()
    #: point value (as a string) -> count, then "na"; None when suppressed.
    distribution = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)
    suppressed = fields.Boolean()


class GroupFocusAreaSchema(Schema):
    id = fields.String()
    mean = _number()
    suppressed = fields.Boolean()


class GroupSchema(Schema):
    value = fields.String(allow_none=True)
    label = fields.String(allow_none=True)
    n = _count()
    suppressed = fields.Boolean()
    focus_areas = fields.List(fields.Nested(GroupFocusAreaSchema))


class BreakdownSchema(Schema):
    by = fields.String()
    groups = fields.List(fields.Nested(GroupSchema))


class WaveSchema(Schema):
    label = fields.String()
    respondents = fields.Integer()
    focus_areas = fields.List(fields.Nested(FocusAreaSchema))
    items = fields.List(fields.Nested(ItemSchema))
    breakdowns = fields.List(fields.Nested(BreakdownSchema))


class ComparisonAreaSchema(Schema):
    id = fields.String()
    baseline_mean = _number()
    followup_mean = _number()
    difference = _number()
    ci_low = _number()
    ci_high = _number()
    hedges_g = _number()
    p_value = _number()
    p_holm = _number()
    suppressed = fields.Boolean()


class ComparisonSchema(Schema):
    baseline = fields.String()
    followup = fields.String()
    focus_areas = fields.List(fields.Nested(ComparisonAreaSchema))


class InstrumentSchema(Schema):
    id = fields.String()
    version = fields.String()


class ScoreReportSchema(Schema):
    instrument = fields.Method("_instrument")
    min_group_size = fields.Integer()
    waves = fields.List(fields.Nested(WaveSchema))
    comparison = fields.Nested(ComparisonSchema, allow_none=True)

    def _instrument(self, report: Any) -> dict[str, Any]:
        data: dict[str, Any] = InstrumentSchema().dump(
            {"id": report.instrument_id, "version": report.instrument_version}
        )
        return data
