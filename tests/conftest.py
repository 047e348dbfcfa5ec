"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
# Files in other tools' formats that ship with the repository (tests/data/README.md).
LOCAL_TESTDATA = REPO / "tests" / "data"
# Real files from other projects, ../shared/testdata beside the clone (CI puts
# shared/ next to the repo). Used as well when present; ANNOTATOR_NO_SHARED=1
# hides them, to check that the repository alone passes.
SHARED_TESTDATA = REPO.parent / "shared" / "testdata"


@dataclass(frozen=True)
class DataSet:
    """A folder of test files with what the tests expect of it: the same
    tests run on the repository's files and on the shared real ones."""

    root: Path
    brat_annotators: tuple[str, ...]
    brat_documents: int
    brat_labels: tuple[str, ...]
    brat_layer_counts: str  # as the import summary prints them
    doccano_export: tuple[tuple[str, str], ...]  # (text, label) of export_example.jsonl, sorted
    conll_texts: tuple[str, ...]
    conll_spans: tuple[tuple[str, str], ...]
    bratiaa: bool = False  # bratiaa's published agreement report is about these files

    def __truediv__(self, other: str) -> Path:
        return self.root / other

    @property
    def brat_spans(self) -> int:
        return sum(int(part.rsplit(" ", 1)[1]) for part in self.brat_layer_counts.split(", "))


LOCAL = DataSet(
    LOCAL_TESTDATA, ("Amal", "Badr", "Dina", "Fadi"), 3, ("PER", "ORG", "LOC", "MISC"),
    "Amal 11, Badr 10, Dina 11, Fadi 11",
    (("ألمانية", "MISC"), ("الاتحاد الأوروبي", "ORG"), ("برهم صالح", "PERSON"), ("فؤاد حسين", "PERSON")),
    ("اليابان تفوز", "نديم لادقي"), (("اليابان", "LOC"), ("نديم لادقي", "PER")),
)
SHARED = DataSet(
    SHARED_TESTDATA, ("Lisa", "Maria", "Max", "Peter"), 7, ("ORG", "PER", "LOC", "MISC"),
    "Lisa 404, Maria 404, Max 358, Peter 401",
    (("EU", "ORG"), ("German", "MISC"), ("Obama", "PERSON"), ("Peter Blackburn", "PERSON")),
    ("JAPAN GET", "Nadim Ladki"), (("JAPAN", "LOC"), ("Nadim Ladki", "PER")), bratiaa=True,
)


def _data_sets() -> list[DataSet]:
    if SHARED_TESTDATA.is_dir() and not os.environ.get("ANNOTATOR_NO_SHARED"):
        return [LOCAL, SHARED]
    return [LOCAL]


@pytest.fixture
def project(tmp_path: Path):
    """A fresh, empty project file; closed after the test."""
    from annotator.core.store import Project

    with Project.open(tmp_path / "project.db") as proj:
        yield proj


@pytest.fixture
def seeded_project(project):
    """A project holding the five seed articles."""
    from annotator.core.formats.imports.plain_text import import_seeds

    import_seeds(project)
    return project


@pytest.fixture(params=_data_sets(), ids=lambda d: "shared" if d is SHARED else "local")
def testdata(request) -> DataSet:
    """Each data set in turn: the repository's own, then the shared real files."""
    return request.param
