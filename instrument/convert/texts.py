"""Texts on their way into a converted document: translations by language, finished into TEXT.

Converters collect every text as a `Localized` value while they walk the source, because the full
list of languages is only known at the end. `finish_texts` then turns each one into a TEXT holding
exactly the declared languages, filling a missing translation with the default-language text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from instrument.schema import LANGUAGE_RE

#: Language names that appear without a code, e.g. an XLSForm column `label::Spanish`. The
#: program's languages first (Massachusetts families), then other common ones.
LANGUAGE_NAMES: dict[str, str] = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "portuguese": "pt",
    "português": "pt",
    "haitian creole": "ht",
    "haitian": "ht",
    "kreyòl": "ht",
    "kreyol": "ht",
    "cape verdean creole": "kea",
    "kabuverdianu": "kea",
    "chinese": "zh",
    "vietnamese": "vi",
    "arabic": "ar",
    "french": "fr",
    "russian": "ru",
    "somali": "so",
    "khmer": "km",
}

_CODE_IN_PARENTHESES = re.compile(r"\(([^()]*)\)\s*$")
_SURROGATE = re.compile("[\ud800-\udfff]")

#: Element names listed in one missing-translation warning before "and N more".
_LISTED = 8


def without_surrogates(value: Any) -> tuple[Any, bool]:
    """Return a parsed source with lone surrogates replaced by U+FFFD, and whether any were.

    JSON can spell a lone surrogate ("\\ud800"), which no UTF-8 file can hold and repp rejects;
    a converter keeps the rest of the text rather than refusing the whole source.
    """
    if isinstance(value, str):
        cleaned = _SURROGATE.sub("\ufffd", value)
        return cleaned, cleaned != value
    if isinstance(value, Mapping):
        changed = False
        out: dict[Any, Any] = {}
        for key, item in value.items():
            new_key, key_changed = without_surrogates(key)
            new_item, item_changed = without_surrogates(item)
            out[new_key] = new_item
            changed = changed or key_changed or item_changed
        return out, changed
    if isinstance(value, list | tuple):
        pairs = [without_surrogates(item) for item in value]
        items = [item for item, _ in pairs]
        return (items if isinstance(value, list) else tuple(items)), any(c for _, c in pairs)
    return value, False


def language_code(raw: str) -> str | None:
    """Return the repp code of a source language ("es", "pt_BR", "Spanish (es)"), or None."""
    text = raw.strip()
    match = _CODE_IN_PARENTHESES.search(text)
    candidate = match.group(1).strip() if match else text
    parts = candidate.replace("_", "-").split("-")
    code = "-".join([parts[0].lower(), *parts[1:]])
    if LANGUAGE_RE.match(code):
        return code
    return LANGUAGE_NAMES.get(text.lower())


@dataclass(frozen=True)
class Localized:
    """One source text by language; `owner` names its element, None for generated text."""

    texts: tuple[tuple[str, str], ...]
    owner: str | None = None

    @classmethod
    def neutral(cls, text: str) -> Localized:
        """Return a generated text (a number, a name) that reads the same in every language."""
        return cls((("", text),), None)

    def get(self, language: str) -> str | None:
        for lang, text in self.texts:
            if lang == language:
                return text
        return None

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.texts if lang)

    def first(self, languages: list[str]) -> str:
        """Return the text in the first of `languages` it has, else its first text."""
        for lang in languages:
            text = self.get(lang)
            if text is not None:
                return text
        return self.texts[0][1]


def joined(first: Localized, second: Localized, languages: list[str]) -> Localized:
    """Return the two texts one after the other, language by language."""
    langs = [lang for lang in languages if lang in first.languages or lang in second.languages]
    if not langs:
        return Localized.neutral(f"{first.texts[0][1]}\n\n{second.texts[0][1]}")
    texts = tuple(
        (lang, f"{_in(first, lang, languages)}\n\n{_in(second, lang, languages)}") for lang in langs
    )
    return Localized(texts, first.owner or second.owner)


def _in(text: Localized, language: str, languages: list[str]) -> str:
    found = text.get(language)
    return found if found is not None else text.first(languages)


def finish_texts(node: Any, languages: list[str]) -> tuple[Any, list[str]]:
    """Replace each `Localized` in a document by its TEXT; return it and translation warnings."""
    missing: dict[str, list[str]] = {}
    done = _finish(node, languages, missing)
    warnings = []
    for lang in languages:
        owners = missing.get(lang)
        if not owners:
            continue
        listed = ", ".join(owners[:_LISTED])
        more = f" and {len(owners) - _LISTED} more" if len(owners) > _LISTED else ""
        warnings.append(
            f'no "{lang}" translation for {listed}{more}; another language\'s text is used there'
        )
    return done, warnings


def _finish(node: Any, languages: list[str], missing: dict[str, list[str]]) -> Any:
    if isinstance(node, Localized):
        return _text(node, languages, missing)
    if isinstance(node, Mapping):
        return {key: _finish(value, languages, missing) for key, value in node.items()}
    if isinstance(node, list):
        return [_finish(value, languages, missing) for value in node]
    return node


def _text(text: Localized, languages: list[str], missing: dict[str, list[str]]) -> Any:
    fallback = text.first(languages)
    out: dict[str, str] = {}
    for lang in languages:
        found = text.get(lang)
        if found is None and text.owner is not None:
            owners = missing.setdefault(lang, [])
            if text.owner not in owners:
                owners.append(text.owner)
        out[lang] = found if found is not None else fallback
    return out[languages[0]] if len(languages) == 1 else out
