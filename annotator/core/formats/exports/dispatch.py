"""One entry point for every export format, used by the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterator
from pathlib import Path

from annotator.core.bulk import bulk
from annotator.core.errors import InputError, ValidationError
from annotator.core.formats import (
    brat,
    conll,
    doccano,
    hf_rows,
    labelstudio,
    own_jsonl,
    spacy_docbin,
)
from annotator.core.formats.exports.loss import LossTally
from annotator.core.formats.exports.atomic import atomic_file, check_not_project, staged
from annotator.core.formats.exports.contents import (
    ALL_LAYERS,
    SPLIT_NAMES,
    ExportOptions,
    LayerRecord,
    Progress,
    export_labels,
    split_path,
)
from annotator.core.formats.exports.selection import (
    RecordKey,
    iterate_with_progress,
    plan,
    read_records,
    split_keys,
)
from annotator.core.formats.textmap import OffsetUnits
from annotator.core.formats.tokens import AlignmentReport, label_groups
from annotator.core.store.project import Project

EXPORT_FORMATS = ("own", "doccano", "labelstudio", "brat", "conll", "hf", "spacy")
# What each format's output path is: a file with this suffix, or a folder.
SUFFIXES = {"own": ".jsonl", "doccano": ".jsonl", "labelstudio": ".json", "brat": "",
            "conll": ".conll", "hf": ".jsonl", "spacy": ".spacy"}


@dataclass(frozen=True)
class FormatOptions:
    doccano_shape: str = "label"  # or "entities"
    offset_units: OffsetUnits = OffsetUnits.CODEPOINTS  # doccano and Label Studio
    split_proclitics: bool = False  # token formats
    bio_groups: list[list[str]] | None = None  # token formats; None: CLAIM apart from the rest
    ents_label: str = "label"  # spaCy doc.ents: the span's label, or "type" (its type attribute)


@dataclass
class ExportReport:
    files: list[Path] = field(default_factory=list)
    records: int = 0  # documents x layers
    spans: int = 0  # spans selected
    relations: int = 0  # relations selected (both ends exported)
    alignment: AlignmentReport | None = None  # token formats only
    notes: list[str] = field(default_factory=list)  # what a format could not carry exactly
    lost: str | None = None  # one line: what the format cannot carry at all, with counts

    def summary(self) -> str:
        relations = f" and {self.relations} relation(s)" if self.relations else ""
        text = (f"exported {self.records} document-layer record(s) with {self.spans} span(s)"
                f"{relations} to {', '.join(str(f) for f in self.files)}")
        if self.lost:
            text += f"\n{self.lost}"
        if self.notes:
            text += f"\n{len(self.notes)} span(s) changed by the format:\n" + "\n".join(self.notes[:20])
        if self.alignment is not None:
            lines = self.alignment.lines()
            text += "\n" + ("\n".join(lines) if lines else "every span is on token boundaries")
        return text


@bulk
def export_project(project: Project, fmt: str, path: str | Path,
                   options: ExportOptions = ExportOptions(),
                   format_options: FormatOptions = FormatOptions(),
                   progress: Progress | None = None) -> ExportReport:
    """Export the selected records to ``path`` (files written atomically;
    with a split, one file or folder per part: data.train.jsonl, ...)."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    if fmt == "spacy" and not spacy_docbin.available():
        raise ValidationError("spaCy export needs spaCy: pip install 'arabic-annotator[spacy]'")
    path = Path(path)
    for destination in _destinations(fmt, path, options):
        check_not_project(destination, project.path)
    if fmt == "brat" and options.split is not None:
        # The parts are folders inside the one given: data/train, data/dev, ...
        if not path.parent.is_dir():
            raise InputError(path, f"folder {path.parent} does not exist")
        if path.exists() and not path.is_dir():
            raise InputError(path, "exists and is not a folder")
        path.mkdir(exist_ok=True)
    # Ids and statuses first; texts, spans and relations are read a batch
    # at a time as the writer takes them (issue 15: memory bounded by a batch).
    selection = plan(project, options)
    parts = split_keys(selection, options.split) if options.split else {"": selection.keys}
    part_of = ({key.document_id: name for name, keys in parts.items() for key in keys}
               if options.split else None)
    report = ExportReport(records=len(selection))
    tally = LossTally(fmt, shape=format_options.doccano_shape)

    def seen(record: LayerRecord) -> None:
        report.spans += len(record.spans)
        report.relations += len(record.relations)
        tally.add(record)

    done = 0

    def counted(keys: list[RecordKey]) -> Iterator[LayerRecord]:
        nonlocal done
        offset = done
        done += len(keys)
        inner = None if progress is None else (lambda i, _n: progress(offset + i, len(selection)))
        return iterate_with_progress(read_records(project, selection, keys, part_of, seen), len(keys),
                                     inner)

    def lost() -> str | None:
        said = tally.line()
        if selection.across_parts:
            across = (f"{selection.across_parts} relation(s) between documents of different split "
                      "parts left out: neither part could be read back with them")
            said = f"{said}\n{across}" if said else across
        return said

    labels = export_labels(project, options)
    groups = label_groups(labels, format_options.bio_groups,
                          {tag.name: tag.bio_group for tag in project.tags()})

    def write_parts(base: Path) -> None:
        for part, chosen in parts.items():
            target = split_path(base, part) if part else base
            alignment = _write(project, fmt, target, counted(chosen), labels, groups, options,
                               format_options, report)
            if alignment is not None:
                report.alignment = _merge(report.alignment, alignment)

    if options.split is None:
        write_parts(path)
        report.lost = lost()
        return report
    # Every part is built in one staging folder and moved into place only
    # when all are written, so a cancel or error leaves no partial split.
    final_parent = split_path(path, SPLIT_NAMES[0]).parent
    with staged(final_parent, brat.written_by_export if fmt == "brat" else None,
                brat.exported_file if fmt == "brat" else None) as stage:
        write_parts(stage / path.name if path.suffix else stage)
    report.files = [final_parent / f.relative_to(stage) for f in report.files]
    report.lost = lost()
    return report


def _destinations(fmt: str, path: Path, options: ExportOptions) -> list[Path]:
    """Every file or folder an export may write, before it writes any."""
    found = [path]
    if options.split is not None:
        found += [split_path(path, part) for part in SPLIT_NAMES]
    if fmt == "hf":
        found.append(hf_rows.labels_path(path))
    return found


def _write(project, fmt, target: Path, records, labels, groups, options: ExportOptions,
           fo: FormatOptions, report: ExportReport) -> AlignmentReport | None:
    report.files.append(target)
    if fmt == "brat":
        tags = [t for t in project.tags() if t.name in labels]
        report.notes.extend(brat.write(records, target, tags, layer_folders=options.layer == ALL_LAYERS,
                                       relation_types=project.relation_types()))
        return None
    if fmt == "spacy":
        return spacy_docbin.write(records, target, groups, split_proclitics=fo.split_proclitics,
                                  ents_label=fo.ents_label)
    if fmt == "hf":
        # The names file is shared by the split parts: write it beside the data.
        names = hf_rows.labels_path(_unsplit(target, options))
        with atomic_file(target) as out:
            alignment = hf_rows.write(records, out, groups, split_proclitics=fo.split_proclitics)
        if names not in report.files:
            with atomic_file(names) as out:
                out.write(hf_rows.labels_json(groups))
            report.files.append(names)
        return alignment
    with atomic_file(target) as out:
        if fmt == "own":
            own_jsonl.write(records, out)
        elif fmt == "doccano":
            doccano.write(records, out, shape=fo.doccano_shape, units=fo.offset_units,
                          with_layer=options.layer == ALL_LAYERS)
        elif fmt == "labelstudio":
            labelstudio.write(records, out, units=fo.offset_units,
                              symmetric=frozenset(t.name for t in project.relation_types() if t.symmetric))
        elif fmt == "conll":
            return conll.write(records, out, groups, split_proclitics=fo.split_proclitics)
    return None


def _unsplit(target: Path, options: ExportOptions) -> Path:
    """data.train.jsonl -> data.jsonl (the names file belongs to all parts)."""
    if options.split is None:
        return target
    stem, _, _part = target.stem.rpartition(".")
    return target.with_name(f"{stem}{target.suffix}")


def _merge(a: AlignmentReport | None, b: AlignmentReport) -> AlignmentReport:
    if a is None:
        return b
    a.exported.update(b.exported)
    a.misaligned.update(b.misaligned)
    a.left_out.update(b.left_out)
    a.not_ents.update(b.not_ents)
    a.details.extend(b.details)
    return a
