"""The claims view's table (issue 13): claim rows read without Span objects,
clusters from the link ends, and edits followed one by one, always ending
where a fresh read of the project ends."""

from __future__ import annotations

import pytest

from annotator.core.claims.clusters import cluster_claims, load_claims
from annotator.core.claims.table import ClaimTable
from annotator.core.model import NewDocument
from annotator.core.workflow import AnnotationWorkflow
from tests.core.test_claims import annotate_seed_claims

# Emoji (outside the BMP), harakat, tatweel and ZWNJ before the claim: its
# text must still be sliced by code points.
ODD = "😀 قالَ الرئيـــس\u200cإن القوات الأمريكية ستبقى ثلاث سنوات أخرى في العراق"


def state(table: ClaimTable) -> tuple:
    return (table.order, table.claims(), {k: v for k, v in table.contradicts.items() if v},
            table.cluster_count(), table.documents(), table.speaker_names())


def assert_current(table: ClaimTable) -> None:
    fresh = ClaimTable(table.project, table.layer)
    assert state(table) == state(fresh)


@pytest.fixture
def seeded(seeded_project):
    clusters = annotate_seed_claims(seeded_project, "me")
    [odd] = seeded_project.add_documents([NewDocument("odd", ODD)])
    return seeded_project, clusters, odd.id


def test_rows_and_clusters_are_those_of_cluster_claims(seeded):
    project, clusters, _ = seeded
    table = ClaimTable(project, "me")
    expected = cluster_claims(project, "me")
    assert table.claims() == [m for c in expected for m in c.members]
    assert table.cluster_count() == len(expected) == len(clusters)
    for cluster in expected:
        assert table.contradicted_clusters(cluster.id) == cluster.contradicts
        assert all(table.cluster_size(m.span_id) == len(cluster.members) for m in cluster.members)


def test_claim_rows_slice_by_code_points(seeded):
    project, _, odd = seeded
    start = ODD.index("القوات")
    span = project.add_span(odd, "me", start, len(ODD), "CLAIM")
    [row] = project.claim_rows("me", span_ids=[span.id])
    assert row == (span.id, odd, start, len(ODD), ODD[start:])
    table = ClaimTable(project, "me")
    assert table.title(odd) == ODD and table.text(span.id) == ODD[start:]


def test_a_first_line_longer_than_the_head_is_read_whole(project):
    long_line = "\n\n  " + "كلمة " * 200 + "\nسطر ثان"
    [doc] = project.add_documents([NewDocument("long", long_line)])
    assert project.document_titles([doc.id]) == {doc.id: long_line.split("\n")[2].strip()}
    assert project.document_titles([doc.id], chars=5000)[doc.id] == long_line.split("\n")[2].strip()


def test_every_kind_of_edit_is_followed(seeded):
    project, clusters, odd = seeded
    table = ClaimTable(project, "me")
    flow = AnnotationWorkflow(project, "me")
    text = ODD
    done = []

    def run(edit, shown: bool = True):
        changed, touched = table.apply(edit.apply())
        done.append(edit)
        assert changed is shown
        assert_current(table)
        return touched

    start = text.index("القوات")
    assert run(flow.tag(odd, text, start, len(text), "CLAIM"))  # a new claim, its own cluster
    [claim] = [s for s in project.spans(odd, "me") if s.label == "CLAIM"]
    who = text.index("الرئيـــس")
    run(flow.tag(odd, text, who, who + len("الرئيـــس"), "ENTITY"), shown=False)
    entity = project.spans(odd, "me", "ENTITY")[0]
    assert run(flow.link("SPEAKER", claim, entity)) == {claim.id}
    assert table.speakers[claim.id] == (text[entity.start:entity.end],)
    run(flow.move_edge(text, entity, "end", -1, "char"))  # the speaker's text changes
    other = project.span(clusters["three-years"][0])
    run(flow.link("SAME_AS", claim, other))  # joins a cluster of other documents
    assert table.cluster_of(claim.id) == table.cluster_of(other.id)
    run(flow.link("CONTRADICTS", claim, project.span(clusters["2500"][0])))
    run(flow.move_edge(text, project.span(claim.id), "start", 1, "word"))
    run(flow.relabel(project.span(clusters["vaccines"][0]), "ENTITY"))  # no longer a claim
    run(flow.delete(project.span(clusters["three-years"][0])))  # with its links
    for edit in reversed(done):  # and every undo
        table.apply(edit.revert())
        assert_current(table)


def test_edits_of_another_layer_or_label_change_nothing(seeded):
    project, _, odd = seeded
    project.add_annotator("other")
    table = ClaimTable(project, "me")
    before = state(table)
    elsewhere = AnnotationWorkflow(project, "other").tag(odd, ODD, 3, 8, "CLAIM").apply()
    entity = AnnotationWorkflow(project, "me").tag(odd, ODD, 3, 8, "ENTITY").apply()
    assert table.apply(elsewhere) == (False, set())
    assert table.apply(entity) == (False, set())
    assert state(table) == before


def test_search_and_filters(seeded):
    project, clusters, _ = seeded
    table = ClaimTable(project, "me")
    found = table.shown("مُهِمَّة قتاليـة")
    assert len(found) == 2 and all("قتالي" in table.text(i) for i in found)
    assert set(table.shown(contradicted=True)) == set(
        clusters["end-of-year"] + clusters["three-years"] + clusters["2500"] + clusters["5000"])
    assert table.shown(unlinked=True) == clusters["trump-refuses"] + clusters["vaccines"]
    assert {table.rows[i][1] for i in table.shown(document=3)} == {3}
    assert table.shown() == table.order
    assert load_claims(project, "me") == sorted(table.claims(), key=lambda c: (
        c.document_id, c.start, -c.end, c.span_id))


def test_a_date_value_edited_touches_its_claims(seeded):
    project, clusters, odd = seeded
    table = ClaimTable(project, "me")
    flow = AnnotationWorkflow(project, "me")
    claim = project.span(clusters["end-of-year"][0])
    text = project.document(claim.document_id).text
    at = text.index("نهاية هذا العام")
    table.apply(flow.tag(claim.document_id, text, at, at + len("نهاية هذا العام"), "DATE").apply())
    date = next(s for s in project.spans(claim.document_id, "me", "DATE"))
    table.apply(flow.link("TIME", claim, date).apply())
    assert table.dates[claim.id] == (text[date.start:date.end],)
    changed, touched = table.apply(flow.update(date, "Set value",
                                               attributes={"value": "2021-12-31"}).apply())
    assert changed and touched == {claim.id}
    assert table.dates[claim.id] == ("2021-12-31",)
    assert_current(table)
