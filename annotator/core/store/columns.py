"""How Python values are written into the project's JSON columns."""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"  # most spans: skip the encoder on bulk writes
        # Bulk imports repeat a few attribute sets (ENTITY type=LOC, ...).
        # repr() keeps True and 1 apart, which a dict key of the values would not.
        key = repr(value)
        cached = DUMPS_CACHE.get(key)
        if cached is None:
            if len(DUMPS_CACHE) > 4096:
                DUMPS_CACHE.clear()
            cached = DUMPS_CACHE[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return cached
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


DUMPS_CACHE: dict[str, str] = {}
