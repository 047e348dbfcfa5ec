"""JSON from other tools' files, decoded without ever raising anything but
an InputError naming the file and line.

``json`` itself raises more than JSONDecodeError on hostile input: a value
nested 10^5 deep is a RecursionError, an integer of over 4,300 digits a
ValueError, and a ``\\ud800`` escape decodes to a lone surrogate that SQLite
later refuses to store (UnicodeEncodeError). All three become one-line errors.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError

# A JSON escape of a surrogate code point; only then can a decoded value hold
# a lone surrogate, so the (slower) walk over the value runs only then.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DECODER = json.JSONDecoder()


def may_hold_surrogates(text: str) -> bool:
    return _SURROGATE_ESCAPE.search(text) is not None


def decode_at(text: str, index: int, path: Path | str, line: int | None,
              check_surrogates: bool = True, what: str = "") -> tuple[Any, int]:
    """One JSON value starting at ``index`` and the index after it.
    ``line``: the line of ``text`` that ``text`` starts on (a JSONL line), or
    None when ``text`` is the whole file (the line is counted on error);
    ``what`` prefixes the message (e.g. "task 3: ", for a minified array)."""
    try:
        value, end = _DECODER.raw_decode(text, index)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"{what}malformed JSON: {exc.msg} (column {exc.colno})",
                         exc.lineno if line is None else line + exc.lineno - 1) from None
    except RecursionError:
        raise InputError(path, f"{what}JSON nested too deeply", _line(text, index, line)) from None
    except ValueError as exc:  # an integer too long to convert
        raise InputError(path, f"{what}JSON number refused: {str(exc).split(';')[0]}",
                         _line(text, index, line)) from None
    if check_surrogates:
        check_no_surrogates(value, path, _line(text, index, line), what)
    return value, end


def _line(text: str, index: int, line: int | None) -> int:
    return text.count("\n", 0, index) + (1 if line is None else line)


def loads(text: str, path: Path | str, line: int | None) -> Any:
    """A whole JSON document (one JSONL line)."""
    value, end = decode_at(text, _skip_space(text, 0), path, line,
                           check_surrogates=may_hold_surrogates(text))
    if _skip_space(text, end) < len(text):
        raise InputError(path, f"malformed JSON: Extra data (column {end + 1})", line)
    return value


def check_no_surrogates(value: Any, path: Path | str, line: int | None, what: str = "") -> None:
    """InputError when any string (or key) inside ``value`` holds a lone
    surrogate; iterative, so a deep value cannot overflow the stack."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                raise InputError(path, f"{what}JSON string holds a lone surrogate "
                                       f"U+{ord(found.group()):04X}; not valid Unicode", line)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index
