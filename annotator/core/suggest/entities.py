"""Entity names found again: every name an annotator (or gold) has tagged,
and every gazetteer name, proposed wherever it occurs.

Matching is on the folded text (search.fold), so harakat, tatweel and
letter variants do not matter, and a name glued to a proclitic (والكاظمي،
بالعراق، للولايات المتحدة) is found with the proclitic left outside. Unlike a
plain string matcher, it never proposes the inside of a longer word.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.text.search import FoldedText, fold
from annotator.core.text.segmentation import cluster_end
from annotator.core.suggest.patterns import trie_pattern


@dataclass(frozen=True)
class EntityMatch:
    start: int
    end: int
    name: str  # the folded name that matched
    type: str | None
    rule: str  # entity.propagated or entity.gazetteer


def name_key(surface: str) -> str:
    """How a name is compared: folded, with runs of spaces as one."""
    return " ".join(fold(surface).split())


# Words no entity is made of alone; a span tagged by mistake on one would
# otherwise be proposed on every line.
FUNCTION_WORDS = {fold(w) for w in (
    "في", "من", "على", "إلى", "الى", "عن", "مع", "أن", "إن", "أو", "ثم", "لا", "لم", "لن", "ما",
    "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "الذين", "كان", "كانت", "قد", "بعد", "قبل",
    "عند", "بين", "حتى", "كل", "غير", "هو", "هي", "هم", "نحن", "أنه", "أنها", "إنه", "لكن",
    "وقال", "قال", "كما", "حيث", "منذ", "خلال", "أي", "بل", "إذا", "ولا", "وفي", "فيه", "فيها",
)}


class EntityLexicon:
    """Names with their type, compiled once for many documents."""

    def __init__(self) -> None:
        self._types: dict[str, Counter] = defaultdict(Counter)
        self._rules: dict[str, str] = {}
        self._tagged: Counter[str] = Counter()  # spans (not gazetteer entries) per name
        self._pattern: re.Pattern | None = None

    @staticmethod
    def _learnable(key: str) -> bool:
        # A letter, a number or "في" proposed everywhere helps no one.
        return len(key.replace(" ", "")) >= 2 and any(ch.isalpha() for ch in key) \
            and key not in FUNCTION_WORDS

    def add(self, surface: str, type_: str | None, rule: str, count: int = 1) -> None:
        """Learn a name; ``count`` spans of it, when the store counted them."""
        key = name_key(surface)
        if not self._learnable(key):
            return
        if key not in self._types:
            self._pattern = None  # a known name again leaves the pattern as it is
        self._types[key][type_] += count
        if rule == "entity.propagated":
            self._tagged[key] += count
        # A name the annotator tagged outranks the same name in the gazetteer.
        if self._rules.get(key) != "entity.propagated":
            self._rules[key] = rule

    def discard(self, surface: str, type_: str | None) -> bool | None:
        """One tagged span of a name went away. True: the lexicon no longer
        has the name; False: it still has it (other spans, the gazetteer) or
        never could; None: it did not count that span (ask the store again)."""
        key = name_key(surface)
        if not self._learnable(key):
            return False
        counts = self._types.get(key)
        if counts is None or counts[type_] <= 0 or self._tagged[key] <= 0:
            return None
        counts[type_] -= 1
        if counts[type_] == 0:
            del counts[type_]
        self._tagged[key] -= 1
        if counts:
            if self._tagged[key] == 0:
                self._rules[key] = "entity.gazetteer"
            return False
        del self._types[key], self._tagged[key], self._rules[key]
        self._pattern = None
        return True

    def __len__(self) -> int:
        return len(self._types)

    def __contains__(self, key: str) -> bool:
        return key in self._types

    def type_of(self, key: str) -> str | None:
        counts = self._types[key]
        typed = [(n, t) for t, n in counts.items() if t]
        return max(typed)[1] if typed else None

    def pattern(self) -> re.Pattern | None:
        if self._pattern is None and self._types:
            names = trie_pattern(self._types)
            # ال names after ل lose their alef: للولايات = ل + لولايات.
            rests = [k[1:] for k in self._types if k.startswith("ال") and len(k) > 3]
            lil = (r"|(?<!\w)[وف]?ل(?P<lil>" + trie_pattern(rests) + r")(?!\w)") if rests else ""
            self._pattern = re.compile(
                r"(?<!\w)(?:[وف]?[بكل]?(?:ال)?)(?P<name>" + names + r")(?!\w)" + lil
            )
        return self._pattern


def find_entities(text: str, lexicon: EntityLexicon,
                  folded: FoldedText | None = None) -> list[EntityMatch]:
    """Every occurrence of a lexicon name in ``text``, in order, none overlapping."""
    return list(iter_entities(text, lexicon, folded))


def iter_entities(text: str, lexicon: EntityLexicon,
                  folded: FoldedText | None = None) -> Iterator[EntityMatch]:
    """find_entities one match at a time."""
    pattern = lexicon.pattern()
    if pattern is None:
        return
    ft = folded or FoldedText(text)
    for m in pattern.finditer(ft.folded):
        group = "name" if m.group("name") is not None else "lil"
        begin, finish = m.span(group)
        key = " ".join(m.group(group).split())
        if group == "lil":
            key = "ا" + key
        start = ft.to_original(begin)
        end = cluster_end(text, ft.to_original(finish - 1) + 1)
        yield EntityMatch(start, end, key, lexicon.type_of(key), lexicon._rules[key])


_BEFORE_NAME = re.compile(r"(?<!\w)[وف]?[بكل]?(?:ال)?\Z")


def find_name(text: str, key: str, type_: str | None, rule: str,
              folded: FoldedText | None = None) -> list[EntityMatch]:
    """Occurrences of one name (a name_key), as find_entities would find
    them, but with str.find: the window looks up a name just tagged without
    compiling the whole lexicon again."""
    ft = folded or FoldedText(text)
    haystack = ft.folded
    found = []
    at = haystack.find(key)
    while at >= 0:
        after = at + len(key)
        if ((after == len(haystack) or not _WORD.match(haystack, after))
                and _BEFORE_NAME.search(haystack, max(0, at - 4), at)):
            start = ft.to_original(at)
            end = cluster_end(text, ft.to_original(after - 1) + 1)
            found.append(EntityMatch(start, end, key, type_, rule))
        at = haystack.find(key, at + 1)
    return found


_WORD = re.compile(r"\w")
