"""Hugging Face token-classification rows (JSONL), one per document and layer:

    {"id": "7-gold", "document_id": 7, "layer": "gold", "tokens": [...],
     "ner_tags": [0, 1, 2, 0], "claim_tags": [0, 0, 0, 0]}

The first label group's integer tags are ``ner_tags``; each further group
gets ``<group>_tags``. The names of the integers are written alongside in
``<stem>.labels.json`` ({"ner_tags": ["O", "B-ENTITY", ...], ...}), so

    ds = datasets.load_dataset("json", data_files="data.jsonl")
    names = json.load(open("data.labels.json"))
    ds = ds.cast_column("ner_tags", Sequence(ClassLabel(names=names["ner_tags"])))

gives a ClassLabel feature. Tokenisation and alignment are those of
``tokens``; what could not be tagged is reported, never hidden.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from annotator.core.formats.exports.contents import LayerRecord
from annotator.core.formats.tokens import AlignmentReport, LabelGroup, bio_columns, tokenize


def column_names(groups: list[LabelGroup]) -> list[str]:
    return ["ner_tags"] + [f"{group.name}_tags" for group in groups[1:]]


def label_names(groups: list[LabelGroup]) -> dict[str, list[str]]:
    return dict(zip(column_names(groups), (group.tag_names() for group in groups)))


def labels_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.labels.json")


def write(records: Iterable[LayerRecord], out: IO[str], groups: list[LabelGroup], *,
          split_proclitics: bool = False) -> AlignmentReport:
    report = AlignmentReport()
    names = column_names(groups)
    ids = [{name: i for i, name in enumerate(group.tag_names())} for group in groups]
    for record in records:
        text = record.document.text
        tokens = tokenize(text, split_proclitics=split_proclitics)
        columns = bio_columns(record, tokens, groups, report)
        # map() over slices and dict lookups runs in C, not a Python loop per token.
        row: dict = {"id": f"{record.document.id}-{record.layer}", "document_id": record.document.id,
                     "layer": record.layer,
                     "tokens": list(map(text.__getitem__, itertools.starmap(slice, tokens)))}
        for name, column, index in zip(names, columns, ids):
            row[name] = list(map(index.__getitem__, column))
        out.write(json.dumps(row, ensure_ascii=False))
        out.write("\n")
    return report


def labels_json(groups: list[LabelGroup]) -> str:
    return json.dumps(label_names(groups), ensure_ascii=False, indent=2) + "\n"
