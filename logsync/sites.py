"""Logs of two connectors given together: the exports of two sites in one folder would be read
as one history, their cycles, restarts and users mixed (a restart at one site taken for the
other's, synced users made pending, an interval of a minute and a half). One connector writes
one log at a time: its rotated halves and history files follow each other, and two exports of
it share the records they both hold. Two logs written as SMS trace that overlap for more than
an hour and share no record are two connectors'."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

from .errors import UsageError
from .merge import RunSpan
from .safety import visible
from .sources import InputStats, display_name
from .times import human_duration, instant_key, iso

OVERLAP_SECONDS = 3600
"""How long two logs may overlap without sharing a record: far longer than the disorder of
threads at a rotation's seam, far shorter than two sites' exports of a day."""


def one_connector(
    inputs: Sequence[InputStats], duplicates: int, runs: Mapping[str, Sequence[RunSpan]]
) -> None:
    """Refuse inputs that are two connectors' logs (see above), naming the first two; where the
    inputs share any record (`duplicates`), they are exports of one log. An input that may hold
    two (its `runs`: files pasted together, `cat a.log b.log`, that overlap and share no
    record) is not refused but said to: two searches of one log pasted together are such runs
    too (`grep bob`, then `grep carol`)."""
    if duplicates:
        return
    read = {stats.path: stats for stats in inputs if stats.format == "sms-trace"}
    for name, own in runs.items():
        for one, other in combinations(own, 2):
            overlap = min(one.last, other.last) - max(one.first, other.first)
            if name in read and overlap > OVERLAP_SECONDS:
                read[name].notes.append(
                    f"its lines from {one.line:,} and from {other.line:,} overlap for "
                    f"{human_duration(overlap)} and share no record: if they are two "
                    "connectors' logs (two sites?) pasted together, the answers mix them; give "
                    "one site's log at a time"
                )
                break
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
