"""`annotator import PATH...`: documents, and annotations from other tools.

``--format text`` (the default) imports .txt files, folders of them and
JSONL with a "text" field, as before; ``jsonl`` reads every file as JSONL.
The annotation formats (own, doccano, labelstudio, brat, conll) bring spans
along; see annotator/core/formats for what each reads.
"""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import add_db_option, open_project
from annotator.core.errors import ValidationError
from annotator.core.formats.imports.apply import apply_import
from annotator.core.formats.imports.dispatch import DOCUMENT_FORMATS, IMPORT_FORMATS, read_annotations
from annotator.core.formats.textmap import OffsetUnits
from annotator.core.formats.imports.plain_text import ImportReport, read_documents



def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="import documents (.txt, folders, JSONL) or annotations from other tools",
        description="Import documents, or documents with their annotations. All or nothing: "
                    "a bad file imports nothing, and the error names its file and line.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument(
        "--format", choices=DOCUMENT_FORMATS + IMPORT_FORMATS, default="text",
        help="text: .txt files, folders, JSONL with \"text\" (default); jsonl: every file as JSONL; "
             "own: this tool's JSONL export; doccano: JSONL with label or entities; labelstudio: "
             "JSON tasks; brat: a folder of .txt/.ann, or of per-annotator folders; conll: BIO",
    )
    parser.add_argument("--annotator", metavar="NAME", default=argparse.SUPPRESS,
                        help="put every imported span in this layer (an annotator, or gold); "
                             "default: the layer the file names (Label Studio completed_by, brat "
                             "folder, own JSONL), else gold")
    parser.add_argument("--add-labels", action="store_true",
                        help="add labels and relation types the tag set lacks instead of "
                             "refusing the import")
    parser.add_argument("--offset-units", choices=["auto", *(u.value for u in OffsetUnits)],
                        default="auto",
                        help="what doccano/Label Studio offsets count. auto (default): per "
                             "document, the reading that puts spans on word boundaries (Label "
                             "Studio: the result's stored text first); a document where both "
                             "readings fit equally is refused with a hint")
    parser.add_argument("--discontinuous", choices=["skip", "cover"], default="skip",
                        help="brat spans made of separate fragments (T1 Org 0 5;10 15): skip "
                             "them (default) or import the smallest span covering the fragments; "
                             "either way the summary counts them")
    parser.add_argument("--tag-column", type=int, action="append", metavar="N",
                        help="CoNLL: a column holding tags, counting the token as column 1; "
                             "repeat for several (default: every column when all hold tags, "
                             "else the last)")
    add_db_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    annotator = getattr(args, "annotator", None)
    if args.format in DOCUMENT_FORMATS:
        if args.add_labels or args.offset_units != "auto" or args.discontinuous != "skip" \
                or args.tag_column:
            raise ValidationError("--add-labels, --offset-units, --discontinuous and --tag-column "
                                  f"apply to annotation formats, not --format {args.format}")
        return _import_documents(args)
    units = None if args.offset_units == "auto" else OffsetUnits(args.offset_units)
    # Parse and check every file before the project file is opened or created.
    parsed = read_annotations(args.format, args.paths, offset_units=units,
                              discontinuous=args.discontinuous, tag_columns=args.tag_column)
    with open_project(args, create=True) as project:
        report = apply_import(project, parsed, annotator=annotator, add_labels=args.add_labels,
                              keep_ids=args.format == "own")
    print(report.summary(), file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def _import_documents(args: argparse.Namespace) -> int:
    # Read and check every file before the project file is opened or created.
    documents, files = read_documents(args.paths, as_jsonl=args.format == "jsonl")
    with open_project(args, create=True) as project:
        report = ImportReport(files=files, documents=project.add_documents(documents))
    print(report.summary(), file=sys.stderr)
    return 0
