"""The names of the files a Logs folder is read for: the connector's log, its rotated older half
and history files, and the sibling logs that hold the causes of its problems."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .patterns import deferred

LOG_NAMES = ("cloudusersync.lo_", "cloudusersync.log")
"""The connector's log and its rotated older half, lower-cased (Windows names ignore case)."""
_HISTORY_RE = deferred(r"cloudusersync-.*\.log", re.IGNORECASE)
_RENAMED_RE = re.compile(
    r"(?:[^/\\]*[^a-z/\\])?cloudusersync(?:(?!-)[^/\\]*?\.lo[g_]"
    r"(?:\.(?:txt|bak|old|log|lo_|\d{1,3}))?|(?: ?\(\d{1,3}\)| - copy(?: \(\d{1,3}\))?)?\.txt)",
    re.IGNORECASE,
)
"""The connector's log or its older half under a name it does not write, as a second download
(`CloudUserSync (1).log`), a copy (`CloudUserSync - Copy.log`, `Copy of CloudUserSync.log`), a
save as text (`CloudUserSync.log.txt`, `CloudUserSync.txt`, `CloudUserSync (1).txt`; not
`CloudUserSync notes.txt`), a backup (`CloudUserSync.LOG.bak`,
`CloudUserSync_2026-11-25.log`) or a server's name (`SCCM01_CloudUserSync.log`) names them;
never this project's own outputs beside a log (`CloudUserSync.log.report.json`)."""

SIBLING_NAMES = ("certmgr.log", "dmpuploader.log", "sitecomp.log", "smsexec.log")
"""Logs beside the connector's that hold the causes of its problems, lower-cased: a folder is
read with them, keeping only their records about the connector (SPEC §2, sibling logs)."""

SITE_COMPONENT_LOG = SIBLING_NAMES[2]
"""Where Site Component Manager logs the connector's installation: its error status messages
for the connector are install errors."""


def base_name(name: str) -> str:
    """The file name of an input, whether a path, a member of a zip archive or stdin."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def is_sibling(name: str) -> bool:
    """Whether an input is a sibling log (CertMgr.log, ...), read for its records about the
    connector only."""
    return base_name(name).lower() in SIBLING_NAMES


def is_history(name: str) -> bool:
    """Whether a file is a history file of the connector's log (`CloudUserSync-*.log`)."""
    return _HISTORY_RE.fullmatch(base_name(name)) is not None


def is_renamed(name: str) -> bool:
    """Whether a file is the connector's log, or its older half, renamed (`_RENAMED_RE`): a
    folder reads it as it reads the log, and stderr says so."""
    base = base_name(name)
    return base.lower() not in LOG_NAMES and _RENAMED_RE.fullmatch(base) is not None


def folder_logs(names: Iterable[str]) -> list[str]:
    """Of the file names of one folder, those read when the folder is named, oldest first:
    history files (`CloudUserSync-*.log`), the `.lo_` (after its copies renamed), the logs
    renamed, the `.log`, then the sibling logs. (Their records are merged by time whatever the
    order; a copy of another's records counts once.)"""
    listed = sorted(names)
    history = [name for name in listed if is_history(name)]
    renamed = [name for name in listed if is_renamed(name)]
    older = [name for name in renamed if ".lo_" in name.lower()]
    named = {name.lower(): name for name in listed}
    first, last = ([named[name]] if name in named else [] for name in LOG_NAMES)
    siblings = [named[name] for name in SIBLING_NAMES if name in named]
    newer = [name for name in renamed if name not in older]
    return history + older + first + newer + last + siblings


def not_a_file(path: Path) -> str:
    """What a path named as a log is where it is no regular file."""
    if path.is_dir():
        return "a directory"
    if path.is_symlink() and not path.exists():
        return "a link to nothing"
    return "not a regular file"
