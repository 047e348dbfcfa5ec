"""`annotator merge COPY...`: bring annotators' copies into one project."""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import add_db_option, open_project
from annotator.core.errors import InputError
from annotator.core.review.merge import merge_into


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "merge", help="merge annotators' copies of the project into this one",
        description="Bring every copy's annotator layers (spans and relations) and statuses into the project (--db), "
                    "matching documents by content (SHA-256) and adding the ones it lacks. "
                    "One transaction: on any error nothing changes. Merging a copy twice "
                    "changes nothing. Labels and relation types the project lacks are added. Gold layers of copies are not merged.",
    )
    parser.add_argument("copies", nargs="+", metavar="COPY.db")
    add_db_option(parser)
    parser.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                        help="bring annotator OLD in as NEW (every copy); repeatable")
    parser.add_argument("--replace", action="append", default=[], metavar="NAME",
                        help="the copies' NAME supersedes the project's NAME layer; repeatable")
    parser.set_defaults(func=run)


def parse_renames(items: list[str]) -> dict[str, str]:
    renames = {}
    for item in items:
        old, sep, new = item.partition("=")
        if not sep or not old or not new:
            raise InputError(None, f"--rename {item!r}: expected OLD=NEW")
        renames[old] = new
    return renames


def run(args: argparse.Namespace) -> int:
    renames = parse_renames(args.rename)
    # A failed merge into a new file leaves no empty project behind (open_project).
    with open_project(args, create=True) as project:
        report = merge_into(project, args.copies, renames, args.replace)
    for name, state in sorted(report.layers.items()):
        print(f"{name}: {state}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return 0
