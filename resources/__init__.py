"""Shipped resources: default tag set, stylesheet, icons, the prebuilt token
regex (installed as annotator.resources)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Beside this module in every install we make (wheel, editable, source):
# importlib.resources would import zipfile for it, 30 ms of every command.
_HERE = Path(__file__).resolve().parent


def read_json(name: str) -> Any:
    return json.loads(read_text(name))


def read_text(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")
