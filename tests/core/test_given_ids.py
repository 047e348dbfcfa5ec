"""add_documents / add_spans / add_relations with the ids the caller gives
(a streamed own-JSONL import): kept exactly, AUTOINCREMENT's mark moves past
them, and a taken or repeated id raises IdsTaken with nothing written."""

import pytest

from annotator.core.model import GOLD, NewDocument, NewRelation, NewSpan
from annotator.core.store import Project
from annotator.core.store.id_adoption import IdsTaken


def test_given_ids_are_kept_and_the_next_ids_come_after_them(tmp_path):
    with Project.open(tmp_path / "p.db") as project:
        with project.transaction():
            added = project.add_documents([NewDocument("a", "قال الوزير"), NewDocument("b", "نفى")],
                                          ids=[40, 7])
            spans = project.add_spans([NewSpan(40, GOLD, 0, 3, "CLAIM"), NewSpan(40, GOLD, 4, 10, "ENTITY")],
                                      ids=[900, 12])
            relations = project.add_relations([NewRelation(GOLD, "SPEAKER", 900, 12)], ids=[55])
        assert [d.id for d in added] == [40, 7] and spans.inserted == [900, 12]
        assert relations.inserted == [55]
        assert project.first_unused_id("spans") == 901
        assert project.first_unused_id("relations") == 56
        assert project.add_spans([NewSpan(7, GOLD, 0, 2, "CLAIM")]).inserted == [901]


def test_a_taken_or_repeated_id_raises_and_the_transaction_keeps_nothing(tmp_path):
    with Project.open(tmp_path / "p.db") as project:
        doc = project.add_documents([NewDocument("a", "قال الوزير")])[0].id
        taken = project.add_spans([NewSpan(doc, GOLD, 0, 3, "CLAIM")]).inserted[0]
        before = [s.id for s in project.spans()]
        with pytest.raises(IdsTaken, match="spans"):
            with project.transaction():
                project.add_spans([NewSpan(doc, GOLD, 4, 10, "ENTITY")], ids=[taken])
        with pytest.raises(IdsTaken, match="spans"):
            with project.transaction():
                project.add_spans([NewSpan(doc, GOLD, 4, 10, "ENTITY"), NewSpan(doc, GOLD, 4, 10, "ENTITY")],
                                  ids=[50, 51])
        with pytest.raises(IdsTaken, match="documents"):
            with project.transaction():
                project.add_documents([NewDocument("b", "نفى")], ids=[doc])
        assert [s.id for s in project.spans()] == before and project.document_count() == 1
