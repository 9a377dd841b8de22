"""stdin kept: a pipe can be read only once, and its bytes are read from a copy (in memory, on
disk past 64 MiB) as often as needed: sampled before the reading (`bulk.how_to_read`), read
again where a reading must start over."""

from __future__ import annotations

import io
import sys
from typing import Any, BinaryIO

from .errors import InputError

BLOCK_SIZE = 1 << 19
"""Bytes read at a time from any input; also the usual size of one text chunk."""


class _StdinCopy:
    """What has been read of stdin so far, kept (in memory, on disk past 64 MiB) so that it
    can be read again: a pipe can be read only once, and a reading that must start over (an
    input whose times run backwards, see `analysis`) reads the copy and then the rest."""

    def __init__(self, stream: BinaryIO) -> None:
        import tempfile

        self.stream = stream
        self.copy = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 (kept open)
        self.size = 0

    def more(self, size: int) -> bytes:
        """Up to `size` more bytes of stdin (b"" at its end), kept at the end of the copy."""
        data = self.stream.read(size)
        if data:
            self.copy.seek(self.size)
            self.copy.write(data)
            self.size += len(data)
        return data


_stdin_copy: _StdinCopy | None = None


class _StdinReader(io.RawIOBase):
    """One reading of stdin from its first byte: the copy of what was read, then the rest."""

    def __init__(self, shared: _StdinCopy, start: int = 0) -> None:
        self.shared = shared
        self.position = start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        shared = self.shared
        view = memoryview(buffer).cast("B")
        if self.position < shared.size:
            shared.copy.seek(self.position)
            count = shared.copy.readinto(view[: shared.size - self.position])
        else:
            data = shared.more(len(view))
            count = len(data)
            view[:count] = data
        self.position += count
        return count


def _shared_stdin() -> _StdinCopy:
    global _stdin_copy
    if _stdin_copy is None or _stdin_copy.stream is not sys.stdin.buffer:
        _stdin_copy = _StdinCopy(sys.stdin.buffer)
    return _stdin_copy


def stdin_head(size: int) -> bytes:
    """The first `size` bytes of stdin (fewer where it holds fewer), kept for its reading."""
    shared = _shared_stdin()
    try:
        while shared.size < size and shared.more(BLOCK_SIZE):
            pass
    except OSError as exc:
        raise InputError("stdin", f"read error: {exc.strerror or exc}") from exc
    shared.copy.seek(0)
    return bytes(shared.copy.read(min(size, shared.size)))


def open_stdin(start: int = 0) -> BinaryIO:
    """stdin from its first byte (or from offset `start`, within what its copy holds),
    however often it is opened (see `_StdinCopy`)."""
    return io.BufferedReader(_StdinReader(_shared_stdin(), start), BLOCK_SIZE)


def stdin_copy() -> BinaryIO:
    """All of stdin, read to its end into its copy (see `_StdinCopy`), to be looked at before
    the reading, which reads the copy: a seekable handle that the caller must not close."""
    shared = _shared_stdin()
    try:
        while shared.more(BLOCK_SIZE):
            pass
    except OSError as exc:
        raise InputError("stdin", f"read error: {exc.strerror or exc}") from exc
    shared.copy.seek(0)
    return shared.copy  # type: ignore[return-value]
