"""`annotator export --format claim-pairs`: pairs loaded with `datasets`,
unrelated pairs reproducible from --seed, clusters beside them."""

from __future__ import annotations

import json

import pytest

from tests.cli import annotator
from tests.e2e.test_cli_claims import claims_db  # noqa: F401  (fixture)


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_claim_pairs_load_with_datasets(claims_db, tmp_path):  # noqa: F811
    datasets = pytest.importorskip("datasets")
    path, clusters = claims_db
    out = tmp_path / "pairs.jsonl"
    result = annotator("export", "--format", "claim-pairs", "--layer", "me", "-o", out,
                       "--db", path)
    assert result.returncode == 0, result.stderr
    ds = datasets.load_dataset("json", data_files=str(out), split="train")
    relations = ds["relation"]
    same = sum(len(m) * (len(m) - 1) // 2 for m in clusters.values())
    contradicts = (len(clusters["end-of-year"]) * len(clusters["three-years"])
                   + len(clusters["2500"]) * len(clusters["5000"]))
    assert relations.count("same") == same
    assert relations.count("contradicts") == contradicts == 18
    assert relations.count("unrelated") == same + contradicts
    row = ds[relations.index("contradicts")]
    assert {row["span_a"], row["span_b"]} & set(clusters["end-of-year"] + clusters["2500"])
    assert row["document_a"] != row["document_b"]
    clusters_file = tmp_path / "pairs.clusters.jsonl"
    rows = datasets.load_dataset("json", data_files=str(clusters_file), split="train")
    assert len(rows) == len(clusters)
    assert f"{len(ds)} claim pair(s)" in result.stderr


def test_unrelated_pairs_follow_the_seed(claims_db, tmp_path):  # noqa: F811
    path, _ = claims_db

    def unrelated(seed: int, name: str) -> list:
        out = tmp_path / name
        assert annotator("export", "--format", "claim-pairs", "--layer", "me", "--seed", seed,
                         "-o", out, "--db", path).returncode == 0
        rows = [r for r in _rows(out) if r["relation"] == "unrelated"]
        assert all(r["cluster_a"] != r["cluster_b"] for r in rows)
        return [(r["span_a"], r["span_b"]) for r in rows]

    assert unrelated(1, "a.jsonl") == unrelated(1, "b.jsonl")
    assert unrelated(1, "a.jsonl") != unrelated(2, "c.jsonl")


def test_claim_pairs_refuse_an_unknown_layer_and_a_split(claims_db, tmp_path):  # noqa: F811
    path, _ = claims_db
    out = tmp_path / "pairs.jsonl"
    result = annotator("export", "--format", "claim-pairs", "--layer", "nobody", "-o", out,
                       "--db", path)
    assert result.returncode == 1 and "no layer 'nobody'" in result.stderr
    result = annotator("export", "--format", "claim-pairs", "--layer", "me", "--split",
                       "0.8,0.1,0.1", "-o", out, "--db", path)
    assert result.returncode == 1
    assert result.stderr == "annotator: error: --format claim-pairs takes no --split\n"
    assert not out.exists()
