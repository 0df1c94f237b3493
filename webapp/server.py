"""`repp serve`: gunicorn in front of the app, with no access log.

An access log line holds a client address and a path, and a survey path names the wave: so there
is none. Errors still go to stderr, without request details.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


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
    options = server_options(host, port, workers)
    if on_ready is not None:
        options["when_ready"] = lambda _server: on_ready()
    Server(app, options).run()
