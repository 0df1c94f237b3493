"""Convert an XLSForm workbook (survey, choices, settings) into a `repp-instrument/1` document.

Top-level groups become sections and the rows outside any group form sections of their own; see
`QUESTION_TYPES` for the row types repp keeps. A `select_one` row with a value in the
`repp::focus_area` column becomes a likert item scored into that focus area, on a scale built from
its choice list. Labels and hints in `label::Spanish (es)` columns become translations.
`convert_workbook` is pure (sheets of rows in, document out); `read_workbook` reads the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from instrument.convert.base import Conversion, ConversionError
from instrument.convert.builder import Builder, Choice
from instrument.convert.expressions import parse_xlsform
from instrument.convert.show_if import Target, as_number, value_key
from instrument.convert.texts import language_code, without_surrogates

#: Columns whose headers may carry a language: `label::Spanish (es)`.
TEXT_COLUMNS = ("label", "hint")

#: The column naming the focus area a select_one is scored into.
FOCUS_AREA_COLUMN = "repp::focus_area"

#: Row types repp keeps, and the item type each becomes.
QUESTION_TYPES = {
    "select_one": "single_choice",
    "select_multiple": "multiple_choice",
    "integer": "number",
    "decimal": "number",
    "range": "number",
    "text": "text",
}

#: Row types dropped with a reason of their own (any other unknown type: "repp has no ...").
DROPPED_TYPES = {
    "note": "repp has no note element",
    "calculate": "repp does not compute values",
    "hidden": "repp has no hidden fields",
    "select_one_from_file": "repp cannot read choices from a file",
    "select_multiple_from_file": "repp cannot read choices from a file",
}

#: Metadata rows: collected by the form's app, never asked.
METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "start-geopoint",
        "background-audio",
        "instanceid",
    }
)

#: Columns with logic repp does not have, warned about when a row uses them.
LOGIC_COLUMNS = ("constraint", "choice_filter", "calculation", "default", "read_only", "trigger")

_YES = frozenset({"yes", "true", "true()", "y", "1"})
_NO = frozenset({"", "no", "false", "false()", "n", "0"})
_PARAMETER = re.compile(r"(\w+)\s*=\s*(\S+)")


def from_xlsform(path: Path) -> Conversion:
    """Convert the XLSForm workbook at `path`; raise ConversionError if it can't be read."""
    return convert_workbook(read_workbook(path), name=path.stem)


def read_workbook(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every sheet of a workbook as rows of cell values, keyed by lower-cased sheet name."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(f"cannot read the file: {exc.strerror}") from None
    try:
        # From bytes, so openpyxl judges the content and not the file name's extension.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for what is not a workbook
        hint = (
            " (the old .xls format is not supported: save it as .xlsx)"
            if data[:4] == (b"\xd0\xcf\x11\xe0")
            else ""
        )
        raise ConversionError(f"not an Excel workbook (.xlsx){hint}") from None
    try:
        return {
            str(sheet.title).strip().lower(): [
                tuple(row) for row in sheet.iter_rows(values_only=True)
            ]
            for sheet in book.worksheets
        }
    except Exception as exc:  # a damaged sheet fails in many ways too
        raise ConversionError(f"the workbook cannot be read: {exc}") from None
    finally:
        book.close()


def convert_workbook(
    sheets: Mapping[str, Sequence[Sequence[Any]]], name: str = "form"
) -> Conversion:
    """Convert the sheets of an XLSForm; `name` (the file's stem) is the fallback form id."""
    cleaned, changed = without_surrogates({str(k).strip().lower(): v for k, v in sheets.items()})
    tables: dict[str, Sequence[Sequence[Any]]] = cleaned
    if "survey" not in tables:
        found = ", ".join(f'"{key}"' for key in tables) or "none"
        raise ConversionError(f'the workbook has no "survey" sheet (its sheets: {found})')
    form = _Form(tables, name)
    if changed:
        form.b.warn(
            'some cells hold lone surrogates (such as "\\ud800"), which are not Unicode text; '
            "each was replaced by \ufffd"
        )
    return form.convert()


# -- sheets as tables ---------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """Return a cell as text: numbers as written (1.0 as "1"), empty cells as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    key = value_key(value)
    return key if key is not None else str(value).strip()


@dataclass
class Row:
    """One spreadsheet row: plain cells by column name, text cells by column and language."""

    number: int
    cells: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def text(self, column: str) -> str:
        return _cell_text(self.cells.get(column))

    def translations(self, column: str, default_language: str) -> dict[str, str]:
        """Return a text column by language; the plain column is the default language."""
        out = {lang: _cell_text(v) for lang, v in self.texts.get(column, {}).items() if lang}
        plain = _cell_text(self.texts.get(column, {}).get(""))
        if plain and not out.get(default_language):
            out[default_language] = plain
        return {lang: text for lang, text in out.items() if text}

    @property
    def empty(self) -> bool:
        cells = [*self.cells.values(), *(v for t in self.texts.values() for v in t.values())]
        return all(_cell_text(v) == "" for v in cells)


@dataclass
class Table:
    rows: list[Row]
    columns: set[str]
    languages: list[str]  # languages of text columns, in column order
    plain_label: bool  # whether a label column without a language exists


def _table(raw: Sequence[Sequence[Any]], sheet: str, warn: Callable[[str], None]) -> Table:
    if not raw:
        return Table([], set(), [], False)
    headers: list[tuple[str, str | None] | None] = []
    languages: list[str] = []
    for header in raw[0]:
        text = _cell_text(header)
        base, sep, rest = text.partition("::")
        base = re.sub(r"\s+", "_", base.strip().lower())
        if not text:
            headers.append(None)
        elif sep and base in TEXT_COLUMNS:
            code = language_code(rest)
            if code is None:
                warn(
                    f'the "{sheet}" column "{text}" ignored: name its language with a code, '
                    f'such as "{base}::Spanish (es)"'
                )
                headers.append(None)
                continue
            headers.append((base, code))
            if code not in languages:
                languages.append(code)
        else:
            headers.append((re.sub(r"\s+", "_", text.lower()), None))
    rows = []
    for offset, values in enumerate(raw[1:]):
        row = Row(offset + 2)
        for header, value in zip(headers, values, strict=False):
            if header is None:
                continue
            column, lang = header
            if column in TEXT_COLUMNS:
                row.texts.setdefault(column, {}).setdefault(lang or "", value)
            else:
                row.cells.setdefault(column, value)
        if not row.empty:
            rows.append(row)
    columns = {h[0] for h in headers if h is not None}
    plain_label = any(h == ("label", None) for h in headers)
    return Table(rows, columns, languages, plain_label)


def _required(value: Any) -> bool | None:
    """Read the required column: yes/true/TRUE (or no); None for an expression."""
    if isinstance(value, bool):
        return value
    text = _cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _where(name: str, number: int, kind: str | None = None) -> str:
    """Name a survey row in a warning: `"q1" (survey row 4)` or `"q1" (note, survey row 4)`."""
    detail = f"{kind}, survey row {number}" if kind else f"survey row {number}"
    return f'"{name}" ({detail})' if name else f"({detail})"


def _row_type(text: str) -> tuple[str, list[str]]:
    """Split a type cell into kind and arguments: "select_one yes_no" -> select_one, [yes_no]."""
    words = text.split()
    if not words:
        return "", []
    head = words[0].lower()
    if head in ("begin", "end", "select") and len(words) > 1:
        return f"{head}_{words[1].lower()}", words[2:]
    return head, words[1:]


@dataclass
class _Section:
    section: dict[str, Any]
    label: str
    items: list[dict[str, Any]] = field(default_factory=list)


class _Form:
    """One conversion: walks the survey rows in order, feeding the builder."""

    def __init__(self, tables: Mapping[str, Sequence[Sequence[Any]]], name: str) -> None:
        self.tables = tables
        self.warnings: list[str] = []
        self.settings = self.read_settings()
        self.survey = _table(tables["survey"], "survey", self.warnings.append)
        self.choices_table = _table(tables.get("choices", ()), "choices", self.warnings.append)
        self.b = Builder(self.default_language())
        for message in self.warnings:
            self.b.warn(message)
        self.name = name or "form"
        self.form_title = self.b.plain(
            self.settings.get("form_title", "") or self.settings.get("form_id", "") or self.name,
            "the form title",
        ) or self.b.neutral(self.name)
        self.lists = self.read_choices()
        self.open: _Section | None = None
        self.depth = 0

    # -- settings and choices ------------------------------------------------------------------

    def read_settings(self) -> dict[str, str]:
        raw = self.tables.get("settings", ())
        if len(raw) < 2:
            return {}
        headers = [_cell_text(h).lower() for h in raw[0]]
        return {h: _cell_text(v) for h, v in zip(headers, raw[1], strict=False) if h}

    def default_language(self) -> str:
        raw = self.settings.get("default_language", "")
        if raw:
            code = language_code(raw)
            if code is not None:
                return code
            self.warnings.append(
                f'settings: default_language "{raw}" names no language code (write it as '
                '"Spanish (es)"); English is assumed'
            )
            return "en"
        if self.survey.plain_label or not self.survey.languages:
            return "en"
        return self.survey.languages[0]

    def read_choices(self) -> dict[str, list[tuple[Any, dict[str, str]]]]:
        """Return each choice list: its choices' values and labels by language."""
        lists: dict[str, list[tuple[Any, dict[str, str]]]] = {}
        name_column = "name" if "name" in self.choices_table.columns else "value"
        for row in self.choices_table.rows:
            list_name = row.text("list_name")
            if not list_name:
                self.b.warn(f"choices row {row.number} ignored: it has no list_name")
                continue
            label = row.translations("label", self.b.default_language)
            lists.setdefault(list_name, []).append((row.cells.get(name_column), label))
        return lists

    def choices(self, list_name: str) -> list[Choice]:
        """Return a list's choices; labels become texts (and languages) only when a list is used."""
        owner = f'choice list "{list_name}"'
        return [(value, self.b.text(label, owner)) for value, label in self.lists[list_name]]

    # -- the survey ------------------------------------------------------------------------------

    def convert(self) -> Conversion:
        if "type" not in self.survey.columns:
            raise ConversionError(
                'the "survey" sheet has no "type" column (its first row must name the columns: '
                "type, name, label, ...)"
            )
        typed = [row for row in self.survey.rows if row.text("type")]
        if not typed:
            raise ConversionError('the "survey" sheet has no questions')
        self.b.names = {
            row.text("name")
            for row in typed
            if row.text("name")
            and not _row_type(row.text("type"))[0].startswith(("begin_", "end_"))
        }
        for row in self.survey.rows:
            self.row(row)
        if self.depth > 0:
            self.b.warn("a group is not closed by an end_group row; it ends with the sheet")
        self.close()
        version = self.settings.get("version", "")
        return self.b.finish(
            instrument_id=self.settings.get("form_id", "") or self.name,
            version=version or "1",
            title=self.form_title,
            description=None,
            no_items='nothing to convert: the "survey" sheet has no question repp can hold',
            no_likert=(
                "a repp instrument needs at least one scored question: give a select_one row a "
                f'value in a "{FOCUS_AREA_COLUMN}" column (its choices are the rating points); '
                'the "survey" sheet has none'
            ),
        )

    def row(self, row: Row) -> None:
        kind, args = _row_type(row.text("type"))
        name = row.text("name")
        where = _where(name, row.number)
        if not kind:
            self.b.warn(f"survey row {row.number} ignored: it has no type")
            return
        if kind in ("begin_group", "begin_repeat"):
            self.begin(row, kind, name, where)
            return
        if kind in ("end_group", "end_repeat"):
            if self.depth == 0:
                self.b.warn(f"survey row {row.number}: {kind} without a group to end; ignored")
                return
            self.depth -= 1
            if self.depth == 0:
                self.close()
            return
        items = self.question(row, kind, args, f"question {where}")
        if not items:
            return
        if self.open is None:
            section = {"id": self.b.section_id("questions"), "title": self.form_title}
            self.open = _Section(section, "the questions outside any group")
        self.open.items.extend(items)

    def begin(self, row: Row, kind: str, name: str, where: str) -> None:
        what = "repeat" if kind == "begin_repeat" else "group"
        owner = f"{what} {where}"
        if self.depth > 0:
            language = self.b.default_language
            lost = [
                c for c in ("label", "relevant") if row.text(c) or row.translations(c, language)
            ]
            detail = f"; its {' and '.join(lost)} dropped" if lost else ""
            self.b.warn(f"{owner}: nested in another group, its questions join it{detail}")
            self.depth += 1
            return
        self.close()
        self.depth = 1
        if what == "repeat":
            self.b.warn(f"{owner}: repp has no repeats; its questions are asked once")
        language = self.b.default_language
        title = self.b.text(row.translations("label", language), owner)
        section: dict[str, Any] = {
            "id": self.b.section_id(name or "group"),
            "title": title or self.b.neutral(name or f"Group {len(self.b.sections) + 1}"),
        }
        intro = self.b.text(row.translations("hint", language), owner)
        if intro is not None:
            section["intro"] = intro
        show_if = self.b.show_if(
            row.cells.get("relevant"), parse_xlsform, owner=owner, key="relevant"
        )
        if show_if is not None:
            section["show_if"] = show_if
        self.open = _Section(section, owner)

    def close(self) -> None:
        current, self.open = self.open, None
        if current is None:
            return
        if not current.items:
            self.b.warn(f"{current.label} dropped: it has no question repp can hold")
            return
        current.section["items"] = current.items
        self.b.add_section(current.section)

    # -- questions -------------------------------------------------------------------------------

    def question(self, row: Row, kind: str, args: list[str], label: str) -> list[dict[str, Any]]:
        name = row.text("name")
        item_type = QUESTION_TYPES.get(kind)
        if item_type is None:
            if kind in METADATA_TYPES:
                reason = "metadata is not asked in repp"
            else:
                reason = DROPPED_TYPES.get(kind, f'repp has no "{kind}" question')
            self.b.warn(f"question {_where(name, row.number, kind)} dropped: {reason}")
            self.b.drop(name)
            return []
        logic = [column for column in LOGIC_COLUMNS if row.text(column)]
        if logic:
            self.b.warn(f"{label}: {', '.join(logic)} dropped: repp cannot represent it")
        focus = row.text(FOCUS_AREA_COLUMN)
        if focus and kind != "select_one":
            self.b.warn(f"{label}: {FOCUS_AREA_COLUMN} ignored: only select_one rows are scored")
        show_if = self.b.show_if(
            row.cells.get("relevant"), parse_xlsform, owner=label, key="relevant", own=name
        )
        if kind in ("select_one", "select_multiple"):
            return self.select(row, kind, args, name, label, show_if, focus)
        item = self.base(row, name, label, show_if)
        item["type"] = item_type
        if item_type == "number":
            self.number(row, kind, item, label)
        self.b.register(name, Target(item["id"], item_type))
        return [item]

    def base(
        self, row: Row, name: str, label: str, show_if: dict[str, Any] | None
    ) -> dict[str, Any]:
        language = self.b.default_language
        item_id = self.b.item_id(name, label)
        item: dict[str, Any] = {
            "id": item_id,
            "type": "text",
            "text": self.b.text(row.translations("label", language), label)
            or self.b.neutral(name or item_id),
        }
        help_text = self.b.text(row.translations("hint", language), label)
        if help_text is not None:
            item["help"] = help_text
        required = _required(row.cells.get("required"))
        if required is None:
            self.b.warn(
                f'{label}: required "{row.text("required")}" is an expression repp cannot '
                "represent; the question is optional"
            )
        elif required:
            item["required"] = True
        if show_if is not None:
            item["show_if"] = show_if
        return item

    def number(self, row: Row, kind: str, item: dict[str, Any], label: str) -> None:
        if kind == "integer":
            item["integer"] = True
        if kind != "range":
            return
        found = dict(_PARAMETER.findall(row.text("parameters")))
        low, high = as_number(found.get("start", "1")), as_number(found.get("end", "10"))
        step = as_number(found.get("step", "1"))
        if low is not None and high is not None and low > high:
            self.b.warn(f"{label}: its range runs backwards; its bounds are dropped")
            return
        if low is not None:
            item["min"] = low
        if high is not None:
            item["max"] = high
        item["integer"] = all(isinstance(v, int) for v in (low, high, step) if v is not None)

    def select(
        self,
        row: Row,
        kind: str,
        args: list[str],
        name: str,
        label: str,
        show_if: dict[str, Any] | None,
        focus: str,
    ) -> list[dict[str, Any]]:
        list_name = args[0] if args else ""
        choices = self.choices(list_name) if list_name in self.lists else []
        if not choices:
            why = (
                "its type names no choice list"
                if not list_name
                else f'the choices sheet has no list "{list_name}"'
            )
            self.b.warn(f"{label} dropped: {why}")
            self.b.drop(name)
            return []
        if "or_other" in args[1:]:
            choices.append(("other", self.b.english("Other", label)))
            self.b.warn(f'{label}: the "Other" choice is kept, but not its text box')
        if kind == "select_one" and focus:
            scaled = self.b.scale(choices, label)
            if scaled is not None:
                scale_id, mapping = scaled
                item = self.base(row, name, label, show_if)
                item["type"] = "likert"
                item["scale"] = scale_id
                title = self.b.plain(focus, f'focus area "{focus}"') or self.b.neutral(focus)
                self.b.likert(item, self.b.focus_area(focus, title), label)
                self.b.register(name, Target(item["id"], "likert", mapping))
                return [item]
            self.b.warn(f"{label}: {FOCUS_AREA_COLUMN} ignored: it needs at least 2 choices")
        item_type = QUESTION_TYPES[kind]
        options, values = self.b.options(choices, label)
        if len(options) < 2:
            self.b.warn(f"{label} dropped: it offers fewer than 2 choices")
            self.b.drop(name)
            return []
        item = self.base(row, name, label, show_if)
        item["type"] = item_type
        item["options"] = options
        self.b.register(name, Target(item["id"], item_type, values))
        return [item]
