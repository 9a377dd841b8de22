"""The members of an archive read as the folder it holds (a zip, or a tar: see `tars`), named
`ARCHIVE/MEMBER` among the inputs (see `zips`): listed, and opened for reading."""

from __future__ import annotations

from typing import Any, BinaryIO

from .archives import STDIN, Member, archive_kind, display_name, member_name
from .errors import InputError
from .stdin import stdin_copy


def archive_infos(archive: str) -> list[Any]:
    """The members of a zip or tar archive, each with its `filename`, `file_size`, `CRC` (None
    in a tar), `flag_bits` and `is_dir()` as a zip's are (InputError where it is not one that
    can be read). A tar's links and devices are left out: they hold no log."""
    if archive_kind(archive) == "tar":
        from .tars import tar_infos  # (imported when a tar is read)

        return tar_infos(archive)
    import zipfile  # (imported when a zip is read: it costs every command's start)

    try:
        with zipfile.ZipFile(_zip_file(archive)) as opened:
            return opened.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(display_name(archive), f"not a readable zip archive ({exc})") from exc


def open_member(name: str, archive: str, member: str) -> BinaryIO:
    """A member of a zip or tar archive, for reading (the archive closes with it)."""
    if archive_kind(archive) == "tar":
        from .tars import open_tar_member

        return open_tar_member(name, archive, member)
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
            return Member(opened.open(found), name)  # type: ignore[return-value]
    except KeyError as exc:
        raise InputError(name, "no such file in the zip archive") from exc
    except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:
        raise InputError(name, f"not readable from the zip archive ({exc})") from exc


def _zip_file(archive: str) -> str | BinaryIO:
    """What a zip archive is opened from: its path, or the copy of stdin (all of it, read to
    its end; the zip's directory is there)."""
    return stdin_copy() if archive == STDIN else archive


_ENCRYPTED = 0x1
"""The flag bit of a zip member whose data is encrypted (a password is needed to read it)."""
