"""Text typed into the program pages: trimmed, bounded, and free of control characters."""

from __future__ import annotations

import unicodedata

from webapp.errors import DomainError

MAX_TEXT = 255
MAX_NOTES = 4000


def clean_text(
    value: str | None, what: str, *, limit: int = MAX_TEXT, required: bool = True
) -> str | None:
    """Return stripped text, or None when empty and optional; refuse control characters."""
    text = (value or "").strip()
    if not text:
        if required:
            raise DomainError(f"{what} is required")
        return None
    if len(text) > limit:
        raise DomainError(f"{what} must be at most {limit} characters")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in text):
        raise DomainError(f"{what} cannot hold control characters")
    return text


def required_text(value: str | None, what: str, *, limit: int = MAX_TEXT) -> str:
    """Return stripped, non-empty text (see `clean_text`)."""
    text = clean_text(value, what, limit=limit, required=True)
    assert text is not None  # noqa: S101 - required=True never returns None
    return text
