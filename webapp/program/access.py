"""Who may do what in the program year.

- a CfJJ admin: everything, for every organization;
- a leader of the organization: read everything of their organization; validate or return
  strategies and the framework;
- a working-group member of the organization: read everything of their organization; edit its
  focus-area selection, working group, strategies, indicators, check-ins and log; submit and
  reopen for review.

Creating an engagement, its settings and its milestones are CfJJ's (the facilitator's): admins
only. Anyone who does not belong to the engagement's organization gets 404, never 403, so the
other organizations' engagements stay unknown; someone who belongs but may not do this gets 403.
"""

from __future__ import annotations

import enum

from flask import abort
from flask_login import current_user

from webapp.database import db_session
from webapp.models import Role, User
from webapp.program.models import Engagement
from webapp.program.review import Actor


class Can(enum.StrEnum):
    READ = "read"
    #: Create engagements; change their settings and milestones (CfJJ).
    MANAGE = "manage"
    #: Focus areas, working group, strategies, indicators, check-ins, trainings, policies.
    PLAN = "plan"
    VALIDATE = "validate"


ALLOWED: dict[Can, frozenset[Actor]] = {
    Can.READ: frozenset({Actor.ADMIN, Actor.LEADER, Actor.MEMBER}),
    Can.MANAGE: frozenset({Actor.ADMIN}),
    Can.PLAN: frozenset({Actor.ADMIN, Actor.MEMBER}),
    Can.VALIDATE: frozenset({Actor.ADMIN, Actor.LEADER}),
}


def actor_for(user: User | None, organization_id: int) -> Actor | None:
    """Return how `user` acts on an organization's records, or None when they have no part."""
    if user is None or not user.is_authenticated or not user.active:
        return None
    if user.role is Role.ADMIN:
        return Actor.ADMIN
    if user.organization_id != organization_id:
        return None
    if user.role is Role.LEADER:
        return Actor.LEADER
    if user.role is Role.MEMBER:
        return Actor.MEMBER
    return None


def allowed(actor: Actor | None, what: Can) -> bool:
    return actor is not None and actor in ALLOWED[what]


def current_actor(organization_id: int) -> Actor | None:
    user = current_user._get_current_object() if current_user.is_authenticated else None
    return actor_for(user, organization_id)


def engagement_for(engagement_id: int, what: Can = Can.READ) -> tuple[Engagement, Actor]:
    """Return the engagement and how the signed-in user acts on it; abort 404 or 403."""
    engagement = db_session().get(Engagement, engagement_id)
    if engagement is None:
        abort(404)
    actor = current_actor(engagement.organization_id)
    if actor is None:
        abort(404)
    if not allowed(actor, what):
        abort(403)
    return engagement, actor
