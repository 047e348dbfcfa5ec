"""What each export format carries of a project, and the one summary line
that says what an export left out, with counts (issue 9, item 7).

``CARRIES`` is the table the README shows: for each format and each part of
a project, whether the format keeps it, maps it onto something of its own,
or cannot hold it (reported). Relations are not in this table yet: the
project does not store them.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.formats.exports.contents import LayerRecord
from annotator.core.model import Status

KEPT, MAPPED, LOST = "kept", "mapped", "reported lost"
PARTS = ("spans", "nested", "attributes", "notes", "layers", "statuses", "provenance")

CARRIES: dict[str, dict[str, str]] = {
    "own": dict.fromkeys(PARTS, KEPT),
    "doccano": {"spans": KEPT, "nested": KEPT, "attributes": LOST, "notes": LOST,
                "layers": MAPPED, "statuses": LOST, "provenance": LOST},
    "labelstudio": {"spans": KEPT, "nested": KEPT, "attributes": MAPPED, "notes": MAPPED,
                    "layers": MAPPED, "statuses": LOST, "provenance": LOST},
    "brat": {"spans": MAPPED, "nested": MAPPED, "attributes": MAPPED, "notes": MAPPED,
             "layers": MAPPED, "statuses": LOST, "provenance": LOST},
    "conll": {"spans": MAPPED, "nested": MAPPED, "attributes": LOST, "notes": LOST,
              "layers": LOST, "statuses": LOST, "provenance": LOST},
    "hf": {"spans": MAPPED, "nested": MAPPED, "attributes": LOST, "notes": LOST,
           "layers": KEPT, "statuses": LOST, "provenance": LOST},
    "spacy": {"spans": MAPPED, "nested": MAPPED, "attributes": LOST, "notes": LOST,
              "layers": KEPT, "statuses": LOST, "provenance": LOST},
}


def loss_line(fmt: str, records: Iterable[LayerRecord]) -> str | None:
    """``"doccano cannot carry: 16 attribute value(s) on 9 span(s), 2 note(s)"``,
    or None when the format keeps everything the records hold."""
    lost = [part for part, fate in CARRIES[fmt].items() if fate == LOST]
    if not lost:
        return None
    counts = dict.fromkeys(("attributes", "attributed", "notes", "statuses", "provenance", "layers"), 0)
    layers = set()
    for record in records:
        layers.add(record.layer)
        if record.status is not Status.TODO:
            counts["statuses"] += 1
        for span in record.spans:
            attributes = [v for v in span.attributes.values() if v is not None and v is not False]
            counts["attributes"] += len(attributes)
            counts["attributed"] += bool(attributes)
            counts["notes"] += bool(span.note)
            counts["provenance"] += bool(span.provenance)
    counts["layers"] = len(layers) if len(layers) > 1 else 0
    words = {
        "attributes": f"{counts['attributes']} attribute value(s) on {counts['attributed']} span(s)",
        "notes": f"{counts['notes']} note(s)",
        "statuses": f"{counts['statuses']} document status(es) other than todo",
        "provenance": f"{counts['provenance']} gold provenance mark(s)",
        "layers": f"the names of {counts['layers']} layer(s) (one block per document and layer)",
    }
    said = [words[part] for part in lost if part in words and counts[part]]
    if not said:
        return None
    return f"{fmt} cannot carry: {', '.join(said)} (own JSONL keeps everything)"
