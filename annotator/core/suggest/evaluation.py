"""Scoring the date recogniser against a set of sentences with gold dates
(tests/data/dates_eval.jsonl): precision over every proposal, recall and
value accuracy over the absolute dates (the ones the text alone fixes) and
over all dates."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.suggest.dates import find_dates


@dataclass
class DateScores:
    proposed: int = 0
    correct_spans: int = 0  # proposals that match a gold date exactly
    gold_absolute: int = 0
    found_absolute: int = 0
    right_value: int = 0  # absolute dates found with the gold value
    gold_all: int = 0
    found_all: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_spans / self.proposed if self.proposed else 1.0

    @property
    def recall_absolute(self) -> float:
        return self.found_absolute / self.gold_absolute if self.gold_absolute else 1.0

    @property
    def recall_all(self) -> float:
        return self.found_all / self.gold_all if self.gold_all else 1.0

    @property
    def value_accuracy(self) -> float:
        return self.right_value / self.found_absolute if self.found_absolute else 1.0


def read_eval(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score_dates(records: list[dict[str, Any]]) -> DateScores:
    scores = DateScores()
    for record in records:
        text = record["text"]
        gold = {(d["start"], d["end"]): d for d in record["dates"]}
        proposed = {(d.start, d.end): d for d in find_dates(text)}
        scores.proposed += len(proposed)
        scores.gold_all += len(gold)
        for key, date in proposed.items():
            if key in gold:
                scores.correct_spans += 1
                scores.found_all += 1
            else:
                scores.errors.append(f"line {record['line']}: extra {text[key[0]:key[1]]!r}")
        for key, expected in gold.items():
            if expected["absolute"]:
                scores.gold_absolute += 1
            if key not in proposed:
                scores.errors.append(f"line {record['line']}: missed {expected['text']!r}")
                continue
            if expected["absolute"]:
                scores.found_absolute += 1
                if proposed[key].value == expected["value"]:
                    scores.right_value += 1
                else:
                    scores.errors.append(f"line {record['line']}: {expected['text']!r} valued "
                                         f"{proposed[key].value}, expected {expected['value']}")
    return scores
