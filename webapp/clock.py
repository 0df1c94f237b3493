"""Today's date where the program runs: the only notion of time survey data ever carries.

Dates follow `REPP_TIMEZONE` (default America/New_York, where CfJJ works), not the server's
clock zone, so a response submitted on a Monday evening in Boston is dated Monday.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "America/New_York"


def zone(name: str | None = None) -> ZoneInfo:
    """Return the configured time zone (raises ValueError naming a bad setting)."""
    if name is None:
        if has_app_context():
            name = current_app.config.get("TIMEZONE", DEFAULT_TIMEZONE)
        else:
            name = os.environ.get("REPP_TIMEZONE", DEFAULT_TIMEZONE)
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"REPP_TIMEZONE {name!r} is not a time zone such as America/New_York"
        ) from None


def today() -> dt.date:
    """Return today's date in the configured time zone."""
    return dt.datetime.now(zone()).date()
