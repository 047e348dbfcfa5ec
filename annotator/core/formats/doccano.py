"""doccano JSONL, both shapes doccano reads and writes:

    {"id": 7, "text": "...", "label": [[0, 5, "ENTITY"]]}
    {"id": 7, "text": "...", "entities": [{"id": 12, "label": "ENTITY",
     "start_offset": 0, "end_offset": 5}], "relations": []}

Offsets: doccano's web UI counts JavaScript string positions, UTF-16 code
units (doccano issue #2290), which differ from code points after an emoji.
We write code points by default (what Python training code slices with,
DESIGN §3); ``OffsetUnits.UTF16`` writes what doccano's UI expects. Import
decides per document by default (``units=None``, see offset_detection):
the reading that puts the spans inside the text and on word boundaries,
with a note saying how many documents were read as UTF-16; a document
where both readings are equally plausible is refused, asking for
``--offset-units``. A document without emoji reads the same either way.

doccano carries neither attributes nor notes; a "layer" field is written
only when several layers are exported, and read back. Import: spans of a
line without "layer" go to the layer chosen at import (gold unless
--annotator).

Relations: the "entities" shape carries them as doccano's relation
extraction projects export them, ``{"id", "from_id", "to_id", "type"}``,
from_id and to_id naming entity ids of the same line. A relation between
two documents (SAME_AS, CONTRADICTS) has no place there, nor has any
relation in the "label" shape: the export counts them as left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.core.errors import InputError
from annotator.core.formats.imports.apply import ParsedImport, ParsedRelation, ParsedSpan
from annotator.core.formats.imports.offset_detection import choose_units
from annotator.core.formats.imports.reading import json_array_items, json_lines, read_canonical
from annotator.core.formats.exports.contents import LayerRecord
from annotator.core.formats.textmap import OffsetMap, OffsetUnits
from annotator.core.text.offsets import Utf16Index

SHAPES = ("label", "entities")


def write(records: Iterable[LayerRecord], out: IO[str], *, shape: str = "label",
          units: OffsetUnits = OffsetUnits.CODEPOINTS, with_layer: bool = False) -> int:
    if shape not in SHAPES:
        raise ValueError(f"doccano shape must be one of {SHAPES}")
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    spans = 0
    for record in records:
        text = record.document.text
        convert = Utf16Index(text).to_utf16 if units is OffsetUnits.UTF16 else _same
        line: dict[str, Any] = {"id": record.document.id, "text": text}
        if with_layer:
            line["layer"] = record.layer
        if shape == "label":
            line["label"] = [[convert(s.start), convert(s.end), s.label] for s in record.spans]
        else:
            line["entities"] = [
                {"id": s.id, "label": s.label, "start_offset": convert(s.start),
                 "end_offset": convert(s.end)} for s in record.spans
            ]
            line["relations"] = [
                {"id": r.id, "from_id": r.source_id, "to_id": r.target_id, "type": r.type}
                for r in record.relations if not r.cross_document
            ]
        out.write(dumps(line))
        out.write("\n")
        spans += len(record.spans)
    return spans


def _same(offset: int) -> int:
    return offset


@dataclass
class FileNotes:
    """What the import report says about one file."""

    read_as_utf16: int = 0  # documents whose offsets were read as UTF-16
    text_columns: dict[str, None] = field(default_factory=dict)  # "text" read from these

    def notes(self, path: Path) -> list[str]:
        out = []
        if self.text_columns:
            out.append(f"{path}: text read from {', '.join(self.text_columns)} (no \"text\" field)")
        if self.read_as_utf16:
            out.append(f"{path}: {self.read_as_utf16} document(s) read with UTF-16 offsets "
                       "(as doccano's web UI counts); --offset-units codepoints overrides")
        return out


def read(path: Path, parsed: ParsedImport, *, units: OffsetUnits | None = None) -> None:
    """``units`` None: decided per document (see the module docstring)."""
    parsed.files += 1
    notes = FileNotes()
    for lineno, record in _records(path):
        read_line(path, lineno, record, parsed, units, notes)
    parsed.notes.extend(notes.notes(path))


def read_line(path: Path, lineno: int, record: dict, parsed: ParsedImport,
              units: OffsetUnits | None, notes: FileNotes) -> None:
    """Add one line's document, spans and relations to ``parsed``."""
    raw = record.get("text", record.get("data"))
    if raw is None:
        # doccano's import lets a project name its columns (column_data).
        strings = [k for k, v in record.items() if isinstance(v, str)]
        if len(strings) == 1:
            raw = record[strings[0]]
            notes.text_columns[strings[0]] = None
    if not isinstance(raw, str):
        raise InputError(path, 'missing "text" (a string)', lineno)
    if not raw.strip():
        raise InputError(path, '"text" is empty', lineno)
    mapping = OffsetMap(raw)
    ext_id = record.get("id")
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    key = parsed.add_document(
        mapping.text, str(ext_id) if ext_id is not None else f"{path.stem}:{lineno}",
        (str(path), lineno), external_id=str(ext_id) if ext_id is not None else None, meta=meta,
    )
    # Our multi-layer exports name the layer; doccano's own files do not.
    layer = record.get("layer") if isinstance(record.get("layer"), str) else None
    triples, entity_ids = _triples(record, path, lineno)
    chosen = units or choose_units(mapping, [(start, end) for start, end, _ in triples])
    if chosen is None:
        raise InputError(path, f"document {ext_id if ext_id is not None else lineno}: its spans "
                               "do not tell code points from UTF-16 code units (doccano's web "
                               "UI) after the emoji in its text; choose with --offset-units "
                               "codepoints or --offset-units utf16", lineno)
    if units is None and chosen is OffsetUnits.UTF16:
        notes.read_as_utf16 += 1
    for index, (start, end, label) in enumerate(triples):
        span = mapping.valid_span(start, end, chosen)
        if span is None:
            where = f"span {index + 1} [{start}, {end}) {label}"
            other = OffsetUnits.UTF16 if chosen is OffsetUnits.CODEPOINTS else OffsetUnits.CODEPOINTS
            hint = ""
            if units is not None and mapping.valid_span(start, end, other):
                hint = f"; the offsets fit as {other.value}: import with --offset-units {other.value}"
            length = len(mapping.raw) if chosen is OffsetUnits.CODEPOINTS \
                else len(mapping.raw.encode("utf-16-le")) // 2
            raise InputError(path, f"{where}: offsets outside the text (length "
                                   f"{length} {chosen.value}){hint}", lineno)
        parsed.spans.append(ParsedSpan(key, layer, span[0], span[1], label,
                                       origin=(str(path), lineno)))
    relations = record.get("relations")
    if relations:
        spans = parsed.spans[len(parsed.spans) - len(triples):]
        _relations(relations, entity_ids, spans, parsed, path, lineno)


def _relations(relations: Any, entity_ids: list[Any], spans: list[ParsedSpan],
               parsed: ParsedImport, path: Path, lineno: int) -> None:
    """doccano's relations of one line, from entity id to entity id."""
    if not isinstance(relations, list):
        raise InputError(path, '"relations" must be a list', lineno)
    by_id: dict[Any, ParsedSpan] = {}
    for entity_id, span in zip(entity_ids, spans):
        if entity_id is None:
            continue
        if entity_id in by_id:
            raise InputError(path, f"entity id {entity_id!r} is used twice on this line; its "
                                   "relations cannot tell the entities apart", lineno)
        by_id[entity_id] = span
    for index, item in enumerate(relations, start=1):
        where = f"relation {index}"
        if not isinstance(item, dict):
            raise InputError(path, f"{where}: expected an object {{id, from_id, to_id, type}}", lineno)
        kind = item.get("type")
        if not isinstance(kind, str) or not kind:
            raise InputError(path, f"{where}: type must be a relation type name", lineno)
        ends = []
        for side in ("from_id", "to_id"):
            value = item.get(side)
            if isinstance(value, bool) or not isinstance(value, (int, str)) or value not in by_id:
                raise InputError(path, f"{where} ({kind}): {side} {value!r} is not an entity id of "
                                       "this line", lineno)
            ends.append(by_id[value])
        parsed.relations.append(ParsedRelation(kind, ends[0], ends[1], origin=(str(path), lineno)))


def _records(path: Path) -> list[tuple[int, dict]]:
    """JSONL lines; or, for a file that is one JSON document (doccano's
    documentation shows its examples pretty-printed), its object or array."""
    text = read_canonical(path)
    try:
        items: list[tuple[int, Any]] = list(json_lines(text, path))
    except InputError as exc:
        if not text.lstrip().startswith(("{", "[")):
            raise
        try:
            items = list(json_array_items(text, path))
        except InputError:
            raise exc from None
    for lineno, item in items:
        if not isinstance(item, dict):
            raise InputError(path, "each line must be a JSON object", lineno)
    return items


def _triples(record: dict, path: Path, lineno: int) -> tuple[list[tuple[int, int, str]], list[Any]]:
    """(start, end, label) of every span, and the entity id of each (None
    in the "label" shape, which has none)."""
    if "label" not in record and "labels" not in record and "entities" not in record:
        lists = [v for v in record.values() if isinstance(v, list) and v
                 and all(isinstance(x, list) and len(x) == 3 for x in v)]
        if len(lists) == 1:  # a renamed label column (column_label)
            record = {"label": lists[0]}
    if "entities" in record:
        items = record["entities"]
        if not isinstance(items, list):
            raise InputError(path, '"entities" must be a list', lineno)
        out, ids = [], []
        for item in items:
            if not isinstance(item, dict):
                raise InputError(path, "each entity must be an object", lineno)
            out.append((item.get("start_offset"), item.get("end_offset"), item.get("label")))
            ids.append(item.get("id"))
    else:
        items = record.get("label", record.get("labels", []))
        if not isinstance(items, list):
            raise InputError(path, '"label" must be a list of [start, end, label]', lineno)
        out = []
        for item in items:
            if not (isinstance(item, list) and len(item) == 3):
                raise InputError(path, f"label entry {item!r} is not [start, end, label] "
                                       "(a text-classification file?)", lineno)
            out.append(tuple(item))
        ids = [None] * len(out)
    for start, end, label in out:
        # type() is int: JSON gives no other int subclass, and it refuses bool.
        if not (type(start) is int and type(end) is int and isinstance(label, str)):
            raise InputError(path, f"span [{start!r}, {end!r}, {label!r}] needs integer offsets "
                                   "and a string label", lineno)
    return out, ids
