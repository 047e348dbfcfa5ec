"""Entity propagation, the gazetteer, rejections (schema m004), accepting
suggestions, and that unaccepted suggestions never reach agreement or export."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.review.agreement import agreement
from annotator.core.errors import InputError
from annotator.core.formats.exports.dispatch import export_project
from annotator.core.model import GOLD, NewDocument
from annotator.core.store import Project
from annotator.core.store import suggestions as store
from annotator.core.store.schema import SCHEMA_VERSION, migrations
from annotator.core.suggest.engine import Suggester
from annotator.core.suggest.entities import EntityLexicon, find_entities

FIRST = "التقى الكاظمي بايدن في البيت الأبيض"
SECOND = "وقال الكاظِمـي إن والكاظمي وللولايات المتحدة وبالعراق والعراقية في 22 يوليو 2021"


@pytest.fixture
def docs(project: Project) -> tuple[int, int]:
    project.add_annotator("alice")
    project.add_annotator("bob")
    a, b = (r.id for r in project.add_documents([NewDocument("a", FIRST), NewDocument("b", SECOND)]))
    project.add_span(a, "alice", FIRST.index("الكاظمي"), FIRST.index("الكاظمي") + 7, "ENTITY",
                     {"type": "PER"})
    return a, b


def texts(project: Project, suggestions) -> list[tuple[int, str, str, dict]]:
    return [(s.document_id, s.text, s.label, s.attributes) for s in suggestions]


def test_entities_are_found_ignoring_harakat_tatweel_and_with_proclitics_outside() -> None:
    lexicon = EntityLexicon()
    lexicon.add("الكاظمي", "PER", "entity.propagated")
    lexicon.add("الولايات المتحدة", "LOC", "entity.propagated")
    lexicon.add("العراق", "LOC", "entity.gazetteer")
    found = find_entities(SECOND, lexicon)
    assert [SECOND[m.start:m.end] for m in found] == [
        "الكاظِمـي", "الكاظمي", "لولايات المتحدة", "العراق"]
    assert [m.type for m in found] == ["PER", "PER", "LOC", "LOC"]
    assert found[-1].rule == "entity.gazetteer"


def test_propagation_proposes_the_layers_entities_elsewhere(project: Project, docs) -> None:
    a, b = docs
    suggestions = list(Suggester(project, "alice").all())
    assert [(s.document_id, s.text, s.label, s.attributes, s.rule) for s in suggestions] == [
        (b, "الكاظِمـي", "ENTITY", {"type": "PER"}, "entity.propagated"),
        (b, "الكاظمي", "ENTITY", {"type": "PER"}, "entity.propagated"),
        (b, "22 يوليو 2021", "DATE", {"value": "2021-07-22"}, "date.gregorian"),
    ]
    # bob has no entities of his own and gold has none: only the date.
    assert [s.label for s in Suggester(project, "bob").all()] == ["DATE"]
    project.add_span(a, GOLD, 6, 13, "ENTITY", {"type": "PER"})
    assert [s.label for s in Suggester(project, "bob").all()].count("ENTITY") == 3


def test_rejected_suggestion_is_not_proposed_again_in_that_layer(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Project.open(path) as project:
        project.add_annotator("alice")
        project.add_annotator("bob")
        doc = project.add_documents([NewDocument("d", "في 22 يوليو 2021 و3 يناير 2020")])[0].id
        first = next(Suggester(project, "alice").all())
        store.reject(project, "alice", doc, first.start, first.end, first.label)
    with Project.open(path) as project:
        assert [s.text for s in Suggester(project, "alice").all()] == ["3 يناير 2020"]
        assert len(list(Suggester(project, "bob").all())) == 2
        store.unreject(project, "alice", doc, first.start, first.end, first.label)
        assert len(list(Suggester(project, "alice").all())) == 2


def test_accepted_suggestions_are_spans_with_provenance_and_leave_the_list(project, docs) -> None:
    suggester = Suggester(project, "alice")
    pending = list(suggester.all())
    result = store.accept_many(project, [s.as_new_span("alice") for s in pending])
    assert len(result.inserted) == 3
    assert {s.provenance for s in project.spans(layer="alice")} == {
        None, "suggested:entity.propagated", "suggested:date.gregorian"}
    assert store.suggested_span_count(project, "alice") == 3
    assert list(Suggester(project, "alice").all()) == []


def test_agreement_and_export_never_count_unaccepted_suggestions(project, docs, tmp_path) -> None:
    a, b = docs
    project.add_span(a, "bob", FIRST.index("الكاظمي"), FIRST.index("الكاظمي") + 7, "ENTITY",
                     {"type": "PER"})
    before_rows = project.span_rows("alice")
    before = agreement(project).pairs[0].figures()
    export_project(project, "doccano", tmp_path / "before.jsonl")
    assert len(list(Suggester(project, "alice").all())) == 3  # suggestions exist...
    store.reject(project, "alice", b, 0, 3, "ENTITY")
    assert project.span_rows("alice") == before_rows  # ...but are not spans
    assert agreement(project).pairs[0].figures() == before
    export_project(project, "doccano", tmp_path / "after.jsonl")
    assert (tmp_path / "after.jsonl").read_bytes() == (tmp_path / "before.jsonl").read_bytes()


def test_gazetteer_csv_and_jsonl_import(project: Project, docs, tmp_path: Path) -> None:
    csv_file = tmp_path / "names.csv"
    csv_file.write_text("name,type\nالبيت الأبيض,ORG\nبايدن,PER\n", encoding="utf-8")
    jsonl = tmp_path / "names.jsonl"
    jsonl.write_text('{"name": "العراق", "type": "LOC"}\n\n{"name": "بايدن", "type": "PER"}\n',
                     encoding="utf-8")
    assert store.import_gazetteer(project, csv_file) == store.GazetteerImport(2, 0)
    assert store.import_gazetteer(project, jsonl) == store.GazetteerImport(1, 1)
    found = {(s.text, s.attributes.get("type"), s.rule)
             for s in Suggester(project, "bob").all() if s.label == "ENTITY"}
    assert found == {("البيت الأبيض", "ORG", "entity.gazetteer"), ("بايدن", "PER", "entity.gazetteer"),
                     ("العراق", "LOC", "entity.gazetteer")}


def test_spacy_entity_ruler_patterns_and_foreign_types_are_kept_or_counted(project, tmp_path):
    path = tmp_path / "ruler.jsonl"
    path.write_text('{"label": "GPE", "pattern": "بغداد"}\n{"label": "ORG", "pattern": "داعش"}\n'
                    '{"label": "PER", "pattern": [{"LOWER": "x"}]}\n', encoding="utf-8")
    report = store.import_gazetteer(project, path)
    assert report == store.GazetteerImport(added=2, already=0, untyped=1, skipped=1)
    assert "1 type(s) not in the tag set left empty; 1 token pattern(s) skipped" in report.summary()
    assert {(e.name, e.type) for e in store.gazetteer(project)} == {("بغداد", None), ("داعش", "ORG")}


@pytest.mark.parametrize("name, content, message", [
    ("bad.jsonl", '{"name": "x"}\nnot json\n', r"bad.jsonl:2: not JSON"),
    ("bad.csv", "بايدن,PER,extra\n", r"bad.csv:1: expected name,type; got 3 columns"),
    ("bad.csv", ",PER\n", r"bad.csv:1: empty name"),
    ("bad.jsonl", '{"type": "PER"}\n', r'bad.jsonl:1: expected an object with a "name" string'),
])
def test_bad_gazetteer_adds_nothing_and_names_the_line(project, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        store.import_gazetteer(project, path)
    assert store.gazetteer(project) == []


def test_schema_3_file_gains_the_suggestion_tables(tmp_path: Path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m004_suggestions")
    db.execute("PRAGMA user_version = 3")
    db.conn.commit()
    db.close()
    with Project.open(path) as project:
        assert project.schema_version == SCHEMA_VERSION
        tables = set(project.db.table_names())
        assert {"suggestion_rejections", "gazetteer"} <= tables


def test_gazetteer_with_bom_and_crlf_gives_clean_names(project, tmp_path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffname,type\r\nبغداد,LOC\r\nالبيت الأبيض,ORG\r\n".encode("utf-8"))
    store.import_gazetteer(project, path)
    assert {e.name for e in store.gazetteer(project)} == {"بغداد", "البيت الأبيض"}


def test_entity_offsets_with_emoji_zwnj_nbsp_and_harakat() -> None:
    text = "😀 زار\u00a0البيتَ\u00a0الأبيض و\u200cبغدادَ"
    lexicon = EntityLexicon()
    lexicon.add("البيت الأبيض", "ORG", "entity.propagated")
    lexicon.add("بغداد", "LOC", "entity.propagated")
    found = find_entities(text, lexicon)
    assert [text[m.start:m.end] for m in found] == ["البيتَ\u00a0الأبيض", "بغدادَ"]
    assert found[0].start == 6  # code points: the emoji is one


def test_accepted_hijri_and_relative_dates_keep_what_the_value_came_from(project) -> None:
    project.add_annotator("alice")
    text = "الثلاثاء 2021/07/27\nأعلن أمس في 12 رمضان 1442 هـ عن مبادرة"
    doc = project.add_documents([NewDocument("d", text)])[0].id
    pending = list(Suggester(project, "alice", ["DATE"]).all())
    store.accept_many(project, [s.as_new_span("alice") for s in pending])
    stored = {text[s.start:s.end]: (s.attributes.get("value"), s.note, s.provenance)
              for s in project.spans(doc, "alice")}
    assert stored["أمس"] == ("2021-07-26", "value from the document date 2021-07-27 (dateline)",
                             "suggested:date.relative")
    assert stored["12 رمضان 1442 هـ"] == ("2021-04-24", "hijri: 12 رمضان 1442 هـ",
                                         "suggested:date.hijri")


def test_a_tag_set_without_value_or_those_types_still_applies(project, docs) -> None:
    project.update_tag("DATE", attributes={})
    project.update_tag("ENTITY", attributes={"type": {"values": ["PERSON", "PLACE"]}})
    pending = list(Suggester(project, "alice").all())
    assert {s.label: s.attributes for s in pending} == {"DATE": {}, "ENTITY": {}}
    assert len(store.accept_many(project, [s.as_new_span("alice") for s in pending]).inserted) == 3


def test_labels_missing_from_the_tag_set_are_not_proposed(tmp_path) -> None:
    with Project.open(tmp_path / "p.db") as project:
        project.add_annotator("alice")
        project.add_documents([NewDocument("d", "في 22 يوليو 2021")])
        project.db.execute("DELETE FROM tags WHERE name = 'DATE'")
        project.forget_cached()
        assert list(Suggester(project, "alice").all()) == []


def test_function_words_letters_and_numbers_never_become_names() -> None:
    lexicon = EntityLexicon()
    for surface in ("في", "ب", "2021", "مِن", "بغداد"):
        lexicon.add(surface, "LOC", "entity.propagated")
    assert len(lexicon) == 1 and "بغداد" in lexicon


def test_tagged_names_are_counted_per_text_and_type(project: Project) -> None:
    from annotator.core.model import NewSpan
    from annotator.core.store import suggestions as names
    from annotator.core.suggest.entities import EntityLexicon

    project.add_annotator("lina")
    small = project.add_documents([NewDocument("a", "زار الكاظمي 😀 بغداد والكاظمي")])[0].id
    big_text = "الكاظمي " + "ـ" * (names._SUBSTR_CHARS + 10)  # sliced in Python, not by substr
    big = project.add_documents([NewDocument("b", big_text)])[0].id
    project.add_spans([NewSpan(small, "lina", 4, 11, "ENTITY", {"type": "PER"}),
                       NewSpan(small, "lina", 14, 19, "ENTITY"),
                       NewSpan(small, "lina", 21, 28, "ENTITY", {"type": "PER"}),
                       NewSpan(big, GOLD, 0, 7, "ENTITY", {"type": "PER"}),
                       NewSpan(big, "lina", 0, 7, "CLAIM")])
    found = sorted(names.tagged_names(project, "ENTITY", ["lina", GOLD]))
    assert sorted((n, t, c) for n, t, c in
                  [("الكاظمي", "PER", 2), ("الكاظمي", "PER", 1), ("بغداد", None, 1)]) == found

    lexicon = EntityLexicon()
    for name, type_, count in found:
        lexicon.add(name, type_, "entity.propagated", count)
    lexicon.add("بغداد", None, "entity.gazetteer")
    assert lexicon.discard("الكاظمي", "ORG") is None  # never counted: ask the store
    assert lexicon.discard("الكاظمي", "PER") is False
    assert lexicon.discard("الكاظمي", "PER") is False
    assert lexicon.discard("الكاظمي", "PER") is True and "الكاظمي" not in lexicon
    assert lexicon.discard("بغداد", None) is False  # the gazetteer still has it
    assert "بغداد" in lexicon
    assert lexicon.discard("في", None) is False  # never a name
