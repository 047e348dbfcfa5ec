"""Claims across articles: normalisation, clusters, candidates, hints, and
the seed evaluation (recall@5 over the claims annotated in tests/data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.claims.clusters import cluster_claims, load_claims
from annotator.core.claims.evaluation import retrieval_scores
from annotator.core.claims.normalise import numbers, time_markers, words
from annotator.core.claims.similarity import ClaimIndex

SEED_CLAIMS = Path(__file__).parent.parent / "data" / "seed_claims.jsonl"


def annotate_seed_claims(project, layer: str = "me") -> dict[str, list[int]]:
    """Store the seed claims of tests/data and their links; cluster -> span ids."""
    project.add_annotator(layer)
    ids = {doc.name: doc.id for doc in project.documents()}
    texts = project.texts(ids.values())
    clusters: dict[str, list[int]] = {}
    rows = [json.loads(line) for line in SEED_CLAIMS.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if "id" in row:
            doc = ids[row["document"]]
            assert texts[doc][row["start"]:row["end"]] == row["text"], row["id"]
            span = project.add_span(doc, layer, row["start"], row["end"], "CLAIM")
            clusters.setdefault(row["cluster"], []).append(span.id)
    for members in clusters.values():
        for a, b in zip(members, members[1:]):
            project.add_relation(layer, "SAME_AS", a, b)
    for row in rows:
        if "contradicts" in row:
            a, b = row["contradicts"]
            project.add_relation(layer, "CONTRADICTS", clusters[a][0], clusters[b][0])
    return clusters


def test_words_fold_harakat_tatweel_clitics_and_spelling_variants():
    assert words("والأميركيّة") == words("الأمريكية") == ["امريكيه"]
    assert words("للجيـــش") == ["جيش"]
    assert words("بحلول نهاية هذا العام") == ["بحلول", "نهايه", "عام"]


@pytest.mark.parametrize("text, expected", [
    ("نحو 5000 جندي", {5000}),
    ("يوجد ٢٥٠٠ جندي", {2500}),
    ("يوجد ۲۵۰۰ جندي", {2500}),
    ("خمسة آلاف جندي", {5000}),
    ("2,500 جندي", {2500}),
    ("في عام 2003", set()),
    ("في 31 ديسمبر المقبل", set()),
    # Half a million is 500,000, not the million it stands before.
    ("لتزويد العراق بنصف مليون جرعة", {500000}),
    ("نصف مليون", {500000}),
    ("ربع مليون دولار", {250000}),
    ("مليون ونصف", {1500000}),
    ("2 مليون ونصف", {2500000}),
    ("مليون دولار", {1000000}),
    ("في الربع الأخير", set()),
])
def test_numbers_read_every_digit_script_and_number_words(text, expected):
    assert numbers(text) == expected


def test_time_markers_end_of_year_and_years():
    assert time_markers("بحلول نهاية 2021") == {"end-of-year", "year:2021"}
    assert time_markers("في 31 كانون الأول/ ديسمبر") == {"end-of-year"}
    assert time_markers("لمدة ثلاث سنوات مقبلة") == {"years:3"}


def test_clusters_join_same_as_and_carry_contradictions(seeded_project):
    clusters = annotate_seed_claims(seeded_project)
    result = cluster_claims(seeded_project, "me")
    by_first = {c.id: c for c in result}
    end_of_year = by_first[min(clusters["end-of-year"])]
    assert sorted(m.span_id for m in end_of_year.members) == sorted(clusters["end-of-year"])
    assert end_of_year.contradicts == {min(clusters["three-years"])}
    assert len(result) == len(clusters)
    assert end_of_year.members[0].document_title.startswith("السبت")


def test_speaker_and_date_come_from_relations(seeded_project):
    project = seeded_project
    project.add_annotator("me")
    doc = project.documents()[0].id
    text = project.texts([doc])[doc]
    claim_text = "القوات الأمريكية ستنهي مهمتها القتالية في العراق بحلول نهاية هذا العام"
    start = text.find(claim_text)
    claim = project.add_span(doc, "me", start, start + len(claim_text), "CLAIM")
    who = text.find("الرئيس", start - 20)
    speaker = project.add_span(doc, "me", who, who + len("الرئيس"), "ENTITY")
    when = text.find("نهاية هذا العام")
    date = project.add_span(doc, "me", when, when + len("نهاية هذا العام"), "DATE",
                            {"value": "2021-12-31"})
    project.add_relation("me", "SPEAKER", claim.id, speaker.id)
    project.add_relation("me", "TIME", claim.id, date.id)
    [loaded] = [c for c in load_claims(project, "me") if c.span_id == claim.id]
    assert loaded.speakers == ("الرئيس",)
    assert loaded.dates == ("2021-12-31",)


def _claim(span_id, doc, text, dates=()):
    from annotator.core.claims.clusters import Claim
    return Claim(span_id, doc, f"doc {doc}", 0, len(text), text, (), tuple(dates))


def test_index_is_updated_by_add_and_remove():
    index = ClaimIndex([_claim(1, 1, "يوجد 2500 جندي أمريكي في العراق"),
                        _claim(2, 2, "ويوجد 2500 جندي أميركي في العراق")])
    assert [c.claim.span_id for c in index.similar(1)] == [2]
    index.remove(2)
    assert index.similar(1) == []
    index.add(_claim(3, 3, "يوجد الآن 2500 جندي أمريكي"))
    [candidate] = index.similar(1)
    assert candidate.claim.span_id == 3
    assert candidate.shared_words == ["يوجد", "2500", "جندي", "امريكي"]
    assert 2 not in index and len(index) == 2


def test_candidates_skip_the_same_document_and_rank_word_order_changes_first():
    index = ClaimIndex([_claim(1, 1, "الجيش العراقي يتلقى التدريب"),
                        _claim(2, 1, "الجيش العراقي يتلقى التدريب"),
                        _claim(3, 2, "التدريب يتلقاه الجيش العراقي"),
                        _claim(4, 3, "الانتخابات في أكتوبر")])
    ranked = index.similar(1)
    assert ranked[0].claim.span_id == 3
    assert 2 not in [c.claim.span_id for c in ranked]


def test_hints_for_numbers_and_time_dates():
    index = ClaimIndex([_claim(1, 1, "يوجد 2500 جندي أمريكي في العراق"),
                        _claim(2, 2, "يوجد خمسة آلاف جندي أمريكي في العراق"),
                        _claim(3, 3, "تنتهي المهمة في العراق", dates=["2021-12-31"]),
                        _claim(4, 4, "تنتهي المهمة في العراق", dates=["2024-12-31"]),
                        _claim(5, 5, "يوجد 2500 جندي في العراق")])
    hints = {c.claim.span_id: c.hints for c in index.similar(1)}
    assert hints[2] == ["numbers differ: 2500 / 5000"]
    assert hints[5] == []
    [first] = index.similar(3, top=1)
    assert first.claim.span_id == 4
    assert first.hints == ["dates differ: date:2021-12-31 / date:2024-12-31"]


def test_seed_claims_with_a_same_claim_elsewhere_are_in_the_top_5(seeded_project):
    clusters = annotate_seed_claims(seeded_project)
    cluster_of = {span: name for name, members in clusters.items() for span in members}
    scores = retrieval_scores(ClaimIndex(load_claims(seeded_project, "me")), cluster_of, k=5)
    assert scores.queries == 26
    assert scores.misses == ()
    assert scores.recall_at_k == 1.0
    assert scores.mrr > 0.95


def test_seed_contradictions_are_hinted(seeded_project):
    clusters = annotate_seed_claims(seeded_project)
    index = ClaimIndex(load_claims(seeded_project, "me"))

    def hinted(query: int, others: list[int], kind: str) -> bool:
        return any(c.claim.span_id in others and any(h.startswith(kind) for h in c.hints)
                   for c in index.similar(query, top=10))

    assert hinted(clusters["5000"][0], clusters["2500"], "numbers differ")
    for three_years in clusters["three-years"]:
        assert hinted(three_years, clusters["end-of-year"], "dates differ")
