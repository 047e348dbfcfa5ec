"""brat relations and event arguments, both ways (used by ``brat``).

    R1<TAB>SPEAKER Arg1:T1 Arg2:T2<TAB>
    E1<TAB>Attack:T3 Attacker:T1 Place:T2

annotation.conf declares each relation type under [relations] with the
labels its two arguments take, as brat's own configurations do:
``SPEAKER<TAB>Arg1:CLAIM, Arg2:ENTITY``; ``<ENTITY>`` means any label, and a
symmetric type adds ``<REL-TYPE>:symmetric`` (brat's flag for a relation
drawn without direction; brat also knows "transitive", which we read and
do not model). The first argument is the source, the second the target,
whatever their role names.

An event becomes relations from its trigger span to each argument span,
typed by the role (``Theme2`` is brat's second Theme: the type is Theme);
``imports.relations`` keeps them only where such a relation type exists or
--add-labels creates it. An argument that is itself an event cannot be a
span's relation: skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.formats.exports.contents import ExportRelation
from annotator.core.formats.imports.apply import ParsedImport, ParsedRelation, ParsedSpan
from annotator.core.formats.imports.reading import read_canonical
from annotator.core.model import RelationType

_ROLE_NUMBER = re.compile(r"[0-9]+$")


def conf_lines(kinds: list[RelationType], labels: list[str]) -> list[str]:
    """[relations] lines for these types, limited to the exported labels."""
    lines = []
    exported = set(labels)
    for kind in kinds:
        sides = []
        for names in (kind.source_labels, kind.target_labels):
            kept = [n for n in names if n in exported]
            if names and not kept:
                break  # none of its labels is exported: the type cannot occur
            sides.append("|".join(kept) if kept else "<ENTITY>")
        else:
            flag = ", <REL-TYPE>:symmetric" if kind.symmetric else ""
            lines.append(f"{kind.name}\tArg1:{sides[0]}, Arg2:{sides[1]}{flag}")
    return lines


def r_lines(relations: list[ExportRelation], t_number: dict[int, int]) -> tuple[list[str], list[str]]:
    """R lines (without their ids' "R") and AnnotatorNotes for the
    relations of one document whose ends are both in it."""
    lines, notes = [], []
    n = 0
    for relation in relations:
        if relation.cross_document:
            continue  # counted by the export's loss line
        n += 1
        lines.append(f"R{n}\t{relation.type} Arg1:T{t_number[relation.source_id]} "
                     f"Arg2:T{t_number[relation.target_id]}\t")
        if relation.note:
            notes.append((f"R{n}", relation.note))
    return lines, notes


def read_conf_lines(path: Path) -> Iterator[tuple[str | None, str]]:
    """(section, stripped line) for every line of an annotation.conf that
    is neither blank, a comment nor a section heading; [spans] is the old
    name of [entities]."""
    section = None
    for line in read_canonical(path).split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            section = "entities" if section == "spans" else section
            continue
        yield section, stripped


def parse_conf_relations(path: Path) -> dict[str, RelationType]:
    """Relation types an annotation.conf declares, with their label
    constraints; macros (``<POG>=Person|GPE``) are expanded, ``<ENTITY>``
    and ``<ANY>`` allow any label, ``<OVERLAP>`` and other special lines
    are brat's own."""
    macros, found = {}, {}
    for section, stripped in read_conf_lines(path):
        if stripped.startswith("<") and "=" in stripped.split()[0]:
            name, _, value = stripped.partition("=")
            macros[name.strip()] = value.strip()
            continue
        if section != "relations" or stripped.startswith("<"):
            continue
        name, _, rest = stripped.replace("\t", " ").partition(" ")
        name = name.lstrip("!")
        args, symmetric = [], False
        for part in (p.strip() for p in rest.split(",")):
            role, _, value = part.partition(":")
            if role.strip() == "<REL-TYPE>":
                symmetric = "symmetric" in value.split("-")
            elif value:
                args.append(_labels(value.strip(), macros))
        if name and len(args) >= 2 and name not in found:
            found[name] = RelationType(name, source_labels=args[0], target_labels=args[1],
                                       symmetric=symmetric)
    return found


def _labels(value: str, macros: dict[str, str]) -> tuple[str, ...]:
    names: list[str] = []
    for name in value.split("|"):
        name = name.strip()
        if name in macros:
            names += [n.strip() for n in macros[name].split("|")]
        else:
            names.append(name)
    if any(n.startswith("<") for n in names):  # <ENTITY>, <ANY>, <EVENT>: no constraint we model
        return ()
    return tuple(dict.fromkeys(names))


def read_r_line(line: str, ann: Path, lineno: int, spans: dict[str, ParsedSpan],
                elsewhere: dict[str, str], skipped: dict[str, int]) -> ParsedRelation | None:
    """``R1<TAB>TYPE Arg1:T1 Arg2:T2``; None when an end is something we
    skipped (an event trigger, a discontinuous span): counted."""
    fields = line.split("\t")
    parts = fields[1].split() if len(fields) >= 2 else []
    args = [p.partition(":") for p in parts[1:]]
    if len(parts) != 3 or not all(sep and value for _, sep, value in args):
        raise InputError(ann, "expected R<n><TAB>TYPE Arg1:T<n> Arg2:T<n>", lineno)
    ends = []
    for _, _, value in args:
        if value in spans:
            ends.append(spans[value])
        elif value in elsewhere:
            skipped[f"relation(s) on {elsewhere[value]}"] += 1
            return None
        else:
            raise InputError(ann, f"relation refers to {value!r}, which is not an annotation here",
                             lineno)
    return ParsedRelation(parts[0], ends[0], ends[1], origin=(str(ann), lineno))


def read_e_line(line: str, ann: Path, lineno: int, spans: dict[str, ParsedSpan],
                triggers: dict[str, ParsedSpan], elsewhere: dict[str, str],
                skipped: dict[str, int], root: str, parsed: ParsedImport) -> None:
    """``E1<TAB>Attack:T3 Attacker:T1``: a relation per argument, from the
    trigger, typed by the role (see the module docstring)."""
    fields = line.split("\t")
    parts = fields[1].split() if len(fields) >= 2 else []
    pieces = [p.partition(":") for p in parts]
    if not parts or not all(sep and value for _, sep, value in pieces):
        raise InputError(ann, "expected E<n><TAB>TYPE:T<n> ROLE:ID ...", lineno)
    trigger = triggers.get(pieces[0][2])
    if trigger is None:
        if pieces[0][2] in elsewhere or pieces[0][2] in spans:
            skipped["event(s) whose trigger was skipped"] += 1
            return
        raise InputError(ann, f"event trigger {pieces[0][2]!r} is not an annotation here", lineno)
    for role, _, value in pieces[1:]:
        target = spans.get(value) or triggers.get(value)
        if target is None:
            if value.startswith("E") or value in elsewhere:
                skipped["event argument(s) that are events or skipped spans"] += 1
                continue
            raise InputError(ann, f"event argument {value!r} is not an annotation here", lineno)
        parsed.relations.append(ParsedRelation(_ROLE_NUMBER.sub("", role) or role, trigger, target,
                                               origin=(str(ann), lineno), skip_as=root))
