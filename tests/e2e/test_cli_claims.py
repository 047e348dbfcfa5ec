"""`annotator claims list|similar|link|unlink` on the seed articles."""

from __future__ import annotations

import json

import pytest

from annotator.core.store import Project
from tests.cli import annotator
from tests.core.test_claims import annotate_seed_claims


@pytest.fixture
def claims_db(tmp_path):
    from annotator.core.formats.imports.plain_text import import_seeds

    path = tmp_path / "p.db"
    with Project.open(path) as project:
        import_seeds(project)
        clusters = annotate_seed_claims(project)
    return path, clusters


def test_similar_json_is_best_first_with_hints(claims_db):
    path, clusters = claims_db
    result = annotator("claims", "similar", "--span", clusters["5000"][0], "--top", "5",
                       "--json", "--db", path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 5
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert {"span_id", "document_id", "score", "text", "shared_words", "hints"} <= set(rows[0])
    hinted = [r for r in rows if r["span_id"] in clusters["2500"]]
    assert hinted and hinted[0]["hints"] == ["numbers differ: 5000 / 2500"]
    assert "5 candidate(s)" in result.stderr


def test_list_json_has_clusters_and_contradictions(claims_db):
    path, clusters = claims_db
    result = annotator("claims", "list", "--json", "--db", path)
    assert result.returncode == 0, result.stderr
    rows = {c["cluster"]: c for c in json.loads(result.stdout)}
    first = rows[min(clusters["2500"])]
    assert [m["span_id"] for m in first["members"]] == clusters["2500"]
    assert first["contradicts"] == [min(clusters["5000"])]
    assert len(rows) == len(clusters)


def test_link_then_unlink_changes_the_clusters(claims_db):
    path, clusters = claims_db
    a, b = clusters["vaccines"][0], clusters["trump-refuses"][0]
    assert annotator("claims", "link", a, b, "--type", "SAME_AS", "--db", path).returncode == 0
    rows = json.loads(annotator("claims", "list", "--json", "--db", path).stdout)
    assert any({m["span_id"] for m in r["members"]} == {a, b} for r in rows)
    result = annotator("claims", "unlink", a, b, "--db", path)
    assert result.returncode == 0 and "removed 1 link(s)" in result.stderr
    again = annotator("claims", "unlink", a, b, "--db", path)
    assert again.returncode == 1
    assert again.stderr == (f"annotator: error: claims {a} and {b} have no SAME_AS or "
                            "CONTRADICTS link\n")


def test_link_refuses_a_non_claim_and_leaves_the_file_unchanged(claims_db, tmp_path):
    path, clusters = claims_db
    with Project.open(path) as project:
        doc = project.documents()[0].id
        entity = project.add_span(doc, "me", 0, 5, "ENTITY")
    before = path.read_bytes()
    result = annotator("claims", "link", clusters["2500"][0], entity.id, "--db", path)
    assert result.returncode == 1
    assert result.stderr == f"annotator: error: span {entity.id} is a ENTITY, not a CLAIM\n"
    assert path.read_bytes() == before


def test_similar_needs_a_claim_and_a_positive_top(claims_db):
    path, clusters = claims_db
    result = annotator("claims", "similar", "--span", 99999, "--db", path)
    assert result.returncode == 1 and "no span with id 99999" in result.stderr
    result = annotator("claims", "similar", "--span", clusters["2500"][0], "--top", "0",
                       "--db", path)
    assert result.returncode == 1 and "--top takes a positive number" in result.stderr
