"""Archives undone: gzip, bzip2 and xz streams (by their magic bytes, whatever the name), and the
members of a zip or tar archive (`.tar`, `.tgz`, `.tar.bz2`, `.tar.xz`), named `ARCHIVE/MEMBER`
(see `zips.zip_logs`)."""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any, Protocol

from .errors import InputError
from .stdin import stdin_head

STDIN = "-"
"""The name of standard input among the inputs."""


def display_name(name: str) -> str:
    """How an input is named in messages: stdin for `-` (and `stdin/MEMBER` for a member of
    a zip on stdin)."""
    if name == STDIN or name.startswith(f"{STDIN}/"):
        return "stdin" + name[len(STDIN) :]
    return name


def zip_member(name: str) -> tuple[str, str] | None:
    """(archive, member) of an input named `ARCHIVE/MEMBER` (see `zip_logs`), else None; a zip
    (or tar) on stdin is the archive `-` (its members `-/MEMBER`)."""
    if name == STDIN or os.path.exists(name):
        return None
    if name.startswith(_STDIN_MEMBER):
        return (STDIN, name[len(_STDIN_MEMBER) :]) if is_archive(STDIN) else None
    parts = name.split("/")
    for index in range(1, len(parts)):
        archive = "/".join(parts[:index])
        if os.path.isfile(archive):  # (`\` inside as `unzip -l` shows a PowerShell 5 zip's)
            member = "/".join(parts[index:]).replace("\\", "/")
            return (archive, member) if is_archive(archive) else None
    return None


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
"""How a zip begins: its first member's header, or (a zip with no member) its directory's end."""
_STDIN_MEMBER = f"{STDIN}/"


def is_archive(path: str) -> bool:
    """Whether a regular file (never another pipe: its bytes would be gone), or stdin, whose
    bytes are kept (see `stdin`), is an archive read as the folder it holds: a zip, or a tar
    (`.tar`, `.tgz`, `.tar.bz2`, `.tar.xz`), by its first bytes."""
    return archive_kind(path) is not None


def archive_kind(path: str) -> str | None:
    """`zip` or `tar` for an archive read as a folder (see `is_archive`), else None; told once
    for each file as it is (its size and time; stdin's head is kept: see `stdin`)."""
    if path == STDIN:
        return _kind_of(_archive_head(path))
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not os.path.isfile(path):
        return None
    key = (path, found.st_size, found.st_mtime_ns)
    if key not in _KINDS:
        _KINDS[key] = _kind_of(_archive_head(path))
    return _KINDS[key]


_KINDS: dict[tuple[str, int, int], str | None] = {}


def _archive_head(path: str) -> bytes:
    """An input's first bytes, as many as tell a tar inside its compression (`_PACKED_HEAD`)."""
    if path == STDIN:
        return _head(stdin_head)
    try:
        with open(path, "rb") as handle:

            def first(size: int) -> bytes:
                handle.seek(0)
                return handle.read(size)

            return _head(first)
    except OSError:
        return b""


def _head(first: Callable[[int], bytes]) -> bytes:
    """The first bytes (`first(size)`) that tell a tar: its first header block, or where they
    are packed, as much of them as holds it (`_PACKED_HEAD`)."""
    head = first(_TAR_BLOCK)
    packed = packed_as(head)
    return first(_PACKED_HEAD[packed]) if packed in _PACKED_HEAD else head


def _kind_of(head: bytes) -> str | None:
    if head.startswith(ZIP_MAGIC):
        return "zip"
    return "tar" if _is_tar(head) else None


_TAR_BLOCK = 512
"""A tar's header block: `ustar` at 257 in the first."""
_PACKED_HEAD = {"gzip": 1 << 16, "xz": 1 << 16, "bzip2": 1 << 20}
"""The bytes read of a compressed input to tell a tar inside: its first header's, packed
(bzip2 gives nothing out before a whole block, up to 900 kB, has come in)."""


def _is_tar(head: bytes) -> bool:
    """Whether an input's first bytes begin a POSIX tar archive (`ustar` in its first header
    block), after gzip, bzip2 or xz where they begin with its magic."""
    for magic, _, make in COMPRESSIONS:
        if head.startswith(magic):
            try:
                head = make().decompress(head, _TAR_BLOCK)
            except Exception:  # (damaged data: no tar, and its reading says why)
                return False
            break
    return head[257:262] == b"ustar"


class Named(Protocol):
    """An archive's member (a `zipfile.ZipInfo`, a `tars.TarMember`): its path inside it."""

    @property
    def filename(self) -> str: ...


def member_name(info: Named) -> str:
    """A member's path with `/` between its folders, as it is named among the inputs: a zip
    made by Windows PowerShell 5.1 (`Compress-Archive`) writes `\\` there."""
    return info.filename.replace("\\", "/")


def kind_words(archive: str) -> str:
    """`zip archive` or `tar archive`: what an archive among the inputs is, as said."""
    return f"{archive_kind(archive) or 'zip'} archive"


_Errors = tuple[type[BaseException], ...]


class Member:
    """A zip or tar member's bytes, with a one-line error where they cannot be read (data damaged
    after the archive's directory was read: a bad CRC, deflated data that does not inflate)."""

    def __init__(
        self, handle: Any, name: str, kind: str = "zip", damaged: _Errors = ()
    ) -> None:
        import zipfile

        self._handle = handle
        self._name = name
        self._kind = kind
        self._damaged: _Errors = (
            zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, *damaged
        )

    def read(self, size: int = -1) -> bytes:
        try:
            data: bytes = self._handle.read(size)
            return data
        except self._damaged as exc:
            raise InputError(self._name, f"damaged in the {self._kind} archive ({exc})") from exc

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> Member:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._handle, attribute)


def _bzip2() -> Any:
    import bz2  # (the bzip2 and xz modules are imported when such an input is read)

    return bz2.BZ2Decompressor()


def _xz() -> Any:
    import lzma

    return lzma.LZMADecompressor(lzma.FORMAT_XZ)


COMPRESSIONS: tuple[tuple[bytes, str, Callable[[], Any]], ...] = (
    (b"\x1f\x8b", "gzip", lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)),
    (b"BZh", "bzip2", _bzip2),
    (b"\xfd7zXZ\x00", "xz", _xz),
)
"""(magic bytes, name, decompressor factory) of each compression undone, whatever the name."""


OUT_BLOCK = 1 << 19
"""Bytes of decompressed data handed on at a time: a log packs ten times or more, so a block
read whole would make text chunks (and their rows) ten times the usual size."""


def _bounded(decompressor: Any, data: bytes) -> Iterator[bytes]:
    """What `data` decompresses to, `OUT_BLOCK` bytes at a time (zlib keeps the input it has
    not used in `unconsumed_tail`; bzip2 and xz keep it inside, until they need more input)."""
    out = decompressor.decompress(data, OUT_BLOCK)
    while True:
        if out:
            yield out
        if decompressor.eof:
            return
        tail = getattr(decompressor, "unconsumed_tail", None)
        if tail is not None:  # (zlib)
            if not tail:
                return
            out = decompressor.decompress(tail, OUT_BLOCK)
        elif decompressor.needs_input:  # (bzip2, xz)
            return
        else:
            out = decompressor.decompress(b"", OUT_BLOCK)


def packed_as(head: bytes) -> str | None:
    """What an input's first bytes show it packed as: `gzip`, `bzip2`, `xz` or `zip`; None for
    anything else (text, in any encoding)."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    return next((what for magic, what, _ in COMPRESSIONS if head.startswith(magic)), None)


def unpacked_blocks(blocks: Iterator[bytes], name: str) -> Iterator[bytes]:
    """The bytes of `blocks`, gzip, bzip2 or xz undone where they start with its magic (see
    `decompressed`); as they are otherwise."""
    first = next(blocks, b"")
    data = chain([first], blocks)
    for magic, what, make in COMPRESSIONS:
        if first.startswith(magic):
            return decompressed(data, display_name(name), what, make)
    return data


def decompressed(
    blocks: Iterable[bytes], name: str, what: str, make: Callable[[], Any]
) -> Iterator[bytes]:
    """Decompress incrementally, stream after stream (like `zcat`, `bzcat`, `xzcat`)."""
    import lzma

    decompressor = make()
    fed = False
    try:
        for block in blocks:
            data = block
            while data:
                fed = True
                yield from _bounded(decompressor, data)
                if decompressor.eof:
                    data = decompressor.unused_data.lstrip(b"\0")
                    decompressor = make()
                    fed = False
                else:
                    data = b""
    except (zlib.error, OSError, EOFError, lzma.LZMAError) as exc:
        raise InputError(name, f"corrupt {what} data ({exc})") from exc
    if fed and not decompressor.eof:
        raise InputError(name, f"{what} data ends early (truncated file?)")


_EXTRACT = "extract it and give the folder it holds, or a zip of it"
_ARCHIVES = (
    (b"7z\xbc\xaf\x27\x1c", f"a 7z archive: {_EXTRACT}"),
    (b"Rar!\x1a\x07", f"a RAR archive: {_EXTRACT}"),
    (b"MSCF\0\0\0\0", f"a cabinet (.cab) archive: {_EXTRACT}"),
    (b"\x28\xb5\x2f\xfd", "zstd data: unpack it (zstd -d) and give what it holds"),
)
"""Magic bytes of archives and compressions logsync does not read, and what to do instead."""


def not_an_archive(head: bytes, shown: str, stdin: bool) -> None:
    """Refuse an archive read as a stream: its members' bytes would be read as one text. A zip
    or a tar (`.tar`, `.tgz`, …) given (or on stdin) is read as the folder it holds, before it
    would be streamed; another archive is to be extracted first. `shown`: the input's name as
    said."""
    if head.startswith(ZIP_MAGIC):  # (a zip given, or on stdin, is read as a folder)
        again = " (packed again)" if stdin else " (packed again, or in a pipe)"
        raise InputError(
            shown,
            f"a zip archive{again}: give the zip itself, which is read as the folder it holds",
        )
    if head[257:262] == b"ustar":  # (a tar given, or on stdin, is read as a folder too)
        again = " (packed again)" if stdin else " (packed again, or in a pipe)"
        raise InputError(
            shown,
            f"a tar archive{again}: give the tar itself, which is read as the folder it holds",
        )
    for magic, problem in _ARCHIVES:
        if head.startswith(magic):
            raise InputError(shown, problem)
