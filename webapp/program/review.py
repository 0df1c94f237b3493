"""Leadership review: the one state machine for a strategy and for an accountability framework.

    draft --submit--> submitted --validate--> validated
                          |
                          +--return (with comments)--> returned --edit or reopen--> draft

Working-group members (and CfJJ admins) draft, edit and submit; a leader of the organization (or
an admin) validates or returns with comments. A submitted or validated record is not edited in
place: it is reopened (back to draft) first, so what leadership validated is what was submitted.
Every refused move raises `ReviewError`, whose `status` is 403 when the role may never make it
and 400 when the record is not in a state that allows it. No Flask, no database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from webapp.errors import DomainError

MAX_COMMENT = 4000


class ReviewState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    RETURNED = "returned"


class ReviewAction(enum.StrEnum):
    SUBMIT = "submit"
    VALIDATE = "validate"
    RETURN = "return"
    REOPEN = "reopen"
    #: Changing the content: allowed in draft and returned; a returned record goes back to draft.
    EDIT = "edit"


class Actor(enum.StrEnum):
    """Who acts, already known to belong to the record's organization (or to be CfJJ)."""

    ADMIN = "admin"
    LEADER = "leader"
    MEMBER = "member"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[ReviewState]
    target: ReviewState
    actors: frozenset[Actor]
    needs_comment: bool = False


_S = ReviewState
_A = Actor

RULES: dict[ReviewAction, Rule] = {
    ReviewAction.SUBMIT: Rule(
        frozenset({_S.DRAFT}), _S.SUBMITTED, frozenset({_A.ADMIN, _A.MEMBER})
    ),
    ReviewAction.VALIDATE: Rule(
        frozenset({_S.SUBMITTED}), _S.VALIDATED, frozenset({_A.ADMIN, _A.LEADER})
    ),
    ReviewAction.RETURN: Rule(
        frozenset({_S.SUBMITTED}), _S.RETURNED, frozenset({_A.ADMIN, _A.LEADER}), True
    ),
    ReviewAction.REOPEN: Rule(
        frozenset({_S.SUBMITTED, _S.VALIDATED, _S.RETURNED}),
        _S.DRAFT,
        frozenset({_A.ADMIN, _A.MEMBER}),
    ),
    ReviewAction.EDIT: Rule(
        frozenset({_S.DRAFT, _S.RETURNED}), _S.DRAFT, frozenset({_A.ADMIN, _A.MEMBER})
    ),
}

_WHO = {
    ReviewAction.SUBMIT: "a working-group member or CfJJ",
    ReviewAction.VALIDATE: "a leader of the organization or CfJJ",
    ReviewAction.RETURN: "a leader of the organization or CfJJ",
    ReviewAction.REOPEN: "a working-group member or CfJJ",
    ReviewAction.EDIT: "a working-group member or CfJJ",
}

_FROM = {
    ReviewAction.SUBMIT: "only a draft can be submitted",
    ReviewAction.VALIDATE: "only a submitted record can be validated",
    ReviewAction.RETURN: "only a submitted record can be returned",
    ReviewAction.REOPEN: "a draft is already open",
    ReviewAction.EDIT: "reopen it first: a submitted or validated record is not changed in place",
}


class ReviewError(DomainError):
    """A review move that is not allowed.

    `status` is the HTTP status a page answers with; `reason` says why in one word (`role`,
    `state`, `comment`, `length`, `empty`, `bare` or `value`) so a page can say it in the reader's language.
    """

    def __init__(
        self,
        message: str,
        status: int,
        reason: str,
        action: ReviewAction | None = None,
        state: ReviewState | None = None,
        subjects: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.action = action
        self.state = state
        #: what the refusal is about, when it names records (the strategies with no indicator)
        self.subjects = subjects


@dataclass(frozen=True)
class Transition:
    source: ReviewState
    target: ReviewState
    action: ReviewAction
    #: The leader's comments on a return; None otherwise.
    comment: str | None


def transition(
    state: ReviewState | str,
    action: ReviewAction | str,
    actor: Actor | str,
    comment: str | None = None,
) -> Transition:
    """Return the move `actor` makes by `action` from `state`, or raise ReviewError."""
    try:
        state = ReviewState(state)
        action = ReviewAction(action)
        actor = Actor(actor)
    except ValueError as exc:
        raise ReviewError(str(exc), 400, "value") from None
    rule = RULES[action]
    if actor not in rule.actors:
        raise ReviewError(
            f"only {_WHO[action]} may {action.value} this; you are {actor.value}",
            403,
            "role",
            action,
            state,
        )
    if state not in rule.sources:
        raise ReviewError(
            f"cannot {action.value} a record that is {state.value}: {_FROM[action]}",
            400,
            "state",
            action,
            state,
        )
    text = (comment or "").strip()
    if rule.needs_comment and not text:
        raise ReviewError(
            "say what should change: returning needs comments", 400, "comment", action, state
        )
    if len(text) > MAX_COMMENT:
        raise ReviewError(
            f"comments must be at most {MAX_COMMENT} characters", 400, "length", action, state
        )
    return Transition(state, rule.target, action, text if rule.needs_comment else None)


def allowed_actions(state: ReviewState, actor: Actor) -> tuple[ReviewAction, ...]:
    """Return the moves (other than editing) `actor` may make from `state`, in a stable order."""
    return tuple(
        action
        for action, rule in RULES.items()
        if action is not ReviewAction.EDIT and actor in rule.actors and state in rule.sources
    )


def editable(state: ReviewState) -> bool:
    """Return whether the content may change in this state (a returned record goes to draft)."""
    return state in RULES[ReviewAction.EDIT].sources
