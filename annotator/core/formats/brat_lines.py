"""The attribute (A/M), normalisation (N) and note (#) lines of a brat .ann
file, each set on the span or relation it names (brat.py reads the rest)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.core.formats.imports.apply import ParsedRelation, ParsedSpan


def unescape(note: str) -> str:
    """Undo the escaping brat.py writes notes with: backslash, newline, tab."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), note)


def attribute(line: str, ann: Path, lineno: int, spans: dict[str, ParsedSpan | ParsedRelation],
               elsewhere: dict[str, str], skipped: dict[str, int]) -> None:
    fields = line.split("\t", 1)
    parts = fields[1].split(" ", 2) if len(fields) == 2 else []
    if len(parts) < 2:
        raise InputError(ann, "expected A<n><TAB>NAME T<n>[ VALUE]", lineno)
    target = _target(parts[1], "attribute", ann, lineno, spans, elsewhere, skipped)
    if target is None:
        return
    value: Any = True if len(parts) == 2 else parts[2]
    if parts[0] == "unsure" and value in ("true", "false"):
        value = value == "true"
    target.attributes[parts[0]] = value


def free_attribute(line: str, ann: Path, lineno: int, spans: dict[str, ParsedSpan],
                    elsewhere: dict[str, str], skipped: dict[str, int]) -> None:
    """``N1<TAB>Reference T3 value:2021-07-22<TAB>2021-07-22`` (our export)."""
    fields = line.split("\t")
    parts = fields[1].split(" ") if len(fields) >= 2 else []
    if len(parts) != 3 or ":" not in parts[2]:
        raise InputError(ann, "expected N<n><TAB>Reference T<n> NAME:VALUE<TAB>VALUE", lineno)
    target = _target(parts[1], "normalisation", ann, lineno, spans, elsewhere, skipped)
    if target is None:
        return
    name, _, value = parts[2].partition(":")
    target.attributes[name] = value


def note(line: str, ann: Path, lineno: int, spans: dict[str, ParsedSpan | ParsedRelation],
          elsewhere: dict[str, str], skipped: dict[str, int]) -> None:
    fields = line.split("\t", 2)
    head = fields[1].split(" ") if len(fields) >= 2 else []
    if len(head) != 2:
        raise InputError(ann, "expected #<n><TAB>AnnotatorNotes T<n><TAB>NOTE", lineno)
    target = _target(head[1], "note", ann, lineno, spans, elsewhere, skipped)
    if target is None:
        return
    note = unescape(fields[2]) if len(fields) == 3 else ""
    if note:
        target.note = f"{target.note}\n{note}" if target.note else note


def _target(name: str, what: str, ann: Path, lineno: int, spans: dict[str, Any],
            elsewhere: dict[str, str], skipped: dict[str, int]) -> Any:
    """The annotation a line names; None (counted) when it names one we
    skipped, such as an event; InputError when it names none."""
    target = spans.get(name)
    if target is None:
        if name not in elsewhere:
            raise InputError(ann, f"{what} refers to {name!r}, which is not an annotation here", lineno)
        skipped[f"{what}(s) on {elsewhere[name]}"] += 1
    return target
