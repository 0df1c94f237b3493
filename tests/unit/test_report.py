"""The leadership report: one self-contained, escaped HTML file with every chart and its table."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from scoring import charts, report
from scoring.report import ReportSection, render_report
from scoring.results import ScoreReport, WaveResult
from tests.unit.test_charts import (
    MIN,
    area,
    make_instrument,
    standard_report,
    standard_wave,
)

EVIL = "<script>alert(1)</script>"


class Elements(HTMLParser):
    """Collect every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._text = dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def without_bundle(html: str) -> str:
    """Return the document with the inlined plotly.js bundle cut out."""
    bundle = str(report.plotly_js())
    assert html.count(bundle) == 1
    return html.replace(bundle, "")


@pytest.fixture(scope="module")
def english() -> str:
    return render_report(
        make_instrument(),
        standard_report(),
        organization="Youth Services <Inc> & Co",
        extra_sections=[
            ReportSection("Program year <review>", Markup('<p class="review">Twelve months.</p>')),
            ReportSection("Next steps", Markup("<ul><li>Hire.</li></ul>")),
        ],
    )


@pytest.fixture(scope="module")
def spanish() -> str:
    return render_report(make_instrument(), standard_report(), language="es")


@pytest.fixture(scope="module")
def without_comparison() -> str:
    return render_report(make_instrument(), standard_report(comparison=False))


@pytest.fixture(scope="module")
def malicious() -> str:
    inst = make_instrument(title=EVIL, area_title=EVIL)
    return render_report(
        inst,
        standard_report(),
        organization=EVIL,
        extra_sections=[ReportSection(EVIL, Markup("<p>ok</p>"))],
    )


def test_the_report_is_one_html_document(english: str) -> None:
    assert english.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert english.count("<html") == 1
    assert english.rstrip().endswith("</html>")
    assert english.count("<body>") == english.count("</body>") == 1
    assert '<meta charset="utf-8">' in english


def test_the_report_loads_nothing_from_anywhere(english: str) -> None:
    elements = parse(english)
    for tag, attrs in elements.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), tag
        assert "src" not in attrs, tag
        if "href" in attrs:
            assert (attrs["href"] or "").startswith("#"), attrs
    rest = without_bundle(english)
    assert not re.search(r"https?:", rest)
    assert not re.search(r"""(src|href)\s*=\s*["']?//""", rest)
    assert "url(" not in rest
    assert "@import" not in rest


def test_plotly_and_the_drawing_script_are_inlined(english: str) -> None:
    elements = parse(english)
    inline = [text for attrs, text in elements.scripts if "type" not in attrs]
    assert len(inline) == 2
    assert inline[0] == str(report.plotly_js())
    assert "plotly.js v" in inline[0][:200]
    packaged = resources.files("scoring") / "templates" / "charts.js"
    assert inline[1] == packaged.read_text(encoding="utf-8")
    # The bundle is read once.
    assert report.plotly_js() is report.plotly_js()


def test_inlined_scripts_cannot_close_their_element_early() -> None:
    assert "</script" not in str(report.plotly_js()).lower()
    assert str(report._inline_script('a = "</script>";')) == 'a = "<\\/script>";'


def test_every_chart_is_there_with_its_data_and_table(english: str) -> None:
    expected = charts.charts_for_report(make_instrument(), standard_report())
    elements = parse(english)
    divs = [attrs for tag, attrs in elements.tags if "repp-chart" in (attrs.get("class") or "")]
    blocks = {
        attrs["id"]: text
        for attrs, text in elements.scripts
        if attrs.get("type") == "application/json"
    }
    assert [d["id"] for d in divs] == [f"chart-{c.id}" for c in expected]
    for div, chart in zip(divs, expected, strict=True):
        assert div["role"] == "img"
        assert div["aria-label"]
        assert json.loads(blocks[div["data-figure"] or ""]) == chart.figure
    assert english.count("<caption>") == len(expected) + 1  # and the summary table
    ids = [attrs["id"] for _, attrs in elements.tags if attrs.get("id")]
    assert len(ids) == len(set(ids))


def test_the_summary_names_waves_respondents_and_the_first_three_priorities(
    english: str,
) -> None:
    summary = english[english.index('id="summary"') : english.index('id="wave-baseline"')]
    assert '<th scope="row">baseline</th>' in summary
    assert "<td>48</td>" in summary
    assert re.search(
        r'<li value="1">Culture \(mean 2\.60\)</li>\s*<li value="2">Training \(mean 3\.10\)</li>'
        r'\s*<li value="3">Leadership \(mean 3\.40\)</li>',
        summary,
    )
    assert "Data and accountability" not in summary  # suppressed: never a priority
    assert "Leadership: +0.30" in summary
    assert "Culture: +0.30" in summary
    assert "Training: " not in summary  # p_holm = 0.05 is not significant


def test_the_summary_lists_only_three_priorities() -> None:
    wave = replace(
        standard_wave(),
        focus_areas=tuple(
            area(fa, 2.0 + i / 10, rank=i + 1)
            for i, fa in enumerate(("leadership", "culture", "data", "training"))
        ),
    )
    html = render_report(make_instrument(), replace(standard_report(), waves=(wave,)))
    summary = html[html.index('id="summary"') : html.index('id="wave-baseline"')]
    assert summary.count("<li value=") == 3
    assert "Training (mean" not in summary


def test_the_methods_and_suppression_notes_are_there(english: str) -> None:
    methods = english[english.index('id="methods"') :]
    for phrase in (
        "at least half",
        "t interval",
        "Percent favorable",
        "Cronbach's alpha",
        "Welch 95% interval",
        "Hedges' g",
        "Mann–Whitney",
        "Holm's method",
        "reverse-scored",
    ):
        assert phrase in methods, phrase
    suppression = english[english.index('id="suppression"') :]
    assert f"No figure describes fewer than {MIN} respondents" in suppression
    assert "Complementary suppression" in suppression
    assert "free-text" in suppression
    assert "never included" in suppression


def test_instrument_text_and_every_caller_string_are_escaped(malicious: str) -> None:
    assert EVIL not in malicious
    assert "<script>alert" not in malicious
    escaped = str(escape(EVIL))
    assert f"<title>{escaped} — {escaped}</title>" in malicious
    assert f"<h1>{escaped}</h1>" in malicious
    assert f'<h2 id="section-1">{escaped}</h2>' in malicious
    assert f'<th scope="row">{escaped}</th>' in malicious  # a focus area in a table
    scripts = parse(malicious).scripts
    assert len(scripts) == 2 + len(charts.charts_for_report(make_instrument(), standard_report()))


def test_the_organization_is_escaped_and_optional(english: str, without_comparison: str) -> None:
    assert '<p class="organization">Youth Services &lt;Inc&gt; &amp; Co</p>' in english
    assert 'class="organization"' not in without_comparison


def test_the_comparison_section_appears_only_with_a_comparison(
    english: str, without_comparison: str
) -> None:
    assert '<h2 id="comparison">baseline compared with 12-month</h2>' in english
    assert 'id="chart-comparison-baseline-12-month"' in english
    assert 'id="comparison"' not in without_comparison
    assert "chart-comparison" not in without_comparison
    assert "after Holm's adjustment" not in without_comparison.split('id="methods"')[0]


def test_extra_sections_appear_in_order_with_their_markup(english: str) -> None:
    first = english.index('<h2 id="section-1">Program year &lt;review&gt;</h2>')
    second = english.index('<h2 id="section-2">Next steps</h2>')
    assert english.index('id="comparison"') < first < second < english.index('id="methods"')
    assert '<p class="review">Twelve months.</p>' in english
    assert '<a href="#section-1">Program year &lt;review&gt;</a>' in english


def test_plain_text_in_an_extra_section_is_escaped() -> None:
    html = render_report(
        make_instrument(),
        standard_report(comparison=False),
        extra_sections=[ReportSection("Notes", EVIL)],  # type: ignore[arg-type]
    )
    assert EVIL not in html
    assert str(escape(EVIL)) in html


def test_the_spanish_report_reads_spanish(spanish: str) -> None:
    assert spanish.startswith('<!DOCTYPE html>\n<html lang="es">')
    for heading in (
        '<h2 id="summary">Resumen</h2>',
        "Clasificación de las áreas de enfoque",
        "Respuestas a cada afirmación",
        "Resultados por grupo",
        '<h2 id="comparison">baseline en comparación con 12-month</h2>',
        "Cómo se calculan las puntuaciones",
        "Privacidad y supresión",
        "Supresión complementaria",
    ):
        assert heading in spanish, heading
    assert "Cultura (media 2.60)" in spanish
    assert "Personal de color" in spanish
    for english_heading in ("How the scores are computed", "Privacy and suppression", ">Summary<"):
        assert english_heading not in spanish


def test_the_language_defaults_to_the_instruments_and_unknown_ones_fall_back(
    english: str,
) -> None:
    html = render_report(make_instrument(), standard_report(comparison=False), language="fr")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "How the scores are computed" in html


def test_print_css_keeps_charts_whole_and_tables_readable(english: str) -> None:
    style = english[english.index("<style>") : english.index("</style>")]
    assert "@page" in style
    assert "@media print" in style
    assert "break-inside: avoid" in style
    assert "thead { display: table-header-group; }" in style
    printed = style.split("@media print")[1]
    assert not re.search(
        r"(table|caption|tbody|thead|tr|td|th)[^{}]*\{[^}]*display:\s*none", printed
    )


def test_a_report_without_waves_still_renders() -> None:
    empty = ScoreReport("test-instrument", "1", MIN, (), None)
    html = render_report(make_instrument(), empty)
    assert 'id="summary"' in html
    assert not [a for tag, a in parse(html).tags if tag == "div" and "repp-chart" in str(a)]
    assert "No focus area can be shown." not in html  # no wave, so no row to say it in


def test_a_wave_without_results_still_renders() -> None:
    wave = WaveResult("baseline", 0, (), (), ())
    html = render_report(make_instrument(), ScoreReport("test-instrument", "1", MIN, (wave,), None))
    assert "No focus area can be shown." in html


def test_the_template_ships_inside_the_package() -> None:
    templates = resources.files("scoring") / "templates"
    for name in ("report.html", "methods.en.html", "methods.es.html", "charts.js"):
        assert (templates / name).is_file(), name


@settings(max_examples=25, deadline=None)
@given(organization=st.text(max_size=40), title=st.text(min_size=1, max_size=40))
def test_any_caller_text_comes_out_escaped(organization: str, title: str) -> None:
    small = ScoreReport(
        "test-instrument", "1", MIN, (replace(standard_wave(), items=(), breakdowns=()),), None
    )
    html = render_report(
        make_instrument(),
        small,
        organization=organization or None,
        extra_sections=[ReportSection(title, Markup(""))],
    )
    assert f'<h2 id="section-1">{escape(title)}</h2>' in html
    if organization:
        assert f'<p class="organization">{escape(organization)}</p>' in html
    # Whatever the text, the document keeps exactly its own scripts: bundle, drawing, one chart.
    types = [attrs.get("type") for attrs, _ in parse(html).scripts]
    assert types == ["application/json", None, None]
