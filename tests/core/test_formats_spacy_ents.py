"""spaCy DocBin: ENTITY and DATE spans also in doc.ents, so an ``ner`` pipe
and ``spacy debug data`` see them; overlapping ones stay in doc.spans only
and are counted (issue 9)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.formats.exports.dispatch import FormatOptions, export_project
from annotator.core.model import GOLD, NewDocument, NewSpan
from annotator.core.store import Project

spacy = pytest.importorskip("spacy")  # a dependency of the dev extra: always there in the suite

TEXT = "قال الرئيس برهم صالح في بغداد يوم 22 تموز 2021 إن الوفد 😀 وصل."


@pytest.fixture
def with_entities(project: Project) -> Project:
    [doc] = project.add_documents([NewDocument("a", TEXT)])
    at = TEXT.index
    project.add_spans([
        NewSpan(doc.id, GOLD, 0, at("إن") - 1, "CLAIM"),
        NewSpan(doc.id, GOLD, at("برهم"), at("صالح") + 4, "ENTITY", {"type": "PER"}),
        NewSpan(doc.id, GOLD, at("بغداد"), at("بغداد") + 5, "ENTITY", {"type": "LOC"}),
        NewSpan(doc.id, GOLD, at("22"), at("2021") + 4, "DATE", {"value": "2021-07-22"}),
        NewSpan(doc.id, GOLD, at("22"), at("تموز") + 4, "ENTITY"),  # inside the date: not an ent
    ])
    return project


def _docs(path: Path):
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("ar").vocab))


@pytest.mark.parametrize("ents_label, labels", [
    ("label", ["ENTITY", "ENTITY", "DATE"]),
    ("type", ["PER", "LOC", "DATE"]),
])
def test_entities_and_dates_go_to_doc_ents(with_entities: Project, tmp_path: Path, ents_label: str,
                                          labels: list[str]) -> None:
    report = export_project(with_entities, "spacy", tmp_path / "x.spacy",
                            format_options=FormatOptions(ents_label=ents_label))
    [doc] = _docs(tmp_path / "x.spacy")
    assert [(e.text, e.label_) for e in doc.ents] == list(zip(["برهم صالح", "بغداد", "22 تموز 2021"],
                                                              labels))
    assert len(doc.spans["entity_date"]) == 4 and len(doc.spans["claim"]) == 1
    assert "overlapping another entity (in doc.spans only, not doc.ents): ENTITY 1" in report.summary()


def test_spacy_debug_data_reports_the_ner_labels(with_entities: Project, tmp_path: Path) -> None:
    export_project(with_entities, "spacy", tmp_path / "train.spacy",
                   format_options=FormatOptions(ents_label="type"))
    config = tmp_path / "config.cfg"
    made = subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(config), "--lang", "ar",
                           "--pipeline", "ner"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    out = subprocess.run([sys.executable, "-m", "spacy", "debug", "data", str(config), "--verbose",
                          "--paths.train", str(tmp_path / "train.spacy"),
                          "--paths.dev", str(tmp_path / "train.spacy")], capture_output=True, text=True)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout)
    # One document is too few to train on (an error of debug data); the labels are what matter.
    assert "Corpus is loadable" in plain, plain
    assert "Labels in train data: 'PER' (1), 'LOC' (1), 'DATE' (1)" in plain, plain
