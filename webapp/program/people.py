"""The working group and offers to join it.

Members (name, role, contact) are kept in their own table, apart from survey data. An offer to
volunteer comes from its own public form: it stores a random id, the organization and what the
person typed, and nothing else — no date or time, no session, draft, submission or response id —
so nothing can tie it to a survey response given in the same browser.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import Organization
from webapp.program import audit
from webapp.program.audit import Author
from webapp.program.models import Engagement, Volunteer, WorkingGroupMember
from webapp.program.text import MAX_NOTES, clean_text, required_text

MEMBER_FIELDS = ("name", "role", "contact")


def add_member(
    session: Session,
    engagement: Engagement,
    *,
    author: Author | None,
    name: str,
    role: str | None,
    contact: str | None,
) -> WorkingGroupMember:
    member = WorkingGroupMember(
        engagement_id=engagement.id,
        name=required_text(name, "the member's name"),
        role=clean_text(role, "the role", required=False),
        contact=clean_text(contact, "the contact", required=False),
    )
    engagement.members.append(member)
    session.flush()
    audit.created(session, author, member, MEMBER_FIELDS)
    return member


def remove_member(session: Session, member: WorkingGroupMember, *, author: Author | None) -> None:
    audit.deleted(session, author, member, MEMBER_FIELDS)
    member.engagement.members.remove(member)
    session.delete(member)
    session.flush()


def offer_to_volunteer(
    session: Session,
    organization: Organization,
    *,
    name: str,
    role: str | None,
    contact: str,
    message: str | None,
) -> Volunteer:
    """Store an offer to join the working group: what the person typed, and nothing more."""
    offer = Volunteer(
        organization_id=organization.id,
        name=required_text(name, "your name"),
        role=clean_text(role, "your role", required=False),
        contact=required_text(contact, "how to reach you"),
        message=clean_text(message, "your message", limit=MAX_NOTES, required=False),
    )
    session.add(offer)
    session.flush()
    return offer


def offers_for(session: Session, organization_id: int) -> list[Volunteer]:
    """Return an organization's offers, by name (never in the order they came)."""
    return list(
        session.scalars(
            select(Volunteer)
            .where(Volunteer.organization_id == organization_id)
            .order_by(Volunteer.name, Volunteer.id)
        )
    )


def accept_offer(
    session: Session, engagement: Engagement, offer: Volunteer, *, author: Author | None
) -> WorkingGroupMember:
    """Add a volunteer to the working group; the offer itself is then deleted."""
    member = add_member(
        session,
        engagement,
        author=author,
        name=offer.name,
        role=offer.role,
        contact=offer.contact,
    )
    session.delete(offer)
    session.flush()
    return member


def discard_offer(session: Session, offer: Volunteer) -> None:
    session.delete(offer)
    session.flush()
