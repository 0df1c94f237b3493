"""Time `instrument.load` on a large instrument: 5,000 items, ~50 focus areas, two languages.

Run with `.venv/bin/python bench/bench_validate.py`. The target is well under one second for the
whole load (read, parse, validate, build). Each figure is the best of 5 runs after one warm-up.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import instrument

LANGUAGES = ("en", "es")
TARGET_SECONDS = 1.0


def text(label: str) -> dict[str, str]:
    return {"en": label, "es": f"{label} (es)"}


def scale(values: list[int], *, not_applicable: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"points": [{"value": v, "label": text(f"point {v}")} for v in values]}
    if not_applicable:
        out["not_applicable"] = {"label": text("Don't know")}
    return out


def options(count: int) -> list[dict[str, Any]]:
    return [{"value": f"o{k}", "label": text(f"option {k}")} for k in range(count)]


def build_document(
    items: int = 5000, focus_areas: int = 50, per_section: int = 50
) -> dict[str, Any]:
    """Return a valid document with every item type, show_if on items and sections."""
    scales = {
        "agree5": scale([1, 2, 3, 4, 5], not_applicable=True),
        "agree4": scale([1, 2, 3, 4], not_applicable=True),
        "frequency": scale([0, 1, 2], not_applicable=False),
        "yes_no": {**scale([0, 1], not_applicable=True), "favorable": [1]},
    }
    scale_ids = list(scales)
    areas = [
        {"id": f"fa{a:02d}", "title": text(f"Focus area {a}"), "description": text("About it")}
        for a in range(focus_areas)
    ]
    sections: list[dict[str, Any]] = []
    last_choice: str | None = None  # the latest single-choice item, for conditions
    last_likert: tuple[str, str] | None = None  # (item id, scale id)
    likert_count = 0
    for n in range(items):
        if n % per_section == 0:
            section: dict[str, Any] = {
                "id": f"s{len(sections)}",
                "title": text(f"Section {len(sections)}"),
                "intro": text("Please answer every question."),
                "items": [],
            }
            if last_choice is not None and len(sections) % 5 == 4:
                section["show_if"] = {"item": last_choice, "in": ["o0", "o1"]}
            sections.append(section)
        item_id = f"q{n}"
        item: dict[str, Any] = {"id": item_id, "text": text(f"Question {n}")}
        kind = n % 10
        if kind < 7:
            item.update(
                type="likert",
                scale=scale_ids[n % len(scale_ids)],
                focus_area=f"fa{likert_count % focus_areas:02d}",
            )
            if n % 13 == 0:
                item["reverse"] = True
        elif kind == 7:
            item.update(type="single_choice", options=options(4), demographic=n % 3 == 0)
        elif kind == 8:
            item.update(type="multiple_choice", options=options(5), help=text("Choose any"))
        elif n % 20 == 9:
            item.update(type="number", min=0, max=100, integer=True)
        else:
            item.update(type="text", max_length=500)
        if n % 10 == 5 and last_choice is not None:
            item["show_if"] = {
                "any": [
                    {"item": last_choice, "equals": "o2"},
                    {"not": {"item": last_choice, "answered": True}},
                ]
            }
        elif n % 10 == 6 and last_likert is not None:
            likert_id, likert_scale = last_likert
            top = [p["value"] for p in scales[likert_scale]["points"]][-2:]
            item["show_if"] = {
                "all": [
                    {"item": likert_id, "answered": True},
                    {"not": {"item": likert_id, "in": top}},
                ]
            }
        sections[-1]["items"].append(item)
        if item["type"] == "single_choice":
            last_choice = item_id
        elif item["type"] == "likert":
            last_likert = (item_id, item["scale"])
            likert_count += 1
    return {
        "format": instrument.FORMAT,
        "id": "bench",
        "version": "1",
        "title": text("Benchmark instrument"),
        "description": text("Generated for timing"),
        "languages": list(LANGUAGES),
        "scales": scales,
        "focus_areas": areas,
        "sections": sections,
    }


def best_of(
    runs: int, func: Callable[[], object], clock: Callable[[], float] = time.perf_counter
) -> float:
    """Return the best time of `runs` calls, after one warm-up call."""
    func()
    times = []
    for _ in range(runs):
        start = clock()
        func()
        times.append(clock() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--focus-areas", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    doc = build_document(args.items, args.focus_areas)
    payload = json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.json"
        path.write_bytes(payload)
        loaded = instrument.load(path)  # also proves the document is valid
        figures = {
            "json.loads alone": best_of(args.runs, lambda: json.loads(payload)),
            "parse_json (duplicate-key aware)": best_of(
                args.runs, lambda: instrument.parse_json(payload)
            ),
            "load(dict): validate + build": best_of(args.runs, lambda: instrument.load(doc)),
            "load(path): read + parse + validate + build": best_of(
                args.runs, lambda: instrument.load(path)
            ),
            # CPU time: the same, less sensitive to other processes on a busy machine
            "load(path), CPU time": best_of(
                args.runs, lambda: instrument.load(path), clock=time.process_time
            ),
            "content_hash": best_of(args.runs, lambda: instrument.content_hash(loaded)),
        }
    print(
        f"instrument: {len(loaded.items)} items, {len(loaded.focus_areas)} focus areas, "
        f"{len(loaded.scales)} scales, {', '.join(loaded.languages)}; "
        f"{len(payload) / 1e6:.1f} MB of JSON"
    )
    for name, seconds in figures.items():
        print(f"  {name:<46} {seconds * 1000:8.1f} ms  (best of {args.runs})")
    total = figures["load(path): read + parse + validate + build"]
    verdict = "within" if total < TARGET_SECONDS else "OVER"
    print(f"load from file: {total:.3f} s, {verdict} the {TARGET_SECONDS:.0f} s target")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
