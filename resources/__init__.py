"""Shipped resources: default tag set, stylesheet, icons, the prebuilt token
regex (installed as annotator.resources)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_json(name: str) -> Any:
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


def read_text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
