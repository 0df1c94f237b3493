"""What the program-year tests share: an instrument with two focus areas and a breakdown, two
organizations each with a baseline and a 12-month wave of fixed answers and a program year in
progress, their accounts, and signed-in clients. Its own tests check the world itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import instrument
from tests.support import csrf_token
from tests.webapp.test_admin_support import PASSWORD, signed_in
from webapp.db import Database
from webapp.instruments import add_version
from webapp.models import Organization, Response, Role, User, Wave, WaveStatus
from webapp.organizations import add_organization
from webapp.program import activity, engagements, framework, people, selection
from webapp.program.indicators import Direction, IndicatorSource
from webapp.program.models import AuditEvent, Engagement, PolicyStatus
from webapp.program.review import Actor
from webapp.security import hash_password
from webapp.waves import create_wave

__all__ = ["PASSWORD", "signed_in"]

START = dt.date(2025, 1, 15)


def _t(en: str) -> dict[str, str]:
    return {"en": en, "es": f"{en} (es)"}


PROGRAM_DOC: dict[str, Any] = {
    "format": "repp-instrument/1",
    "id": "program-test",
    "version": "1",
    "title": _t("Program test survey"),
    "languages": ["en", "es"],
    "scales": {
        "agree": {"points": [{"value": v, "label": _t(f"Point {v}")} for v in range(1, 6)]},
    },
    "focus_areas": [
        {"id": "lead", "title": _t("Leadership")},
        {"id": "data", "title": _t("Data and accountability")},
    ],
    "sections": [
        {
            "id": "s1",
            "title": _t("Statements"),
            "items": [
                *(
                    {
                        "id": f"lead_{i}",
                        "type": "likert",
                        "scale": "agree",
                        "focus_area": "lead",
                        "text": _t(f"Leadership statement {i}"),
                    }
                    for i in (1, 2)
                ),
                *(
                    {
                        "id": f"data_{i}",
                        "type": "likert",
                        "scale": "agree",
                        "focus_area": "data",
                        "text": _t(f"Data statement {i}"),
                    }
                    for i in (1, 2)
                ),
            ],
        },
        {
            "id": "s2",
            "title": _t("About you"),
            "items": [
                {
                    "id": "group",
                    "type": "single_choice",
                    "demographic": True,
                    "text": _t("Your group"),
                    "options": [
                        {"value": "a", "label": _t("Group A")},
                        {"value": "b", "label": _t("Group B")},
                    ],
                }
            ],
        },
    ],
}


def answers(count: int, shift: int) -> list[dict[str, Any]]:
    """Return `count` fixed responses; `shift` raises the data answers (the year's progress)."""
    out = []
    for i in range(count):
        low = 1 + i % 3
        out.append(
            {
                "lead_1": 2 + i % 3,
                "lead_2": 3 + i % 2,
                "data_1": min(5, low + shift),
                "data_2": min(5, 1 + i % 2 + shift),
                "group": "a" if i % 2 else "b",
            }
        )
    return out


@cache
def password_hash() -> str:
    # argon2id is slow on purpose: hash once per test run.
    return hash_password(PASSWORD)


def add_account(session: Session, email: str, role: Role, org: Organization | None = None) -> User:
    user = User(email=email, password_hash=password_hash(), role=role, organization=org)
    session.add(user)
    session.flush()
    return user


@dataclass
class Year:
    """One organization's waves, accounts and program year, by id."""

    org: int
    slug: str
    baseline: int
    followup: int
    followup_slug: str
    engagement: int
    leader: str
    member: str
    milestone: int
    strategy: int
    indicator: int
    manual: int
    checkin: int
    training: int
    policy: int
    working_member: int
    offer: str
    #: Records the authorization tests may delete (or accept).
    spare_strategy: int
    spare_indicator: int
    spare_training: int
    spare_policy: int
    spare_member: int
    accept_offer: str
    discard_offer: str


@dataclass
class ProgramWorld:
    version: int
    admin: str
    a: Year
    b: Year


def _year(
    session: Session,
    version: Any,
    slug: str,
    admin: User,
    *,
    followup_count: int,
    min_group_size: int,
) -> Year:
    inst = instrument.load(PROGRAM_DOC)
    org = add_organization(session, slug, f"Organization {slug.upper()}", "education")
    baseline = create_wave(
        session, org, version, "baseline", status=WaveStatus.CLOSED, min_group_size=min_group_size
    )
    followup = create_wave(
        session, org, version, "12-month", status=WaveStatus.OPEN, min_group_size=min_group_size
    )
    for wave, rows in ((baseline, answers(10, 0)), (followup, answers(followup_count, 2))):
        for row in rows:
            assert instrument.response_problems(inst, row) == {}
            session.add(Response(wave_id=wave.id, language="en", submitted_on=START, answers=row))
    session.flush()
    leader = add_account(session, f"lead@{slug}.org", Role.LEADER, org)
    member = add_account(session, f"member@{slug}.org", Role.MEMBER, org)
    engagement = engagements.create_engagement(session, org, START, "Pat Facilitator", author=admin)
    selection.select_focus_areas(
        session,
        engagement,
        {"data": "Lowest at baseline.", "lead": "Leaders asked."},
        author=member,
    )

    def strategy(title: str, area: str = "data") -> Any:
        return framework.add_strategy(
            session,
            engagement,
            actor=Actor.MEMBER,
            author=member,
            focus_area_id=area,
            title=title,
            description="What we will do.",
            owner="Data team",
            due_on=dt.date(2025, 12, 31),
        )

    def indicator(row: Any, **fields: Any) -> Any:
        base = {
            "owner": "Data team",
            "data_source": "Self-assessments",
            "due_on": dt.date(2025, 12, 31),
            "unit": None,
            "baseline_value": None,
            "direction": Direction.HIGHER,
        }
        return framework.add_indicator(
            session, row, actor=Actor.MEMBER, author=member, **{**base, **fields}
        )

    main = strategy("Quarterly data reports")
    spare = strategy("A strategy to delete", "lead")
    survey = indicator(
        main,
        name="Data mean",
        source=IndicatorSource.FOCUS_AREA_MEAN,
        source_ref="data",
        target=3.0,
    )
    manual = indicator(
        main,
        name="Reports published",
        source=IndicatorSource.MANUAL,
        source_ref=None,
        target=4,
        unit="reports",
        baseline_value=0,
    )
    spare_indicator = indicator(
        spare,
        name="Leadership favorable",
        source=IndicatorSource.FOCUS_AREA_FAVORABLE,
        source_ref="lead",
        target=80,
    )
    checkin = activity.record_checkin(
        session, engagement, author=admin, held_on=dt.date(2025, 4, 1), notes="First check."
    )
    trainings = [
        activity.add_training(
            session,
            engagement,
            author=member,
            held_on=dt.date(2025, 5, 1),
            title=title,
            audience="Supervisors",
            attended=12,
            strategy_id=main.id,
        )
        for title in ("Reading the data", "Spare training")
    ]
    policies = [
        activity.add_policy(
            session,
            engagement,
            author=member,
            name=name,
            status=PolicyStatus.DRAFTING,
            adopted_on=None,
            strategy_id=main.id,
        )
        for name in ("Data policy", "Spare policy")
    ]
    members = [
        people.add_member(
            session, engagement, author=member, name=name, role="Analyst", contact=None
        )
        for name in ("Sam Member", "Spare Member")
    ]
    offers = [
        people.offer_to_volunteer(
            session, org, name=name, role=None, contact=f"{name[0]}@{slug}.org", message=None
        )
        for name in ("Offer To Accept", "Offer To Discard", "Offer Kept")
    ]
    session.flush()
    return Year(
        org=org.id,
        slug=slug,
        baseline=baseline.id,
        followup=followup.id,
        followup_slug=followup.link_slug,
        engagement=engagement.id,
        leader=leader.email,
        member=member.email,
        milestone=engagement.milestones[0].id,
        strategy=main.id,
        indicator=survey.id,
        manual=manual.id,
        checkin=checkin.id,
        training=trainings[0].id,
        policy=policies[0].id,
        working_member=members[0].id,
        offer=offers[2].id,
        spare_strategy=spare.id,
        spare_indicator=spare_indicator.id,
        spare_training=trainings[1].id,
        spare_policy=policies[1].id,
        spare_member=members[1].id,
        accept_offer=offers[0].id,
        discard_offer=offers[1].id,
    )


def make_program_world(
    db: Database, *, followup_count: int = 10, min_group_size: int = 5
) -> ProgramWorld:
    inst = instrument.load(PROGRAM_DOC)
    with db.transaction() as s:
        version, _new = add_version(s, inst)
        admin = add_account(s, "admin@cfjj.org", Role.ADMIN)
        a = _year(
            s, version, "org-a", admin, followup_count=followup_count, min_group_size=min_group_size
        )
        b = _year(
            s, version, "org-b", admin, followup_count=followup_count, min_group_size=min_group_size
        )
        return ProgramWorld(version.id, admin.email, a, b)


def token(client: FlaskClient, path: str = "/program/") -> str:
    return csrf_token(client.get(path).text)


def audit_count(db: Database, engagement_id: int | None = None) -> int:
    with db.session() as s:
        query = select(func.count()).select_from(AuditEvent)
        if engagement_id is not None:
            query = query.where(AuditEvent.engagement_id == engagement_id)
        return s.scalar(query) or 0


def load_engagement(db: Database, engagement_id: int) -> Engagement:
    s = db.session()
    engagement = s.get(Engagement, engagement_id)
    assert engagement is not None
    return engagement


def client_for(app: Flask, email: str) -> FlaskClient:
    return signed_in(app, email)


# -- the world's own checks ----------------------------------------------------------------------


def test_the_world_has_two_organizations_with_a_year_each(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.session() as s:
        for year in (world.a, world.b):
            engagement = s.get(Engagement, year.engagement)
            assert engagement is not None
            assert engagement.organization_id == year.org
            assert engagement.selected_ids == ["lead", "data"]
            assert len(engagement.strategies) == 2
            assert len(engagement.indicators) == 3
            waves = {
                w.label: w.id
                for w in s.scalars(select(Wave).where(Wave.organization_id == year.org))
            }
            assert (engagement.baseline_wave_id, engagement.followup_wave_id) == (
                waves["baseline"],
                waves["12-month"],
            )
        assert len({world.a.offer, world.a.accept_offer, world.a.discard_offer}) == 3


def test_the_fixed_answers_fit_the_instrument() -> None:
    inst = instrument.load(PROGRAM_DOC)
    for shift in (0, 2):
        for row in answers(12, shift):
            assert instrument.response_problems(inst, row) == {}
