"""Readable error pages for every error: never a traceback, never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

log = logging.getLogger(__name__)


def error_page(status: int, title: str, message: str) -> tuple[str, int]:
    return render_template("error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str, int]:
        return error_page(
            400,
            _("This form could not be accepted"),
            _(
                "The form was missing its security token or the token did not match. "
                "Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> tuple[str, int]:
        return error_page(
            400, _("This form was too large"), _("The data sent was larger than any form here.")
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        status = exc.code or 500
        titles = {
            400: _("This request could not be accepted"),
            403: _("You do not have access to this page"),
            404: _("Page not found"),
            405: _("This request could not be accepted"),
        }
        messages = {
            400: _("Something in the request was not valid. Nothing was stored."),
            403: _("Your account cannot see this page."),
            404: _("Check the address. If you followed a survey link, ask for a new one."),
            405: _("This page does not take that kind of request."),
        }
        return error_page(
            status,
            titles.get(status, exc.name),
            messages.get(status, exc.description or ""),
        )

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[str, int]:
        log.exception("unexpected error")
        return error_page(
            500,
            _("Something went wrong"),
            _(
                "The error was logged. Nothing you entered on this page was stored; please try again."
            ),
        )
