"""Logs of two connectors given together: the exports of two sites in one folder would be read
as one history, their cycles, restarts and users mixed (a restart at one site taken for the
other's, synced users made pending, an interval of a minute and a half). One connector writes
one log at a time: its rotated halves and history files follow each other, and two exports of
it share the records they both hold. Two logs written as SMS trace that overlap for more than
an hour and share no record are two connectors'."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from itertools import combinations, pairwise
from typing import NoReturn

from .errors import UsageError
from .merge import RunSpan
from .safety import visible
from .sources import InputStats, display_name
from .times import NO_TIMES, fixed_offset, human_duration, instant_key, iso, moment_iso
from .tracker.model import ZoneTable

OVERLAP_SECONDS = 3600
"""How long two logs may overlap without sharing a record: far longer than the disorder of
threads at a rotation's seam, far shorter than two sites' exports of a day."""


EXCERPT_OVERLAP = 60
"""How long pasted text may overlap a log given with it (seconds; see `_no_excerpt_of`)."""


def one_connector(
    inputs: Sequence[InputStats],
    duplicates: int,
    runs: Mapping[str, Sequence[RunSpan]],
    zones: ZoneTable | None = None,
) -> None:
    """Refuse inputs that are two connectors' logs (see above), naming the first two; where the
    inputs share any record (`duplicates`), they are exports of one log. An input that may hold
    two (its `runs`: files pasted together, `cat a.log b.log`, that overlap and share no
    record) is not refused but said to: two searches of one log pasted together are such runs
    too (`grep bob`, then `grep carol`); but where the records' UTC offset (the tracker's
    `zones`) changes twice within the overlap, it is refused: one clock changes its offset
    once in an hour at most (daylight saving), two sites' clocks in turn as their records do."""
    _no_clock_change(inputs, runs)  # (whatever they share: to the second, passes may meet)
    if not duplicates:
        _no_runs_apart(inputs, runs, zones)
    if zones is not None:  # (records in one history: sorted by time, or runs that share some)
        _no_alternating_offsets(inputs, zones)


def _no_runs_apart(
    inputs: Sequence[InputStats], runs: Mapping[str, Sequence[RunSpan]], zones: ZoneTable | None
) -> None:
    """Refuse inputs, or runs of one, that overlap and share no record (see `one_connector`)."""
    read = {stats.path: stats for stats in inputs if stats.format == "sms-trace"}
    for name, own in runs.items():
        found = _deepest_overlap(own) if name in read else None
        if found is not None:
            one, other, overlap = found
            one, other = sorted((one, other), key=lambda run: run.line)  # (in file order)
            if zones is not None and _offset_changes(zones, one, other) >= 2:
                raise UsageError(
                    f"{visible(display_name(name))}: its lines from {one.line:,} and from "
                    f"{other.line:,} overlap for {human_duration(overlap)}, share no record, "
                    "and their UTC offsets alternate: they are two connectors' logs (two "
                    "sites?) pasted together, which would be read as one; give one site's log "
                    "at a time"
                )
            read[name].notes.append(
                f"its lines from {one.line:,} and from {other.line:,} overlap for "
                f"{human_duration(overlap)} and share no record: if they are two connectors' "
                "logs (two sites?) pasted together, the answers mix them; give one site's log "
                "at a time"
            )
    spans = [
        (instant_key(stats.first_time), instant_key(stats.last_time), stats)
        for stats in inputs
        if stats.format == "sms-trace"
        and not stats.sibling
        and stats.first_time is not None
        and stats.last_time is not None
    ]
    _no_excerpt_of(inputs, spans)
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


CLOCK_STEPS = frozenset({30 * 60_000_000, 60 * 60_000_000})
"""How far a clock's UTC offset moves at a daylight-saving change (microseconds): an hour, or
half an hour (Lord Howe Island). A move by any other step, and back, is two clocks."""
ALTERNATIONS = 4
"""Changes between two offsets a daylight-saving step apart, each within `_HOUR` of the one
before, that span more than `_HOUR`, of two clocks (sites in neighbouring zones): one clock
changes once a season, its threads writing a few records of the old offset just after."""
_DAY_US = 86_400_000_000
_QUARTER_US = 15 * 60_000_000
"""Every zone's UTC offset is a whole number of quarter hours."""


def _no_alternating_offsets(inputs: Sequence[InputStats], zones: ZoneTable) -> None:
    """Refuse records whose UTC offset shows two clocks: two sites' logs in one history, as a
    central log store exports them sorted by time (Splunk, Log Analytics across site servers),
    or files given together. Read as one, one site's restart is taken for the other's full sync
    and the interval is halved. Only where each input's offsets are its clock's (SMS trace and
    CMTrace write the bias the clock had: an ISO time's offset is only how it is written)."""
    if any(s.format not in ("sms-trace", "cmtrace") for s in inputs if not s.sibling):
        return
    offsets = [None if zone is NO_TIMES else fixed_offset(zone) for zone in zones.zones]
    changes = [
        (key, before, after)
        for key, before, after in zip(zones.keys[1:], offsets, offsets[1:], strict=False)
        if before is not None and after is not None and before != after
    ]
    for (key, before, after), (back, _, again) in pairwise(changes):
        step = abs(after[0] - before[0])
        zone = not after[0] % _QUARTER_US  # (a zone's offset: a damaged bias, `+481`, is none)
        if again == before and zone and step not in CLOCK_STEPS and back - key <= _DAY_US:
            _two_clocks(
                inputs,
                f"goes from {_shown(before)} to {_shown(after)} at {moment_iso(key, zones.at(key))}"
                f" and back {_later(back - key)}: no clock moves so",
            )
    first = 0  # (the first change of a run of changes each within an hour of the one before)
    for at in range(1, len(changes) + 1):
        if at < len(changes) and changes[at][0] - changes[at - 1][0] <= _HOUR * 1e6:
            continue
        key, before, after = changes[first]
        span = (changes[at - 1][0] - key) / 1e6
        if at - first >= ALTERNATIONS and span > _HOUR:
            _two_clocks(
                inputs,
                f"changes {at - first:,} times between {_shown(before)} and {_shown(after)} from "
                f"{moment_iso(key, zones.at(key))}, for {human_duration(span)}: a clock changes "
                "once a season",
            )
        first = at


def _later(us: int) -> str:
    """How much later (at its next record: within a second)."""
    return "at its next record" if us < 1_000_000 else f"{human_duration(us / 1e6)} later"


def _shown(offset: tuple[int, str]) -> str:
    """An offset as a record's time shows it (`-08:00`), or that it has none."""
    return offset[1] or "no offset"


def _two_clocks(inputs: Sequence[InputStats], what: str) -> NoReturn:
    """Refuse the inputs: their records' UTC offset does `what`."""
    names = [display_name(s.path) for s in inputs if not s.sibling]
    whose = f"{visible(names[0])}: its" if len(names) == 1 else (
        f"{', '.join(map(visible, names[:-1]))} and {visible(names[-1])}: their"
    )
    raise UsageError(
        f"{whose} records' UTC offset {what}; they are two connectors' logs (two sites?) in one "
        "history, which would be read as one; give one site's log at a time"
    )


def _no_excerpt_of(
    inputs: Sequence[InputStats], logs: Sequence[tuple[float, float, InputStats]]
) -> None:
    """Refuse pasted text (a ticket's excerpt) whose span lies within that of a log given with
    it, or overlaps it by more than `EXCERPT_OVERLAP`: its lines have no thread (and its times
    often no milliseconds), so its records cannot be told from the log's: an excerpt of that
    log would count them twice (a failure twice, a user pending who was synced), another
    connector's would mix with it."""
    for pasted in inputs:
        if pasted.format != "paste" or pasted.first_time is None or pasted.last_time is None:
            continue
        first, last = instant_key(pasted.first_time), instant_key(pasted.last_time)
        for log_first, log_last, log in logs:
            overlap = min(last, log_last) - max(first, log_first)
            if (log_first <= first and last <= log_last) or overlap > EXCERPT_OVERLAP:
                raise UsageError(
                    f"{visible(display_name(pasted.path))} (pasted text) overlaps the span "
                    f"of {visible(display_name(log.path))} ({iso(log.first_time)} to "
                    f"{iso(log.last_time)}), and its records, with no thread, "
                    "cannot be told from that log's: an excerpt of it would count them twice; "
                    "give one of them"
                )


def _deepest_overlap(spans: Sequence[RunSpan]) -> tuple[RunSpan, RunSpan, float] | None:
    """The two runs that overlap the longest, earlier first, and for how long, if longer than
    `OVERLAP_SECONDS`: in time order, each run overlaps the longest the run before it that
    reaches the furthest (one pass, however many runs: a log whose time goes back every other
    line has thousands)."""
    best: tuple[RunSpan, RunSpan, float] | None = None
    furthest: RunSpan | None = None
    for span in sorted(spans, key=lambda run: (run.first, run.line)):
        if furthest is not None:
            overlap = min(furthest.last, span.last) - span.first
            if overlap > OVERLAP_SECONDS and (best is None or overlap > best[2]):
                best = (furthest, span, overlap)
        if furthest is None or span.last > furthest.last:
            furthest = span
    return best


def _offset_changes(zones: ZoneTable, one: RunSpan, other: RunSpan) -> int:
    """How often the records' zone changes to another while two runs overlap."""
    keys, found = zones.keys, zones.zones
    first = bisect_left(keys, max(one.first, other.first) * 1e6)
    last = bisect_right(keys, min(one.last, other.last) * 1e6)
    return sum(found[at] != found[at - 1] for at in range(max(first, 1), last))


_HOUR = 3600
"""An hour of the clock, in seconds (`RunSpan`'s unit)."""


def _no_clock_change(inputs: Sequence[InputStats], runs: Mapping[str, Sequence[RunSpan]]) -> None:
    """Refuse an input whose times carry no UTC offset and go back, between two runs that share
    no record, by at most an hour within one hour of the clock, and go on past where they went
    back from: a daylight-saving change (01:00 to 01:59, then 01:00 to 01:59 again), not logs
    pasted together. Read as two runs merged by time, the two passes of that hour would
    interleave (cycles counted twice, a failure before its own cycle); read in a zone
    (`--source-tz`), each time has its instant."""
    naive = {s.path for s in inputs if s.first_time is not None and s.first_time.tzinfo is None}
    for name, own in runs.items():
        for before, after in pairwise(own):
            back = before.last - after.first
            same_hour = before.last // _HOUR == after.first // _HOUR
            if name in naive and 0 < back <= _HOUR and same_hour and after.last > before.last:
                hour = _clock(after.first // _HOUR * _HOUR * 1_000_000)
                times = human_duration(back)
                what = f"the hour a daylight-saving change repeats, {_PLACED}"
                if len(own) > 2:  # (a clock changes once: more, rows sorted by another column?)
                    times = f"{len(own) - 1:,} times, by {times}"
                    what = (
                        "rows sorted by another column, or pieces pasted together, where the "
                        "hour a daylight-saving change repeats cannot be told apart without a "
                        f"UTC offset; {_GIVE_ZONE}"
                    )
                raise UsageError(
                    f"{visible(display_name(name))}: its times go back {times} at "
                    f"line {after.line:,}, within {hour:%Y-%m-%d %H}:00 to {hour:%H}:59, and "
                    f"go on: {what}"
                )


def no_skipped_hour(
    skipped: tuple[int, int, str, int] | None, inputs: Sequence[InputStats]
) -> None:
    """Refuse times with no UTC offset whose cycles skip an hour of the clock on their schedule
    (`tracker.schedule.skips_an_hour`: 01:55, then 03:00, no restart between): a spring-forward.
    Read as they are, every 24-hour timer across it runs out an hour early by their clock (a
    user waiting until 11:00 said overdue at 10:40). Not in an excerpt's lines, which someone
    chose: an hour may be left out there."""
    excerpts = {s.path for s in inputs if s.chosen}
    if skipped is None or skipped[2] in excerpts:
        return
    before, after, source, line = (*map(_clock, skipped[:2]), *skipped[2:])
    raise UsageError(
        f"{visible(display_name(source))}: its cycles go on at {after:%Y-%m-%d %H:%M:%S} (line "
        f"{line:,}) after {before:%H:%M:%S}, an hour past their schedule with no restart: the "
        f"hour a daylight-saving change skips, {_PLACED}"
    )


def _clock(us: float) -> datetime:
    """The time a clock with no UTC offset showed (its instants are kept as if in UTC)."""
    return datetime.fromtimestamp(us / 1e6, timezone.utc)


_GIVE_ZONE = (
    "give --source-tz ZONE (the site's zone, for example --source-tz America/New_York) to read "
    "them"
)
_PLACED = f"which times without a UTC offset cannot place; {_GIVE_ZONE}"
