"""Drawing the pages respondents (and the preview) see: language, welcome and section pages."""

from __future__ import annotations

from typing import Any

import flask_babel
from babel import Locale, UnknownLocaleError
from flask import g, render_template, request, url_for

from instrument import Instrument
from webapp.respondent import pages
from webapp.respondent.entry import Entry
from webapp.respondent.forms import SectionForm, question_views


def set_language(language: str) -> None:
    """Speak `language` on this page: Flask-Babel's strings and the instrument's texts."""
    g.language = language
    flask_babel.refresh()


def browser_language(inst: Instrument) -> str:
    """Return `?lang=` if the instrument has it, else the browser's best match, else the default."""
    asked = request.args.get("lang")
    if asked in inst.languages:
        return str(asked)
    return request.accept_languages.best_match(list(inst.languages)) or inst.default_language


def language_name(code: str) -> str:
    """Return a language's name in that language ("Español"), or the code."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return name[:1].upper() + name[1:] if name else code


def shorten(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def context(entry: Entry | None, inst: Instrument, language: str, **extra: Any) -> dict[str, Any]:
    """Return what every respondent template gets."""
    return {
        "entry": entry,
        "inst": inst,
        "language": language,
        "page_language": language,
        "survey_title": inst.title.get(language),
        "organization": entry.organization if entry else "",
        **extra,
    }


def welcome_page(
    entry: Entry | None,
    inst: Instrument,
    language: str,
    *,
    min_group_size: int,
    continue_url: str | None = None,
    stale: bool = False,
    preview_version: int | None = None,
) -> str:
    """The welcome page: purpose, time, what is stored and what is not, the language."""

    def switch(lang: str) -> str:
        if entry is None:
            return url_for("respondent.preview", version_id=preview_version, lang=lang)
        return entry.url("welcome", lang=lang)

    return render_template(
        "respondent/welcome.html",
        **context(
            entry,
            inst,
            language,
            description=inst.description.get(language) if inst.description else None,
            minutes=pages.estimate_minutes(inst),
            languages=[(code, language_name(code), switch(code)) for code in inst.languages],
            min_group_size=min_group_size,
            continue_url=continue_url,
            stale=stale,
            preview=preview_version is not None,
            preview_version=preview_version,
            first_number=(pages.first_section(inst, {}) or 0) + 1,
        ),
    )


def section_page(
    *,
    entry: Entry | None,
    inst: Instrument,
    language: str,
    page: pages.Page,
    form: SectionForm,
    form_action: str,
    hidden: dict[str, str],
    stale: bool = False,
    notice: str | None = None,
    preview: bool = False,
) -> str:
    """A section's page, with its error summary when the form has errors."""
    questions = question_views(form, page)
    errors = [(q.id, q.error, shorten(q.text)) for q in questions if q.error]
    return render_template(
        "respondent/section.html",
        **context(
            entry,
            inst,
            language,
            page=page,
            section_title=page.section.title.get(language),
            intro=page.section.intro.get(language) if page.section.intro else None,
            questions=questions,
            errors=errors,
            form_action=form_action,
            hidden=hidden,
            stale=stale,
            notice=notice,
            preview=preview,
        ),
    )
