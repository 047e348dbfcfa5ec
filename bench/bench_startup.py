"""Startup of the CLI commands (issue 15 item 4): `annotator --version` and
`annotator list` on a small project, each beside the floor
`python -c "import sqlite3"` run by the same interpreter in the same run.
Target: within 5x of the floor. Also prints peak RSS (ru_maxrss of the child).

    .venv/bin/python bench/bench_startup.py
    .venv/bin/python bench/bench_startup.py --root /tmp/old-checkout   # time another checkout
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SEEDS, print_table  # noqa: E402


_LAUNCH = (
    "import os, sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)]; "
    "sys.path.insert(0, os.environ['ANNOTATOR_BENCH_ROOT']); "
    "import annotator; print(annotator.__file__) if sys.argv[1:] == ['--where'] else None; "
    "from annotator.cli import main; sys.argv[1:] == ['--where'] or sys.exit(main(sys.argv[1:]))"
)


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and the child's peak RSS in KB (the max over children so far)."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def median_run(argv: list[str], env: dict[str, str], repeat: int) -> float:
    return statistics.median(run_once(argv, env)[0] for _ in range(repeat))


def rss_of(argv: list[str], env: dict[str, str]) -> int:
    """Peak RSS of one run, measured in a fresh child so earlier runs do not mask it."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *argv], env=env, check=True,
                         capture_output=True, text=True).stdout
    return int(out.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="run the annotator package from this checkout")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    env = dict(os.environ)
    # A user's Python caches bytecode; with caching off (some sandboxes set
    # this) every run would compile the package anew, which no user pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable
    run = [py, "-m", "annotator"]
    if args.root:
        # The editable install's finder outranks PYTHONPATH: drop it first.
        env["ANNOTATOR_BENCH_ROOT"] = str(args.root)
        run = [py, "-c", _LAUNCH]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "small.db")
        subprocess.run([*run, "import", "--db", db, str(SEEDS)], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        where = subprocess.run([*run, "--where"] if args.root else [py, "-c", "import annotator; print(annotator.__file__)"], env=env,
                               check=True, capture_output=True, text=True).stdout.strip()
        floor_argv = [py, "-c", "import sqlite3"]
        cases = {
            "annotator --version": [*run, "--version"],
            "annotator list (5 documents)": [*run, "list", "--db", db],
            "annotator tags (5 documents)": [*run, "tags", "--db", db],
        }
        # Interleave floor and case runs so machine load hits both alike.
        rows = []
        for what, argv in cases.items():
            floor = median_run(floor_argv, env, args.repeat)
            ours = median_run(argv, env, args.repeat)
            rows.append((what, ours, floor, "< 5x floor"))
        print(f"annotator from {where}")
        print_table("Command startup (subprocess wall time, medians)", rows)
        print("\npeak RSS: floor %d KB; " % rss_of(floor_argv, env)
              + "; ".join(f"{what} {rss_of(argv, env)} KB" for what, argv in cases.items()))


if __name__ == "__main__":
    main()
