"""Load: 500 survey submissions from 50 concurrent clients against `repp serve`.

Each client walks the real flow (welcome page, start, the section page, submit) and the
submission POST is timed; afterwards the database must hold exactly one response per submission
and no request may have answered 5xx. The same load is then sent to a bare Flask endpoint that
does the same insert (same engine settings, same server) as the floor to compare against.

    .venv/bin/python bench/bench_load.py                 # SQLite, then PostgreSQL if reachable
    .venv/bin/python bench/bench_load.py --backend sqlite --submissions 500 --clients 50

PostgreSQL: REPP_BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
a scratch database is created and dropped.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET = "bench-" + secrets.token_hex(24)

INSTRUMENT = {
    "format": "repp-instrument/1",
    "id": "bench",
    "version": "1",
    "title": "Load benchmark",
    "scales": {
        "agree": {
            "points": [{"value": v, "label": str(v)} for v in range(1, 6)],
            "not_applicable": {"label": "Don't know"},
        }
    },
    "focus_areas": [{"id": "fa", "title": "Focus area"}],
    "sections": [
        {
            "id": "only",
            "title": "Questions",
            "items": [
                *(
                    {
                        "id": f"q{i}",
                        "type": "likert",
                        "scale": "agree",
                        "focus_area": "fa",
                        "text": f"Item {i}",
                    }
                    for i in range(1, 11)
                ),
                {
                    "id": "role",
                    "type": "single_choice",
                    "demographic": True,
                    "text": "Role",
                    "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                },
            ],
        }
    ],
}
ANSWERS = {**{f"q{i}": str(1 + i % 5) for i in range(1, 11)}, "role": "a"}

BARE_APP = textwrap.dedent(
    """
    import datetime as dt
    import os
    from flask import Flask, request
    from webapp.db import Database
    from webapp.models import Response

    app = Flask("bare")
    database = Database(os.environ["REPP_DATABASE_URL"])

    @app.post("/submit/<int:wave_id>")
    def submit(wave_id):
        answers = {k: (int(v) if v.isdigit() else v) for k, v in request.form.items()}
        with database.transaction() as s:
            s.add(Response(wave_id=wave_id, language="en", submitted_on=dt.date.today(), answers=answers))
        return "stored"
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(BIN / "repp"), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"repp {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - local server
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Outcome:
    latency: float | None
    status: int


TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HIDDEN_RE = re.compile(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')


def survey_client(base: str, link: str) -> Outcome:
    """Walk the survey as one respondent; time the final submission POST."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def call(method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, method=method)  # noqa: S310
        try:
            with opener.open(request, timeout=60) as response:
                return (
                    response.status,
                    response.read().decode(),
                    response.headers.get("Location", ""),
                )
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")

    status, html, _ = call("GET", link)
    if status != 200:
        return Outcome(None, status)
    token = TOKEN_RE.search(html)
    status, _, location = call(
        "POST", link, {"csrf_token": token.group(1) if token else "", "language": "en"}
    )
    if status != 303:
        return Outcome(None, status)
    page_path = urllib.parse.urlsplit(location).path
    status, html, _ = call("GET", page_path)
    if status != 200:
        return Outcome(None, status)
    fields = dict(HIDDEN_RE.findall(html))
    started = time.perf_counter()
    status, _, _ = call("POST", page_path, {**fields, **ANSWERS, "_action": "submit"})
    latency = time.perf_counter() - started
    return Outcome(latency, status)


def bare_client(base: str, path: str) -> Outcome:
    body = urllib.parse.urlencode(ANSWERS).encode()
    request = urllib.request.Request(base + path, data=body, method="POST")  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return Outcome(time.perf_counter() - started, status)


@dataclass
class Figures:
    submissions: int
    seconds: float
    p95_ms: float
    median_ms: float
    errors_5xx: int
    other_failures: int

    @property
    def throughput(self) -> float:
        return self.submissions / self.seconds


def load(client: Callable[[], Outcome], submissions: int, clients: int) -> Figures:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        outcomes = list(pool.map(lambda _: client(), range(submissions)))
    seconds = time.perf_counter() - started
    latencies = sorted(o.latency * 1000 for o in outcomes if o.latency is not None)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else float("nan")
    ok = {200, 303}
    return Figures(
        submissions=submissions,
        seconds=seconds,
        p95_ms=p95,
        median_ms=statistics.median(latencies) if latencies else float("nan"),
        errors_5xx=sum(1 for o in outcomes if o.status >= 500),
        other_failures=sum(1 for o in outcomes if o.status not in ok and o.status < 500),
    )


def count_responses(url: str, wave_id: int) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(
            text("SELECT count(*) FROM responses WHERE wave_id = :w"), {"w": wave_id}
        ).scalar()
    engine.dispose()
    return int(count or 0)


def start_server(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    wait_for(f"http://127.0.0.1:{port}/")
    return proc


def stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    return out + err


def bench_backend(
    url: str, workdir: Path, submissions: int, clients: int, workers: int
) -> dict[str, object]:
    env = {
        **os.environ,
        "REPP_SECRET_KEY": SECRET,
        "REPP_DATABASE_URL": url,
        "REPP_INSTANCE_PATH": str(workdir / "instance"),
        "PYTHONPATH": str(ROOT),
    }
    instrument_file = workdir / "bench.json"
    instrument_file.write_text(json.dumps(INSTRUMENT), encoding="utf-8")
    run("init", env=env)
    run("instrument", "add", str(instrument_file), env=env)
    run("org", "add", "bench", "--name", "Bench", env=env)
    wave = json.loads(
        run(
            "wave", "create", "bench", "--instrument", "bench", "--label", "repp", "--json", env=env
        )
    )
    bare_wave = json.loads(
        run(
            "wave", "create", "bench", "--instrument", "bench", "--label", "bare", "--json", env=env
        )
    )

    port = free_port()
    server = start_server(
        [str(BIN / "repp"), "serve", "--port", str(port), "--workers", str(workers)], env, port
    )
    try:
        repp = load(
            lambda: survey_client(f"http://127.0.0.1:{port}", wave["link"]), submissions, clients
        )
    finally:
        log = stop(server)
    stored = count_responses(url, wave["id"])

    bare_file = workdir / "bare_app.py"
    bare_file.write_text(BARE_APP, encoding="utf-8")
    port = free_port()
    gunicorn = [
        str(BIN / "gunicorn"),
        "--chdir",
        str(workdir),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--preload",
        "--log-level",
        "warning",
        "bare_app:app",
    ]
    server = start_server(gunicorn, env, port)
    try:
        bare = load(
            lambda: bare_client(f"http://127.0.0.1:{port}", f"/submit/{bare_wave['id']}"),
            submissions,
            clients,
        )
    finally:
        stop(server)
    bare_stored = count_responses(url, bare_wave["id"])
    return {
        "repp": repp,
        "repp_stored": stored,
        "bare": bare,
        "bare_stored": bare_stored,
        "log_lines": len([line for line in log.splitlines() if line.strip()]),
    }


def postgres_scratch(base: str) -> tuple[str, Callable[[], None]]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"repp_bench_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(base).set(database=name).render_as_string(hide_password=False), drop


def report(name: str, result: dict[str, object], submissions: int) -> bool:
    repp: Figures = result["repp"]  # type: ignore[assignment]
    bare: Figures = result["bare"]  # type: ignore[assignment]
    lost = submissions - int(result["repp_stored"])  # type: ignore[call-overload]
    print(f"\n== {name} ==")
    print(
        f"repp survey submit : {repp.throughput:7.1f} submissions/s  p95 {repp.p95_ms:7.1f} ms  median {repp.median_ms:6.1f} ms"
        f"  stored {result['repp_stored']}/{submissions}  5xx {repp.errors_5xx}  other failures {repp.other_failures}"
    )
    print(
        f"bare Flask insert  : {bare.throughput:7.1f} submissions/s  p95 {bare.p95_ms:7.1f} ms  median {bare.median_ms:6.1f} ms"
        f"  stored {result['bare_stored']}/{submissions}  5xx {bare.errors_5xx}"
    )
    print(
        f"ratio repp/bare    : p95 latency x{repp.p95_ms / bare.p95_ms:.2f}   throughput x{repp.throughput / bare.throughput:.2f}"
        "  (repp's figure is the submit POST; its throughput counts whole survey walks: 4 requests each)"
    )
    print(f"server log lines   : {result['log_lines']}")
    return lost == 0 and repp.errors_5xx == 0 and repp.other_failures == 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    print(
        f"{args.submissions} submissions, {args.clients} concurrent clients, repp serve --workers {args.workers} (gthread, 4 threads)"
    )
    ok = True
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            ok &= report(
                "SQLite (WAL, BEGIN IMMEDIATE)",
                bench_backend(url, Path(tmp), args.submissions, args.clients, args.workers),
                args.submissions,
            )
    if args.backend in ("postgresql", "both"):
        base = os.environ.get(
            "REPP_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
        url, drop = postgres_scratch(base)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                ok &= report(
                    "PostgreSQL",
                    bench_backend(url, Path(tmp), args.submissions, args.clients, args.workers),
                    args.submissions,
                )
        finally:
            drop()
    print("\nzero lost, zero 5xx: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
