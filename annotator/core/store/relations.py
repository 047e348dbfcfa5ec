"""Relations between spans and their types (DESIGN §8), part of the Project facade.

A relation joins two spans of one layer: a CLAIM and the ENTITY that states
it (SPEAKER), a CLAIM and its DATE (TIME), two CLAIMs that say the same thing
or contradict each other (SAME_AS, CONTRADICTS; symmetric, across documents).
Every rule is checked here before anything is written:

- both spans exist and belong to the relation's layer;
- the type allows the two labels (either way round when symmetric), and the
  two spans are in one document unless the type links documents;
- no span is related to itself, and no relation is stored twice: a
  symmetric relation is stored once, with the smaller span id as source.

Deleting a span deletes its relations in the same statement (foreign key
ON DELETE CASCADE); ``delete_span_with_relations`` returns both so undo can
restore them with their ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from annotator.core.errors import NotFoundError, ValidationError
from annotator.core.model import Relation, RelationType, Span
from annotator.core.store.clock import now_iso
from annotator.core.store.validation import (
    check_hotkey,
    check_tag_color,
    check_tag_name,
    hotkeys_clash,
)

if TYPE_CHECKING:
    from annotator.core.store.project import Project

_RELATION_COLUMNS = ("id, layer, type, source_id, target_id, attributes, note, provenance,"
                     " created_at, updated_at")
_TYPE_COLUMNS = ("name, color, hotkey, description, source_labels, target_labels, symmetric,"
                 " cross_document, position")
_EDITABLE = {"color", "hotkey", "description", "source_labels", "target_labels", "symmetric",
             "cross_document", "position"}


def _relation_from_row(row: tuple) -> Relation:
    attributes = {} if row[5] == "{}" else json.loads(row[5])
    return Relation(row[0], row[1], row[2], row[3], row[4], attributes, *row[6:])


def _type_from_row(row: tuple) -> RelationType:
    return RelationType(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])),
                        tuple(json.loads(row[5])), bool(row[6]), bool(row[7]), row[8])


def check_relation_type(kind: RelationType, labels: set[str], others: list[RelationType],
                        label_hotkeys: dict[str, str | None]) -> None:
    """Everything about a relation type that can be wrong. ``others``: the
    other relation types; ``label_hotkeys``: label -> hotkey (one key space:
    with a span selected, a label key relabels and a relation key links)."""
    check_tag_name(kind.name)
    if kind.name in labels:
        raise ValidationError(f"{kind.name} is a label; a relation type needs another name")
    check_tag_color(kind.color)
    check_hotkey(kind.hotkey)
    for name, hotkey in list(label_hotkeys.items()) + [(o.name, o.hotkey) for o in others]:
        if name != kind.name and hotkeys_clash(hotkey, kind.hotkey):
            raise ValidationError(f"hotkey {kind.hotkey!r} is already used by {name}")
    if not isinstance(kind.description, str):
        raise ValidationError(f"description of {kind.name} must be text")
    for side in ("source_labels", "target_labels"):
        names = getattr(kind, side)
        if not isinstance(names, tuple) or not all(isinstance(n, str) for n in names):
            raise ValidationError(f"{kind.name}: {side} must be a list of label names")
        unknown = sorted(set(names) - labels)
        if unknown:
            raise ValidationError(f"{kind.name}: unknown label(s) {', '.join(unknown)} in {side}")
    if kind.symmetric and set(kind.source_labels) != set(kind.target_labels):
        raise ValidationError(f"{kind.name} is symmetric, so its source and target labels must be "
                              "the same")
    if not isinstance(kind.position, int) or isinstance(kind.position, bool) or kind.position < 0:
        raise ValidationError(f"position {kind.position!r} must be a whole number, 0 or more")


class RelationStore:
    """Relation types and relations; mixed into ``Project``, whose connection,
    caches and span reads it uses."""

    _relation_types: dict[str, RelationType] | None = None

    # -- relation types ------------------------------------------------------

    def relation_types(self: "Project") -> list[RelationType]:
        return sorted(self._relation_type_map().values(), key=lambda t: (t.position, t.name))

    def relation_type(self: "Project", name: str) -> RelationType:
        try:
            return self._relation_type_map()[name]
        except KeyError:
            known = ", ".join(t.name for t in self.relation_types()) or "none"
            raise ValidationError(f"unknown relation type {name!r} (relation types: {known})") from None

    def _relation_type_map(self: "Project") -> dict[str, RelationType]:
        if self._relation_types is None:
            rows = self._execute(f"SELECT {_TYPE_COLUMNS} FROM relation_types").fetchall()
            self._relation_types = {row[0]: _type_from_row(row) for row in rows}
        return self._relation_types

    def _check_relation_type(self: "Project", kind: RelationType) -> None:
        others = [t for t in self._relation_type_map().values() if t.name != kind.name]
        check_relation_type(kind, set(self._tag_map()), others,
                            {t.name: t.hotkey for t in self._tag_map().values()})

    def add_relation_type(self: "Project", kind: RelationType) -> RelationType:
        if kind.name in self._relation_type_map():
            raise ValidationError(f"relation type {kind.name} already exists")
        position = kind.position or (max((t.position for t in self.relation_types()), default=-1) + 1)
        kind = replace(kind, source_labels=tuple(kind.source_labels),
                       target_labels=tuple(kind.target_labels), position=position)
        self._check_relation_type(kind)
        with self._writing():
            self._execute(
                f"INSERT INTO relation_types ({_TYPE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _type_params(kind),
            )
        self._relation_types = None
        return self.relation_type(kind.name)

    def update_relation_type(self: "Project", name: str, **changes: Any) -> RelationType:
        """Change anything but the name. Narrowing the allowed labels, or
        making a type symmetric or same-document, is refused while existing
        relations would break the new rule."""
        old = self.relation_type(name)
        if set(changes) - _EDITABLE:
            raise ValidationError(f"cannot change {', '.join(sorted(set(changes) - _EDITABLE))} "
                                  "of a relation type")
        for side in ("source_labels", "target_labels"):
            if side in changes:
                changes[side] = tuple(changes[side])
        new = replace(old, **changes)
        self._check_relation_type(new)
        broken = self._relations_breaking(new)
        if broken:
            raise ValidationError(f"{broken} {name} relation(s) would break the new rule; "
                                  "delete them first")
        with self._writing():
            self._execute(
                "UPDATE relation_types SET color = ?, hotkey = ?, description = ?, source_labels = ?,"
                " target_labels = ?, symmetric = ?, cross_document = ?, position = ? WHERE name = ?",
                _type_params(new)[1:] + [name],
            )
        self._relation_types = None
        return new

    def _relations_breaking(self: "Project", kind: RelationType) -> int:
        broken = 0
        seen: set[tuple[int, int]] = set()
        for source_id, target_id, s_label, t_label, s_doc, t_doc in self._execute(
            "SELECT r.source_id, r.target_id, s.label, t.label, s.document_id, t.document_id"
            " FROM relations r JOIN spans s ON s.id = r.source_id JOIN spans t ON t.id = r.target_id"
            " WHERE r.type = ?", [kind.name],
        ):
            pair = (min(source_id, target_id), max(source_id, target_id))
            twice = kind.symmetric and pair in seen
            seen.add(pair)
            if (twice or not kind.allows(s_label, t_label)
                    or (s_doc != t_doc and not kind.cross_document)):
                broken += 1
        return broken

    # -- relations -----------------------------------------------------------

    def relations(self: "Project", *, layer: str | None = None, document_id: int | None = None,
                  span_id: int | None = None, type: str | None = None) -> list[Relation]:
        """Relations by id. ``document_id``: those with an end in that
        document; ``span_id``: those with that span as either end."""
        where, params = [], []
        if layer is not None:
            where.append("layer = ?")
            params.append(layer)
        if type is not None:
            where.append("type = ?")
            params.append(type)
        if span_id is not None:
            where.append("(source_id = ? OR target_id = ?)")
            params += [span_id, span_id]
        if document_id is not None:
            where.append("(source_id IN (SELECT id FROM spans WHERE document_id = ?)"
                         " OR target_id IN (SELECT id FROM spans WHERE document_id = ?))")
            params += [document_id, document_id]
        sql = f"SELECT {_RELATION_COLUMNS} FROM relations"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_relation_from_row(r) for r in self._execute(sql + " ORDER BY id", params)]

    def relation(self: "Project", relation_id: int) -> Relation:
        row = self._execute(f"SELECT {_RELATION_COLUMNS} FROM relations WHERE id = ?",
                            [relation_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no relation with id {relation_id}")
        return _relation_from_row(row)

    def check_relation(self: "Project", layer: str, type: str, source_id: int, target_id: int,
                       ignore_id: int | None = None) -> tuple[int, int]:
        """Raise ValidationError unless the relation may be stored; returns
        (source, target) as stored (a symmetric pair smaller id first)."""
        kind = self.relation_type(type)
        if source_id == target_id:
            raise ValidationError("a span cannot be related to itself")
        source, target = self.span(source_id), self.span(target_id)
        for span in (source, target):
            if span.layer != layer:
                raise ValidationError(f"span {span.id} is in layer {span.layer}, not {layer}: "
                                      "both ends of a relation are in its layer")
        if not kind.allows(source.label, target.label):
            raise ValidationError(f"{type} links {kind.constraint_summary()}, not "
                                  f"{source.label} -> {target.label}")
        if source.document_id != target.document_id and not kind.cross_document:
            raise ValidationError(f"{type} links spans of one document only")
        if kind.symmetric and source_id > target_id:
            source_id, target_id = target_id, source_id
        clash = self._execute(
            "SELECT id FROM relations WHERE type = ? AND source_id = ? AND target_id = ?"
            " AND id IS NOT ?", [type, source_id, target_id, ignore_id],
        ).fetchone()
        if clash:
            raise ValidationError(f"these spans already have a {type} relation (#{clash[0]})")
        return source_id, target_id

    def add_relation(self: "Project", layer: str, type: str, source_id: int, target_id: int,
                     attributes: dict[str, Any] | None = None, note: str = "",
                     provenance: str | None = None, relation_id: int | None = None) -> Relation:
        """Validate and store one relation, committed before returning."""
        attributes = attributes or {}
        if not isinstance(attributes, dict) or not isinstance(note, str):
            raise ValidationError("a relation's attributes must be an object and its note text")
        source_id, target_id = self.check_relation(layer, type, source_id, target_id)
        stamp = now_iso()
        with self._writing():
            cursor = self._execute(
                f"INSERT INTO relations ({_RELATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [relation_id, layer, type, source_id, target_id,
                 json.dumps(attributes, ensure_ascii=False, sort_keys=True), note, provenance,
                 stamp, stamp],
            )
        return Relation(cursor.lastrowid, layer, type, source_id, target_id, attributes, note,
                        provenance, stamp, stamp)

    def restore_relation(self: "Project", relation: Relation) -> Relation:
        """Put back a deleted relation with its id and timestamps (undo)."""
        if self._execute("SELECT 1 FROM relations WHERE id = ?", [relation.id]).fetchone():
            raise ValidationError(f"cannot restore relation {relation.id}: its id is in use")
        self.check_relation(relation.layer, relation.type, relation.source_id, relation.target_id)
        with self._writing():
            self._execute(
                f"INSERT INTO relations ({_RELATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [relation.id, relation.layer, relation.type, relation.source_id,
                 relation.target_id, json.dumps(relation.attributes, ensure_ascii=False,
                                                sort_keys=True),
                 relation.note, relation.provenance, relation.created_at, relation.updated_at],
            )
        return relation

    def update_relation(self: "Project", relation_id: int, *, type: str | None = None,
                        note: str | None = None) -> Relation:
        """Change a relation's type or note; returns the new version."""
        old = self.relation(relation_id)
        new = replace(old, type=type if type is not None else old.type,
                      note=note if note is not None else old.note, updated_at=now_iso())
        if not isinstance(new.note, str):
            raise ValidationError("a relation's note must be text")
        source_id, target_id = self.check_relation(new.layer, new.type, new.source_id,
                                                   new.target_id, ignore_id=relation_id)
        new = replace(new, source_id=source_id, target_id=target_id)
        with self._writing():
            self._execute(
                "UPDATE relations SET type = ?, source_id = ?, target_id = ?, note = ?,"
                " updated_at = ? WHERE id = ?",
                [new.type, new.source_id, new.target_id, new.note, new.updated_at, relation_id],
            )
        return new

    def delete_relation(self: "Project", relation_id: int) -> Relation:
        """Delete a relation and return it (so undo can restore it)."""
        relation = self.relation(relation_id)
        with self._writing():
            self._execute("DELETE FROM relations WHERE id = ?", [relation_id])
        return relation

    def delete_span_with_relations(self: "Project", span_id: int) -> tuple[Span, list[Relation]]:
        """Delete a span and every relation it is an end of, in one
        transaction; returns both for undo (``restore_span_with_relations``)."""
        with self.transaction():  # read under the write lock: no relation slips past undo
            relations = self.relations(span_id=span_id)
            span = self.delete_span(span_id)  # the relations go by ON DELETE CASCADE
        return span, relations

    def restore_span_with_relations(self: "Project", span: Span,
                                    relations: list[Relation]) -> Span:
        """Undo of ``delete_span_with_relations``: all or nothing."""
        with self.transaction():
            self.restore_span(span)
            for relation in relations:
                self.restore_relation(relation)
        return span

    def check_label_keeps_relations(self: "Project", span: Span, label: str) -> None:
        """Refuse a relabel that would break a relation of the span."""
        if label == span.label:
            return
        for relation in self.relations(span_id=span.id):
            kind = self.relation_type(relation.type)
            other = self.span(relation.target_id if relation.source_id == span.id
                              else relation.source_id)
            if relation.source_id == span.id:
                allowed = kind.allows(label, other.label)
            else:
                allowed = kind.allows(other.label, label)
            if not allowed:
                raise ValidationError(
                    f"cannot make this span {label}: its {relation.type} relation needs "
                    f"{kind.constraint_summary()}; delete the relation first"
                )

    def relation_ends(self: "Project", layers: list[str]) -> list[tuple]:
        """(layer, type, source document, start, end, label, target document,
        start, end, label) of every relation in these layers: what agreement
        compares, without building Span objects."""
        marks = ", ".join("?" * len(layers))
        return self._execute(
            "SELECT r.layer, r.type, s.document_id, s.start, s.\"end\", s.label,"
            " t.document_id, t.start, t.\"end\", t.label FROM relations r"
            " JOIN spans s ON s.id = r.source_id JOIN spans t ON t.id = r.target_id"
            f" WHERE r.layer IN ({marks})", list(layers),
        ).fetchall()

    def relation_rows(self: "Project", layer: str,
                      document_ids: Iterable[int] | None = None) -> list[tuple]:
        """Raw relations of one layer for exports, by id: (id, type, source
        id, target id, attributes JSON, note, provenance, source document,
        target document, target document's SHA-256 when it is another
        document than the source's, else None, target label).
        ``document_ids``: only relations whose source is in those documents
        (an export's batch)."""
        columns = ("r.id, r.type, r.source_id, r.target_id, r.attributes, r.note, r.provenance,"
                   " s.document_id, t.document_id, CASE WHEN s.document_id = t.document_id THEN NULL"
                   " ELSE (SELECT sha256 FROM documents WHERE id = t.document_id) END, t.label")
        if document_ids is None:
            return self._execute(
                f"SELECT {columns} FROM relations r JOIN spans s ON s.id = r.source_id"
                " JOIN spans t ON t.id = r.target_id WHERE r.layer = ? ORDER BY r.id", [layer],
            ).fetchall()
        # CROSS JOIN keeps SQLite from the layer's index on relations, which
        # would visit every relation of the layer for each batch.
        return self._execute(
            f"SELECT {columns} FROM spans s CROSS JOIN relations r ON r.source_id = s.id"
            " JOIN spans t ON t.id = r.target_id"
            " WHERE s.document_id IN (SELECT value FROM json_each(?)) AND s.layer = ? AND r.layer = ?"
            " ORDER BY r.id", [json.dumps(sorted(set(document_ids))), layer, layer],
        ).fetchall()

    def relation_rows_touching(self: "Project", layer: str, document_ids: Iterable[int]) -> list[tuple]:
        """One layer's relations with an end in these documents, with both
        ends by content: (id, type, attributes JSON, note, provenance,
        created_at, updated_at, source layer, document, start, end, label,
        target layer, document, start, end, label). What a merge compares."""
        ids = json.dumps(sorted(set(document_ids)))
        columns = ("r.id, r.type, r.attributes, r.note, r.provenance, r.created_at, r.updated_at,"
                   ' s.layer, s.document_id, s.start, s."end", s.label,'
                   ' t.layer, t.document_id, t.start, t."end", t.label')
        # From the batch's spans to their relations, one index lookup each
        # way (an OR over both ends would scan every relation per batch).
        # UNION ALL, the second half leaving out what the first found: UNION
        # would sort every row of the batch to drop the duplicates.
        return self._execute(
            f"SELECT {columns} FROM spans s JOIN relations r ON r.source_id = s.id"
            " JOIN spans t ON t.id = r.target_id"
            " WHERE s.document_id IN (SELECT value FROM json_each(?)) AND s.layer = ? AND r.layer = ?"
            f" UNION ALL SELECT {columns} FROM spans t JOIN relations r ON r.target_id = t.id"
            " JOIN spans s ON s.id = r.source_id"
            " WHERE t.document_id IN (SELECT value FROM json_each(?)) AND t.layer = ? AND r.layer = ?"
            " AND NOT (s.document_id IN (SELECT value FROM json_each(?)) AND s.layer = ?)",
            [ids, layer, layer, ids, layer, layer, ids, layer]).fetchall()

    def relation_counts(self: "Project", layer: str) -> dict[str, int]:
        """Relation type -> number of relations in the layer."""
        return dict(self._execute("SELECT type, count(*) FROM relations WHERE layer = ?"
                                  " GROUP BY type", [layer]).fetchall())


def _type_params(kind: RelationType) -> list[Any]:
    return [kind.name, kind.color, kind.hotkey, kind.description,
            json.dumps(list(kind.source_labels)), json.dumps(list(kind.target_labels)),
            int(kind.symmetric), int(kind.cross_document), kind.position]
