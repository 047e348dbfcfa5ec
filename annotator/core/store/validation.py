"""Checks every span edit passes before it reaches the database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from annotator.core.text.encoding import bad_character
from annotator.core.errors import ValidationError
from annotator.core.model import GOLD, TAG_STYLES, NewDocument, Tag

# Attributes every label may carry.
COMMON_ATTRIBUTES = {"unsure"}
# Attribute formats a label may declare ({"format": ...}).
ATTRIBUTE_FORMATS = {"iso8601"}
_BIO_GROUP = re.compile(r"\w{0,40}")
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
# Names (layers, labels, documents): the longest accepted, in code points.
MAX_NAME_LENGTH = 200
# ... and in UTF-8 bytes, for layer and label names: brat exports a layer as
# a folder, and file systems allow 255 bytes per name (127 Arabic letters).
MAX_NAME_BYTES = 255
# Document names are longer: they come from file paths and other tools' titles.
MAX_DOCUMENT_NAME_LENGTH = 1000
# Characters no name may hold: C0 and C1 controls (NUL, ESC, tab, newline, ...),
# bidi embeddings, overrides and isolates (they reorder what a terminal or a
# file manager shows: "gold\u202e" can pass for another name) and lone
# surrogates (SQLite cannot store them).
_NAME_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
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


def short(name: object, limit: int = 60) -> str:
    """repr() of a name cut to ``limit`` characters, for one-line messages
    (a refused name may be 100,000 characters long)."""
    text = repr(name)
    if len(text) <= limit:
        return text
    size = f" ({len(name)} characters)" if isinstance(name, str) else ""
    return f"{text[:limit]}...{size}"


def check_name(name: object, what: str, *, limit: int = MAX_NAME_LENGTH,
               path_safe: bool = True) -> None:
    """The rule every layer, label and document name follows where the
    store creates it: text, not empty, at most ``limit`` code points, no
    control, bidi-control or lone surrogate character; ``path_safe`` (layers,
    labels: exports build folder and file names from them) also refuses
    "." and "..", the path separators / and \\ and names over 255 UTF-8 bytes."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"{what} name must not be empty")
    if len(name) > limit:
        raise ValidationError(f"{what} name {short(name)} is longer than {limit} characters")
    found = _NAME_FORBIDDEN.search(name)
    if found:
        raise ValidationError(f"{what} name {short(name)} holds U+{ord(found.group()):04X} "
                              "(a control, bidi-control or surrogate character)")
    if path_safe and (name in (".", "..") or "/" in name or "\\" in name):
        raise ValidationError(f"{what} name {short(name)} is . or .. or holds / or \\")
    if path_safe and len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise ValidationError(f"{what} name {short(name)} is longer than {MAX_NAME_BYTES} bytes "
                              "in UTF-8 (a folder name must fit)")


def check_layer_name(name: str) -> None:
    check_name(name, "annotator")
    if name != name.strip():
        raise ValidationError(f"annotator name {short(name)} has surrounding spaces")


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
        raise ValidationError(f"label name {short(name)} must be non-empty without spaces")
    check_name(name, "label")


def check_document_name(name: str) -> None:
    """Document names may hold / (a folder import names documents by their
    relative path); no export uses one as a path by itself (brat prefixes the
    id and keeps only letters, digits, . _ and -)."""
    check_name(name, "document", limit=MAX_DOCUMENT_NAME_LENGTH, path_safe=False)


def check_document(document: NewDocument) -> None:
    """A document about to be stored: its name and its text (the control
    characters a .txt import refuses, lone surrogates); the message starts
    with the document's source (file:line) when it has one."""
    try:
        check_document_name(document.name)
        if not isinstance(document.text, str):
            raise ValidationError("document text must be text")
        problem = bad_character(document.text)
        if problem is not None:
            raise ValidationError(f"text has a {problem}; not text")
    except ValidationError as exc:
        if document.source:
            raise ValidationError(f"{document.source}: {exc}") from None
        raise


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
    if tag.style not in TAG_STYLES:
        raise ValidationError(f"style {tag.style!r} of {tag.name} must be one of {', '.join(TAG_STYLES)}")
    if not isinstance(tag.bio_group, str) or not _BIO_GROUP.fullmatch(tag.bio_group):
        raise ValidationError(f"BIO group {tag.bio_group!r} of {tag.name} must be empty (the main "
                              "column) or up to 40 letters, digits and _")
