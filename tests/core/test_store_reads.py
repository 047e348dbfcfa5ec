"""The store's reads for agreement and review, and the rule that only the
store runs SQL (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

from annotator.core.model import GOLD, NewDocument, NewSpan, Status
from annotator.core.store import Project

ROOT = Path(__file__).resolve().parents[2] / "annotator"
TEXTS = ["نص أول 😀 هنا", "نصٌّ ثانٍ\u200cهنا", "ثالث"]


def _project(project: Project) -> list[int]:
    project.add_annotator("lina")
    project.add_annotator("omar")
    ids = [d.id for d in project.add_documents([NewDocument(f"d{i}", t) for i, t in enumerate(TEXTS)])]
    project.add_spans([
        NewSpan(ids[0], "lina", 0, 2, "ENTITY"),
        NewSpan(ids[0], "omar", 3, 6, "CLAIM"),
        NewSpan(ids[1], GOLD, 0, len(TEXTS[1]), "CLAIM"),  # ends at the last character
    ])
    return ids


def test_annotated_means_done_or_holding_a_span(project: Project) -> None:
    ids = _project(project)
    project.set_status(ids[1], "lina", Status.DONE)
    project.set_status(ids[2], "lina", Status.IN_PROGRESS)
    assert project.annotated_documents("lina") == {ids[0], ids[1]}
    assert project.annotated_documents("omar") == {ids[0]}
    assert project.annotated_documents(GOLD) == {ids[1]}


def test_spans_for_layers_filters_layers_and_documents(project: Project) -> None:
    ids = _project(project)
    assert sorted(project.spans_for_layers(["lina", "omar", GOLD])) == sorted([
        (ids[0], "lina", "ENTITY", 0, 2), (ids[0], "omar", "CLAIM", 3, 6),
        (ids[1], GOLD, "CLAIM", 0, len(TEXTS[1])),
    ])
    assert project.spans_for_layers(["lina"]) == [(ids[0], "lina", "ENTITY", 0, 2)]
    assert project.spans_for_layers(["lina", GOLD], [ids[1]]) == [(ids[1], GOLD, "CLAIM", 0, len(TEXTS[1]))]
    assert project.spans_for_layers(["omar"], []) == []


def test_spans_for_layers_with_more_documents_than_sqlite_parameters(project: Project) -> None:
    project.add_annotator("lina")
    docs = project.add_documents([NewDocument(f"d{i}", f"نص رقم {i}") for i in range(1200)])
    project.add_spans([NewSpan(d.id, "lina", 0, 2, "ENTITY") for d in docs])
    wanted = [d.id for d in docs[5:1100]]  # beyond SQLite's old limit of 999 parameters
    rows = project.spans_for_layers(["lina"], wanted)
    assert sorted(r[0] for r in rows) == wanted
    assert sorted(project.texts(wanted)) == wanted


def test_texts_are_the_canonical_texts_of_the_asked_documents(project: Project) -> None:
    ids = _project(project)
    assert project.texts([ids[2], ids[0]]) == {ids[2]: TEXTS[2], ids[0]: TEXTS[0]}
    assert project.texts([]) == {}
    assert project.texts([9999]) == {}


def test_annotated_by_layer_is_annotated_documents_of_each_layer(project: Project) -> None:
    ids = _project(project)
    project.set_status(ids[2], "lina", Status.DONE)
    project.set_status(ids[1], "omar", Status.IN_PROGRESS)
    found = project.annotated_by_layer(["lina", "omar", GOLD, "nobody"])
    assert found == {"lina": {ids[0], ids[2]}, "omar": {ids[0]}, GOLD: {ids[1]}, "nobody": set()}
    assert all(found[layer] == project.annotated_documents(layer) for layer in ("lina", "omar", GOLD))


def test_agreement_batch_reads_only_the_asked_documents_and_layers(project: Project) -> None:
    ids = _project(project)
    documents, spans = project.agreement_batch(["omar", GOLD], [ids[1], ids[0]])
    assert documents == [(ids[0], "d0", TEXTS[0]), (ids[1], "d1", TEXTS[1])]  # in id order
    assert sorted(spans) == [(ids[0], "omar", "CLAIM", 3, 6), (ids[1], GOLD, "CLAIM", 0, len(TEXTS[1]))]
    assert project.agreement_batch(["lina"], [ids[2]]) == ([(ids[2], "d2", TEXTS[2])], [])


def test_relation_ends_touching_finds_a_link_from_either_end(project: Project) -> None:
    ids = _project(project)
    first = project.add_span(ids[0], "lina", 3, 6, "CLAIM")
    second = project.add_span(ids[2], "lina", 0, 4, "CLAIM")
    project.add_relation("lina", "SAME_AS", first.id, second.id)
    row = ("lina", "SAME_AS", ids[0], 3, 6, "CLAIM", ids[2], 0, 4, "CLAIM")
    assert project.relation_ends_touching(["lina"], [ids[2]]) == [row]
    assert project.relation_ends_touching(["lina"], [ids[0]]) == [row]
    assert project.relation_ends_touching(["lina"], [ids[1]]) == []
    assert project.relation_ends_touching(["omar"], [ids[0], ids[2]]) == []


def test_rejections_add_remove_and_ignore_a_repeat(project: Project) -> None:
    ids = _project(project)
    project.add_rejection(ids[0], 0, 6)
    project.add_rejection(ids[0], 0, 6)
    project.add_rejection(ids[0], 7, 9)
    assert project.rejections(ids[0]) == {(0, 6), (7, 9)}
    assert project.rejections(ids[1]) == set()
    project.remove_rejection(ids[0], 0, 6)
    assert project.rejections(ids[0]) == {(7, 9)}


_SQL = re.compile(r"\.execute(many)?\(|\.db\.|\.conn\b|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b"
                  r"|\bUPDATE\s+\w+\s+SET\b|\bDELETE FROM\b")


def test_no_module_outside_the_store_runs_sql() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if path.is_relative_to(ROOT / "core" / "store"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _SQL.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_one_insert_statement_for_spans() -> None:
    store = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "core" / "store").glob("*.py")
                      if p.name != "schema.py")  # migrations copy tables: not an edit path
    assert len(re.findall(r"INSERT INTO spans\b", store)) == 1
