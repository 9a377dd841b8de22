"""Open inputs (paths, directories, zip or tar archives, stdin), undo gzip, bzip2, xz and
encodings, yield text chunks. A chunk is decoded text whose line breaks are all `\\n` (CRLF
and stray CR are folded); every chunk but the last ends with `\\n`. Nothing here reads a whole
file into memory."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from .archives import STDIN as STDIN
from .archives import display_name as display_name
from .archives import is_archive, member_name, not_an_archive, unpacked_blocks
from .archives import zip_member as zip_member
from .decoding import LineDecoder
from .doubled import not_doubled
from .errors import InputError, UsageError
from .exports import is_raw_export, raw_text
from .jsonexports import is_json_export, json_text
from .lognames import LOG_NAMES as LOG_NAMES
from .lognames import SIBLING_NAMES as SIBLING_NAMES
from .lognames import SITE_COMPONENT_LOG as SITE_COMPONENT_LOG
from .lognames import base_name as base_name
from .lognames import folder_logs, not_a_file
from .lognames import is_history as is_history
from .lognames import is_sibling as is_sibling
from .mail import (
    BOM_ENCODINGS,
    broken_by_tags,
    is_mail,
    is_quoted_printable,
    mail_text,
    quoted_printable_text,
    tag_broken_text,
)
from .members import archive_infos, open_member
from .ownevents import is_own_events, own_events_text
from .sharing import open_shared
from .stats import InputStats as InputStats
from .stats import copied_stats as copied_stats
from .stdin import BLOCK_SIZE as BLOCK_SIZE
from .stdin import open_stdin
from .tables import is_table, table_text
from .unpacked import copied_encoding, copy_of, unpacked_size
from .zips import zip_input, zip_logs

_PACKED_RE = re.compile(r"(?:cloudusersync.*\.(?:log|lo_)\.(?:gz|bz2|xz)|.*\.zip)", re.IGNORECASE)

def siblings_among(names: Sequence[str]) -> set[str]:
    """The sibling logs read beside a log of the connector: of those, only the records about
    the connector count. A sibling log read on its own (or with other sibling logs) is read
    whole, as any log."""
    siblings = {name for name in names if is_sibling(name)}
    return set() if len(siblings) == len(set(names)) else siblings


def mark_siblings(inputs: Sequence[InputStats]) -> None:
    """Mark the sibling logs (see `siblings_among`)."""
    siblings = siblings_among([stats.path for stats in inputs])
    for stats in inputs:
        stats.sibling = stats.path in siblings


def without_empty(names: Sequence[str]) -> tuple[list[str], list[InputStats]]:
    """The inputs that hold something, and the stats of those that hold nothing beside them (an
    empty file, or a byte-order mark alone: a log just rotated, before its first line), left
    out; every input where none holds anything (the reading says what is wrong)."""
    empty = [name for name in names if _holds_nothing(name)]
    if not empty or len(empty) == len(names):
        return list(names), []
    left_out = [InputStats(name) for name in empty]
    for stats in left_out:
        stats.format = "empty"
    return [name for name in names if name not in empty], left_out


def _holds_nothing(name: str) -> bool:
    """Whether an input is a file, or a member of a zip archive, that holds nothing (see
    `with_contents`)."""
    try:
        member = zip_member(name)
        if member is not None:
            sizes = {member_name(info): info.file_size for info in archive_infos(member[0])}
            if sizes.get(member[1], 5) > 4:
                return False
            with open_member(name, *member) as handle:
                data = handle.read()
        elif name == STDIN or not os.path.isfile(name) or os.path.getsize(name) > 4:
            return False
        else:
            with open(name, "rb") as handle:
                data = handle.read()
    except (OSError, InputError):
        return False  # (its reading says what is wrong)
    return data.lstrip(b"\xef\xbb\xbf\xff\xfe").strip(b"\0 \t\r\n") == b""


def _no_file_hint(directory: Path) -> str:
    """Of a folder without the connector's logs, where one of their names is no file there
    (`: its CloudUserSync.log is a directory, not a file`), or nothing."""
    with suppress(OSError):
        for entry in sorted(directory.iterdir()):
            if entry.name.lower() in LOG_NAMES and not entry.is_file():
                return f": its {entry.name} is {not_a_file(entry)}, not a file"
    return ""


def _packed_hint(directory: Path) -> str:
    """What a folder without the connector's logs holds packed (`: it holds logs.zip, …: give
    its path`), or nothing."""
    with suppress(OSError):
        packed = sorted(p.name for p in directory.iterdir() if _PACKED_RE.fullmatch(p.name))
        if packed:
            paths = "its path" if len(packed) == 1 else "their paths"
            return f" (it holds {', '.join(packed[:3])}: give {paths})"
    return ""


def history_files(directory: Path) -> list[str]:
    """The history files of a folder (`CloudUserSync-*.log`, older halves kept by name), oldest
    first; none where it cannot be listed."""
    try:
        entries = sorted(p.name for p in directory.iterdir() if p.is_file())
    except OSError:
        return []
    return [str(directory / name) for name in entries if is_history(name)]


def log_files(directory: Path) -> list[str]:
    """The CloudUserSync files of a directory, oldest first, whatever the case of their names:
    history files (`CloudUserSync-*.log`), then the `.lo_`, then the `.log`."""
    entries = [p.name for p in directory.iterdir() if p.is_file()]
    return [str(directory / name) for name in folder_logs(entries) if not is_sibling(name)]


def folder_files(directory: Path) -> list[str]:
    """What a directory stands for: its CloudUserSync files (`log_files`), then its sibling
    logs (CertMgr.log, dmpuploader.log, sitecomp.log, smsexec.log) when it has a CloudUserSync
    file."""
    entries = [p.name for p in directory.iterdir() if p.is_file()]
    found = folder_logs(entries)
    if all(is_sibling(name) for name in found):
        return []
    paths = [directory / name for name in found]
    return [str(path) for path in paths if not is_sibling(path.name) or _holds(path)]


def _holds(path: Path) -> bool:
    """Whether a sibling log can be read and holds something: an empty or unreadable one only
    explains nothing, and is passed over rather than failing the folder."""
    try:
        return path.stat().st_size > 0 and os.access(path, os.R_OK)
    except OSError:
        return False


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


def path_given(raw: str) -> Path:
    """A PATH argument as a path; an empty one is refused (`Path('')` is the current directory,
    which a CI variable left unset would judge)."""
    if not raw.strip():
        raise UsageError("an empty path (an unset variable?): give a log path, or - for stdin")
    return Path(raw)


def expand_paths(
    paths: Sequence[str], stdin_is_pipe: bool, repeated: list[str] | None = None
) -> list[str]:
    """Turn the command-line PATHS into a list of readable inputs (`-` is stdin).

    A directory stands for its CloudUserSync.log, CloudUserSync.lo_ and CloudUserSync-*.log,
    with its sibling logs (`folder_files`); a zip archive for the folder it holds
    (`zips.zip_logs`), and so a folder inside one.
    A file named twice (or a file and its directory) is read once: the names left out go to
    `repeated`.
    """
    if not paths:
        if stdin_is_pipe:
            return zip_logs(STDIN) if is_archive(STDIN) else [STDIN]
        raise UsageError(
            f"no input: give a log path, or pipe a log into stdin ({WHERE_THE_LOG_LIVES})"
        )
    expanded: list[str] = []
    for raw in paths:
        if raw == STDIN:
            expanded.extend(zip_logs(STDIN) if is_archive(STDIN) else [STDIN])
            continue
        path = path_given(raw)
        if path.is_dir():
            try:
                found = folder_files(path)
            except OSError as exc:
                raise InputError(raw, exc.strerror or str(exc)) from exc
            if not found:
                missing = "no CloudUserSync.log or CloudUserSync.lo_ in this directory"
                raise InputError(raw, missing + _no_file_hint(path) + _packed_hint(path))
            expanded.extend(found)
        elif (inside := zip_member(raw)) is not None:  # (before `exists`: `Path` drops `/.`)
            expanded.extend(zip_input(raw, *inside))
        elif path.exists():
            if not os.access(path, os.R_OK):
                raise InputError(raw, "permission denied")
            expanded.extend(zip_logs(raw) if is_archive(raw) else [raw])
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


def open_binary(name: str, start: int = 0) -> BinaryIO:
    """Open a path (or stdin for `-`) for reading bytes from offset `start` (a piece of an
    uncompressed file or of stdin, see `seams`), with a one-line error on failure. The
    connector may rotate the file meanwhile (see `sharing`)."""
    copy = copy_of(name, make=False)  # (where one was made to sample it)
    if name == STDIN and copy is None:
        return open_stdin(start)
    member = zip_member(name) if copy is None else None
    if member is not None:
        return open_member(name, *member)
    try:
        handle = open_shared(name) if copy is None else open(copy, "rb")  # noqa: SIM115
        if start:
            handle.seek(start)
        return handle
    except OSError as exc:
        raise InputError(name, exc.strerror or str(exc)) from exc


Progress = Callable[[int], None]
"""Told how many more bytes of an input were read."""


def _blocks(
    stream: BinaryIO, name: str, progress: Progress | None = None, size: int | None = None
) -> Iterator[bytes]:
    """The bytes of `stream` a block at a time, up to `size` of them (None: to its end)."""
    try:
        while size is None or size > 0:
            block = stream.read(BLOCK_SIZE if size is None else min(BLOCK_SIZE, size))
            if not block:
                return
            if size is not None:
                size -= len(block)
            if progress is not None:
                progress(len(block))
            yield block
    except OSError as exc:
        raise InputError(name, f"read error: {exc.strerror or exc}") from exc


_WHOLE_TEXTS = (
    (is_quoted_printable, quoted_printable_text),
    (broken_by_tags, tag_broken_text),
    (is_raw_export, raw_text),
    (is_json_export, json_text),
    (is_table, table_text),
    (is_own_events, own_events_text),
)
"""Inputs read whole to be decoded, told by their first bytes, and what decodes them."""

WholeDecoder = Callable[[Iterator[bytes], str, "list[str] | None"], bytes]
"""A decoder of an input read whole: its blocks and name as shown to its lines as UTF-8; the
input's own encoding added to the list given, where it is not UTF-8 (see `decoded_bytes`)."""


def read_whole(name: str) -> bool:
    """Whether an input (not stdin) is read whole to be decoded (`_WHOLE_TEXTS`, a saved mail):
    its lines are not the file's, and their order is known once decoded. A pipe (stdin, a FIFO)
    is never peeked at: its bytes would be gone."""
    if zip_member(name) is None and not os.path.isfile(name):
        return False
    try:
        with open_binary(name) as handle:
            head = next(unpacked_blocks(iter([handle.read(BLOCK_SIZE)]), name), b"")
    except (InputError, OSError):
        return False  # (its reading says why)
    return whole_decoder(head) is not None


def decoded_bytes(
    stream: BinaryIO,
    name: str,
    progress: Progress | None = None,
    size: int | None = None,
    stats: InputStats | None = None,
    told: list[str] | None = None,
) -> Iterator[bytes]:
    """The input's bytes in blocks (up to `size` of them), with gzip, bzip2 or xz undone when
    the data starts with its magic. A zip archive is read by path (as the folder it holds),
    never as a stream. Of an input decoded whole from UTF-16 or cp1252, given as UTF-8: its own
    encoding is added to `told`."""
    blocks = unpacked_blocks(_blocks(stream, name, progress, size), name)
    head = next(blocks, b"")
    if not head:
        return
    not_an_archive(head, display_name(name), name == STDIN)
    decoder = whole_decoder(head)
    if decoder is None:
        yield head
        yield from blocks
        return
    if stats is not None and decoder is mail_text:
        stats.mail = True
    if told is not None and head[:2] in BOM_ENCODINGS:  # (its text is given on as UTF-8)
        told.append(BOM_ENCODINGS[head[:2]])
    yield decoder(chain([head], blocks), display_name(name), told)


def whole_decoder(head: bytes) -> WholeDecoder | None:
    """What decodes an input read whole, told by its first bytes (unpacked): a saved e-mail
    (the text of its message), or one of `_WHOLE_TEXTS` (a mail's body as its source shows
    it; a page's text on one line, broken by `<br>`; a search tool's CSV or a JSON export);
    None for the rest, read as it comes."""
    if is_mail(head):
        return mail_text
    return next((text for written_so, text in _WHOLE_TEXTS if written_so(head)), None)


def _scaled(progress: Progress, ratio: float) -> Progress:
    """`progress` told of bytes of an unpacked copy, as bytes of the packed input."""
    done = [0, 0]  # (bytes of the copy read, packed bytes told)

    def advance(count: int) -> None:
        done[0] += count
        told = int(done[0] * ratio)
        progress(told - done[1])
        done[1] = told

    return advance


def text_chunks(
    name: str,
    stats: InputStats,
    stream: BinaryIO | None = None,
    progress: Progress | None = None,
    piece: tuple[int, int | None] | None = None,
) -> Iterator[str]:
    """Decoded, break-folded text of one input in chunks that end at line breaks; of the bytes
    from `piece`'s start to its end (None: the input's end) when given (see `seams`)."""
    own = stream is None
    start, end = piece if piece is not None else (0, None)
    handle = open_binary(name, start) if stream is None else stream
    sizes = unpacked_size(name) if own and progress is not None else None
    if sizes is not None and sizes[1]:  # (a progress bar counts the bytes of the path given)
        progress = _scaled(progress, sizes[0] / sizes[1])  # type: ignore[arg-type]
    decoder = LineDecoder(stats)
    size = None if end is None else end - start
    encoding = copied_encoding(name) if own else None  # (its copy holds it as UTF-8)
    told: list[str] = []
    first: int | None = 1 if start == 0 else None  # (its first line's number, where known)
    try:
        for block in decoded_bytes(handle, name, progress, size, stats, told):
            text = decoder.feed(block)
            if text:
                if not stats.sibling:  # (a sibling log's records only tell causes)
                    not_doubled(text, display_name(name), first)
                    first = None
                yield text
        text = decoder.close()
        if text:
            yield text
    finally:
        if own:
            handle.close()
        if encoding is not None or told:
            stats.encoding = encoding or told[0]
