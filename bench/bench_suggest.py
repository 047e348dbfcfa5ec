"""Suggestion benchmarks (issue 14): DATE and ENTITY suggestions for one
1 MB document (target < 1 s) and for a project of 10,000 documents
(target < 30 s), with an entity lexicon of the seed articles' names.

The floor beside each: one pass of a single compiled regular expression
(the month names and four-digit numbers, alternated) over the same text,
which is the least any regex-based recogniser must spend.

    .venv/bin/python bench/bench_suggest.py            # full sizes
    .venv/bin/python bench/bench_suggest.py --quick    # 1,000 documents, 200 KB
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, print_table, seed_texts  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Project  # noqa: E402
from annotator.core.suggest import lexicon as lx  # noqa: E402
from annotator.core.suggest.engine import Suggester, suggest_text  # noqa: E402
from annotator.core.suggest.entities import EntityLexicon  # noqa: E402

NAMES = [("الكاظمي", "PER"), ("بايدن", "PER"), ("العراق", "LOC"), ("بغداد", "LOC"),
         ("واشنطن", "LOC"), ("إيران", "LOC"), ("داعش", "ORG"), ("الولايات المتحدة", "LOC"),
         ("قاسم سليماني", "PER"), ("صدام حسين", "PER"), ("البيت الأبيض", "ORG"),
         ("مايك بومبيو", "PER"), ("ترامب", "PER"), ("طهران", "LOC"), ("سوريا", "LOC")]
FLOOR = re.compile("|".join(sorted(lx.GREGORIAN_MONTHS, key=len, reverse=True)) + r"|\d{4}")


def lexicon() -> EntityLexicon:
    lex = EntityLexicon()
    for name, type_ in NAMES:
        lex.add(name, type_, "entity.propagated")
    return lex


def floor(texts: list[str]) -> int:
    return sum(1 for text in texts for _ in FLOOR.finditer(text))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_docs, size = (1_000, 200_000) if args.quick else (10_000, 1_000_000)
    seeds = seed_texts()
    big = ""
    while len(big) < size:
        big += "\n\n".join(seeds) + "\n\n"
    big = big[:size]
    lex = lexicon()
    labels = ("DATE", "ENTITY")
    rows = [(f"suggest_text, {len(big):,} chars (dates + entities)",
             median_time(lambda: suggest_text(1, big, None, labels, lex)),
             median_time(lambda: floor([big])), "< 1 s")]

    with tempfile.TemporaryDirectory() as tmp:
        project = Project.open(Path(tmp) / "bench.db")
        project.add_annotator("alice")
        project.add_documents([NewDocument(f"doc{i}", f"{seeds[i % len(seeds)][:1500]}\n— نسخة {i}")
                               for i in range(n_docs)])
        one = project.add_documents([NewDocument("big", big)])[0].id
        for name, type_ in NAMES:
            text = f"{name} "
            doc = project.add_documents([NewDocument(f"name {name}", text)])[0].id
            project.add_span(doc, "alice", 0, len(name), "ENTITY", {"type": type_})
        big_doc = project.document(one)
        suggester = Suggester(project, "alice")
        rows.append((f"Suggester.for_document, {len(big):,} chars",
                     median_time(lambda: suggester.for_document(big_doc)),
                     median_time(lambda: floor([big])), "< 1 s"))
        texts = [d.text for d in project.all_documents() if d.id != one]

        def whole_project() -> int:
            s = Suggester(project, "alice")
            return sum(1 for d in project.all_documents() if d.id != one
                       for _ in s.for_document(d))

        rows.append((f"whole project, {n_docs:,} docs x ~1,500 chars",
                     median_time(whole_project, repeat=3), median_time(lambda: floor(texts), repeat=3),
                     "< 30 s"))
        count = whole_project()
        project.close()
    print_table("Suggestions (medians)", rows)
    print(f"\n{count:,} suggestions in the {n_docs:,}-document project")


if __name__ == "__main__":
    main()
