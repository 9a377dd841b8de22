"""The library entry point: `analyze(paths) -> Analysis` reads, tracks and concludes in one pass."""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from itertools import chain

from .bulk import input_rows
from .errors import UsageError
from .events import Event
from .pipeline import EventStream, ReadOptions, check_awareness, ensure_connector, merge_batches
from .sources import STDIN, InputStats, Progress, expand_paths
from .times import WallClock, instant_key
from .tracker import (
    DEFAULT_FULL_SYNC_AFTER,
    TRACKED_KINDS,
    Connector,
    Result,
    Row,
    Tracker,
    TrackerOptions,
    UserState,
)


@dataclass(frozen=True)
class Analysis:
    """What the logs say about every user, as of `as_of`."""

    as_of: datetime | None
    inputs: list[InputStats]
    result: Result
    tracker: Tracker
    restart_at: datetime | None = None
    """The what-if restart time, read in the log's offset when given without one."""
    left_out: int = 0
    """Records after `--now`, left out of the judgement."""
    duplicates: int = 0
    """Records found in more than one input, counted once."""
    ended_ago: float | None = None
    """Seconds from the log's end to the wall clock, when it ended more than three intervals
    before it and the judgement is as of the log's end (set by the command line)."""

    @property
    def users(self) -> list[UserState]:
        return self.result.users

    @property
    def connector(self) -> Connector:
        return self.result.connector

    def upns(self) -> list[str]:
        """Every user of the inputs, as first spelled, whether listed or not."""
        return self.tracker.upns()


def earliest_time(inputs: Sequence[InputStats]) -> datetime | None:
    """The time of the first record of all inputs (by instant), of those read so far."""
    times = [stats.first_time for stats in inputs if stats.first_time is not None]
    return min(times, key=instant_key) if times else None


def latest_time(inputs: Sequence[InputStats]) -> datetime | None:
    """The time of the last record of all inputs (by instant)."""
    times = [stats.last_time for stats in inputs if stats.last_time is not None]
    return max(times, key=instant_key) if times else None


def resolve_now(
    now: datetime | None, reference: datetime | None, option: str = "--now"
) -> datetime | None:
    """A naive user-given time is read in the offset of the log at that time (`reference`)."""
    if now is None or reference is None:
        return now
    if isinstance(now, WallClock):
        if reference.tzinfo is None:
            return now.replace(tzinfo=None)  # the local wall clock, as a log without offsets has it
        return now.astimezone(reference.tzinfo)  # shown in the offset the log uses
    if now.tzinfo is None and reference.tzinfo is not None:
        return now.replace(tzinfo=reference.tzinfo)
    if now.tzinfo is not None and reference.tzinfo is None:
        raise UsageError(
            f"{option}: {now.isoformat()} has a UTC offset but the log times have none; "
            "give the time without an offset, or --source-tz ZONE"
        )
    return now.astimezone(reference.tzinfo)  # shown in the offset the log uses


def analyze(
    paths: Sequence[str],
    *,
    now: datetime | None = None,
    full_sync_after: timedelta = DEFAULT_FULL_SYNC_AFTER,
    interval: timedelta | None = None,
    source_tz: tzinfo | None = None,
    input_format: str | None = None,
    follow: str | None = None,
    restart_at: datetime | None = None,
    extra_kinds: Collection[str] = (),
    observer: Callable[[Event, Tracker], None] | None = None,
    fast: bool = True,
    progress: Progress | None = None,
    require_connector: bool = True,
    states: Collection[str] | None = None,
    match: Callable[[str], bool] | None = None,
) -> Analysis:
    """Read `paths` (files, directories or `-`), track every user, conclude at `now`.

    With `now`, records after it are left out: the result is the state as of `now`. A what-if
    restart at `restart_at` is judged as of that time in the same way (give one of the two).
    `observer`, if given, sees every event of `extra_kinds` and the tracked kinds, in order,
    with the tracker that has just read it.
    Unless `require_connector` is False, inputs without a record of the connector are an error
    (nothing to judge is never an all-clear). `states` and `match` limit the users listed
    (see `Tracker.result`); the counts cover every matched user.
    """
    options = ReadOptions(input_format=input_format, source_tz=source_tz)
    kinds = TRACKED_KINDS | frozenset(extra_kinds)
    settings = TrackerOptions(full_sync_after=full_sync_after, interval=interval, follow=follow)
    tracker = Tracker(settings)
    if now is not None and restart_at is not None:
        raise UsageError("--restart-at judges as of its own time: give it without --now")
    judged_at = now if now is not None else restart_at
    option = "--now" if now is not None else "--restart-at"
    cutoff = _Cutoff(judged_at, option) if judged_at is not None else None
    names = expand_paths(paths, stdin_is_pipe=False)
    duplicates = 0
    rows = fast and observer is None and follow is None and cutoff is None
    if rows and (len(names) == 1 or STDIN not in names):
        try:
            with fewer_collections():
                inputs = _feed_rows(tracker, names, options, kinds, progress)
        except _Overlap:  # records in two inputs: read again, counting each record once
            tracker = Tracker(settings)
            rows = False
    else:
        rows = False
    if not rows:
        # every kind where the cutoff or the duplicates count every record, else the tracked
        everything = cutoff is not None or len(names) > 1
        stream = EventStream(
            names,
            options,
            kinds=None if everything else kinds,
            fast=fast,
            progress=progress,
            judged=kinds,
        )
        inputs = stream.inputs
        _feed_events(tracker, stream, cutoff, kinds, observer)
        duplicates = stream.duplicates
    if require_connector:
        ensure_connector(inputs)
    last = latest_time(inputs)
    as_of = cutoff.resolved(last) if cutoff is not None else last
    what_if = as_of if restart_at is not None else None
    result = tracker.result(as_of, restart_at=what_if, states=states, match=match)
    return Analysis(
        as_of=as_of,
        inputs=inputs,
        result=result,
        tracker=tracker,
        restart_at=what_if,
        left_out=cutoff.left_out if cutoff is not None else 0,
        duplicates=duplicates,
    )


def _feed_events(
    tracker: Tracker,
    stream: EventStream,
    cutoff: _Cutoff | None,
    kinds: frozenset[str],
    observer: Callable[[Event, Tracker], None] | None,
) -> None:
    """The plain path: every input's events to the tracker, merged by instant."""
    events: Iterator[Event] = iter(stream)
    if cutoff is not None:
        events = cutoff.before(events, kinds)
    elif stream.kinds is None:
        events = (event for event in events if event.kind in kinds)
    feed = tracker.feed
    for first in events:  # the tracker begins where the earliest input begins
        tracker.begin(earliest_time(stream.inputs))
        events = chain([first], events)
        break
    if observer is None:
        for event in events:
            feed(event)
    else:
        for event in events:
            feed(event)
            observer(event, tracker)


class _Cutoff:
    """`--now T`: the records at or before T, in order; the later ones are counted."""

    def __init__(self, now: datetime, option: str = "--now") -> None:
        self.now = now
        self.option = option
        self.left_out = 0
        self.zone: tzinfo | bool | None = False
        """The zone of the last record kept (False: none seen)."""

    def before(self, events: Iterator[Event], kinds: frozenset[str]) -> Iterator[Event]:
        now = self.now
        naive_now = now.tzinfo is None
        beyond = False
        for event in events:
            time = event.time
            if time is None:  # an unparsed line goes with the record before it
                if not beyond and event.kind in kinds:
                    yield event
                continue
            if not beyond:
                if not naive_now and time.tzinfo is None:
                    # raises for an offset, unless `now`
                    now = resolve_now(now, time, self.option) or now
                    naive_now = True
                beyond = (time.replace(tzinfo=None) if naive_now else time) > now
            if beyond:
                self.left_out += 1
                continue
            self.zone = time.tzinfo
            if event.kind in kinds:
                yield event

    def resolved(self, last: datetime | None) -> datetime:
        """T itself; a naive T is read in the offset of the last record kept (of the log's last
        record when every record is later than T)."""
        if self.zone is not False:
            reference = datetime(2000, 1, 1, tzinfo=self.zone)  # type: ignore[arg-type]
            return resolve_now(self.now, reference, self.option) or self.now
        return resolve_now(self.now, last, self.option) or self.now


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while rows are fed: they make no cycles
    (reference counting frees them) and every collection walks all users kept so far."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _feed_rows(
    tracker: Tracker,
    names: Sequence[str],
    options: ReadOptions,
    kinds: frozenset[str],
    progress: Progress | None,
) -> list[InputStats]:
    """The fast path: inputs to the tracker as rows (`bulk`), merged by instant. Raises
    `_Overlap` when two inputs hold a row of the same instant, kind and fields: the plain path
    then tells the records apart by their thread, component and text."""
    inputs = [InputStats(path=name) for name in names]
    streams = [
        input_rows(name, options, stats, kinds, progress)
        for name, stats in zip(names, inputs, strict=True)
    ]
    if len(streams) == 1:
        batches = streams[0]
    else:
        awareness: dict[bool, str] = {}
        checked = [
            _checked(stream, name, awareness) for stream, name in zip(streams, names, strict=True)
        ]
        batches = _distinct(merge_batches(checked, names))
    for batch in batches:
        if batch:
            tracker.begin(earliest_time(inputs))
            tracker.feed_rows(batch)
            break
    for batch in batches:
        tracker.feed_rows(batch)
    return inputs


class _Overlap(Exception):
    """Two inputs hold rows that may be one record (overlapping exports)."""


def _distinct(runs: Iterator[list[Row]]) -> Iterator[list[Row]]:
    """Runs of merged rows, checked for rows of one instant, kind and fields from two inputs:
    those only meet where one run ends and the next (of another input) begins."""
    tail_us: int | None = None
    tail: dict[tuple[str, object], str] = {}  # the rows of the last instant, by their input
    for run in runs:
        first = run[0]
        if first[0] == tail_us:
            for us, _, kind, data, source, _ in run:
                if us != tail_us:
                    break
                if tail.setdefault((kind, data), source) != source:
                    raise _Overlap
        last = run[-1][0]
        if last != tail_us:
            tail_us, tail = last, {}
            for us, _, kind, data, source, _ in reversed(run):
                if us != last:
                    break
                tail.setdefault((kind, data), source)
        yield run


def _checked(
    batches: Iterator[list[Row]], name: str, awareness: dict[bool, str]
) -> Iterator[list[Row]]:
    """The batches of one input, after checking that it can be merged with the others."""
    for batch in batches:
        if batch:
            check_awareness(batch[0][1] is not None, name, awareness)
            yield batch
            break
    yield from batches
