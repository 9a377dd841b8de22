"""Logs of two connectors given together: the exports of two sites in one folder would be read
as one history, their cycles, restarts and users mixed (a restart at one site taken for the
other's, synced users made pending, an interval of a minute and a half). One connector writes
one log at a time: its rotated halves and history files follow each other, and two exports of
it share the records they both hold. Two logs written as SMS trace that overlap for more than
an hour and share no record are two connectors'."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from .errors import UsageError
from .safety import visible
from .sources import InputStats, display_name
from .times import human_duration, instant_key, iso

OVERLAP_SECONDS = 3600
"""How long two logs may overlap without sharing a record: far longer than the disorder of
threads at a rotation's seam, far shorter than two sites' exports of a day."""


def one_connector(inputs: Sequence[InputStats], duplicates: int) -> None:
    """Refuse inputs that are two connectors' logs (see above), naming the first two; where the
    inputs share any record (`duplicates`), they are exports of one log."""
    if duplicates:
        return
    spans = [
        (instant_key(stats.first_time), instant_key(stats.last_time), stats)
        for stats in inputs
        if stats.format == "sms-trace"
        and not stats.sibling
        and stats.first_time is not None
        and stats.last_time is not None
    ]
    for (a_first, a_last, a), (b_first, b_last, b) in combinations(spans, 2):
        overlap = min(a_last, b_last) - max(a_first, b_first)
        if overlap > OVERLAP_SECONDS:
            start = a if a_first >= b_first else b
            last = a if a_last <= b_last else b
            raise UsageError(
                f"{visible(display_name(a.path))} and {visible(display_name(b.path))} overlap "
                f"for {human_duration(overlap)} ({iso(start.first_time)} to "
                f"{iso(last.last_time)}) and share no record: they are logs of two "
                "connectors (two sites?), which would be read as one; give one site's logs at "
                "a time"
            )
