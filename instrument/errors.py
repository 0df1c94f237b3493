"""The one error type of this package, carrying every problem found in a document."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a document: where (a JSON path such as `sections[1].items[3].scale`) and what.

    `parts` is the same path as keys and indexes (empty when the problem is not in the document).
    """

    path: str
    message: str
    parts: tuple[str | int, ...] = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InstrumentError(ValueError):
    """An instrument document is not valid; `problems` lists every problem found, in document order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._summary())

    def __reduce__(self) -> tuple[type[InstrumentError], tuple[tuple[Problem, ...]]]:
        # The default rebuilds from the summary string; rebuild from the problems instead.
        return (type(self), (self.problems,))

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)

    @property
    def messages(self) -> dict[str, list[str]]:
        """Return the problems as `{path: [messages]}`, marshmallow's shape."""
        out: dict[str, list[str]] = {}
        for problem in self.problems:
            out.setdefault(problem.path, []).append(problem.message)
        return out
