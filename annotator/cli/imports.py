"""`annotator import PATH...`: text files, folders and JSONL into a project."""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import add_db_option, open_project
from annotator.core.importing import import_paths, read_documents


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="import .txt files, folders of them, or JSONL with a \"text\" field",
        description="Import documents. All or nothing: a bad file imports nothing.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    add_db_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Read and check every file before the project file is opened or created.
    documents, files = read_documents(args.paths)
    with open_project(args, create=True) as project:
        added = project.add_documents(documents)
    new = sum(1 for d in added if d.added)
    print(f"imported {new} document(s) from {files} file(s); {len(added) - new} already in the project",
          file=sys.stderr)
    return 0
