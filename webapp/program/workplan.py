"""The work-plan template: the program year's phases and milestones as data, and their due dates.

A template is a JSON document (`repp-workplan/1`); the bundled one mirrors the program, and CfJJ
can pass another file for an organization whose year runs differently. Loading checks the whole
document and reports every problem with its path (`milestones[2].due_month: ...`), as instrument
loading does. Due dates are computed from the engagement's start date: `due_days` days after it,
or the last day of program month `due_month` (month 1 ends the day before the same day of the
next calendar month). No Flask, no database.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from instrument.errors import Problem
from webapp.errors import DomainError

FORMAT = "repp-workplan/1"
BUNDLED_FILE = "workplan-template.json"

#: Who owns a milestone: a role, never a person (and never a respondent).
OWNER_ROLES = ("cfjj", "leadership", "working_group", "all_staff")
#: What a milestone may point to in the app.
LINKS = (
    "baseline_wave",
    "followup_wave",
    "focus_area_selection",
    "working_group",
    "strategies",
    "checkins",
    "activity_log",
    "twelve_month_review",
)
MAX_MONTHS = 36
MAX_DAYS = 1100
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

_TOP = {"$schema", "format", "id", "version", "title", "phases", "milestones"}
_PHASE = {"id", "name", "start_month", "end_month"}
_MILESTONE = {"key", "name", "phase", "due_days", "due_month", "owner", "link"}


class WorkplanError(DomainError):
    """A work-plan template is not valid; `problems` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            summary = str(self.problems[0])
        else:
            summary = "\n".join(
                [f"{len(self.problems)} problems:", *(f"  {p}" for p in self.problems)]
            )
        super().__init__(summary)

    @property
    def messages(self) -> dict[str, list[str]]:
        """Return the problems as `{path: [messages]}`."""
        out: dict[str, list[str]] = {}
        for problem in self.problems:
            out.setdefault(problem.path, []).append(problem.message)
        return out


@dataclass(frozen=True)
class Phase:
    id: str
    name: Mapping[str, str]
    start_month: int
    end_month: int


@dataclass(frozen=True)
class MilestoneTemplate:
    key: str
    name: Mapping[str, str]
    phase: str
    owner: str
    due_days: int | None = None
    due_month: int | None = None
    link: str | None = None


@dataclass(frozen=True)
class Template:
    id: str
    version: str
    title: Mapping[str, str]
    phases: tuple[Phase, ...]
    milestones: tuple[MilestoneTemplate, ...]

    def phase(self, phase_id: str) -> Phase:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise KeyError(phase_id)


def text(value: Mapping[str, str], language: str | None) -> str:
    """Return a template text in `language` (or its primary language), else English."""
    if language:
        if language in value:
            return value[language]
        primary = language.split("-")[0]
        if primary in value:
            return value[primary]
    return value.get("en") or next(iter(value.values()), "")


# -- dates ---------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` calendar months later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(start: dt.date, month: int) -> dt.date:
    """Return the first day of program month `month` (month 1 starts on the start date)."""
    return add_months(start, month - 1)


def month_end(start: dt.date, month: int) -> dt.date:
    """Return the last day of program month `month`."""
    return add_months(start, month) - dt.timedelta(days=1)


def due_date(milestone: MilestoneTemplate, start: dt.date) -> dt.date:
    """Return a milestone's due date for an engagement starting on `start`."""
    if milestone.due_days is not None:
        return start + dt.timedelta(days=milestone.due_days)
    if milestone.due_month is None:  # the loader never lets this through
        raise ValueError(f"milestone {milestone.key} has no due date")
    return month_end(start, milestone.due_month)


def start_date(template: Template, milestone: MilestoneTemplate, start: dt.date) -> dt.date:
    """Return when work on a milestone begins: the first day of its phase."""
    return month_start(start, template.phase(milestone.phase).start_month)


# -- loading -------------------------------------------------------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def unknown(self, path: str, data: Mapping[str, Any], allowed: set[str]) -> None:
        for key in sorted(set(data) - allowed):
            where = f"{path}.{key}" if path else key
            self.add(where, f"unknown field; expected one of {', '.join(sorted(allowed))}")

    def string(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        value = data.get(key)
        where = f"{path}.{key}" if path else key
        if key not in data:
            self.add(where, "required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(where, "must be a non-empty string")
            return None
        if len(value) > 255:
            self.add(where, "must be at most 255 characters")
            return None
        return value

    def texts(self, data: Mapping[str, Any], key: str, path: str) -> dict[str, str] | None:
        value = data.get(key)
        where = f"{path}.{key}" if path else key
        if key not in data:
            self.add(where, "required")
            return None
        if not isinstance(value, dict) or not value:
            self.add(
                where, 'must be an object of texts by language, e.g. {"en": "...", "es": "..."}'
            )
            return None
        ok = True
        for lang, words in value.items():
            if not isinstance(lang, str) or not LANGUAGE_RE.match(lang):
                self.add(f"{where}.{lang}", "not a language tag such as en or es")
                ok = False
            elif not isinstance(words, str) or not words.strip() or len(words) > 255:
                self.add(f"{where}.{lang}", "must be a non-empty string of at most 255 characters")
                ok = False
        if "en" not in value:
            self.add(where, "needs an English text (en)")
            ok = False
        return dict(value) if ok else None

    def whole(
        self, data: Mapping[str, Any], key: str, path: str, low: int, high: int
    ) -> int | None:
        value = data.get(key)
        where = f"{path}.{key}" if path else key
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(where, f"must be a whole number from {low} to {high}")
            return None
        return value


def _phases(check: _Checker, raw: Any) -> list[Phase]:
    if not isinstance(raw, list) or not raw:
        check.add("phases", "must be a non-empty list of phases")
        return []
    phases: list[Phase] = []
    seen: set[str] = set()
    for index, data in enumerate(raw):
        path = f"phases[{index}]"
        if not isinstance(data, dict):
            check.add(path, "must be an object")
            continue
        check.unknown(path, data, _PHASE)
        phase_id = check.string(data, "id", path)
        if phase_id is not None and not KEY_RE.match(phase_id):
            check.add(f"{path}.id", "use lower-case letters, digits, '_' or '-' (at most 64)")
            phase_id = None
        if phase_id is not None and phase_id in seen:
            check.add(f"{path}.id", f"duplicate phase id {phase_id!r}")
            phase_id = None
        name = check.texts(data, "name", path)
        first = check.whole(data, "start_month", path, 1, MAX_MONTHS)
        last = check.whole(data, "end_month", path, 1, MAX_MONTHS)
        if first is not None and last is not None and last < first:
            check.add(f"{path}.end_month", "must not be before start_month")
            continue
        if phase_id is not None:
            seen.add(phase_id)
        if phase_id is not None and name is not None and first is not None and last is not None:
            phases.append(Phase(phase_id, name, first, last))
    return phases


def _milestone(
    check: _Checker, data: Any, path: str, phase_ids: set[str]
) -> MilestoneTemplate | None:
    if not isinstance(data, dict):
        check.add(path, "must be an object")
        return None
    before = len(check.problems)
    check.unknown(path, data, _MILESTONE)
    key = check.string(data, "key", path)
    if key is not None and not KEY_RE.match(key):
        check.add(f"{path}.key", "use lower-case letters, digits, '_' or '-' (at most 64)")
    name = check.texts(data, "name", path)
    phase = check.string(data, "phase", path)
    if phase is not None and phase_ids and phase not in phase_ids:
        check.add(
            f"{path}.phase", f"unknown phase {phase!r}; phases are {', '.join(sorted(phase_ids))}"
        )
    owner = check.string(data, "owner", path)
    if owner is not None and owner not in OWNER_ROLES:
        check.add(
            f"{path}.owner", f"unknown owner role {owner!r}; use one of {', '.join(OWNER_ROLES)}"
        )
    link = data.get("link")
    if link is not None and link not in LINKS:
        check.add(f"{path}.link", f"unknown link {link!r}; use one of {', '.join(LINKS)}")
    due_days = due_month = None
    if ("due_days" in data) == ("due_month" in data):
        check.add(path, "give exactly one of due_days and due_month")
    elif "due_days" in data:
        due_days = check.whole(data, "due_days", path, 0, MAX_DAYS)
    else:
        due_month = check.whole(data, "due_month", path, 1, MAX_MONTHS)
    if len(check.problems) > before or key is None or name is None:
        return None
    if phase is None or owner is None:
        return None
    return MilestoneTemplate(key, name, phase, owner, due_days, due_month, link)


def parse(data: Any) -> Template:
    """Check a template document and return it; raise WorkplanError listing every problem."""
    check = _Checker()
    if not isinstance(data, dict):
        raise WorkplanError([Problem("", "a work-plan template must be a JSON object")])
    check.unknown("", data, _TOP)
    if data.get("format") != FORMAT:
        check.add("format", f'must be "{FORMAT}"')
    template_id = check.string(data, "id", "")
    if template_id is not None and not KEY_RE.match(template_id):
        check.add("id", "use lower-case letters, digits, '_' or '-' (at most 64)")
    version = check.string(data, "version", "")
    title = check.texts(data, "title", "")
    phases = _phases(check, data.get("phases"))
    phase_ids = {p.id for p in phases}
    raw = data.get("milestones")
    milestones: list[MilestoneTemplate] = []
    if not isinstance(raw, list) or not raw:
        check.add("milestones", "must be a non-empty list of milestones")
    else:
        keys: set[str] = set()
        for index, item in enumerate(raw):
            milestone = _milestone(check, item, f"milestones[{index}]", phase_ids)
            if milestone is None:
                continue
            if milestone.key in keys:
                check.add(f"milestones[{index}].key", f"duplicate key {milestone.key!r}")
                continue
            keys.add(milestone.key)
            milestones.append(milestone)
    if check.problems or template_id is None or version is None or title is None:
        raise WorkplanError(check.problems)
    return Template(template_id, version, title, tuple(phases), tuple(milestones))


def loads(text_: str | bytes) -> Template:
    """Parse a template from JSON text."""
    try:
        data = json.loads(text_)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WorkplanError([Problem("", f"not valid JSON: {exc}")]) from None
    return parse(data)


def load(path: str | Path | None = None) -> Template:
    """Load a template file; without a path, the bundled template of the program year."""
    if path is None:
        source = resources.files("webapp.program") / BUNDLED_FILE
        return loads(source.read_bytes())
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise WorkplanError([Problem("", f"cannot read {path}: {exc.strerror}")]) from None
    return loads(raw)
