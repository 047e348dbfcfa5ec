"""Checks every span edit passes before it reaches the database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from annotator.core.errors import ValidationError
from annotator.core.model import GOLD, Tag

# Attributes every label may carry.
COMMON_ATTRIBUTES = {"unsure"}
# Attribute formats a label may declare ({"format": ...}).
ATTRIBUTE_FORMATS = {"iso8601"}
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
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


def check_annotator_name(name: str) -> str:
    """The name an annotator's layer would get, without creating it (the
    window creates the layer on the first edit, so a reviewer who only
    looks adds no empty layer)."""
    check_layer_name(name)
    if name == GOLD:
        raise ValidationError(f"{GOLD!r} is the adjudicated layer, not an annotator name")
    return name


# -- the tag set -----------------------------------------------------------------


def check_tag_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip() or any(c.isspace() for c in name):
        raise ValidationError(f"label name {name!r} must be non-empty without spaces")


def check_tag_color(color: str) -> None:
    if not isinstance(color, str) or not _COLOR.fullmatch(color):
        raise ValidationError(f"colour {color!r} is not #RRGGBB (e.g. #1c7ed6)")


def check_hotkey(hotkey: str | None) -> None:
    """None (no key) or one character a key types: no space, tab or control character."""
    if hotkey is None:
        return
    if not isinstance(hotkey, str) or len(hotkey) != 1 or hotkey.isspace() or not hotkey.isprintable():
        raise ValidationError(f"hotkey {hotkey!r} must be a single character (e.g. 4 or e)")


def hotkeys_clash(a: str | None, b: str | None) -> bool:
    """The same key: shortcuts ignore case, so e and E are one key."""
    return a is not None and b is not None and a.casefold() == b.casefold()


def check_hotkey_free(name: str, hotkey: str | None, tags: Iterable[Tag]) -> None:
    for other in tags:
        if other.name != name and hotkeys_clash(other.hotkey, hotkey):
            raise ValidationError(f"hotkey {hotkey!r} is already used by {other.name}")


def check_attribute_specs(specs: dict[str, Any]) -> None:
    """Attribute name -> {} (free text), {"values": [...]} or {"format": "iso8601"}."""
    if not isinstance(specs, dict):
        raise ValidationError(f"label attributes must be an object, got {type(specs).__name__}")
    for key, spec in specs.items():
        if not isinstance(key, str) or not key.strip() or key in COMMON_ATTRIBUTES:
            raise ValidationError(f"attribute name {key!r} is empty or reserved")
        if not isinstance(spec, dict):
            raise ValidationError(f"attribute {key!r}: expected an object, got {type(spec).__name__}")
        if "values" in spec:
            values = spec["values"]
            if (not isinstance(values, list) or not values
                    or not all(isinstance(v, str) and v.strip() for v in values)):
                raise ValidationError(f"attribute {key!r}: values must be a non-empty list of names")
            if len(set(values)) != len(values):
                raise ValidationError(f"attribute {key!r}: values repeat ({', '.join(values)})")
        if "format" in spec and spec["format"] not in ATTRIBUTE_FORMATS:
            raise ValidationError(f"attribute {key!r}: unknown format {spec['format']!r} "
                                  f"(known: {', '.join(sorted(ATTRIBUTE_FORMATS))})")


def check_tag(tag: Tag, others: Iterable[Tag]) -> None:
    """Everything about a label that can be wrong; others: the rest of the tag set."""
    check_tag_name(tag.name)
    check_tag_color(tag.color)
    check_hotkey(tag.hotkey)
    check_hotkey_free(tag.name, tag.hotkey, others)
    if not isinstance(tag.description, str):
        raise ValidationError(f"description of {tag.name} must be text")
    check_attribute_specs(tag.attributes)
    if not isinstance(tag.position, int) or isinstance(tag.position, bool) or tag.position < 0:
        raise ValidationError(f"position {tag.position!r} must be a whole number, 0 or more")
