"""The streamed agreement gives exactly the figures of the code it replaced.

The reference below is the agreement, scores-against-gold and relation code
as it was before streaming (issue 15), copied here unchanged: it reads the
whole project at once and walks each pair separately. Random projects
(hypothesis) with Arabic, emoji, harakat, tatweel, ZWNJ, NBSP and line
breaks, relations within and across documents, and batches of every size
must give the same numbers, float for float, and the CLI the same JSON text.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
from collections import defaultdict
from contextlib import redirect_stdout
from itertools import combinations
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.errors import ValidationError
from annotator.core.model import GOLD, NewDocument, NewSpan, Status
from annotator.core.review.agreement import (
    AgreementReport,
    AlphaAccumulator,
    DocumentAgreement,
    PairResult,
    active_annotators,
    agreement,
    load_documents,
    pair_counts,
    scores_against_gold,
)
from annotator.core.review.agreement_stream import stream_agreement
from annotator.core.review.ranges import coverage_histogram
from annotator.core.review.relation_agreement import (
    RelationAgreement,
    RelationCounts,
    RelationDocument,
    RelationPair,
    overlap_matching,
    relation_agreement,
    relation_key,
)
from annotator.core.store import Project

# Word characters, marks and every kind of space the units rule sees.
ALPHABET = ["ق", "ا", "ل", "م", "ن", "ب", "\u064e", "\u0651", "\u0640", "\u200c", "😀", "👍🏽",
            " ", " ", "\n", "\u00a0", "\t", "\u2029", ".", "x", "7"]
NAMES = ("amal", "badr", "carol", "dina")
LABELS = ("CLAIM", "ENTITY", "DATE")


# -- the reference: the code before streaming, unchanged ---------------------


def reference_compute_agreement(documents, annotators, labels) -> AgreementReport:
    from annotator.core.review.agreement import Counts

    annotators = sorted(annotators)
    pairs = {(a, b): PairResult(a, b, labels={label: Counts() for label in labels})
             for a, b in combinations(annotators, 2)}
    alphas = {label: AlphaAccumulator() for label in labels}
    per_document = []
    for doc in documents:
        present = [name for name in annotators if name in doc.annotated]
        doc_pairs = []
        for a, b in combinations(present, 2):
            result = PairResult(a, b, documents=1,
                                labels={label: pair_counts(doc, a, b, label) for label in labels})
            total = pairs[(a, b)]
            total.documents += 1
            for label, counts in result.labels.items():
                total.labels[label].add(counts)
            doc_pairs.append(result)
        doc_alpha = {}
        for label in labels:
            histogram = coverage_histogram([doc.of(name, label) for name in present], doc.chars)
            alphas[label].add(len(present), histogram)
            single = AlphaAccumulator()
            single.add(len(present), histogram)
            doc_alpha[label] = single.alpha
        per_document.append(DocumentAgreement(doc.id, doc.name, present, doc_pairs, doc_alpha))
    return AgreementReport(
        annotators=annotators, labels=list(labels), pairs=list(pairs.values()),
        alpha={label: acc.alpha for label, acc in alphas.items()}, per_document=per_document,
    )


def reference_agreement(project: Project, annotators=None) -> AgreementReport:
    names = list(annotators) if annotators is not None else active_annotators(project)
    labels = [tag.name for tag in project.tags()]
    return reference_compute_agreement(load_documents(project, names), names, labels)


def reference_compute_relations(keys, annotated, types, link_types=()) -> RelationAgreement:
    links = tuple(link_types)
    annotators = sorted(keys)
    by_doc = {name: defaultdict(list) for name in annotators}
    for name, found in keys.items():
        for key in found:
            by_doc[name][key[1][0]].append(key)
    pairs = []
    per_document = {}
    for a, b in combinations(annotators, 2):
        shared = annotated[a] & annotated[b]
        total = RelationPair(a, b, types={t: RelationCounts() for t in types}, link_types=links)
        for doc in sorted(shared):
            doc_pair = RelationPair(a, b, documents=1, types={t: RelationCounts() for t in types},
                                    link_types=links)
            for kind in types:
                ra = [k for k in by_doc[a].get(doc, []) if k[0] == kind and k[2][0] in shared]
                rb = [k for k in by_doc[b].get(doc, []) if k[0] == kind and k[2][0] in shared]
                counts = RelationCounts(len(ra), len(rb), len(set(ra) & set(rb)),
                                        overlap_matching(ra, rb))
                doc_pair.types[kind] = counts
                total.types[kind].add(counts)
            total.documents += 1
            entry = per_document.setdefault(doc, RelationDocument(doc, [], []))
            entry.pairs.append(doc_pair)
            for name in (a, b):
                if name not in entry.annotators:
                    entry.annotators.append(name)
        pairs.append(total)
    for entry in per_document.values():
        entry.annotators.sort()
    return RelationAgreement(annotators, list(types), pairs,
                             [per_document[d] for d in sorted(per_document)], links)


def reference_relations(project: Project, annotators=None) -> RelationAgreement:
    names = list(annotators) if annotators is not None else project.annotators()
    kinds = {kind.name: kind for kind in project.relation_types()}
    keys = {name: set() for name in names}
    for layer, kind, *ends in project.relation_ends(names):
        source, target = tuple(ends[:4]), tuple(ends[4:])
        keys[layer].add(relation_key(kind, kinds[kind].symmetric, source, target))
    annotated = {name: project.annotated_documents(name) for name in names}
    return reference_compute_relations(keys, annotated, list(kinds),
                                       [name for name, kind in kinds.items() if kind.cross_document])


def reference_cli_json(project: Project) -> str:
    """What `annotator agreement --json` printed before streaming."""
    report = reference_agreement(project)
    data = report.to_dict()
    data["against_gold"] = [result.to_dict() for result in scores_against_gold(project)]
    data["relations"] = reference_relations(project, report.annotators).to_dict()
    return json.dumps(data, ensure_ascii=False) + "\n"


# -- random projects -----------------------------------------------------------


def random_ranges(rng: random.Random, length: int) -> list[tuple[int, int]]:
    ranges, position = [], 0
    while True:
        position += rng.randint(0, 5)
        width = rng.randint(1, 6)
        if position + width > length:
            return ranges
        if rng.random() < 0.45:
            ranges.append((position, position + width))
        # Touching ranges (no gap) as well as gaps.
        position += width


def build(project: Project, seed: int) -> None:
    rng = random.Random(seed)
    names = NAMES[:rng.randint(2, 4)]
    for name in names:
        project.add_annotator(name)
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) + f"#{i}"
             for i in range(rng.randint(1, 7))]
    ids = [d.id for d in project.add_documents(NewDocument(f"d{i}", t) for i, t in enumerate(texts))]
    spans = []
    for doc, text in zip(ids, texts):
        copy_from: dict[str, list] = {}
        for layer in [*names, GOLD]:
            if rng.random() < 0.3:
                continue                            # this layer never touched the document
            for label in LABELS:
                if copy_from.get(label) and rng.random() < 0.4:
                    # Annotators agree part of the time, so figures spread.
                    found = list(rng.choice(copy_from[label]))
                else:
                    found = random_ranges(rng, len(text))
                copy_from.setdefault(label, []).append(found)
                spans.extend(NewSpan(doc, layer, s, e, label) for s, e in found)
            if rng.random() < 0.3:
                project.set_status(doc, layer, rng.choice([Status.DONE, Status.IN_PROGRESS]))
    # Span ids out of document order: a symmetric link is stored smaller id
    # first, so some are stored from the later document (merged projects).
    rng.shuffle(spans)
    project.add_spans(spans)
    by_layer: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for span in project.spans():
        by_layer[span.layer][span.label].append(span)
    wanted = {"SPEAKER": ("CLAIM", "ENTITY"), "TIME": ("CLAIM", "DATE"),
              "SAME_AS": ("CLAIM", "CLAIM"), "CONTRADICTS": ("CLAIM", "CLAIM")}
    for layer, found in sorted(by_layer.items()):
        for _ in range(rng.randint(0, 8)):
            kind = rng.choice(sorted(wanted))
            source_label, target_label = wanted[kind]
            if not found[source_label] or not found[target_label]:
                continue
            source, target = rng.choice(found[source_label]), rng.choice(found[target_label])
            try:
                project.add_relation(layer, kind, source.id, target.id)
            except ValidationError:
                pass                                # the same span twice, or a duplicate


def fresh_project(folder: Path, seed: int) -> Project:
    project = Project.open(folder / f"p{seed}.db")
    build(project, seed)
    return project


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), batch=st.integers(1, 4))
def test_streamed_figures_equal_the_whole_project_figures(seed: int, batch: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with fresh_project(Path(folder), seed) as project:
            expected = reference_agreement(project).to_dict()
            streamed = stream_agreement(project, keep_documents=True, batch=batch)
            assert streamed.report.to_dict() == expected
            assert agreement(project).to_dict() == expected
            assert ([r.to_dict() for r in streamed.against_gold]
                    == [r.to_dict() for r in scores_against_gold(project)])
            relations = reference_relations(project, expected["annotators"]).to_dict()
            assert streamed.relations.to_dict() == relations
            assert relation_agreement(project, expected["annotators"]).to_dict() == relations
            # Every annotator named, an empty one included.
            everyone = project.annotators()
            assert agreement(project, everyone).to_dict() == reference_agreement(project, everyone).to_dict()


def test_the_random_projects_hold_what_the_comparison_needs(tmp_path: Path) -> None:
    """The generator makes gold, relations across documents and undefined
    figures, so the comparison above covers them."""
    seen = set()
    for seed in range(40):
        with fresh_project(tmp_path, seed) as project:
            kinds = {r.type for r in project.relations()}
            report = reference_agreement(project)
            if kinds & {"SAME_AS", "CONTRADICTS"}:
                seen.add("link")
            for layer, kind, *ends in project.relation_ends(project.annotators()):
                if kind in ("SAME_AS", "CONTRADICTS") and ends[0] > ends[4]:
                    seen.add("link stored from the later document")
                others = [n for n in report.annotators if n != layer]
                if ends[0] != ends[4] and any(
                        ends[0] in project.annotated_documents(n)
                        and ends[4] not in project.annotated_documents(n) for n in others):
                    seen.add("link to a document the other did not annotate")
            if "SPEAKER" in kinds or "TIME" in kinds:
                seen.add("relation")
            if scores_against_gold(project):
                seen.add("gold")
            if any(v is None for v in report.alpha.values()):
                seen.add("undefined alpha")
            if any(v is not None for v in report.alpha.values()):
                seen.add("alpha")
            if len(report.per_document) >= 3:
                seen.add("several documents")
    assert seen == {"link", "relation", "gold", "undefined alpha", "alpha", "several documents",
                    "link stored from the later document",
                    "link to a document the other did not annotate"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32))
def test_cli_json_is_the_same_text(seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with fresh_project(Path(folder), seed) as project:
            expected = reference_cli_json(project)
            path = project.path
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["agreement", "--json", "--db", str(path)]) == 0
        assert out.getvalue() == expected


def test_cli_table_lists_the_worst_documents_first_ties_in_order(tmp_path: Path) -> None:
    project = Project.open(tmp_path / "p.db")
    project.add_annotator("amal")
    project.add_annotator("badr")
    ids = [d.id for d in project.add_documents(NewDocument(f"d{i}", f"نص رقم {i}") for i in range(20))]
    for number, doc in enumerate(ids):
        project.add_span(doc, "amal", 0, 2, "ENTITY")
        # Even documents agree; odd ones disagree completely (all tie at 1.000).
        project.add_span(doc, "badr", 0, 2 if number % 2 == 0 else 1, "ENTITY")
    project.close()
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["agreement", "--db", str(tmp_path / "p.db")]) == 0
    lines = out.getvalue().splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Documents by disagreement"))
    assert lines[head].endswith("top 15 of 20")
    listed = [int(line.split()[0]) for line in lines[head + 2:head + 17]]
    odd, even = ids[1::2], ids[0::2]
    assert listed == odd + even[:5]
