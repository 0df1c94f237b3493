"""The demo's program year: Harborview's engagement with CfJJ, about to reach its 12-month review.

Started about thirteen months ago: the assessment phase is done, the working group took on the
two lowest-ranked focus areas at baseline (data and engagement), drafted two strategies for each
with survey and hand-entered indicators, leadership validated some and returned one, CfJJ held
quarterly check-ins, trainings were delivered and policies adopted, and the 12-month wave is open.
Every change goes through the same services as the pages, so the audit trail is the real one.

The targets are set so that the 12-month review shows some met and some not whatever the random
seed: the survey targets sit far from where the demo's synthetic staff put the means.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from webapp.models import User
from webapp.program import activity, engagements, framework, people, selection, workplan
from webapp.program.indicators import Direction, IndicatorSource
from webapp.program.models import (
    Engagement,
    MilestoneStatus,
    PolicyStatus,
    ProgressStatus,
    Strategy,
)
from webapp.program.review import Actor, ReviewAction
from webapp.users import find_user_by_email

if TYPE_CHECKING:
    from webapp.demo import DemoData

FACILITATOR = "Renee Alvarez (CfJJ)"

MILESTONES: dict[str, tuple[MilestoneStatus, str | None]] = {
    "kickoff": (
        MilestoneStatus.DONE,
        "Kickoff with the executive director and senior managers: expectations, timeline and "
        "the work plan agreed.",
    ),
    "baseline_assessment": (MilestoneStatus.DONE, "60 staff responded out of 85 invited."),
    "focus_area_selection": (
        MilestoneStatus.DONE,
        "Data and accountability, and youth, family and community engagement.",
    ),
    "working_group": (
        MilestoneStatus.DONE,
        "Five members, from intake, data, training and family partnership.",
    ),
    "strategies_drafted": (MilestoneStatus.DONE, None),
    "leadership_review": (
        MilestoneStatus.IN_PROGRESS,
        "Two strategies validated, one returned with comments, one awaiting review.",
    ),
    "trainings_and_policies": (MilestoneStatus.DONE, "Three trainings; two policies adopted."),
    "followup_assessment": (
        MilestoneStatus.IN_PROGRESS,
        "The 12-month wave is open; the due date moved to its closing day.",
    ),
    "twelve_month_review": (MilestoneStatus.NOT_STARTED, None),
}

MEMBERS = (
    ("Dana Whitfield", "Director of Quality Improvement", "dwhitfield@harborview.example"),
    ("Luis Ortega", "Family Partner Supervisor", "lortega@harborview.example"),
    ("Aisha Grant", "Intake Supervisor", "agrant@harborview.example"),
    ("Mei Chen", "Data Analyst", "mchen@harborview.example"),
    ("Rob Sullivan", "Training Coordinator", "rsullivan@harborview.example"),
)

REASONS = {
    "data": (
        "Lowest-ranked focus area at baseline. Staff told us race and ethnicity are often missing "
        "from records and that decision-point data are not shared; without data we cannot see "
        "gaps or show progress."
    ),
    "engagement": (
        "Among the lowest-ranked at baseline, with few staff agreeing that youth and families of "
        "color help shape our services. Families asked to be heard before policies change."
    ),
}


def _user(session: Session, email: str) -> User:
    user = find_user_by_email(session, email)
    if user is None:
        raise LookupError(f"the demo has no account {email}")
    return user


def build_demo_engagement(session: Session, data: DemoData, today: dt.date) -> Engagement:
    """Create the demo organization's program year, as of `today`."""
    admin = _user(session, data.admin_email)
    leader = _user(session, data.leader_email)
    member = _user(session, data.member_email)
    start = workplan.add_months(today, -13) + dt.timedelta(days=10)
    engagement = engagements.create_engagement(
        session, data.organization, start, FACILITATOR, author=admin
    )
    for milestone in engagement.milestones:
        status, notes = MILESTONES.get(milestone.key, (milestone.status, None))
        due = milestone.due_on
        # The demo's follow-up wave is still open: its milestone ends when the wave closes, and the
        # 12-month review comes two weeks after (a plan is adapted to the organization's year).
        if milestone.key == "followup_assessment" and data.followup.closes_on is not None:
            due = data.followup.closes_on
        if milestone.key == "twelve_month_review" and data.followup.closes_on is not None:
            due = data.followup.closes_on + dt.timedelta(days=14)
        engagements.update_milestone(
            session,
            milestone,
            author=admin,
            due_on=due,
            status=status,
            owner_role=milestone.owner_role,
            notes=notes,
        )

    selection.select_focus_areas(session, engagement, REASONS, author=member)
    for name, role, contact in MEMBERS:
        people.add_member(session, engagement, author=member, name=name, role=role, contact=contact)
    people.offer_to_volunteer(
        session,
        data.organization,
        name="Jordan Reyes",
        role="Caseworker",
        contact="jreyes@harborview.example",
        message="I would like to help with the family advisory council.",
    )

    year_end = workplan.month_end(start, 12)

    def strategy(area: str, title: str, description: str, owner: str, months: int) -> Strategy:
        return framework.add_strategy(
            session,
            engagement,
            actor=Actor.MEMBER,
            author=member,
            focus_area_id=area,
            title=title,
            description=description,
            owner=owner,
            due_on=workplan.month_end(start, months),
        )

    data_report = strategy(
        "data",
        "Publish decision-point data by race every quarter",
        "Report referrals, placements and case closures by race and ethnicity to all staff and "
        "the board each quarter, and fill the gaps in how race and ethnicity are recorded.",
        "Data team",
        12,
    )
    data_training = strategy(
        "data",
        "Data literacy training for supervisors",
        "Train every supervisor to read the quarterly report and discuss gaps in team meetings.",
        "Training coordinator",
        10,
    )
    council = strategy(
        "engagement",
        "Youth and family advisory council",
        "A paid council of youth and parents of color who meet with leadership every other month.",
        "Family partnership program",
        9,
    )
    policy_review = strategy(
        "engagement",
        "Review intake policies with families",
        "Review the intake policies with families before they change.",
        "Intake unit",
        12,
    )

    def indicator(row: Strategy, **fields: object) -> None:
        framework.add_indicator(
            session,
            row,
            actor=Actor.MEMBER,
            author=member,
            **{
                "owner": row.owner,
                "due_on": year_end,
                "unit": None,
                "baseline_value": None,
                **fields,
            },
        )

    survey = "Baseline and 12-month self-assessments"
    indicator(
        data_report,
        name="Data and accountability: mean score",
        source=IndicatorSource.FOCUS_AREA_MEAN,
        source_ref="data",
        direction=Direction.HIGHER,
        target=2.9,
        data_source=survey,
    )
    indicator(
        data_report,
        name="Quarterly race-equity data reports published",
        source=IndicatorSource.MANUAL,
        source_ref=None,
        direction=Direction.HIGHER,
        target=4,
        unit="reports",
        baseline_value=0,
        data_source="Board minutes",
    )
    indicator(
        data_training,
        name="Staff agreeing that leaders share what the data show",
        source=IndicatorSource.ITEM_MEAN,
        source_ref="data_4",
        direction=Direction.HIGHER,
        target=2.7,
        data_source=survey,
    )
    indicator(
        council,
        name="Engagement of youth and families: mean score",
        source=IndicatorSource.FOCUS_AREA_MEAN,
        source_ref="engagement",
        direction=Direction.HIGHER,
        target=3.75,
        data_source=survey,
    )
    indicator(
        council,
        name="Engagement of youth and families: percent favorable",
        source=IndicatorSource.FOCUS_AREA_FAVORABLE,
        source_ref="engagement",
        direction=Direction.HIGHER,
        target=75,
        data_source=survey,
    )
    indicator(
        policy_review,
        name="Intake policies reviewed with families",
        source=IndicatorSource.MANUAL,
        source_ref=None,
        direction=Direction.HIGHER,
        target=6,
        unit="policies",
        baseline_value=0,
        data_source="Policy tracker",
    )

    # Leadership review: the framework and two strategies validated, one returned, one waiting.
    framework.review_framework(
        session, engagement, ReviewAction.SUBMIT, actor=Actor.MEMBER, author=member
    )
    framework.review_framework(
        session, engagement, ReviewAction.VALIDATE, actor=Actor.LEADER, author=leader
    )
    for row in (data_report, data_training, council, policy_review):
        framework.review_strategy(
            session, row, ReviewAction.SUBMIT, actor=Actor.MEMBER, author=member
        )
    for row in (data_report, council):
        framework.review_strategy(
            session, row, ReviewAction.VALIDATE, actor=Actor.LEADER, author=leader
        )
    framework.review_strategy(
        session,
        policy_review,
        ReviewAction.RETURN,
        actor=Actor.LEADER,
        author=leader,
        comment="Say which intake policies come first and how families are paid for their time.",
    )

    data_mean, reports = data_report.indicators
    (leaders_share,) = data_training.indicators
    engagement_mean, engagement_favorable = council.indicators
    policies_reviewed = policy_review.indicators[0]
    checkins = [
        (
            4,
            "Action phase under way: the first quarterly data report is being drafted and the "
            "council's charter is out for comment.",
            {data_report.id: ProgressStatus.ON_TRACK, council.id: ProgressStatus.ON_TRACK},
            {data_mean.id: ProgressStatus.ON_TRACK, engagement_mean.id: ProgressStatus.ON_TRACK},
        ),
        (
            7,
            "Two quarterly reports published. Supervisor training scheduled. The council met twice.",
            {data_training.id: ProgressStatus.ON_TRACK},
            {reports.id: ProgressStatus.ON_TRACK, leaders_share.id: ProgressStatus.ON_TRACK},
        ),
        (
            10,
            "The third report slipped a month. Intake policy review has not started: the unit is "
            "short-staffed.",
            {policy_review.id: ProgressStatus.AT_RISK},
            {
                reports.id: ProgressStatus.AT_RISK,
                policies_reviewed.id: ProgressStatus.AT_RISK,
                engagement_favorable.id: ProgressStatus.AT_RISK,
            },
        ),
        (
            12,
            "Ahead of the 12-month self-assessment: the council's charter adopted; supervisors "
            "trained; the intake policy review restarted and caught up.",
            {data_training.id: ProgressStatus.DONE},
            {policies_reviewed.id: ProgressStatus.ON_TRACK},
        ),
    ]
    for month, notes, strategy_status, indicator_status in checkins:
        activity.record_checkin(
            session,
            engagement,
            author=admin,
            held_on=min(workplan.month_end(start, month), today),
            notes=notes,
            strategy_status=strategy_status,
            indicator_status=indicator_status,
        )
    framework.record_progress(
        session,
        reports,
        author=member,
        status=ProgressStatus.AT_RISK,
        evidence="Reports for the first three quarters are in the board minutes.",
        current_value=3,
    )
    framework.record_progress(
        session,
        policies_reviewed,
        author=member,
        status=ProgressStatus.DONE,
        evidence="Six intake policies reviewed with the council; minutes in the policy tracker.",
        current_value=6,
    )

    for month, title, audience, attended, linked in (
        (3, "Race equity foundations", "All staff", 61, None),
        (6, "Reading decision-point data by race", "Supervisors", 24, data_training),
        (8, "Family partnership in practice", "Frontline staff", 33, council),
    ):
        activity.add_training(
            session,
            engagement,
            author=member,
            held_on=workplan.month_end(start, month),
            title=title,
            audience=audience,
            attended=attended,
            strategy_id=linked.id if linked else None,
        )
    for policy_name, policy_status, adopted_month, linked_strategy in (
        ("Quarterly race-equity data report", PolicyStatus.ADOPTED, 5, data_report),
        ("Youth and family advisory council charter", PolicyStatus.ADOPTED, 9, council),
        ("Intake interview protocol", PolicyStatus.IN_REVIEW, None, policy_review),
    ):
        activity.add_policy(
            session,
            engagement,
            author=member,
            name=policy_name,
            status=policy_status,
            adopted_on=workplan.month_end(start, adopted_month) if adopted_month else None,
            strategy_id=linked_strategy.id,
        )
    session.flush()
    return engagement
