"""Strategies and the accountability framework (their indicators): create, edit, delete, review.

Content changes go through the review state machine (`review.transition(..., EDIT, ...)`): a
strategy is edited only as a draft or after it was returned, and the framework's indicators only
while the framework is a draft or returned. Progress (a status, a current value, evidence notes)
is recorded at any time. Every change is audited.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy.orm import Session

import instrument
from webapp.errors import DomainError
from webapp.program import audit
from webapp.program.audit import Author
from webapp.program.indicators import Direction, IndicatorSource
from webapp.program.models import (
    Engagement,
    Indicator,
    ProgressStatus,
    Strategy,
)
from webapp.program.review import Actor, ReviewAction, ReviewError, ReviewState, transition
from webapp.program.selection import engagement_instrument
from webapp.program.text import MAX_NOTES, clean_text, required_text

STRATEGY_FIELDS = (
    "focus_area_id",
    "title",
    "description",
    "owner",
    "due_on",
    "status",
    "review_state",
)
INDICATOR_FIELDS = (
    "strategy_id",
    "name",
    "source",
    "source_ref",
    "direction",
    "unit",
    "baseline_value",
    "current_value",
    "target",
    "owner",
    "due_on",
    "data_source",
    "status",
    "evidence",
)


# -- strategies ----------------------------------------------------------------------------------


def _strategy_values(
    engagement: Engagement,
    *,
    focus_area_id: str,
    title: str,
    description: str | None,
    owner: str | None,
    due_on: dt.date | None,
) -> dict[str, Any]:
    if focus_area_id not in engagement.selected_ids:
        raise DomainError(
            f"{focus_area_id!r} is not a selected focus area; select it on the focus-area page first"
        )
    return {
        "focus_area_id": focus_area_id,
        "title": required_text(title, "the strategy's title"),
        "description": clean_text(description, "the description", limit=MAX_NOTES, required=False),
        "owner": clean_text(owner, "the owner", required=False),
        "due_on": due_on,
    }


def add_strategy(
    session: Session,
    engagement: Engagement,
    *,
    actor: Actor,
    author: Author | None,
    focus_area_id: str,
    title: str,
    description: str | None = None,
    owner: str | None = None,
    due_on: dt.date | None = None,
) -> Strategy:
    """Draft a new strategy for one of the engagement's selected focus areas."""
    transition(ReviewState.DRAFT, ReviewAction.EDIT, actor)
    values = _strategy_values(
        engagement,
        focus_area_id=focus_area_id,
        title=title,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    strategy = Strategy(
        engagement_id=engagement.id,
        status=ProgressStatus.NOT_STARTED,
        review_state=ReviewState.DRAFT,
        **values,
    )
    engagement.strategies.append(strategy)
    session.flush()
    audit.created(session, author, strategy, STRATEGY_FIELDS)
    return strategy


def edit_strategy(
    session: Session,
    strategy: Strategy,
    *,
    actor: Actor,
    author: Author | None,
    focus_area_id: str,
    title: str,
    description: str | None,
    owner: str | None,
    due_on: dt.date | None,
) -> dict[str, list[Any]]:
    """Change a draft (or returned) strategy; a returned one becomes a draft again."""
    move = transition(strategy.review_state, ReviewAction.EDIT, actor)
    values = _strategy_values(
        strategy.engagement,
        focus_area_id=focus_area_id,
        title=title,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    return audit.changed(session, author, strategy, {**values, "review_state": move.target})


def set_strategy_status(
    session: Session, strategy: Strategy, status: ProgressStatus, *, author: Author | None
) -> dict[str, list[Any]]:
    """Record a strategy's progress (not started, on track, at risk, done)."""
    return audit.changed(session, author, strategy, {"status": ProgressStatus(status)})


def review_strategy(
    session: Session,
    strategy: Strategy,
    action: ReviewAction | str,
    *,
    actor: Actor,
    author: Author | None,
    comment: str | None = None,
) -> ReviewState:
    """Submit, validate, return or reopen a strategy; return its new state."""
    move = transition(strategy.review_state, action, actor, comment)
    if move.action is ReviewAction.EDIT:
        raise ReviewError("editing is not a review move", 400, "value")
    values: dict[str, Any] = {"review_state": move.target}
    if move.action is ReviewAction.RETURN:
        values["review_comment"] = move.comment
    elif move.action is ReviewAction.VALIDATE:
        values["review_comment"] = None
    changes = audit.apply(strategy, values)
    audit.moved(session, author, strategy, move.action.value, changes)
    return move.target


def delete_strategy(
    session: Session, strategy: Strategy, *, actor: Actor, author: Author | None
) -> None:
    """Delete a draft (or returned) strategy and its indicators.

    Its indicators belong to the framework, so the framework must be open to changes too.
    """
    transition(strategy.review_state, ReviewAction.EDIT, actor)
    engagement = strategy.engagement
    if strategy.indicators:
        _open_framework(session, engagement, actor, author)
    for indicator in list(strategy.indicators):
        audit.deleted(session, author, indicator, INDICATOR_FIELDS)
    audit.deleted(session, author, strategy, STRATEGY_FIELDS)
    engagement.strategies.remove(strategy)
    session.delete(strategy)
    session.flush()


# -- the framework -------------------------------------------------------------------------------


def _open_framework(
    session: Session, engagement: Engagement, actor: Actor, author: Author | None
) -> None:
    """Check the framework may change; a returned framework becomes a draft again."""
    move = transition(engagement.framework_state, ReviewAction.EDIT, actor)
    audit.changed(session, author, engagement, {"framework_state": move.target})


def _number(value: float | None, what: str, *, required: bool) -> float | None:
    if value is None:
        if required:
            raise DomainError(f"{what} is required")
        return None
    number = float(value)
    if not math.isfinite(number) or abs(number) > 1e9:
        raise DomainError(f"{what} must be a finite number")
    return number


def _indicator_values(
    engagement: Engagement,
    *,
    name: str,
    source: IndicatorSource | str,
    source_ref: str | None,
    direction: Direction | str,
    target: float | None,
    owner: str,
    data_source: str,
    due_on: dt.date | None,
    unit: str | None,
    baseline_value: float | None,
) -> dict[str, Any]:
    source = IndicatorSource(source)
    ref = (source_ref or "").strip() or None
    if source.from_survey:
        inst = engagement_instrument(engagement)
        if inst is None:
            raise DomainError("link a baseline wave before adding survey indicators")
        if ref is None:
            raise DomainError("a survey indicator needs a focus area or an item")
        if source.needs_focus_area and ref not in {a.id for a in inst.focus_areas}:
            raise DomainError(f"{ref!r} is not a focus area of {inst.id}")
        if source is IndicatorSource.ITEM_MEAN and not (
            inst.has_item(ref) and isinstance(inst.item(ref), instrument.LikertItem)
        ):
            raise DomainError(f"{ref!r} is not a rating item of {inst.id}")
        # Survey baselines are read from the baseline wave, never typed in.
        baseline_value = None
    else:
        ref = None
    return {
        "name": required_text(name, "the indicator's name"),
        "source": source,
        "source_ref": ref,
        "direction": Direction(direction),
        "target": _number(target, "the target", required=True),
        "owner": required_text(owner, "the owner"),
        "data_source": required_text(data_source, "the data source"),
        "due_on": due_on,
        "unit": clean_text(unit, "the unit", limit=32, required=False),
        "baseline_value": _number(baseline_value, "the baseline", required=False),
    }


def add_indicator(
    session: Session,
    strategy: Strategy,
    *,
    actor: Actor,
    author: Author | None,
    **fields: Any,
) -> Indicator:
    """Add an indicator to a strategy (the framework must be open to changes)."""
    engagement = strategy.engagement
    values = _indicator_values(engagement, **fields)
    _open_framework(session, engagement, actor, author)
    indicator = Indicator(strategy_id=strategy.id, status=ProgressStatus.NOT_STARTED, **values)
    strategy.indicators.append(indicator)
    session.flush()
    audit.created(session, author, indicator, INDICATOR_FIELDS)
    return indicator


def edit_indicator(
    session: Session,
    indicator: Indicator,
    *,
    actor: Actor,
    author: Author | None,
    **fields: Any,
) -> dict[str, list[Any]]:
    """Change an indicator's definition: name, source, target, owner, due date, data source."""
    engagement = indicator.strategy.engagement
    values = _indicator_values(engagement, **fields)
    _open_framework(session, engagement, actor, author)
    if values["source"].from_survey:
        values["current_value"] = None
    return audit.changed(session, author, indicator, values)


def record_progress(
    session: Session,
    indicator: Indicator,
    *,
    author: Author | None,
    status: ProgressStatus,
    evidence: str | None,
    current_value: float | None = None,
) -> dict[str, list[Any]]:
    """Record an indicator's progress: status, evidence and (hand-entered only) current value."""
    values: dict[str, Any] = {
        "status": ProgressStatus(status),
        "evidence": clean_text(evidence, "the evidence notes", limit=MAX_NOTES, required=False),
    }
    if indicator.source is IndicatorSource.MANUAL:
        values["current_value"] = _number(current_value, "the current value", required=False)
    elif current_value is not None:
        raise DomainError("a survey indicator's value comes from the 12-month wave")
    return audit.changed(session, author, indicator, values)


def delete_indicator(
    session: Session, indicator: Indicator, *, actor: Actor, author: Author | None
) -> None:
    strategy = indicator.strategy
    _open_framework(session, strategy.engagement, actor, author)
    audit.deleted(session, author, indicator, INDICATOR_FIELDS)
    strategy.indicators.remove(indicator)
    session.delete(indicator)
    session.flush()


def review_framework(
    session: Session,
    engagement: Engagement,
    action: ReviewAction | str,
    *,
    actor: Actor,
    author: Author | None,
    comment: str | None = None,
) -> ReviewState:
    """Submit, validate, return or reopen the engagement's framework; return its new state."""
    move = transition(engagement.framework_state, action, actor, comment)
    if move.action is ReviewAction.EDIT:
        raise ReviewError("editing is not a review move", 400, "value")
    if move.action is ReviewAction.SUBMIT and not engagement.indicators:
        raise ReviewError(
            "add at least one indicator before submitting the framework", 400, "empty"
        )
    bare = [strategy.title for strategy in engagement.strategies if not strategy.indicators]
    if move.action in (ReviewAction.SUBMIT, ReviewAction.VALIDATE) and bare:
        # The framework holds each strategy accountable: one or more indicators apiece.
        raise ReviewError(
            f"every strategy needs at least one indicator; none yet: {', '.join(bare)}",
            400,
            "bare",
            subjects=tuple(bare),
        )
    values: dict[str, Any] = {"framework_state": move.target}
    if move.action is ReviewAction.RETURN:
        values["framework_comment"] = move.comment
    elif move.action is ReviewAction.VALIDATE:
        values["framework_comment"] = None
    changes = audit.apply(engagement, values)
    audit.moved(session, author, engagement, f"framework_{move.action.value}", changes)
    return move.target
