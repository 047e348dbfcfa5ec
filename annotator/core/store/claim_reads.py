"""Reads for the claims view and the claim index (issue 13): every claim of
a layer as a plain row with its text, the SPEAKER / TIME targets of the
claims, and the ends of the SAME_AS / CONTRADICTS links.

Mixed into ``Project``. Plain tuples, not Span objects: the claims view
opens on 200,000 claims, and a Span per row cost more than the view.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable

ClaimRow = tuple[int, int, int, int, str]  # span id, document id, start, end, text


class ClaimReads:
    """Claim reads (see the module docstring)."""

    _execute: Callable[..., sqlite3.Cursor]  # Project's
    texts: Callable[[Iterable[int]], dict[int, str]]  # ReviewReads'

    def claim_spans(self, layer: str, label: str = "CLAIM",
                    span_ids: Iterable[int] | None = None) -> list[tuple[int, int, int, int]]:
        """(span id, document id, start, end) of the layer's spans with this
        label (only ``span_ids`` if given), in no particular order."""
        sql = 'SELECT id, document_id, start, "end" FROM spans WHERE layer = ? AND label = ?'
        params: list[object] = [layer, label]
        if span_ids is not None:
            sql += " AND id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(set(span_ids))))
        return self._execute(sql, params).fetchall()

    def claim_rows(self, layer: str, label: str = "CLAIM",
                   span_ids: Iterable[int] | None = None) -> list[ClaimRow]:
        """(span id, document id, start, end, text) of the layer's spans with
        this label (only ``span_ids`` if given), by document and position."""
        spans = sorted(self.claim_spans(layer, label, span_ids),
                       key=lambda row: (row[1], row[2], -row[3], row[0]))
        # Each document's text is read once and sliced here: SQLite's substr
        # would load a whole article again for every claim in it.
        texts = self.texts({row[1] for row in spans})
        return [(i, d, s, e, texts[d][s:e]) for i, d, s, e in spans]

    def claim_targets(self, layer: str, types: Iterable[str] = ("SPEAKER", "TIME")
                      ) -> list[tuple[int, str, int, str, str | None]]:
        """(claim span id, relation type, target span id, target text, the
        target's ``value`` attribute or None) of the layer's relations of
        these types whose target is in the layer, by relation id."""
        rows = self._execute(
            "SELECT r.source_id, r.type, t.id, t.document_id, t.start, t.\"end\", t.attributes"
            " FROM relations r JOIN spans t ON t.id = r.target_id"
            " WHERE r.layer = ? AND t.layer = ? AND r.type IN (SELECT value FROM json_each(?))"
            " ORDER BY r.id", [layer, layer, json.dumps(sorted(set(types)))]).fetchall()
        texts = self.texts({row[3] for row in rows})
        out = []
        for source, kind, target, document, start, end, attributes in rows:
            value = None if attributes == "{}" else json.loads(attributes).get("value")
            # A value that is empty (or 0) says nothing: the text stands.
            out.append((source, kind, target, texts[document][start:end],
                        str(value) if value else None))
        return out

    def link_ends(self, layer: str, types: Iterable[str] = ("SAME_AS", "CONTRADICTS")
                  ) -> list[tuple[int, str, int, int]]:
        """(relation id, type, source span id, target span id) of the layer's
        relations of these types, by id."""
        return self._execute(
            "SELECT id, type, source_id, target_id FROM relations WHERE layer = ?"
            " AND type IN (SELECT value FROM json_each(?)) ORDER BY id",
            [layer, json.dumps(sorted(set(types)))]).fetchall()

    def document_titles(self, document_ids: Iterable[int] | None = None,
                        chars: int = 300) -> dict[int, str]:
        """document id -> its first non-empty line, stripped (every document
        when ``document_ids`` is None). Read from the first ``chars``
        characters; a document whose first line runs past them is read whole."""
        sql = "SELECT id, substr(text, 1, ?) FROM documents"
        params: list[object] = [chars]
        if document_ids is not None:
            sql += " WHERE id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(set(document_ids))))
        titles, longer = {}, []
        for document, head in self._execute(sql, params):
            title = _complete_first_line(head)
            if title is None and len(head) >= chars:
                longer.append(document)
            titles[document] = first_line(head) if title is None else title
        for document, text in self.texts(longer).items():
            titles[document] = first_line(text)
        return titles


def first_line(text: str) -> str:
    """The first line of ``text`` that holds more than whitespace, stripped."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _complete_first_line(head: str) -> str | None:
    """The first non-empty line of ``head`` if a line break ends it there."""
    for line in head.splitlines(keepends=True):
        if line.strip():
            return line.strip() if line != line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029") else None
    return None
