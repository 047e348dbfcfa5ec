"""A spaCy DocBin file written as its documents come (issue 15): the bytes
``DocBin.to_disk`` writes for the same Docs, in memory bounded by a batch.

``DocBin.to_bytes`` is ``zlib.compress(msgpack(msg))`` of one map whose
values gather every document: all token arrays in one bin, all space flags
in another, one list entry per document for cats, flags, span groups and
user data. A msgpack bin or array is a header (its length) followed by its
elements' encodings, so each document's pieces are spooled (compressed
fast) to anonymous temporary files beside the output as they come, the
lengths and the string table stay in memory (4 bytes a document; the
vocabulary), and at the end the map is written header by header through
one zlib stream with the spools copied in. zlib's output does not depend
on how its input is cut, so the file equals ``DocBin.to_disk``'s byte for
byte.

The per-document pieces come from spaCy's own ``DocBin.add`` (one DocBin
per batch, emptied into the spools), so they are whatever spaCy writes;
only the user data is packed here, with the packer srsly would use. What
this module writes by hand is the map's layout: ``KEYS`` in spaCy's order.
``same_layout`` checks it against the installed spaCy.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

# DocBin.to_bytes's map, in its order (spaCy 3.x, DocBin version "0.1").
KEYS = ("version", "attrs", "tokens", "spaces", "lengths", "strings", "cats", "flags", "span_groups",
        "user_data")
# One bin: every document's array bytes, concatenated.
_BINS = ("tokens", "spaces")
# One array: one entry per document.
_LISTS = ("cats", "flags", "span_groups", "user_data")

# Documents added to a DocBin before it is emptied into the spools: about
# 12 MB of token arrays for 1,500-character articles.
SPOOL_DOCUMENTS = 200
_COPY_CHUNK = 1 << 20


def same_layout() -> bool:
    """Whether the installed spaCy's DocBin map has the keys, in the order,
    that this module writes (a newer spaCy may add or reorder some)."""
    import srsly
    from spacy.tokens import DocBin

    msg = srsly.msgpack_loads(zlib.decompress(DocBin(store_user_data=True).to_bytes()))
    return isinstance(msg, dict) and tuple(msg) == KEYS


@contextmanager
def encoders_looked_up_once() -> Iterator[None]:
    """For the block, srsly's msgpack encoders are looked up once.

    srsly builds a msgpack Packer per ``msgpack_dumps`` call, and each looks
    its encoders up in every installed package's entry points (catalogue):
    spaCy's ``SpanGroups.to_bytes`` does it three times a Doc, 40% of the
    export's time per document here. No encoder is registered while an
    export runs, so the lookup's answer is kept and the bytes are the same.
    """
    from srsly.msgpack import msgpack_encoders as registry

    if "get_all" in vars(registry):  # already (another export in a thread)
        yield
        return
    found = registry.get_all()
    registry.get_all = lambda: dict(found)
    try:
        yield
    finally:
        vars(registry).pop("get_all", None)


def _sized(count: int, codes: tuple[int, int, int]) -> bytes:
    """A 1-, 2- or 4-byte big-endian length after its type byte."""
    if count < 1 << 8 and codes[0]:
        return struct.pack(">BB", codes[0], count)
    if count < 1 << 16:
        return struct.pack(">BH", codes[1], count)
    if count < 1 << 32:
        return struct.pack(">BI", codes[2], count)
    raise ValueError("msgpack cannot hold 2**32 items or bytes")


# The smallest form of each header, as every msgpack packer writes it.
def bin_header(size: int) -> bytes:
    return _sized(size, (0xC4, 0xC5, 0xC6))


def array_header(count: int) -> bytes:
    return bytes([0x90 | count]) if count < 16 else _sized(count, (0, 0xDC, 0xDD))


def map_header(count: int) -> bytes:
    return bytes([0x80 | count]) if count < 16 else _sized(count, (0, 0xDE, 0xDF))


class _Spool:
    """An anonymous temporary file holding one value's bytes, compressed
    fast (token arrays are mostly zeros: about a tenth of the disk)."""

    def __init__(self, folder: Path) -> None:
        # Anonymous where the system allows it (Linux): nothing to remove
        # even after a kill; elsewhere removed on close.
        self.file = tempfile.TemporaryFile(dir=folder, prefix=".spacy-spool-")
        self._compress = zlib.compressobj(1)
        self.size = 0  # bytes before compression

    def write(self, data: bytes) -> None:
        self.file.write(self._compress.compress(data))
        self.size += len(data)

    def read(self) -> Iterator[bytes]:
        self.file.write(self._compress.flush())
        self.file.seek(0)
        decompress = zlib.decompressobj()
        while chunk := self.file.read(_COPY_CHUNK):
            # A bounded piece at a time: a compressed MB of zeros is 50 MB.
            while chunk:
                yield decompress.decompress(chunk, _COPY_CHUNK)
                chunk = decompress.unconsumed_tail
        yield decompress.flush()


class StreamingDocBin:
    """``add`` Docs, then ``write`` the .spacy file once; ``close`` (or the
    ``with`` block's end) removes the spools whatever happened."""

    def __init__(self, folder: Path) -> None:
        from spacy.tokens import DocBin
        from srsly.msgpack import Packer

        # User data is packed here, not by DocBin.add: srsly.msgpack_dumps
        # builds a packer per call and looks its encoders up in every
        # installed package's entry points (0.1 ms or more a call).
        self._new_bin = lambda: DocBin(store_user_data=False)
        self._bin = self._new_bin()
        self._user_data: list[bytes] = []
        # The packer of srsly.msgpack_dumps, built once: the same bytes.
        self._pack = Packer(use_bin_type=True).pack
        self._spools: dict[str, _Spool] = {}
        try:
            for key in (*_BINS, *_LISTS):
                self._spools[key] = _Spool(folder)
        except BaseException:
            self.close()
            raise
        self._lengths = array("i")
        self._strings: set[str] = set()
        self._documents = 0

    def __enter__(self) -> StreamingDocBin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for spool in self._spools.values():
            spool.file.close()

    def add(self, doc: Any) -> None:
        self._bin.add(doc)
        self._user_data.append(self._pack(doc.user_data))
        if len(self._bin) >= SPOOL_DOCUMENTS:
            self._spool()

    def _spool(self) -> None:
        docbin, self._bin = self._bin, self._new_bin()
        docbin.user_data, self._user_data = self._user_data, []
        for key in _BINS:
            for part in getattr(docbin, key):
                self._spools[key].write(part.tobytes("C"))
        self._lengths.extend(len(tokens) for tokens in docbin.tokens)
        for key in _LISTS:
            self._spools[key].write(b"".join(map(self._pack, getattr(docbin, key))))
        self._strings |= docbin.strings
        self._documents += len(docbin)

    def write(self, out: IO[bytes]) -> None:
        """The whole file, compressed as ``zlib.compress`` does."""
        self._spool()
        import numpy

        empty = self._new_bin()
        compress = zlib.compressobj()

        def put(data: bytes) -> None:
            out.write(compress.compress(data))

        put(map_header(len(KEYS)))
        for key in KEYS:
            put(self._pack(key))
            if key == "version":
                put(self._pack(empty.version))
            elif key == "attrs":
                put(self._pack(empty.attrs))
            elif key in _BINS:
                put(bin_header(self._spools[key].size))
                for chunk in self._spools[key].read():
                    put(chunk)
            elif key == "lengths":
                put(self._pack(numpy.asarray(self._lengths, dtype="int32").tobytes("C")))
            elif key == "strings":
                put(array_header(len(self._strings)))
                strings = sorted(self._strings)
                for at in range(0, len(strings), 4096):
                    put(b"".join(map(self._pack, strings[at:at + 4096])))
            elif key in _LISTS:
                put(array_header(self._documents))
                for chunk in self._spools[key].read():
                    put(chunk)
            else:
                raise AssertionError(f"no writer for DocBin key {key!r}")
        out.write(compress.flush())
