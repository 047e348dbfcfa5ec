"""Every claim of a layer as plain rows in cluster order, for the claims
view: read with a few store queries (no Span objects), clusters joined
from the SAME_AS ends, and kept current edit by edit (``apply``), so the
view follows the main window without reading 200,000 claims again.
Texts and titles are read when first shown (documents are never changed,
so what is read stays true); a search or an index reads them all.

Order: clusters by id (their smallest span id), members by document and
position; a claim with no SAME_AS is a cluster of one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotator.core.claims.clusters import CLAIM, Claim, UnionFind
from annotator.core.text.search import fold

if TYPE_CHECKING:
    from annotator.core.store.project import Project
    from annotator.core.workflow import Change

_TARGET_TYPES = ("SPEAKER", "TIME")
_LINK_TYPES = ("SAME_AS", "CONTRADICTS")


class ClaimTable:
    def __init__(self, project: "Project", layer: str) -> None:
        self.project, self.layer = project, layer
        self.reload()

    # -- reading -------------------------------------------------------------------

    def reload(self) -> None:
        """Everything read again (another process changed the file)."""
        spans = self.project.claim_spans(self.layer)
        self.rows: dict[int, tuple[int, int, int, int]] = {row[0]: row for row in spans}
        # Claims per document: the document filter without a walk of the rows.
        self._per_document: Counter[int] = Counter(row[1] for row in spans)
        self._documents: list[int] | None = None  # made when asked
        self._texts: dict[int, str] = {}
        self._titles: dict[int, str] = {}
        self._folded: dict[int, str] | None = None  # made on the first search only
        self._read_targets()
        self._read_links()
        self._arrange()

    def text(self, span_id: int) -> str:
        _, document, start, end = self.rows[span_id]
        text = self._texts.get(document)
        if text is None:
            self._load_texts([document])
            text = self._texts[document]
        return text[start:end]

    def title(self, document: int) -> str:
        title = self._titles.get(document)
        if title is None:
            self._titles.update(self.project.document_titles([document]))
            title = self._titles.setdefault(document, "")
        return title

    def _load_texts(self, documents: Iterable[int]) -> None:
        missing = {d for d in documents if d not in self._texts}
        if missing:
            self._texts.update(self.project.texts(missing))

    def _load_all(self) -> None:
        documents = set(self._per_document)
        self._load_texts(documents)
        missing = documents - set(self._titles)
        if missing:
            self._titles.update(self.project.document_titles(missing))

    def _read_targets(self) -> None:
        self.speakers: dict[int, tuple[str, ...]] = {}
        self.dates: dict[int, tuple[str, ...]] = {}
        speakers, dates = defaultdict(list), defaultdict(list)
        self._targets: set[int] = set()
        for claim, kind, target, text, value in self.project.claim_targets(self.layer):
            self._targets.add(target)
            if kind == "SPEAKER":
                speakers[claim].append(text)
            else:
                dates[claim].append(value or text)
        self.speakers = {k: tuple(v) for k, v in speakers.items()}
        self.dates = {k: tuple(v) for k, v in dates.items()}

    def _read_links(self) -> None:
        self._links = self.project.link_ends(self.layer)
        self._linked = {end for _, _, a, b in self._links for end in (a, b)}

    def _arrange(self) -> None:
        """Clusters from the link ends, then the row order."""
        sets = UnionFind()
        contradictions = []
        for _, kind, a, b in self._links:
            if a not in self.rows or b not in self.rows:
                continue
            if kind == "SAME_AS":
                sets.union(a, b)
            else:
                contradictions.append((a, b))
        members: dict[int, list[int]] = defaultdict(list)
        for span_id in list(sets.parent):
            members[sets.find(span_id)].append(span_id)
        self.root = {m: root for root, group in members.items() for m in group}
        self.size = {root: len(group) for root, group in members.items()}
        self.contradicts: dict[int, set[int]] = defaultdict(set)
        for a, b in contradictions:
            ra, rb = self.root.get(a, a), self.root.get(b, b)
            if ra != rb:
                self.contradicts[ra].add(rb)
                self.contradicts[rb].add(ra)
        place = self._member_key
        if not members:  # no SAME_AS at all: the order is the span ids
            self.order = sorted(self.rows)
            self._keys = self.order.copy()
            return
        order: list[int] = []
        for key in sorted(set(self.rows).difference(self.root).union(members)):
            if key in members:
                order += sorted(members[key], key=place)
            else:
                order.append(key)
        self.order = order
        self._keys = [self.root.get(span_id, span_id) for span_id in order]

    def _member_key(self, span_id: int) -> tuple[int, int, int, int]:
        _, document, start, end = self.rows[span_id]
        return document, start, -end, span_id

    # -- rows ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.order)

    def cluster_count(self) -> int:
        return len(self.order) - sum(self.size.values()) + len(self.size)

    def cluster_of(self, span_id: int) -> int:
        return self.root.get(span_id, span_id)

    def cluster_size(self, span_id: int) -> int:
        return self.size.get(self.cluster_of(span_id), 1)

    def contradicted_clusters(self, span_id: int) -> set[int]:
        return self.contradicts.get(self.cluster_of(span_id), set())

    def claim(self, span_id: int) -> Claim:
        span, document, start, end = self.rows[span_id]
        return Claim(span, document, self.title(document), start, end, self.text(span_id),
                     self.speakers.get(span, ()), self.dates.get(span, ()))

    def claims(self) -> list[Claim]:
        """Every claim in row order (for a similarity index: 200,000 of them)."""
        self._load_all()  # two queries, not one per document
        rows, texts, titles = self.rows, self._texts, self._titles
        who, when = self.speakers, self.dates
        out = []
        for span_id in self.order:
            _, document, start, end = rows[span_id]
            out.append(Claim(span_id, document, titles.get(document, ""), start, end,
                             texts[document][start:end], who.get(span_id, ()),
                             when.get(span_id, ())))
        return out

    def documents(self) -> list[int]:
        """The documents holding claims, by id (the same list until that changes)."""
        if self._documents is None:
            self._documents = sorted(d for d, n in self._per_document.items() if n)
        return self._documents

    def speaker_names(self) -> list[str]:
        return sorted({s for names in self.speakers.values() for s in names})

    def shown(self, text: str = "", document: int | None = None, speaker: str | None = None,
              contradicted: bool = False, unlinked: bool = False) -> list[int]:
        """Span ids in row order that pass the search and the filters."""
        query = fold(text.strip())
        if not (query or document is not None or speaker or contradicted or unlinked):
            return list(self.order)  # a copy: apply() edits the order in place
        folded = self._folded_texts() if query else {}
        out = []
        for span_id in self.order:
            if query and query not in folded[span_id]:
                continue
            if document is not None and self.rows[span_id][1] != document:
                continue
            if speaker is not None and speaker not in self.speakers.get(span_id, ()):
                continue
            root = self.root.get(span_id, span_id)
            if contradicted and not self.contradicts.get(root):
                continue
            if unlinked and (root in self.size or self.contradicts.get(root)):
                continue
            out.append(span_id)
        return out

    def _folded_texts(self) -> dict[int, str]:
        if self._folded is None:
            self._load_all()
            ids = list(self.rows)
            texts = [self.text(i) for i in ids]
            # One fold over all texts is several times cheaper than one per claim.
            pieces = fold("\0".join(texts)).split("\0")
            if len(pieces) != len(ids):  # a claim holding NUL: fold one by one
                pieces = [fold(t) for t in texts]
            self._folded = dict(zip(ids, pieces))
        return self._folded

    # -- following edits -------------------------------------------------------------

    def apply(self, changes: Iterable["Change"]) -> tuple[bool, set[int]]:
        """Bring the rows up to these saved changes; returns whether anything
        shown changed, and the claims whose row, speakers or dates changed
        (to update a claim index)."""
        from annotator.core.workflow import RelationChange, SpanChange

        touched: set[int] = set()
        targets = links = False
        for change in changes:
            if isinstance(change, SpanChange):
                for span in (change.old, change.new):
                    if span is None or span.layer != self.layer:
                        continue
                    if span.label == CLAIM or span.id in self.rows:
                        touched.add(span.id)
                    if span.id in self._targets:
                        targets = True
            elif isinstance(change, RelationChange):
                relation = change.new or change.old
                assert relation is not None
                if relation.layer != self.layer:
                    continue
                if relation.type in _LINK_TYPES:
                    links = True
                elif relation.type in _TARGET_TYPES:
                    targets = True
                    touched.add(relation.source_id)
        if not (touched or targets or links):
            return False, set()
        if targets:
            before = self.dates
            self._read_targets()
            # A DATE's value edited: its claims' dates (and index grams) change.
            touched |= {k for k in before.keys() | self.dates.keys()
                        if before.get(k) != self.dates.get(k) and k in self.rows}
        fresh = {row[0]: row for row in self.project.claim_spans(
            self.layer, span_ids=touched)} if touched else {}
        if links:
            self._read_links()
        rearrange = links
        for span_id in touched:
            clustered = span_id in self.root or span_id in self._linked
            rearrange = rearrange or clustered
            if not clustered and span_id in self.rows:
                self._unplace(span_id)
            old = self.rows.pop(span_id, None)
            if old is not None:
                self._per_document[old[1]] -= 1
                if not self._per_document[old[1]]:
                    self._documents = None
            if self._folded is not None:
                self._folded.pop(span_id, None)
            if span_id in fresh:
                row = self.rows[span_id] = fresh[span_id]
                self._per_document[row[1]] += 1
                if self._per_document[row[1]] == 1:
                    self._documents = None
                if self._folded is not None:
                    self._folded[span_id] = fold(self.text(span_id))
                if not clustered:
                    self._place(span_id)
        if rearrange:
            self._arrange()
        return True, touched

    def _place(self, span_id: int) -> None:
        # A claim of no cluster sorts by its own id among the cluster ids.
        at = bisect_right(self._keys, span_id)
        self.order.insert(at, span_id)
        self._keys.insert(at, span_id)

    def _unplace(self, span_id: int) -> None:
        at = bisect_left(self._keys, span_id)
        if at < len(self.order) and self.order[at] == span_id:
            del self.order[at], self._keys[at]
        else:  # not where a claim of no cluster would be (cannot happen, but cheap)
            at = self.order.index(span_id)
            del self.order[at], self._keys[at]
