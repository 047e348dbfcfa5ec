"""Spans in the store, part of the Project facade: reading them, the checks
every span edit passes, single edits with their inverses (undo), and bulk
writes for imports and merges.

Every write is one committed transaction through ``Project._writing``;
the one INSERT statement below serves single edits, undo and bulk imports.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from annotator.core.errors import NotFoundError, ValidationError, error_at
from annotator.core.model import NewSpan, Span
from annotator.core.span_table import SpanTable
from annotator.core.store.chunked import rows_in
from annotator.core.store.id_adoption import batch_ids, ids_given
from annotator.core.store.clock import now_iso
from annotator.core.store.columns import dumps as _dumps
from annotator.core.store.validation import check_attributes, check_offsets

if TYPE_CHECKING:
    from annotator.core.store.project import Project

_SPAN_COLUMNS = 'id, document_id, layer, start, "end", label, attributes, note, provenance, created_at, updated_at'
# The one statement that writes a span row: single edits, undo and bulk imports.
_INSERT_SPAN = f"INSERT INTO spans ({_SPAN_COLUMNS}) VALUES ({', '.join('?' * 11)})"
_UNSET: Any = object()


@dataclass(frozen=True)
class SpanBatchResult:
    inserted: list[int]
    duplicates: int
    by_layer: dict[str, int] = field(default_factory=dict)  # spans inserted per layer
    # For each span of the batch, in its order: the id it has in the store
    # (its own, or that of the span it duplicates), so relations can name it.
    ids: list[int] = field(default_factory=list)


def _span_from_row(row: tuple) -> Span:
    # Most spans carry no attributes; skipping json.loads for them halves the
    # cost of loading a big document's spans.
    attributes = {} if row[6] == "{}" else json.loads(row[6])
    return Span(row[0], row[1], row[2], row[3], row[4], row[5], attributes, *row[7:])


class SpanStore:
    """Span reads and writes; mixed into ``Project``, whose connection,
    caches, tag set and document lengths it uses."""

    def spans(self: "Project", document_id: int | None = None, layer: str | None = None,
              label: str | None = None) -> list[Span]:
        """Spans ordered by document, position, then label."""
        where, params = [], []
        for column, value in (("document_id", document_id), ("layer", layer), ("label", label)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"SELECT {_SPAN_COLUMNS} FROM spans"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY document_id, start, "end" DESC, label, layer, id'
        return [_span_from_row(r) for r in self._execute(sql, params)]

    def span_table(self: "Project", document_id: int, layer: str) -> SpanTable:
        """One layer's spans in one document as a compact table (the open
        document in the window): four integers per span, attributes and
        notes only for the spans that have them."""
        where = "WHERE document_id = ? AND layer = ?"
        rows = self._execute(f'SELECT id, start, "end", label FROM spans {where}'
                             ' ORDER BY start, "end", label', [document_id, layer])
        extras = self._execute(f"SELECT id, attributes, note FROM spans {where}"
                               " AND (attributes <> '{}' OR note <> '')", [document_id, layer])
        return SpanTable.from_rows(document_id, layer, rows, extras)

    def span(self: "Project", span_id: int) -> Span:
        row = self._execute(f"SELECT {_SPAN_COLUMNS} FROM spans WHERE id = ?", [span_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no span with id {span_id}")
        return _span_from_row(row)

    def _check_span(self: "Project", document_id: int, layer: str, start: int, end: int, label: str,
                    attributes: dict[str, Any], ignore_id: int | None = None) -> None:
        check_offsets(start, end, self._length(document_id))
        check_attributes(self.tag(label), attributes)
        # Spans of one label in a layer never overlap, so sorted by start
        # they are sorted by end too: only the last one starting before
        # ``end`` can reach past ``start``. Walking the index back from
        # ``end`` finds it in a step or two; "start < end AND end > start"
        # scanned every span from the document's start (47 ms at the end
        # of a 20 MB document).
        clash = self._execute(
            'SELECT id, start, "end" FROM spans WHERE document_id = ? AND layer = ? AND start < ?'
            ' AND label = ? AND id IS NOT ? ORDER BY start DESC LIMIT 1',
            [document_id, layer, end, label, ignore_id],
        ).fetchone()
        if clash and clash[2] > start:
            raise ValidationError(
                f"overlaps {label} span [{clash[1]}, {clash[2]}) in layer {layer}; "
                "spans of one label may not overlap"
            )

    def add_span(self: "Project", document_id: int, layer: str, start: int, end: int, label: str,
                 attributes: dict[str, Any] | None = None, note: str = "",
                 provenance: str | None = None, span_id: int | None = None) -> Span:
        """Validate and store one span, committed before returning."""
        attributes = attributes or {}
        self._check_layer(layer)
        self._check_span(document_id, layer, start, end, label, attributes)
        stamp = now_iso()
        with self._writing():
            cursor = self._execute(
                _INSERT_SPAN,
                [span_id, document_id, layer, start, end, label, _dumps(attributes), note,
                 provenance, stamp, stamp],
            )
        return Span(cursor.lastrowid, document_id, layer, start, end, label, attributes, note,
                    provenance, stamp, stamp)

    def _next_span_id(self: "Project") -> int:
        """One past every span id this project ever used (AUTOINCREMENT's
        rule), for bulk inserts that assign ids themselves."""
        return self._execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'spans'), 0),"
            " coalesce((SELECT max(id) FROM spans), 0)) + 1"
        ).fetchone()[0]

    def restore_span(self: "Project", span: Span) -> Span:
        """Put back a deleted span with its id and timestamps (undo of delete)."""
        if self._execute("SELECT 1 FROM spans WHERE id = ?", [span.id]).fetchone():
            raise ValidationError(f"cannot restore span {span.id}: its id is in use")
        self._check_layer(span.layer)
        self._check_span(span.document_id, span.layer, span.start, span.end, span.label,
                         span.attributes)
        with self._writing():
            self._execute(
                _INSERT_SPAN,
                [span.id, span.document_id, span.layer, span.start, span.end, span.label,
                 _dumps(span.attributes), span.note, span.provenance, span.created_at,
                 span.updated_at],
            )
        return span

    def update_span(self: "Project", span_id: int, *, start: int = _UNSET, end: int = _UNSET,
                    label: str = _UNSET, attributes: dict[str, Any] = _UNSET,
                    note: str = _UNSET, provenance: str | None = _UNSET) -> Span:
        """Change a span; returns the new version (the caller keeps the old
        one for undo)."""
        old = self.span(span_id)
        changes = {k: v for k, v in (("start", start), ("end", end), ("label", label),
                                     ("attributes", attributes), ("note", note),
                                     ("provenance", provenance)) if v is not _UNSET}
        new = replace(old, **changes, updated_at=now_iso())
        if "label" in changes and "attributes" not in changes:
            # Attributes of the old label (an ENTITY type) mean nothing under the new one.
            known = set(self.tag(new.label).attributes) | {"unsure"}
            new = replace(new, attributes={k: v for k, v in old.attributes.items() if k in known})
        self._check_span(new.document_id, new.layer, new.start, new.end, new.label,
                         new.attributes, ignore_id=span_id)
        self.check_label_keeps_relations(old, new.label)
        with self._writing():
            self._execute(
                'UPDATE spans SET start = ?, "end" = ?, label = ?, attributes = ?, note = ?,'
                " provenance = ?, updated_at = ? WHERE id = ?",
                [new.start, new.end, new.label, _dumps(new.attributes), new.note, new.provenance,
                 new.updated_at, span_id],
            )
        return new

    def replace_span(self: "Project", span: Span) -> Span:
        """Write back a whole earlier version of a span (undo of an update)."""
        return self.update_span(span.id, start=span.start, end=span.end, label=span.label,
                                attributes=span.attributes, note=span.note,
                                provenance=span.provenance)

    def delete_span(self: "Project", span_id: int) -> Span:
        """Delete a span and return it (so undo can restore it). Its relations
        go with it; ``delete_span_with_relations`` returns them too."""
        span = self.span(span_id)
        with self._writing():
            self._execute("DELETE FROM spans WHERE id = ?", [span_id])
        return span

    def add_spans(self: "Project", spans: Iterable[NewSpan], *,
                  ids: Sequence[int] | None = None) -> SpanBatchResult:
        """Store many spans in one transaction (imports, merges).

        Exact duplicates (same document, layer, start, end, label) of a span
        already stored or earlier in the batch are skipped and counted. Any
        invalid span aborts the whole batch; the error names its origin.
        ``ids``: the id to give each span (a streamed import keeping a
        file's ids); a duplicate, or an id already used, raises IdsTaken
        and the caller rolls back.
        """
        items = list(spans)
        # Overlaps and duplicates are per layer: other layers' spans (a merge's
        # earlier copies) need not be read.
        by_key = self._existing_ranges({s.document_id for s in items}, {s.layer for s in items})
        seen = {(*key, s, e) for key, ranges in by_key.items() for s, e, _ in ranges}
        layers = set(self.layers())
        lengths = self._document_lengths()
        checked: set[tuple[str, str]] = set()  # (label, attributes JSON) already validated
        accepted: list[tuple[NewSpan, str]] = []
        # Per batch span: index into ``accepted`` (>= 0), or -1 - index of
        # the duplicate it repeats in ``repeats``.
        where: list[int] = []
        first_of: dict[tuple, int] = {}
        repeats: list[tuple] = []
        duplicates = 0
        for span in items:
            doc, layer, label, start, end = span.document_id, span.layer, span.label, span.start, span.end
            attributes_json = _dumps(span.attributes) if span.attributes else "{}"
            # One combined test on the common path; the full checks below give
            # the precise message when it fails.
            if not (layer in layers and type(start) is int and type(end) is int
                    and 0 <= start < end <= lengths.get(doc, -1)
                    and (label, attributes_json) in checked and type(span.note) is str):
                try:
                    if layer not in layers:
                        raise ValidationError(f"unknown layer {layer!r}; add the annotator first")
                    check_offsets(start, end, self._length(doc))
                    check_attributes(self.tag(label), span.attributes)
                    if not isinstance(span.note, str):
                        raise ValidationError("a span's note must be a string")
                except (ValidationError, NotFoundError) as exc:
                    raise error_at(span.origin, str(exc)) from None
                checked.add((label, attributes_json))
            identity = (doc, layer, label, start, end)
            if identity in seen:
                duplicates += 1
                where.append(-1 - len(repeats))
                repeats.append(identity)
                continue
            seen.add(identity)
            first_of[identity] = len(accepted)
            where.append(len(accepted))
            by_key[(doc, layer, label)].append((start, end, span))
            accepted.append((span, attributes_json))
        for key, ranges in by_key.items():
            ranges.sort(key=lambda r: (r[0], r[1]))
            for (s1, e1, a), (s2, e2, b) in zip(ranges, ranges[1:]):
                if s2 < e1:
                    culprit = b or a
                    assert culprit is not None
                    raise error_at(
                        culprit.origin,
                        f"{key[2]} span [{s2}, {e2}) overlaps [{s1}, {e1}) in layer {key[1]}; "
                        "spans of one label may not overlap",
                    )
        stamp = now_iso()
        with self._writing():
            # Ids assigned here, inside the write transaction, so executemany
            # can insert them all at once and the caller still learns them.
            inserted = batch_ids(ids, self._next_span_id, len(accepted), len(items), "spans")
            with ids_given(ids is not None, "spans"):
                self.db.conn.executemany(
                    _INSERT_SPAN,
                    [(span_id, span.document_id, span.layer, span.start, span.end, span.label,
                      attributes_json, span.note, span.provenance, stamp, stamp)
                     for span_id, (span, attributes_json) in zip(inserted, accepted)],
                )
            repeated = [inserted[first_of[identity]] if identity in first_of
                        else self._stored_span_id(identity) for identity in repeats]
        by_layer = Counter(span.layer for span, _ in accepted)
        ids = [inserted[i] if i >= 0 else repeated[-1 - i] for i in where]
        return SpanBatchResult(inserted, duplicates, dict(by_layer), ids)

    def _stored_span_id(self: "Project", identity: tuple) -> int:
        """The id of the stored span (document, layer, label, start, end)."""
        return self._execute(
            'SELECT id FROM spans WHERE document_id = ? AND layer = ? AND label = ? AND start = ?'
            ' AND "end" = ? ORDER BY id LIMIT 1', list(identity)).fetchone()[0]

    def _existing_ranges(self: "Project", document_ids: set[int], layers: set[str]
                         ) -> defaultdict[tuple[int, str, str], list[tuple[int, int, NewSpan | None]]]:
        """Stored (start, end) per (document, layer, label) for these documents
        and layers, read in a few queries rather than one per key."""
        ranges: defaultdict[tuple[int, str, str], list[tuple[int, int, NewSpan | None]]] = defaultdict(list)
        ids = sorted(document_ids)
        names = json.dumps(sorted(layers))
        for doc, layer, label, start, end in rows_in(
            self._execute,
            'SELECT document_id, layer, label, start, "end" FROM spans WHERE document_id IN ({marks})'
            " AND layer IN (SELECT value FROM json_each(?))", ids, [names]
        ):
            ranges[(doc, layer, label)].append((start, end, None))
        return ranges

    def span_counts(self: "Project") -> dict[int, dict[str, dict[str, int]]]:
        """document id -> layer -> label -> number of spans."""
        counts: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
        for doc, layer, label, n in self._execute(
            "SELECT document_id, layer, label, count(*) FROM spans GROUP BY 1, 2, 3"
        ):
            counts[doc][layer][label] = n
        return {doc: {layer: dict(labels) for layer, labels in per.items()} for doc, per in counts.items()}

    def layer_span_counts(self: "Project", layer: str) -> dict[int, dict[str, int]]:
        """document id -> label -> number of spans, for one layer: what the
        document list shows, without counting every other layer's spans."""
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for doc, label, n in self._execute(
            "SELECT document_id, label, count(*) FROM spans WHERE layer = ? GROUP BY 1, 2", [layer]
        ):
            counts[doc][label] = n
        return dict(counts)

    def span_rows(self: "Project", layer: str,
                  document_ids: Iterable[int] | None = None) -> list[tuple]:
        """Raw spans of one layer as (id, start, end, label, attributes JSON,
        note, provenance, document_id), in no particular order: an export of
        200,000 spans neither builds a Span per row nor waits for SQLite to
        sort them all (it sorts each document's few spans itself).
        ``document_ids``: only those documents' (a merge's batch)."""
        sql = ('SELECT id, start, "end", label, attributes, note, provenance, document_id FROM spans'
               " WHERE layer = ?")
        params: list[Any] = [layer]
        if document_ids is not None:
            sql += " AND document_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(set(document_ids))))
        return self._execute(sql, params).fetchall()

    def documents_with_spans(self: "Project", layer: str, labels: Iterable[str] | None = None) -> set[int]:
        """Documents where the layer has a span (of one of ``labels``)."""
        sql = "SELECT DISTINCT document_id FROM spans WHERE layer = ?"
        params: list[Any] = [layer]
        if labels is not None:
            sql += " AND label IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(labels)))
        return {row[0] for row in self._execute(sql, params)}

    def delete_layer_spans(self: "Project", document_id: int, layer: str) -> int:
        """Delete one layer's spans of a document (their relations go with
        them); returns how many. A merge's replace."""
        with self._writing():
            return self._execute("DELETE FROM spans WHERE document_id = ? AND layer = ?",
                                 [document_id, layer]).rowcount

    def span_ids_by_end(self: "Project", layer: str, document_ids: Iterable[int]
                        ) -> dict[tuple[int, int, int, str], int]:
        """(document id, start, end, label) -> span id for one layer's spans
        in these documents (unique: the spans_identity index)."""
        return {(doc, start, end, label): span_id for span_id, doc, start, end, label in self._execute(
            'SELECT id, document_id, start, "end", label FROM spans WHERE layer = ?'
            " AND document_id IN (SELECT value FROM json_each(?))",
            [layer, json.dumps(sorted(set(document_ids)))])}
