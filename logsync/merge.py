"""Inputs merged by time: the runs of one input, the merge of inputs (as events or as row
batches), and the checks that decide whether inputs can be merged as they are: times with and
without UTC offsets, a time that goes back inside one input, rows that two inputs share."""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import tzinfo
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from .errors import UsageError
from .formats import ROTATION_MARKER
from .formats.common import RUN_DISORDER as RUN_DISORDER
from .formats.common import RUN_DISORDER_US as RUN_DISORDER_US
from .times import instant_key, micros, timeless

if TYPE_CHECKING:
    from .events import Event
    from .sources import InputStats
    from .tracker import Row




class BackwardJump(Exception):
    """An input's time goes back by more than `RUN_DISORDER`: it holds several runs."""

    def __init__(self, name: str, line: int = 0) -> None:
        super().__init__(name)
        self.name = name
        self.line = line
        """The line of the record where it goes back (0: not known)."""


def rotated_run(run: list[Event]) -> bool:
    """Whether a run ends with the rotation marker: the older half of a rotated log."""
    for event in reversed(run):
        if event.kind != "unparsed":
            return False
        if event.text.strip() == ROTATION_MARKER:
            return True
    return False


def run_end(run: list[Event]) -> float | None:
    """The instant of a run's last record (see `times.instant_key`)."""
    return next((instant_key(e.time) for e in reversed(run) if e.time is not None), None)


class RunSpan(NamedTuple):
    """Where a run of one input lies: its first and last records' instants (seconds, see
    `times.instant_key`) and its first line."""

    first: float
    last: float
    line: int


def run_span_of(run: list[Event]) -> RunSpan | None:
    """The span of a run of events (None: no record of it has a time)."""
    timed = [event for event in run if event.time is not None]
    if not timed:
        return None
    return RunSpan(instant_key(timed[0].time), instant_key(timed[-1].time), run[0].line)  # type: ignore[arg-type]


def run_span(stats: InputStats, runs: list[list[Event]]) -> None:
    """An input read as runs begins with the earliest of their first records and ends with
    the latest of their last ones (not with the first and last in file order)."""
    def timed(event: Event) -> bool:  # (records before an excerpt's first time have none)
        return event.time is not None and not timeless(event.time)

    firsts = [next((e.time for e in run if timed(e)), None) for run in runs]
    lasts = [next((e.time for e in reversed(run) if timed(e)), None) for run in runs]
    known = [time for time in firsts if time is not None]
    if known:
        stats.first_time = min(known, key=instant_key)
        stats.last_time = max((time for time in lasts if time is not None), key=instant_key)


NEWEST_FIRST = "its records are newest first (an export sorted so): they were read in reverse"


def split_event_runs(events: Iterable[Event], notes: list[str] | None = None) -> list[list[Event]]:
    """All the events of one input, as its runs: a new run begins where time goes back by more
    than the disorder of threads (files pasted together, `type a.log b.lo_ > all.log`); an
    event with no time stays with the record before it. An input whose time goes back at nine
    in ten of its changes (an export newest first) is read in reverse, said in `notes`."""
    keyed = [(None if e.time is None else instant_key(e.time), e) for e in events]
    if newest_first([key for key, _ in keyed if key is not None], RUN_DISORDER):
        keyed.reverse()
        if notes is not None:
            notes.append(NEWEST_FIRST)
    runs: list[list[Event]] = []
    run: list[Event] = []
    last: float | None = None
    for key, event in keyed:
        if key is not None:
            if last is not None and key < last - RUN_DISORDER:
                runs.append(run)
                run = []
            last = key
        run.append(event)
    if run or not runs:
        runs.append(run)
    return runs


def newest_first(keys: Sequence[float], within: float = 0) -> bool:
    """Whether time goes back at nine in ten of the changes of these instants (of an input's
    records in file order, or samples of them), and at least at three: an export newest first
    (Splunk's and Log Analytics' order, `tac`), not files pasted together in the wrong order.
    Where three changes or more are longer than `within` (the disorder of threads, in the keys'
    unit), only those tell: a short log reversed goes forward where its threads wrote a little
    out of order; else every change does (a cycle's lines within a second, reversed)."""
    back, forward = _changes(keys, float(within))
    if back < 3:
        back, forward = _changes(keys, 0.0)
    return back >= 3 and back >= 9 * forward


def _changes(keys: Sequence[float], within: float) -> tuple[int, int]:
    """How many times these instants go back, and forward, by more than `within`."""
    back = sum(map(operator.lt, islice(keys, 1, None), map((-within).__add__, keys)))
    forward = sum(map(operator.gt, islice(keys, 1, None), map(within.__add__, keys)))
    return back, forward


T = TypeVar("T")
R = TypeVar("R", bound=tuple[Any, ...])


_END = object()


def merge_batches(
    streams: Sequence[Iterator[list[R]]], names: Sequence[str]
) -> Iterator[list[R]]:
    """Merge time-ordered inputs that come as batches of items keyed by their first field (the
    instant): the one merge of inputs, of rows and of events alike. The items are handed on as
    runs (slices of batches), not one by one.

    At equal instants the older input comes first. An input is older when its first item is (a
    rotated `.lo_` before its `.log`, which may start in the same millisecond as the `.lo_`
    ends); inputs that begin at the same instant come in the order of their names, not of the
    command line, so that the order they are given in changes nothing. Each input keeps its
    own order. As in `heapq.merge`, the next item is always the least (key, rank) of the
    inputs' heads, so an input's run goes on while its items stay below the least head of the
    others.
    """
    live: list[list[Any]] = []  # [batch, position, rank, stream]
    firsts = []
    for index, (stream, name) in enumerate(zip(streams, names, strict=True)):
        batch = _next_batch(stream)
        if batch is not None:
            rotated = 0 if name.lower().endswith(".lo_") else 1
            firsts.append((batch[0][0], rotated, name, index, [batch, 0, 0, stream]))
    firsts.sort(key=itemgetter(0, 1, 2, 3))
    for rank, (*_, entry) in enumerate(firsts):
        entry[2] = rank
        live.append(entry)
    while len(live) > 1:
        heads = [(batch[position][0], rank) for batch, position, rank, _ in live]
        best = heads.index(min(heads))
        bound, bound_rank = min(head for index, head in enumerate(heads) if index != best)
        batch, position, rank, stream = live[best]
        end, size = position, len(batch)
        if rank < bound_rank:
            while end < size and batch[end][0] <= bound:
                end += 1
        else:
            while end < size and batch[end][0] < bound:
                end += 1
        yield batch[position:end] if position or end < size else batch
        if end < size:
            live[best][1] = end
            continue
        following = _next_batch(stream)
        if following is None:
            del live[best]
        else:
            live[best][0], live[best][1] = following, 0
    for batch, position, _, stream in live:
        yield batch[position:] if position else batch
        yield from stream


class Copies:
    """The duplicate rule, for records met in two inputs or two runs of one (the same instant,
    thread, component and text: overlapping exports, pasted excerpts): of each record, as many
    copies count as the one run that holds it most often, so that a record a component wrote
    twice in one millisecond counts twice, and in whatever order the runs come. Runs are told
    by number (`side`); a record is any hashable key."""

    def __init__(self) -> None:
        self._counts: dict[object, list[int]] = {}  # per record: [counted, per-run counts…]

    def copy(self, record: object, side: int) -> bool:
        """Whether this record of run `side` is a copy of one already counted (else it counts)."""
        counts = self._counts.get(record)
        if counts is None:
            counts = self._counts[record] = [0] * (side + 2)
        elif len(counts) < side + 2:
            counts.extend([0] * (side + 2 - len(counts)))
        counts[side + 1] += 1
        if counts[side + 1] <= counts[0]:
            return True
        counts[0] = counts[side + 1]
        return False

    def known(self, record: object) -> bool:
        """Whether the record was met before (see `forget`)."""
        return record in self._counts

    def forget(self, record: object) -> None:
        """Forget a record no later one can be a copy of (its instant is past)."""
        del self._counts[record]


def in_batches(items: Iterator[T], size: int = 1024) -> Iterator[list[T]]:
    """The items, `size` at a time (the form `merge_batches` takes)."""
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch


def _next_batch(stream: Iterator[list[R]]) -> list[R] | None:
    """The input's next batch that is not empty, or None at its end."""
    for batch in stream:
        if batch:
            return batch
    return None


def keyed_events(
    events: Iterable[Event],
    name: str,
    awareness: dict[bool, str],
    judged: Collection[str] | None,
    jumped: Callable[[int], None],
    origin: int,
) -> Iterator[tuple[float, Event, int]]:
    """(instant, event, origin) triples; an unparsed line sorts with the record before it.

    `awareness` maps "has a UTC offset" to the first input seen that way: naive and aware times
    cannot be ordered against each other, so merging the two is a usage error, for events of
    the `judged` kinds (all when None): the order of the others does not matter. `jumped` is
    told the line of each record whose time goes back by more than `RUN_DISORDER`.
    """
    last = float("-inf")
    checked = False
    for event in events:
        if event.time is not None:
            if not checked and (judged is None or event.kind in judged):
                check_awareness(event.time.tzinfo is not None, name, awareness)
                checked = True
            key = instant_key(event.time)
            if key < last - RUN_DISORDER:
                jumped(event.line)
            last = key
        yield last, event, origin


def check_awareness(aware: bool, name: str, awareness: dict[bool, str]) -> None:
    """Note whether input `name` has UTC offsets; naive and aware inputs cannot be merged."""
    awareness.setdefault(aware, name)
    if (not aware) in awareness:
        with_offset = name if aware else awareness[True]
        without = awareness[False] if aware else name
        if without == with_offset:  # (two runs of one input)
            raise UsageError(
                f"{without}: some of its records' times have a UTC offset and others none; "
                "give --source-tz ZONE to read them as one log"
            )
        raise UsageError(
            f"{without}: its times have no UTC offset, unlike {with_offset}'s; "
            "give --source-tz ZONE to merge them"
        )


def jumps_back(keys: list[int], last: int | None) -> bool:
    """Whether time goes back by more than the disorder of threads between two neighbours of
    `keys` (after `last`, the key before them)."""
    if last is not None and keys and keys[0] < last - RUN_DISORDER_US:
        return True
    return any(map(operator.lt, islice(keys, 1, None), map((-RUN_DISORDER_US).__add__, keys)))


def goes_back(keys: list[int], last: int | None) -> tuple[int | None, int | None]:
    """(the last of the instants `keys`, else `last`; the index of the first that goes back by
    more than the disorder of threads from the one before it, or None)."""
    if not keys:
        return last, None
    if not jumps_back(keys, last):  # (at the speed of C: the usual case)
        return keys[-1], None
    for index, us in enumerate(keys):
        if last is not None and us < last - RUN_DISORDER_US:
            return keys[-1], index
        last = us
    raise AssertionError("jumps_back found a jump")


def latest_of(keys: list[int], zones: list[tzinfo | None]) -> tuple[int, tzinfo | None] | None:
    """The first of the latest records (of instants `keys`, in `zones`)."""
    if not keys:
        return None
    top = max(keys)
    return top, zones[keys.index(top)]


def events_in_order(
    events: Iterator[Event], name: str, stats: InputStats | None
) -> Iterator[Event]:
    """The events of one input read as rows (a format the chunk reader does not read), checked
    on the way to be one run, as the chunk reader checks SMS trace: raises `BackwardJump` at
    the line of the first record whose time goes back by more than the disorder of threads
    from the one before it, of whatever kind (a record no rule reads places its run too). The
    last time of the input `stats` is then its latest record's (a record after it may be a
    few milliseconds earlier); None: the events are not all its records (a sibling log's)."""
    last = latest = None
    for event in events:
        time = event.time
        if time is not None:
            us = micros(time)
            if last is not None and us < last - RUN_DISORDER_US:
                raise BackwardJump(name, event.line)
            last = us
            if latest is None or us > latest[0]:
                latest = (us, time)
        yield event
    if latest is not None and stats is not None:
        stats.last_time = latest[1]


def mergeable(
    batches: Iterator[list[Row]], name: str, awareness: dict[bool, str]
) -> Iterator[list[Row]]:
    """The batches of one input, after checking that it can be merged with the others."""
    for batch in batches:
        if batch:
            check_awareness(batch[0][1] is not None, name, awareness)
            yield batch
            break
    yield from batches
