"""The library entry point: `analyze(paths) -> Analysis` reads, tracks and concludes in one pass."""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple, Protocol

from .bulk import LOCATED_KINDS, Cutoff, RowSpec, event_rows, input_rows
from .errors import UsageError
from .pipeline import EventStream, ReadOptions, check_awareness, ensure_connector, merge_batches
from .sources import STDIN, InputStats, Progress, expand_paths, mark_siblings
from .times import WallClock, instant_key
from .tracker import (
    DEFAULT_FULL_SYNC_AFTER,
    TRACKED_KINDS,
    Connector,
    Observer,
    Result,
    Row,
    Tracker,
    TrackerOptions,
    UserState,
)

if TYPE_CHECKING:
    from .cloud import CloudUsers


class Analysis(NamedTuple):
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
    wall_clock: bool = False
    """Whether `as_of` is the wall clock (`--now now`, `--restart-at now`)."""
    cloud: CloudUsers | None = None
    """The export of Azure AD users the users were checked against (`--cloud-users`)."""

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
    """The time of the first record of all inputs (by instant), of those read so far; sibling
    logs, read for their causes, do not say where the connector's log begins."""
    times = [s.first_time for s in inputs if s.first_time is not None and not s.sibling]
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


class Collector(Observer, Protocol):
    """An observer of the rows that tells what other rows it wants (the health summary)."""

    kinds: frozenset[str]
    """The kinds it reads beyond the tracked ones."""

    def messages(self, text: str) -> bool:
        """Whether a message of no known kind is one it reads (a `message` row)."""
        ...


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
    collector: Collector | None = None,
    fast: bool = True,
    progress: Progress | None = None,
    require_connector: bool = True,
    states: Collection[str] | None = None,
    match: Callable[[str], bool] | None = None,
    cloud: CloudUsers | None = None,
) -> Analysis:
    """Read `paths` (files, directories or `-`), track every user, conclude at `now`.

    Every input reaches the tracker as rows (`bulk`), for every command. With `now`, records
    after it are left out: the result is the state as of `now`. A what-if restart at
    `restart_at` is judged as of that time in the same way (give one of the two). `collector`,
    if given, sees every row, in order, after the tracker (see `Observer`). `follow` keeps one
    user's timeline. Unless `require_connector` is False, inputs without a record of the
    connector are an error (nothing to judge is never an all-clear). `states` and `match` limit
    the users listed (see `Tracker.result`); the counts cover every matched user. With `cloud`
    (an export of Azure AD users), each user listed says whether it is in Azure AD. `fast=False`
    reads through events, the plain path that the tests hold the rows against.
    """
    if now is not None and restart_at is not None:
        raise UsageError("--restart-at judges as of its own time: give it without --now")
    judged_at = now if now is not None else restart_at
    option = "--now" if now is not None else "--restart-at"

    def spec() -> RowSpec:
        return RowSpec(
            kinds=TRACKED_KINDS | (collector.kinds if collector is not None else frozenset()),
            located=LOCATED_KINDS
            | ({"user_add_requested"} if follow else frozenset())
            | ({"message"} if collector is not None else frozenset()),
            messages=collector.messages if collector is not None else None,
            cutoff=Cutoff(judged_at, option) if judged_at is not None else None,
        )

    options = ReadOptions(input_format=input_format, source_tz=source_tz)
    settings = TrackerOptions(full_sync_after=full_sync_after, interval=interval, follow=follow)
    names = expand_paths(paths, stdin_is_pipe=False)
    wanted = spec()
    tracker = _tracker(settings, collector)
    duplicates = 0
    if fast and (len(names) == 1 or STDIN not in names):
        try:
            with fewer_collections():
                inputs = _read_rows(tracker, names, options, wanted, progress)
        except _Overlap:  # records in two inputs: read again, counting each record once
            fast = False
            wanted, tracker = spec(), _tracker(settings, collector)
            progress = None  # (the bar was full already)
    else:
        fast = False
    if not fast:
        stream = EventStream(names, options, kinds=None, progress=progress, judged=wanted.wanted)
        inputs = stream.inputs
        _feed(tracker, event_rows(iter(stream), wanted), inputs)
        duplicates = stream.duplicates
    if require_connector:
        ensure_connector(inputs)
    last = latest_time(inputs)
    as_of = last
    cutoff = wanted.cutoff
    if cutoff is not None:  # T itself, read in the offset of the last row kept (else the last)
        zone = tracker.last_zone()
        reference = last if zone is False else datetime(2000, 1, 1, tzinfo=zone)  # type: ignore[arg-type]
        as_of = resolve_now(cutoff.when, reference, option) or cutoff.when
    what_if = as_of if restart_at is not None else None
    helps = cloud.has if cloud is not None else None
    result = tracker.result(
        as_of, restart_at=what_if, states=states, match=match, restart_helps=helps
    )
    result = in_azure_ad(result, cloud)
    return Analysis(
        as_of=as_of,
        inputs=inputs,
        result=result,
        tracker=tracker,
        restart_at=what_if,
        left_out=cutoff.left_out if cutoff is not None else 0,
        duplicates=duplicates,
        wall_clock=isinstance(judged_at, WallClock),
        cloud=cloud,
    )


def in_azure_ad(result: Result, cloud: CloudUsers | None) -> Result:
    """`result` with each user saying whether it is in the export `cloud` (unchanged without
    one)."""
    if cloud is None:
        return result
    users = [user._replace(in_azure_ad=cloud.has(user.upn)) for user in result.users]
    return result._replace(users=users)


def _tracker(settings: TrackerOptions, collector: Collector | None) -> Tracker:
    tracker = Tracker(settings)
    tracker.observer = collector
    return tracker


def _feed(tracker: Tracker, batches: Iterator[list[Row]], inputs: Sequence[InputStats]) -> None:
    """Feed the tracker, which begins where the earliest input begins (known once the first
    batch of every input has been read)."""
    for batch in batches:
        tracker.begin(earliest_time(inputs))
        tracker.feed_rows(batch)
        break
    for batch in batches:
        tracker.feed_rows(batch)


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


def _read_rows(
    tracker: Tracker,
    names: Sequence[str],
    options: ReadOptions,
    spec: RowSpec,
    progress: Progress | None,
) -> list[InputStats]:
    """Inputs to the tracker as rows (`bulk`), merged by instant. Raises `_Overlap` when two
    inputs hold a row of the same instant, kind and fields: the plain path then tells the
    records apart by their thread, component and text."""
    inputs = [InputStats(path=name) for name in names]
    mark_siblings(inputs)
    streams = [
        input_rows(name, options, stats, spec, progress)
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
    _feed(tracker, batches, inputs)
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
