"""`repp serve` logs nothing about requests; `repp demo` builds its data and guards real databases."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.support import TEST_SECRET
from webapp.cli import main
from webapp.db import Database
from webapp.models import Response, User, Wave, WaveStatus
from webapp.server import redact


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local test server
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_writes_no_access_log(tmp_path: Path, database_url: str) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "REPP_SECRET_KEY": TEST_SECRET,
        "REPP_DATABASE_URL": database_url,
        "REPP_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    repp = Path(sys.executable).with_name("repp")
    proc = subprocess.Popen(
        [str(repp), "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline:
            try:
                status = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200
        secret_path = "/s/a-survey-path-that-must-not-be-logged"
        assert _get(f"http://127.0.0.1:{port}{secret_path}") == 404
        assert _get(f"http://127.0.0.1:{port}/login") == 200
        # Malformed requests make gunicorn warn, naming the client: the address is blanked out.
        for raw in MALFORMED:
            _send_raw(port, raw)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    logged = out + err
    assert "a-survey-path-that-must-not-be-logged" not in logged
    assert "GET /" not in logged
    assert '"GET' not in logged
    assert "Invalid request from (address not logged)" in logged
    lines = logged.splitlines()
    # Only the lines naming the server's own address carry one.
    assert all("127.0.0.1" not in line for line in lines if "serving on" not in line)


MALFORMED = [
    b"GET /s/a-survey-path-that-must-not-be-logged HTTP/1.1\r\nBad Header: x\r\n\r\n",
    b"GET /" + b"x" * 9000 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: nope\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: a\r\n\r\n",
]


def _send_raw(port: int, raw: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(raw)
        try:
            while sock.recv(4096):
                pass
        except OSError:
            pass


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Invalid request from ip=10.1.2.3: Invalid HTTP header name: 'x'",
            "Invalid request from (address not logged): Invalid HTTP header name: 'x'",
        ),
        ("Invalid request from ip=::1: bad", "Invalid request from (address not logged): bad"),
        ("peer 2001:db8::ff00:42 left", "peer (address not logged) left"),
        (
            "Exception on /s/Abc-123_x/page/2 [POST]",
            "Exception on /s/(link not logged)/page/2 [POST]",
        ),
        ("Error handling request /i/tok?x=1", "Error handling request /i/(link not logged)?x=1"),
        ("Worker timeout at 12:30:45 (pid: 7)", "Worker timeout at 12:30:45 (pid: 7)"),
    ],
)
def test_log_lines_lose_client_addresses_and_link_keys(message: str, expected: str) -> None:
    assert redact(message) == expected


def test_demo_builds_two_waves_of_synthetic_responses(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    result = CliRunner().invoke(
        main, ["demo", "--no-serve", "--seed", "7"], env={"REPP_INSTANCE_PATH": str(instance)}
    )
    assert result.exit_code == 0, result.output
    assert "survey link:" in result.stdout
    assert "admin:" in result.stdout
    database = Database(f"sqlite:///{instance / 'repp-demo.sqlite3'}")
    try:
        with database.session() as s:
            waves = {w.label: w for w in s.scalars(select(Wave))}
            assert set(waves) == {"baseline", "12-month"}
            assert waves["baseline"].status is WaveStatus.CLOSED
            assert waves["12-month"].status is WaveStatus.OPEN
            for wave in waves.values():
                count = s.scalar(select(func.count()).where(Response.wave_id == wave.id))
                assert 50 <= (count or 0) <= 70
            # An admin, a leader and a working-group member.
            assert s.scalar(select(func.count()).select_from(User)) == 3
    finally:
        database.dispose()
    # Run again: a fresh demo database, not a second copy of the data.
    again = CliRunner().invoke(
        main, ["demo", "--no-serve"], env={"REPP_INSTANCE_PATH": str(instance)}
    )
    assert again.exit_code == 0, again.output


def test_demo_refuses_a_database_that_holds_data_unless_reset(
    tmp_path: Path, database_url: str
) -> None:
    env = {
        "REPP_INSTANCE_PATH": str(tmp_path / "i"),
        "REPP_DATABASE_URL": database_url,
        "REPP_SECRET_KEY": TEST_SECRET,
    }
    runner = CliRunner()
    assert (
        runner.invoke(main, ["org", "add", "real", "--name", "Real data"], env=env).exit_code == 0
    )
    refused = runner.invoke(main, ["demo", "--no-serve"], env=env)
    assert refused.exit_code == 1
    assert "--reset" in refused.stderr
    reset = runner.invoke(main, ["demo", "--no-serve", "--reset"], env=env)
    assert reset.exit_code == 0, reset.output


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_answers_always_fit_the_instrument(seed: int) -> None:
    import random

    import instrument
    import questionnaires
    from webapp.demo import baseline_profile, followup_profile, synthetic_answers

    rng = random.Random(seed)
    for name in questionnaires.list_bundled():
        inst = questionnaires.load(name)
        for profile in (baseline_profile(), followup_profile()):
            for _ in range(40):
                answers = synthetic_answers(inst, profile, rng, "en")
                assert instrument.response_problems(inst, answers) == {}
