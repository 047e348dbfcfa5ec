"""Build tests/data/dates_eval.jsonl from tests/data/dates_eval_source.txt.

The source marks each date as [[expression|value]] (value "~" for a relative
or vague date); this writes one JSON object per sentence with code-point
offsets, so the markup never has to be counted by hand.

    .venv/bin/python bench/make_dates_eval.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
MARK = re.compile(r"\[\[(.*?)\|(.*?)\]\]")


def build(source: Path = DATA / "dates_eval_source.txt") -> list[dict]:
    records = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, dates, at = "", [], 0
        for m in MARK.finditer(line):
            text += line[at:m.start()]
            expression, value = m.groups()
            dates.append({"start": len(text), "end": len(text) + len(expression),
                          "text": expression, "value": None if value == "~" else value,
                          "absolute": value != "~"})
            text += expression
            at = m.end()
        text += line[at:]
        records.append({"line": number, "text": text, "dates": dates})
    return records


def main() -> None:
    out = DATA / "dates_eval.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for record in build():
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
