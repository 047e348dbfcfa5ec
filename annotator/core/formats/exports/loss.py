"""What each export format carries of a project, and the one summary line
that says what an export left out, with counts (issue 9, item 7).

``CARRIES`` is the table the README shows: for each format and each part of
a project, whether the format keeps it, maps it onto something of its own,
or cannot hold it (reported). doccano carries relations in its "entities"
shape only: its "label" shape reports them lost. No format but ours links
two documents, so cross-document relations (SAME_AS, CONTRADICTS) are
reported lost everywhere else; so are relation attributes and notes
outside own JSONL (brat keeps a relation's note as AnnotatorNotes).
"""

from __future__ import annotations

from annotator.core.formats.exports.contents import LayerRecord
from annotator.core.model import Status

KEPT, MAPPED, LOST = "kept", "mapped", "reported lost"
PARTS = ("spans", "nested", "attributes", "notes", "layers", "statuses", "provenance", "relations",
         "cross-document relations")

_NO_RELATIONS = {"relations": LOST, "cross-document relations": LOST}
_RELATIONS = {"relations": MAPPED, "cross-document relations": LOST}
CARRIES: dict[str, dict[str, str]] = {
    "own": dict.fromkeys(PARTS, KEPT),
    "doccano": {"spans": KEPT, "nested": KEPT, "attributes": LOST, "notes": LOST,
                "layers": MAPPED, "statuses": LOST, "provenance": LOST, **_RELATIONS},
    "labelstudio": {"spans": KEPT, "nested": KEPT, "attributes": MAPPED, "notes": MAPPED,
                    "layers": MAPPED, "statuses": LOST, "provenance": LOST, **_RELATIONS},
    "brat": {"spans": MAPPED, "nested": MAPPED, "attributes": MAPPED, "notes": MAPPED,
             "layers": MAPPED, "statuses": LOST, "provenance": LOST, **_RELATIONS},
    "conll": {"spans": MAPPED, "nested": MAPPED, "attributes": LOST, "notes": LOST,
              "layers": LOST, "statuses": LOST, "provenance": LOST, **_NO_RELATIONS},
    "hf": {"spans": MAPPED, "nested": MAPPED, "attributes": LOST, "notes": LOST,
           "layers": KEPT, "statuses": LOST, "provenance": LOST, **_NO_RELATIONS},
    "spacy": {"spans": MAPPED, "nested": MAPPED, "attributes": LOST, "notes": LOST,
              "layers": KEPT, "statuses": LOST, "provenance": LOST, **_NO_RELATIONS},
}


class LossTally:
    """The one line that says what a format could not carry, counted record
    by record as an export streams them: ``line()`` gives "doccano cannot
    carry: 16 attribute value(s) on 9 span(s), 2 note(s)", or None when the
    format keeps everything. ``shape``: doccano's, whose "label" shape has
    no relations."""

    def __init__(self, fmt: str, shape: str = "label") -> None:
        self.fmt = fmt
        self.lost = [part for part, fate in CARRIES[fmt].items() if fate == LOST]
        if fmt == "doccano" and shape == "label":
            self.lost.insert(self.lost.index("cross-document relations"), "relations")
        self.counts = dict.fromkeys(("attributes", "attributed", "notes", "statuses", "provenance",
                                     "relations", "cross-document relations", "relation extras"), 0)
        self.layers: set[str] = set()
        self.keeps_notes = fmt == "brat"  # AnnotatorNotes on the R line

    def add(self, record: LayerRecord) -> None:
        if not self.lost:
            return
        counts = self.counts
        self.layers.add(record.layer)
        if record.status is not Status.TODO:
            counts["statuses"] += 1
        for relation in record.relations:
            counts["relations"] += 1
            counts["cross-document relations"] += relation.cross_document
            counts["relation extras"] += bool(relation.attributes) + (bool(relation.note)
                                                                       and not self.keeps_notes)
        for span in record.spans:
            attributes = [v for v in span.attributes.values() if v is not None and v is not False]
            counts["attributes"] += len(attributes)
            counts["attributed"] += bool(attributes)
            counts["notes"] += bool(span.note)
            counts["provenance"] += bool(span.provenance)

    def line(self) -> str | None:
        lost, counts = self.lost, dict(self.counts)
        if not lost:
            return None
        counts["layers"] = len(self.layers) if len(self.layers) > 1 else 0
        words = {
            "attributes": f"{counts['attributes']} attribute value(s) on {counts['attributed']} span(s)",
            "notes": f"{counts['notes']} note(s)",
            "statuses": f"{counts['statuses']} document status(es) other than todo",
            "provenance": f"{counts['provenance']} gold provenance mark(s)",
            "layers": f"the names of {counts['layers']} layer(s) (one block per document and layer)",
            "relations": f"{counts['relations']} relation(s)",
            "cross-document relations": f"{counts['cross-document relations']} relation(s) between "
                                        "two documents",
        }
        if "relations" in lost:  # every relation is counted once, under "relations"
            lost = [part for part in lost if part != "cross-document relations"]
        said = [words[part] for part in lost if part in words and counts[part]]
        if "relations" not in lost and counts["relation extras"]:
            said.append(f"{counts['relation extras']} relation attribute set(s) or note(s)")
        if not said:
            return None
        return f"{self.fmt} cannot carry: {', '.join(said)} (own JSONL keeps everything)"
