"""Similar claims: character trigrams over normalised words, idf weighted,
cosine; numbers and time markers weigh extra, and two claims that match
well but state different numbers or dates get a contradiction hint.

The index is kept in memory and updated claim by claim (add / remove), so
an edit costs the grams of one claim, not a rebuild.
"""

from __future__ import annotations

import math
from functools import lru_cache
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from annotator.core.claims.clusters import Claim
from annotator.core.claims.normalise import numbers, prepare, time_markers, words

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


@dataclass
class _Entry:
    claim: Claim
    words: list[str]
    grams: Counter
    numbers: set[int]
    times: set[str]


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


class ClaimIndex:
    """An inverted index of claim grams with document frequencies."""

    def __init__(self, claims: list[Claim] = ()) -> None:
        self._entries: dict[int, _Entry] = {}
        self._postings: dict[str, dict[int, int]] = defaultdict(dict)
        # Vector norms depend on idf, which moves little while the index
        # changes by less than a tenth: recomputed only past that.
        self._norms: dict[int, float] = {}
        self._norms_size = 0
        for claim in claims:
            self.add(claim)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, span_id: int) -> bool:
        return span_id in self._entries

    def claim(self, span_id: int) -> Claim:
        return self._entries[span_id].claim

    def add(self, claim: Claim) -> None:
        if claim.span_id in self._entries:
            self.remove(claim.span_id)
        prepared = prepare(claim.text)
        forms = words(prepared, prepared=True)
        entry = _Entry(claim, forms, grams(forms), numbers(prepared, prepared=True),
                       time_markers(prepared, prepared=True) | {f"date:{d}" for d in claim.dates})
        self._entries[claim.span_id] = entry
        self._norms.pop(claim.span_id, None)
        for gram, count in entry.grams.items():
            self._postings[gram][claim.span_id] = count
        for marker in entry.times:
            self._postings["#t:" + marker][claim.span_id] = 1

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
        self._norms.pop(span_id, None)
        if entry is None:
            return
        for gram in list(entry.grams) + ["#t:" + m for m in entry.times]:
            posting = self._postings.get(gram)
            if posting is not None:
                posting.pop(span_id, None)
                if not posting:
                    del self._postings[gram]

    def _weight(self, gram: str) -> float:
        idf = math.log(1 + len(self._entries) / (1 + len(self._postings.get(gram, ()))))
        return idf * (_NUMBER_WEIGHT if gram.startswith("#n:") or gram.startswith("#t:") else 1.0)

    def _vector(self, entry: _Entry, weights: dict[str, float] | None = None
                ) -> dict[str, float]:
        weight = self._weight if weights is None else (
            lambda g: weights[g] if g in weights else weights.setdefault(g, self._weight(g)))
        vector = {g: c * weight(g) for g, c in entry.grams.items()}
        for marker in entry.times:
            vector["#t:" + marker] = weight("#t:" + marker)
        return vector

    def _norm(self, span_id: int, weights: dict[str, float]) -> float:
        size = len(self._entries)
        if abs(size - self._norms_size) > max(10, size // 10):
            self._norms.clear()
            self._norms_size = size
        norm = self._norms.get(span_id)
        if norm is None:
            vector = self._vector(self._entries[span_id], weights)
            norm = self._norms[span_id] = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return norm

    def similar(self, span_id: int, top: int = 10, *,
                other_documents: bool = True) -> list[Candidate]:
        """The ``top`` claims most like this one, best first (ties by span id)."""
        query = self._entries[span_id]
        weights: dict[str, float] = {}
        vector = self._vector(query, weights)
        scores: dict[int, float] = defaultdict(float)
        # Grams in more than a fifth of the claims weigh little (low idf) and
        # cost the most to walk: they count in the norms, not in the walk.
        common = max(50, len(self._entries) // 5)
        for gram, weight in vector.items():
            posting = self._postings.get(gram, {})
            if len(posting) > common:
                continue
            factor = weight * weights[gram]
            for other, count in posting.items():
                scores[other] += factor * count
        scores.pop(span_id, None)
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        ranked = []
        document = query.claim.document_id
        for other, dot in scores.items():
            entry = self._entries[other]
            if other_documents and entry.claim.document_id == document:
                continue
            ranked.append((dot / (norm * self._norm(other, weights)), other))
        ranked.sort(key=lambda item: (-item[0], item[1]))
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
