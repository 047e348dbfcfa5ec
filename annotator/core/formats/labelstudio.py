"""Label Studio JSON: a list of tasks, one per document, with one
annotation per layer (``completed_by``) holding span results:

    {"id": 7, "data": {"text": "...", "name": "...", "sha256": "..."},
     "annotations": [{"completed_by": "gold", "result": [{"id": "s12",
       "from_name": "label", "to_name": "text", "type": "labels",
       "value": {"start": 0, "end": 5, "text": "...", "labels": ["ENTITY"]},
       "meta": {"text": ["a note"], "attributes": {"type": "PER"}}}]}]}

One task per line inside the array, so a file we wrote names its task's
line in an error. Label Studio's JSON-MIN export (a record of the task's
data with each control's regions as {start, end, text, labels} and
"annotator") is read as a task with one annotation.

Offsets: Label Studio's web UI has counted UTF-16 code units in some
versions and code points in others (label-studio issues #1347, #1008). A
result usually carries its text, so import decides per span: code points
when the text matches there, else UTF-16 when it matches there, else the
span is refused naming file, line, task, annotation and result. Label Studio
writes a line break inside value.text as the two characters backslash-n
(and may escape tabs, quotes and backslashes): the text matches when it
does as written or with those escapes read. Results without a usable text
(none, empty, not a string) follow the units the task's other results
proved, else the reading ``offset_detection`` finds plausible; when both
are equally plausible the task is refused, asking for ``--offset-units``.
Export writes code points (DESIGN §3) unless asked for UTF-16. Attributes
and the note travel in the result's ``meta`` (Label Studio keeps region
notes in meta.text).

Relations are results of their own, beside the spans of the same
annotation, as Label Studio's Relations tag writes them:

    {"from_id": "s12", "to_id": "s14", "type": "relation",
     "direction": "right", "labels": ["SPEAKER"]}

"right" points from from_id to to_id, "left" the other way; a symmetric
type (SAME_AS) is written "bi". On import each label is one relation; a
relation without a label, or from a region of several labels, is skipped
and counted; one naming a result id the annotation does not have is an
error. A relation between two documents has no place in a task: the export
counts it as left out.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from annotator.core.text.encoding import canonicalize
from annotator.core.errors import InputError
from annotator.core.formats.imports.apply import ParsedImport, ParsedRelation, ParsedSpan
from annotator.core.formats.imports.offset_detection import choose_units
from annotator.core.formats.imports.reading import json_array_items, json_lines, read_canonical
from annotator.core.formats.exports.contents import LayerRecord
from annotator.core.formats.textmap import OffsetMap, OffsetUnits
from annotator.core.text.offsets import Utf16Index


def write(records: Iterable[LayerRecord], out: IO[str], *,
          units: OffsetUnits = OffsetUnits.CODEPOINTS, symmetric: frozenset[str] = frozenset()) -> int:
    """``symmetric``: the relation types written with direction "bi".
    A document's layers come one after another (export order), so each
    task is written as soon as the next document starts."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    task: dict | None = None
    spans = 0
    out.write("[\n")
    for record in records:
        doc = record.document
        if task is None or task["id"] != doc.id:
            if task is not None:
                out.write(dumps(task) + ",\n")
            task = {"id": doc.id, "data": {"text": doc.text, "name": doc.name, "sha256": doc.sha256},
                    "annotations": []}
        convert = Utf16Index(doc.text).to_utf16 if units is OffsetUnits.UTF16 else _same
        task["annotations"].append({
            "completed_by": record.layer,
            "result": [_result(doc.text, s, convert) for s in record.spans]
            + [{"from_id": f"s{r.source_id}", "to_id": f"s{r.target_id}", "type": "relation",
                "direction": "bi" if r.type in symmetric else "right", "labels": [r.type]}
               for r in record.relations if not r.cross_document],
        })
        spans += len(record.spans)
    out.write("]\n" if task is None else dumps(task) + "\n]\n")
    return spans


def _same(offset: int) -> int:
    return offset


def _result(text: str, span: Any, convert) -> dict:
    result = {
        "id": f"s{span.id}", "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": convert(span.start), "end": convert(span.end),
                  "text": text[span.start:span.end], "labels": [span.label]},
    }
    meta: dict[str, Any] = {}
    if span.note:
        meta["text"] = [span.note]
    if span.attributes:
        meta["attributes"] = span.attributes
    if meta:
        result["meta"] = meta
    return result


_UNDECIDED = "undecided"  # a note's key: spans whose units nothing in their task decides


def read(path: Path, parsed: ParsedImport, *, units: OffsetUnits | None = None) -> None:
    """``units`` None: decide per span from its stored text (see above)."""
    parsed.files += 1
    text = read_canonical(path)
    items = json_lines(text, path) if path.suffix.lower() in (".jsonl", ".ndjson") \
        else json_array_items(text, path)
    skipped: dict[str, int] = defaultdict(int)
    for lineno, task in items:
        read_task(path, lineno, task, parsed, units, skipped)
    parsed.notes.extend(file_notes(path, skipped))


def file_notes(path: Path, skipped: dict[str, int]) -> list[str]:
    """The report's notes on one file: what ``read_task`` skipped."""
    notes = []
    for what, n in skipped.items():
        if what == _UNDECIDED:
            notes.append(f"{path}: {n} span(s) read as code points whose text is also found "
                         "counting UTF-16 code units; if the file counts those, import it "
                         "again with --offset-units utf16")
        else:
            notes.append(f"{path}: {n} {what} skipped")
    return notes


def read_task(path: Path, lineno: int, task: Any, parsed: ParsedImport,
              units: OffsetUnits | None, skipped: dict[str, int]) -> None:
    """Add one task's document, spans and relations to ``parsed``;
    ``skipped`` counts what it leaves out, by kind."""
    if isinstance(task, dict) and "data" not in task and "annotations" not in task:
        task = _from_json_min(task)
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise InputError(path, 'a task must be an object with "data"', lineno)
    data = task["data"]
    raw = data.get("text")
    if raw is None:
        # A labeling config may name the text field otherwise ($sentence);
        # a task of images or audio has no text and no text spans at all.
        if not _has_text_spans(task):
            skipped["task(s) without text (images, audio, other data)"] += 1
            return
        strings = [v for v in data.values() if isinstance(v, str)]
        raw = strings[0] if len(strings) == 1 else None
    if not isinstance(raw, str) or not raw.strip():
        raise InputError(path, 'task has text spans but no text (data.text)', lineno)
    mapping = OffsetMap(raw)
    name = data.get("name") if isinstance(data.get("name"), str) else f"{path.stem}:{task.get('id', lineno)}"
    key = parsed.add_document(mapping.text, name, (str(path), lineno),
                              external_id=str(task["id"]) if "id" in task else None)
    predictions = task.get("predictions")
    if predictions:
        skipped["prediction(s)"] += len(predictions) if isinstance(predictions, list) else 1
    annotations = task.get("annotations", task.get("completions", []))
    if not isinstance(annotations, list):
        raise InputError(path, '"annotations" must be a list', lineno)
    proved: set[OffsetUnits] = set()  # units that results with a matching text needed
    # Results whose text is found at both readings of their offsets.
    unsure: list[tuple[tuple[int, int], tuple[int, int], OffsetUnits, list[ParsedSpan]]] = []
    pending: list[tuple[str, dict, ParsedSpan]] = []  # results without a usable text
    for a_index, annotation in enumerate(annotations, start=1):
        if not isinstance(annotation, dict):
            raise InputError(path, f"annotation {a_index} is not an object", lineno)
        if annotation.get("was_cancelled"):
            skipped["cancelled annotation(s)"] += 1
            continue
        layer = _layer(annotation.get("completed_by"))
        results = annotation.get("result", [])
        if not isinstance(results, list):
            raise InputError(path, f"annotation {a_index}: result must be a list", lineno)
        regions: dict[Any, list[ParsedSpan]] = {}  # result id -> its spans (one per label)
        links: list[tuple[str, dict]] = []
        for r_index, result in enumerate(results, start=1):
            where = _where(task, a_index, annotation, r_index, result)
            if isinstance(result, dict) and result.get("type") == "relation":
                links.append((where, result))
                continue
            value = result.get("value") if isinstance(result, dict) else None
            if not isinstance(value, dict) or "start" not in value or "labels" not in value:
                skipped["non-span result(s) (choices, ...)"] += 1
                if isinstance(result, dict) and isinstance(result.get("id"), str):
                    regions.setdefault(result["id"], [])
                continue
            start, end, stored = value.get("start"), value.get("end"), value.get("text")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
                raise InputError(path, f"{where}: start and end must be integers", lineno)
            labels = value["labels"]
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise InputError(path, f"{where}: labels must be a list of strings", lineno)
            meta = result.get("meta") if isinstance(result.get("meta"), dict) else {}
            notes = meta.get("text", [])
            if isinstance(notes, str):
                notes = [notes]
            if not isinstance(notes, list) or not all(isinstance(x, str) for x in notes):
                raise InputError(path, f"{where}: meta.text must be a list of strings", lineno)
            note = "\n".join(notes)
            attributes = meta.get("attributes", {})
            if not isinstance(attributes, dict):
                raise InputError(path, f"{where}: meta.attributes must be an object", lineno)
            spans = [ParsedSpan(key, layer, -1, -1, label, dict(attributes), note,
                                origin=(str(path), lineno)) for label in labels]
            if isinstance(result.get("id"), (str, int)) and not isinstance(result.get("id"), bool):
                regions[result["id"]] = spans
            if units is None and not (isinstance(stored, str) and stored):
                pending.extend((where, value, span) for span in spans)
                continue
            found, unit = _offsets(mapping, value, units, where, path, lineno)
            other = mapping.valid_span(start, end, _other(unit))
            if other != found:
                if units is None and other is not None and _same_text(mapping, other, stored):
                    # The same text sits at both readings (a repeated letter
                    # after an emoji): another result of the task decides.
                    unsure.append((found, other, unit, spans))
                    continue
                proved.add(unit)
            for span in spans:
                span.start, span.end = found
                parsed.spans.append(span)
        for where, result in links:
            _relation(where, result, regions, parsed, skipped, path, lineno)
    for found, other, unit, spans in unsure:
        if proved == {_other(unit)}:
            found = other
        elif not proved:
            skipped[_UNDECIDED] += len(spans)
        for span in spans:
            span.start, span.end = found
            parsed.spans.append(span)
    if pending:
        _place_without_text(mapping, pending, proved, path, lineno)
        parsed.spans.extend(span for _, _, span in pending)


def _relation(where: str, result: dict, regions: dict[Any, list[ParsedSpan]], parsed: ParsedImport,
              skipped: dict[str, int], path: Path, lineno: int) -> None:
    """One relation result: a relation per label between two regions."""
    ends = []
    for side in ("from_id", "to_id"):
        value = result.get(side)
        if isinstance(value, (list, dict)) or value not in regions:
            raise InputError(path, f"{where}: relation {side} {value!r} names no result of this "
                                   "annotation", lineno)
        ends.append(regions[value])
    labels = result.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
        raise InputError(path, f"{where}: relation labels must be a list of strings", lineno)
    direction = result.get("direction", "right")
    if direction not in ("right", "left", "bi"):
        raise InputError(path, f"{where}: relation direction {direction!r} is not right, left or bi",
                         lineno)
    if not labels:
        skipped["relation(s) without a label"] += 1
        return
    if any(len(spans) != 1 for spans in ends):
        what = "non-span result(s)" if any(not spans for spans in ends) else "a region of several labels"
        skipped[f"relation(s) on {what}"] += len(labels)
        return
    source, target = ends[0][0], ends[1][0]
    if direction == "left":
        source, target = target, source
    for label in labels:
        parsed.relations.append(ParsedRelation(label, source, target, origin=(str(path), lineno),
                                               undirected=direction == "bi"))


# Fields Label Studio's JSON-MIN export adds beside the task's data.
_JSON_MIN_META = ("id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement")


def _from_json_min(record: dict) -> dict:
    """A JSON-MIN record (the task's data fields, each labeling control's
    regions as a list of {start, end, text, labels}, and "annotator") as a
    task with one annotation."""
    regions = [k for k, v in record.items() if isinstance(v, list) and v
               and all(isinstance(x, dict) and "start" in x and "labels" in x for x in v)]
    data = {k: v for k, v in record.items() if k not in regions and k not in _JSON_MIN_META}
    results = [{"type": "labels", "value": x} for k in regions for x in record[k]]
    task: dict = {"data": data, "annotations": [{"completed_by": record.get("annotator"), "result": results}]}
    if "id" in record:
        task["id"] = record["id"]
    return task


def _has_text_spans(task: dict) -> bool:
    annotations = task.get("annotations", task.get("completions", []))
    return isinstance(annotations, list) and any(
        isinstance(r, dict) and isinstance(r.get("value"), dict) and "start" in r["value"]
        and "labels" in r["value"]
        for a in annotations if isinstance(a, dict) and isinstance(a.get("result"), list)
        for r in a["result"])


def _where(task: dict, a_index: int, annotation: dict, r_index: int, result: Any) -> str:
    """Task, annotation and result, by position and by Label Studio id."""
    a_id = f" (id {annotation['id']})" if "id" in annotation else ""
    r_id = f" (id {result['id']})" if isinstance(result, dict) and "id" in result else ""
    return f"task {task.get('id', '?')}, annotation {a_index}{a_id}, result {r_index}{r_id}"


def _other(unit: OffsetUnits) -> OffsetUnits:
    return OffsetUnits.UTF16 if unit is OffsetUnits.CODEPOINTS else OffsetUnits.CODEPOINTS


def _place_without_text(mapping: OffsetMap, pending: list[tuple[str, dict, ParsedSpan]],
                        proved: set[OffsetUnits], path: Path, lineno: int) -> None:
    """Offsets for results that carry no text to check them against."""
    pairs = [(value["start"], value["end"]) for _, value, _ in pending]
    unit = next(iter(proved)) if len(proved) == 1 else choose_units(mapping, pairs)
    for (where, _, span), (start, end) in zip(pending, pairs):
        as_cp = mapping.valid_span(start, end, OffsetUnits.CODEPOINTS)
        use = unit or (OffsetUnits.CODEPOINTS if as_cp == mapping.valid_span(start, end, OffsetUnits.UTF16)
                       else None)
        if use is None:
            raise InputError(path, f"{where}: no value.text, and offsets [{start}, {end}) do not tell "
                                   "code points from UTF-16 code units; choose with --offset-units "
                                   "codepoints or --offset-units utf16", lineno)
        found = mapping.valid_span(start, end, use)
        if found is None:
            raise InputError(path, f"{where}: offsets [{start}, {end}) outside the text "
                                   f"(length {len(mapping.text)})", lineno)
        span.start, span.end = found


def _layer(completed_by: Any) -> str | None:
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("email") or completed_by.get("username") or completed_by.get("id")
    if completed_by is None or isinstance(completed_by, bool):
        return None
    return str(completed_by)


def _offsets(mapping: OffsetMap, value: dict, units: OffsetUnits | None, where: str,
             path: Path, lineno: int) -> tuple[tuple[int, int], OffsetUnits]:
    start, end, stored = value["start"], value["end"], value.get("text")
    tries = [units] if units is not None else [OffsetUnits.CODEPOINTS, OffsetUnits.UTF16]
    for unit in tries:
        span = mapping.valid_span(start, end, unit)
        if span is None:
            continue
        if not isinstance(stored, str) or not stored or _same_text(mapping, span, stored):
            return span, unit
    first = mapping.valid_span(start, end, tries[0])
    if first is None:
        raise InputError(path, f"{where}: offsets [{start}, {end}) outside the text "
                               f"(length {len(mapping.text)})", lineno)
    found = mapping.text[first[0]:first[1]]
    raise InputError(path, f"{where}: text {stored!r} disagrees with offsets [{start}, {end}), "
                           f"which hold {found!r}", lineno)


# Escapes Label Studio writes in value.text: a line break as backslash-n, and
# sometimes tabs, carriage returns, quotes and the backslash itself.
_ESCAPE = re.compile(r"\\(r\\n|[ntr\"'\\])")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\n", "r\\n": "\n", '"': '"', "'": "'", "\\": "\\"}


def _same_text(mapping: OffsetMap, span: tuple[int, int], stored: str) -> bool:
    # The stored text is the tool's raw text: compare canonical to canonical.
    found = mapping.text[span[0]:span[1]]
    if found == canonicalize(stored):
        return True
    return "\\" in stored and found == canonicalize(_ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], stored))
