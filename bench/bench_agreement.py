"""Agreement and review benchmarks (issues 5 and 15).

- Scaling (issue 15): `annotator agreement --json` at 1k / 10k / 20k
  documents x 5 annotators (~60 spans each, gold on one document in ten),
  time and peak RSS of a child process per run, beside the floor: a raw
  sqlite3 read of the same spans and texts, a batch of documents at a time,
  and the same matching (exact set intersection, greedy overlap) per pair
  and label in plain Python. Target: within 3x of the floor; memory flat.
- hf export (issue 15) at 10k / 100k documents beside its floor: raw
  sqlite3 read of the same texts and spans, ``re.finditer(r"\w+|\S")``
  tokens and json.dumps of a row of the same shape, written to a file.
- Every export format (issue 15: streaming) at 1k / 10k / 100k documents:
  time and peak RSS beside a raw sqlite3 export streaming own JSONL lines a
  batch of documents at a time (scaling_floors.export_floor); brat, CoNLL,
  hf and spaCy beside a floor of their own kind (two files per document;
  regex tokens; raw spaCy Docs in one DocBin). Target: time within 3x, RSS flat with the project.
- Import of own JSONL, doccano JSONL and Label Studio JSON (issue 15:
  streaming) at 1k / 10k / 100k documents, the files exported from the same
  projects: time and peak RSS beside a raw import (scaling_floors.import_floor:
  json.loads per record, sha256, raw inserts in one transaction, no checks;
  Label Studio's array is decoded whole, so its floor RSS grows).
- "before" runs the code of the commit this work started from (git archive
  into /tmp), once per size, for the before/after table.
- Agreement for 1,000 documents x 3 annotators x ~60 spans each (issue 5,
  target < 3 s) and opening a review of a seed article (target < 0.5 s).

Benchmark projects are built once and cached in /tmp/annotator-bench-agreement
(agreement_projects.py). On a shared machine every figure is inflated: ours
and the floor alternate within each repeat so both see the same load.

    .venv/bin/python bench/bench_agreement.py --scaling          # issue 15 tables
    .venv/bin/python bench/bench_agreement.py --scaling --quick  # 1k and 10k only
    .venv/bin/python bench/bench_agreement.py --export-sizes 1000,10000,100000
    .venv/bin/python bench/bench_agreement.py --import-sizes 1000,10000,100000
    .venv/bin/python bench/bench_agreement.py                    # issue 5 tables
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import random
import sqlite3
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fmt, median_time, print_table, seed_texts  # noqa: E402
from scaling_floors import (  # noqa: E402
    agreement_floor, brat_floor, brat_import_floor, conll_floor, conll_import_floor, export_floor,
    hf_floor, import_floor, spacy_floor)
from agreement_projects import annotator_version, truth  # noqa: E402

from annotator.core.review.agreement import agreement, compute_agreement, load_documents  # noqa: E402
from annotator.core.model import NewDocument, NewSpan, Status  # noqa: E402
from annotator.core.store import Project  # noqa: E402

ANNOTATORS = ("lina", "omar", "sara")


def build(path: Path, documents: int, spans_per_document: int) -> None:
    seeds = seed_texts()
    rng = random.Random(5)
    with Project.open(path) as project:
        texts = [f"{seeds[i % len(seeds)]}\n{i}" for i in range(documents)]  # distinct SHA-256
        ids = [d.id for d in project.add_documents(NewDocument(f"doc{i}", t) for i, t in enumerate(texts))]
        batch = []
        for name in ANNOTATORS:
            project.add_annotator(name)
        for doc_id, text in zip(ids, texts):
            base = truth(text, rng, spans_per_document)
            for name in ANNOTATORS:
                for start, end, label in annotator_version(base, rng):
                    batch.append(NewSpan(doc_id, name, start, end, label))
        project.add_spans(batch)
        with project.transaction():
            for doc_id in ids:
                for name in ANNOTATORS:
                    project.set_status(doc_id, name, Status.DONE)


def raw_read(path: Path) -> int:
    conn = sqlite3.connect(path)
    rows = conn.execute('SELECT document_id, layer, label, start, "end" FROM spans').fetchall()
    texts = conn.execute("SELECT id, text FROM documents").fetchall()
    conn.close()
    return len(rows) + len(texts)


def bench_agreement(folder: Path, documents: int, spans: int, repeat: int) -> list:
    path = folder / "agreement.db"
    build(path, documents, spans)
    with Project.open(path) as project:
        total = len(project.spans())
        per_doc = total / documents / len(ANNOTATORS)
        labels = [t.name for t in project.tags()]
        loaded = load_documents(project, list(ANNOTATORS))
        rows = [
            (f"agreement(), {documents} docs x 3 x {per_doc:.0f} spans", median_time(lambda: agreement(project), repeat),
             median_time(lambda: raw_read(path), repeat), "< 3 s"),
            ("  of which: loading spans and texts", median_time(
                lambda: load_documents(project, list(ANNOTATORS)), repeat),
             median_time(lambda: raw_read(path), repeat), ""),
            ("  of which: computing every figure", median_time(
                lambda: compute_agreement(loaded, ANNOTATORS, labels), repeat),
             median_time(lambda: raw_read(path), repeat), ""),
        ]
    return rows


def bench_review(folder: Path, repeat: int) -> list:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from annotator.core.review.adjudication import Review
    from annotator.gui.fonts import arabic_font, register_arabic_font
    from annotator.gui.review.review_window import ReviewDialog

    app = QApplication.instance() or QApplication([])
    register_arabic_font()
    path = folder / "review.db"
    build(path, 5, 60)
    with Project.open(path) as project:
        # The longest seed article, three annotator layers.
        doc = max(project.documents()[:5], key=lambda d: d.chars)
        text = project.document(doc.id).text

        def open_review() -> None:
            dialog = ReviewDialog(project, doc.id)
            dialog.show()
            dialog.repaint()
            app.processEvents()
            dialog.close()
            dialog.deleteLater()
            app.processEvents()

        def floor() -> None:
            view = QPlainTextEdit()
            view.setFont(arabic_font())
            view.setPlainText(text)
            view.resize(1280, 800)
            view.show()
            view.repaint()
            app.processEvents()
            view.close()
            view.deleteLater()
            app.processEvents()

        open_review()  # warm up fonts and caches, as a second review would be
        units = len(Review.open(project, doc.id).units)
        return [
            (f"open review, seed article ({doc.chars} chars, {units} units)",
             median_time(open_review, repeat), median_time(floor, repeat), "< 0.5 s"),
            ("  of which: Review.open (core)", median_time(lambda: Review.open(project, doc.id), repeat),
             median_time(floor, repeat), ""),
        ]


BEFORE_COMMIT = "58e5819"  # the merge this work (issue 15, agreement and hf) started from
CACHE = Path("/tmp/annotator-bench-agreement")


def child(kind: str, db: str, out: str) -> None:
    """One measured run in this (fresh) process: prints seconds and peak RSS."""
    if kind.endswith("-before"):
        sys.path.insert(0, str(before_tree()))
        for name in [m for m in sys.modules if m == "annotator" or m.startswith("annotator.")]:
            del sys.modules[name]
    if kind.startswith("import-"):
        for suffix in ("", "-wal", "-shm"):
            Path(out + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    if kind in ("agreement", "agreement-before"):
        from annotator.cli import main as cli
        with open(out, "w", encoding="utf-8") as sink:
            saved, sys.stdout = sys.stdout, sink
            try:
                cli(["agreement", "--json", "--db", db])
            finally:
                sys.stdout = saved
    elif kind in ("hf", "hf-before"):
        from annotator.cli import main as cli
        with open(os.devnull, "w", encoding="utf-8") as sink:
            saved, sys.stdout = sys.stdout, sink
            try:
                cli(["export", "--format", "hf", "--db", db, "--output", out])
            finally:
                sys.stdout = saved
    elif kind.startswith("export-") and kind != "export-floor":
        from annotator.cli import main as cli
        fmt = kind.split("-")[1]
        target = out if fmt != "brat" else str(Path(out).with_suffix(""))
        if fmt == "brat":
            shutil.rmtree(target, ignore_errors=True)
        with open(os.devnull, "w", encoding="utf-8") as sink:
            saved, sys.stdout = sys.stdout, sink
            try:
                code = cli(["export", "--format", fmt, "--db", db, "--output", target])
            finally:
                sys.stdout = saved
        if code:
            raise SystemExit(f"export --format {fmt} failed ({code})")
    elif kind.startswith("import-") and not kind.startswith("import-floor"):
        from annotator.cli import main as cli
        fmt = kind.split("-")[1]
        if cli(["import", "--format", fmt, db, "--db", out, "--add-labels"]):
            raise SystemExit(f"import --format {fmt} failed")
    elif kind == "import-floor":
        import_floor(db, out)
    elif kind == "import-floor_conll":
        conll_import_floor(db, out)
    elif kind == "import-floor_brat":
        brat_import_floor(db, out)
    elif kind == "export-floor":
        export_floor(db, out)
    elif kind == "brat-floor":
        target = Path(out).with_suffix("")
        shutil.rmtree(target, ignore_errors=True)
        brat_floor(db, str(target))
    elif kind == "conll-floor":
        conll_floor(db, out)
    elif kind == "spacy-floor":
        spacy_floor(db, out)
    elif kind == "agreement-floor":
        agreement_floor(db)
    elif kind == "hf-floor":
        hf_floor(db, out)
    else:
        raise SystemExit(f"unknown child {kind}")
    seconds = time.perf_counter() - start
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import annotator
    print(json.dumps({"seconds": seconds, "rss_mb": peak, "code": annotator.__file__}))


def before_tree() -> Path:
    """The package as it was at BEFORE_COMMIT, unpacked once under /tmp."""
    tree = CACHE / f"before-{BEFORE_COMMIT}"
    if not (tree / "annotator").exists():
        tree.mkdir(parents=True, exist_ok=True)
        repo = Path(__file__).resolve().parent.parent
        archive = subprocess.run(["git", "-C", str(repo), "archive", BEFORE_COMMIT, "annotator", "resources", "seeds"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def run_child(kind: str, db: Path) -> dict:
    out = CACHE / (f"out-{kind}.db" if kind.startswith("import-") else f"out-{kind}.json")
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(db), str(out)],
                          check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if kind.endswith("-before"):
        assert "before-" in result["code"], result  # really the old code
    return result


def scaling(name: str, kinds: tuple[str, str], dbs: list[tuple[str, Path]], repeat: int,
            before: bool) -> None:
    ours_kind, floor_kind = kinds
    print(f"\n{name}: median of {repeat} (ours and floor alternate); before: one run")
    print(f"| {'size':<14} | {'ours':>9} | {'floor':>9} | {'ratio':>5} | {'ours RSS':>9} | "
          f"{'floor RSS':>9} | {'before':>9} | {'before RSS':>10} |")
    print("|" + "-" * 16 + ("|" + "-" * 11) * 2 + "|" + "-" * 7 + ("|" + "-" * 11) * 3 + "|" + "-" * 12 + "|")
    for size, db in dbs:
        ours, floor = [], []
        for _ in range(repeat):
            ours.append(run_child(ours_kind, db))
            floor.append(run_child(floor_kind, db))
        old = run_child(f"{ours_kind}-before", db) if before else None
        if before and ours_kind == "agreement":
            # Compared in chunks: Linux carries a parent's peak RSS into the
            # getrusage of the children it forks afterwards, so the parent
            # must never hold a big file.
            same = filecmp.cmp(CACHE / "out-agreement.json", CACHE / "out-agreement-before.json",
                               shallow=False)
            assert same, "the streamed agreement JSON differs from the old one"
        t = statistics.median(r["seconds"] for r in ours)
        f = statistics.median(r["seconds"] for r in floor)
        rss = statistics.median(r["rss_mb"] for r in ours)
        frss = statistics.median(r["rss_mb"] for r in floor)
        old_t = fmt(old["seconds"]) if old else "-"
        old_rss = f"{old['rss_mb']:.0f} MB" if old else "-"
        print(f"| {size:<14} | {fmt(t):>9} | {fmt(f):>9} | {t / f:>4.1f}x | {rss:>6.0f} MB | "
              f"{frss:>6.0f} MB | {old_t:>9} | {old_rss:>10} |", flush=True)


def exported(fmt: str, documents: int) -> Path:
    """The export of the cached hf project of this size, made once, in a
    child process (see scaling: a parent's peak RSS is inherited)."""
    from agreement_projects import cached
    suffix = {"labelstudio": ".json", "conll": ".conll", "brat": ""}.get(fmt, ".jsonl")
    path = CACHE / f"{fmt}-{documents}{suffix}"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "annotator", "export", "--format", fmt, "--db",
                        str(cached("hf", documents)), "--output", str(path)], check=True,
                       capture_output=True)
    return path


# Formats whose output differs in kind from own JSONL lines get a floor of their kind.
_EXPORT_FLOORS = {
    "brat": ("brat-floor", "raw sqlite3, a .txt and an .ann of T lines per document"),
    "conll": ("conll-floor", "raw sqlite3, regex tokens, one token and O per line"),
    "hf": ("hf-floor", "raw sqlite3, regex tokens, one JSON row per document"),
    "spacy": ("spacy-floor", "raw sqlite3, regex tokens, one spaCy Doc per document with its spans"
              " as ents and a span group, one DocBin"),
}


_IMPORT_FLOORS = {
    "own": ("import-floor", "json.loads per line, raw inserts"),
    "doccano": ("import-floor", "json.loads per line, raw inserts"),
    "labelstudio": ("import-floor", "json.load, raw inserts"),
    "conll": ("import-floor_conll", "split token/tag per line, text and BIO spans, raw inserts"),
    "brat": ("import-floor_brat", "per pair read .txt and .ann, T lines, raw inserts"),
}


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.split(",") if int(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--scaling", action="store_true", help="the issue 15 tables")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-before", action="store_true", help="skip the runs of the old code")
    parser.add_argument("--agreement-sizes", type=_sizes, help="e.g. 20000 (0: none)")
    parser.add_argument("--hf-sizes", type=_sizes, help="e.g. 10000,100000 (0: none)")
    parser.add_argument("--export-sizes", type=_sizes,
                        help="peak RSS of every export format, e.g. 1000,10000,100000")
    parser.add_argument("--import-sizes", type=_sizes,
                        help="time and peak RSS of importing own JSONL, e.g. 1000,10000,100000")
    parser.add_argument("--formats", default="own,doccano,labelstudio,brat,conll,hf,spacy")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.export_sizes:
        from agreement_projects import cached
        for fmt in args.formats.split(","):
            # Older code cannot open a file of this schema: no "before" runs.
            floor, what = _EXPORT_FLOORS.get(fmt, ("export-floor", "raw sqlite3 streaming own JSONL lines"))
            scaling(f"export --format {fmt} (gold, 20 spans per 1,500-character document;"
                    f" floor: {what})", (f"export-{fmt}", floor),
                    [(f"{n:,} docs", cached("hf", n)) for n in args.export_sizes], args.repeat,
                    before=False)
        return
    if args.import_sizes:
        for fmt in args.formats.split(","):
            if fmt not in _IMPORT_FLOORS:
                continue
            floor, what = _IMPORT_FLOORS[fmt]
            scaling(f"import --format {fmt} (the export of the same projects; floor: {what})",
                    (f"import-{fmt}", floor),
                    [(f"{n:,} docs", exported(fmt, n)) for n in args.import_sizes], args.repeat,
                    before=False)
        return
    if args.scaling:
        from agreement_projects import cached
        sizes = (args.agreement_sizes if args.agreement_sizes is not None
                 else (1_000, 10_000) if args.quick else (1_000, 10_000, 20_000))
        if sizes:
            scaling("annotator agreement --json, N documents x 5 annotators", ("agreement", "agreement-floor"),
                    [(f"{n:,} x 5", cached("agreement", n, 5)) for n in sizes], args.repeat,
                    not args.no_before)
        hf_sizes = (args.hf_sizes if args.hf_sizes is not None
                    else (10_000,) if args.quick else (10_000, 100_000))
        if hf_sizes:
            scaling("hf export (gold, 20 spans per 1,500-character document)", ("hf", "hf-floor"),
                    [(f"{n:,} docs", cached("hf", n)) for n in hf_sizes], args.repeat,
                    not args.no_before)
        return
    documents, repeat = (100, 3) if args.quick else (1000, 5)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print_table("Agreement (floor: raw sqlite3 read of the same spans and texts)",
                    bench_agreement(folder, documents, 65, repeat))
        print_table("Review (floor: bare QPlainTextEdit showing the same text)",
                    bench_review(folder, repeat))


if __name__ == "__main__":
    main()
