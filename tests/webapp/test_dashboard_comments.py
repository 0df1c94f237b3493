"""Free-text comments: CfJJ admins only, from MIN_RESPONSES_FOR_TEXT responses on, each
question's comments alone and shuffled, never beside the author's other answers."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.webapp.test_admin_support import make_world, signed_in, visible_text
from tests.webapp.test_dashboard_support import (
    add_responses,
    answers,
    clear_caches,
    survey_document,
)
from webapp.dashboard.comments import comments
from webapp.db import Database
from webapp.models import Wave


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()


def _rows(count: int) -> list[dict[str, object]]:
    units = ["a", "b", "c"]
    return [
        answers(units[i % 3], 1 + i % 5, 2, note=f"comment number {i} from unit {units[i % 3]}")
        for i in range(count)
    ]


def test_admins_read_each_comment_alone(app: Flask, db: Database) -> None:
    world = make_world(db, survey_document())
    add_responses(db, world.wave_a, _rows(10))
    response = signed_in(app, "admin@cfjj.org").get(f"/dashboard/waves/{world.wave_a}/comments")
    assert response.status_code == 200
    items = re.findall(r"<li>(.*?)</li>", response.text, re.S)
    listed = [i.strip() for i in items if i.strip().startswith("comment number")]
    assert sorted(listed) == sorted(
        f"comment number {i} from unit {'abc'[i % 3]}" for i in range(10)
    )
    text = visible_text(response.text)
    assert "Anything else?" in text
    # Nothing else anyone answered: no group, no statement, no score.
    for other in ("Unit A", "Unit B", "Your unit", "Leaders care.", "point 1"):
        assert other not in text


def test_comments_wait_for_enough_responses(app: Flask, db: Database) -> None:
    world = make_world(db, survey_document())
    add_responses(db, world.wave_a, _rows(9))
    response = signed_in(app, "admin@cfjj.org").get(f"/dashboard/waves/{world.wave_a}/comments")
    assert response.status_code == 200
    assert "comment number" not in response.text
    assert "at least 10 responses; it has 9" in visible_text(response.text)


def test_leaders_never_see_comments(app: Flask, db: Database) -> None:
    world = make_world(db, survey_document())
    add_responses(db, world.wave_a, _rows(12))
    leader = signed_in(app, "lead@a.org")
    response = leader.get(f"/dashboard/waves/{world.wave_a}/comments")
    assert response.status_code == 403
    assert "comment number" not in response.text
    for path in (
        f"/dashboard/waves/{world.wave_a}",
        f"/dashboard/waves/{world.wave_a}/results.csv",
        f"/dashboard/waves/{world.wave_a}/results.json",
        f"/dashboard/organizations/{world.org_a}/report",
        f"/api/waves/{world.wave_a}/results",
    ):
        assert "comment number" not in leader.get(path).text, path
    assert "/comments" not in leader.get(f"/dashboard/waves/{world.wave_a}").text


def test_comments_are_shuffled(app: Flask, db: Database) -> None:
    world = make_world(db, survey_document())
    add_responses(db, world.wave_a, _rows(30))
    with db.session() as s:
        wave = s.get(Wave, world.wave_a)
        assert wave is not None
        orders = {comments(s, wave, "en", rng=random.Random(seed))[0].comments for seed in range(3)}
    assert len(orders) == 3
    assert all(len(order) == 30 for order in orders)
