"""Which language a page speaks: the respondent's choice, else the user's, else the browser's."""

from __future__ import annotations

from flask import current_app, g, request, session


def ui_languages() -> list[str]:
    return [lang.strip() for lang in current_app.config["LANGUAGES"].split(",")]


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    chosen = getattr(g, "language", None) or session.get("lang")
    available = ui_languages()
    if chosen:
        base = str(chosen).split("-")[0]
        if base in available:
            return base
    return request.accept_languages.best_match(available) or available[0]
