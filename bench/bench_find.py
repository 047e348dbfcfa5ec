"""The first find in a large document (issue 15 item 3; target < 200 ms at
20 MB). Floor in the same run: re.finditer of the query over the raw text.

Rows: folding the document (what the first find used to pay on every open),
the first find with nothing folded yet (fold + search), the first find
answered from the original text while the fold runs (search_unfolded: what
the window does for a query of Arabic letters, digits, space or ASCII), and
the first find
once the fold started at open has finished (the window prefolds in a worker
thread as the document opens, so this is what a user who opens, presses
Ctrl+F and types a word waits for), and a repeated find.

    .venv/bin/python bench/bench_find.py            # 1, 5 and 20 MB
    .venv/bin/python bench/bench_find.py --quick    # 1 and 5 MB
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, print_table, seed_texts  # noqa: E402

from annotator.core.text import search  # noqa: E402
from annotator.core.text.fold_cache import FoldCache  # noqa: E402
from annotator.core.text.search_unfolded import unfolded_hits  # noqa: E402

QUERY = "الرئيس"


def reference_folded(text: str) -> None:
    """How FoldedText folded before issue 15: str.translate with a mapping."""
    folded = text.translate(search._TABLE)
    folded.lower()
    [m.start() for m in search._IGNORED_RE.finditer(text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base = "\n\n".join(seed_texts())
    for megabytes in (1, 5) if args.quick else (1, 5, 20):
        # Characters, not bytes: a 20 MB UTF-8 Arabic file holds ~11 M; this errs high.
        size = megabytes * 1_000_000
        text = (base * (size // len(base) + 1))[:size]
        pattern = re.compile(re.escape(QUERY))
        floor = median_time(lambda: list(pattern.finditer(text)), args.repeat)

        def cold() -> None:
            cache = FoldCache()
            cache.get(text).find_all(QUERY)
            cache.close()

        cache = FoldCache()
        cache.prefold(text)
        cache.get(text)
        rows = [
            ("fold as before (str.translate)", median_time(lambda: reference_folded(text), 3), floor,
             ""),
            ("fold now (search.FoldedText)", median_time(lambda: search.FoldedText(text),
                                                         args.repeat), floor, ""),
            ("first find, nothing folded yet", median_time(cold, args.repeat), floor, "< 200 ms"),
            ("first find while the fold runs (regex, unfolded)",
             median_time(lambda: list(unfolded_hits(text, QUERY)), args.repeat), floor, "< 200 ms"),
            ("first find after the prefold at open",
             median_time(lambda: cache.get(text).find_all(QUERY), args.repeat), floor, "< 200 ms"),
        ]
        cache.close()
        print_table(f"Find in a {megabytes} M-character document "
                    f"({len(search.find_all(text, QUERY))} hits of {QUERY})", rows)


if __name__ == "__main__":
    main()
