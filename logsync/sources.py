"""Open inputs (paths, directories, stdin), undo gzip and encodings, yield text chunks.

A chunk is decoded text whose line breaks are all `\\n` (CRLF and stray CR are folded); every
chunk but the last ends with `\\n`. Nothing here reads a whole file into memory.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError, UsageError
from .sharing import open_shared

BLOCK_SIZE = 1 << 19
"""Bytes read at a time; also the usual size of one text chunk."""

STDIN = "-"


class InputStats:
    """What one input held; filled in while it is read."""

    __slots__ = (
        "blank",
        "connector_records",
        "encoding",
        "fallback_lines",
        "first_time",
        "format",
        "last_component",
        "last_time",
        "lines",
        "notes",
        "path",
        "record_lines",
        "records",
        "unparsed",
    )

    def __init__(self, path: str) -> None:
        self.path = path
        self.format = ""
        self.encoding = ""
        self.lines = 0
        """Physical lines (a last line without a line break counts)."""
        self.records = 0
        self.record_lines = 0
        """Physical lines that belong to records (CMTrace records may span several)."""
        self.unparsed = 0
        self.blank = 0
        self.first_time: datetime | None = None
        """Time of the input's first record (in file order)."""
        self.last_time: datetime | None = None
        """Time of the input's last record (in file order)."""
        self.last_component = ""
        """Component of the input's last record: what log this is."""
        self.connector_records = 0
        """Records of the connector (SMS_CLOUD_USERSYNC), or of its messages where the format
        names no component (pasted excerpts): an input without any is some other component's
        log."""
        self.fallback_lines = 0
        """Lines that were not valid UTF-8 and were read as cp1252."""
        self.notes: list[str] = []

    def fields(self) -> dict[str, object]:
        """Everything it holds, by name."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return f"InputStats({self.fields()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InputStats) and self.fields() == other.fields()

    __hash__ = None  # type: ignore[assignment]  # (mutable)

    def saw(self, time: datetime, component: str | None = None) -> None:
        """Note a record's time (the latest so far in file order) and its component."""
        if self.first_time is None:
            self.first_time = time
        self.last_time = time
        if component is not None:
            self.last_component = component

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "encoding": self.encoding,
            "lines": self.lines,
            "records": self.records,
            "unparsed": self.unparsed,
            "blank": self.blank,
        }


LOG_NAMES = ("cloudusersync.lo_", "cloudusersync.log")
"""The connector's log and its rotated older half, lower-cased (Windows names ignore case)."""
_HISTORY_RE = re.compile(r"cloudusersync-.*\.log", re.IGNORECASE)


def display_name(name: str) -> str:
    """How an input is named in messages: stdin for `-`."""
    return "stdin" if name == STDIN else name


def log_files(directory: Path) -> list[str]:
    """The CloudUserSync files of a directory, oldest first, whatever the case of their names:
    history files (`CloudUserSync-*.log`), then the `.lo_`, then the `.log`."""
    entries = sorted(p for p in directory.iterdir() if p.is_file())
    history = [str(p) for p in entries if _HISTORY_RE.fullmatch(p.name)]
    named = {p.name.lower(): str(p) for p in entries}
    return history + [named[name] for name in LOG_NAMES if name in named]

SITE_SERVER_LOGS = ("Microsoft Configuration Manager", "Logs")
"""Where a site server keeps its logs, under the Program Files folder, unless Configuration
Manager was installed elsewhere (Microsoft's "About log files in Configuration Manager",
Locating log files: `C:\\Program Files\\Microsoft Configuration Manager\\Logs`)."""
WHERE_THE_LOG_LIVES = (
    "the connector writes CloudUserSync.log in the site server's Logs folder: "
    "C:\\Program Files\\Microsoft Configuration Manager\\Logs by default, "
    "\\\\SERVER\\SMS_<site code>\\Logs from another machine"
)


def site_server_logs(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """On Windows, the site server's log folder where Configuration Manager keeps it by default,
    if the connector's log is there; else None (and always elsewhere). Configuration Manager is
    64-bit, so a 32-bit Python's `ProgramFiles` (the x86 folder) is passed over for
    `ProgramW6432`."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("win"):
        return None
    for variable in ("ProgramW6432", "ProgramFiles"):
        base = environ.get(variable) or environ.get(variable.upper())
        if not base:
            continue
        folder = os.path.join(base, *SITE_SERVER_LOGS)
        try:
            if os.path.isdir(folder) and log_files(Path(folder)):
                return folder
        except OSError:
            continue
    return None


def expand_paths(
    paths: Sequence[str], stdin_is_pipe: bool, repeated: list[str] | None = None
) -> list[str]:
    """Turn the command-line PATHS into a list of readable inputs (`-` is stdin).

    A directory stands for its CloudUserSync.log, CloudUserSync.lo_ and CloudUserSync-*.log. A
    file named twice (or a file and its directory) is read once: the names left out go to
    `repeated`.
    """
    if not paths:
        if stdin_is_pipe:
            return [STDIN]
        raise UsageError(
            f"no input: give a log path, or pipe a log into stdin ({WHERE_THE_LOG_LIVES})"
        )
    expanded: list[str] = []
    for raw in paths:
        if raw == STDIN:
            expanded.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            try:
                found = log_files(path)
            except OSError as exc:
                raise InputError(raw, exc.strerror or str(exc)) from exc
            if not found:
                raise InputError(raw, "no CloudUserSync.log or CloudUserSync.lo_ in this directory")
            expanded.extend(found)
        elif path.exists():
            if not os.access(path, os.R_OK):
                raise InputError(raw, "permission denied")
            expanded.append(raw)
        else:
            raise InputError(raw, "no such file or directory")
    return _once(expanded, repeated)


def _once(names: list[str], repeated: list[str] | None) -> list[str]:
    """Each file once, by what it is (device and inode), not by how it was named."""
    seen: set[object] = set()
    unique = []
    for name in names:
        try:
            stat = os.stat(name) if name != STDIN else None
            identity: object = STDIN if stat is None else (stat.st_dev, stat.st_ino)
        except OSError:
            identity = os.path.realpath(name)
        if identity in seen:
            if repeated is not None:
                repeated.append(name)
            continue
        seen.add(identity)
        unique.append(name)
    return unique


class _StdinCopy:
    """What has been read of stdin so far, kept (in memory, on disk past 64 MiB) so that it
    can be read again: a pipe can be read only once, and a reading that must start over (an
    input whose times run backwards, see `analysis`) reads the copy and then the rest."""

    def __init__(self, stream: BinaryIO) -> None:
        import tempfile

        self.stream = stream
        self.copy = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 (kept open)
        self.size = 0


_stdin_copy: _StdinCopy | None = None


class _StdinReader(io.RawIOBase):
    """One reading of stdin from its first byte: the copy of what was read, then the rest."""

    def __init__(self, shared: _StdinCopy) -> None:
        self.shared = shared
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        shared = self.shared
        view = memoryview(buffer).cast("B")
        if self.position < shared.size:
            shared.copy.seek(self.position)
            count = shared.copy.readinto(view[: shared.size - self.position])
        else:
            data = shared.stream.read(len(view))
            count = len(data)
            if count:
                shared.copy.seek(shared.size)
                shared.copy.write(data)
                shared.size += count
                view[:count] = data
        self.position += count
        return count


def open_stdin() -> BinaryIO:
    """stdin from its first byte, however often it is opened (see `_StdinCopy`)."""
    global _stdin_copy
    if _stdin_copy is None or _stdin_copy.stream is not sys.stdin.buffer:
        _stdin_copy = _StdinCopy(sys.stdin.buffer)
    return io.BufferedReader(_StdinReader(_stdin_copy), BLOCK_SIZE)


def open_binary(name: str) -> BinaryIO:
    """Open a path (or stdin for `-`) for reading bytes, with a one-line error on failure. The
    connector may rotate the file meanwhile (see `sharing`)."""
    if name == STDIN:
        return open_stdin()
    try:
        return open_shared(name)
    except OSError as exc:
        raise InputError(name, exc.strerror or str(exc)) from exc


Progress = Callable[[int], None]
"""Told how many more bytes of an input were read."""


def _blocks(stream: BinaryIO, name: str, progress: Progress | None = None) -> Iterator[bytes]:
    try:
        while True:
            block = stream.read(BLOCK_SIZE)
            if not block:
                return
            if progress is not None:
                progress(len(block))
            yield block
    except OSError as exc:
        raise InputError(name, f"read error: {exc.strerror or exc}") from exc


def _gunzip(blocks: Iterable[bytes], name: str) -> Iterator[bytes]:
    """Decompress gzip data incrementally, member after member (like `zcat`)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    fed = False
    try:
        for block in blocks:
            data = block
            while data:
                fed = True
                out = inflater.decompress(data)
                if out:
                    yield out
                if inflater.eof:
                    data = inflater.unused_data.lstrip(b"\0")
                    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    fed = False
                else:
                    data = b""
    except zlib.error as exc:
        raise InputError(name, f"corrupt gzip data ({exc})") from exc
    if fed and not inflater.eof:
        tail = inflater.flush()
        if tail:
            yield tail
        raise InputError(name, "gzip data ends early (truncated file?)")


def decoded_bytes(stream: BinaryIO, name: str, progress: Progress | None = None) -> Iterator[bytes]:
    """The input's bytes in blocks, with gzip undone when the data starts with its magic."""
    blocks = _blocks(stream, name, progress)
    first = next(blocks, b"")
    if not first:
        return
    if first[:2] == b"\x1f\x8b":
        yield from _gunzip(chain([first], blocks), name)
    else:
        yield first
        yield from blocks


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """(encoding name, BOM length) from the first bytes of the data."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    # UTF-16 without a BOM: ASCII text with every other byte NUL.
    sample = head[:64]
    if (
        len(sample) >= 8
        and sample[1::2].count(0) == len(sample[1::2])
        and sample[0::2].count(0) == 0
    ):
        return "utf-16-le", 0
    if (
        len(sample) >= 8
        and sample[0::2].count(0) == len(sample[0::2])
        and sample[1::2].count(0) == 0
    ):
        return "utf-16-be", 0
    return "utf-8", 0


def _fold_breaks(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class _BlockStream(io.RawIOBase):
    """A readable raw stream over an iterator of byte blocks (so the C text decoder can read it)."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        super().__init__()
        self._blocks = blocks
        self._view = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = self._view
        while not len(view):
            block = next(self._blocks, None)
            if block is None:
                return 0
            view = memoryview(block)
        size = min(len(buffer), len(view))
        buffer[:size] = view[:size]
        self._view = view[size:]
        return size


_ESCAPED_RE = re.compile("[\udc80-\udcff]")
"""Bytes that were not valid UTF-8, kept as lone surrogates by `surrogateescape`."""


def _checked(text: str, stats: InputStats) -> str:
    """Read again as cp1252 each line that held bytes that are not valid UTF-8; drop the
    byte-order mark at the start of a line (of a file pasted after another, `type a b > c`)."""
    if text.isascii():
        return text
    if "\ufeff" in text:
        text = text.replace("\n\ufeff", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
    if not _ESCAPED_RE.search(text):
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _ESCAPED_RE.search(line):
            stats.fallback_lines += 1
            raw = line.encode("utf-8", "surrogateescape")
            lines[index] = raw.decode("cp1252", errors="backslashreplace")
    return "\n".join(lines)


def text_chunks(
    name: str,
    stats: InputStats,
    stream: BinaryIO | None = None,
    progress: Progress | None = None,
) -> Iterator[str]:
    """Decoded, break-folded text of one input in chunks that end at line breaks."""
    own = stream is None
    handle = open_binary(name) if stream is None else stream
    try:
        data = decoded_bytes(handle, name, progress)
        first = next(data, b"")
        if not first:
            stats.encoding = "utf-8"
            return
        encoding, bom = sniff_encoding(first)
        stats.encoding = encoding
        if encoding.startswith("utf-16"):
            yield from _utf16_chunks(chain([first[bom:]], data), encoding)
        else:
            yield from _utf8_chunks(chain([first[bom:]], data), stats)
    finally:
        if own:
            handle.close()


def _split_at_break(block: bytes | str, newline: bytes | str, cr: bytes | str) -> int:
    """Index just past the block's last safe line break, or 0 (a final CR may pair with an LF)."""
    cut = block.rfind(newline)  # type: ignore[arg-type]
    if cut < 0:
        cut = block.rfind(cr, 0, len(block) - 1)  # type: ignore[arg-type]
    return cut + 1


def _utf8_chunks(blocks: Iterator[bytes], stats: InputStats) -> Iterator[str]:
    """UTF-8 text in chunks that end at line breaks; the C decoder folds CRLF and stray CR."""
    reader = io.TextIOWrapper(
        io.BufferedReader(_BlockStream(blocks), BLOCK_SIZE),
        encoding="utf-8",
        errors="surrogateescape",
        newline=None,
    )
    reader._CHUNK_SIZE = BLOCK_SIZE  # type: ignore[attr-defined]
    held: list[str] = []
    while True:
        text = reader.read(BLOCK_SIZE)
        if not text:
            break
        cut = text.rfind("\n") + 1
        if not cut:
            held.append(text)
            continue
        yield _checked("".join([*held, text[:cut]]) if held else text[:cut], stats)
        held = [text[cut:]] if cut < len(text) else []
    if held:
        yield _checked("".join(held), stats)
    if stats.fallback_lines:
        stats.encoding = f"{stats.encoding}+cp1252"


def _utf16_chunks(blocks: Iterator[bytes], encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="backslashreplace")
    held: list[str] = []
    for raw in blocks:
        block = decoder.decode(raw)
        cut = _split_at_break(block, "\n", "\r")
        if not cut:
            held.append(block)
            continue
        head = "".join([*held, block[:cut]])
        held = [block[cut:]] if cut < len(block) else []
        yield _fold_breaks(head)
    tail = "".join(held) + decoder.decode(b"", final=True)
    if tail:
        yield _fold_breaks(tail)
