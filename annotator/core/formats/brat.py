"""brat standoff: a .txt and an .ann per document, plus annotation.conf.

    T1<TAB>ENTITY 0 6<TAB>العراق
    A1<TAB>type T1 LOC
    A2<TAB>unsure T1
    #1<TAB>AnnotatorNotes T1<TAB>a note

Offsets are code points (brat is Python and reads its .txt as UTF-8), into
the .txt as brat read it: a CRLF file's offsets count the CR, and are
mapped to our canonical text. A span that crosses a line break is written
as brat does, one fragment per line ("T1<TAB>CLAIM 0 5;6 10<TAB>a b"); on
import, fragments separated only by whitespace become one span again. Any
other discontinuous span ("T1 Org 0 5;10 15") is skipped and counted, or,
with ``discontinuous="cover"``, imported as the smallest span covering its
fragments (counted too). Attributes: a true boolean is a binary attribute, a
value a multi-valued one (a false or null attribute is not written). Notes
escape backslash, newline and tab as \\\\, \\n, \\t.

Relations are R lines, declared under [relations] in annotation.conf with
their label constraints; an import creates the types it declares (with
--add-labels). Attributes and notes on an R line become the relation's.
Event arguments become relations from the trigger span (see
``brat_relations``). What this tool does not store is skipped and counted
by kind in the import notes, never refused: equivalences (*),
normalisations (N), events nobody models, and the attributes and notes
(A/M, #) attached to events and their triggers. annotation.conf may name
its entity section [spans], as brat's older configurations do.

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
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from annotator.core.text.encoding import canonicalize, decode_bytes, read_bytes
from annotator.core.errors import InputError
from annotator.core.formats import brat_lines, brat_relations
from annotator.core.formats.imports.apply import ParsedImport, ParsedRelation, ParsedSpan
from annotator.core.formats.exports.atomic import atomic_folder, inside
from annotator.core.formats.imports.reading import read_canonical, read_raw
from annotator.core.formats.exports.contents import ExportRelation, ExportSpan, LayerRecord
from annotator.core.formats.textmap import OffsetMap
from annotator.core.model import RelationType, Tag

CONF = "annotation.conf"
_UNSAFE = re.compile(r"[^\w.-]+")
# ASCII digits only: str.isdigit() and int() also take "²" and Arabic-Indic digits.
_OFFSET = re.compile(r"[0-9]{1,18}")


# -- export ------------------------------------------------------------------

def write(records: Iterable[LayerRecord], folder: Path, tags: list[Tag], *,
          layer_folders: bool, relation_types: list[RelationType] = ()) -> list[str]:
    """Write the collection atomically into ``folder``; returns what brat
    could not carry exactly (a span that starts or ends on a line break is
    stored without it: brat keeps one line per annotation; a free-text
    attribute value with spaces has no place in brat)."""
    changed: list[str] = []
    used: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    free = {(t.name, name) for t in tags for name, spec in t.attributes.items() if "values" not in spec}
    with atomic_folder(folder, written_by_export, exported_file) as tmp:
        for record in records:
            target = inside(tmp, record.layer) if layer_folders else tmp
            target.mkdir(exist_ok=True)
            base = f"{record.document.id:05d}-{_UNSAFE.sub('_', record.document.name)[:60]}"
            text = record.document.text
            (target / f"{base}.txt").write_text(text, encoding="utf-8", newline="")
            content, lost = _ann(text, record.spans, free, used, record.relations)
            (target / f"{base}.ann").write_text(content, encoding="utf-8", newline="")
            where = f"document {record.document.id}, layer {record.layer}"
            changed.extend(
                f"{where}: {s.label} [{s.start}, {s.end}) starts or ends on a line break; brat stores "
                "it without" for s in record.spans if text[s.start] == "\n" or text[s.end - 1] == "\n")
            changed.extend(f"{where}: {what}" for what in lost)
        # Written last: it declares every attribute value the files use.
        (tmp / CONF).write_text(annotation_conf(tags, used, relation_types), encoding="utf-8",
                                newline="")
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


# A free-text attribute (DATE's ISO value) travels as an N normalisation
# whose reference is NAME:VALUE; brat has no free-text attributes.
NORMALISATION = "Reference"


def written_by_export(folder: Path) -> bool:
    """Whether ``folder`` is an earlier brat export of ours (which a new
    export may replace), judged by the header of its annotation.conf."""
    conf = folder / CONF
    try:
        return conf.is_file() and conf.read_text(encoding="utf-8").startswith(CONF_HEADER + "\n")
    except (OSError, UnicodeDecodeError):
        return False


def annotation_conf(tags: list[Tag], used: dict[str, dict[str, set[Any]]] | None = None,
                    relation_types: Iterable[RelationType] = ()) -> str:
    """The tag set as brat declares it: entities, relation types with their
    label constraints, <OVERLAP> so nested and crossing spans of different
    labels are valid, and every attribute the .ann files use (``used``:
    label -> attribute -> values) with its values."""
    used = used or {}
    lines = [CONF_HEADER, "[entities]", *(t.name for t in tags),
             "", "[relations]", *brat_relations.conf_lines(list(relation_types), [t.name for t in tags]),
             "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
             "", "[events]", "", "[attributes]"]
    values: dict[str, dict[str, None]] = defaultdict(dict)
    owners: dict[str, dict[str, None]] = defaultdict(dict)
    for tag in tags:
        for name, spec in tag.attributes.items():
            if "values" in spec:
                owners[name][tag.name] = None
                values[name].update(dict.fromkeys(spec["values"]))
    for label, attributes in used.items():
        for name, seen in attributes.items():
            owners[name][label] = None
            values[name].update(dict.fromkeys(str(v) for v in seen if v is not True))
    owners.setdefault("unsure", {})
    for name, labels in owners.items():
        arg = "<ENTITY>" if name == "unsure" else "|".join(labels)
        lines.append(f"{name}\tArg:{arg}" + (f", Value:{'|'.join(values[name])}" if values[name] else ""))
    return "\n".join(lines) + "\n"


def ann_text(text: str, spans: list[ExportSpan]) -> str:
    """The .ann of ``spans`` (every attribute written as a brat attribute)."""
    return _ann(text, spans, set(), defaultdict(lambda: defaultdict(set)))[0]


def _ann(text: str, spans: list[ExportSpan], free: set[tuple[str, str]],
         used: dict[str, dict[str, set[Any]]],
         relations: list[ExportRelation] = ()) -> tuple[str, list[str]]:
    t_lines, a_lines, n_lines, notes, lost = [], [], [], [], []
    t_number = {span.id: n for n, span in enumerate(spans, start=1)}
    r_lines, r_notes = brat_relations.r_lines(list(relations), t_number)
    for n, span in enumerate(spans, start=1):
        fragments = _fragments(text, span.start, span.end)
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        t_lines.append(f"T{n}\t{span.label} {offsets}\t{' '.join(text[s:e] for s, e in fragments)}")
        for key, value in span.attributes.items():
            if value is None or value is False:
                continue
            if (span.label, key) in free and value is not True:
                if str(value).split() == [str(value)]:
                    n_lines.append(f"{NORMALISATION} T{n} {key}:{value}\t{value}")
                else:
                    lost.append(f"{span.label} [{span.start}, {span.end}) {key} {value!r} has spaces; "
                                "brat has no place for it")
                continue
            used[span.label][key].add(value)
            a_lines.append(f"{key} T{n}" if value is True else f"{key} T{n} {value}")
        if span.note:
            notes.append(f"AnnotatorNotes T{n}\t{_escape(span.note)}")
    notes += [f"AnnotatorNotes {r_id}\t{_escape(note)}" for r_id, note in r_notes]
    out = t_lines + r_lines + [f"A{i}\t{line}" for i, line in enumerate(a_lines, start=1)]
    out += [f"N{i}\t{line}" for i, line in enumerate(n_lines, start=1)]
    out += [f"#{i}\t{line}" for i, line in enumerate(notes, start=1)]
    return "".join(line + "\n" for line in out), lost


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


# -- import ----------------------------------------------------------------

DISCONTINUOUS = ("skip", "cover")
# What each skipped kind is called in the import notes.
_KIND = {"*": "equivalence(s)", "N": "normalisation(s)",
         "trigger": "event trigger span(s)", "discontinuous": "discontinuous span(s)"}


def read(root: Path, parsed: ParsedImport, *, discontinuous: str = "skip") -> None:
    skipped: dict[str, int] = defaultdict(int)
    for collection in collections(root, parsed, discontinuous):
        for txt in collection.texts():
            collection.read(txt, parsed, skipped, discontinuous)
    parsed.notes.extend(skipped_notes(root, skipped, discontinuous))


@dataclass(frozen=True)
class Collection:
    """A folder of .txt/.ann pairs: one layer (None: the --annotator or
    gold), the labels and event types its annotation.conf declares."""

    folder: Path
    layer: str | None
    declared: list[str] | None
    events: set[str]
    ours: bool  # written by our export

    def texts(self) -> list[Path]:
        return sorted(self.folder.glob("*.txt"))

    def read(self, txt: Path, parsed: ParsedImport, skipped: dict[str, int],
             discontinuous: str) -> None:
        _document(txt, self.layer, self.declared, self.events, parsed, skipped, discontinuous,
                  self.ours)


def collections(root: Path, parsed: ParsedImport, discontinuous: str) -> list[Collection]:
    """The root's collections; their declared labels and relation types go
    into ``parsed``. Raises InputError for a root that is not one."""
    if discontinuous not in DISCONTINUOUS:
        raise ValueError(f"discontinuous must be one of {DISCONTINUOUS}")
    if not root.is_dir():
        raise InputError(root, "a brat import needs the folder holding .txt and .ann files")
    found = _collections(root)
    if not found:
        raise InputError(root, "no .txt files here or in the folders below")
    out = []
    for folder, layer in found:
        conf = _nearest_conf(folder, root)
        declared = parse_conf(conf) if conf else None
        for label in declared or ():
            if label not in parsed.declared_labels:
                parsed.declared_labels.append(label)
        for name, kind in (brat_relations.parse_conf_relations(conf) if conf else {}).items():
            parsed.declared_relation_types.setdefault(name, kind)
        out.append(Collection(folder, layer, declared,
                              set(conf_section(conf, "events")) if conf else set(),
                              conf is not None and written_by_export(conf.parent)))
    return out


def skipped_notes(root: Path, skipped: dict[str, int], discontinuous: str) -> list[str]:
    notes = []
    if skipped:
        counts = ", ".join(f"{n} {what}" for what, n in skipped.items())
        notes.append(f"{root}: skipped, not stored by this tool: {counts}")
    if discontinuous == "skip" and skipped.get(_KIND["discontinuous"]):
        notes.append(f"{root}: --discontinuous cover imports each discontinuous span as the "
                     "smallest span covering its fragments")
    return notes


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


def _nearest_conf(folder: Path, root: Path) -> Path | None:
    for candidate in [folder, *folder.parents]:
        conf = candidate / CONF
        if conf.is_file():
            return conf
        if candidate == root:
            return None
    return None


def parse_conf(path: Path) -> list[str]:
    """Entity types an annotation.conf declares, in its order."""
    return conf_section(path, "entities")


def conf_section(path: Path, wanted: str) -> list[str]:
    """Type names of one section ([entities] also read under its old name
    [spans]); hierarchy indentation, "!" (not selectable) and macro lines
    (<NAME>=...) are brat's and carry no new type."""
    names: list[str] = []
    for section, stripped in brat_relations.read_conf_lines(path):
        if section == wanted and not stripped.startswith("<"):
            name = stripped.split()[0].lstrip("!")
            if name and name not in names:
                names.append(name)
    return names


class _Ann:
    """One .ann file's lines by kind, before any is turned into a span."""

    def __init__(self, ann: Path) -> None:
        self.texts: list[tuple[int, str]] = []
        self.attributes: list[tuple[int, str]] = []
        self.notes: list[tuple[int, str]] = []
        self.other: dict[str, str] = {}  # id of an E/N line -> its kind letter
        self.skipped_kinds: list[str] = []  # kind letter of every N/* line
        self.normalisations: list[tuple[int, str]] = []
        self.relations: list[tuple[int, str]] = []
        self.events: list[tuple[int, str]] = []
        self.triggers: set[str] = set()  # T ids that events name as their trigger
        data = read_bytes(ann)  # a FIFO or device is refused here, not read
        content = decode_bytes(data, ann).text if data else ""
        for lineno, line in enumerate(content.split("\n"), start=1):
            if not line.strip():
                continue
            kind = line[0]
            if kind == "T":
                self.texts.append((lineno, line))
            elif kind in "AM":
                self.attributes.append((lineno, line))
            elif kind == "#":
                self.notes.append((lineno, line))
            elif kind == "R":
                self.relations.append((lineno, line))
            elif kind in "EN*":
                fields = line.split("\t")
                if kind == "N":
                    self.normalisations.append((lineno, line))
                if kind != "E":  # events become relations, or are counted when they do not
                    self.skipped_kinds.append(kind)
                if kind != "*":  # equivalences have no id of their own
                    self.other[fields[0]] = kind
                if kind == "E":
                    self.events.append((lineno, line))
                    if len(fields) > 1:
                        self.triggers.add(fields[1].split(" ", 1)[0].partition(":")[2])
            else:
                raise InputError(ann, f"unknown annotation line {line[:40]!r}", lineno)


def _document(txt: Path, layer: str | None, declared: list[str] | None, events: set[str],
              parsed: ParsedImport, skipped: dict[str, int], discontinuous: str, ours: bool) -> None:
    """``ours``: the folder is an export of ours, whose file names carry the
    document id (taken off again, so names do not grow on each cycle) and
    whose N lines hold free-text attributes."""
    parsed.files += 1
    mapping = OffsetMap(read_raw(txt))
    if not mapping.text.strip():
        raise InputError(txt, "empty file (no text)")
    name = re.sub(r"^\d{5,}-", "", txt.stem) if ours else txt.stem
    key = parsed.add_document(mapping.text, name or txt.stem, (str(txt), None))
    ann = txt.with_suffix(".ann")
    if not ann.exists():
        return  # brat shows a document without annotations the same way
    parsed.files += 1
    lines = _Ann(ann)
    if ours:  # our N lines are attributes: read below, not skipped
        lines.other = {i: k for i, k in lines.other.items() if k != "N"}
        lines.skipped_kinds = [k for k in lines.skipped_kinds if k != "N"]
    for kind in lines.skipped_kinds:
        skipped[_KIND[kind]] += 1
    spans: dict[str, ParsedSpan] = {}
    # id -> what it is, for attributes and notes on things we do not store
    elsewhere = {i: {"E": "events", "N": "normalisations"}[k] for i, k in lines.other.items()}
    triggers: dict[str, ParsedSpan] = {}
    first_line: dict[str, int] = {}
    for lineno, line in lines.texts:
        span_id = line.split("\t", 1)[0]
        if span_id in first_line:
            raise InputError(ann, f"annotation id {span_id} is used twice (first on line "
                                  f"{first_line[span_id]})", lineno)
        first_line[span_id] = lineno
        label = line.split("\t", 2)[1].split(" ", 1)[0] if line.count("\t") >= 1 else ""
        if span_id in lines.triggers or label in events:
            # Stored only if an argument of its event becomes a relation
            # (imports.relations); its attributes and notes are counted.
            elsewhere[span_id] = "event triggers"
            trigger, joined = _text_bound(line, ann, lineno, mapping, key, layer, None)
            if joined:
                trigger.optional = True
                triggers[span_id] = trigger
            else:
                skipped[_KIND["trigger"]] += 1
            continue
        span, joined = _text_bound(line, ann, lineno, mapping, key, layer, declared)
        if not joined and discontinuous == "skip":
            skipped[_KIND["discontinuous"]] += 1
            elsewhere[span_id] = "skipped discontinuous spans"
            continue
        if not joined:
            skipped["discontinuous span(s) imported as their covering span"] += 1
        spans[span_id] = span
    relations: dict[str, ParsedRelation | None] = {}
    for lineno, line in lines.relations:
        r_id = line.split("\t", 1)[0]
        if r_id in relations or r_id in first_line:
            raise InputError(ann, f"annotation id {r_id} is used twice", lineno)
        relations[r_id] = brat_relations.read_r_line(line, ann, lineno, spans, elsewhere, skipped)
        first_line[r_id] = lineno
        if relations[r_id] is None:
            elsewhere[r_id] = "skipped relations"
    for lineno, line in lines.events:
        brat_relations.read_e_line(line, ann, lineno, spans, triggers, elsewhere, skipped,
                                   str(ann.parent), parsed)
    # Attributes and notes name a span or a relation by its brat id.
    owners: dict[str, Any] = {**spans, **{i: r for i, r in relations.items() if r is not None}}
    for lineno, line in lines.attributes:
        brat_lines.attribute(line, ann, lineno, owners, elsewhere, skipped)
    for lineno, line in lines.normalisations if ours else ():
        brat_lines.free_attribute(line, ann, lineno, spans, elsewhere, skipped)
    for lineno, line in lines.notes:
        brat_lines.note(line, ann, lineno, owners, elsewhere, skipped)
    parsed.spans.extend(spans.values())
    parsed.spans.extend(triggers.values())
    parsed.relations.extend(r for r in relations.values() if r is not None)


def _text_bound(line: str, ann: Path, lineno: int, mapping: OffsetMap, key: str,
                layer: str | None, declared: list[str] | None) -> tuple[ParsedSpan, bool]:
    """The span of a T line, covering all its fragments, and whether the
    fragments join into it (False: a discontinuous span)."""
    fields = line.split("\t", 2)
    if len(fields) != 3 or " " not in fields[1]:
        raise InputError(ann, "expected T<n><TAB>LABEL START END<TAB>TEXT", lineno)
    (label, offsets), stored = fields[1].split(" ", 1), fields[2]
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
    span = ParsedSpan(key, layer, min(s for s, _ in fragments), max(e for _, e in fragments), label,
                      origin=(str(ann), lineno))
    # Fragments cut only at whitespace (a multi-line span, as brat and our
    # export write it) are one span; any other gap is discontinuous.
    joined = all(e1 <= s2 and not text[e1:s2].strip() for (_, e1), (s2, _) in zip(fragments, fragments[1:]))
    return span, joined
