"""Similar claims: character trigrams over normalised words, idf weighted,
cosine; numbers and time markers weigh extra, and two claims that match
well but state different numbers or dates get a contradiction hint.

The index is kept in memory and updated claim by claim (add / remove), so
an edit costs the grams of one claim, not a rebuild. Postings are compact
arrays (a slot number and a count per claim holding the gram); a query
scores every claim exactly, with numpy summing the query grams' postings
(about 2 M entries at 200,000 claims: milliseconds, where a Python loop
over them took a second). Removed claims leave dead slots behind, skipped
by a zero norm and squeezed out once they outnumber the live ones.
"""

from __future__ import annotations

import gc
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat

import numpy as np

from annotator.core.claims.clusters import Claim
from annotator.core.claims.normalise import analyse, piece, pieces_time_markers

# Numbers, years and time phrases are what tell one claim from another
# about the same event: they count as much as a few words.
_NUMBER_WEIGHT = 3.0
# Below this score two claims are not "the same event" and no hint is given.
HINT_THRESHOLD = 0.08


@lru_cache(maxsize=200_000)
def _word_grams(word: str) -> tuple[str, ...]:
    if word[0].isdigit():
        return ("#n:" + word.replace(",", ""),)
    padded = f"#{word}#"
    return tuple(padded[i:i + 3] for i in range(len(padded) - 2))


def grams(word_forms: list[str]) -> Counter:
    """Trigrams of each word padded with '#', so word order does not matter
    and spelling variants still share most grams; numbers are whole tokens."""
    out: Counter = Counter()
    for word in word_forms:
        out.update(_word_grams(word))
    return out


@dataclass(slots=True)
class _Entry:
    claim: Claim
    slot: int
    grams: tuple[int, ...]  # gram ids, repeated as often as the gram occurs
    times: frozenset[str]
    # Words and numbers matter only for shown candidates: read when asked.
    _features: tuple[list[str], set[int]] | None = None

    def features(self) -> tuple[list[str], set[int]]:
        if self._features is None:
            forms, quantities, _ = analyse(self.claim.text)
            self._features = forms, quantities
        return self._features

    @property
    def words(self) -> list[str]:
        return self.features()[0]

    @property
    def numbers(self) -> set[int]:
        return self.features()[1]


@dataclass
class Candidate:
    claim: Claim
    score: float
    shared_words: list[str]
    hints: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"span_id": self.claim.span_id, "document_id": self.claim.document_id,
                "document_title": self.claim.document_title, "score": round(self.score, 4),
                "text": self.claim.text, "shared_words": self.shared_words, "hints": self.hints}


_NO_TIMES: frozenset[str] = frozenset()
# The count of one gram in one claim is stored in 16 bits.
_MAX_COUNT = 65535


class ClaimIndex:
    """An inverted index of claim grams with document frequencies."""

    def __init__(self, claims: list[Claim] = ()) -> None:
        self._entries: dict[int, _Entry] = {}
        self._gram_ids: dict[str, int] = {}
        self._word_grams: dict[str, tuple[int, ...]] = {}
        # Whitespace-separated piece -> its gram ids; the pieces that may say when.
        self._pieces: dict[str, tuple[int, ...]] = {}
        self._timely: set[str] = set()
        # Per gram id: the slots of the claims holding it, their counts, how
        # many live claims hold it, and its weight factor (numbers, times x3).
        self._slots: list[array] = []
        self._counts: list[array] = []
        self._df = array("i")
        self._factor = array("d")
        # Per slot: document id, 1 / vector norm (0 for a dead slot).
        self._documents = array("i")
        self._inverse_norms = array("d")
        self._span_ids: list[int] = []
        self._alive = bytearray()
        self._dead = 0
        # Norms depend on idf, which moves little while the index changes by
        # less than a tenth: all are recomputed only past that (one claim
        # added in between gets its own norm from the current weights).
        self._changes = 0
        # A build makes a few objects per claim and frees none: the cyclic
        # collector would walk them all again and again (a fifth of the build).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build({c.span_id: c for c in claims}.values())
        finally:
            if collecting:
                gc.enable()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, span_id: int) -> bool:
        return span_id in self._entries

    def claim(self, span_id: int) -> Claim:
        return self._entries[span_id].claim

    # -- building --------------------------------------------------------------

    def _gram_id(self, gram: str) -> int:
        gid = self._gram_ids.get(gram)
        if gid is None:
            gid = self._gram_ids[gram] = len(self._slots)
            self._slots.append(array("i"))
            self._counts.append(array("H"))
            self._df.append(0)
            self._factor.append(_NUMBER_WEIGHT if gram.startswith(("#n:", "#t:")) else 1.0)
        return gid

    def _grams_of(self, word: str) -> tuple[int, ...]:
        found = self._word_grams.get(word)
        if found is None:
            found = self._word_grams[word] = tuple(self._gram_id(g) for g in _word_grams(word))
        return found

    def _piece_grams(self, text: str) -> tuple[int, ...]:
        found = self._pieces.get(text)
        if found is None:
            analysed = piece(text)
            ids: list[int] = []
            for word in analysed.forms:
                ids.extend(self._grams_of(word))
            found = self._pieces[text] = tuple(ids)
            if analysed.timely:
                self._timely.add(text)
        return found

    def _entry(self, claim: Claim) -> _Entry:
        """Analyse a claim and give it the next slot (postings not touched)."""
        parts = claim.text.split()
        # Pieces repeat: looked up with map/chain (no Python loop per piece),
        # the misses analysed once.
        try:
            ids = list(chain.from_iterable(map(self._pieces.__getitem__, parts)))
        except KeyError:
            ids = list(chain.from_iterable(map(self._piece_grams, parts)))
        timely = not self._timely.isdisjoint(parts)
        # Most claims say nothing of time: they share one empty set.
        times = frozenset(pieces_time_markers([piece(p) for p in parts])) if timely else _NO_TIMES
        if claim.dates:
            times = times | {f"date:{d}" for d in claim.dates}
        if times:
            ids.extend(self._gram_id("#t:" + marker) for marker in sorted(times))
        entry = _Entry(claim, len(self._span_ids), tuple(ids), times)
        self._entries[claim.span_id] = entry
        self._span_ids.append(claim.span_id)
        self._documents.append(claim.document_id)
        self._inverse_norms.append(0.0)
        self._alive.append(1)
        return entry

    def _build(self, claims: Iterable[Claim]) -> None:
        """All postings at once: the (gram, slot) pairs of every claim are
        grouped by numpy rather than appended one by one (8 M of them for
        200,000 claims)."""
        grams, slots = array("i"), array("i")
        for claim in claims:
            entry = self._entry(claim)
            grams.extend(entry.grams)
            slots.extend(repeat(entry.slot, len(entry.grams)))
        if not grams:
            return
        width = len(self._span_ids)
        keys = np.frombuffer(grams, dtype=np.int32).astype(np.int64) * width
        keys += np.frombuffer(slots, dtype=np.int32)
        # np.sort and a diff: np.unique would take five times as long here.
        keys.sort()
        starts = np.flatnonzero(np.diff(keys, prepend=-1))
        pairs = keys[starts]
        counts = np.diff(starts, append=len(keys))
        gram_of = pairs // width
        slot_of = (pairs - gram_of * width).astype(np.int32)
        counts = np.minimum(counts, _MAX_COUNT).astype(np.uint16)
        df = np.bincount(gram_of, minlength=len(self._slots))
        ends = np.cumsum(df)
        for gid, (start, end) in enumerate(zip(ends - df, ends)):
            self._slots[gid] = array("i", slot_of[start:end].tobytes())
            self._counts[gid] = array("H", counts[start:end].tobytes())
        self._df = array("i", df.astype(np.int32).tobytes())
        self._refresh_norms()

    def add(self, claim: Claim) -> None:
        if claim.span_id in self._entries:
            self.remove(claim.span_id)
        entry = self._entry(claim)
        for gid, count in Counter(entry.grams).items():
            self._slots[gid].append(entry.slot)
            self._counts[gid].append(min(count, _MAX_COUNT))
            self._df[gid] += 1
        self._changes += 1
        self._inverse_norms[entry.slot] = 1.0 / self._norm(entry)
        self._maybe_refresh()

    def sync(self, claims: list[Claim]) -> int:
        """Bring the index to these claims: new or changed ones added, gone
        ones removed; returns how many changed (an edit costs its claims)."""
        wanted = {c.span_id: c for c in claims}
        changed = 0
        for span_id in [s for s in self._entries if s not in wanted]:
            self.remove(span_id)
            changed += 1
        for span_id, claim in wanted.items():
            entry = self._entries.get(span_id)
            if entry is None or entry.claim != claim:
                self.add(claim)
                changed += 1
        return changed

    def remove(self, span_id: int) -> None:
        entry = self._entries.pop(span_id, None)
        if entry is None:
            return
        for gid in set(entry.grams):
            self._df[gid] -= 1
        self._inverse_norms[entry.slot] = 0.0
        self._alive[entry.slot] = 0
        self._dead += 1
        self._changes += 1
        if self._dead > max(1000, len(self._entries)):
            self._squeeze()
        self._maybe_refresh()

    def _squeeze(self) -> None:
        """Drop dead slots from the postings (slot numbers stay)."""
        alive = np.frombuffer(self._alive, dtype=np.bool_)
        for gid, slots in enumerate(self._slots):
            if not slots:
                continue
            found = np.frombuffer(slots, dtype=np.int32)
            keep = alive[found]
            if not keep.all():
                counts = np.frombuffer(self._counts[gid], dtype=np.uint16)[keep]
                self._slots[gid] = array("i", found[keep].tobytes())
                self._counts[gid] = array("H", counts.tobytes())
        self._dead = 0

    # -- weights ---------------------------------------------------------------

    def _weight(self, gid: int) -> float:
        return math.log(1 + len(self._entries) / (1 + self._df[gid])) * self._factor[gid]

    def _norm(self, entry: _Entry) -> float:
        weight = self._weight
        return math.sqrt(sum((count * weight(gid)) ** 2
                             for gid, count in Counter(entry.grams).items())) or 1.0

    def _maybe_refresh(self) -> None:
        # Small indexes stay exact; big ones are refreshed past a tenth.
        if self._changes > len(self._entries) // 10 or len(self._entries) < 2000:
            self._refresh_norms()

    def _refresh_norms(self) -> None:
        self._changes = 0
        if not self._span_ids:
            return
        df = np.frombuffer(self._df, dtype=np.int32)
        weights = np.log1p(len(self._entries) / (1.0 + df)) * np.frombuffer(self._factor)
        lengths = np.fromiter(map(len, self._slots), dtype=np.int64, count=len(self._slots))
        slots = np.concatenate([np.frombuffer(s, dtype=np.int32) for s in self._slots])
        counts = np.concatenate([np.frombuffer(c, dtype=np.uint16) for c in self._counts])
        squares = (counts * np.repeat(weights, lengths)) ** 2
        norms = np.sqrt(np.bincount(slots, weights=squares, minlength=len(self._span_ids)))
        norms[norms == 0] = 1.0
        inverse = np.where(np.frombuffer(self._alive, dtype=np.bool_), 1.0 / norms, 0.0)
        self._inverse_norms = array("d", inverse.tobytes())

    # -- queries ---------------------------------------------------------------

    def similar(self, span_id: int, top: int = 10, *,
                other_documents: bool = True) -> list[Candidate]:
        """The ``top`` claims most like this one, best first (ties by span id)."""
        query = self._entries[span_id]
        weights = {gid: self._weight(gid) for gid in set(query.grams)}
        vector = {gid: count * weights[gid] for gid, count in Counter(query.grams).items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        if not vector:
            return []
        slots = np.concatenate([np.frombuffer(self._slots[g], dtype=np.int32) for g in vector])
        parts = [np.frombuffer(self._counts[g], dtype=np.uint16) * (w * weights[g])
                 for g, w in vector.items()]
        dots = np.bincount(slots, weights=np.concatenate(parts),
                           minlength=len(self._span_ids))
        scores = dots * np.frombuffer(self._inverse_norms, dtype=np.float64) / norm
        scores[query.slot] = 0.0
        if other_documents:
            scores[np.frombuffer(self._documents, dtype=np.int32) == query.claim.document_id] = 0
        found = np.flatnonzero(scores > 0)
        if len(found) > top:
            # Everything at or above the top-th score, so ties are cut by span id.
            kth = np.partition(scores[found], len(found) - top)[len(found) - top]
            found = found[scores[found] >= kth]
        ranked = sorted(((float(scores[slot]), self._span_ids[slot]) for slot in found),
                        key=lambda item: (-item[0], item[1]))
        return [self._candidate(query, self._entries[other], score)
                for score, other in ranked[:top]]

    def _candidate(self, query: _Entry, entry: _Entry, score: float) -> Candidate:
        theirs = set(entry.words)
        shared = list(dict.fromkeys(w for w in query.words if w in theirs))
        return Candidate(entry.claim, score, shared, hints(query, entry, score))


def hints(a: _Entry, b: _Entry, score: float) -> list[str]:
    """Why two well-matching claims may contradict each other."""
    if score < HINT_THRESHOLD:
        return []
    out = []
    if a.numbers and b.numbers and not a.numbers & b.numbers:
        out.append("numbers differ: " + ", ".join(map(str, sorted(a.numbers))) + " / "
                   + ", ".join(map(str, sorted(b.numbers))))
    # Years alone are context (the 2003 invasion); a claim's "when" is its
    # end-of-year / N-years phrase or its TIME date.
    when_a = {m for m in a.times if not m.startswith("year:")}
    when_b = {m for m in b.times if not m.startswith("year:")}
    if when_a and when_b and not when_a & when_b:
        out.append("dates differ: " + ", ".join(sorted(when_a)) + " / "
                   + ", ".join(sorted(when_b)))
    return out
