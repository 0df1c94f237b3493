"""The report download: one self-contained HTML file per organization and instrument, in the
viewer's language, with its own CSP, the comparison when there is one, and extra sections."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from markupsafe import Markup
from sqlalchemy.orm import Session

from scoring.report import ReportSection, plotly_js
from tests.webapp.test_admin_support import make_world, signed_in
from tests.webapp.test_dashboard_comparison import with_followup
from tests.webapp.test_dashboard_support import (
    add_responses,
    clear_caches,
    groups_of_three_sizes,
    survey_document,
)
from webapp import report_sections
from webapp.db import Database
from webapp.models import Organization

REPORT_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()


def test_the_report_is_one_file_that_fetches_nothing(app: Flask, db: Database) -> None:
    world, _ = with_followup(db)
    response = signed_in(app, "lead@a.org").get(f"/dashboard/organizations/{world.org_a}/report")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="repp-report-org-a-groups-en.html"'
    )
    assert response.headers["Content-Security-Policy"] == REPORT_CSP
    page = response.text
    bundle = str(plotly_js())
    assert bundle in page, "plotly.js is inlined"
    rest = page.replace(bundle, "")
    assert not re.findall(r"https?://", rest)
    targets = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", rest)
    assert targets, "the report links its own sections"
    assert [t for t in targets if not t.startswith("#")] == []
    # Every wave, then the comparison.
    assert "Results: baseline" in page
    assert "Results: 12-month" in page
    assert "baseline compared with 12-month" in page


def test_the_report_speaks_the_viewers_language(app: Flask, db: Database) -> None:
    world, _ = with_followup(db)
    leader = signed_in(app, "lead@a.org")
    spanish = leader.get(f"/dashboard/organizations/{world.org_a}/report?lang=es")
    assert '<html lang="es"' in spanish.text
    assert "Liderazgo" in spanish.text
    assert spanish.headers["Content-Disposition"].endswith('-es.html"')
    # A language the instrument does not speak falls back to the page's.
    other = leader.get(f"/dashboard/organizations/{world.org_a}/report?lang=fr")
    assert '<html lang="en"' in other.text


def test_the_report_escapes_instrument_text(app: Flask, db: Database) -> None:
    doc = survey_document()
    doc["focus_areas"][0]["title"] = {"en": "<script>alert(1)</script>", "es": "x"}
    world = make_world(db, doc)
    add_responses(db, world.wave_a, groups_of_three_sizes())
    page = signed_in(app, "lead@a.org").get(f"/dashboard/organizations/{world.org_a}/report").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_registered_sections_are_added_to_the_report(app: Flask, db: Database) -> None:
    world, _ = with_followup(db)
    seen: list[tuple[str, str]] = []

    def review(session: Session, org: Organization, language: str) -> list[ReportSection]:
        seen.append((org.slug, language))
        return [ReportSection("12-month review", Markup("<p>{}</p>").format("<b>done</b>"))]

    report_sections.register(review)
    report_sections.register(review)
    try:
        assert report_sections.providers().count(review) == 1
        page = (
            signed_in(app, "lead@a.org")
            .get(f"/dashboard/organizations/{world.org_a}/report?lang=es")
            .text
        )
    finally:
        report_sections.unregister(review)
    assert seen == [("org-a", "es")]
    assert "12-month review" in page
    assert "<p>&lt;b&gt;done&lt;/b&gt;</p>" in page
    assert review not in report_sections.providers()


def test_an_unknown_instrument_or_an_organization_without_waves_is_404(
    app: Flask, db: Database
) -> None:
    world = make_world(db, survey_document())
    admin = signed_in(app, "admin@cfjj.org")
    path = f"/dashboard/organizations/{world.org_a}/report"
    assert admin.get(f"{path}?instrument=999").status_code == 404
    with db.transaction() as s:
        org = Organization(slug="empty", name="Empty")
        s.add(org)
        s.flush()
        empty = org.id
    assert admin.get(f"/dashboard/organizations/{empty}/report").status_code == 404
