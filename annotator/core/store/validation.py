"""Checks every span edit passes before it reaches the database."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from annotator.core.errors import ValidationError
from annotator.core.model import Tag

# Attributes every label may carry.
COMMON_ATTRIBUTES = {"unsure"}
_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?)?)?$")


def check_offsets(start: int, end: int, length: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValidationError(f"offsets must be integers, got {start!r}, {end!r}")
    if not 0 <= start < end <= length:
        raise ValidationError(
            f"span [{start}, {end}) outside the document (need 0 <= start < end <= {length})"
        )


def check_iso8601(value: str) -> None:
    """A full or partial ISO 8601 date: 2021, 2021-12, 2021-12-05, 2021-12-05T14:30."""
    match = _ISO_PARTIAL.match(value) if isinstance(value, str) else None
    if not match:
        raise ValidationError(f"date value {value!r} is not ISO 8601 (e.g. 2021, 2021-12, 2021-12-05)")
    year, month, day, hour, minute, second = (int(g) if g else None for g in match.groups())
    try:
        dt.datetime(year, month or 1, day or 1, hour or 0, minute or 0, second or 0)
    except ValueError as exc:
        raise ValidationError(f"date value {value!r} is not a real date: {exc}") from None


def check_attributes(tag: Tag, attributes: dict[str, Any]) -> None:
    if not isinstance(attributes, dict):
        raise ValidationError(f"attributes must be an object, got {type(attributes).__name__}")
    for key, value in attributes.items():
        if key == "unsure":
            if not isinstance(value, bool):
                raise ValidationError("attribute 'unsure' must be true or false")
            continue
        spec = tag.attributes.get(key)
        if spec is None:
            allowed = sorted(set(tag.attributes) | COMMON_ATTRIBUTES)
            raise ValidationError(
                f"label {tag.name} has no attribute {key!r} (allowed: {', '.join(allowed)})"
            )
        if value is None:
            continue
        if "values" in spec and value not in spec["values"]:
            raise ValidationError(
                f"{tag.name} {key} must be one of {', '.join(spec['values'])}, got {value!r}"
            )
        if spec.get("format") == "iso8601":
            check_iso8601(value)


def check_layer_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("annotator name must not be empty")
    if name != name.strip() or any(ch in name for ch in "\n\r\t/\\"):
        raise ValidationError(f"annotator name {name!r} has surrounding spaces or / \\ tabs or newlines")
