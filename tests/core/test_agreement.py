"""Agreement figures on small hand-checked cases, and on a real project file."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from annotator.core.review.agreement import (
    Counts,
    DocumentLayers,
    agreement,
    compute_agreement,
    scores_against_gold,
)
from annotator.core.review.ranges import (
    CharCounter,
    coverage_histogram,
    overlap_matches,
    shared_units,
)
from annotator.core.model import GOLD, NewDocument, Status
from annotator.core.store import Project


def doc(text: str, **layers: dict[str, list[tuple[int, int]]]) -> DocumentLayers:
    return DocumentLayers(0, "d", CharCounter(text), frozenset(layers), layers)


# -- intervals ---------------------------------------------------------------


def test_char_counter_skips_every_kind_of_whitespace() -> None:
    text = "ab c\u00a0d\ne\u2028f\tg"
    counter = CharCounter(text)
    assert counter.total == sum(not ch.isspace() for ch in text) == 7
    assert counter.count(1, 5) == 2  # "b c\u00a0" -> b, c
    assert counter.count(5, 5) == 0


@pytest.mark.parametrize("text", ["😀 قالَ\u00a0x\n", "a\x00 b\u3000c", "", "   "])
def test_char_counter_agrees_with_isspace_on_any_text(text: str) -> None:
    # BMP-only texts take the translate table, texts with emoji the regex path.
    counter = CharCounter(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert counter.count(start, end) == sum(not ch.isspace() for ch in text[start:end])


def _disjoint_ranges(draw, limit: int = 40) -> list[tuple[int, int]]:
    cuts = sorted(draw(st.sets(st.integers(0, limit), max_size=12)))
    pairs = list(zip(cuts[::2], cuts[1::2]))
    return [(s, e) for s, e in pairs if s < e]


@st.composite
def two_layers(draw):
    return _disjoint_ranges(draw), _disjoint_ranges(draw)


def _maximum_matching(a, b) -> int:
    """Textbook augmenting paths, for checking the linear-time greedy."""
    partner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, (s, e) in enumerate(b):
            if j not in seen and a[i][0] < e and s < a[i][1]:
                seen.add(j)
                if j not in partner or augment(partner[j], seen):
                    partner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(a)))


# The generator never makes touching ranges ([0, 2) then [2, 4)): the
# examples do, on both sides and across them.
TOUCHING = (
    ([(0, 2), (2, 4), (4, 6)], [(1, 3), (3, 5)]),
    ([(0, 2), (2, 4)], [(2, 4), (4, 6)]),
    ([(0, 3), (3, 4), (4, 9)], [(0, 3), (3, 4), (4, 9)]),
    ([(1, 2), (2, 3), (3, 4), (4, 5)], [(0, 10)]),
    ([(0, 10)], [(1, 2), (2, 3), (3, 4), (4, 5)]),
)


def _with_touching(test):
    for a, b in TOUCHING:
        test = example((a, b))(test)
    return test


@_with_touching
@given(two_layers())
def test_greedy_overlap_matching_is_maximum(layers) -> None:
    a, b = layers
    assert overlap_matches(a, b) == _maximum_matching(a, b)


def test_touching_ranges_do_not_overlap() -> None:
    assert overlap_matches([(0, 2), (2, 4)], [(2, 4), (4, 6)]) == 1
    assert overlap_matches([(0, 2)], [(2, 4)]) == 0
    assert overlap_matches([(1, 2), (2, 3), (3, 4)], [(0, 10)]) == 1


SHARED_TEXT = "ab cd\u00a0ef\ngh ij kl mn op qr st uv wx yz 01 23 45 67"


@_with_touching
@given(two_layers())
def test_shared_units_count_the_non_space_positions_both_cover(layers) -> None:
    a, b = layers
    inside = lambda ranges: {i for s, e in ranges for i in range(s, e)}  # noqa: E731
    expected = sum(not SHARED_TEXT[i].isspace() for i in inside(a) & inside(b))
    assert shared_units(a, b, CharCounter(SHARED_TEXT)) == expected


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 10)), max_size=5))
def test_coverage_histogram_counts_each_position_by_depth(raw) -> None:
    text = "ab cd\nef gh ij kl mn op qr st uv wx yz"
    layers = [[(s, min(s + n, len(text)))] for s, n in raw if s < len(text)]
    histogram = coverage_histogram(layers, CharCounter(text))
    expected = {}
    for i, ch in enumerate(text):
        if not ch.isspace():
            depth = sum(s <= i < e for [(s, e)] in layers)
            expected[depth] = expected.get(depth, 0) + 1
    assert {k: v for k, v in histogram.items() if v} == expected


# -- pairwise definitions ----------------------------------------------------


def test_exact_and_overlap_f1_follow_the_stated_formula() -> None:
    text = "one two three four five six seven"
    a = {"L": [(0, 3), (4, 7), (14, 18)]}
    b = {"L": [(0, 3), (4, 13), (24, 27)]}
    report = compute_agreement([doc(text, a=a, b=b)], ["a", "b"], ["L"])
    counts = report.pair("a", "b").labels["L"]
    assert (counts.spans_a, counts.spans_b, counts.exact, counts.overlap) == (3, 3, 1, 2)
    assert counts.exact_f1 == pytest.approx(2 * 1 / 6)
    assert counts.overlap_f1 == pytest.approx(2 * 2 / 6)


def test_overlap_is_one_to_one() -> None:
    # One long span against two short ones inside it: one match, not two.
    text = "x" * 20
    report = compute_agreement([doc(text, a={"L": [(0, 20)]}, b={"L": [(0, 5), (10, 15)]})],
                               ["a", "b"], ["L"])
    counts = report.pair("a", "b").labels["L"]
    assert counts.overlap == 1
    assert counts.overlap_f1 == pytest.approx(2 / 3)


def test_labels_must_agree_and_micro_pools_them() -> None:
    text = "alpha beta gamma"
    a = {"X": [(0, 5)], "Y": [(6, 10)]}
    b = {"Y": [(0, 5)], "X": []}
    report = compute_agreement([doc(text, a=a, b=b)], ["a", "b"], ["X", "Y"])
    figures = report.pair("a", "b").figures()
    assert figures["X"]["exact_f1"] == 0.0
    assert figures["Y"]["overlap_f1"] == 0.0
    assert figures["micro"] == {"exact_f1": 0.0, "overlap_f1": 0.0}


def test_kappa_counts_only_non_whitespace_characters() -> None:
    # a covers "ab", b covers "ab cd": the space between is not a unit.
    text = "ab cd ef"
    report = compute_agreement([doc(text, a={"L": [(0, 2)]}, b={"L": [(0, 5)]})], ["a", "b"], ["L"])
    counts = report.pair("a", "b").labels["L"]
    assert (counts.both, counts.only_a, counts.only_b, counts.neither) == (2, 0, 2, 2)
    # p_o = 4/6, p_e = (2/6)(4/6) + (4/6)(2/6) = 16/36 -> kappa = (24/36 - 16/36) / (20/36)
    assert counts.kappa == pytest.approx(0.4)


def test_undefined_figures_are_none_not_zero() -> None:
    empty = Counts(neither=10)
    assert empty.exact_f1 is None and empty.overlap_f1 is None and empty.kappa is None
    report = compute_agreement([doc("abc", a={}, b={})], ["a", "b"], ["L"])
    assert report.alpha["L"] is None
    assert report.mean()["L"]["exact_f1"] is None


def test_mean_and_std_are_over_pairs_with_a_defined_figure() -> None:
    text = "aa bb cc dd"
    layers = {"a": {"L": [(0, 2)]}, "b": {"L": [(0, 2)]}, "c": {"L": [(3, 5)]}}
    report = compute_agreement([doc(text, **layers)], ["a", "b", "c"], ["L"])
    f1 = {(p.a, p.b): p.labels["L"].exact_f1 for p in report.pairs}
    assert f1 == {("a", "b"): 1.0, ("a", "c"): 0.0, ("b", "c"): 0.0}
    assert report.mean()["L"]["exact_f1"] == pytest.approx(1 / 3)
    assert report.std()["L"]["exact_f1"] == pytest.approx((2 / 9) ** 0.5)  # population std


def test_perfect_agreement_gives_one_everywhere() -> None:
    text = "one two three"
    same = {"L": [(0, 3), (8, 13)]}
    report = compute_agreement([doc(text, a=same, b=same, c=same)], ["a", "b", "c"], ["L"])
    for pair in report.pairs:
        assert pair.figures()["L"] == {"exact_f1": 1.0, "overlap_f1": 1.0, "kappa": 1.0}
    assert report.alpha["L"] == pytest.approx(1.0)
    assert report.per_document[0].disagreement == 0.0


# -- on a project ------------------------------------------------------------


@pytest.fixture
def three_docs(project: Project) -> Project:
    texts = ["قال الرئيس إن القوات ستنسحب", "أعلنت الوزارة أمس عن خطة جديدة", "لا شيء هنا بعد"]
    project.add_documents([NewDocument(f"d{i}", t) for i, t in enumerate(texts)])
    for name in ("lina", "omar", "sara"):
        project.add_annotator(name)
    return project


def test_annotated_means_done_or_has_a_span(three_docs: Project) -> None:
    p = three_docs
    d0, d1, d2 = (d.id for d in p.documents())
    p.add_span(d0, "lina", 4, 10, "ENTITY")
    p.add_span(d0, "omar", 4, 10, "ENTITY")
    p.set_status(d1, "lina", Status.DONE)          # done with no span: annotated
    p.add_span(d1, "omar", 6, 13, "ENTITY")
    p.set_status(d2, "lina", Status.IN_PROGRESS)   # neither done nor spans: not annotated
    p.set_status(d2, "omar", Status.DONE)
    report = agreement(p)
    pair = report.pair("lina", "omar")
    assert pair.documents == 2
    assert pair.labels["ENTITY"].exact_f1 == pytest.approx(2 * 1 / 3)
    # sara annotated nothing: left out unless asked for by name.
    assert report.annotators == ["lina", "omar"]
    assert agreement(p, ["lina", "omar", "sara"]).pair("lina", "sara").documents == 0
    assert [d.document_id for d in report.per_document] == [d0, d1]
    assert report.per_document[0].annotators == ["lina", "omar"]
    assert report.per_document[1].disagreement == pytest.approx(1.0)


def test_gold_is_never_an_annotator_but_can_be_scored_against(three_docs: Project) -> None:
    p = three_docs
    d0 = p.documents()[0].id
    p.add_span(d0, "lina", 4, 10, "ENTITY")
    p.add_span(d0, "omar", 0, 3, "CLAIM")
    p.add_span(d0, GOLD, 4, 10, "ENTITY", provenance="lina")
    report = agreement(p)
    assert GOLD not in report.annotators
    scores = {r.a: r for r in scores_against_gold(p)}
    assert set(scores) == {"lina", "omar"}
    assert scores["lina"].micro.exact_f1 == 1.0
    assert scores["omar"].micro.exact_f1 == 0.0


def test_json_shape_matches_the_issue(three_docs: Project) -> None:
    p = three_docs
    d0 = p.documents()[0].id
    p.add_span(d0, "lina", 4, 10, "ENTITY")
    p.add_span(d0, "omar", 4, 10, "ENTITY")
    data = agreement(p).to_dict()
    assert data["annotators"] == ["lina", "omar"]  # sara annotated nothing
    pair = data["pairs"][0]
    assert set(pair) == {"a", "b", "documents", "labels"}
    assert set(pair["labels"]) == {"CLAIM", "ENTITY", "DATE", "micro"}
    assert set(pair["labels"]["ENTITY"]) == {"exact_f1", "overlap_f1", "kappa"}
    assert set(pair["labels"]["micro"]) == {"exact_f1", "overlap_f1"}
    assert set(data["mean"]) == set(pair["labels"])
    assert set(data["alpha"]) == {"CLAIM", "ENTITY", "DATE"}
    assert data["per_document"][0]["pairs"][0]["labels"]["ENTITY"]["exact_f1"] == 1.0


def test_an_empty_layer_is_not_an_annotator(three_docs: Project) -> None:
    """A reviewer's layer (or any with no span and no status) adds no row of "-"."""
    p = three_docs
    d0 = p.documents()[0].id
    p.add_span(d0, "lina", 4, 10, "ENTITY")
    p.add_span(d0, "omar", 4, 10, "ENTITY")
    p.set_status(d0, "sara", Status.DONE)
    p.add_annotator("reviewer")
    report = agreement(p)
    assert report.annotators == ["lina", "omar", "sara"]
    assert len(report.pairs) == 3
