"""`repp serve`: gunicorn in front of the app, with no access log.

An access log line holds a client address and a path, and a survey path names the wave: so there
is none. Errors and warnings still go to stderr, with client addresses and survey links blanked
out (gunicorn names the client of a malformed request; Flask names the path of a failed one).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

#: What a log line must not carry: a client address (IPv4, IPv6, or gunicorn's "ip=...") and the
#: secret part of a survey or invitation link.
_ADDRESS_RE = re.compile(
    r"ip=\S+?(?=:\s|[,\s]|$)"
    r"|\b(?:\d{1,3}\.){3}\d{1,3}\b"
    r"|[0-9A-Fa-f:]*::[0-9A-Fa-f:]*"
    r"|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b"
)
_LINK_RE = re.compile(r"/(s|i)/[^\s/?\"']+")


def redact(message: str) -> str:
    """Return a log message without client addresses or survey link keys."""
    message = _ADDRESS_RE.sub("(address not logged)", message)
    return _LINK_RE.sub(r"/\1/(link not logged)", message)


class RedactingFilter(logging.Filter):
    """Rewrite each record's message with `redact` (arguments merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class RedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with every error-log line passed through `redact`."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.addFilter(RedactingFilter())


class Server(BaseApplication):  # type: ignore[misc]
    """A gunicorn application serving one already-created Flask app (preloaded, then forked)."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def server_options(host: str, port: int, workers: int, threads: int = 4) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # Create the app once in the master; engines are disposed in each forked worker.
        "preload_app": True,
        "accesslog": None,
        "disable_redirect_access_to_syslog": True,
        "errorlog": "-",
        "loglevel": "warning",
        "logger_class": RedactingLogger,
        "timeout": 60,
        "graceful_timeout": 10,
        "proc_name": "repp",
        # Behind a proxy the client address would come from X-Forwarded-For; we never log it.
        "forwarded_allow_ips": "127.0.0.1",
    }


def serve(
    app: Flask,
    host: str,
    port: int,
    workers: int,
    *,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Serve until interrupted."""
    logging.getLogger("werkzeug").disabled = True
    for handler in app.logger.handlers:
        handler.addFilter(RedactingFilter())
    options = server_options(host, port, workers)
    if on_ready is not None:
        options["when_ready"] = lambda _server: on_ready()
    Server(app, options).run()
