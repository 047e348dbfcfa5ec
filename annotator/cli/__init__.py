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
from annotator.core.store.connection import os_error, storage_error

# Each module has register(subparsers); keep one module per command group.
COMMAND_MODULES = ["imports", "listing", "export", "merge", "agreement", "tags", "suggest",
                   "claims"]


def build_parser() -> argparse.ArgumentParser:
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
    for name in COMMAND_MODULES:
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
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AnnotatorError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
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
        print(f"annotator: error: {os_error(exc)}", file=sys.stderr)
        return 1
