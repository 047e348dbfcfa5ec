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
from annotator.core.model import TAG_STYLES, RelationType, Tag
from annotator.core.text.terminal import TerminalWriter

_EDITABLE = ("color", "hotkey", "description", "position", "style", "bio_group")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tags", help="list the tag set, add a label or change one",
        description="With no subcommand, list the labels in order. Labels cannot be removed or "
                    "renamed here: spans refer to them.",
    )
    add_db_option(parser)
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per line: name, color, hotkey, description, "
                             "attributes, position, style, bio_group")
    add_bidi_option(parser)
    parser.set_defaults(func=run_list)
    actions = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND")

    add = actions.add_parser("add", help="add a label at the end of the tag set",
                             description="Add a label at the end of the tag set.")
    add.add_argument("name", metavar="NAME", help="the label, without spaces (e.g. EVENT)")
    _add_field_options(add)
    _add_style_options(add)
    add.add_argument("--values", metavar="A,B,C",
                     help='an enumerated "type" attribute with these values (e.g. PER,ORG)')
    add.set_defaults(func=run_add)

    change = actions.add_parser("set", help="change a label's colour, hotkey, description or position",
                                description="Change a label; options not given stay as they are.")
    change.add_argument("name", metavar="NAME")
    _add_field_options(change)
    change.add_argument("--position", type=int, metavar="N", default=argparse.SUPPRESS,
                        help="sort key: labels are listed by position, then name (0 first)")
    _add_style_options(change)
    change.set_defaults(func=run_set)
    _register_relations(actions)


def _add_style_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--style", choices=TAG_STYLES, default=argparse.SUPPRESS,
                        help="how spans are drawn: a background, or an underline for labels "
                             "whose spans hold others (CLAIM)")
    parser.add_argument("--bio-group", metavar="NAME", dest="bio_group", default=argparse.SUPPRESS,
                        help='token exports: labels with one group share a BIO column; "" is the '
                             "main column (CLAIM has its own: claim)")


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
                      "position": tag.position, "style": tag.style, "bio_group": tag.bio_group}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    out = TerminalWriter(sys.stdout, args.bidi)
    width = max([len(t.name) for t in tags] + [5])
    out.line(f"{'pos':>3}  {'key':<3}  {'colour':<7}  {'label':<{width}}  description; attributes")
    for tag in tags:
        drawn = f"{tag.style}" + (f", BIO group {tag.bio_group}" if tag.bio_group else "")
        details = "; ".join(filter(None, [tag.description, tag.attribute_summary(), drawn]))
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


# -- relation types (`annotator tags relations ...`) ---------------------------


def _register_relations(actions: argparse._SubParsersAction) -> None:
    relations = actions.add_parser(
        "relations", help="list the relation types, add one or change one",
        description="With no subcommand, list the relation types: which labels each links, "
                    "whether it is symmetric and whether it may join documents.")
    add_db_option(relations)
    relations.add_argument("--json", action="store_true",
                           help="one JSON object per line: name, color, hotkey, description, "
                                "source_labels, target_labels, symmetric, cross_document, position")
    add_bidi_option(relations)
    relations.set_defaults(func=run_relations_list)
    sub = relations.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    add = sub.add_parser("add", help="add a relation type",
                         description="Add a relation type at the end of the list.")
    add.add_argument("name", metavar="NAME", help="the type, without spaces (e.g. QUOTES)")
    _add_relation_options(add)
    add.set_defaults(func=run_relation_add)
    change = sub.add_parser("set", help="change a relation type",
                            description="Change a relation type; options not given stay as they "
                                        "are. Narrowing it under existing relations is refused.")
    change.add_argument("name", metavar="NAME")
    _add_relation_options(change)
    change.add_argument("--position", type=int, metavar="N", default=argparse.SUPPRESS,
                        help="sort key: types are listed by position, then name")
    change.set_defaults(func=run_relation_set)


def _add_relation_options(parser: argparse.ArgumentParser) -> None:
    _add_field_options(parser)
    parser.add_argument("--source", metavar="A,B", default=argparse.SUPPRESS,
                        help='labels the relation may start from ("" for any)')
    parser.add_argument("--target", metavar="A,B", default=argparse.SUPPRESS,
                        help='labels the relation may point to ("" for any)')
    parser.add_argument("--symmetric", action=argparse.BooleanOptionalAction,
                        default=argparse.SUPPRESS, help="no direction (SAME_AS); stored once")
    parser.add_argument("--cross-document", action=argparse.BooleanOptionalAction,
                        default=argparse.SUPPRESS, help="may join spans of different documents")


def _relation_changes(args: argparse.Namespace) -> dict[str, Any]:
    changes = _changes(args)
    for option, field_name in (("source", "source_labels"), ("target", "target_labels")):
        if hasattr(args, option):
            changes[field_name] = tuple(n.strip() for n in getattr(args, option).split(",")
                                        if n.strip())
    for key in ("symmetric", "cross_document"):
        if hasattr(args, key):
            changes[key] = getattr(args, key)
    return changes


def run_relations_list(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        kinds = project.relation_types()
    if args.json:
        for kind in kinds:
            record = {"name": kind.name, "color": kind.color, "hotkey": kind.hotkey,
                      "description": kind.description, "source_labels": list(kind.source_labels),
                      "target_labels": list(kind.target_labels), "symmetric": kind.symmetric,
                      "cross_document": kind.cross_document, "position": kind.position}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    out = TerminalWriter(sys.stdout, args.bidi)
    width = max([len(k.name) for k in kinds] + [4])
    out.line(f"{'pos':>3}  {'key':<3}  {'colour':<7}  {'type':<{width}}  links; description")
    for kind in kinds:
        out.line(f"{kind.position:>3}  {kind.hotkey or '-':<3}  {kind.color:<7}  "
                 f"{kind.name:<{width}}  {kind.constraint_summary()}; {kind.description}")
    out.line(f"{len(kinds)} relation type(s)")
    return 0


def run_relation_add(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        kind = project.add_relation_type(RelationType(args.name, **_relation_changes(args)))
    print(f"added {kind.name}: {kind.constraint_summary()}, key {kind.hotkey or '-'}",
          file=sys.stderr)
    return 0


def run_relation_set(args: argparse.Namespace) -> int:
    changes = _relation_changes(args)
    if not changes:
        raise AnnotatorError("tags relations set: nothing to change")
    with open_project(args) as project:
        kind = project.update_relation_type(args.name, **changes)
    print(f"changed {kind.name}: {kind.constraint_summary()}, key {kind.hotkey or '-'}",
          file=sys.stderr)
    return 0
