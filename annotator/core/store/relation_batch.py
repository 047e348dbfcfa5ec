"""Many relations in one transaction (imports), part of the Project facade.

``add_relations`` applies every rule ``add_relation`` does (store.relations)
to a whole batch before writing any row, and names the file and line a bad
relation came from. It reads what it needs of the batch's spans and stored
relations in a few chunked queries rather than one per relation: an import
of 100,000 relations must stay close to the cost of inserting them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.errors import ValidationError, error_at
from annotator.core.model import NewRelation
from annotator.core.store.chunked import rows_in
from annotator.core.store.id_adoption import batch_ids, ids_given
from annotator.core.store.clock import now_iso

if TYPE_CHECKING:
    from annotator.core.store.project import Project

_INSERT_RELATION = ("INSERT INTO relations (id, layer, type, source_id, target_id, attributes, note,"
                    " provenance, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


@dataclass(frozen=True)
class RelationBatchResult:
    inserted: list[int]  # ids of the relations written, in the batch's order
    duplicates: int  # already stored, or earlier in the batch: kept once
    by_type: dict[str, int] = field(default_factory=dict)


class RelationBatchStore:
    """``add_relations``; mixed into ``Project``."""

    def add_relations(self: "Project", relations: Iterable[NewRelation], *,
                      ids: Sequence[int] | None = None) -> RelationBatchResult:
        """Validate every relation, then store them all in one transaction
        (nested inside ``transaction()`` when an import writes its spans in
        the same one). A relation that is already stored, or given twice
        (a symmetric pair either way round), is kept once and counted; any
        rule broken aborts the whole batch with an error naming its origin.
        ``ids``: as for ``add_spans``.
        """
        items = list(relations)
        kinds = self._relation_type_map()
        spans = self._span_facts({i for r in items for i in (r.source_id, r.target_id)
                                  if type(i) is int})
        # A first import into a project without relations reads none back.
        any_stored = self._execute("SELECT 1 FROM relations LIMIT 1").fetchone() is not None
        seen = self._stored_identities({r.source_id for r in items} | {r.target_id for r in items}) \
            if any_stored else set()
        rows: list[tuple] = []
        duplicates = 0
        for relation in items:
            try:
                identity = _check(relation, kinds, spans)
            except ValidationError as exc:
                raise error_at(relation.origin, str(exc)) from None
            if identity in seen:
                duplicates += 1
                continue
            seen.add(identity)
            attributes = json.dumps(relation.attributes, ensure_ascii=False, sort_keys=True) \
                if relation.attributes else "{}"
            rows.append((relation.layer, *identity, attributes, relation.note, relation.provenance,
                         relation.created_at, relation.updated_at))
        stamp = now_iso()
        with self._writing():
            # Ids assigned inside the write lock, past every id ever used
            # (AUTOINCREMENT's rule), so undo never meets a reused id.
            inserted = batch_ids(ids, self.next_relation_id, len(rows), len(items), "relations")
            with ids_given(ids is not None, "relations"):
                self.db.conn.executemany(
                    _INSERT_RELATION,
                    [(relation_id, layer, kind, source, target, attributes, note, provenance,
                      created or stamp, updated or created or stamp)
                     for relation_id, (layer, kind, source, target, attributes, note, provenance,
                                       created, updated) in zip(inserted, rows)],
                )
        return RelationBatchResult(inserted, duplicates, dict(Counter(row[1] for row in rows)))

    def next_relation_id(self: "Project") -> int:
        """One past every relation id this project ever used (AUTOINCREMENT's
        rule): an import may keep a file's relation ids only from here on,
        so that no id of a deleted relation (which undo may restore) is
        given to another."""
        return self._execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'relations'), 0),"
            " coalesce((SELECT max(id) FROM relations), 0)) + 1"
        ).fetchone()[0]

    def _span_facts(self: "Project", ids: set[int]) -> dict[int, tuple[str, str, int]]:
        """span id -> (layer, label, document id), for the ids that exist."""
        facts: dict[int, tuple[str, str, int]] = {}
        ordered = sorted(ids)
        for span_id, layer, label, doc in rows_in(
            self._execute, "SELECT id, layer, label, document_id FROM spans WHERE id IN ({marks})",
            ordered
        ):
            facts[span_id] = (layer, label, doc)
        return facts

    def _stored_identities(self: "Project", span_ids: set) -> set[tuple[str, int, int]]:
        """(type, source, target) of stored relations from these spans; a
        symmetric relation is stored smaller id first, so its pair is found
        from its source whichever way the batch names it."""
        found: set[tuple[str, int, int]] = set()
        ordered = sorted(i for i in span_ids if type(i) is int)
        found.update(rows_in(
            self._execute,
            "SELECT type, source_id, target_id FROM relations WHERE source_id IN ({marks})", ordered
        ))
        return found


def _check(relation: NewRelation, kinds: dict, spans: dict[int, tuple[str, str, int]]
           ) -> tuple[str, int, int]:
    """The relation's identity as stored (type, source, target), or a
    ValidationError in the words ``Project.check_relation`` uses."""
    kind = kinds.get(relation.type)
    if kind is None:
        known = ", ".join(sorted(kinds)) or "none"
        raise ValidationError(f"unknown relation type {relation.type!r} (relation types: {known})")
    source_id, target_id = relation.source_id, relation.target_id
    if source_id == target_id:
        raise ValidationError("a span cannot be related to itself")
    ends = []
    for span_id in (source_id, target_id):
        facts = spans.get(span_id) if type(span_id) is int else None
        if facts is None:
            raise ValidationError(f"no span with id {span_id!r}")
        if facts[0] != relation.layer:
            raise ValidationError(f"span {span_id} is in layer {facts[0]}, not {relation.layer}: "
                                  "both ends of a relation are in its layer")
        ends.append(facts)
    (_, source_label, source_doc), (_, target_label, target_doc) = ends
    if not kind.allows(source_label, target_label):
        raise ValidationError(f"{relation.type} links {kind.constraint_summary()}, not "
                              f"{source_label} -> {target_label}")
    if source_doc != target_doc and not kind.cross_document:
        raise ValidationError(f"{relation.type} links spans of one document only")
    if not isinstance(relation.attributes, dict) or not isinstance(relation.note, str) \
            or not (relation.provenance is None or isinstance(relation.provenance, str)):
        raise ValidationError("a relation's attributes must be an object, its note text and its "
                              "provenance text or null")
    if kind.symmetric and source_id > target_id:
        source_id, target_id = target_id, source_id
    return relation.type, source_id, target_id
