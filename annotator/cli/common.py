"""Helpers shared by the CLI commands."""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager
from pathlib import Path

from annotator.core.store import Project, default_project_path
from annotator.core.store.connection import CLI_BUSY_TIMEOUT_S


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS,
                        help="project file (default: the user's project)")


def project_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if getattr(args, "db", None) else default_project_path()


def open_project(args: argparse.Namespace, *, create: bool = False,
                 access: str = "write") -> AbstractContextManager[Project]:
    """The project for a ``with`` block. ``create``: only import makes a new
    file, and a failed block removes the file it made. ``access="read"``:
    a command that only reads works on a file it may not write."""
    return Project.opening(project_path(args), create=create, access=access,
                           busy_timeout=CLI_BUSY_TIMEOUT_S)
