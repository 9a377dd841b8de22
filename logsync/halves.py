"""The halves of a rotated log given one without the other: a `CloudUserSync.log` read without
the `.lo_` beside it (its older records), or a `.lo_` read without its `.log` (its newer ones),
in a folder or in a zip archive. Either way the answer holds for half the log; stderr names the
other half and the command that reads both."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from .archives import display_name, member_name, zip_member
from .errors import InputError
from .lognames import is_renamed, not_a_file
from .members import archive_infos, open_member
from .patterns import deferred
from .sources import LOG_NAMES, base_name, history_files, is_history, is_sibling

_OLDER, _NEWER = LOG_NAMES  # (`cloudusersync.lo_`, `cloudusersync.log`)


def lone_halves(names: Sequence[str]) -> list[tuple[str, str]]:
    """(input, the other half beside it) of each CloudUserSync.log or `.lo_` among the inputs
    whose other half lies beside it (in its folder, or its folder of a zip archive) and is not
    read: the folder (the archive) would read both. None when stdin, or any input but the
    halves and the sibling logs, is an input: it may hold the other half (`type
    CloudUserSync.lo_ | logsync report - CloudUserSync.log`, a file the two were pasted into)."""
    if any(not _of_the_folder(name) for name in names):
        return []
    read = set()
    for name in names:
        try:
            read.add(name if zip_member(name) else os.path.realpath(name))
        except OSError:
            continue
    found = []
    packed: dict[str, set[int | None]] | None = None  # (summed where a half on disk is unread)
    given_packed = {  # (halves given packed, `CloudUserSync.lo_.gz`: their records are read)
        f"cloudusersync.{packed_half[1].lower()}"
        for packed_half in map(_PACKED_HALF_RE.fullmatch, map(base_name, names))
        if packed_half
    }
    for name in names:
        half = base_name(name).lower()
        if half not in LOG_NAMES:
            continue
        other = _NEWER if half == _OLDER else _OLDER
        if other in given_packed:
            continue
        for path in _beside(name, other) + _beside(name, None):  # (and the halves renamed)
            inside = zip_member(path) is not None
            if (path if inside else os.path.realpath(path)) in read:
                continue
            if not inside and packed is None:
                packed = _packed_crcs(names) if any(map(zip_member, names)) else {}
            if inside or _crc(path) not in (packed or {}).get(other, ()):
                found.append((name, path))
    return found


def _packed_crcs(names: Sequence[str]) -> dict[str, set[int | None]]:
    """The CRC-32 of the halves read from zip or tar archives, by name: one beside the other
    half on disk (`rot.zip rot/CloudUserSync.log`) with the bytes of one of them was read."""
    crcs: dict[str, set[int | None]] = {}
    for name in names:
        inside = zip_member(name)
        if inside is not None and base_name(name).lower() in LOG_NAMES:
            archive, member = inside
            found = {i.CRC for i in archive_infos(archive) if member_name(i) == member}
            if None in found:  # (a tar keeps none: the member read is summed)
                found = {_crc(name, lambda: open_member(name, archive, member))}  # noqa: B023
            crcs.setdefault(base_name(name).lower(), set()).update(found)
    return crcs


def _crc(path: str, opened: Callable[[], BinaryIO] | None = None) -> int | None:
    """A file's CRC-32 (or that of what `opened` reads), as a zip archive keeps its members'
    (None: unreadable)."""
    import zlib

    crc = 0
    try:
        with opened() if opened is not None else open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                crc = zlib.crc32(block, crc)
    except (InputError, OSError):
        return None
    return crc


def _of_the_folder(name: str) -> bool:
    """Whether an input is one of the files a Logs folder is read as (`sources.folder_files`),
    or a half of its rotated log packed (`CloudUserSync.log.gz`: read where given)."""
    base = base_name(name)
    return (
        base.lower() in LOG_NAMES
        or is_history(name)
        or is_renamed(name)
        or is_sibling(name)
        or _PACKED_HALF_RE.fullmatch(base) is not None
    )


_PACKED_HALF_RE = deferred(r"cloudusersync\.(lo_|log)\.(?:gz|bz2|xz)", re.IGNORECASE)


def packed_halves(names: Sequence[str]) -> list[tuple[str, str]]:
    """(input, the other half beside it) of each packed half of a rotated log on disk among the
    inputs (`CloudUserSync.log.gz`) whose other half, packed or not, lies beside it unread
    (see `lone_halves`): no folder reads packed halves, so both are to be named."""
    if any(not _of_the_folder(name) for name in names):
        return []
    read = {os.path.realpath(name) for name in names if zip_member(name) is None}
    found = []
    for name in names:
        half = _PACKED_HALF_RE.fullmatch(base_name(name))
        if half is None or zip_member(name) is not None:
            continue
        other = _OLDER if half[1].lower() == "log" else _NEWER
        found += [
            (name, path)
            for wanted in (other, *(f"{other}.{packed}" for packed in ("gz", "bz2", "xz")))
            for path in _beside(name, wanted)
            if os.path.realpath(path) not in read
        ]
    return found


def packed_half_note(given: str, other: str, command: str | None) -> str:
    """What stderr says of half a rotated log read packed without the other half beside it."""
    held = "older" if ".lo_" in base_name(other).lower() else "newer"
    return (
        f"{other} beside {given} holds the log's {held} records and was not read; "
        f"`logsync {command or 'report'} {_quoted(given)} {_quoted(other)}` reads both"
    )


def lone_history(names: Sequence[str]) -> list[tuple[str, list[str]]]:
    """(input, the history files beside it) of each CloudUserSync.log or `.lo_` among the inputs
    whose folder (on disk, or in its zip or tar archive) holds history files
    (`CloudUserSync-*.log`, older records kept by name) that are not read; none where any input
    is not one of the folder's files (see `lone_halves`)."""
    if any(not _of_the_folder(name) for name in names):
        return []
    read = {name if zip_member(name) else os.path.realpath(name) for name in names}
    found = []
    for name in names:
        if base_name(name).lower() not in LOG_NAMES:
            continue
        if zip_member(name) is not None:
            older = sorted(path for path in _members_beside(name, is_history) if path not in read)
        else:
            beside = history_files(Path(name).parent)
            older = [path for path in beside if os.path.realpath(path) not in read]
        if older:
            found.append((name, older))
    return found


def history_note(given: str, older: list[str], command: str | None) -> str:
    """What stderr says of the history files beside a log read without them."""
    folder = _folder_argument(given)
    names = ", ".join(Path(path).name for path in older[:2]) + (", …" if len(older) > 2 else "")
    files = "a history file" if len(older) == 1 else f"{len(older)} history files"
    return (
        f"{files} beside {given} ({names}) {'holds' if len(older) == 1 else 'hold'} the log's "
        f"older records and {'was' if len(older) == 1 else 'were'} not read; "
        f"`logsync {command or 'report'} {folder}` reads them all"
    )


def _beside(name: str, wanted: str | None) -> list[str]:
    """The files named `wanted` (in any case) beside an input, on disk or in its zip archive
    (named as its members are among the inputs); `wanted` None: the connector's logs renamed
    (`lognames.is_renamed`)."""

    def named(file: str) -> bool:
        return is_renamed(file) if wanted is None else file.lower() == wanted

    if zip_member(name) is not None:
        return _members_beside(name, named)
    try:
        found = [p for p in Path(name).parent.iterdir() if named(p.name) and p.is_file()]
    except OSError:
        return []
    return [str(path) for path in found]


def _members_beside(name: str, named: Callable[[str], bool]) -> list[str]:
    """The members of an input's archive in its folder there whose file name `named` takes
    (named as its members are among the inputs)."""
    member = zip_member(name)
    assert member is not None  # (an archive's member: see the callers)
    archive, inside = member
    folder = inside.rpartition("/")[0]
    try:
        members = [member_name(info) for info in archive_infos(archive)]
    except InputError:
        return []
    return [
        f"{archive}/{path}"
        for path in members
        if path.rpartition("/")[0] == folder and named(path.rpartition("/")[2])
    ]


def _folder_argument(given: str) -> str:
    """The folder (or zip archive) that holds an input, as a command line names it: a folder
    inside a zip archive by its path there, where the archive holds logs in others too."""
    member = zip_member(given)
    if member is None:
        return _quoted(str(Path(given).parent))
    from .zips import zip_logs

    archive, folder = member[0], member[1].rpartition("/")[0]
    try:
        alone = given in zip_logs(archive)
    except InputError:
        alone = False
    return _quoted(archive if alone or not folder else f"{archive}/{folder}")


def half_note(given: str, other: str, command: str | None) -> str:
    """What stderr says of half a rotated log read without the other half beside it, and the
    command that reads both."""
    folder = _folder_argument(given)
    if is_renamed(other):  # (a copy, or the other half downloaded twice: it may be either)
        return (
            f"{other} beside {given} may hold the log's records under another name and was "
            f"not read; `logsync {command or 'report'} {folder}` reads both"
        )
    held = "older" if base_name(other).lower() == _OLDER else "newer"
    return (
        f"{other} beside {given} holds the log's {held} records and was not read; "
        f"`logsync {command or 'report'} {folder}` reads both"
    )


def renamed_note(read: Sequence[str], given: Sequence[str]) -> str | None:
    """What stderr says of the connector's logs under another name that a folder or a zip
    archive among the inputs was read for (`lognames.is_renamed`): which, and that they were
    read as its log; None where there are none (a file named on the command line is read as
    given: nothing to say)."""
    found = [name for name in read if is_renamed(name) and name not in given]
    if not found:
        return None
    names = ", ".join(_quoted(display_name(name)) for name in found)
    return f"{names}: read as the connector's log under another name (a copy, a second download)"


def unread_older(names: Sequence[str]) -> list[tuple[str, str, str]]:
    """(input, path, why) of each older half beside a CloudUserSync.log on disk among the inputs
    that no folder reads as it is: packed (`CloudUserSync.lo_.gz`, `.bz2`, `.xz`, `.zip`: read
    if given), or a `.lo_` that is no file (a link to nothing, a directory, a FIFO); and of a
    `.log` that is no file beside a `.lo_`. None where any input is not one of the folder's
    files (see `lone_halves`)."""
    if any(not _of_the_folder(name) for name in names):
        return []
    read = set()
    for name in names:
        member = zip_member(name)
        read.add(os.path.realpath(name if member is None else member[0]))  # (a zip: read)
    found = []
    for name in names:
        half = base_name(name).lower()
        if half not in (_NEWER, _OLDER) or zip_member(name) is not None:
            continue
        other = _OLDER if half == _NEWER else _NEWER
        try:
            beside = sorted(Path(name).parent.iterdir())
        except OSError:
            continue
        for path in beside:
            if os.path.realpath(path) in read:
                continue
            if half == _NEWER and _PACKED_OLDER_RE.fullmatch(path.name) and path.is_file():
                found.append((name, str(path), "packed"))
            elif path.name.lower() == other and not path.is_file():
                found.append((name, str(path), not_a_file(path)))
    return found


_PACKED_OLDER_RE = deferred(r"cloudusersync\.lo_\.(?:gz|bz2|xz|zip)", re.IGNORECASE)


def unread_older_note(given: str, path: str, why: str, command: str | None) -> str:
    """What stderr says of an older half beside a log that no folder reads as it is."""
    if why == "packed":
        return (
            f"{path} beside {given} may hold the log's older records, packed, and was not read; "
            f"`logsync {command or 'report'} {_folder_argument(given)} {_quoted(path)}` reads "
            "the folder with it"
        )
    records = "newer" if base_name(path).lower() == _NEWER else "older"
    return f"{path} beside {given} is {why}: the log's {records} records were not read"


def _quoted(name: str) -> str:
    """A path as a command line names it."""
    return f'"{name}"' if " " in name else name


def lone_notes(names: Sequence[str], command: str | None) -> list[str]:
    """What stderr says of the inputs that are part of a rotated log whose other parts lie
    beside them unread: its other half, its history files, an older half no folder reads as
    it is."""
    notes = [half_note(given, other, command) for given, other in lone_halves(names)]
    notes += [packed_half_note(given, other, command) for given, other in packed_halves(names)]
    notes += [history_note(given, older, command) for given, older in lone_history(names)]
    return notes + [unread_older_note(*found, command) for found in unread_older(names)]
