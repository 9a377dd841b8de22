"""Packed inputs unpacked once: a zip member, or a file packed with gzip, bzip2 or xz (by its
magic bytes), is decompressed into a temporary copy where it must be sampled (beside other
inputs, once its time is found going back, or before `events` writes any of it: what it wrote
it could not take back), and read from there from then on, like any file: sampled before the
reading (`bulk.how_to_read`), read a piece at a time where its time goes back (`seams`), never
held in memory. Otherwise, alone and in order, it is read as a stream. A
UTF-16 input whose time goes back (as PowerShell 5 writes `Get-Content a.log, a.lo_ > all.log`)
is copied so too, written as UTF-8 (its text as the reading decodes it: the places of its runs
are then found as in any log). The copies are removed when the process ends
(`remove_copies`). Where no copy can be written (no room, no temporary directory), the input
is decompressed as it is read, as a stream."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
from itertools import chain
from typing import BinaryIO

from .archives import STDIN, packed_as, unpacked_blocks, zip_member
from .decoding import LineDecoder, sniff_encoding
from .members import open_member
from .stats import InputStats
from .stdin import BLOCK_SIZE, open_stdin

_copies: dict[str, str | None] = {}
"""Per input, the path of its copy (None: not packed, or no copy could be written)."""
_PEEK = 64
"""Bytes looked at to tell a packed or UTF-16 input (`decoding.sniff_encoding` reads as many)."""
_encodings: dict[str, str] = {}
"""Per input whose copy holds its UTF-16 text as UTF-8: its own encoding (`copied_encoding`)."""
_folder: list[str] = []


def copy_of(name: str, make: bool = True, text: bool = False) -> str | None:
    """The path of the unpacked copy of a packed input, made on first use (unless `make` is
    False: then only one made before); None for an input that is not packed, a pipe or a
    device (read once, as they come), or one whose copy could not be written. stdin is
    unpacked from its own copy (see `stdin`). Raises `InputError` for a member missing from
    its zip archive or data that does not decompress, as the reading would. With `text`, a
    UTF-16 input is copied too, its text as UTF-8 (where the places of its runs are needed)."""
    if name in _copies or not make:
        return _copies.get(name)
    member = zip_member(name)
    head = _head(name) if member is None else None  # (read once: packed, else UTF-16?)
    if member is None and not _packed(head):
        utf16 = head is not None and sniff_encoding(head)[0].startswith("utf-16")
        if not utf16:
            _copies[name] = None  # (never copied: noted once)
        if not (utf16 and text):
            return None
    if name == STDIN:
        source = open_stdin()
    else:
        source = open_member(name, *member) if member is not None else open(name, "rb")  # noqa: SIM115
    try:
        _copies[name] = _unpacked(name, source)
    finally:
        source.close()
    return _copies[name]


def packed(name: str) -> bool:
    """Whether an input is packed (a zip member, or gzip, bzip2 or xz by its magic bytes)."""
    return zip_member(name) is not None or _packed_file(name)


def copied_encoding(name: str) -> str | None:
    """The encoding of an input whose copy holds its UTF-16 text as UTF-8 (None for any other:
    its copy's encoding is its own)."""
    return _encodings.get(name)


def unpacked_size(name: str) -> tuple[int, int] | None:
    """(packed size, unpacked size) of an input with a copy (for a progress bar, which counts
    the bytes of the paths given); None without one."""
    copy = _copies.get(name)
    if copy is None or name == STDIN:
        return None
    member = zip_member(name)
    packed = os.path.getsize(member[0] if member is not None else name)
    return packed, os.path.getsize(copy)


def _packed_file(name: str) -> bool:
    return _packed(_head(name))


def _packed(head: bytes | None) -> bool:
    """Whether an input that begins with `head` is gzip, bzip2 or xz (None: never peeked at)."""
    return head is not None and packed_as(head[:8]) not in (None, "zip")


def _head(name: str) -> bytes | None:
    """The first bytes of a regular file or stdin, whose bytes are kept (peeking at them takes
    none away); None for a pipe (its bytes would be gone once peeked at) or a file that cannot
    be read (the reading says what is wrong)."""
    if name == STDIN:
        with open_stdin() as handle:
            return handle.read(_PEEK)
    if not os.path.isfile(name):
        return None
    try:
        with open(name, "rb") as handle:
            return handle.read(_PEEK)
    except OSError:
        return None


def _unpacked(name: str, source: BinaryIO) -> str | None:
    """Write the decompressed bytes of `source` (gzip, bzip2 or xz undone where its data starts
    with their magic: a zip member may be packed again) to a new copy; its path, or None where
    it cannot be written."""
    data = unpacked_blocks(iter(lambda: source.read(BLOCK_SIZE), b""), name)
    head = next(data, b"")
    encoding, _ = sniff_encoding(head)
    blocks = chain([head], data)
    try:
        path = os.path.join(_temporary_folder(), f"{len(_copies)}.log")
        with open(path, "wb") as copy:
            if not encoding.startswith("utf-16"):
                for block in blocks:
                    copy.write(block)
                return path
            stats = InputStats(name)
            decoder = LineDecoder(stats)
            for block in blocks:
                copy.write(decoder.feed(block).encode("utf-8", "surrogatepass"))
            copy.write(decoder.close().encode("utf-8", "surrogatepass"))
    except OSError:
        return None  # (read as a stream instead)
    if stats.encoding not in ("utf-16-le", "utf-16-be"):
        return None  # (files of two encodings pasted together: read as a stream)
    _encodings[name] = stats.encoding
    return path


def _temporary_folder() -> str:
    if not _folder:
        import tempfile  # (imported when an input is unpacked: it costs every command's start)

        # (a signal that ends the process between making the folder and noting it would leave
        # it behind: such signals wait until it is noted, where the platform can hold them)
        held = {signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)}
        mask = getattr(signal, "pthread_sigmask", None)
        before = mask(signal.SIG_BLOCK, held) if mask is not None else None
        try:
            _folder.append(tempfile.mkdtemp(prefix="logsync-"))
        finally:
            if mask is not None:
                mask(signal.SIG_SETMASK, before)
        atexit.register(remove_copies)
    return _folder[0]


def remove_copies() -> None:
    """Remove every copy (at the end of the process: the command line ends it with `os._exit`,
    which runs no `atexit` handler, so it calls this first)."""
    while _folder:
        shutil.rmtree(_folder.pop(), ignore_errors=True)
    _copies.clear()
    _encodings.clear()
