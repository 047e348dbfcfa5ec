"""What an export contains: which layers, documents (by status), labels,
and a reproducible train/dev/test split. Shared by every export format.

The unit of export is a ``LayerRecord``: one document as one layer sees it.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from annotator.core.errors import ValidationError
from annotator.core.model import GOLD, Document, Status
from annotator.core.store.project import Project

ALL_LAYERS = "all"
SPLIT_NAMES = ("train", "dev", "test")

# progress(done, total); raising from it (the GUI's Cancel) stops the export.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Split:
    """Documents shuffled with ``seed`` and cut by ``ratios`` (train, dev,
    test). Depends only on the documents' SHA-256 and the seed, so the same
    texts land in the same part in any project and on any machine."""

    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)
    seed: int = 0

    def __post_init__(self) -> None:
        if len(self.ratios) != 3 or any(r < 0 or not math.isfinite(r) for r in self.ratios):
            raise ValidationError("split needs three ratios >= 0 (train, dev, test)")
        if sum(self.ratios) <= 0:
            raise ValidationError("split ratios must not all be zero")


@dataclass(frozen=True)
class ExportOptions:
    layer: str = GOLD  # a layer name, or ALL_LAYERS
    statuses: frozenset[Status] | None = None  # None: any status
    labels: frozenset[str] | None = None  # None: every label
    split: Split | None = None


class ExportSpan(NamedTuple):
    """What an export needs of a span; a tuple made straight from the store's
    row (``Project.span_rows``), because an export reads hundreds of
    thousands."""

    id: int
    start: int
    end: int
    label: str
    attributes_json: str
    note: str
    provenance: str | None
    document_id: int

    @property
    def attributes(self) -> dict[str, Any]:
        """Shared between spans with equal attributes: read, never change."""
        return _decode_attributes(self.attributes_json)


class ExportRelation(NamedTuple):
    """What an export needs of a relation, straight from the store's row
    (``Project.relation_rows``). ``target_sha256`` is set only when the
    target is in another document than the source (SAME_AS, CONTRADICTS)."""

    id: int
    type: str
    source_id: int
    target_id: int
    attributes_json: str
    note: str
    provenance: str | None
    source_document: int
    target_document: int
    target_sha256: str | None
    target_label: str  # decides, with its document's status, if the target is exported

    @property
    def attributes(self) -> dict[str, Any]:
        """Shared between relations with equal attributes: read, never change."""
        return _decode_attributes(self.attributes_json)

    @property
    def cross_document(self) -> bool:
        return self.source_document != self.target_document


@functools.lru_cache(maxsize=4096)
def _decode_attributes(text: str) -> dict[str, Any]:
    return json.loads(text)


@dataclass(frozen=True)
class LayerRecord:
    document: Document
    layer: str
    status: Status
    spans: list[ExportSpan] = field(default_factory=list)
    # The layer's relations whose source span is in this record and whose
    # target is exported too (in this record, or another document's).
    relations: list[ExportRelation] = field(default_factory=list)


def check_options(project: Project, options: ExportOptions) -> None:
    if options.layer != ALL_LAYERS and options.layer not in project.layers():
        raise ValidationError(
            f"unknown layer {options.layer!r} (layers: {', '.join(project.layers())}, or {ALL_LAYERS})"
        )
    for label in sorted(options.labels or ()):
        project.tag(label)  # raises for an unknown label


def export_labels(project: Project, options: ExportOptions) -> list[str]:
    """Selected labels in tag-set order (the order token formats number them)."""
    return [t.name for t in project.tags() if options.labels is None or t.name in options.labels]


def split_path(path: Path, part: str) -> Path:
    """data.jsonl -> data.train.jsonl; a folder (no suffix) -> folder/train."""
    if not path.suffix:
        return path / part
    return path.with_name(f"{path.stem}.{part}{path.suffix}")
