"""`annotator tags`: show and edit the tag set (labels, colours, hotkeys).

Every rule (colour #RRGGBB, one-character hotkey not used by another label,
attribute values) is checked by Project.add_tag/update_tag; a refused edit
prints one line, exits 1 and leaves the project unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from annotator.cli import add_bidi_option
from annotator.cli.common import add_db_option, open_project
from annotator.core.errors import AnnotatorError
from annotator.core.model import Tag
from annotator.core.terminal import TerminalWriter

_EDITABLE = ("color", "hotkey", "description", "position")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tags", help="list the tag set, add a label or change one",
        description="With no subcommand, list the labels in order. Labels cannot be removed or "
                    "renamed here: spans refer to them.",
    )
    add_db_option(parser)
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per line: name, color, hotkey, description, "
                             "attributes, position")
    add_bidi_option(parser)
    parser.set_defaults(func=run_list)
    actions = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND")

    add = actions.add_parser("add", help="add a label at the end of the tag set",
                             description="Add a label at the end of the tag set.")
    add.add_argument("name", metavar="NAME", help="the label, without spaces (e.g. EVENT)")
    _add_field_options(add)
    add.add_argument("--values", metavar="A,B,C",
                     help='an enumerated "type" attribute with these values (e.g. PER,ORG)')
    add.set_defaults(func=run_add)

    change = actions.add_parser("set", help="change a label's colour, hotkey, description or position",
                                description="Change a label; options not given stay as they are.")
    change.add_argument("name", metavar="NAME")
    _add_field_options(change)
    change.add_argument("--position", type=int, metavar="N", default=argparse.SUPPRESS,
                        help="sort key: labels are listed by position, then name (0 first)")
    change.set_defaults(func=run_set)


def _add_field_options(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--color", metavar="#RRGGBB", default=argparse.SUPPRESS,
                        help="colour of the label's highlight (add: #888888 unless given)")
    parser.add_argument("--hotkey", metavar="K", default=argparse.SUPPRESS,
                        help='one character, not used by another label; "" for none')
    parser.add_argument("--description", metavar="TEXT", default=argparse.SUPPRESS)


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    changes = {key: getattr(args, key) for key in _EDITABLE if hasattr(args, key)}
    if changes.get("hotkey") == "":
        changes["hotkey"] = None
    return changes


def run_list(args: argparse.Namespace) -> int:
    with open_project(args, access="read") as project:
        tags = project.tags()
    if args.json:
        for tag in tags:
            record = {"name": tag.name, "color": tag.color, "hotkey": tag.hotkey,
                      "description": tag.description, "attributes": tag.attributes,
                      "position": tag.position}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    out = TerminalWriter(sys.stdout, args.bidi)
    width = max([len(t.name) for t in tags] + [5])
    out.line(f"{'pos':>3}  {'key':<3}  {'colour':<7}  {'label':<{width}}  description; attributes")
    for tag in tags:
        details = "; ".join(filter(None, [tag.description, tag.attribute_summary()]))
        out.line(f"{tag.position:>3}  {tag.hotkey or '-':<3}  {tag.color:<7}  "
                 f"{tag.name:<{width}}  {details}")
    out.line(f"{len(tags)} label(s)")
    return 0


def run_add(args: argparse.Namespace) -> int:
    changes = _changes(args)
    attributes = {}
    if args.values is not None:
        attributes["type"] = {"values": [v.strip() for v in args.values.split(",")]}
    with open_project(args) as project:
        tag = project.add_tag(Tag(args.name, attributes=attributes, **changes))
    print(f"added {_summary(tag)}", file=sys.stderr)
    return 0


def run_set(args: argparse.Namespace) -> int:
    changes = _changes(args)
    if not changes:
        raise AnnotatorError("tags set: nothing to change (give --color, --hotkey, "
                             "--description or --position)")
    with open_project(args) as project:
        tag = project.update_tag(args.name, **changes)
    print(f"changed {_summary(tag)}", file=sys.stderr)
    return 0


def _summary(tag: Tag) -> str:
    return f"{tag.name}: key {tag.hotkey or '-'}, {tag.color}, position {tag.position}"
