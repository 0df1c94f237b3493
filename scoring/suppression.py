"""Suppression: no figure describes fewer than `min_group_size` respondents, directly or by subtraction.

Primary suppression hides a focus area, item, group or cell with fewer than `min_group_size`
respondents. Complementary suppression protects what primary suppression hid: a breakdown
publishes the wave's respondents and each visible group's n, so the hidden groups' total is
known by subtraction. While that hidden total is at least 1 but below `min_group_size`, the
smallest visible group (the later one on a tie) is hidden too. Afterwards the hidden total is 0
or at least `min_group_size`, so subtraction never reveals a hidden group of 1 to
`min_group_size - 1` respondents. The same rule runs again on every focus-area column of a
breakdown, on the number of respondents each cell's mean is taken over. What this does and does
not guarantee is set out in docs/methodology.md, section 5.
"""

from __future__ import annotations

from collections.abc import Sequence

#: The default and the smallest allowed minimum group size.
DEFAULT_MIN_GROUP_SIZE = 5
SMALLEST_MIN_GROUP_SIZE = 3


def check_min_group_size(min_group_size: object) -> int:
    """Return min_group_size if it is a whole number of at least 3; raise ValueError otherwise."""
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, int):
        raise ValueError(f"min_group_size must be a whole number, got {min_group_size!r}")
    if min_group_size < SMALLEST_MIN_GROUP_SIZE:
        raise ValueError(
            f"min_group_size must be at least {SMALLEST_MIN_GROUP_SIZE}, got {min_group_size}: "
            "smaller groups would expose individual respondents"
        )
    return min_group_size


def too_small(size: int, min_group_size: int) -> bool:
    """Return whether a figure over `size` respondents must be hidden (primary suppression)."""
    return size < min_group_size


def complementary(sizes: Sequence[int], hidden: Sequence[bool], min_group_size: int) -> list[bool]:
    """Return `hidden` widened until the hidden sizes total 0 or at least min_group_size.

    Each step hides the smallest visible entry; on a tie, the later one.
    """
    out = list(hidden)
    while True:
        total = sum(size for size, h in zip(sizes, out, strict=True) if h)
        if total == 0 or total >= min_group_size:
            return out
        visible = [i for i, h in enumerate(out) if not h]
        if not visible:
            return out
        out[min(visible, key=lambda i: (sizes[i], -i))] = True


def suppress(sizes: Sequence[int], min_group_size: int) -> list[bool]:
    """Return which of a partition's groups to hide: primary, then complementary suppression."""
    primary = [too_small(size, min_group_size) for size in sizes]
    return complementary(sizes, primary, min_group_size)
