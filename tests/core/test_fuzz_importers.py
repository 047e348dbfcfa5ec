"""A seeded fuzzer over every importer (issue 8, item 6).

From valid files of each format (written by our own exporters, or by hand
for plain documents), each run derives the same mutated cases from fixed
seeds: byte flips, truncation, deleted and repeated slices, hostile tokens
(deep nesting, huge integers, lone surrogate escapes, superscript and
Arabic-Indic digits, NUL, ESC, BOM, CRLF) and, for JSON, values swapped for
the wrong type and offsets moved out of range. Every case must end in
success or in one of our one-line errors (AnnotatorError), never another
exception, and a refused import must leave the project file byte-identical.

Bounded: CASES_PER_IMPORTER x 8 importers (1,200 cases) run in about 10 s
here; the hostile tokens are sized to trip Python's limits, not to be slow.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.formats.exports.dispatch import FormatOptions, export_project
from annotator.core.formats.imports.dispatch import import_annotations
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions
from annotator.core.formats.textmap import OffsetUnits
from annotator.core.formats.imports.plain_text import import_paths
from annotator.core.model import GOLD, NewDocument, NewSpan
from annotator.core.store import Project

CASES_PER_IMPORTER = 150
IMPORTERS = ["own", "jsonl", "doccano-label", "doccano-entities", "labelstudio", "brat", "conll", "txt"]
SEED = 20261202

TEXTS = [
    "قالَ الرئيسُ إنّ الوفد زار بالعراق في 5 مايو 2021.",
    "😀 وصل الوفد إلى بغداد\nوالتقى ﻻ بالوزير\u200cأمس",
    "أعلنت الـــوزارة عن خطة 🇸🇦 جديدة.",
]
HOSTILE = [
    "[" * 50_000, "{\"a\":" * 20_000, "9" * 5000, "-" + "1" * 4400, "\\ud800", "\"\\udfff\"",
    "\\ud83d\\ude00", "²", "٣", "\x00", "\x1b[2J", "\x1b", "\ufeff", "\r\n", "\r", "\u202e",
    "1e999", "-1", "null", "true", "{}", "[]", "\"\"", ",", "\"x\"", "\t", "\n\n", "\\", "\"",
    "T1\tCLAIM 0 ²\tx", "B-", "I-CLAIM", "\udcff",
]
WRONG = [None, True, False, 0, -1, 2**70, 1.5, "", "x", "\x1b", [], {}, [1, 2], {"a": None},
         ["CLAIM"], [[0, 1, 2]], "..", "a/b"]


# -- valid seed files -----------------------------------------------------------------

def _seed_project(path: Path) -> Project:
    project = Project.open(path)
    docs = project.add_documents([NewDocument(f"doc {i}", t) for i, t in enumerate(TEXTS)])
    project.add_annotator("Lisa")
    t0 = TEXTS[0]
    project.add_spans([
        NewSpan(docs[0].id, GOLD, 0, len(t0) - 1, "CLAIM", note="سطر\nثان"),
        NewSpan(docs[0].id, GOLD, t0.index("العراق"), t0.index("العراق") + 6, "ENTITY", {"type": "LOC"}),
        NewSpan(docs[0].id, GOLD, t0.index("5"), t0.index("2021") + 4, "DATE", {"value": "2021-05-05"}),
        NewSpan(docs[1].id, "Lisa", 17, 22, "ENTITY", {"unsure": True}),
        NewSpan(docs[1].id, "Lisa", 0, 13, "CLAIM"),
    ])
    return project


def _seeds(root: Path) -> dict[str, list[tuple[str, bytes]]]:
    """Importer -> its valid files as (relative name, bytes)."""
    out = root / "seed-exports"
    out.mkdir()
    with _seed_project(root / "seed.db") as project:
        all_layers = ExportOptions(layer=ALL_LAYERS)
        export_project(project, "own", out / "own.jsonl", all_layers)
        export_project(project, "doccano", out / "label.jsonl", all_layers)
        export_project(project, "doccano", out / "entities.jsonl", all_layers,
                       FormatOptions(doccano_shape="entities"))
        export_project(project, "labelstudio", out / "ls.json", all_layers)
        export_project(project, "brat", out / "brat", all_layers)
        export_project(project, "conll", out / "x.conll")
    brat_files = sorted(p for p in (out / "brat").rglob("*") if p.is_file())
    docs = "".join(json.dumps({"text": t, "id": i, "meta": {"n": i}}, ensure_ascii=False) + "\n"
                   for i, t in enumerate(TEXTS))
    return {
        "own": [("in.jsonl", (out / "own.jsonl").read_bytes())],
        "jsonl": [("in.jsonl", docs.encode())],
        "doccano-label": [("in.jsonl", (out / "label.jsonl").read_bytes())],
        "doccano-entities": [("in.jsonl", (out / "entities.jsonl").read_bytes())],
        "labelstudio": [("in.json", (out / "ls.json").read_bytes())],
        "brat": [(str(p.relative_to(out / "brat")), p.read_bytes()) for p in brat_files],
        "conll": [("in.conll", (out / "x.conll").read_bytes())],
        "txt": [("in.txt", TEXTS[1].encode("utf-8"))],
    }


# -- mutations ------------------------------------------------------------------------

def _splice(rng: random.Random, data, insert):
    at = rng.randrange(len(data) + 1)
    return data[:at] + insert + data[at:]


def _bytes_mutation(rng: random.Random, data: bytes) -> bytes:
    """Raw byte damage a quarter of the time (mostly refused as not UTF-8);
    otherwise damage to the decoded text, so the parsers behind the decoder
    see it too."""
    if not data:
        return rng.choice(HOSTILE).encode("utf-8", "surrogatepass")
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:  # damaged by an earlier mutation: damage it more
        text = None
    if text is None or rng.random() < 0.25:
        buf = bytearray(data)
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 4)):
                buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
            return bytes(buf)
        return _splice(rng, data, bytes(rng.randrange(256) for _ in range(rng.randint(1, 6))))
    kind = rng.randrange(5)
    if kind == 0:  # truncate
        text = text[:rng.randrange(len(text))]
    elif kind == 1:  # delete a slice
        a = rng.randrange(len(text))
        text = text[:a] + text[a + rng.randint(1, 40):]
    elif kind == 2:  # repeat a slice somewhere
        a = rng.randrange(len(text))
        text = _splice(rng, text, text[a:a + rng.randint(1, 80)])
    elif kind == 3:  # a hostile token
        text = _splice(rng, text, rng.choice(HOSTILE))
    else:  # a hostile token at a line start or end (where line parsers look)
        lines = text.split("\n")
        i = rng.randrange(len(lines))
        token = rng.choice(HOSTILE)
        lines[i] = token + lines[i] if rng.random() < 0.5 else lines[i] + token
        text = "\n".join(lines)
    return text.encode("utf-8", "surrogatepass")


def _nodes(value: Any, path: tuple = ()) -> list[tuple]:
    """Paths to every value inside a JSON value."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nodes(item, (*path, index))
    return found


def _set(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return value


def _json_mutation(rng: random.Random, value: Any) -> Any:
    paths = _nodes(value)
    path = rng.choice(paths)
    current = value
    for key in path:
        current = current[key]
    kind = rng.randrange(4)
    if kind == 0 or not isinstance(current, (int, str)) or isinstance(current, bool):
        return _set(value, path, rng.choice(WRONG))
    if kind == 1 and isinstance(current, int):  # offsets out of range or swapped
        return _set(value, path, rng.choice([current + rng.randint(1, 200), -current - 1, 10**18,
                                             current * 1000, 0]))
    if kind == 2 and path and isinstance(path[-1], str):  # drop the key
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        del parent[path[-1]]
        return value
    if isinstance(current, str):  # a hostile character inside a string
        at = rng.randrange(len(current) + 1)
        token = rng.choice(["\x00", "\x1b", "\ud800", "\u202e", "\r\n", "\ufeff", "..", "/"])
        return _set(value, path, current[:at] + token + current[at:])
    return _set(value, path, rng.choice(WRONG))


# Raw JSON that json.dumps cannot produce from a value, put in place of a
# marker value: what trips json.loads itself, at a place a reader looks.
_MARKER = "\x00fuzz-marker"
_RAW = ["[" * 30_000 + "]" * 30_000, '{"a":' * 30_000 + "1" + "}" * 30_000, "9" * 4400,
        "-" + "7" * 5000, '"\\ud800"', '"x\\udc00"', '["\\udbff"]', '{"\\ud800": 1}']


def _with_raw_values(rng: random.Random, value: Any, ensure_ascii: bool) -> str:
    if rng.random() < 0.3:
        path = rng.choice(_nodes(value))
        value = _set(value, path, _MARKER)
    return json.dumps(value, ensure_ascii=ensure_ascii).replace(
        json.dumps(_MARKER), rng.choice(_RAW), 1)


def _mutate_json(rng: random.Random, data: bytes, array: bool) -> bytes:
    text = data.decode("utf-8")
    if array:
        value = json.loads(text)
        for _ in range(rng.randint(1, 3)):
            value = _json_mutation(rng, value)
        return _with_raw_values(rng, value, rng.random() < 0.3).encode("utf-8", "surrogatepass")
    lines = text.split("\n")
    i = rng.randrange(len([line for line in lines if line]) or 1)
    record = json.loads(lines[i])
    for _ in range(rng.randint(0, 2)):
        record = _json_mutation(rng, record)
    lines[i] = _with_raw_values(rng, record, rng.random() < 0.3)
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _mutate_ann(rng: random.Random, data: bytes) -> bytes:
    """brat's .ann, field by field: offsets in other digits, out of range or
    swapped, ids repeated, fields dropped, labels changed."""
    lines = data.decode("utf-8").split("\n")
    spans = [i for i, line in enumerate(lines) if line.startswith("T")]
    if not spans:
        return _bytes_mutation(rng, data)
    i = rng.choice(spans)
    span_id, middle, text = (lines[i].split("\t") + ["", ""])[:3]
    label, *offsets = middle.split(" ")
    kind = rng.randrange(6)
    if kind == 0 and offsets:  # an offset in other digits or out of range
        j = rng.randrange(len(offsets))
        offsets[j] = rng.choice(["²", "٣", "١٠", "-1", "9" * 5000, "999999", "0x10", "3.0", "",
                                 offsets[j] + "²", offsets[j].split(";")[0] + ";"])
    elif kind == 1:  # the same id twice
        lines.insert(rng.randrange(len(lines) + 1), lines[i])
    elif kind == 2:  # swapped offsets
        offsets.reverse()
    elif kind == 3:
        label = rng.choice(["", "UNKNOWN", "CL\u202eAIM", "..", "X" * 300, "CLAIM\x1b"])
    elif kind == 4:  # an attribute or note on a span that is not there
        lines.append(rng.choice([f"A9\tunsure T99", "#9\tAnnotatorNotes T99\tnote", "A9\ttype",
                                 f"A9\ttype {span_id} " + "x" * 10, "R1\tRel Arg1:T1 Arg2:T99",
                                 "E1\tEvent:T1", "#9\tAnnotatorNotes", "Z1\twhat"]))
    else:  # a field dropped
        text = "" if rng.random() < 0.5 else text + "\t" + text
    lines[i] = f"{span_id}\t{' '.join([label, *offsets])}\t{text}"
    return "\n".join(lines).encode("utf-8")


def _mutate(rng: random.Random, importer: str, files: list[tuple[str, bytes]]
            ) -> list[tuple[str, bytes]]:
    files = list(files)
    for _ in range(rng.randint(1, 2)):
        index = rng.randrange(len(files))
        name, data = files[index]
        if name.endswith(".ann") and rng.random() < 0.6:
            try:
                data = _mutate_ann(rng, data)
            except UnicodeDecodeError:
                data = _bytes_mutation(rng, data)
        elif name.endswith((".jsonl", ".json")) and rng.random() < 0.6:
            try:
                data = _mutate_json(rng, data, name.endswith(".json"))
            except (ValueError, RecursionError):  # an earlier mutation broke the JSON
                data = _bytes_mutation(rng, data)
        else:
            data = _bytes_mutation(rng, data)
        files[index] = (name, data)
    return files


# -- running ----------------------------------------------------------------------

def _project_bytes(path: Path) -> tuple[bytes, bytes]:
    wal = Path(f"{path}-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


def _importer(importer: str, rng: random.Random,
              units: OffsetUnits | None = None) -> Callable[[Project, Path], object]:
    """``units`` given: read offsets that way; else a random choice, auto
    (None) included."""
    add_labels = rng.random() < 0.7
    annotator = rng.choice([None, None, "Max"])
    if importer == "txt":
        return lambda project, path: import_paths(project, [path / "in.txt"])
    if importer == "jsonl":
        return lambda project, path: import_paths(project, [path / "in.jsonl"], as_jsonl=True)
    fmt = importer.split("-")[0]
    if units is None and fmt in ("doccano", "labelstudio"):
        units = rng.choice([None, OffsetUnits.CODEPOINTS, OffsetUnits.UTF16])
    target = {"own": "in.jsonl", "doccano": "in.jsonl", "labelstudio": "in.json",
              "conll": "in.conll", "brat": ""}[fmt]
    return lambda project, path: import_annotations(project, fmt, [path / target] if target else [path],
                                                    annotator=annotator, add_labels=add_labels,
                                                    offset_units=units)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, list[tuple[str, bytes]]]:
    return _seeds(tmp_path_factory.mktemp("fuzz-seeds"))


@pytest.mark.parametrize("importer", IMPORTERS)
def test_mutated_files_never_give_a_traceback_nor_change_a_project_they_refuse(
        seeds, tmp_path: Path, importer: str) -> None:
    rng = random.Random(f"{SEED}-{importer}")
    case_dir = tmp_path / "case"
    tracebacks, changed, multi_line = [], [], []
    outcomes = {"refused": 0, "imported": 0}
    with Project.open(tmp_path / "fuzz.db") as project:
        # The unmutated files import: the fuzzer starts from valid input (in
        # code points: with emoji before a span, auto may rightly refuse them).
        _write(case_dir, seeds[importer])
        _importer(importer, random.Random(0), OffsetUnits.CODEPOINTS)(project, case_dir)
        for case in range(CASES_PER_IMPORTER):
            files = _mutate(rng, importer, seeds[importer])
            run = _importer(importer, rng)
            _write(case_dir, files)
            before = _project_bytes(project.path)
            try:
                run(project, case_dir)
            except AnnotatorError as exc:
                outcomes["refused"] += 1
                if "\n" in str(exc):
                    multi_line.append((case, str(exc)[:300]))
                if _project_bytes(project.path) != before:
                    changed.append((case, str(exc)[:200]))
            except Exception as exc:  # what the fuzzer looks for: a bug of ours
                tracebacks.append((case, f"{type(exc).__name__}: {str(exc)[:200]}"))
            else:
                outcomes["imported"] += 1
    assert not tracebacks, f"{len(tracebacks)} traceback(s): {tracebacks[:5]}"
    assert not changed, f"refused imports changed the project: {changed[:5]}"
    assert not multi_line, f"errors over several lines: {multi_line[:5]}"
    assert sum(outcomes.values()) == CASES_PER_IMPORTER
    assert outcomes["refused"] > CASES_PER_IMPORTER // 10, outcomes  # the mutations do bite


def _write(folder: Path, files: list[tuple[str, bytes]]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    for name, data in files:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
