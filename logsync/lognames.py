"""The names of the files a Logs folder is read for: the connector's log, its rotated older half
and history files, and the sibling logs that hold the causes of its problems."""

from __future__ import annotations

import re
from collections.abc import Iterable

LOG_NAMES = ("cloudusersync.lo_", "cloudusersync.log")
"""The connector's log and its rotated older half, lower-cased (Windows names ignore case)."""
_HISTORY_RE = re.compile(r"cloudusersync-.*\.log", re.IGNORECASE)

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


def folder_logs(names: Iterable[str]) -> list[str]:
    """Of the file names of one folder, those read when the folder is named, oldest first:
    history files (`CloudUserSync-*.log`), the `.lo_`, the `.log`, then the sibling logs."""
    listed = sorted(names)
    history = [name for name in listed if is_history(name)]
    named = {name.lower(): name for name in listed}
    return history + [named[name] for name in (*LOG_NAMES, *SIBLING_NAMES) if name in named]

