"""The `annotator` command. GUI imports happen lazily, so every other
command runs without a display or even without Qt's system libraries."""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys
from collections.abc import Sequence

from annotator import __version__
from annotator.core.errors import AnnotatorError

# Each module has register(subparsers); keep one module per command group.
# Keyed by the command name so a run imports only the module of its command
# (startup of `--version` and `list` must stay near a bare interpreter's).
COMMANDS = {
    "import": "imports", "list": "listing", "export": "export", "merge": "merge",
    "agreement": "agreement", "tags": "tags", "suggest": "suggest", "claims": "claims",
}
COMMAND_MODULES = list(COMMANDS.values())
# Top-level options that take a value: the token after them is not a command.
_VALUE_OPTIONS = {"--db", "--annotator", "--screenshot"}


def _modules_for(argv: Sequence[str] | None) -> list[str]:
    """The command modules a parse of ``argv`` needs: every one when argv is
    None, asks for help or names no known command (so argparse can list them
    all in its message); only the named command's module otherwise; none for
    the window or --version, which use no command module."""
    if argv is None:
        return COMMAND_MODULES
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token in ("-h", "--help"):
            return COMMAND_MODULES
        if token in _VALUE_OPTIONS:
            skip = True
            continue
        if token.startswith("-"):
            continue
        return [COMMANDS[token]] if token in COMMANDS else COMMAND_MODULES
    return []


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with ``argv`` only the parts that parsing it needs."""
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate Arabic text. With no command, opens the annotation window.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("--db", metavar="FILE", help="project file (default: the user's project)")
    parser.add_argument("--annotator", metavar="NAME", help="annotate as NAME (window only)")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="window only: save a screenshot once loaded, then quit")
    parser.set_defaults(func=_run_gui)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in _modules_for(argv):
        importlib.import_module(f"annotator.cli.{name}").register(subparsers)
    return parser


def add_bidi_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bidi", choices=["auto", "on", "off"], default="auto",
        help="shape and reorder Arabic for terminals that cannot (auto: only on such a terminal; "
             "never applied to --json)",
    )


def _run_gui(args: argparse.Namespace) -> int:
    from annotator.gui.app import run

    return run(db=args.db, annotator=args.annotator, screenshot=args.screenshot)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AnnotatorError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        from annotator.core.store.connection import storage_error

        # Raised outside a write transaction (a read of a damaged page, say).
        print(f"annotator: error: {storage_error(exc, getattr(args, 'db', None) or 'project')}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # A disk full or a vanished folder while writing an export.
        from annotator.core.store.connection import os_error

        print(f"annotator: error: {os_error(exc)}", file=sys.stderr)
        return 1
