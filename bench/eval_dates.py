"""Precision, recall and value accuracy of the DATE recogniser on our own
evaluation set (tests/data/dates_eval.jsonl).

    .venv/bin/python bench/eval_dates.py [--errors] [--heldout]

--heldout scores tests/data/dates_heldout_source.txt instead: sentences
written after the rules were tuned (its header keeps the first score).
"""

from __future__ import annotations

import sys
from pathlib import Path

from annotator.core.suggest.evaluation import read_eval, score_dates

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "dates_eval.jsonl"


def main() -> None:
    if "--heldout" in sys.argv:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from make_dates_eval import build

        records = build(DATA.parent / "dates_heldout_source.txt")
    else:
        records = read_eval(DATA)
    s = score_dates(records)
    print(f"{len(records)} sentences, {s.gold_all} dates ({s.gold_absolute} absolute), "
          f"{s.proposed} proposed")
    print(f"| measure | value |\n|---|---|")
    print(f"| precision (all proposals) | {s.precision:.3f} |")
    print(f"| recall, absolute dates | {s.recall_absolute:.3f} |")
    print(f"| value accuracy, absolute dates | {s.value_accuracy:.3f} |")
    print(f"| recall, all dates (incl. relative) | {s.recall_all:.3f} |")
    if "--errors" in sys.argv:
        for error in s.errors:
            print(error)


if __name__ == "__main__":
    main()
