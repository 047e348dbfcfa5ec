"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
# ../shared/testdata beside the clone (CI puts shared/ next to the repo).
TESTDATA = REPO.parent / "shared" / "testdata"


@pytest.fixture
def project(tmp_path: Path):
    """A fresh, empty project file; closed after the test."""
    from annotator.core.store import Project

    with Project.open(tmp_path / "project.db") as proj:
        yield proj


@pytest.fixture
def seeded_project(project):
    """A project holding the five seed articles."""
    from annotator.core.importing import import_seeds

    import_seeds(project)
    return project


@pytest.fixture
def testdata() -> Path:
    if not TESTDATA.is_dir():
        # In CI shared/ is always beside the clone: a missing folder is a failure there.
        if os.environ.get("CI"):
            pytest.fail(f"shared test data not found at {TESTDATA}")
        pytest.skip(f"shared test data not found at {TESTDATA}")
    return TESTDATA
