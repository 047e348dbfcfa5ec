"""The claim index at scale (issue 13): exact cosine scores whatever the
index went through (bulk build, adds, removes, squeezed dead slots), and
the piece-cached analysis that builds it agreeing with words / numbers /
time_markers."""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.claims.clusters import Claim
from annotator.core.claims.normalise import analyse, numbers, time_markers, words
from annotator.core.claims.similarity import ClaimIndex, _word_grams

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
VOCABULARY = [w for p in sorted(SEEDS.glob("*.txt"))
              for w in re.findall(r"\S+", p.read_text(encoding="utf-8"))]


def synthetic(count: int, seed: int = 1, documents: int = 40) -> list[Claim]:
    rng = random.Random(seed)
    out = []
    for span_id in range(1, count + 1):
        start = rng.randrange(len(VOCABULARY) - 20)
        run = VOCABULARY[start:start + rng.randint(3, 14)]
        if rng.random() < 0.3:
            run.insert(rng.randrange(len(run)), rng.choice(["2500", "٥٠٠٠", "نصف مليون"]))
        text = " ".join(run)
        dates = ("2021-12-31",) if rng.random() < 0.1 else ()
        out.append(Claim(span_id * 3, rng.randrange(documents), "t", 0, len(text), text, (), dates))
    return out


def reference(claims: list[Claim], query: Claim, top: int) -> list[tuple[int, float]]:
    """Plain tf-idf cosine over the same grams, written out the slow way."""
    vectors = {}
    for c in claims:
        forms, _, times = analyse(c.text)
        grams = Counter(g for w in forms for g in _word_grams(w))
        grams.update("#t:" + m for m in times | {f"date:{d}" for d in c.dates})
        vectors[c.span_id] = grams
    df = Counter(g for v in vectors.values() for g in v)

    def weight(g: str) -> float:
        return math.log(1 + len(claims) / (1 + df[g])) * (3.0 if g[:3] in ("#n:", "#t:") else 1)

    def vec(span_id: int) -> dict[str, float]:
        return {g: n * weight(g) for g, n in vectors[span_id].items()}

    q = vec(query.span_id)
    q_norm = math.sqrt(sum(x * x for x in q.values())) or 1.0
    scored = []
    for c in claims:
        if c.document_id == query.document_id:
            continue
        v = vec(c.span_id)
        dot = sum(x * v[g] for g, x in q.items() if g in v)
        if dot > 0:
            scored.append((c.span_id, dot / (q_norm * (math.sqrt(sum(x * x for x in v.values())) or 1))))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:top]


def ranked(index: ClaimIndex, span_id: int, top: int = 8) -> list[tuple[int, float]]:
    return [(c.claim.span_id, c.score) for c in index.similar(span_id, top=top)]


def assert_same(got: list[tuple[int, float]], wanted: list[tuple[int, float]]) -> None:
    assert [s for s, _ in got] == [s for s, _ in wanted]
    assert [round(x, 9) for _, x in got] == [round(x, 9) for _, x in wanted]


def test_scores_are_the_exact_cosine_of_every_gram():
    claims = synthetic(300)
    index = ClaimIndex(claims)
    for query in claims[::37]:
        assert_same(ranked(index, query.span_id), reference(claims, query, 8))


def test_adds_and_removes_give_what_a_fresh_index_gives():
    claims = synthetic(400, seed=2)
    index = ClaimIndex(claims[:250])
    rng = random.Random(5)
    for claim in claims[250:]:
        index.add(claim)
    gone = set(rng.sample([c.span_id for c in claims], 120))
    for span_id in gone:
        index.remove(span_id)
    edited = [c for c in claims if c.span_id not in gone][:30]
    changed = [Claim(c.span_id, c.document_id, c.document_title, c.start, c.end,
                     c.text + " بحلول نهاية هذا العام", c.speakers, c.dates) for c in edited]
    for claim in changed:
        index.add(claim)  # a changed claim replaces itself
    by_id = {c.span_id: c for c in claims if c.span_id not in gone}
    by_id.update({c.span_id: c for c in changed})
    live = list(by_id.values())
    fresh = ClaimIndex(live)
    assert len(index) == len(fresh) == len(live)
    for query in live[::23]:
        assert_same(ranked(index, query.span_id), ranked(fresh, query.span_id))
        assert_same(ranked(index, query.span_id), reference(live, query, 8))


def test_dead_slots_are_squeezed_out_and_scores_stay_exact():
    claims = synthetic(1400, seed=3)
    index = ClaimIndex(claims)
    for claim in claims[:1000]:
        index.remove(claim.span_id)
    assert index._dead == 1000
    index.remove(claims[1000].span_id)  # now more than 1000 and than the live ones
    assert index._dead == 0
    live = claims[1001:]
    postings = sum(len(s) for s in index._slots)
    assert postings == sum(len(set(index._entries[c.span_id].grams)) for c in live)
    for query in live[::31]:
        assert_same(ranked(index, query.span_id), reference(live, query, 8))


def test_ties_are_cut_by_span_id_and_top_is_respected():
    same = "يوجد 2500 جندي أمريكي في العراق"
    claims = [Claim(i, i, "t", 0, len(same), same) for i in (9, 4, 7, 2)]
    index = ClaimIndex(claims)
    assert [c.claim.span_id for c in index.similar(9, top=2)] == [2, 4]
    assert [c.claim.span_id for c in index.similar(9, top=10)] == [2, 4, 7]


SAMPLES = [
    "وتخطط الولايات المتحدة لتزويد العراق بنصف مليون جرعة",
    "يوجد ٢٥٠٠ جندي 😀 أمريكي\u200cفي العراق",
    "سيبقى الجنود ثلاث سنوات أخرى، حتى 31 ديسمبر",
    "القوّات الأمريكيّـــة\u00a0ستنهي مهمتها بحلول نهاية 2021",
    "لمدة 3 أعوام\r\nأخرى",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_analyse_is_words_numbers_and_time_markers_at_once(text):
    assert analyse(text) == (words(text), numbers(text), time_markers(text))


_LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةىـًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩0123456789 \u00a0\u200c\n,.،😀"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY[:400] + list(_LETTERS) + ["نصف", "مليون", "نهاية",
                                                                     "عام", "سنوات", "2021"]),
                max_size=20))
def test_analyse_agrees_on_any_text(parts):
    text = " ".join(parts)
    assert analyse(text) == (words(text), numbers(text), time_markers(text))

