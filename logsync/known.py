"""Whether an input holds anything to judge: a message of the connector that the catalogue
knows (see `ensure_known`)."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import InputError
from .events import CONNECTOR
from .formats.prefixes import hides_a_message
from .pipeline import ReadOptions, read_input
from .sources import InputStats, display_name

UNKNOWN_ONLY = 10
"""Records of the connector, none of them a message it is known to write, that leave an input
nothing to judge (see `ensure_known`). The connector writes known ones at every cycle's start
and end and every minute it waits for its certificate; fewer are a few of its other lines,
judged as a log with no cycle."""


def ensure_known(inputs: Sequence[InputStats], heard: bool, options: ReadOptions) -> None:
    """A command that judges the connector needs a message of it that the catalogue knows
    (`heard`: the tracker read a record of a kind it tracks). Inputs whose many records of
    the connector are none, most of them one after something put before it that was not taken
    off (a prefix of two shapes), would be judged a connector with no cycle and no user, and a
    gate on users would pass. Such an input is read again, to its first known record (a search
    of the kinds no rule reads, `grep UserDeltaSync`, is judged as before; stdin from its
    copy); one of other messages (errors the catalogue does not know) is judged as one with no
    cycle."""
    for stats in [] if heard else inputs:
        if stats.sibling or stats.connector_records < UNKNOWN_ONLY:
            continue
        hidden = 0
        for event in read_input(stats.path, options, InputStats(stats.path)):
            if event.kind not in ("message", "unparsed"):
                break
            hidden += event.kind == "message" and hides_a_message(event.text)
        else:
            if hidden * 2 > stats.connector_records:
                raise InputError(
                    display_name(stats.path),
                    f"none of its {stats.connector_records:,} {CONNECTOR} records is a message "
                    "the connector is known to write (a cycle, a user's addition, a start, a "
                    "certificate wait): nothing to judge; give the log's lines as the connector "
                    "wrote them",
                )
