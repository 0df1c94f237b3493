"""Charts: plain-JSON figures, tables with the same numbers, and nothing suppressed ever drawn.

Results are built by hand (the factory below), so these tests depend only on the result objects.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instrument.model import (
    FocusArea,
    FocusAreaId,
    Instrument,
    ItemId,
    Language,
    LikertItem,
    Option,
    Point,
    Scale,
    ScaleId,
    Section,
    SectionId,
    SingleChoiceItem,
    Text,
)
from scoring import charts
from scoring.charts import Chart, Table
from scoring.results import (
    Breakdown,
    Comparison,
    ComparisonArea,
    FocusAreaResult,
    GroupFocusArea,
    GroupResult,
    ItemResult,
    ScoreReport,
    WaveResult,
)

ROOT = Path(__file__).resolve().parents[2]
LANGS = (Language("en"), Language("es"))
MIN = 5

# -- factory ---------------------------------------------------------------------------------------


def tx(en: str, es: str | None = None) -> Text:
    return Text((("en", en), ("es", es if es is not None else f"{en} (es)")))


AREAS = {
    "leadership": ("Leadership", "Liderazgo"),
    "culture": ("Culture", "Cultura"),
    "data": ("Data and accountability", "Datos y rendición de cuentas"),
    "training": ("Training", "Capacitación"),
}
#: item id -> (focus area, reverse)
ITEMS = {
    "lead1": ("leadership", False),
    "lead2": ("leadership", True),
    "cult1": ("culture", False),
    "cult2": ("culture", False),
    "data1": ("data", False),
    "train1": ("training", False),
}
AGREE = ("Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree")
AGREE_ES = ("Muy en desacuerdo", "En desacuerdo", "Ni uno ni otro", "De acuerdo", "Muy de acuerdo")


def make_instrument(
    *, title: str = "Race equity self-assessment", area_title: str | None = None
) -> Instrument:
    """Return a small instrument: a 5-point scale with "Don't know", four areas, two demographics."""
    scale = Scale(
        id=ScaleId("agree"),
        points=tuple(
            Point(v, tx(en, es)) for v, en, es in zip(range(1, 6), AGREE, AGREE_ES, strict=True)
        ),
        not_applicable=tx("Don't know", "No sé"),
        favorable=(4, 5),
    )
    areas = tuple(
        FocusArea(FocusAreaId(fa), tx(area_title or en, es)) for fa, (en, es) in AREAS.items()
    )
    likert = tuple(
        LikertItem(
            id=ItemId(item_id),
            text=tx(f"Statement {item_id}", f"Afirmación {item_id}"),
            scale=ScaleId("agree"),
            focus_area=FocusAreaId(fa),
            reverse=reverse,
        )
        for item_id, (fa, reverse) in ITEMS.items()
    )
    poc = SingleChoiceItem(
        id=ItemId("demo_poc"),
        text=tx("Do you identify as a person of color?", "¿Se identifica como persona de color?"),
        options=(
            Option("poc", tx("Staff of color", "Personal de color")),
            Option("white", tx("White staff", "Personal blanco")),
        ),
        demographic=True,
    )
    role = SingleChoiceItem(
        id=ItemId("demo_role"),
        text=tx("Your role", "Su puesto"),
        options=(
            Option("frontline", tx("Frontline", "Primera línea")),
            Option("supervisor", tx("Supervisor", "Supervisión")),
            Option("leader", tx("Leader", "Dirección")),
        ),
        demographic=True,
    )
    return Instrument(
        id="test-instrument",
        version="1",
        title=tx(title, title),
        languages=LANGS,
        scales=(scale,),
        focus_areas=areas,
        sections=(Section(SectionId("s1"), tx("Questions"), (*likert, poc, role)),),
    )


def area(
    fa: str, mean: float | None, *, rank: int | None = None, suppressed: bool = False, **kw: Any
) -> FocusAreaResult:
    """Return a focus-area result; suppressed ones carry None unless figures are given (leaky)."""
    if suppressed and mean is None:
        return FocusAreaResult(
            fa, AREAS[fa][0], None, None, None, None, None, None, None, None, True
        )
    assert mean is not None
    return FocusAreaResult(
        id=fa,
        title=AREAS[fa][0],
        n=kw.get("n", 40),
        mean=mean,
        sd=kw.get("sd", 0.8),
        ci_low=kw.get("ci_low", mean - 0.25),
        ci_high=kw.get("ci_high", mean + 0.25),
        percent_favorable=kw.get("favorable", 55.0),
        cronbach_alpha=kw.get("alpha", 0.8),
        rank=rank,
        suppressed=suppressed,
    )


def item(item_id: str, counts: tuple[int, ...] | None, na: int = 0) -> ItemResult:
    if counts is None:
        return ItemResult(item_id, None, None, None, True)
    distribution = {str(v): c for v, c in zip(range(1, 6), counts, strict=True)}
    distribution["na"] = na
    n = sum(counts)
    mean = sum(v * c for v, c in zip(range(1, 6), counts, strict=True)) / n if n else None
    return ItemResult(item_id, n, mean, distribution, False)


def group(
    value: str | None, means: dict[str, float | None], *, n: int = 12, suppressed: bool = False
) -> GroupResult:
    """Return a group; a None mean is a suppressed cell; a suppressed group hides every cell."""
    return GroupResult(
        value=value,
        label=None if value is None else value.capitalize(),
        n=None if suppressed else n,
        suppressed=suppressed,
        focus_areas=tuple(
            GroupFocusArea(fa, None if suppressed else m, suppressed or m is None)
            for fa, m in means.items()
        ),
    )


def standard_wave(label: str = "baseline") -> WaveResult:
    """A wave with one suppressed area, one suppressed item, and two breakdowns with gaps."""
    return WaveResult(
        label=label,
        respondents=48,
        focus_areas=(
            area("leadership", 3.4, rank=3),
            area("culture", 2.6, rank=1, favorable=31.0),
            area("data", None, suppressed=True),
            area("training", 3.1, rank=2, ci_low=2.9, ci_high=3.3, favorable=48.0),
        ),
        items=(
            item("lead1", (2, 4, 6, 10, 8), na=2),
            item("lead2", (10, 8, 4, 2, 1), na=0),
            item("cult1", (5, 5, 5, 5, 5), na=5),
            item("cult2", None),
            item("data1", None),
            item("train1", (0, 0, 0, 12, 8), na=0),
        ),
        breakdowns=(
            Breakdown(
                "demo_poc",
                (
                    group(
                        "poc", {"leadership": 3.0, "culture": 2.2, "data": None, "training": 2.9}
                    ),
                    group(
                        "white", {"leadership": 3.7, "culture": None, "data": 3.0, "training": 3.3}
                    ),
                    group(None, {"leadership": 3.5, "culture": 2.9, "data": 3.1, "training": 3.0}),
                ),
            ),
            Breakdown(
                "demo_role",
                (
                    group(
                        "frontline",
                        {"leadership": 3.1, "culture": 2.5, "data": 2.8, "training": 3.0},
                    ),
                    group("supervisor", {}, suppressed=True),
                    group(
                        "leader", {"leadership": 4.0, "culture": 3.6, "data": 3.9, "training": 3.8}
                    ),
                ),
            ),
        ),
    )


def standard_comparison() -> Comparison:
    def ca(fa: str, p_holm: float | None, *, suppressed: bool = False) -> ComparisonArea:
        if suppressed:
            return ComparisonArea(fa, None, None, None, None, None, None, None, None, True)
        return ComparisonArea(fa, 3.0, 3.3, 0.3, 0.05, 0.55, 0.4, 0.004, p_holm, False)

    return Comparison(
        "baseline",
        "12-month",
        (
            ca("leadership", 0.012),
            ca("culture", 0.049),
            ca("data", None, suppressed=True),
            ca("training", 0.05),
        ),
    )


def standard_report(*, comparison: bool = True) -> ScoreReport:
    return ScoreReport(
        instrument_id="test-instrument",
        instrument_version="1",
        min_group_size=MIN,
        waves=(standard_wave("baseline"), standard_wave("12-month")),
        comparison=standard_comparison() if comparison else None,
    )


# -- figure helpers ----------------------------------------------------------------------------------


def traces(chart: Chart) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = chart.figure["data"]
    return data


def annotations(chart: Chart) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = chart.figure["layout"].get("annotations", [])
    return found


def notes_at(chart: Chart, y: Any) -> list[str]:
    return [a["text"] for a in annotations(chart) if a.get("y") == y and a.get("yref") == "y"]


def colours(value: Any) -> Iterator[str]:
    """Yield every colour string anywhere in a figure (hex or rgb)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from colours(v)
    elif isinstance(value, list):
        for v in value:
            yield from colours(v)
    elif isinstance(value, str) and re.fullmatch(r"#[0-9A-Fa-f]{3,8}|rgba?\(.*\)", value):
        yield value


def digits_free(cells: tuple[str, ...]) -> bool:
    return not any(re.search(r"\d", c) for c in cells)


def plain_json(figure: dict[str, Any]) -> bool:
    """True when the figure is made of JSON types only and survives a strict round trip."""
    text = json.dumps(figure, allow_nan=False)
    return bool(json.loads(text) == figure)


# -- the ranking ---------------------------------------------------------------------------------------


def test_ranking_puts_first_priority_on_top_and_suppressed_last() -> None:
    chart = charts.ranking_chart(make_instrument(), standard_wave(), min_group_size=MIN)
    yaxis = chart.figure["layout"]["yaxis"]
    assert yaxis["autorange"] == "reversed"  # the first category is drawn at the top
    assert yaxis["categoryarray"] == ["culture", "training", "leadership", "data"]
    assert traces(chart)[0]["y"] == ["culture", "training", "leadership", "data"]
    assert yaxis["ticktext"][0].startswith("1. Culture")
    assert [row[0] for row in chart.table.rows] == ["1", "2", "3", "–"]


def test_ranking_draws_no_bar_for_a_suppressed_area_and_says_so() -> None:
    chart = charts.ranking_chart(make_instrument(), standard_wave(), min_group_size=MIN)
    bar = traces(chart)[0]
    index = bar["y"].index("data")
    assert bar["x"][index] is None
    assert bar["error_x"]["array"][index] is None
    assert bar["error_x"]["arrayminus"][index] is None
    assert notes_at(chart, "data") == ["<i>suppressed (fewer than 5 respondents)</i>"]
    row = chart.table.rows[index]
    assert row[1] == "Data and accountability"
    assert row[3] == "suppressed (fewer than 5 respondents)"
    assert digits_free(row[:3] + row[4:])


def test_ranking_table_has_the_numbers_of_the_figure() -> None:
    chart = charts.ranking_chart(make_instrument(), standard_wave())
    bar = traces(chart)[0]
    favorable = {a["y"]: a["text"] for a in annotations(chart) if a.get("xref") == "paper"}
    assert len(chart.table.rows) == len(bar["y"])
    for i, row in enumerate(chart.table.rows):
        x = bar["x"][i]
        if x is None:
            continue
        low = x - bar["error_x"]["arrayminus"][i]
        high = x + bar["error_x"]["array"][i]
        assert row[3] == f"{x:.2f}"
        assert row[4] == f"{low:.2f} to {high:.2f}"
        assert favorable[bar["y"][i]] == f"{row[5]} favorable"
    training = chart.table.rows[bar["y"].index("training")]
    assert training[2:] == ("40", "3.10", "2.90 to 3.30", "48%")


def test_ranking_ignores_figures_a_suppressed_area_still_carries() -> None:
    leaky = area("data", 4.321, suppressed=True, ci_low=4.111, ci_high=4.555, favorable=87.7, n=3)
    wave = replace(standard_wave(), focus_areas=(*standard_wave().focus_areas[:2], leaky))
    chart = charts.ranking_chart(make_instrument(), wave)
    text = json.dumps(chart.figure) + json.dumps(chart.table.to_dict())
    for leaked in ("4.32", "4.11", "4.55", "4.56", "88%", "87.7"):
        assert leaked not in text
    assert chart.table.rows[-1][2] == "–"  # not even the group's size


def test_ranking_in_spanish_uses_the_instruments_spanish_and_spanish_words() -> None:
    chart = charts.ranking_chart(make_instrument(), standard_wave(), "es", min_group_size=MIN)
    assert chart.table.headers[1] == "Área de enfoque"
    assert chart.table.rows[0][1] == "Cultura"
    assert "oculto (menos de 5 personas)" in chart.table.rows[-1]
    assert chart.figure["layout"]["xaxis"]["title"]["text"] == "Puntuación media"


def test_an_unknown_language_falls_back_to_the_instruments_default() -> None:
    chart = charts.ranking_chart(make_instrument(), standard_wave(), "fr")
    assert chart.table.rows[0][1] == "Culture"
    assert chart.table.headers[0] == "Rank"


# -- the Likert chart ----------------------------------------------------------------------------------


def likert(focus_area: str | None = "leadership", wave: WaveResult | None = None) -> Chart:
    return charts.items_chart(
        make_instrument(), wave or standard_wave(), focus_area, min_group_size=MIN
    )


def stack_traces(chart: Chart) -> list[dict[str, Any]]:
    return [t for t in traces(chart) if t.get("xaxis", "x") == "x"]


def test_likert_stacks_negative_points_left_positive_right_and_splits_the_middle() -> None:
    chart = likert()
    stack = stack_traces(chart)
    assert chart.figure["layout"]["barmode"] == "relative"
    by_name: dict[str, list[dict[str, Any]]] = {}
    for trace in stack:
        by_name.setdefault(trace["name"], []).append(trace)
    for name in ("Strongly disagree", "Disagree"):
        (trace,) = by_name[name]
        assert all(x is None or x <= 0 for x in trace["x"])
        assert any(x is not None and x < 0 for x in trace["x"])
    for name in ("Agree", "Strongly agree"):
        (trace,) = by_name[name]
        assert all(x is None or x >= 0 for x in trace["x"])
    left, right = by_name["Neither"]
    for a, b in zip(left["x"], right["x"], strict=True):
        assert a is not None
        assert b is not None
        assert a == -b
        assert a <= 0
    # Stacking goes outwards from zero: the middle halves first, the far ends last.
    order = [t["name"] for t in stack]
    assert order == [
        "Neither",
        "Disagree",
        "Strongly disagree",
        "Neither",
        "Agree",
        "Strongly agree",
    ]


def test_likert_shows_not_applicable_apart_on_its_own_axis() -> None:
    chart = likert()
    (na,) = [t for t in traces(chart) if t["name"] == "Don't know"]
    assert na["xaxis"] == "x2"
    assert all(x is None or x >= 0 for x in na["x"])
    layout = chart.figure["layout"]
    assert layout["xaxis2"]["domain"][0] > layout["xaxis"]["domain"][1]
    assert "Don't know" not in [t["name"] for t in stack_traces(chart)]
    # lead1: 2+4+6+10+8 = 30 answers and 2 "don't know": 2 / 32
    assert na["x"][na["y"].index("lead1")] == pytest.approx(6.2)


def test_likert_percentages_are_of_all_answers_and_each_row_sums_to_100() -> None:
    chart = likert("culture")
    rows = {}
    for trace in traces(chart):
        for y, x in zip(trace["y"], trace["x"], strict=True):
            if x is not None:
                rows[y] = rows.get(y, 0.0) + abs(x)
    assert rows["cult1"] == pytest.approx(100, abs=0.3)
    # cult1: 5 of each point and 5 "don't know" = 30 answers, 16.7% each
    row = chart.table.rows[0]
    assert row[1:] == ("30", *(["16.7%"] * 5), "16.7%")


def test_likert_table_has_one_row_per_bar_with_the_figures_numbers() -> None:
    chart = likert()
    ids = stack_traces(chart)[0]["y"]
    assert len(chart.table.rows) == len(ids)
    assert chart.table.headers == ("Statement", "Answers", *AGREE, "Don't know")
    for trace in stack_traces(chart):
        column = chart.table.headers.index(trace["name"])
        halves = trace["name"] == "Neither"
        for i, x in enumerate(trace["x"]):
            if x is None:
                continue
            shown = abs(x) * (2 if halves else 1)
            assert chart.table.rows[i][column] == f"{shown:.1f}%"


def test_likert_marks_a_suppressed_item_and_draws_none_of_it() -> None:
    chart = likert("culture")
    for trace in traces(chart):
        i = trace["y"].index("cult2")
        assert trace["x"][i] is None
    assert notes_at(chart, "cult2") == ["<i>suppressed (fewer than 5 respondents)</i>"]
    (row,) = [r for r in chart.table.rows if r[0] == "Statement cult2"]
    assert row[1] == "suppressed (fewer than 5 respondents)"
    assert digits_free(row[2:])


def test_likert_ignores_a_distribution_a_suppressed_item_still_carries() -> None:
    leaky = ItemResult("cult2", 3, 2.0, {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0, "na": 0}, True)
    wave = replace(standard_wave(), items=(item("cult1", (5, 5, 5, 5, 5)), leaky))
    chart = likert("culture", wave)
    for trace in traces(chart):
        assert trace["x"][trace["y"].index("cult2")] is None
    assert "33.3" not in json.dumps(chart.figure)


def test_likert_labels_reverse_scored_items_and_orders_the_legend_by_the_scale() -> None:
    chart = likert()
    (row,) = [r for r in chart.table.rows if r[0].startswith("Statement lead2")]
    assert row[0] == "Statement lead2 (reverse-scored)"
    shown = sorted(
        (t for t in traces(chart) if t.get("showlegend", True)), key=lambda t: t["legendrank"]
    )
    assert [t["name"] for t in shown] == [*AGREE, "Don't know"]


def test_likert_of_every_item_without_a_focus_area() -> None:
    chart = likert(None)
    assert chart.id == "items-baseline-all"
    assert [r[0].split(" (")[0] for r in chart.table.rows] == [f"Statement {i}" for i in ITEMS]


@pytest.mark.parametrize("size", [2, 3, 4, 5, 6, 7, 10, 11])
def test_likert_handles_scales_of_any_size_with_or_without_not_applicable(size: int) -> None:
    scale = Scale(
        id=ScaleId("agree"),
        points=tuple(Point(v, tx(f"P{v}")) for v in range(size)),
        not_applicable=None,
        favorable=(size - 1,),
    )
    inst = replace(make_instrument(), scales=(scale,))
    distribution = {str(v): 1 for v in range(size)}
    wave = replace(standard_wave(), items=(ItemResult("lead1", size, 1.0, distribution, False),))
    chart = charts.items_chart(inst, wave, "leadership")
    assert plain_json(chart.figure)
    assert all(t.get("xaxis", "x") == "x" for t in traces(chart))  # no "not applicable" bar
    negative = {f"P{v}" for v in range(size // 2)}
    positive = {f"P{v}" for v in range((size + 1) // 2, size)}
    stack_colours: dict[str, set[str]] = {"left": set(), "right": set()}
    for trace in traces(chart):
        (x,) = trace["x"]
        if trace["name"] in negative:
            assert x < 0
            stack_colours["left"].add(trace["marker"]["color"])
        elif trace["name"] in positive:
            assert x > 0
            stack_colours["right"].add(trace["marker"]["color"])
        else:
            assert size % 2 == 1
            assert trace["name"] == f"P{size // 2}"
            assert trace["marker"]["color"] == charts.NEUTRAL
    assert stack_colours["left"] <= set(charts.DIVERGING_NEGATIVE)
    assert stack_colours["right"] <= set(charts.DIVERGING_POSITIVE)
    # Up to five points a side, every point has its own shade.
    assert len(stack_colours["left"]) == min(size // 2, 5)
    assert "xaxis2" not in chart.figure["layout"]
    assert chart.table.headers == ("Statement", "Answers", *(f"P{v}" for v in range(size)))
    assert chart.table.rows[0][1:] == (str(size), *([f"{100 / size:.1f}%"] * size))
    # Someone answered "not applicable" all the same: then it is shown, apart.
    wave = replace(wave, items=(ItemResult("lead1", size, 1.0, distribution | {"na": 1}, False),))
    chart = charts.items_chart(inst, wave, "leadership")
    (na,) = [t for t in traces(chart) if t.get("xaxis") == "x2"]
    assert na["x"] == [pytest.approx(100 / (size + 1), abs=0.05)]
    assert chart.table.headers[-1] == "Not applicable"


# -- baseline vs 12-month ---------------------------------------------------------------------------


def test_comparison_marks_exactly_the_changes_significant_after_holm() -> None:
    chart = charts.comparison_chart(make_instrument(), standard_comparison(), min_group_size=MIN)
    (star,) = [t for t in traces(chart) if "Significant change" in t.get("name", "")]
    (plain,) = [t for t in traces(chart) if t.get("name") == "Change not significant"]
    assert star["y"] == ["leadership", "culture"]  # 0.012 and 0.049; 0.05 is not below 0.05
    assert star["marker"]["symbol"] == "star"
    assert plain["y"] == ["training"]
    assert plain["marker"]["symbol"] != star["marker"]["symbol"]
    assert "Holm" in star["name"]
    assert [r[-1] for r in chart.table.rows] == ["yes", "yes", "–", "no"]


def test_comparison_draws_nothing_for_a_suppressed_area() -> None:
    chart = charts.comparison_chart(make_instrument(), standard_comparison(), min_group_size=MIN)
    for trace in traces(chart):
        assert "data" not in (trace.get("y") or [])
    assert notes_at(chart, "data") == ["<i>suppressed (fewer than 5 respondents)</i>"]
    row = chart.table.rows[2]
    assert row[0] == "Data and accountability"
    assert row[1] == "suppressed (fewer than 5 respondents)"
    assert digits_free(row[2:])


def test_comparison_table_has_the_numbers_of_the_figure() -> None:
    chart = charts.comparison_chart(make_instrument(), standard_comparison())
    assert chart.table.headers[1:3] == ("baseline", "12-month")
    row = chart.table.rows[0]
    assert row == ("Leadership", "3.00", "3.30", "+0.30", "+0.05 to +0.55", "+0.40", "0.012", "yes")
    (star,) = [t for t in traces(chart) if "Significant change" in t.get("name", "")]
    assert star["x"][0] == 0.3
    assert star["x"][0] - star["error_x"]["arrayminus"][0] == pytest.approx(0.05)
    assert star["x"][0] + star["error_x"]["array"][0] == pytest.approx(0.55)
    (before,) = [t for t in traces(chart) if t.get("name") == "baseline"]
    (after,) = [t for t in traces(chart) if t.get("name") == "12-month"]
    assert before["x"][0] == 3.0
    assert after["x"][0] == 3.3


def test_comparison_draws_each_waves_interval_when_given_the_waves() -> None:
    wave = standard_wave()
    chart = charts.comparison_chart(
        make_instrument(), standard_comparison(), baseline=wave, followup=wave
    )
    (before,) = [t for t in traces(chart) if t.get("name") == "baseline"]
    i = before["y"].index("training")
    assert before["error_x"]["arrayminus"][i] == pytest.approx(3.0 - 2.9)
    assert before["error_x"]["array"][i] == pytest.approx(3.3 - 3.0)


# -- breakdowns -------------------------------------------------------------------------------------


def heatmap(chart: Chart) -> dict[str, Any]:
    (trace,) = [t for t in traces(chart) if t["type"] == "heatmap"]
    return trace


def test_breakdown_heatmap_rows_are_groups_and_columns_focus_areas() -> None:
    chart = charts.breakdown_chart(
        make_instrument(), standard_wave().breakdowns[0], min_group_size=MIN
    )
    layout = chart.figure["layout"]
    assert [t.split(" (n")[0] for t in layout["yaxis"]["ticktext"]] == [
        "Staff of color",
        "White staff",
        "Not answered",
    ]
    assert layout["xaxis"]["ticktext"] == [
        "Leadership",
        "Culture",
        "Data and accountability",
        "Training",
    ]
    assert chart.table.headers == (
        "Group",
        "Respondents",
        "Leadership",
        "Culture",
        "Data and accountability",
        "Training",
    )
    z = heatmap(chart)["z"]
    assert z[0] == [3.0, 2.2, None, 2.9]
    assert chart.table.rows[0] == ("Staff of color", "12", "3.00", "2.20", "suppressed", "2.90")


def test_breakdown_marks_suppressed_cells_grey_with_an_s_and_no_value() -> None:
    chart = charts.breakdown_chart(
        make_instrument(), standard_wave().breakdowns[1], min_group_size=MIN
    )
    z = heatmap(chart)["z"]
    assert z[1] == [None, None, None, None]  # the suppressed supervisor group
    shapes = chart.figure["layout"]["shapes"]
    covered = {(round(s["x0"] + 0.5), round(s["y0"] + 0.5)) for s in shapes}
    assert covered == {(c, 1) for c in range(4)}
    assert all(s["fillcolor"] == charts.SUPPRESSED_FILL for s in shapes)
    texts = {(a["x"], a["y"]): a["text"] for a in annotations(chart) if a.get("xref") == "x"}
    assert all(texts[(c, 1)] == "<b>S</b>" for c in range(4))
    assert texts[(0, 0)] == "3.10"
    assert chart.table.rows[1] == ("Supervisor", "–", *(["suppressed"] * 4))
    assert "S = suppressed (fewer than 5 respondents)" in chart.table.caption
    # the group's size is not shown either
    assert "(n =" not in chart.figure["layout"]["yaxis"]["ticktext"][1]


def test_breakdown_numbers_are_written_in_the_cells_as_in_the_table() -> None:
    chart = charts.breakdown_chart(make_instrument(), standard_wave().breakdowns[0])
    z = heatmap(chart)["z"]
    texts = {(a["x"], a["y"]): a["text"] for a in annotations(chart) if a.get("xref") == "x"}
    for r, row in enumerate(z):
        for c, value in enumerate(row):
            if value is not None:
                assert texts[(c, r)] == f"{value:.2f}" == chart.table.rows[r][c + 2]


def test_breakdown_labels_groups_in_spanish() -> None:
    chart = charts.breakdown_chart(make_instrument(), standard_wave().breakdowns[0], "es")
    assert [r[0] for r in chart.table.rows] == [
        "Personal de color",
        "Personal blanco",
        "Sin respuesta",
    ]


def test_gap_is_the_difference_of_means_where_both_groups_are_shown() -> None:
    chart = charts.gap_chart(make_instrument(), standard_wave().breakdowns[0], "poc", "white")
    assert chart is not None
    (bar,) = traces(chart)
    # culture is suppressed for white staff and data for staff of color: both left out.
    assert bar["y"] == ["leadership", "training"]
    assert bar["x"] == [pytest.approx(-0.7), pytest.approx(-0.4)]
    assert chart.table.rows == (
        ("Leadership", "3.00", "3.70", "−0.70"),
        ("Training", "2.90", "3.30", "−0.40"),
    )
    assert "either group is suppressed" in chart.table.caption


def test_gap_against_the_not_answered_group_and_in_reverse() -> None:
    breakdown = standard_wave().breakdowns[0]
    chart = charts.gap_chart(make_instrument(), breakdown, None, "poc")
    assert chart is not None
    assert traces(chart)[0]["x"] == [pytest.approx(0.5), pytest.approx(0.7), pytest.approx(0.1)]
    assert chart.table.headers[1] == "Not answered"


def test_gap_is_none_when_nothing_can_be_shown() -> None:
    inst = make_instrument()
    roles = standard_wave().breakdowns[1]
    assert charts.gap_chart(inst, roles, "frontline", "supervisor") is None  # suppressed group
    assert charts.gap_chart(inst, roles, "frontline", "nobody") is None  # absent group


# -- properties of every chart -------------------------------------------------------------------------


def all_charts(report: ScoreReport | None = None) -> list[Chart]:
    return charts.charts_for_report(make_instrument(), report or standard_report())


def test_charts_for_report_covers_every_wave_and_the_comparison_with_unique_ids() -> None:
    found = all_charts()
    ids = [c.id for c in found]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9_-]+", i) for i in ids)
    assert ids[0] == "ranking-baseline"
    assert ids[-1] == "comparison-baseline-12-month"
    assert "gap-baseline-demo_poc-poc-white" in ids  # a two-group breakdown gets its gap
    assert not any(i.startswith("gap-baseline-demo_role") for i in ids)
    assert len([i for i in ids if i.startswith("items-12-month-")]) == 4
    assert not any(
        c.id.startswith("comparison") for c in all_charts(standard_report(comparison=False))
    )


def test_every_figure_is_plain_json() -> None:
    for chart in all_charts():
        assert plain_json(chart.figure)
        assert set(chart.figure) >= {"data", "layout"}
        assert chart.title
        assert chart.figure["layout"]["title"]["text"]


def test_every_colour_comes_from_the_colour_blind_safe_palette() -> None:
    palette = {c.upper() for c in charts.PALETTE}
    for chart in all_charts():
        used = {c.upper() for c in colours(chart.figure)}
        assert used
        assert used <= palette, chart.id


def test_every_table_is_a_rectangle_of_strings_with_a_caption() -> None:
    for chart in all_charts():
        table = chart.table
        assert table.caption
        assert all(isinstance(h, str) and h for h in table.headers)
        assert table.rows
        for row in table.rows:
            assert len(row) == len(table.headers)
            assert all(isinstance(cell, str) for cell in row)


def test_the_palette_is_okabe_ito_and_a_blue_orange_ramp() -> None:
    assert charts.OKABE_ITO["orange"] == "#E69F00"
    assert charts.OKABE_ITO["blue"] == "#0072B2"
    assert len(charts.DIVERGING_NEGATIVE) == len(charts.DIVERGING_POSITIVE) == 5


def test_instrument_text_is_escaped_for_plotly() -> None:
    inst = make_instrument(area_title="<b onclick=x>Lead & learn</b>")
    chart = charts.ranking_chart(inst, standard_wave())
    text = json.dumps(chart.figure)
    assert "<b onclick" not in text
    assert "&lt;b onclick=x&gt;Lead &amp; learn&lt;/b&gt;" in text
    assert chart.table.rows[0][1] == "<b onclick=x>Lead & learn</b>"  # raw: HTML escapes it later


# -- hypothesis: random results never leak and always serialise ------------------------------------

finite = st.floats(min_value=1.0, max_value=5.0, allow_nan=False).map(lambda v: round(v, 3))
maybe_leak = st.one_of(st.none(), finite)


@st.composite
def focus_area_results(draw: st.DrawFn) -> tuple[FocusAreaResult, ...]:
    out = []
    for fa in AREAS:
        if draw(st.booleans()):
            # Suppressed; sometimes wrongly still carrying figures, which must not show.
            leak = draw(maybe_leak)
            out.append(
                FocusAreaResult(
                    fa,
                    fa,
                    draw(st.none() | st.integers(0, 4)),
                    leak,
                    leak,
                    leak,
                    leak,
                    None if leak is None else 66.6,
                    leak,
                    None,
                    True,
                )
            )
        else:
            mean = draw(finite)
            half = draw(st.floats(0, 1)) if draw(st.booleans()) else None
            out.append(
                FocusAreaResult(
                    fa,
                    fa,
                    draw(st.integers(5, 500)),
                    mean,
                    0.5,
                    None if half is None else mean - half,
                    None if half is None else mean + half,
                    draw(st.none() | st.floats(0, 100)),
                    None,
                    None,
                    False,
                )
            )
    shown = sorted((r for r in out if not r.suppressed), key=lambda r: r.mean or 0)
    return tuple(replace(r, rank=shown.index(r) + 1) if r in shown else r for r in out)


@st.composite
def item_results(draw: st.DrawFn) -> tuple[ItemResult, ...]:
    out = []
    for item_id in ITEMS:
        counts = draw(st.lists(st.integers(0, 30), min_size=6, max_size=6))
        distribution = {str(v): counts[v - 1] for v in range(1, 6)} | {"na": counts[5]}
        suppressed = draw(st.booleans())
        leak = draw(st.booleans())
        out.append(
            ItemResult(
                item_id,
                None if suppressed and not leak else sum(counts),
                None,
                None if suppressed and not leak else distribution,
                suppressed,
            )
        )
    return tuple(out)


@st.composite
def breakdowns(draw: st.DrawFn) -> Breakdown:
    groups = []
    for value in draw(st.lists(st.sampled_from(["poc", "white", None]), unique=True, min_size=1)):
        group_suppressed = draw(st.booleans())
        cells = []
        for fa in AREAS:
            cell_suppressed = group_suppressed or draw(st.booleans())
            mean = draw(maybe_leak) if cell_suppressed else draw(finite)
            cells.append(GroupFocusArea(fa, mean, cell_suppressed))
        groups.append(
            GroupResult(value, value, draw(st.integers(0, 50)), group_suppressed, tuple(cells))
        )
    return Breakdown("demo_poc", tuple(groups))


@st.composite
def comparisons(draw: st.DrawFn) -> Comparison:
    out = []
    for fa in AREAS:
        suppressed = draw(st.booleans())
        if suppressed:
            leak = draw(maybe_leak)
            out.append(
                ComparisonArea(
                    fa,
                    leak,
                    leak,
                    leak,
                    leak,
                    leak,
                    leak,
                    0.001 if leak else None,
                    0.001 if leak else None,
                    True,
                )
            )
        else:
            b, f = draw(finite), draw(finite)
            p = draw(st.none() | st.floats(0, 1))
            out.append(ComparisonArea(fa, b, f, f - b, f - b - 0.3, f - b + 0.3, 0.2, p, p, False))
    return Comparison("baseline", "12-month", tuple(out))


PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(areas=focus_area_results())
def test_random_rankings_serialise_and_never_show_a_suppressed_area(
    areas: tuple[FocusAreaResult, ...],
) -> None:
    wave = WaveResult("baseline", 100, areas, (), ())
    chart = charts.ranking_chart(make_instrument(), wave, min_group_size=MIN)
    assert plain_json(chart.figure)
    bar = traces(chart)[0]
    hidden = {a.id for a in areas if a.suppressed}
    assert len(chart.table.rows) == len(bar["y"]) == len(areas)
    for i, fa in enumerate(bar["y"]):
        if fa in hidden:
            assert bar["x"][i] is None
            assert bar["error_x"]["array"][i] is None
            assert bar["error_x"]["arrayminus"][i] is None
            assert notes_at(chart, fa) == ["<i>suppressed (fewer than 5 respondents)</i>"]
            row = chart.table.rows[i]
            assert digits_free(row[:3] + row[4:])
    shown = sorted((a for a in areas if not a.suppressed), key=lambda a: a.rank or 0)
    assert [r[0] for r in chart.table.rows if r[0] != "–"] == [str(a.rank) for a in shown]
    assert bar["y"][: len(shown)] == [a.id for a in shown]


@PROPERTY
@given(items=item_results())
def test_random_likert_charts_serialise_and_never_show_a_suppressed_item(
    items: tuple[ItemResult, ...],
) -> None:
    wave = WaveResult("baseline", 100, (), items, ())
    hidden = {i.id for i in items if i.suppressed}
    chart = charts.items_chart(make_instrument(), wave, None, min_group_size=MIN)
    assert plain_json(chart.figure)
    for trace in traces(chart):
        for y, x in zip(trace["y"], trace["x"], strict=True):
            if y in hidden:
                assert x is None
            elif x is not None and trace.get("xaxis", "x") == "x":
                if trace["name"] in AGREE[:2]:
                    assert x <= 0
                elif trace["name"] in AGREE[3:]:
                    assert x >= 0
    for row, result in zip(chart.table.rows, items, strict=True):
        if result.suppressed:
            assert digits_free(row[2:])


@PROPERTY
@given(breakdown=breakdowns())
def test_random_breakdowns_and_gaps_never_show_a_suppressed_cell(breakdown: Breakdown) -> None:
    inst = make_instrument()
    chart = charts.breakdown_chart(inst, breakdown, min_group_size=MIN)
    assert plain_json(chart.figure)
    z = heatmap(chart)["z"]
    for r, g in enumerate(breakdown.groups):
        for c, cell in enumerate(g.focus_areas):
            if g.suppressed or cell.suppressed:
                assert z[r][c] is None
                assert chart.table.rows[r][c + 2] == "suppressed"
            else:
                assert z[r][c] == round(cell.mean or 0, 2)
        if g.suppressed:
            assert chart.table.rows[r][1] == "–"

    def cell(g: GroupResult, fa: str) -> GroupFocusArea:
        return next(c for c in g.focus_areas if c.id == fa)

    for first in breakdown.groups:
        for second in breakdown.groups:
            if first is second:
                continue
            gap = charts.gap_chart(inst, breakdown, first.value, second.value)
            shown = [
                fa
                for fa in AREAS
                if not (first.suppressed or second.suppressed)
                and not (cell(first, fa).suppressed or cell(second, fa).suppressed)
            ]
            if not shown:
                assert gap is None
                continue
            assert gap is not None
            assert plain_json(gap.figure)
            (bar,) = traces(gap)
            assert bar["y"] == shown
            for fa, x in zip(bar["y"], bar["x"], strict=True):
                a, b = cell(first, fa).mean, cell(second, fa).mean
                assert a is not None
                assert b is not None
                assert x == round(a - b, 2)


@PROPERTY
@given(comparison=comparisons())
def test_random_comparisons_mark_exactly_the_holm_significant_changes(
    comparison: Comparison,
) -> None:
    chart = charts.comparison_chart(make_instrument(), comparison, min_group_size=MIN)
    assert plain_json(chart.figure)
    hidden = {a.id for a in comparison.focus_areas if a.suppressed}
    for trace in traces(chart):
        assert not hidden & set(trace.get("y") or [])
    expected = [
        a.id
        for a in comparison.focus_areas
        if not a.suppressed and a.p_holm is not None and a.p_holm < 0.05
    ]
    (star,) = [t for t in traces(chart) if "Significant change" in t.get("name", "")]
    assert star["y"] == expected
    for row, result in zip(chart.table.rows, comparison.focus_areas, strict=True):
        assert row[-1] == (
            "yes" if result.id in expected else "no" if not result.suppressed else "–"
        )
        if result.suppressed:
            assert digits_free(row[2:])


# -- HTML ------------------------------------------------------------------------------------------


def test_chart_html_embeds_escaped_json_a_drawing_area_and_the_table() -> None:
    inst = make_instrument(area_title="</script><script>alert(1)</script>")
    chart = charts.ranking_chart(inst, standard_wave())
    html = str(charts.chart_html(chart))
    assert html.count("<script") == 1
    assert html.count("</script>") == 1
    assert "<script>alert(1)" not in html
    match = re.search(
        r'<script type="application/json" id="chart-ranking-baseline-data">(.*?)</script>', html
    )
    assert match is not None
    assert "<" not in match.group(1)
    assert ">" not in match.group(1)
    assert "&" not in match.group(1)
    assert json.loads(match.group(1)) == chart.figure
    assert (
        '<div class="repp-chart" id="chart-ranking-baseline" '
        'data-figure="chart-ranking-baseline-data" role="img" aria-label="' in html
    )
    assert "<caption>Focus areas ranked by mean score: baseline</caption>" in html
    assert html.count('<th scope="col">') == len(chart.table.headers)
    assert html.count('<th scope="row">') == len(chart.table.rows)
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_script_json_escapes_what_could_end_a_script_element() -> None:
    text = charts.script_json({"a": "</script><!-- & \u2028"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}'
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_table_html_escapes_every_cell() -> None:
    html = str(charts.table_html(Table("<i>c</i>", ("<h>",), (("<r>",),))))
    assert "<i>" not in html
    assert "&lt;i&gt;c&lt;/i&gt;" in html
    assert '<th scope="col">&lt;h&gt;</th>' in html
    assert '<th scope="row">&lt;r&gt;</th>' in html


def test_slug_is_safe_and_keeps_different_labels_apart() -> None:
    assert charts.slug("baseline") == "baseline"
    assert charts.slug("12-month") == "12-month"
    assert re.fullmatch(r"[a-z0-9_-]+", charts.slug("Año 1 / <x>"))
    assert charts.slug("año 1") != charts.slug("año-1")


# -- the browser script ---------------------------------------------------------------------------

# One script for both: the report inlines it, the web app serves it (route `charts_js`).
SCRIPT = ROOT / "scoring" / "templates" / "charts.js"


def test_the_drawing_script_uses_no_eval_and_no_inline_handlers() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    for banned in ("eval(", "new Function", "innerHTML", 'setAttribute("on', "document.write"):
        assert banned not in source
    assert "JSON.parse" in source
    assert "displaylogo: false" in source
    assert "responsive: true" in source


NODE_HARNESS = r"""
const fs = require("fs");
const source = fs.readFileSync(process.argv[1], "utf8");
function element(attrs, text) {
  return {
    attrs: Object.assign({}, attrs), textContent: text || "", hidden: false,
    classList: { items: [], add(c) { this.items.push(c); } },
    getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; },
    setAttribute(n, v) { this.attrs[n] = String(v); },
    removeAttribute(n) { delete this.attrs[n]; },
  };
}
function run(withPlotly) {
  const good = element({"data-figure": "a-data"});
  const broken = element({"data-figure": "b-data"});
  const orphan = element({"data-figure": "missing"});
  const blocks = {
    "a-data": element({}, JSON.stringify({data: [{type: "bar", x: [1]}], layout: {height: 300}})),
    "b-data": element({}, "{not json"),
  };
  const calls = [];
  const listeners = {};
  global.window = { addEventListener(e, f) { listeners[e] = f; } };
  if (withPlotly) {
    window.Plotly = {
      newPlot(div, data, layout, config) { calls.push({data, layout, config}); return Promise.resolve(div); },
      relayout() { return Promise.resolve(); }, Plots: { resize() {} },
    };
  }
  global.document = {
    readyState: "complete",
    querySelectorAll(sel) { return sel === ".repp-chart" ? [good, broken, orphan] : []; },
    getElementById(id) { return blocks[id] || null; },
    addEventListener() {},
  };
  new Function(source)();
  return {calls, hidden: [good.hidden, broken.hidden, orphan.hidden],
          drawn: good.getAttribute("data-drawn"), print: "beforeprint" in listeners,
          api: typeof window.ReppCharts.drawAll};
}
console.log(JSON.stringify({with: run(true), without: run(false)}));
"""


def test_the_drawing_script_draws_each_chart_and_leaves_the_table_when_it_cannot() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    out = subprocess.run(
        [node, "-e", NODE_HARNESS, str(SCRIPT)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    result = json.loads(out.stdout)
    drawn = result["with"]
    assert len(drawn["calls"]) == 1
    call = drawn["calls"][0]
    assert call["data"] == [{"type": "bar", "x": [1]}]
    assert call["layout"] == {"height": 300}
    # No toolbar, so no button that sends a chart to an outside server.
    assert call["config"] == {
        "responsive": True,
        "displaylogo": False,
        "displayModeBar": False,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
    }
    assert drawn["hidden"] == [False, True, True]  # unreadable figures: only the table remains
    assert drawn["drawn"] == "true"
    assert drawn["print"] is True
    assert drawn["api"] == "function"
    assert result["without"]["calls"] == []
    assert result["without"]["hidden"] == [True, True, True]
