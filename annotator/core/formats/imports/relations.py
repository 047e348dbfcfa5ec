"""Relations of an import: which types they need, what brat events become,
and the ``NewRelation`` rows written after the spans, in the same
transaction (``apply.apply_import``).

Unknown relation types are refused as unknown labels are, unless
--add-labels: then each is created with the labels its relations were seen
joining (brat's annotation.conf declares them; its constraints are used
instead), symmetric when every relation of it was undirected (Label
Studio's "bi"), across documents when one of them joins two documents.

brat event arguments arrive as relations with ``skip_as`` set: from the
event's trigger span to the argument, typed by the role. They are kept
only when the project has a relation type of that name, or with
--add-labels; otherwise they, and the trigger spans no kept argument
needs, are skipped and counted: the file is valid, we only do not model
its events.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from annotator.core.errors import ValidationError, error_at
from annotator.core.model import NewRelation, RelationType
from annotator.core.store.project import Project
from annotator.core.store.validation import check_tag_name, short

# Colours for relation types an import adds (the user can change them later).
NEW_COLORS = ("#ae3ec9", "#1c7ed6", "#37b24d", "#f76707", "#868e96", "#d6336c")


def drop_unmodelled_events(project: Project, parsed, add_labels: bool) -> list[str]:
    """Remove the event arguments and trigger spans that will not be
    stored (see the module docstring); returns the notes saying how many."""
    if not any(r.skip_as is not None for r in parsed.relations) \
            and not any(s.optional for s in parsed.spans):
        return []
    types = {t.name for t in project.relation_types()} | set(parsed.declared_relation_types)
    labels = {t.name for t in project.tags()}
    kept, dropped = [], Counter()  # dropped: event arguments per folder
    for relation in parsed.relations:
        if relation.skip_as is None or add_labels or (
                relation.type in types and relation.source.label in labels):
            kept.append(relation)
        else:
            dropped[relation.skip_as] += 1
    parsed.relations = kept
    needed = {id(r.source) for r in kept} | {id(r.target) for r in kept}
    triggers: Counter = Counter()
    spans = []
    for span in parsed.spans:
        if span.optional and id(span) not in needed:
            triggers[str(Path(span.origin[0]).parent) if span.origin else ""] += 1
            continue
        spans.append(span)
    parsed.spans = spans
    notes = []
    for folder in dict.fromkeys([*dropped, *triggers]):
        counts = []
        if dropped[folder]:
            counts.append(f"{dropped[folder]} event argument(s) (no relation type named after the "
                          "role; --add-labels creates them)")
        if triggers[folder]:
            counts.append(f"{triggers[folder]} event trigger span(s) with no argument stored")
        notes.append(f"{folder}: skipped, not stored by this tool: {', '.join(counts)}")
    return notes


def check_relations(parsed, layer_of: dict[int, str]) -> None:
    """What can be told before anything is written: both ends in one
    layer, no span related to itself. (Label rules, documents and
    duplicates are the store's checks, with the same origins.)"""
    for relation in parsed.relations:
        if relation.source is relation.target:
            raise error_at(relation.origin, f"{relation.type} relation: a span cannot be related "
                                            "to itself")
        source, target = layer_of[id(relation.source)], layer_of[id(relation.target)]
        if source != target:
            raise error_at(relation.origin, f"{relation.type} relation joins a span of layer "
                                            f"{source} to one of layer {target}: both ends of a "
                                            "relation are in one layer")


def relation_types_to_add(project: Project, parsed, add_labels: bool,
                          new_labels: dict[str, dict]) -> list[RelationType]:
    """The relation types to create, or an error for the first relation of
    an unknown type without --add-labels."""
    known = {t.name for t in project.relation_types()}
    first_use: dict[str, object] = {}
    for relation in parsed.relations:
        first_use.setdefault(relation.type, relation)
    unknown = [name for name in first_use if name not in known]
    if not unknown:
        return []
    if not add_labels:
        first = first_use[unknown[0]]
        others = f" (also unknown: {', '.join(short(u) for u in unknown[1:6])})" if len(unknown) > 1 else ""
        raise error_at(first.origin, f"unknown relation type {short(unknown[0])}{others}; relation "
                                     f"types: {', '.join(sorted(known)) or 'none'}. Add them with "
                                     "--add-labels")
    labels = {t.name for t in project.tags()} | set(new_labels)
    seen: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for relation in parsed.relations:
        if relation.type in known:
            continue
        facts = seen[relation.type]
        facts["source"].add(relation.source.label)
        facts["target"].add(relation.target.label)
        facts["undirected"].add(relation.undirected)
        facts["cross"].add(relation.source.document != relation.target.document)
    position = max((t.position for t in project.relation_types()), default=-1) + 1
    created = []
    for index, name in enumerate(unknown):
        origin = first_use[name].origin
        try:
            check_tag_name(name)
        except ValidationError as exc:
            raise error_at(origin, f"relation type {short(name)}: {exc}") from None
        if name in labels:
            raise error_at(origin, f"relation type {short(name)} is also a label; rename one of them")
        facts = seen[name]
        declared = parsed.declared_relation_types.get(name)
        if declared is not None:
            kind = declared
            if kind.symmetric and set(kind.source_labels) != set(kind.target_labels):
                both = tuple(sorted(set(kind.source_labels) | set(kind.target_labels)))
                kind = replace(kind, source_labels=both, target_labels=both)
        elif facts["undirected"] == {True}:
            both = tuple(sorted(facts["source"] | facts["target"]))
            kind = RelationType(name, source_labels=both, target_labels=both, symmetric=True)
        else:
            kind = RelationType(name, source_labels=tuple(sorted(facts["source"])),
                                target_labels=tuple(sorted(facts["target"])))
        created.append(replace(kind, color=NEW_COLORS[index % len(NEW_COLORS)], hotkey=None,
                               position=position + index,
                               cross_document=kind.cross_document or True in facts["cross"]))
    return created


def new_relations(parsed, span_ids: dict[int, int], layer_of: dict[int, str]) -> list[NewRelation]:
    """The parsed relations as rows for ``Project.add_relations``."""
    return [NewRelation(layer_of[id(r.source)], r.type, span_ids[id(r.source)],
                        span_ids[id(r.target)], r.attributes, r.note, r.provenance,
                        origin=r.origin)
            for r in parsed.relations]
