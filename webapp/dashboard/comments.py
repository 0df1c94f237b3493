"""Free-text answers for CfJJ admins: each question's comments alone, shuffled.

Scoring never sees free text. Here each text question gets its own list of the comments given to
it, in random order, with nothing else of the respondent beside them (no other answer, no
demographics, no language, no date), so a comment cannot be joined to its author's other answers.
Nothing is shown until the wave has at least MIN_RESPONSES_FOR_TEXT responses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

import instrument
from webapp.instruments import model
from webapp.models import Response, Wave


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    comments: tuple[str, ...]


def comments(
    session: Session, wave: Wave, language: str, *, rng: random.Random | None = None
) -> list[Question]:
    """Return each text question of the wave's instrument with its comments, shuffled."""
    inst = model(wave.instrument_version)
    questions = [item for item in inst.items if isinstance(item, instrument.TextItem)]
    if not questions:
        return []
    shuffle = (rng or random.SystemRandom()).shuffle
    found: dict[str, list[str]] = {q.id: [] for q in questions}
    for answers in session.scalars(select(Response.answers).where(Response.wave_id == wave.id)):
        for item_id, texts in found.items():
            value = answers.get(item_id)
            if isinstance(value, str) and value.strip():
                texts.append(value.strip())
    out = []
    for question in questions:
        texts = found[question.id]
        shuffle(texts)
        out.append(Question(question.id, question.text.get(language), tuple(texts)))
    return out
