"""brat standoff: a .txt and an .ann per document, plus annotation.conf.

    T1<TAB>ENTITY 0 6<TAB>العراق
    A1<TAB>type T1 LOC
    A2<TAB>unsure T1
    #1<TAB>AnnotatorNotes T1<TAB>a note

Offsets are code points (brat is Python and reads its .txt as UTF-8), into
the .txt as brat read it: a CRLF file's offsets count the CR, and are
mapped to our canonical text. A span that crosses a line break is written
as brat does, one fragment per line ("T1<TAB>CLAIM 0 5;6 10<TAB>a b"); on
import, fragments separated only by whitespace become one span again, any
other discontinuous span is refused. Attributes: a true boolean is a binary
attribute, a value a multi-valued one (a false or null attribute is not
written). Notes escape backslash, newline and tab as \\\\, \\n, \\t.
Relations, events and normalisations are not stored by this tool; an import
skips them and says how many.

Export: one folder; with several layers, one sub-folder per layer.
Import: a folder of .txt/.ann (one layer: --annotator, else gold) or a
folder of per-annotator folders (one layer each, named after the folder).
The nearest annotation.conf declares the labels: a span label it does not
declare is refused; with --add-labels every declared label is added.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any

from annotator.core.encoding import canonicalize, decode_bytes, read_bytes
from annotator.core.errors import InputError
from annotator.core.formats.importer import ParsedImport, ParsedSpan
from annotator.core.formats.output import atomic_folder, inside
from annotator.core.formats.reading import read_canonical, read_raw
from annotator.core.formats.selection import ExportSpan, LayerRecord
from annotator.core.formats.textmap import OffsetMap
from annotator.core.model import Tag

CONF = "annotation.conf"
_UNSAFE = re.compile(r"[^\w.-]+")
# ASCII digits only: str.isdigit() and int() also take "²" and Arabic-Indic digits.
_OFFSET = re.compile(r"[0-9]{1,18}")


# -- export ------------------------------------------------------------------

def write(records: Iterable[LayerRecord], folder: Path, tags: list[Tag], *,
          layer_folders: bool) -> list[str]:
    """Write the collection atomically into ``folder``; returns what brat
    could not carry exactly (a span that starts or ends on a line break is
    stored without it: brat keeps one line per annotation)."""
    changed: list[str] = []
    with atomic_folder(folder, written_by_export, exported_file) as tmp:
        (tmp / CONF).write_text(annotation_conf(tags), encoding="utf-8", newline="")
        for record in records:
            target = inside(tmp, record.layer) if layer_folders else tmp
            target.mkdir(exist_ok=True)
            base = f"{record.document.id:05d}-{_UNSAFE.sub('_', record.document.name)[:60]}"
            (target / f"{base}.txt").write_text(record.document.text, encoding="utf-8", newline="")
            (target / f"{base}.ann").write_text(ann_text(record.document.text, record.spans),
                                                encoding="utf-8", newline="")
            text = record.document.text
            changed.extend(
                f"document {record.document.id}, layer {record.layer}: {s.label} [{s.start}, {s.end}) "
                "starts or ends on a line break; brat stores it without"
                for s in record.spans if text[s.start] == "\n" or text[s.end - 1] == "\n")
    return changed


CONF_HEADER = "# Written by arabic-annotator"
# The names write() gives files: annotation.conf and NNNNN-name.txt/.ann.
_EXPORTED_NAME = re.compile(r"[0-9]{5,}-[\w.-]{0,60}\.(?:txt|ann)")


def exported_file(rel: PurePath) -> bool:
    """Whether an earlier export wrote this file of its folder (a new export
    replaces it); anything else there (my_notes.md, brat's own config or
    cache files) is the user's and is kept."""
    if len(rel.parts) == 1 and rel.name == CONF:
        return True
    return len(rel.parts) <= 2 and _EXPORTED_NAME.fullmatch(rel.name) is not None


def written_by_export(folder: Path) -> bool:
    """Whether ``folder`` is an earlier brat export of ours (which a new
    export may replace), judged by the header of its annotation.conf."""
    conf = folder / CONF
    try:
        return conf.is_file() and conf.read_text(encoding="utf-8").startswith(CONF_HEADER + "\n")
    except (OSError, UnicodeDecodeError):
        return False


def annotation_conf(tags: list[Tag]) -> str:
    lines = [CONF_HEADER, "[entities]", *(t.name for t in tags),
             "", "[relations]", "", "[events]", "", "[attributes]"]
    by_name: dict[str, list[Tag]] = defaultdict(list)
    for tag in tags:
        for name, spec in tag.attributes.items():
            if "values" in spec:  # brat has no free-text attributes
                by_name[name].append(tag)
    for name, owners in by_name.items():
        values = dict.fromkeys(v for t in owners for v in t.attributes[name]["values"])
        lines.append(f"{name}\tArg:{'|'.join(t.name for t in owners)}, Value:{'|'.join(values)}")
    lines.append("unsure\tArg:<ENTITY>")
    return "\n".join(lines) + "\n"


def ann_text(text: str, spans: list[ExportSpan]) -> str:
    t_lines, a_lines, notes = [], [], []
    for n, span in enumerate(spans, start=1):
        fragments = _fragments(text, span.start, span.end)
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        t_lines.append(f"T{n}\t{span.label} {offsets}\t{' '.join(text[s:e] for s, e in fragments)}")
        for key, value in span.attributes.items():
            if value is True:
                a_lines.append(f"{key} T{n}")
            elif value is not None and value is not False:
                a_lines.append(f"{key} T{n} {value}")
        if span.note:
            notes.append(f"AnnotatorNotes T{n}\t{_escape(span.note)}")
    out = t_lines + [f"A{i}\t{line}" for i, line in enumerate(a_lines, start=1)]
    out += [f"#{i}\t{line}" for i, line in enumerate(notes, start=1)]
    return "".join(line + "\n" for line in out)


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at line breaks, as brat stores a multi-line span."""
    out, at = [], start
    for i in range(start, end + 1):
        if i == end or text[i] == "\n":
            if at < i:
                out.append((at, i))
            at = i + 1
    return out or [(start, start + 1)]  # only line breaks: keep one, brat will show it empty


def _escape(note: str) -> str:
    return note.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _unescape(note: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), note)


# -- import ------------------------------------------------------------------

def read(root: Path, parsed: ParsedImport) -> None:
    if not root.is_dir():
        raise InputError(root, "a brat import needs the folder holding .txt and .ann files")
    collections = _collections(root)
    if not collections:
        raise InputError(root, "no .txt files here or in the folders below")
    skipped: dict[str, int] = defaultdict(int)
    for folder, layer in collections:
        declared = _declared_labels(folder, root)
        for label in declared or ():
            if label not in parsed.declared_labels:
                parsed.declared_labels.append(label)
        for txt in sorted(folder.glob("*.txt")):
            _document(txt, layer, declared, parsed, skipped)
    for what, n in skipped.items():
        parsed.notes.append(f"{root}: {n} {what} skipped (not stored by this tool)")


def _collections(root: Path) -> list[tuple[Path, str | None]]:
    """(folder, layer): the root's own files have no layer of their own; a
    sub-folder's files take the sub-folder's name."""
    found: list[tuple[Path, str | None]] = []
    if any(root.glob("*.txt")):
        found.append((root, None))
    for folder in sorted(p for p in root.rglob("*") if p.is_dir()):
        if any(part.startswith(".") for part in folder.relative_to(root).parts):
            continue
        if any(folder.glob("*.txt")):
            found.append((folder, folder.name))
    return found


def _declared_labels(folder: Path, root: Path) -> list[str] | None:
    """Entity types of the nearest annotation.conf, or None without one."""
    for candidate in [folder, *folder.parents]:
        conf = candidate / CONF
        if conf.is_file():
            return parse_conf(conf)
        if candidate == root:
            return None
    return None


def parse_conf(path: Path) -> list[str]:
    section, labels = None, []
    for line in read_canonical(path).split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            continue
        if section == "entities":
            name = stripped.split()[0].lstrip("!")
            if name and name not in labels:
                labels.append(name)
    return labels


def _document(txt: Path, layer: str | None, declared: list[str] | None, parsed: ParsedImport,
              skipped: dict[str, int]) -> None:
    parsed.files += 1
    mapping = OffsetMap(read_raw(txt))
    if not mapping.text.strip():
        raise InputError(txt, "empty file (no text)")
    key = parsed.add_document(mapping.text, txt.stem, (str(txt), None))
    ann = txt.with_suffix(".ann")
    if not ann.exists():
        return  # brat shows a document without annotations the same way
    parsed.files += 1
    spans: dict[str, ParsedSpan] = {}
    attributes: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    data = read_bytes(ann)  # a FIFO or device is refused here, not read
    content = decode_bytes(data, ann).text if data else ""
    for lineno, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            span_id, span = _text_bound(line, ann, lineno, mapping, key, layer, declared)
            if span_id in spans:
                raise InputError(ann, f"annotation id {span_id} is used twice (first on line "
                                      f"{spans[span_id].origin[1]})", lineno)
            spans[span_id] = span
        elif kind in "AM":
            attributes.append((lineno, line))
        elif kind == "#":
            notes.append((lineno, line))
        elif kind in "RE*N":
            skipped[{"R": "relation(s)", "*": "relation(s)", "E": "event(s)",
                     "N": "normalisation(s)"}[kind]] += 1
        else:
            raise InputError(ann, f"unknown annotation line {line[:40]!r}", lineno)
    for lineno, line in attributes:
        _attribute(line, ann, lineno, spans)
    for lineno, line in notes:
        _note(line, ann, lineno, spans)
    parsed.spans.extend(spans.values())


def _text_bound(line: str, ann: Path, lineno: int, mapping: OffsetMap, key: str,
                layer: str | None, declared: list[str] | None) -> tuple[str, ParsedSpan]:
    fields = line.split("\t", 2)
    if len(fields) != 3 or " " not in fields[1]:
        raise InputError(ann, "expected T<n><TAB>LABEL START END<TAB>TEXT", lineno)
    span_id, (label, offsets), stored = fields[0], fields[1].split(" ", 1), fields[2]
    if declared is not None and label not in declared:
        raise InputError(ann, f"label {label!r} is not declared in {CONF}", lineno)
    fragments = []
    for fragment in offsets.split(";"):
        numbers = fragment.split()
        if len(numbers) != 2 or not all(_OFFSET.fullmatch(n) for n in numbers):
            raise InputError(ann, f"offsets {offsets!r} are not 'START END[;START END]'", lineno)
        mapped = mapping.valid_span(int(numbers[0]), int(numbers[1]))
        if mapped is None:
            raise InputError(ann, f"offsets {fragment!r} outside the text or empty "
                                  f"(length {len(mapping.raw)})", lineno)
        fragments.append(mapped)
    text = mapping.text
    found = " ".join(text[s:e] for s, e in fragments)
    if found != canonicalize(stored):
        raise InputError(ann, f"text {stored!r} disagrees with offsets {offsets}, which hold {found!r}",
                         lineno)
    for (_, e1), (s2, _) in zip(fragments, fragments[1:]):
        if s2 < e1 or text[e1:s2].strip():
            raise InputError(ann, f"discontinuous span {span_id} ({offsets}) is not supported: "
                                  "only fragments split at line breaks can be joined", lineno)
    return span_id, ParsedSpan(key, layer, fragments[0][0], fragments[-1][1], label,
                               origin=(str(ann), lineno))


def _attribute(line: str, ann: Path, lineno: int, spans: dict[str, ParsedSpan]) -> None:
    fields = line.split("\t", 1)
    parts = fields[1].split(" ", 2) if len(fields) == 2 else []
    if len(parts) < 2:
        raise InputError(ann, "expected A<n><TAB>NAME T<n>[ VALUE]", lineno)
    target = spans.get(parts[1])
    if target is None:
        raise InputError(ann, f"attribute refers to {parts[1]!r}, which is not a text span here", lineno)
    value: Any = True if len(parts) == 2 else parts[2]
    if parts[0] == "unsure" and value in ("true", "false"):
        value = value == "true"
    target.attributes[parts[0]] = value


def _note(line: str, ann: Path, lineno: int, spans: dict[str, ParsedSpan]) -> None:
    fields = line.split("\t", 2)
    head = fields[1].split(" ") if len(fields) == 3 else []
    if len(head) != 2:
        raise InputError(ann, "expected #<n><TAB>AnnotatorNotes T<n><TAB>NOTE", lineno)
    target = spans.get(head[1])
    if target is None:
        return  # a note on a relation or event: those are skipped too
    note = _unescape(fields[2])
    target.note = f"{target.note}\n{note}" if target.note else note
