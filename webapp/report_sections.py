"""Extra sections of the leadership report: other parts of the app register providers here.

A provider takes the request's session, the organization and the report's language and returns
the sections it adds (possibly none). The report download asks every provider, in the order they
were registered, and passes the sections to `scoring.report.render_report` as `extra_sections`.
A provider escapes everything in its sections' markup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from scoring.report import ReportSection
from webapp.models import Organization

Provider = Callable[[Session, Organization, str], Sequence[ReportSection]]

_providers: list[Provider] = []
_lock = threading.Lock()


def register(provider: Provider) -> Provider:
    """Add a provider (once; registering it again changes nothing); usable as a decorator."""
    with _lock:
        if provider not in _providers:
            _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    """Remove a provider (for tests and reloads); unknown providers are ignored."""
    with _lock:
        if provider in _providers:
            _providers.remove(provider)


def providers() -> list[Provider]:
    with _lock:
        return list(_providers)


def sections_for(
    session: Session, organization: Organization, language: str
) -> list[ReportSection]:
    """Return every registered provider's sections for this organization, in registration order."""
    sections: list[ReportSection] = []
    for provider in providers():
        sections.extend(provider(session, organization, language))
    return sections
