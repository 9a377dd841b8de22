"""The halves of a rotated log given one without the other: a `CloudUserSync.log` read without
the `.lo_` beside it (its older records), or a `.lo_` read without its `.log` (its newer ones),
in a folder or in a zip archive. Either way the answer holds for half the log; stderr names the
other half and the command that reads both."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

from .archives import member_name, zip_member
from .sources import LOG_NAMES, base_name, is_sibling

_OLDER, _NEWER = LOG_NAMES  # (`cloudusersync.lo_`, `cloudusersync.log`)


def lone_halves(names: Sequence[str]) -> list[tuple[str, str]]:
    """(input, the other half beside it) of each CloudUserSync.log or `.lo_` among the inputs
    whose other half lies beside it (in its folder, or its folder of a zip archive) and is not
    read: the folder (the archive) would read both. None when stdin, or any input but the
    halves and the sibling logs, is an input: it may hold the other half (`type
    CloudUserSync.lo_ | logsync report - CloudUserSync.log`, a file the two were pasted into)."""
    if any(base_name(name).lower() not in LOG_NAMES and not is_sibling(name) for name in names):
        return []
    read = set()
    for name in names:
        try:
            read.add(name if zip_member(name) else os.path.realpath(name))
        except OSError:
            continue
    found = []
    for name in names:
        half = base_name(name).lower()
        if half not in LOG_NAMES:
            continue
        other = _NEWER if half == _OLDER else _OLDER
        for path in _beside(name, other):
            if (path if zip_member(path) else os.path.realpath(path)) not in read:
                found.append((name, path))
    return found


def _beside(name: str, wanted: str) -> list[str]:
    """The files named `wanted` (in any case) beside an input, on disk or in its zip archive
    (named as its members are among the inputs)."""
    member = zip_member(name)
    if member is not None:
        archive, inside = member
        folder = inside.rpartition("/")[0]
        try:
            with zipfile.ZipFile(archive) as opened:
                members = [member_name(info) for info in opened.infolist()]
        except (zipfile.BadZipFile, OSError):
            return []
        return [
            f"{archive}/{path}"
            for path in members
            if path.rpartition("/")[0] == folder and path.rpartition("/")[2].lower() == wanted
        ]
    try:
        found = [p for p in Path(name).parent.iterdir() if p.name.lower() == wanted and p.is_file()]
    except OSError:
        return []
    return [str(path) for path in found]


def half_note(given: str, other: str, command: str | None) -> str:
    """What stderr says of half a rotated log read without the other half beside it, and the
    command that reads both."""
    member = zip_member(given)
    folder = member[0] if member is not None else str(Path(given).parent)
    if " " in folder:
        folder = f'"{folder}"'
    held = "older" if base_name(other).lower() == _OLDER else "newer"
    return (
        f"{other} beside {given} holds the log's {held} records and was not read; "
        f"`logsync {command or 'report'} {folder}` reads both"
    )
