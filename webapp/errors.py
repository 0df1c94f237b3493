"""The web app's domain error: a message fit to show an admin, a CLI user or an API client."""

from __future__ import annotations


class DomainError(ValueError):
    """An operation cannot be done as asked; the message says why and what to do."""
