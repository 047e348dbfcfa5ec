"""Benchmark projects for agreement and the hf export, built once and cached
under /tmp (never in the repository): a 20,000 x 5 project takes minutes to
build and the benchmark runs each size several times in child processes.

    .venv/bin/python bench/agreement_projects.py agreement 20000 5
    .venv/bin/python bench/agreement_projects.py hf 100000
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import seed_texts  # noqa: E402

from annotator.core.model import GOLD, NewDocument, NewSpan, Status  # noqa: E402
from annotator.core.store import Project  # noqa: E402
from annotator.core.text.segmentation import words  # noqa: E402

CACHE = Path("/tmp/annotator-bench-agreement")
NAMES = ("lina", "omar", "sara", "hadi", "nour", "rami", "dana")
LABELS = ("CLAIM", "ENTITY", "DATE")
CHUNK = 1000  # documents per add_spans call: keeps the builder's own memory flat
GOLD_EVERY = 10  # one document in ten has a gold layer, so against-gold has work


def truth(text: str, rng: random.Random, wanted: int) -> list[tuple[int, int, str]]:
    """About ``wanted`` word-aligned spans; one label never overlaps itself."""
    spans_at = [m.span() for m in re.finditer(r"\S+", text)]
    chance = min(0.9, wanted / max(1, len(spans_at)) * 1.6)
    spans, i = [], 0
    while i < len(spans_at) and len(spans) < wanted:
        if rng.random() < chance:
            width = rng.randint(1, 3)
            last = spans_at[min(i + width, len(spans_at)) - 1]
            spans.append((spans_at[i][0], last[1], rng.choice(LABELS)))
            i += width
        i += 1
    return spans


def annotator_version(spans, rng: random.Random) -> list[tuple[int, int, str]]:
    out = []
    for start, end, label in spans:
        roll = rng.random()
        if roll < 0.08:
            continue                                    # missed
        if roll < 0.16 and end - start > 3:
            end -= 2                                    # boundary slip
        elif roll < 0.19:
            label = rng.choice([x for x in LABELS if x != label])
        out.append((start, end, label))
    return out


def build_agreement(path: Path, documents: int, annotators: int, spans_per_document: int = 65) -> None:
    seeds = seed_texts()
    names = NAMES[:annotators]
    rng = random.Random(5)
    with Project.open(path) as project:
        for name in names:
            project.add_annotator(name)
        for first in range(0, documents, CHUNK):
            numbers = range(first, min(documents, first + CHUNK))
            texts = [f"{seeds[i % len(seeds)]}\n{i}" for i in numbers]  # distinct SHA-256
            ids = [d.id for d in project.add_documents(
                NewDocument(f"doc{i}", t) for i, t in zip(numbers, texts))]
            batch = []
            for number, doc_id, text in zip(numbers, ids, texts):
                base = truth(text, rng, spans_per_document)
                layers = [*names, GOLD] if number % GOLD_EVERY == 0 else names
                for name in layers:
                    for start, end, label in annotator_version(base, rng):
                        batch.append(NewSpan(doc_id, name, start, end, label))
            project.add_spans(batch)
            with project.transaction():
                for doc_id in ids:
                    for name in names:
                        project.set_status(doc_id, name, Status.DONE)


def build_hf(path: Path, documents: int, spans_per_document: int = 20) -> None:
    """The formats benchmark's corpus: 1,500-character seed heads made unique,
    gold spans on words."""
    seeds = seed_texts()
    heads = [seed[:1500] for seed in seeds]
    word_cache = [list(words(head)) for head in heads]
    with Project.open(path) as project:
        for first in range(0, documents, CHUNK * 10):
            numbers = range(first, min(documents, first + CHUNK * 10))
            added = project.add_documents(
                NewDocument(f"doc{i}", f"{heads[i % len(heads)]}\n— نسخة {i}") for i in numbers)
            spans = []
            for number, doc in zip(numbers, added):
                found = word_cache[number % len(heads)]
                step = max(1, len(found) // spans_per_document)
                for k in range(spans_per_document):
                    start, end = found[(k * step) % len(found)]
                    spans.append(NewSpan(doc.id, GOLD, start, end, LABELS[k % 3]))
            project.add_spans(spans)


def cached(kind: str, documents: int, annotators: int = 0) -> Path:
    """The cached project file, built first if missing (atomically: a killed
    build leaves no half project behind)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    name = f"{kind}-{documents}x{annotators}.db" if kind == "agreement" else f"{kind}-{documents}.db"
    path = CACHE / name
    if not path.exists():
        part = path.with_suffix(".part")
        for leftover in CACHE.glob(part.name + "*"):
            leftover.unlink()
        if kind == "agreement":
            build_agreement(part, documents, annotators)
        else:
            build_hf(part, documents)
        part.rename(path)
    return path


if __name__ == "__main__":
    kind, count = sys.argv[1], int(sys.argv[2])
    print(cached(kind, count, int(sys.argv[3]) if len(sys.argv) > 3 else 0))
