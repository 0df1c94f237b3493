"""Configuration: defaults, then `REPP_*` environment variables, then checks that fail fast.

Every setting can be given as an environment variable with the `REPP_` prefix
(`REPP_DATABASE_URL`, `REPP_SECRET_KEY`, ...); values are converted to the type of the default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "REPP_"
SECRET_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says which setting and how to fix it."""


def defaults(instance_path: Path) -> dict[str, Any]:
    """Return the default settings for an instance folder."""
    return {
        "SECRET_KEY": "",
        "DATABASE_URL": f"sqlite:///{instance_path / 'repp.sqlite3'}",
        # Echo SQL statements (debugging only).
        "DATABASE_ECHO": False,
        # "auto": Secure cookies except when the request is for localhost.
        "COOKIE_SECURE": "auto",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "repp_session",
        # Survey pages are long-lived: a respondent may leave a page open for hours.
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "MIN_GROUP_SIZE": 5,
        "DRAFT_DAYS": 14,
        # Failed logins allowed per account and per client in LOGIN_WINDOW_MINUTES.
        "LOGIN_MAX_ATTEMPTS": 5,
        "LOGIN_WINDOW_MINUTES": 15,
        # Free-text answers are shown to admins only from this many responses on.
        "MIN_RESPONSES_FOR_TEXT": 10,
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": "en,es",
        # The address people reach the app at, for printed links; empty: relative paths only.
        "PUBLIC_URL": "",
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust (0:
        # none). The client address is used only for the login rate limit, never stored in clear.
        "PROXY_HOPS": 0,
        # Dates (responses, drafts, milestones) are days in this zone.
        "TIMEZONE": "America/New_York",
        "TESTING": False,
    }


def _convert(key: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{ENV_PREFIX}{key} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{key} must be a whole number, not {raw!r}") from None
    return raw


def load_config(
    instance_path: Path,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the settings: defaults, then the environment, then `overrides`, checked."""
    environ = os.environ if environ is None else environ
    config = defaults(instance_path)
    for key, default in list(config.items()):
        if f"{ENV_PREFIX}{key}" in environ:
            config[key] = _convert(key, environ[f"{ENV_PREFIX}{key}"], default)
    if overrides:
        config.update(overrides)
    if not config["SECRET_KEY"]:
        secret_file = instance_path / SECRET_FILE
        if secret_file.is_file():
            config["SECRET_KEY"] = secret_file.read_text(encoding="utf-8").strip()
    check(config)
    return config


def check(config: Mapping[str, Any]) -> None:
    """Raise ConfigError naming the first setting that cannot work."""
    secret = config.get("SECRET_KEY") or ""
    if len(str(secret)) < 32:
        raise ConfigError(
            "REPP_SECRET_KEY is missing or shorter than 32 characters: set it (for example to "
            'the output of `python -c "import secrets; print(secrets.token_hex(32))"`) '
            "or run `repp init`, which writes one to the instance folder"
        )
    url = str(config.get("DATABASE_URL", ""))
    if not url.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
        raise ConfigError(
            f"REPP_DATABASE_URL {url!r} is not supported: use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DB"
        )
    if int(config.get("PROXY_HOPS", 0)) < 0:
        raise ConfigError("REPP_PROXY_HOPS must be 0 or more (the reverse proxies in front)")
    if int(config.get("MIN_GROUP_SIZE", 5)) < 3:
        raise ConfigError("REPP_MIN_GROUP_SIZE must be at least 3")
    if str(config.get("COOKIE_SECURE")) not in ("auto", "True", "False", "true", "false"):
        raise ConfigError("REPP_COOKIE_SECURE must be auto, true or false")
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(config.get("TIMEZONE", "America/New_York")))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"REPP_TIMEZONE {config.get('TIMEZONE')!r} is not a time zone such as America/New_York"
        ) from None
    languages = [lang.strip() for lang in str(config.get("LANGUAGES", "")).split(",")]
    if not all(languages):
        raise ConfigError("REPP_LANGUAGES must be a comma-separated list such as en,es")
