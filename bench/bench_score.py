"""Benchmark `repp score` against a straightforward pandas analysis of the same CSV.

    .venv/bin/python bench/bench_score.py [--respondents 100000] [--items 50] [--runs 3]
                                         [--cells values|labels]

Generates, in a temporary directory, an instrument (a 5-point agreement scale with "Don't know",
`--items` likert items in focus areas of five, every fourth item reverse-scored, two demographic
items) and a CSV of `--respondents` rows in two waves (baseline and 12-month, half each), with
answers written as point values (or, with `--cells labels`, as their labels such as "Agree"),
about 4% left blank and 1% "Don't know". Then it times, each as a subprocess and best of `--runs`:

- `repp score INSTRUMENT CSV --by role --format json -o OUT`;
- a pandas script doing the same core analysis: read_csv (then labels mapped to values, for
  labels), reverse-coding, respondent focus-area scores with the half-answered rule, n/mean/sd per
  wave and focus area, item counts per wave, and focus-area means per role.

It prints both wall times, their ratio, each command's CPU time (steadier than wall time on a busy
machine) and peak resident memory (both from wait4). The target: repp at most 1.5 times the
pandas wall time, and under 1 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

SCALE_LABELS = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
ROLES = ["direct", "supervisor", "manager", "admin"]
TENURE = ["lt1", "1to5", "gt5"]
AREA_SIZE = 5

PANDAS_SCRIPT = r"""
import json, sys
import numpy as np
import pandas as pd

instrument = json.load(open(sys.argv[1]))
df = pd.read_csv(sys.argv[2], na_values=["", "Don't know"], keep_default_na=False)
items = [i for s in instrument["sections"] for i in s["items"] if i["type"] == "likert"]
if sys.argv[4] == "labels":
    points = instrument["scales"]["agree"]["points"]
    value_of = {p["label"]: p["value"] for p in points}
    for item in items:
        df[item["id"]] = df[item["id"]].map(value_of)
for item in items:
    if item.get("reverse"):
        df[item["id"]] = 6 - df[item["id"]]
out = {}
for area in instrument["focus_areas"]:
    cols = [i["id"] for i in items if i["focus_area"] == area["id"]]
    answered = df[cols].notna().sum(axis=1)
    df["score_" + area["id"]] = df[cols].mean(axis=1).where(answered * 2 >= len(cols))
scores = [c for c in df.columns if c.startswith("score_")]
summary = df.groupby("wave", sort=False)[scores].agg(["count", "mean", "std"])
by_role = df.groupby(["wave", "role"], sort=False)[scores].agg(["count", "mean"])
ids = [i["id"] for i in items]
counts = {w: g[ids].apply(lambda c: c.value_counts()) for w, g in df.groupby("wave", sort=False)}
out["summary"] = summary.to_json()
out["by_role"] = by_role.to_json()
out["items"] = {w: c.to_json() for w, c in counts.items()}
json.dump(out, open(sys.argv[3], "w"))
"""


def instrument_doc(items: int) -> dict[str, object]:
    areas = [f"fa{a + 1}" for a in range((items + AREA_SIZE - 1) // AREA_SIZE)]
    likert = [
        {
            "id": f"q{i + 1}",
            "type": "likert",
            "text": f"Statement {i + 1}",
            "scale": "agree",
            "focus_area": areas[i // AREA_SIZE],
            **({"reverse": True} if i % 4 == 3 else {}),
        }
        for i in range(items)
    ]
    return {
        "format": "repp-instrument/1",
        "id": "bench",
        "version": "1",
        "title": "Benchmark",
        "scales": {
            "agree": {
                "points": [
                    {"value": v + 1, "label": label} for v, label in enumerate(SCALE_LABELS)
                ],
                "not_applicable": {"label": "Don't know"},
            }
        },
        "focus_areas": [{"id": a, "title": f"Area {a}"} for a in areas],
        "sections": [
            {
                "title": "About you",
                "items": [
                    {
                        "id": "role",
                        "type": "single_choice",
                        "text": "Role",
                        "demographic": True,
                        "options": [{"value": r, "label": r.title()} for r in ROLES],
                    },
                    {
                        "id": "tenure",
                        "type": "single_choice",
                        "text": "Tenure",
                        "demographic": True,
                        "options": [{"value": t, "label": t} for t in TENURE],
                    },
                ],
            },
            {"title": "Statements", "items": likert},
        ],
    }


def write_csv(path: Path, respondents: int, items: int, cells: str, seed: int = 7) -> None:
    import numpy as np

    rng = np.random.default_rng(seed)
    values = rng.integers(1, 6, size=(respondents, items))
    if cells == "labels":
        answers = np.array(SCALE_LABELS, dtype=object)[values - 1]
    else:
        answers = values.astype(str).astype(object)
    draw = rng.random((respondents, items))
    answers[draw < 0.04] = ""
    answers[(draw >= 0.04) & (draw < 0.05)] = "Don't know"
    waves = np.where(np.arange(respondents) < respondents // 2, "baseline", "12-month")
    roles = rng.choice(ROLES, size=respondents, p=[0.6, 0.25, 0.1, 0.05])
    tenure = rng.choice(TENURE + [""], size=respondents)
    header = ["wave", "role", "tenure", *(f"q{i + 1}" for i in range(items))]
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in range(respondents):
            cells = [waves[r], roles[r], tenure[r], *answers[r]]
            f.write(",".join(cells) + "\n")


def run(command: list[str], log: Path) -> tuple[float, int, float]:
    """Run a command; return its wall time, its own peak RSS in KiB and its CPU time.

    posix_spawn (vfork) keeps the child from starting as a copy of this process, so wait4's
    ru_maxrss is the command's own peak.
    """
    actions = [
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, str(log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(command[0], command, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{log.read_text()}")
    return elapsed, int(usage.ru_maxrss), usage.ru_utime + usage.ru_stime


def best(runs: list[tuple[float, int, float]]) -> tuple[float, int, float]:
    """Return the best wall time, the largest peak RSS and the best CPU time of several runs."""
    return min(r[0] for r in runs), max(r[1] for r in runs), min(r[2] for r in runs)


def repp_command() -> list[str]:
    script = Path(sys.executable).with_name("repp")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from webapp.cli import main; main()"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cells", choices=["values", "labels"], default="values")
    parser.add_argument("--generate", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        root = Path(args.generate)
        (root / "instrument.json").write_text(json.dumps(instrument_doc(args.items)), "utf-8")
        write_csv(root / "responses.csv", args.respondents, args.items, args.cells)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        instrument_path, csv_path = root / "instrument.json", root / "responses.csv"
        # Generate in a child process: the kernel counts the memory a process had when it
        # spawned a command towards that command's peak, so this process stays small.
        generate = [sys.executable, __file__, "--generate", str(root)]
        generate += ["--respondents", str(args.respondents), "--items", str(args.items)]
        generate += ["--cells", args.cells]
        run(generate, root / "generate.log")
        script = root / "pandas_analysis.py"
        script.write_text(PANDAS_SCRIPT, encoding="utf-8")
        size = csv_path.stat().st_size / 2**20
        print(
            f"{args.respondents} respondents x {args.items} items, two waves, cells as "
            f"{args.cells}: {size:.1f} MiB CSV"
        )
        repp = [
            *repp_command(),
            "score",
            str(instrument_path),
            str(csv_path),
            "--by",
            "role",
            "--format",
            "json",
            "-o",
            str(root / "report.json"),
        ]
        pandas = [
            sys.executable,
            str(script),
            str(instrument_path),
            str(csv_path),
            str(root / "p.json"),
            args.cells,
        ]
        # Interleave the two so that a slow moment on the machine does not favour either.
        repp_runs, pandas_runs = [], []
        for _ in range(args.runs):
            repp_runs.append(run(repp, root / "repp.log"))
            pandas_runs.append(run(pandas, root / "pandas.log"))
        repp_time, repp_rss, repp_cpu = best(repp_runs)
        pandas_time, pandas_rss, pandas_cpu = best(pandas_runs)
        ratio = repp_time / pandas_time
        for name, wall, rss, cpu in (
            ("repp score", repp_time, repp_rss, repp_cpu),
            ("pandas", pandas_time, pandas_rss, pandas_cpu),
        ):
            print(
                f"{name + ':':12} {wall:6.2f} s wall  {cpu:6.2f} s CPU  peak RSS {rss / 1024:7.1f} MiB"
            )
        verdict = "within" if ratio <= 1.5 and repp_rss < 2**20 else "OUTSIDE"
        print(f"ratio:       {ratio:6.2f} wall, {repp_cpu / pandas_cpu:.2f} CPU")
        print(f"({verdict} the target: wall ratio <= 1.5 and peak RSS < 1 GiB)")


if __name__ == "__main__":
    main()
