"""The database commands of the `repp` CLI, on each backend."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import questionnaires
from tests.support import PASSWORD, TEST_SECRET
from webapp.cli import main
from webapp.db import Database
from webapp.models import Invitation, Response, Wave, WaveStatus

SELF_ASSESSMENT = "repp-org-self-assessment"


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "REPP_SECRET_KEY": TEST_SECRET,
        "REPP_DATABASE_URL": database_url,
        "REPP_INSTANCE_PATH": str(tmp_path / "instance"),
        "REPP_PASSWORD": PASSWORD,
    }


@pytest.fixture
def repp(env: dict[str, str]):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def run(*args: str, **extra: str) -> Result:
        return runner.invoke(main, list(args), env={**env, **extra}, catch_exceptions=False)

    return run


@pytest.fixture
def bundled_file(tmp_path: Path) -> Path:
    path = tmp_path / f"{SELF_ASSESSMENT}.json"
    path.write_text(json.dumps(questionnaires.read(SELF_ASSESSMENT)), encoding="utf-8")
    return path


def test_init_is_idempotent(repp) -> None:  # type: ignore[no-untyped-def]
    first = repp("init")
    assert first.exit_code == 0, first.output
    assert "database ready" in first.stdout
    assert repp("init").exit_code == 0


def test_init_json_names_the_revision(repp, db_for_cli: Database) -> None:  # type: ignore[no-untyped-def]
    from webapp.migrate import current_revision

    result = repp("init", "--json")
    assert result.exit_code == 0, result.output
    revision = json.loads(result.stdout)["revision"]
    assert revision is not None
    assert revision == current_revision(db_for_cli)


def test_init_creates_a_secret_and_schema_in_a_fresh_instance(tmp_path: Path) -> None:
    instance = tmp_path / "fresh"
    result = CliRunner().invoke(main, ["init"], env={"REPP_INSTANCE_PATH": str(instance)})
    assert result.exit_code == 0, result.output
    assert (instance / "secret_key").read_text().strip()
    assert (instance / "repp.sqlite3").exists()


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    env = {
        "REPP_SECRET_KEY": TEST_SECRET,
        "REPP_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    result = CliRunner().invoke(main, ["org", "list"], env=env)
    assert result.exit_code == 1
    assert "repp init" in result.stderr


def test_a_whole_wave_setup_from_the_command_line(
    repp, bundled_file: Path, db_for_cli: Database
) -> None:  # type: ignore[no-untyped-def]
    assert repp("instrument", "add", str(bundled_file)).exit_code == 0
    again = repp("instrument", "add", str(bundled_file))
    assert "already present" in again.stdout
    assert (
        repp(
            "org", "add", "acme", "--name", "Acme Youth Services", "--sector", "education"
        ).exit_code
        == 0
    )
    created = repp(
        "wave",
        "create",
        "acme",
        "--instrument",
        SELF_ASSESSMENT,
        "--label",
        "baseline",
        "--tokens",
        "3",
        "--min-group",
        "6",
        "--json",
    )
    assert created.exit_code == 0, created.output
    data = json.loads(created.stdout)
    assert set(data) == {"id", "link", "invitations"}
    assert data["link"].startswith("/s/")
    # At least 128 bits of randomness in the slug (base64url: 6 bits a character).
    assert len(data["link"].removeprefix("/s/")) * 6 >= 128
    assert len(data["invitations"]) == 3
    assert all(p.startswith("/i/") for p in data["invitations"])
    with db_for_cli.session() as s:
        wave = s.get(Wave, data["id"])
        assert wave is not None
        assert wave.status is WaveStatus.OPEN
        assert wave.min_group_size == 6
        hashes = set(
            s.scalars(Invitation.__table__.select().with_only_columns(Invitation.token_hash))
        )
    # Only hashes are stored, never the tokens.
    tokens = {p.removeprefix("/i/") for p in data["invitations"]}
    assert not tokens & hashes
    assert len(hashes) == 3

    listed = json.loads(repp("wave", "list", "--json").stdout)
    assert listed[0]["responses"] == 0
    assert repp("wave", "close", str(data["id"])).exit_code == 0
    with db_for_cli.session() as s:
        wave = s.get(Wave, data["id"])
        assert wave is not None
        assert wave.status is WaveStatus.CLOSED
    reopened = repp("wave", "open", str(data["id"]), "--json")
    assert reopened.exit_code == 0, reopened.output
    assert json.loads(reopened.stdout) == {**listed[0], "status": "open"}
    closed = json.loads(repp("wave", "close", str(data["id"]), "--json").stdout)
    assert (closed["id"], closed["status"], closed["responses"]) == (data["id"], "closed", 0)
    missing = repp("wave", "open", "999", "--json")
    assert missing.exit_code == 1
    assert missing.stdout == ""
    assert "no wave 999" in missing.stderr


def test_wave_create_errors_are_one_clear_line(repp, bundled_file: Path) -> None:  # type: ignore[no-untyped-def]
    repp("instrument", "add", str(bundled_file))
    missing_org = repp("wave", "create", "nope", "--instrument", SELF_ASSESSMENT, "--label", "x")
    assert missing_org.exit_code == 1
    assert "no organization 'nope'" in missing_org.stderr
    repp("org", "add", "acme", "--name", "Acme")
    too_small = repp(
        "wave",
        "create",
        "acme",
        "--instrument",
        SELF_ASSESSMENT,
        "--label",
        "x",
        "--min-group",
        "2",
    )
    assert too_small.exit_code == 2
    unknown = repp("wave", "create", "acme", "--instrument", "other", "--label", "x")
    assert unknown.exit_code == 1
    assert "no instrument 'other'" in unknown.stderr


def test_user_add_takes_the_password_from_the_environment(repp) -> None:  # type: ignore[no-untyped-def]
    repp("org", "add", "acme", "--name", "Acme")
    leader = repp("user", "add", "Lead@Acme.org", "--role", "leader", "--org", "acme", "--json")
    assert leader.exit_code == 0, leader.output
    assert json.loads(leader.stdout)["email"] == "lead@acme.org"
    no_org = repp("user", "add", "x@acme.org", "--role", "leader")
    assert no_org.exit_code == 1
    short = repp("user", "add", "y@acme.org", "--role", "admin", REPP_PASSWORD="short")
    assert short.exit_code == 1
    assert "at least" in short.stderr


def test_export_writes_shuffled_rows_in_the_scoring_format(
    repp, bundled_file: Path, db_for_cli: Database
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    repp("instrument", "add", str(bundled_file))
    repp("org", "add", "acme", "--name", "Acme")
    wave_id = json.loads(
        repp(
            "wave",
            "create",
            "acme",
            "--instrument",
            SELF_ASSESSMENT,
            "--label",
            "baseline",
            "--json",
        ).stdout
    )["id"]
    with db_for_cli.transaction() as s:
        for i in range(30):
            s.add(
                Response(
                    wave_id=wave_id,
                    language="en",
                    submitted_on=dt.date(2026, 1, 1),
                    answers={"lead_1": 1 + i % 5, "lead_2": "na", "demo_role": "frontline", "n": i},
                )
            )
    result = repp("export", str(wave_id))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    inst = questionnaires.load(SELF_ASSESSMENT)
    assert list(rows[0]) == ["wave", *(item.id for item in inst.items)]
    assert len(rows) == 30
    assert {r["wave"] for r in rows} == {"baseline"}
    assert {r["lead_2"] for r in rows} == {"Don't know"}
    assert sorted(int(r["lead_1"]) for r in rows) == sorted(1 + i % 5 for i in range(30))
    # Shuffled: the stored order is not the written order (30! orders; equal by chance ~0).
    assert [r["lead_1"] for r in rows] != [str(1 + i % 5) for i in range(30)]


@pytest.fixture
def db_for_cli(database_url: str):  # type: ignore[no-untyped-def]
    database = Database(database_url)
    yield database
    database.dispose()
