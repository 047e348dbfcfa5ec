"""Our own JSONL: lossless, one line per document and layer.

    {"document_id": 7, "name": "...", "sha256": "...", "source": null,
     "external_id": null, "meta": {}, "layer": "gold", "status": "done",
     "text": "...", "spans": [{"id": 12, "start": 0, "end": 5,
     "label": "ENTITY", "text": "...", "attributes": {"type": "PER"},
     "note": "", "provenance": "Lisa"}]}

     "relations": [{"id": 3, "type": "SPEAKER", "source": 12, "target": 14,
     "attributes": {}, "note": "", "provenance": null}]}

Offsets are code points into the canonical text, end exclusive. Export ->
import into an empty project -> export is byte-identical: ids are kept when
free, keys are written in a fixed order, spans in the store's order,
relations by id. Span and relation timestamps are not written (they record
when a row was stored, and an import stores it anew).

A relation is written on the line of its source span (same document, same
layer) and names its ends by span id. One that joins two documents
(SAME_AS, CONTRADICTS) also names the target's document:
``"target_document": {"document_id": 9, "sha256": "..."}``; import finds
the target by that SHA-256, the layer and the span id, wherever the line of
that document is in the file (or in another file of the same import).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from annotator.core.text.encoding import canonicalize, sha256_text
from annotator.core.errors import InputError
from annotator.core.formats.imports.apply import ParsedImport, ParsedRelation, ParsedSpan
from annotator.core.formats.imports.reading import json_lines, read_canonical
from annotator.core.formats.exports.contents import ExportRelation, LayerRecord
from annotator.core.model import Status
from annotator.core.store.validation import check_layer_name

FORMAT = "own"

# SQLite integer ids are signed 64-bit; a larger id would fail deep in the store.
MAX_ID = 2**63 - 1


def record_line(record: LayerRecord) -> dict[str, Any]:
    doc, text = record.document, record.document.text
    return {
        "document_id": doc.id, "name": doc.name, "sha256": doc.sha256, "source": doc.source,
        "external_id": doc.external_id, "meta": doc.meta, "layer": record.layer,
        "status": record.status.value, "text": text,
        "spans": [
            {"id": s.id, "start": s.start, "end": s.end, "label": s.label,
             "text": text[s.start:s.end], "attributes": s.attributes, "note": s.note,
             "provenance": s.provenance}
            for s in record.spans
        ],
        "relations": [_relation_line(r) for r in record.relations],
    }


def _relation_line(relation: ExportRelation) -> dict[str, Any]:
    line: dict[str, Any] = {"id": relation.id, "type": relation.type, "source": relation.source_id,
                            "target": relation.target_id}
    if relation.target_sha256 is not None:
        line["target_document"] = {"document_id": relation.target_document,
                                   "sha256": relation.target_sha256}
    line.update(attributes=relation.attributes, note=relation.note, provenance=relation.provenance)
    return line


def write(records: Iterable[LayerRecord], out: IO[str]) -> int:
    """Write one line per record; returns the number of spans written."""
    spans = 0
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for record in records:
        out.write(dumps(record_line(record)))
        out.write("\n")
        spans += len(record.spans)
    return spans


def read(path: Path, parsed: ParsedImport) -> None:
    """Add every line of an own-JSONL file to ``parsed``."""
    parsed.files += 1
    sha_by_id: dict[int, str] = {}
    for lineno, record in json_lines(read_canonical(path), path):
        _read_line(path, lineno, record, parsed, sha_by_id)


def _field(record: dict, key: str, kinds: type | tuple, path: Path, lineno: int,
           optional: bool = False) -> Any:
    value = record.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kinds) or isinstance(value, bool) and kinds is int:
        raise InputError(path, f'"{key}" missing or not a {_kind_name(kinds)}', lineno)
    return value


def _kind_name(kinds: type | tuple) -> str:
    names = {str: "string", int: "integer", dict: "JSON object", list: "list"}
    return " or ".join(names[k] for k in (kinds if isinstance(kinds, tuple) else (kinds,)))


def _read_line(path: Path, lineno: int, record: dict, parsed: ParsedImport,
               sha_by_id: dict[int, str]) -> None:
    text = _field(record, "text", str, path, lineno)
    if canonicalize(text) != text:
        raise InputError(path, "text is not canonical (has a BOM or CR); offsets would shift", lineno)
    sha = _field(record, "sha256", str, path, lineno)
    if sha256_text(text) != sha:
        raise InputError(path, "sha256 does not match the text (edited by hand?)", lineno)
    layer = _field(record, "layer", str, path, lineno)
    try:
        check_layer_name(layer)
    except Exception as exc:  # ValidationError: give it file and line
        raise InputError(path, str(exc), lineno) from None
    try:
        status = Status(record.get("status", "todo"))
    except ValueError:
        raise InputError(path, f"unknown status {record.get('status')!r}", lineno) from None
    doc_id = _field(record, "document_id", int, path, lineno, optional=True)
    if doc_id is not None and not 0 < doc_id <= MAX_ID:
        raise InputError(path, f"document_id {doc_id} outside 1..{MAX_ID}", lineno)
    if doc_id is not None and sha_by_id.setdefault(doc_id, sha) != sha:
        raise InputError(path, f"document_id {doc_id} given earlier to another text", lineno)
    meta = _field(record, "meta", dict, path, lineno, optional=True) or {}
    key = parsed.add_document(
        text, str(_field(record, "name", str, path, lineno)), (str(path), lineno),
        external_id=_field(record, "external_id", str, path, lineno, optional=True), meta=meta,
    )
    document = parsed.documents[key]
    # Keep the source the exporting project recorded, so a round trip is exact.
    source = _field(record, "source", str, path, lineno, optional=True)
    if document.origin == (str(path), lineno):
        document.document = replace(document.document, source=source)
        document.id = doc_id
    document.statuses[layer] = status
    spans = _field(record, "spans", list, path, lineno)
    origin = (str(path), lineno)  # shared by the line's spans
    start = len(parsed.spans)
    parsed.spans.extend(_span(item, index, key, layer, text, path, lineno, origin)
                        for index, item in enumerate(spans))
    here: dict[int, ParsedSpan] = {}
    for span in parsed.spans[start:]:
        if span.id is None:
            continue
        if span.id in here:
            raise InputError(path, f"span id {span.id} is used twice on this line", lineno)
        here[span.id] = span
    # A relation in another document's line may name these spans.
    parsed.span_refs.setdefault(("own", key, layer), {}).update(here)
    relations = _field(record, "relations", list, path, lineno, optional=True) or []
    parsed.relations.extend(_relation(item, index, key, layer, here, path, lineno, origin)
                            for index, item in enumerate(relations))


def _relation(item: Any, index: int, key: str, layer: str, here: dict[int, ParsedSpan],
              path: Path, lineno: int, origin: tuple[str, int]) -> ParsedRelation:
    where = f"relation {index + 1}"
    if not isinstance(item, dict):
        raise InputError(path, f"{where}: expected a JSON object", lineno)
    kind, source, target = item.get("type"), item.get("source"), item.get("target")
    relation_id, other = item.get("id"), item.get("target_document")
    attributes, note = item.get("attributes") or {}, item.get("note") or ""
    provenance = item.get("provenance")
    if type(kind) is not str or not kind:
        raise InputError(path, f"{where}: type must be a relation type name", lineno)
    if not (type(source) is int and type(target) is int):
        raise InputError(path, f"{where}: source and target must be span ids (integers)", lineno)
    if not (relation_id is None or (type(relation_id) is int and 0 < relation_id <= MAX_ID)):
        raise InputError(path, f"{where}: id must be an integer in 1..{MAX_ID}", lineno)
    if type(attributes) is not dict or type(note) is not str \
            or not (provenance is None or type(provenance) is str):
        raise InputError(path, f"{where}: attributes must be an object, note a string, "
                               "provenance a string or null", lineno)
    if source not in here:
        raise InputError(path, f"{where} ({kind}): source {source} is not a span id of this line",
                         lineno)
    if other is None:
        if target not in here:
            raise InputError(path, f"{where} ({kind}): target {target} is not a span id of this "
                                   "line (a target in another document names it in "
                                   "\"target_document\")", lineno)
        end: Any = here[target]
    else:
        if not (isinstance(other, dict) and type(other.get("sha256")) is str):
            raise InputError(path, f'{where}: "target_document" must be an object with "sha256"',
                             lineno)
        end = (("own", other["sha256"], layer), target)
    return ParsedRelation(kind, here[source], end, attributes, note, provenance, origin, relation_id)


def _span(item: Any, index: int, key: str, layer: str, text: str, path: Path,
          lineno: int, origin: tuple[str, int]) -> ParsedSpan:
    if not isinstance(item, dict):
        raise InputError(path, f"span {index + 1}: expected a JSON object", lineno)
    start, end, label = item.get("start"), item.get("end"), item.get("label")
    attributes = item.get("attributes") or {}
    note = item.get("note") or ""
    provenance, span_id = item.get("provenance"), item.get("id")
    # One combined test on the common path; the messages come from _bad_span.
    if not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)
            and type(label) is str and type(attributes) is dict and type(note) is str
            and (provenance is None or type(provenance) is str)
            and (span_id is None or (type(span_id) is int and 0 < span_id <= MAX_ID))):
        raise _bad_span(item, index, text, path, lineno)
    stored = item.get("text")
    if stored is not None and stored != text[start:end]:
        raise InputError(path, f"span {index + 1}: text {stored!r} disagrees with offsets "
                               f"[{start}, {end}) which hold {text[start:end]!r}", lineno)
    return ParsedSpan(key, layer, start, end, label, attributes, note, provenance, origin, span_id)


def _bad_span(item: dict, index: int, text: str, path: Path, lineno: int) -> InputError:
    where = f"span {index + 1}"
    start, end = item.get("start"), item.get("end")
    if not (type(start) is int and type(end) is int):
        return InputError(path, f"{where}: start and end must be integers", lineno)
    if not 0 <= start < end <= len(text):
        return InputError(path, f"{where}: offsets [{start}, {end}) outside the text "
                                f"(length {len(text)})", lineno)
    if type(item.get("label")) is not str:
        return InputError(path, f"{where}: label must be a string", lineno)
    return InputError(path, f"{where}: attributes must be an object, note a string, "
                            f"provenance a string or null, id an integer in 1..{MAX_ID}", lineno)
