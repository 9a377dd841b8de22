"""Follow a live CloudUserSync.log through appends, rotation and truncation.

The file is opened for each poll and closed again, and opened so that its writer may rename or
delete it meanwhile (on Windows, with delete sharing: see `sharing`), so the connector can always
rename it to `.lo_` (Windows refuses to rename a file that another process holds open without
delete sharing). What the watch makes of what it reads is `watch`'s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .archives import archive_kind, kind_words, packed_as, zip_member
from .decoding import LineDecoder
from .doubled import not_doubled
from .errors import InputError
from .members import open_member
from .sharing import open_shared
from .sources import InputStats, path_given

LOG_NAME = "CloudUserSync.log"


def live_path(target: str) -> Path:
    """The live log a PATH argument stands for: a directory means its CloudUserSync.log, in
    whatever case the file's name is written (or that name, until the log appears). A missing
    log (a name ending in `.log`, in a directory that exists) is one to wait for; any other
    missing path, a directory that does not exist or cannot be read, and an archive (no live
    log: `report` reads it) are errors."""
    if target == "-":
        raise InputError(target, "stdin cannot be followed: give the live log's path")
    path = path_given(target)
    try:
        if path.is_dir():
            found = next(
                (
                    entry
                    for entry in sorted(path.iterdir())
                    if entry.name.lower() == LOG_NAME.lower() and entry.is_file()
                ),
                None,
            )
            if found is None:
                return path / LOG_NAME
            path, target = found, str(found)
        elif not path.exists():
            if (inside := zip_member(target)) is not None:
                raise InputError(target, _not_live(target, f"in a {kind_words(inside[0])}"))
            if target.endswith(("/", os.sep)):
                raise InputError(target, "no such directory")
            if not path.parent.is_dir():
                raise InputError(target, f"no such directory: {path.parent}")
            if path.suffix.lower() != ".log":
                raise InputError(
                    target, "no such file or directory (a log to wait for ends in .log)"
                )
            return path
        if not os.access(path, os.R_OK):
            raise InputError(target, "permission denied")
        packed = None
        if path.is_file():  # (a FIFO is never peeked at: its bytes would be gone)
            packed = archive_kind(str(path))  # (a zip or a tar, else packed maybe)
            if packed is None:
                with open(path, "rb") as handle:
                    packed = packed_as(handle.read(8))
    except OSError as exc:
        raise InputError(target, exc.strerror or str(exc)) from exc
    if packed is not None:
        what = f"a {packed} archive" if packed in ("zip", "tar") else f"a {packed}-compressed file"
        raise InputError(target, _not_live(target, what))
    older = _older_half(path)
    if older is not None:
        raise InputError(target, older)
    return path


def _older_half(path: Path) -> str | None:
    """Why a `.lo_` is no live log, and what to watch instead (the connector renamed it when
    its log was full: it is no longer written; followed, it was read again as the older half
    of itself); None for any other file."""
    if path.suffix.lower() != ".lo_":
        return None
    live = path.with_suffix(".log")
    return (
        "the rotated older half of a log, no longer written: not a live log (watch "
        f"{live}; report reads both)"
    )


def _not_live(target: str, what: str) -> str:
    """Why a packed input is no live log, and that `report` reads it, where it does (a zip of
    several Logs folders, or a folder of one that holds no log, it refuses: why, then)."""
    from .sources import expand_paths

    try:
        for name in expand_paths([target], stdin_is_pipe=False):
            member = zip_member(name)
            if member is not None:
                open_member(name, *member).close()
    except InputError as refused:
        return f"{what}, not a live log; nor can report read it: {refused.problem}"
    return f"{what}, not a live log (report reads it)"


def rotated_path(live: Path) -> Path:
    """Where the live log goes when it is full: its `.lo_`, in whatever case it is written."""
    wanted = live.with_suffix(".lo_").name.lower()
    try:
        for entry in sorted(live.parent.iterdir()):
            if entry.name.lower() == wanted:
                return entry
    except OSError:
        pass
    return live.with_suffix(".lo_")


TAIL = 64
"""Bytes at the end of what was read, looked for again at each poll (see `Follower._tail`)."""


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return (stat.st_dev, stat.st_ino)


class Piece(NamedTuple):
    """Complete lines appended to one file, decoded."""

    source: str
    first_line: int
    """The number of its first line in the file."""
    text: str
    """The lines, each ending with `\\n`."""


@dataclass
class Follower:
    """Hands the bytes appended to one path since the last poll to the decoder every input is
    read with (`decoding.LineDecoder`), and returns the complete lines that came of them."""

    path: Path
    position: int = 0
    line: int = 0
    identity: tuple[int, int] | None = None
    rotations: int = 0
    truncations: int = 0
    stats: InputStats = field(init=False, repr=False)
    """What the live log held (its lines are counted by their reader; the decoder counts its
    cp1252 fallback lines and names its encoding)."""
    _decoder: LineDecoder = field(init=False, repr=False)
    _tail: bytes = field(init=False, repr=False, default=b"")
    """The last bytes read (up to `TAIL`): where the file holds others there, it was written
    anew since the last poll (truncated, then grown past where it was read to)."""
    _looked: tuple[int, int] = field(init=False, repr=False, default=(-1, -1))
    """The size and modification time at the last poll."""

    def __post_init__(self) -> None:
        self.stats = InputStats(str(self.path))
        self._decoder = LineDecoder(self.stats)

    def poll(self) -> Iterator[Piece]:
        """The new complete lines, the rotated file's tail first."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return  # between the rename and the new file: try again next poll
        except OSError as exc:
            raise InputError(str(self.path), exc.strerror or str(exc)) from exc
        if self.identity is not None and _identity(stat) != self.identity:
            yield from self._rotated_tail()
            self._restart()
            self.rotations += 1
        elif stat.st_size < self.position or (
            (stat.st_size, stat.st_mtime_ns) != self._looked and not self._same_tail()
        ):  # (unchanged since the last look: not opened to be looked at again)
            self._restart()
            self.truncations += 1
        self.identity = _identity(stat)
        self._looked = (stat.st_size, stat.st_mtime_ns)
        if stat.st_size > self.position:
            yield from self._read(self.path, self.position)

    def _restart(self) -> None:
        self.position = 0
        self.line = 0
        self._tail = b""
        self._decoder = LineDecoder(self.stats)

    def _same_tail(self) -> bool:
        """Whether the file still holds the last bytes read where they were (`cp new log` over
        it between two polls, larger: it was read on from the old place, its start lost)."""
        tail = self._tail
        if not tail:
            return True
        try:
            with open_shared(self.path) as handle:
                handle.seek(self.position - len(tail))
                return handle.read(len(tail)) == tail
        except OSError:
            return True  # (its reading says why)

    def _rotated_tail(self) -> Iterator[Piece]:
        rotated = rotated_path(self.path)
        try:
            if _identity(rotated.stat()) == self.identity:
                yield from self._read(rotated, self.position)
        except FileNotFoundError:
            pass
        rest = self._decoder.close()
        if rest.strip():
            yield self._piece(rotated, rest + "\n")

    def _read(self, path: Path, start: int) -> Iterator[Piece]:
        try:
            with open_shared(path) as handle:
                handle.seek(start)
                data = handle.read()
        except OSError as exc:
            raise InputError(str(path), exc.strerror or str(exc)) from exc
        self.position = start + len(data)
        if path == self.path:  # (the bytes before `position`; not a copy of all that was read)
            self._tail = data[-TAIL:] if len(data) >= TAIL else (self._tail + data)[-TAIL:]
        text = self._decoder.feed(data)
        if text:
            not_doubled(text, str(path), self.line + 1)  # (as every input is: see `doubled`)
            yield self._piece(path, text)

    def _piece(self, path: Path, text: str) -> Piece:
        first = self.line + 1
        self.line += text.count("\n")
        return Piece(str(path), first, text)
