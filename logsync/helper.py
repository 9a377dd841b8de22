"""A second process that works on some of a file's chunks, in step with this one.

The work on one chunk of log text (proving its lines are records, or writing its JSON) does not
depend on the chunks before it, so a forked helper can do it for some chunks while this
process does the others. The helper reads the file again on its own, into the same chunks, and
sends back for each of its chunks a header (chunk number, chunk length, payload size, counts)
and a payload. Memory stays bounded: the helper blocks on the pipe until its result is taken.

Anything unexpected (the helper died, the file changed under it) makes `take` return None, and
the caller does that chunk, and all later ones, itself. Used only for a large regular file, on a
machine with a second CPU, from a process with no other threads (so forking is safe).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from .formats import framed
from .sources import STDIN, InputStats, text_chunks

MIN_BYTES = 16 << 20
"""Inputs smaller than this get no helper: a fork costs more than it saves."""

Done = tuple[bytes, tuple[int, ...]]
"""The helper's result for one chunk: a payload and counts."""
Work = Callable[[int, str, int], Done]
"""What the helper does with one chunk: (chunk number, text, its first line) -> (payload,
counts). `text` is the chunk between a leading and a final line break."""


def worth_helping(name: str) -> bool:
    if name == STDIN or not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    try:
        if hasattr(os, "sched_getaffinity"):
            cpus = len(os.sched_getaffinity(0))
        else:
            cpus = os.cpu_count() or 1
        return cpus > 1 and os.path.getsize(name) >= MIN_BYTES
    except OSError:
        return False


def helped_chunks(
    name: str,
    chunks: Iterable[str],
    stats: InputStats,
    work: Work,
    mine: Callable[[int], bool],
) -> Iterator[tuple[str, int, Done | None]]:
    """Each chunk of input `name` as (framed text, its first line, the helper's result or
    None), a helper doing `work` on the chunks that are `mine` if one is worth it. Counts the
    input's lines at the end."""
    helper = Helper.start(name, work, mine)
    try:
        first_line = 1
        for index, chunk in enumerate(chunks):
            text = framed(chunk)
            done = helper.take(index, len(chunk)) if helper is not None and mine(index) else None
            yield text, first_line, done
            first_line += text.count("\n") - 1
        stats.lines = first_line - 1
    finally:
        if helper is not None:
            helper.close()


class Helper:
    """The parent's end of a helper process; see the module docstring."""

    def __init__(self, pid: int, reader: BinaryIO) -> None:
        self.pid = pid
        self._reader: BinaryIO | None = reader

    @classmethod
    def start(cls, name: str, work: Work, mine: Callable[[int], bool]) -> Helper | None:
        """Fork a helper doing `work` for the chunks whose number (from 0) is `mine`."""
        if not worth_helping(name):
            return None
        read_fd, write_fd = os.pipe()
        _widen(write_fd)
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the helper: never returns
            os.close(read_fd)
            _serve(name, write_fd, work, mine)
        os.close(write_fd)
        return cls(pid, os.fdopen(read_fd, "rb"))

    def take(self, index: int, length: int) -> Done | None:
        """The helper's (payload, counts) for chunk `index` of `length` characters, or None:
        then do it yourself (the helper is no longer asked)."""
        if self._reader is None:
            return None
        header = self._reader.readline().split()
        if len(header) >= 3 and header[:2] == [b"%d" % index, b"%d" % length]:
            size = int(header[2])
            payload = self._reader.read(size)
            if len(payload) == size:
                return payload, tuple(int(count) for count in header[3:])
        self.close()
        return None

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
            os.waitpid(self.pid, 0)


def _widen(fd: int) -> None:
    """A bigger pipe means fewer switches between the two processes (Linux only)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def _serve(name: str, fd: int, work: Work, mine: Callable[[int], bool]) -> None:
    """The helper process's whole life."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        with os.fdopen(fd, "wb") as out:
            first_line = 1
            for index, chunk in enumerate(text_chunks(name, InputStats(name))):
                text = framed(chunk)
                if mine(index):
                    payload, counts = work(index, text, first_line)
                    numbers = " ".join(str(count) for count in counts)
                    out.write(f"{index} {len(chunk)} {len(payload)} {numbers}\n".encode() + payload)
                    out.flush()
                first_line += text.count("\n") - 1
    except BaseException:  # the parent does the rest itself
        status = 1
    finally:
        os._exit(status)
