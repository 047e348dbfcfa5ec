"""Run the `annotator` command in-process, as the tests of every CLI command do.

``annotator.cli.main(argv)`` with stdout and stderr captured and the
environment changed only for the call: the same code path as the installed
command, without a Python start-up per call. Tests where a separate process
is the point (the window starting, a killed process) use subprocess instead.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from annotator.cli import main


@dataclass(frozen=True)
class Result:
    """What subprocess.CompletedProcess would hold, for the same assertions."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(changes: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def annotator(*args: object, env: Mapping[str, str] | None = None) -> Result:
    """``annotator ARGS...`` -> exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with _environment(env or {}), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return Result(code, out.getvalue(), err.getvalue())
