"""The program year's pages (`/program`); importing this module registers every page."""

from __future__ import annotations

# Importing the page modules registers their routes on the blueprint.
from webapp.program import (
    activity_pages,
    engagement_pages,
    framework_pages,
    people_pages,
    review_pages,
    selection_pages,
)
from webapp.program.blueprint import bp

__all__ = [
    "activity_pages",
    "bp",
    "engagement_pages",
    "framework_pages",
    "people_pages",
    "review_pages",
    "selection_pages",
]
