"""Archives undone: gzip, bzip2 and xz streams (by their magic bytes, whatever the name), and the
members of a zip or tar archive (`.tar`, `.tgz`, `.tar.bz2`, `.tar.xz`), named `ARCHIVE/MEMBER`
(see `zips.zip_logs`)."""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from .errors import InputError
from .stdin import stdin_copy, stdin_head

if TYPE_CHECKING:
    from zipfile import ZipInfo

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


ZIP_MAGIC = b"PK\x03\x04"
_STDIN_MEMBER = f"{STDIN}/"


def is_archive(path: str) -> bool:
    """Whether a regular file (never another pipe: its bytes would be gone), or stdin, whose
    bytes are kept (see `stdin`), is an archive read as the folder it holds: a zip, or a tar
    (`.tar`, `.tgz`, `.tar.bz2`, `.tar.xz`), by its first bytes."""
    return archive_kind(path) is not None


def archive_kind(path: str) -> str | None:
    """`zip` or `tar` for an archive read as a folder (see `is_archive`), else None."""
    if path == STDIN:
        head = stdin_head(_TAR_BLOCK)
        if packed_as(head) not in (None, "zip"):
            head = stdin_head(_PACKED_HEAD)
    elif not os.path.isfile(path):
        return None
    else:
        try:
            with open(path, "rb") as handle:
                head = handle.read(_TAR_BLOCK)
                if packed_as(head) not in (None, "zip"):
                    head += handle.read(_PACKED_HEAD - len(head))
        except OSError:
            return None
    if head.startswith(ZIP_MAGIC):
        return "zip"
    return "tar" if _is_tar(head) else None


_TAR_BLOCK = 512
"""A tar's header block: `ustar` at 257 in the first."""
_PACKED_HEAD = 1 << 16
"""The bytes read of a compressed input to tell a tar inside: its first block's, packed."""


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


def member_name(info: ZipInfo | _TarInfo) -> str:
    """A member's path with `/` between its folders, as it is named among the inputs: a zip
    made by Windows PowerShell 5.1 (`Compress-Archive`) writes `\\` there."""
    return info.filename.replace("\\", "/")


def archive_infos(archive: str) -> list[Any]:
    """The members of a zip or tar archive, each with its `filename`, `file_size`, `CRC` (None
    in a tar), `flag_bits` and `is_dir()` as a zip's are (InputError where it is not one that
    can be read). A tar's links and devices are left out: they hold no log."""
    if archive_kind(archive) == "tar":
        return [_TarInfo(info) for info in _tar_members(archive)]
    import zipfile  # (imported when a zip is read: it costs every command's start)

    try:
        with zipfile.ZipFile(_zip_file(archive)) as opened:
            return opened.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(display_name(archive), f"not a readable zip archive ({exc})") from exc


def _tar_members(archive: str) -> list[Any]:
    """A tar's members, its compressed data read to its end first: a gzip's or an xz's check
    of its data is at its end, past the members, which a damaged byte would otherwise leave
    read as text."""
    try:
        with _tar_open(archive) as opened:
            members = opened.getmembers()
            packed = opened.fileobj
            while packed.read(OUT_BLOCK):  # (plain: the file; else its decompressed data)
                pass
            return [info for info in members if info.isfile() or info.isdir()]
    except _tar_errors() as exc:
        raise InputError(display_name(archive), f"not a readable tar archive ({exc})") from exc


def _tar_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged tar, or its damaged compression, raises."""
    import lzma
    import tarfile

    return (tarfile.TarError, lzma.LZMAError, zlib.error, OSError, EOFError)


def _tar_open(archive: str) -> Any:
    import tarfile

    if archive == STDIN:
        handle = stdin_copy()
        handle.seek(0)
        return tarfile.open(fileobj=handle, mode="r:*")
    return tarfile.open(archive, mode="r:*")


class _TarInfo:
    """A tar member as a zip's member is seen (see `archive_infos`)."""

    __slots__ = ("_dir", "file_size", "filename")
    CRC = None
    flag_bits = 0

    def __init__(self, info: Any) -> None:
        self.filename: str = info.name
        self.file_size: int = info.size
        self._dir: bool = info.isdir()

    def is_dir(self) -> bool:
        return self._dir


def kind_words(archive: str) -> str:
    """`zip archive` or `tar archive`: what an archive among the inputs is, as said."""
    return f"{archive_kind(archive) or 'zip'} archive"


def open_member(name: str, archive: str, member: str) -> BinaryIO:
    """A member of a zip or tar archive, for reading (the archive closes with it)."""
    if archive_kind(archive) == "tar":
        return _open_tar_member(name, archive, member)
    import zipfile

    try:
        with zipfile.ZipFile(_zip_file(archive)) as opened:
            found = None  # (the last of that name, as `unzip` and `ZipFile.open` take it)
            for info in opened.infolist():
                found = info if member_name(info) == member else found
            if found is None:
                raise KeyError(member)
            if found.flag_bits & _ENCRYPTED:
                raise InputError(name, "encrypted in the zip archive: extract it first")
            return _Member(opened.open(found), name)  # type: ignore[return-value]
    except KeyError as exc:
        raise InputError(name, "no such file in the zip archive") from exc
    except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:
        raise InputError(name, f"not readable from the zip archive ({exc})") from exc


def _open_tar_member(name: str, archive: str, member: str) -> BinaryIO:
    """A tar's member; the last of that name (a member added again with `tar rf`, as `tar xf`
    extracts it)."""
    try:
        opened = _tar_open(archive)
        found = None
        for info in opened.getmembers():
            if info.isfile() and member_name(_TarInfo(info)) == member:
                found = info
        if found is None:
            opened.close()
            raise InputError(name, "no such file in the tar archive")
        handle = opened.extractfile(found)
        assert handle is not None  # (a regular file)
        return _Member(_Closing(handle, opened), name, "tar")  # type: ignore[return-value]
    except _tar_errors() as exc:
        raise InputError(name, f"not readable from the tar archive ({exc})") from exc


class _Closing:
    """A tar member's bytes, that close its archive with them."""

    def __init__(self, handle: IO[bytes], archive: Any) -> None:
        self._handle, self._archive = handle, archive

    def read(self, size: int = -1) -> bytes:
        return self._handle.read(size)

    def close(self) -> None:
        self._handle.close()
        self._archive.close()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._handle, attribute)


def _zip_file(archive: str) -> str | BinaryIO:
    """What a zip archive is opened from: its path, or the copy of stdin (all of it, read to
    its end; the zip's directory is there)."""
    return stdin_copy() if archive == STDIN else archive


_ENCRYPTED = 0x1
"""The flag bit of a zip member whose data is encrypted (a password is needed to read it)."""


class _Member:
    """A zip or tar member's bytes, with a one-line error where they cannot be read (data damaged
    after the archive's directory was read: a bad CRC, deflated data that does not inflate)."""

    def __init__(self, handle: IO[bytes] | _Closing, name: str, kind: str = "zip") -> None:
        self._handle = handle
        self._name = name
        self._kind = kind

    def read(self, size: int = -1) -> bytes:
        import lzma
        import tarfile
        import zipfile

        damaged = (zipfile.BadZipFile, tarfile.TarError, lzma.LZMAError, zlib.error, EOFError)
        try:
            return self._handle.read(size)
        except (*damaged, OSError, NotImplementedError) as exc:
            raise InputError(self._name, f"damaged in the {self._kind} archive ({exc})") from exc

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> _Member:
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
