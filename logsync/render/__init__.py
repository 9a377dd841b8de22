"""Output: machine formats (json, ndjson, csv, text), rich tables for people, JUnit XML.

This package is the only place that knows about rich; machine formats use the standard
library and never emit colour codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import Enum

from ..times import iso


class OutputFormat(str, Enum):
    table = "table"
    text = "text"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"


@dataclass(frozen=True)
class Display:
    """How times are shown: as logged, or converted to `tz` (`--tz`)."""

    tz: tzinfo | None = None

    def time(self, value: datetime | None) -> datetime | None:
        if value is None or self.tz is None or value.tzinfo is None:
            return value
        return value.astimezone(self.tz)

    def iso(self, value: datetime | None) -> str | None:
        return iso(self.time(value))


def number(value: float | None) -> int | float | None:
    """Whole seconds as int, else three decimals."""
    if value is None:
        return None
    return int(value) if value == int(value) else round(value, 3)
