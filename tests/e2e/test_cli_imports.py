"""What a command imports (issue 15 item 4): `--version` loads no command
module and no store; a command loads only its own module; nothing loads
pandas or numpy through sqlite-utils. Checked in a fresh interpreter,
since this process has long imported everything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import COMMAND_MODULES, _modules_for

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

_PROBE = (
    "import json, sys\n"
    "from annotator.cli import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "except SystemExit as exc:\n"
    "    code = exc.code\n"
    "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + '\\n')\n"
)


def _modules_after(*argv: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True,
                          check=True, timeout=120)
    line = [x for x in done.stderr.splitlines() if x.startswith("MODULES ")][-1]
    return set(json.loads(line[len("MODULES "):]))


def _command_modules(modules: set[str]) -> set[str]:
    return {name for name in COMMAND_MODULES if f"annotator.cli.{name}" in modules}


def test_version_imports_no_command_module_and_no_store() -> None:
    modules = _modules_after("--version")
    assert _command_modules(modules) == set()
    assert "annotator.core.store" not in modules
    assert "sqlite_utils" not in modules


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("startup") / "p.db")
    subprocess.run([sys.executable, "-m", "annotator", "import", "--db", db, str(SEEDS)],
                   check=True, capture_output=True, timeout=120)
    return db


def test_list_imports_only_its_module_and_no_pandas(small_db: str) -> None:
    modules = _modules_after("list", "--db", small_db)
    assert _command_modules(modules) == {"listing"}
    assert "sqlite_utils" in modules
    assert {"pandas", "numpy", "PySide6"} & modules == set()


def test_pandas_still_importable_after_the_store() -> None:
    code = ("import sys, annotator.core.store; assert 'pandas' not in sys.modules; "
            "import pandas; print(type(pandas.DataFrame).__name__)")
    pytest.importorskip("pandas")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.strip() == "type"


@pytest.mark.parametrize(("argv", "expected"), [
    (["--version"], []),
    ([], []),
    (["--db", "list"], []),  # a project file named like a command: the window
    (["--db", "p.db", "list", "--json"], ["listing"]),
    (["tags", "relations", "add"], ["tags"]),
    (["--help"], COMMAND_MODULES),
    (["lst"], COMMAND_MODULES),  # a typo: argparse lists every command
    (["export", "-h"], ["export"]),
])
def test_modules_for_picks_the_named_command(argv: list[str], expected: list[str]) -> None:
    assert _modules_for(argv) == expected
