"""The Spanish catalogue of the web app's interface: complete, faithful to its placeholders, compiled,
and what a Spanish reader actually sees.

When a test here fails after strings were added or changed in the code, run `make translations`,
translate the listed messages in webapp/translations/es/LC_MESSAGES/messages.po, then run
`make translations` again so messages.mo is compiled from it; commit both files.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.webapp.test_respondent_support import CONDITIONS_DOC, Respondent, add_survey
from webapp.db import Database
from webapp.models import WaveStatus

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
#: The keywords `make translations` passes to `pybabel extract`, besides Babel's defaults.
EXTRA_KEYWORDS = ("_l", "lazy_gettext", "ngettext:1,2")
FIX = (
    "Run `make translations`, translate these in {po}, then run `make translations` again "
    "to compile messages.mo:"
)

#: `%(name)s`-style placeholders, `{name}` placeholders and HTML entities.
NAMED = re.compile(r"%\(\w+\)[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrs]")
BRACED = re.compile(r"\{\w*\}")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")


def load_po() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="es")


def messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, list | tuple) else (message.id,)


def strings(message: Message) -> tuple[str, ...]:
    s = message.string
    return tuple(s) if isinstance(s, list | tuple) else (s,)


def pairs(message: Message) -> list[tuple[str, str]]:
    """Pair each msgstr with its source: msgstr[0] with msgid, the other forms with msgid_plural."""
    sources, translations = ids(message), strings(message)
    if len(sources) == 1:
        return [(sources[0], translations[0])]
    return [(sources[0], translations[0]), *((sources[1], t) for t in translations[1:])]


def shown(message: Message) -> str:
    return " | ".join(repr(i) for i in ids(message))


def listing(lines: list[str]) -> str:
    return "\n".join(f"  {line}" for line in sorted(lines))


def extracted() -> Catalog:
    """Extract the UI strings as `make translations` does, into a catalogue in memory."""
    with (ROOT / "webapp" / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(list(EXTRA_KEYWORDS))}
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        catalog.add(message, None, [(filename, lineno)], context=context)
    return catalog


def test_the_extraction_here_uses_the_makefiles_keywords() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    command = makefile[makefile.index("pybabel extract") :].split("\n\t$(BIN)", 1)[0]
    given = set(re.findall(r"-k\s+(\S+)", command))
    assert given == set(EXTRA_KEYWORDS), f"the Makefile extracts with -k {sorted(given)}"


def test_the_catalogue_holds_exactly_the_extracted_strings() -> None:
    wanted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in messages(extracted())}
    have = {m.id if isinstance(m.id, str) else tuple(m.id) for m in messages(load_po())}
    missing = [repr(i) for i in wanted - have]
    stale = [repr(i) for i in have - wanted]
    assert not missing, (
        f"UI strings missing from the catalogue ({len(missing)}). "
        + FIX.format(po=PO.relative_to(ROOT))
        + "\n"
        + listing(missing)
    )
    assert not stale, (
        f"Catalogue entries no longer in the code ({len(stale)}); `make translations` "
        "marks them obsolete:\n" + listing(stale)
    )


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    catalog = load_po()
    untranslated = [shown(m) for m in messages(catalog) if not all(strings(m))]
    fuzzy = [shown(m) for m in messages(catalog) if m.fuzzy]
    assert not untranslated, (
        f"Entries with no translation ({len(untranslated)}). "
        + FIX.format(po=PO.relative_to(ROOT))
        + "\n"
        + listing(untranslated)
    )
    assert not fuzzy, (
        f"Entries marked fuzzy ({len(fuzzy)}): check each translation, then remove its "
        "'#, fuzzy' line:\n" + listing(fuzzy)
    )


def test_the_catalogue_has_spanish_plural_forms() -> None:
    catalog = load_po()
    assert catalog.num_plurals == 2
    assert catalog.plural_expr == "(n != 1)"
    short = [shown(m) for m in messages(catalog) if m.pluralizable and len(strings(m)) != 2]
    assert not short, "plural entries need msgstr[0] and msgstr[1]:\n" + listing(short)


def tokens(text: str) -> dict[str, set[str]]:
    return {
        "placeholder": set(NAMED.findall(text)),
        "brace placeholder": set(BRACED.findall(text)),
        "HTML entity": set(ENTITY.findall(text)),
    }


def test_every_translation_keeps_the_placeholders_and_entities_of_its_source() -> None:
    problems = []
    for message in messages(load_po()):
        source: dict[str, set[str]] = {}
        for msgid in ids(message):
            for kind, found in tokens(msgid).items():
                source.setdefault(kind, set()).update(found)
        for index, msgstr in enumerate(strings(message)):
            for kind, found in tokens(msgstr).items():
                lost, added = source[kind] - found, found - source[kind]
                where = shown(message) + (f" (msgstr[{index}])" if message.pluralizable else "")
                if lost:
                    problems.append(f"{where}: {kind} {sorted(lost)} missing")
                if added:
                    problems.append(f"{where}: {kind} {sorted(added)} not in the source")
    assert not problems, "translations that do not match their source:\n" + listing(problems)


def formats(text: str, names: set[str]) -> bool:
    try:
        text % {name: 1 for name in names}
    except (TypeError, ValueError, KeyError):
        return False
    return True


def test_a_translation_formats_wherever_its_source_does() -> None:
    """A stray % breaks a page at render time: "95%% interval" must stay "95%% ..." in Spanish."""
    broken = []
    for message in messages(load_po()):
        for msgid, msgstr in pairs(message):
            names = {m[2:].split(")")[0] for m in NAMED.findall(msgid)}
            if formats(msgid, names) and not formats(msgstr, names):
                broken.append(f"{msgid!r} -> {msgstr!r}")
    assert not broken, "translations that fail %-formatting:\n" + listing(broken)


def test_babels_own_checks_pass() -> None:
    catalog = load_po()
    errors = [f"{shown(m)}: {'; '.join(map(str, errs))}" for m, errs in catalog.check()]
    assert not errors, "pybabel compile would report:\n" + listing(errors)


Entries = dict[tuple[tuple[str, ...], str | None], tuple[str, ...]]


def compiled(data: bytes) -> tuple[Entries, str]:
    """Return a .mo file's entries and its plural rule (the header's dates left out)."""
    catalog = read_mo(io.BytesIO(data))
    entries = {(ids(m), m.context): strings(m) for m in messages(catalog)}
    return entries, catalog.plural_forms


def test_the_committed_mo_is_compiled_from_the_po() -> None:
    buffer = io.BytesIO()
    write_mo(buffer, load_po())
    expected, expected_plurals = compiled(buffer.getvalue())
    committed, committed_plurals = compiled(MO.read_bytes())
    differ = [
        " | ".join(map(repr, key[0]))
        for key in expected.keys() | committed.keys()
        if expected.get(key) != committed.get(key)
    ]
    assert not differ, (
        f"{MO.relative_to(ROOT)} is older than the .po; run `make translations` and commit it. "
        "Entries that differ:\n" + listing(differ)
    )
    assert committed_plurals == expected_plurals


# What a Spanish reader sees.

ES = {"Accept-Language": "es"}


def visible(page: TestResponse) -> str:
    """Return a page's text and labels as a reader meets them, one line per text node."""
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page.text)
    labels = re.findall(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"', body)
    text = re.sub(r"<[^>]+>", "\n", body)
    lines = [html.unescape(line).strip() for line in [*text.splitlines(), *labels]]
    return "\n".join(line for line in lines if line)


@pytest.fixture(scope="module")
def english_phrases() -> list[tuple[str, re.Pattern[str]]]:
    """UI strings of two words or more whose Spanish differs from the English."""
    phrases = []
    for message in messages(load_po()):
        for msgid, msgstr in pairs(message):
            if "%" in msgid or msgid == msgstr or len(msgid.split()) < 2:
                continue
            phrases.append((msgid, re.compile(rf"(?<!\w){re.escape(msgid)}(?!\w)")))
    return phrases


def assert_spanish(page: TestResponse, phrases: list[tuple[str, re.Pattern[str]]]) -> str:
    assert page.status_code in (200, 400), page.status_code
    assert '<html lang="es">' in page.text
    text = visible(page)
    english = [msgid for msgid, pattern in phrases if pattern.search(text)]
    assert not english, f"English on a Spanish page ({page.request.path}):\n" + listing(english)
    return text


def test_the_sign_in_page_speaks_the_browsers_language(client: FlaskClient) -> None:
    spanish = visible(client.get("/login", headers=ES))
    assert "Iniciar sesión" in spanish
    assert "Sign in" not in spanish
    assert "Sign in" in visible(client.get("/login", headers={"Accept-Language": "en"}))


def test_the_survey_welcome_page_in_spanish(
    client: FlaskClient, db: Database, english_phrases: list[tuple[str, re.Pattern[str]]]
) -> None:
    survey = add_survey(db)
    text = assert_spanish(client.get(survey.link, headers=ES), english_phrases)
    assert "Sus respuestas son anónimas" in text
    assert "Lo que no se guarda" in text
    assert "Su dirección IP" in text
    assert "Los resultados se muestran solo para grupos de al menos 5 personas." in text
    assert "Comenzar la encuesta" in text


def test_a_respondent_in_spanish_reads_spanish_to_the_thank_you_page(
    client: FlaskClient, db: Database, english_phrases: list[tuple[str, re.Pattern[str]]]
) -> None:
    survey = add_survey(db, CONDITIONS_DOC)
    respondent = Respondent(client, survey.link)
    first = assert_spanish(respondent.start("es"), english_phrases)
    assert "Sección 1 de 2" in first
    assert "Guardar y terminar más tarde" in first
    refused = assert_spanish(respondent.answer({}), english_phrases)
    assert "Hay un problema" in refused
    assert "Elija una respuesta" in refused
    last = assert_spanish(respondent.answer({"supervises": "no"}), english_phrases)
    assert "Enviar mis respuestas" in last
    thanks = respondent.answer({}, "submit")
    assert respondent.path == f"{survey.link}/thanks"
    assert_spanish(thanks, english_phrases)
    assert re.search(r"<h1>\s*Gracias\s*</h1>", thanks.text)


def test_saved_and_closed_survey_pages_in_spanish(
    client: FlaskClient, db: Database, english_phrases: list[tuple[str, re.Pattern[str]]]
) -> None:
    survey = add_survey(db, CONDITIONS_DOC)
    respondent = Respondent(client, survey.link)
    respondent.start("es")
    saved = assert_spanish(respondent.answer({}, "save"), english_phrases)
    assert "Sus respuestas están guardadas" in saved
    closed = add_survey(db, status=WaveStatus.CLOSED, org_slug="org-b")
    page = assert_spanish(client.get(closed.link, headers=ES), english_phrases)
    assert "Esta encuesta está cerrada" in page
