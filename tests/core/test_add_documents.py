"""Project.add_documents: one id per text, whether the text was stored
before or appears twice in the batch, across the lookup's 500-hash chunks."""

from __future__ import annotations

from annotator.core.model import NewDocument
from annotator.core.store import Project


def test_known_texts_and_batch_repeats_keep_one_id_each(tmp_path):
    with Project.open(tmp_path / "p.db") as project:
        first = project.add_documents([NewDocument(f"old{i}", f"نصٌّ قديم 😀 {i}") for i in range(700)])
        assert all(d.added for d in first)
        batch = [NewDocument(f"new{i}", f"نـص جديد\u200c {i}") for i in range(600)]
        batch += [NewDocument(f"again{i}", f"نصٌّ قديم 😀 {i}") for i in range(0, 700, 7)]
        batch += [NewDocument(f"twice{i}", f"نـص جديد\u200c {i}") for i in range(0, 600, 5)]
        added = project.add_documents(batch)
        assert len(added) == len(batch)
        new_ids = [d.id for d in added[:600]]
        assert all(d.added for d in added[:600])
        assert len(set(new_ids)) == 600
        assert not set(new_ids) & {d.id for d in first}
        again = added[600:700]
        assert [d.id for d in again] == [first[i].id for i in range(0, 700, 7)]
        assert not any(d.added for d in again)
        twice = added[700:]
        assert [d.id for d in twice] == [new_ids[i] for i in range(0, 600, 5)]
        assert not any(d.added for d in twice)
        assert [d.name for d in twice] == [f"twice{i}" for i in range(0, 600, 5)]
        assert len(project.documents()) == 1300
        assert project.document(new_ids[3]).text == "نـص جديد\u200c 3"
