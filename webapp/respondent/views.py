"""Respondent pages: welcome, one page per section, thank-you."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("respondent", __name__)
