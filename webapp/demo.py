"""The demo: a partner organization with a baseline and a 12-month wave of synthetic responses.

The synthetic staff are drawn from a simple model: each focus area has an organization-wide mean
on the 1–5 agreement scale, each person leans a little more or less positive overall, staff of
color rate culture and leadership somewhat lower than white staff (the kind of perception gap a
breakdown should reveal), and the two focus areas the working group takes on improve by the
12-month wave. Answers are skipped or marked "Don't know" now and then, as real ones are.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

import instrument
import questionnaires
from instrument.conditions import evaluate
from webapp.instruments import add_version
from webapp.models import Organization, Response, Role, Wave, WaveStatus
from webapp.organizations import add_organization
from webapp.program.demo import build_demo_engagement
from webapp.users import add_user
from webapp.waves import create_wave

SELF_ASSESSMENT = "repp-org-self-assessment"
READINESS = "repp-leadership-readiness"

ORG_SLUG = "demo"
ORG_NAME = "Harborview Youth and Family Services (demo)"

BASELINE_MEANS = {
    "leadership": 3.35,
    "workforce": 3.0,
    "culture": 3.25,
    "policy": 3.1,
    "data": 2.45,
    "engagement": 2.7,
    "training": 3.2,
    "resources": 2.95,
}
# The working group's focus areas improve most; the rest drift up a little.
IMPROVEMENT = {"data": 0.75, "engagement": 0.6}
DRIFT = 0.08

# Lower ratings from staff of color on these focus areas: a gap a breakdown should show.
GAP_GROUPS = {"black", "latine", "asian", "another"}
GAP = {"culture": -0.55, "leadership": -0.35, "workforce": -0.3}

DEMOGRAPHIC_WEIGHTS: dict[str, dict[str, float]] = {
    "demo_role": {
        "frontline": 50,
        "supervisor": 20,
        "senior_leader": 7,
        "admin_support": 15,
        "other": 8,
    },
    "demo_race": {
        "black": 25,
        "latine": 22,
        "white": 38,
        "asian": 6,
        "another": 5,
        "prefer_not": 4,
    },
    "demo_tenure": {"under_2": 30, "2_to_5": 35, "6_to_10": 20, "over_10": 15},
    "demo_unit": {"direct": 65, "admin": 25, "other": 10},
}

COMMENTS = {
    "en": {
        "strength": [
            "Our supervisors are starting to talk openly about race in case reviews.",
            "Leadership shared the referral data by race with all staff this year.",
            "We have strong relationships with community partners in the neighborhoods we serve.",
            "People here care about the kids and want to get this right.",
            "The new interview panels are more diverse than before.",
        ],
        "change": [
            "Look at who gets promoted and why; it is not transparent.",
            "Report our decision data by race every quarter, not once a year.",
            "Pay family partners and community groups for their time.",
            "Give frontline staff real time for training instead of adding it on top.",
            "Ask youth and families what they think before we change policies.",
        ],
    },
    "es": {
        "strength": [
            "La supervisión empieza a hablar abiertamente sobre raza en la revisión de casos.",
            "Tenemos buenas relaciones con las organizaciones comunitarias.",
            "Al personal le importan de verdad las y los jóvenes.",
        ],
        "change": [
            "Publicar los datos de decisiones por raza cada trimestre.",
            "Más tiempo pagado para capacitación del personal de primera línea.",
            "Escuchar a las familias antes de cambiar las políticas.",
        ],
    },
}


@dataclass
class Profile:
    """What the synthetic staff of one wave believe, on average."""

    means: dict[str, float]
    gap: dict[str, float] = field(default_factory=lambda: dict(GAP))
    skip_rate: float = 0.03
    na_rate: float = 0.04
    demographic_skip_rate: float = 0.08
    text_rate: float = 0.3
    spanish_rate: float = 0.2


def baseline_profile() -> Profile:
    return Profile(means=dict(BASELINE_MEANS))


def followup_profile() -> Profile:
    means = {fa: m + IMPROVEMENT.get(fa, DRIFT) for fa, m in BASELINE_MEANS.items()}
    # The year's work on culture narrows the gap somewhat, without closing it.
    return Profile(means=means, gap={fa: g * 0.7 for fa, g in GAP.items()})


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    values = list(weights)
    return rng.choices(values, weights=[weights[v] for v in values])[0]


def _persona(inst: instrument.Instrument, rng: random.Random) -> dict[str, str]:
    persona: dict[str, str] = {}
    for item in inst.demographic_items:
        weights = DEMOGRAPHIC_WEIGHTS.get(item.id) or {v: 1.0 for v in item.option_values}
        weights = {v: w for v, w in weights.items() if v in item.option_values}
        persona[item.id] = _weighted(rng, weights)
    return persona


def synthetic_answers(
    inst: instrument.Instrument, profile: Profile, rng: random.Random, language: str
) -> dict[str, Any]:
    """Return one respondent's answers, respecting show_if and every item's type."""
    persona = _persona(inst, rng)
    lean = rng.gauss(0, 0.45)
    in_gap_group = persona.get("demo_race") in GAP_GROUPS
    answers: dict[str, Any] = {}
    for section in inst.sections:
        if section.show_if is not None and not evaluate(section.show_if, answers):
            continue
        for item in section.items:
            if item.show_if is not None and not evaluate(item.show_if, answers):
                continue
            value = _answer(inst, item, profile, rng, language, persona, lean, in_gap_group)
            if value is not None:
                answers[item.id] = value
    return answers


def _answer(
    inst: instrument.Instrument,
    item: instrument.AnyItem,
    profile: Profile,
    rng: random.Random,
    language: str,
    persona: Mapping[str, str],
    lean: float,
    in_gap_group: bool,
) -> Any:
    if isinstance(item, instrument.SingleChoiceItem) and item.demographic:
        return None if rng.random() < profile.demographic_skip_rate else persona[item.id]
    if isinstance(item, instrument.LikertItem):
        scale = inst.scale(item.scale)
        if rng.random() < profile.skip_rate:
            return None
        if scale.not_applicable is not None and rng.random() < profile.na_rate:
            return instrument.NOT_APPLICABLE
        mean = profile.means.get(item.focus_area or "", 3.4) + lean
        if in_gap_group:
            mean += profile.gap.get(item.focus_area or "", 0.0)
        score = min(max(round(rng.gauss(mean, 0.8)), scale.min), scale.max)
        # A reverse-worded item is answered on the opposite end by the same person.
        value = scale.reverse(score) if item.reverse else score
        return min(scale.values, key=lambda v: abs(v - value))
    if isinstance(item, instrument.SingleChoiceItem):
        return rng.choice(item.option_values)
    if isinstance(item, instrument.MultipleChoiceItem):
        count = rng.randint(1, min(3, len(item.options)))
        return rng.sample(list(item.option_values), count)
    if isinstance(item, instrument.NumberItem):
        low = item.min if item.min is not None else 0
        high = item.max if item.max is not None else low + 20
        return (
            rng.randint(int(low), int(high)) if item.integer else round(rng.uniform(low, high), 1)
        )
    if isinstance(item, instrument.TextItem):
        if rng.random() >= profile.text_rate:
            return None
        pool = COMMENTS.get(language, COMMENTS["en"])
        kind = "strength" if "strength" in item.id or "hope" in item.id else "change"
        text = rng.choice(pool[kind])
        return text[: item.max_length] if item.max_length else text
    return None


def add_synthetic_responses(
    session: Session,
    wave: Wave,
    inst: instrument.Instrument,
    profile: Profile,
    count: int,
    rng: random.Random,
    *,
    first_day: dt.date,
    days: int,
) -> int:
    """Store `count` synthetic responses, each checked like a real one; return the count."""
    for _ in range(count):
        language = "es" if "es" in inst.languages and rng.random() < profile.spanish_rate else "en"
        answers = synthetic_answers(inst, profile, rng, language)
        problems = instrument.response_problems(inst, answers)
        if problems:
            raise AssertionError(f"synthetic answers do not fit the instrument: {problems}")
        session.add(
            Response(
                wave_id=wave.id,
                language=language,
                submitted_on=first_day + dt.timedelta(days=rng.randrange(days)),
                answers=answers,
            )
        )
    session.flush()
    return count


@dataclass(frozen=True)
class DemoData:
    organization: Organization
    baseline: Wave
    followup: Wave
    admin_email: str
    admin_password: str
    leader_email: str
    leader_password: str
    #: A working-group member's account (the program year's records).
    member_email: str
    member_password: str


def build_demo(
    session: Session,
    *,
    today: dt.date,
    seed: int | None = None,
    baseline_count: int = 60,
    followup_count: int = 58,
) -> DemoData:
    """Fill an empty database with the demo organization, its two waves, three accounts and
    its program year with CfJJ."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    inst = questionnaires.load(SELF_ASSESSMENT)
    version, _ = add_version(session, inst)
    add_version(session, questionnaires.load(READINESS))
    org = add_organization(session, ORG_SLUG, ORG_NAME, "child-welfare")
    baseline = create_wave(
        session,
        org,
        version,
        "baseline",
        expected_headcount=85,
        opens_on=today - dt.timedelta(days=365),
        closes_on=today - dt.timedelta(days=340),
        status=WaveStatus.CLOSED,
    )
    followup = create_wave(
        session,
        org,
        version,
        "12-month",
        expected_headcount=80,
        opens_on=today - dt.timedelta(days=14),
        closes_on=today + dt.timedelta(days=14),
        status=WaveStatus.OPEN,
    )
    add_synthetic_responses(
        session,
        baseline,
        inst,
        baseline_profile(),
        baseline_count,
        rng,
        first_day=today - dt.timedelta(days=365),
        days=21,
    )
    add_synthetic_responses(
        session,
        followup,
        inst,
        followup_profile(),
        followup_count,
        rng,
        first_day=today - dt.timedelta(days=14),
        days=14,
    )
    admin_password = secrets.token_urlsafe(12)
    leader_password = secrets.token_urlsafe(12)
    admin_email = "admin@cfjj.example"
    leader_email = "director@harborview.example"
    add_user(session, admin_email, admin_password, Role.ADMIN)
    add_user(session, leader_email, leader_password, Role.LEADER, org)
    member_password = secrets.token_urlsafe(12)
    member_email = "workinggroup@harborview.example"
    add_user(session, member_email, member_password, Role.MEMBER, org)
    data = DemoData(
        org,
        baseline,
        followup,
        admin_email,
        admin_password,
        leader_email,
        leader_password,
        member_email,
        member_password,
    )
    build_demo_engagement(session, data, today)
    return data
