"""A tar archive among the inputs (`.tar`, `.tgz`, `.tar.bz2`, `.tar.xz`, told by its first
header): read as a zip is, as the folder it holds (see `zips`), its members named
`ARCHIVE/MEMBER`. Its members are listed once for each archive as it is, its compressed data
read to its end (a gzip's or an xz's check of its data is there), and a member is read as `tar
xf` extracts it (the last of its name)."""

from __future__ import annotations

import os
import zlib
from typing import IO, Any, BinaryIO

from .archives import OUT_BLOCK, STDIN, Member, display_name
from .errors import InputError
from .stdin import stdin_copy


class TarMember:
    """A tar member as a zip's member is seen (see `archives.archive_infos`): its `filename`
    (without the `./` that `tar -C DIR .` writes before each), `file_size`, `flag_bits` (none)
    and `is_dir()`. No `CRC`: a tar keeps none (None)."""

    __slots__ = ("_dir", "file_size", "filename", "info")
    CRC = None
    flag_bits = 0

    def __init__(self, info: Any) -> None:
        name = info.name
        while name.startswith("./"):
            name = name[2:]
        self.filename: str = name
        self.file_size: int = info.size
        self._dir: bool = info.isdir()
        self.info = info
        """The `tarfile.TarInfo` (where its data lies in the archive)."""

    def is_dir(self) -> bool:
        return self._dir


def tar_infos(archive: str) -> list[TarMember]:
    """The folders and regular files of a tar (links and devices hold no log), listed once for
    each archive file as it is (InputError where it is damaged: see `_listed`)."""
    if archive == STDIN:  # (a command reads one stdin; a test's commands, several)
        return _listed(archive)
    found = os.stat(archive)
    key = (archive, found.st_size, found.st_mtime_ns)
    if key not in _LISTED:
        _LISTED[key] = _listed(archive)
    return _LISTED[key]


_LISTED: dict[tuple[str, int, int], list[TarMember]] = {}


def _listed(archive: str) -> list[TarMember]:
    """A tar's members, its data read to its end: a gzip's or an xz's check is there, past the
    members, which a damaged byte would otherwise leave read as text; and anything but zeros
    after the last member listed is a damaged header (where `tarfile` stops listing)."""
    try:
        with _tar_open(archive) as opened:
            members = opened.getmembers()
            rest = opened.fileobj
            while block := rest.read(OUT_BLOCK):  # (plain: the file; else the unpacked data)
                if block.strip(b"\0"):
                    raise InputError(
                        display_name(archive), "not a readable tar archive (a damaged header)"
                    )
    except damage_errors() as exc:
        raise InputError(display_name(archive), f"not a readable tar archive ({exc})") from exc
    return [TarMember(info) for info in members if info.isfile() or info.isdir()]


def damage_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged tar, or its damaged compression, raises (where Python has the
    module of that compression)."""
    import tarfile

    found: list[type[BaseException]] = [tarfile.TarError, zlib.error, OSError, EOFError]
    try:
        import lzma
    except ImportError:  # (a Python built without it reads no xz)
        return tuple(found)
    return (*found, lzma.LZMAError)


def _tar_open(archive: str) -> Any:
    import tarfile

    if archive == STDIN:
        handle = stdin_copy()
        handle.seek(0)
        return tarfile.open(fileobj=handle, mode="r:*")
    return tarfile.open(archive, mode="r:*")


def open_tar_member(name: str, archive: str, member: str) -> BinaryIO:
    """A tar's member, for reading (the archive closes with it); the last of that name (a
    member added again with `tar rf`, as `tar xf` extracts it)."""
    found = None
    for each in tar_infos(archive):
        if not each.is_dir() and each.filename.replace("\\", "/") == member:
            found = each
    if found is None:
        raise InputError(name, "no such file in the tar archive")
    errors = damage_errors()
    opened = None
    try:
        opened = _tar_open(archive)
        handle = opened.extractfile(found.info)
        if handle is None:  # (not a regular file: listed as one, so never)
            raise InputError(name, "no such file in the tar archive")
        return Member(_Closing(handle, opened), name, "tar", errors)  # type: ignore[return-value]
    except errors as exc:
        if opened is not None:
            opened.close()
        raise InputError(name, f"not readable from the tar archive ({exc})") from exc
    except InputError:
        if opened is not None:
            opened.close()
        raise


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
