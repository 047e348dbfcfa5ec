"""End to end: three annotators each annotate a copy of the seed project, the
reviewer merges the copies with the real command, reads agreement, adjudicates
and gets scores against gold."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from annotator.core.review.adjudication import Review, UnitState
from annotator.core.review.agreement import agreement
from annotator.core.formats.imports.plain_text import import_seeds
from annotator.core.store import Project
from tests.cli import annotator

ANNOTATORS = ("lina", "omar", "sara")


def shared_truth(text: str, seed: int) -> list[tuple[int, int, str]]:
    """Word-aligned spans every annotator starts from (one label never overlaps itself)."""
    rng = random.Random(seed)
    words = [m.span() for m in re.finditer(r"\S+", text)]
    spans, i = [], 0
    while i < len(words):
        if rng.random() < 0.15:
            width = rng.randint(1, 3)
            last = words[min(i + width, len(words)) - 1]
            spans.append((words[i][0], last[1], rng.choice(["ENTITY", "DATE", "CLAIM"])))
            i += width
        i += 1
    return spans


def make_copy(tmp_path: Path, name: str, index: int) -> Path:
    db = tmp_path / f"{name}.db"
    rng = random.Random(index)
    with Project.open(db) as project:
        import_seeds(project)
        project.add_annotator(name)
        for doc in project.documents()[:3]:
            for start, end, label in shared_truth(project.document(doc.id).text, doc.id):
                roll = rng.random()
                if roll < 0.15:
                    continue                       # missed it
                if roll < 0.25 and end - start > 2:
                    end -= 1                       # boundary slip
                project.add_span(doc.id, name, start, end, label)
            project.set_status(doc.id, name, "done")
    return db


@pytest.fixture
def copies(tmp_path: Path) -> list[Path]:
    return [make_copy(tmp_path, name, i) for i, name in enumerate(ANNOTATORS)]


def test_merge_agreement_review_end_to_end(tmp_path: Path, copies: list[Path]) -> None:
    target = str(tmp_path / "review.db")
    out = annotator("merge", *map(str, copies), "--db", target)
    assert out.returncode == 0, out.stderr
    assert "5 document(s) added" in out.stderr
    again = annotator("merge", *map(str, copies), "--db", target)
    assert "0 document(s) added, 0 span(s) added" in again.stderr

    out = annotator("agreement", "--db", target, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["annotators"] == list(ANNOTATORS)
    assert len(data["pairs"]) == 3 and all(p["documents"] == 3 for p in data["pairs"])
    with Project.open(target, create=False) as project:
        expected = json.loads(json.dumps(agreement(project).to_dict()))
    assert data["pairs"] == expected["pairs"] and data["alpha"] == expected["alpha"]
    # The slips make exact F1 strictly lower than overlap F1.
    micro = data["mean"]["micro"]
    assert 0 < micro["exact_f1"] < micro["overlap_f1"] <= 1

    table = annotator("agreement", "--db", target)
    assert table.returncode == 0, table.stderr
    assert "Krippendorff" in table.stdout and "maximum matching" in table.stdout
    assert "lina / omar" in table.stdout

    with Project.open(target, create=False) as project:
        doc_id = data["per_document"][0]["document_id"]
        review = Review.open(project, doc_id)
        assert review.annotators == list(ANNOTATORS)
        review.accept_unanimous()
        for unit in review.units:
            if review.state(unit) is UnitState.DISPUTED:
                review.accept(unit, "lina")
        assert UnitState.DISPUTED not in review.counts()
        lina = next(r for r in review.scores() if r.a == "lina")
        assert lina.micro.exact_f1 == 1.0

    out = annotator("agreement", "--db", target, "--json")
    gold = {r["a"]: r for r in json.loads(out.stdout)["against_gold"]}
    assert gold["lina"]["labels"]["micro"]["exact_f1"] == 1.0
    assert gold["omar"]["labels"]["micro"]["exact_f1"] < 1.0


def test_merge_conflict_and_rename_from_the_command_line(tmp_path: Path, copies: list[Path]) -> None:
    target = str(tmp_path / "review.db")
    assert annotator("merge", str(copies[0]), "--db", target).returncode == 0
    # Another copy whose annotator happens to be called lina too.
    (tmp_path / "elsewhere").mkdir()
    other = make_copy(tmp_path / "elsewhere", "lina", 7)
    out = annotator("merge", str(other), "--db", target)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "--rename lina=NEW" in out.stderr
    out = annotator("merge", str(other), "--db", target, "--rename", "lina=lina-2")
    assert out.returncode == 0, out.stderr
    with Project.open(target, create=False) as project:
        assert project.annotators() == ["lina", "lina-2"]


def test_bad_copy_is_one_line_and_a_new_target_is_not_left_behind(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", encoding="utf-8")
    target = tmp_path / "new.db"
    out = annotator("merge", str(junk), "--db", str(target))
    assert out.returncode == 1 and out.stderr.count("\n") == 1
    assert out.stderr.startswith("annotator: error:") and "Traceback" not in out.stderr
    assert not target.exists()
    out = annotator("merge", str(junk), "--db", str(target), "--rename", "nonsense")
    assert out.returncode == 1 and "OLD=NEW" in out.stderr


def test_agreement_reports_relation_f1(tmp_path) -> None:
    """Two annotators, one SPEAKER each on the same ends, one TIME only in amal."""
    import json as _json

    from annotator.core.model import NewDocument
    from annotator.core.store import Project

    path = tmp_path / "p.db"
    text = "قال الوزير إن القوات ستغادر في 31 ديسمبر."
    with Project.open(path) as p:
        doc = p.add_documents([NewDocument("a", text)])[0].id
        for layer in ("amal", "badr"):
            p.add_annotator(layer)
            claim = p.add_span(doc, layer, 0, len(text) - 1, "CLAIM").id
            entity = p.add_span(doc, layer, 4, 10, "ENTITY").id
            date = p.add_span(doc, layer, 31, 40, "DATE").id
            p.add_relation(layer, "SPEAKER", claim, entity)
            if layer == "amal":
                p.add_relation(layer, "TIME", claim, date)
    out = annotator("agreement", "--db", str(path), "--json")
    assert out.returncode == 0, out.stderr
    relations = _json.loads(out.stdout)["relations"]
    assert relations["pairs"][0]["types"]["SPEAKER"] == {"exact_f1": 1.0, "overlap_f1": 1.0}
    assert relations["pairs"][0]["types"]["TIME"] == {"exact_f1": 0.0, "overlap_f1": 0.0}
    assert relations["mean"]["micro"]["exact_f1"] == pytest.approx(2 / 3)
    table = annotator("agreement", "--db", str(path), "--bidi", "off").stdout
    assert "Relations, pairwise" in table
    speaker_row = next(line for line in table.splitlines() if "SPEAKER" in line and "1.000" in line)
    assert speaker_row.split()[-2:] == ["1.000", "1.000"]
    assert "exact relation F1" in table


def test_merge_command_carries_relations_and_names_them(tmp_path: Path) -> None:
    copy = tmp_path / "lina.db"
    with Project.open(copy) as project:
        import_seeds(project)
        project.add_annotator("lina")
        first, second = project.documents()[:2]
        claim = project.add_span(first.id, "lina", 0, 5, "CLAIM")
        who = project.add_span(first.id, "lina", 6, 9, "ENTITY")
        other = project.add_span(second.id, "lina", 0, 5, "CLAIM")
        project.add_relation("lina", "SPEAKER", claim.id, who.id)
        project.add_relation("lina", "SAME_AS", claim.id, other.id)
    target = str(tmp_path / "review.db")
    out = annotator("merge", str(copy), "--db", target)
    assert out.returncode == 0, out.stderr
    assert "3 span(s) added, 0 replaced, 2 relation(s) added" in out.stderr
    again = annotator("merge", str(copy), "--db", target)
    assert "lina: unchanged" in again.stderr and "0 relation(s) added" in again.stderr
    with Project.open(target, create=False) as project:
        assert sorted(r.type for r in project.relations(layer="lina")) == ["SAME_AS", "SPEAKER"]
