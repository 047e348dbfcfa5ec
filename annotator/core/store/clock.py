"""Timestamps every stored row carries."""

from __future__ import annotations

import datetime as dt


def now_iso() -> str:
    """UTC with microseconds: edits within one second still sort in order."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
