"""Four-annotator brat projects, imported with the brat importer and checked
against independent figures: counts made here straight from the .ann files,
the reference packages, and (for the CoNLL 2002 Spanish project shipped with
bratiaa, when ../shared/testdata is there) bratiaa's published report."""

from __future__ import annotations

import itertools
import statistics
import warnings
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.core.review.agreement import agreement
from annotator.core.formats.imports.dispatch import import_annotations
from annotator.core.store import Project
from tests.conftest import DataSet

LABELS = ["LOC", "MISC", "ORG", "PER"]

# bratiaa's published instance-based F1 report for the shared project
# (kldtz/bratiaa, example-files/instance-agreement-report.md): exact span
# match, mean and population SD over the six pairs. Its per-document table
# lists the values in sorted-name order under names in directory order, so
# the pairs below are keyed by the sorted names.
BRATIAA_LABELS = {"LOC": (0.819, 0.131), "MISC": (0.840, 0.090), "ORG": (0.906, 0.053),
                  "PER": (0.938, 0.039)}
BRATIAA_OVERALL = (0.890, 0.053)
BRATIAA_DOCUMENTS = [0.798, 0.894, 0.906, 0.906, 0.936, 0.907, 0.873]


@pytest.fixture
def brat_project(project: Project, testdata: DataSet) -> Project:
    report = import_annotations(project, "brat", [testdata / "brat-4-annotators"], add_labels=True)
    assert report.spans_added == testdata.brat_spans
    return project


def _ann_spans(folder: Path, label: str | None) -> set[tuple[str, str, str, str]]:
    """(document, label, raw offsets, text) of every T line: an exact match
    is the same offsets and label in the same document."""
    found = set()
    for ann in folder.glob("*.ann"):
        for line in ann.read_text(encoding="utf-8").splitlines():
            _, middle, text = line.split("\t")
            kind, offsets = middle.split(" ", 1)
            if label is None or kind == label:
                found.add((ann.stem, kind, offsets, text))
    return found


def test_exact_f1_matches_counts_made_from_the_ann_files(brat_project: Project, testdata: DataSet) -> None:
    report = agreement(brat_project)
    names = list(testdata.brat_annotators)
    assert report.annotators == names
    assert all(pair.documents == testdata.brat_documents for pair in report.pairs)
    assert len(report.pairs) == 6
    mean, std = report.mean(), report.std()
    root = testdata / "brat-4-annotators"
    for label in [*LABELS, None]:
        scores = []
        for a, b in itertools.combinations(names, 2):
            spans_a, spans_b = _ann_spans(root / a, label), _ann_spans(root / b, label)
            if spans_a or spans_b:
                scores.append(2 * len(spans_a & spans_b) / (len(spans_a) + len(spans_b)))
        key = label or "micro"
        assert mean[key]["exact_f1"] == pytest.approx(statistics.fmean(scores), abs=1e-12)
        assert std[key]["exact_f1"] == pytest.approx(statistics.pstdev(scores), abs=1e-12)
    if testdata.bratiaa:
        for label, (expected_mean, expected_std) in BRATIAA_LABELS.items():
            assert round(mean[label]["exact_f1"], 3) == expected_mean
            assert round(std[label]["exact_f1"], 3) == expected_std
        assert (round(mean["micro"]["exact_f1"], 3), round(std["micro"]["exact_f1"], 3)) == BRATIAA_OVERALL
        per_document = sorted(report.per_document, key=lambda d: d.name)
        assert [round(1 - d.disagreement, 3) for d in per_document] == BRATIAA_DOCUMENTS


def _vectors(project: Project, annotators: list[str], label: str) -> np.ndarray:
    rows = []
    for name in annotators:
        row: list[float] = []
        for doc in project.documents():
            text = project.document(doc.id).text
            inside = {i for s in project.spans(doc.id, name, label) for i in range(s.start, s.end)}
            row += [float(i in inside) for i, ch in enumerate(text) if not ch.isspace()]
        rows.append(row)
    return np.array(rows)


def test_kappa_and_alpha_match_the_reference_packages(brat_project: Project) -> None:
    report = agreement(brat_project)
    for label in LABELS:
        matrix = _vectors(brat_project, report.annotators, label)
        alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        assert report.alpha[label] == pytest.approx(alpha, abs=1e-9)
        for pair in report.pairs:
            a, b = (matrix[report.annotators.index(n)] for n in (pair.a, pair.b))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = cohen_kappa_score(a, b)
            assert pair.labels[label].kappa == pytest.approx(expected, abs=1e-9)


def test_overlap_f1_is_never_below_exact_f1(brat_project: Project) -> None:
    for pair in agreement(brat_project).pairs:
        for label in LABELS:
            counts = pair.labels[label]
            assert counts.exact <= counts.overlap <= min(counts.spans_a, counts.spans_b)
