"""Every export says in one line what its format cannot carry, with counts
(issue 9, item 7), and the README's table is the one the code uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.formats.exports.dispatch import EXPORT_FORMATS, export_project
from annotator.core.formats.exports.loss import CARRIES, PARTS
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions
from annotator.core.model import GOLD, NewDocument, NewSpan, Status
from annotator.core.store import Project
from tests.conftest import REPO

TEXT = "قال الرئيس إن الوفد زار بغداد في 5 مايو 2021."


@pytest.fixture
def rich(project: Project) -> Project:
    [doc] = project.add_documents([NewDocument("a", TEXT)])
    project.add_annotator("Lisa")
    at = TEXT.index
    project.add_spans([
        NewSpan(doc.id, GOLD, 0, len(TEXT) - 1, "CLAIM", note="تحقق"),
        NewSpan(doc.id, GOLD, at("بغداد"), at("بغداد") + 5, "ENTITY", {"type": "LOC", "unsure": True},
                provenance="Lisa"),
        NewSpan(doc.id, GOLD, at("5"), at("2021") + 4, "DATE", {"value": "2021-05-05"}, note="تاريخ"),
        NewSpan(doc.id, "Lisa", at("بغداد"), at("بغداد") + 5, "ENTITY"),
    ])
    project.set_status(doc.id, GOLD, Status.DONE)
    return project


@pytest.mark.parametrize("fmt, expected", [
    ("own", None),
    ("doccano", "doccano cannot carry: 3 attribute value(s) on 2 span(s), 2 note(s), 1 document "
                "status(es) other than todo, 1 gold provenance mark(s) (own JSONL keeps everything)"),
    ("labelstudio", "labelstudio cannot carry: 1 document status(es) other than todo, 1 gold provenance "
                    "mark(s) (own JSONL keeps everything)"),
    ("conll", "conll cannot carry: 3 attribute value(s) on 2 span(s), 2 note(s), the names of 2 layer(s) "
              "(one block per document and layer), 1 document status(es) other than todo, 1 gold "
              "provenance mark(s) (own JSONL keeps everything)"),
])
def test_export_summary_names_what_the_format_left_out(rich: Project, tmp_path: Path, fmt: str,
                                                       expected: str | None) -> None:
    report = export_project(rich, fmt, tmp_path / "out.data", ExportOptions(layer=ALL_LAYERS))
    assert report.lost == expected
    if expected:
        assert expected in report.summary().splitlines()


def test_the_readme_table_is_the_codes() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    header = "| format | " + " | ".join(PARTS) + " |"
    assert header in readme
    rows = readme.split(header, 1)[1].splitlines()[2:2 + len(CARRIES)]
    table = {cells[0]: dict(zip(PARTS, cells[1:]))
             for cells in ([c.strip() for c in row.strip("|").split("|")] for row in rows)}
    assert table == CARRIES
    assert set(CARRIES) == set(EXPORT_FORMATS)
