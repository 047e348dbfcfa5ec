"""Kappa and alpha checked against scikit-learn and the krippendorff package
on randomised projects: the figures are computed from interval arithmetic,
the references from explicit per-character vectors."""

from __future__ import annotations

import math
import random
import warnings

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.core.review.agreement import DocumentLayers, compute_agreement
from annotator.core.review.ranges import CharCounter

NAMES = ["a", "b", "c", "d"]
LABELS = ["X", "Y"]
ALPHABET = "ابتثجحخ ـً\n\u00a0xy\t"


def random_ranges(rng: random.Random, length: int) -> list[tuple[int, int]]:
    ranges, position = [], 0
    while True:
        position += rng.randint(0, 6)
        width = rng.randint(1, 7)
        if position + width > length:
            return ranges
        if rng.random() < 0.5:
            ranges.append((position, position + width))
        position += width


def random_corpus(seed: int) -> tuple[list[DocumentLayers], dict[int, str]]:
    rng = random.Random(seed)
    docs, texts = [], {}
    for doc_id in range(rng.randint(1, 6)):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 80)))
        annotated = frozenset(n for n in NAMES if rng.random() < 0.75)
        ranges = {}
        for name in annotated:
            # Annotators copy each other part of the time, so figures spread over [-1, 1].
            base = rng.choice([n for n in ranges] or [None])
            if base and rng.random() < 0.4:
                ranges[name] = {label: list(r) for label, r in ranges[base].items()}
            else:
                ranges[name] = {label: random_ranges(rng, len(text)) for label in LABELS}
        docs.append(DocumentLayers(doc_id, str(doc_id), CharCounter(text), annotated, ranges))
        texts[doc_id] = text
    return docs, texts


def unit_values(doc: DocumentLayers, text: str, name: str, label: str) -> list[float]:
    if name not in doc.annotated:
        return [math.nan] * doc.chars.total
    inside = {i for s, e in doc.of(name, label) for i in range(s, e)}
    return [float(i in inside) for i, ch in enumerate(text) if not ch.isspace()]


def reference_kappa(a: list[float], b: list[float]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate inputs warn before returning nan
        return float(cohen_kappa_score(a, b))


@pytest.mark.parametrize("seed", range(60))
def test_kappa_matches_scikit_learn(seed: int) -> None:
    docs, texts = random_corpus(seed)
    report = compute_agreement(docs, NAMES, LABELS)
    for pair in report.pairs:
        shared = [d for d in docs if pair.a in d.annotated and pair.b in d.annotated]
        assert pair.documents == len(shared)
        for label in LABELS:
            a = [v for d in shared for v in unit_values(d, texts[d.id], pair.a, label)]
            b = [v for d in shared for v in unit_values(d, texts[d.id], pair.b, label)]
            ours = pair.labels[label].kappa
            expected = reference_kappa(a, b) if a else math.nan
            if ours is None:
                assert math.isnan(expected) or len(set(a) | set(b)) == 1
            else:
                assert ours == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(60))
def test_alpha_matches_the_krippendorff_package(seed: int) -> None:
    docs, texts = random_corpus(seed)
    report = compute_agreement(docs, NAMES, LABELS)
    for label in LABELS:
        matrix = np.array([[v for d in docs for v in unit_values(d, texts[d.id], name, label)]
                           for name in NAMES])
        pairable = matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]
        values = set(pairable[~np.isnan(pairable)].tolist())
        ours = report.alpha[label]
        if len(values) < 2:
            # The package refuses a one-value domain; we call alpha undefined.
            assert ours is None
            continue
        expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        assert ours == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_per_document_alpha_matches_the_package(seed: int) -> None:
    docs, texts = random_corpus(seed)
    report = compute_agreement(docs, NAMES, LABELS)
    for doc, result in zip(docs, report.per_document):
        for label in LABELS:
            matrix = np.array([unit_values(doc, texts[doc.id], n, label) for n in NAMES])
            known = matrix[~np.isnan(matrix)]
            if len(doc.annotated) < 2 or len(set(known.tolist())) < 2:
                assert result.alpha[label] is None
                continue
            expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
            assert result.alpha[label] == pytest.approx(expected, abs=1e-9)
