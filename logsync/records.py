"""The shape of a log record before the message catalogue gives it meaning, and of a line that
is no record: what every format's parser yields (`formats`) and the catalogue reads (`events`)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

ROTATION_MARKER = "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>"
"""The last line of a log that was full and renamed to `.lo_`."""


class Record(NamedTuple):
    """One log record, before the message catalogue gives it meaning."""

    line: int
    """1-based number of its first physical line."""
    time: datetime
    component: str
    thread: int | None
    severity: str | None
    """From the format itself (CMTrace `type`); None when only the text can tell."""
    message: str
    """The raw message, `~` line breaks kept."""


class Unparsed(NamedTuple):
    """A physical line that is no record."""

    line: int
    raw: str
    problem: str


Item = Record | Unparsed
