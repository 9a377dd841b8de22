"""Inputs to one time-ordered event stream: detect each file's format, parse, classify, merge."""

from __future__ import annotations

import heapq
import re
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import tzinfo
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from . import events as catalogue
from .errors import InputError, NoRecordsError, UsageError
from .events import CONNECTOR, Event
from .formats import ROTATION_MARKER, ParseContext, Record, detect, parser_for
from .formats.aspasted import Pasting, pasting, undone
from .formats.sms import candidate_pattern
from .sources import (
    InputStats,
    Progress,
    display_name,
    expand_paths,
    mark_siblings,
    text_chunks,
)
from .times import instant_key

DETECT_SAMPLE = 1 << 16
"""Characters at the start of an input that format detection looks at."""


class ReadOptions(NamedTuple):
    """How inputs are read."""

    input_format: str | None = None
    """Force a format (`sms-trace`, `cmtrace`, `paste`) instead of detecting it per file."""
    source_tz: tzinfo | None = None
    """Zone of times that carry no UTC offset."""


@lru_cache(maxsize=16)
def _candidates(kinds: frozenset[str]) -> re.Pattern[str] | None:
    """The SMS-trace pattern of the records that may be of these kinds."""
    starts = catalogue.message_starts(kinds)
    return candidate_pattern(starts) if starts else None


def open_input(
    name: str, options: ReadOptions, stats: InputStats, progress: Progress | None = None
) -> tuple[str | None, Iterator[str]]:
    """(format, all text chunks) of one input; the format is None for an empty input."""
    chunks = text_chunks(name, stats, progress=progress)
    head: list[str] = []
    size = 0
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size >= DETECT_SAMPLE:
            break
    if not head:
        stats.format = "empty"
        return None, chunks
    sample = "".join(head)[:DETECT_SAMPLE]
    head, chunks = undone(head, chunks, sample)  # e-mail quoting, hard wrapping
    sample = "".join(head)[:DETECT_SAMPLE]
    fmt = options.input_format or detect(sample)
    if fmt is None:
        if sample.strip():
            raise NoRecordsError(display_name(name))
        fmt = "sms-trace"  # blank so far: its parser accounts for every line, whatever follows
    stats.format = fmt
    return fmt, chain(head, chunks)


def followed_format(sample: str, options: ReadOptions) -> tuple[Pasting | None, str | None]:
    """How a followed log that starts with `sample` was pasted (None: as written), and its
    format (None: none known yet), as `open_input` decides them for an input read whole."""
    found = pasting(sample)
    if found is not None:
        sample = "\n".join(found.undo(iter(sample.split("\n"))))
    return found, options.input_format or detect(sample)


def read_input(
    name: str,
    options: ReadOptions,
    stats: InputStats,
    kinds: Collection[str] | None = None,
    fast: bool = True,
    progress: Progress | None = None,
) -> Iterator[Event]:
    """The events of one input in file order; `kinds` filters them (None keeps all).

    With `fast`, an SMS-trace input whose lines are all records skips the records that cannot
    be of a wanted kind without building them; the events that come out are the same.
    """
    fmt, chunks = open_input(name, options, stats, progress)
    if fmt is None:
        ensure_records(name, stats)
        return
    yield from parse_input(name, fmt, chunks, options, stats, kinds, fast)


def parse_input(
    name: str,
    fmt: str,
    chunks: Iterator[str],
    options: ReadOptions,
    stats: InputStats,
    kinds: Collection[str] | None = None,
    fast: bool = True,
) -> Iterator[Event]:
    """The events of an input's text chunks in format `fmt`; see `read_input`."""
    wanted = None if kinds is None else frozenset(kinds)
    candidates = None
    if fast and fmt == "sms-trace" and wanted is not None and "message" not in wanted:
        candidates = _candidates(wanted - {"unparsed"})
    ctx = ParseContext(stats, options.source_tz, candidates)
    from_record = catalogue.from_record
    attribute = fmt != "sms-trace"  # the SMS-trace parser counts the connector's trailers
    sibling = stats.sibling  # of a sibling log, only the records about the connector
    for item in parser_for(fmt)(chunks, ctx):
        if type(item) is Record:
            event = from_record(item, name)
            if attribute and is_connector(event):
                stats.connector_records += 1
            if sibling and not catalogue.about_connector(event.kind, event.text):
                continue
            if wanted is None or event.kind in wanted:
                yield event
        elif sibling:
            continue
        elif wanted is None or "unparsed" in wanted:
            yield catalogue.from_unparsed(item, name)  # type: ignore[arg-type]
    ensure_records(name, stats)


def ensure_records(name: str, stats: InputStats) -> None:
    """An input without records is nothing to judge: say what it holds rather than report
    nothing (an empty input, blank lines, or lines of no known format)."""
    if stats.records:
        return
    if stats.unparsed:
        raise NoRecordsError(display_name(name))
    if stats.blank:
        raise InputError(display_name(name), f"no log records, only {stats.blank} blank lines")
    raise InputError(display_name(name), "empty input: no log lines")


CONNECTOR_KINDS = frozenset(
    {
        "component_started",
        "processing_started",
        "processing_stopping",
        "certificate_wait",
        "sync_started",
        "user_add_requested",
        "user_add_failed",
        "add_totals",
        "remove_totals",
        "users_removed",
        "sync_summary",
    }
)
"""Kinds only the connector logs: a record of one without a component is the connector's."""


def is_connector(event: Event) -> bool:
    """A record of SMS_CLOUD_USERSYNC, or of its words where the format names no component."""
    if event.component:
        return event.component.upper() == CONNECTOR
    return event.kind in CONNECTOR_KINDS


def ensure_connector(inputs: Sequence[InputStats]) -> None:
    """A command that judges the connector needs its records in at least one input."""
    if any(stats.connector_records for stats in inputs):
        return
    names = ", ".join(display_name(stats.path) for stats in inputs)
    components = list(dict.fromkeys(s.last_component for s in inputs if s.last_component))
    if len(inputs) == 1 and components:
        holds = f" (it is a log of {components[0]})"
    elif components:
        holds = f" (logs of {', '.join(components)})"
    else:
        holds = ""
    raise UsageError(f"{names}: no {CONNECTOR} records{holds}")


class EventStream:
    """All inputs' events, merged by instant; `inputs` fills in as the stream is read."""

    def __init__(
        self,
        names: Sequence[str],
        options: ReadOptions | None = None,
        kinds: Collection[str] | None = None,
        fast: bool = True,
        progress: Progress | None = None,
        judged: Collection[str] | None = None,
        split: dict[str, int] | None = None,
    ) -> None:
        self.names = expand_paths(names, stdin_is_pipe=False)
        self.split = split if split is not None else {}
        """Inputs read whole and merged as their runs (see `split_runs`): their number of runs
        is noted here."""
        self._halves: set[int] = set()
        self.jumps: list[tuple[str, int]] = []
        """(input, line) of each record whose time goes back (read in file order)."""
        options = options or ReadOptions()
        self.judged = judged
        """The kinds whose order matters (see `_keyed`); None: every kind."""
        self.options = options
        self.kinds = kinds
        self.fast = fast
        self.progress = progress
        self.inputs = [InputStats(path=name) for name in self.names]
        mark_siblings(self.inputs)
        self.duplicates = 0
        """Records found in more than one input, counted once (the others left out)."""

    def __iter__(self) -> Iterator[Event]:
        """The events merged by instant; an input whose time goes back is read in file order
        (its jumps noted in `jumps`) unless it is in `split`."""
        return self._events(strict=False)

    def in_order(self) -> Iterator[Event]:
        """The events merged by instant; raises `BackwardJump` at the first input not in
        `split` whose time goes back."""
        return self._events(strict=True)

    def _events(self, strict: bool) -> Iterator[Event]:
        streams: list[Iterator[Event]] = []
        names: list[str] = []
        halves: set[int] = set()  # the origins that are the older half of a rotated log
        for name, stats in zip(self.names, self.inputs, strict=True):
            events = read_input(name, self.options, stats, self.kinds, self.fast, self.progress)
            if name in self.split:
                runs = split_event_runs(events)
                self.split[name] = len(runs)
                _span(stats, runs)
                halves.update(len(streams) + i for i, run in enumerate(runs) if _rotated(run))
                streams += [iter(run) for run in runs]
                names += [name] * len(runs)
            else:
                if name.lower().endswith(".lo_"):
                    halves.add(len(streams))
                streams.append(events)
                names.append(name)
        self._halves = halves
        awareness: dict[bool, str] = {}
        keyed = [
            _keyed(stream, name, awareness, self.judged, self._jumped(name, strict), origin)
            for origin, (stream, name) in enumerate(zip(streams, names, strict=True))
        ]
        if len(keyed) == 1:
            return (event for _, event, _ in keyed[0])
        return self._once(merge_in_order(keyed, names, itemgetter(0)))

    def _jumped(self, name: str, strict: bool) -> Callable[[int], None]:
        def jumped(line: int) -> None:
            if strict:
                raise BackwardJump(name)
            self.jumps.append((name, line))

        return jumped

    def _once(self, merged: Iterator[tuple[float, Event, int]]) -> Iterator[Event]:
        """The merged events, where a record found in two inputs or two runs of one input (the
        same instant, thread, component and text: overlapping exports, pasted excerpts) counts
        once: of each record, as many copies as the one run that holds it most often (so a
        record repeated inside one input counts, in whatever order the inputs come). Records
        on both sides of a rotation's seam all count: the older half (a `.lo_`, or a run that
        ends with the rotation marker) was renamed, not copied, so a component that wrote one
        line many times in a millisecond as the log rotated wrote each of them (the lab's
        SMSProv.lo_/.log)."""
        halves = self._halves
        copies: dict[tuple[object, ...], list[int]] = {}  # per record: [kept, per-run counts…]
        seen: deque[tuple[float, tuple[object, ...]]] = deque()  # (instant, record), in order
        latest = float("-inf")
        for key, event, origin in merged:
            if event.time is not None and origin not in halves:
                # the records of the last seconds: threads write a little out of order
                latest = max(latest, key)
                while seen and seen[0][0] < latest - 2 * RUN_DISORDER:
                    del copies[seen.popleft()[1]]
                record = (key, event.thread, event.component, event.text)
                counts = copies.get(record)
                if counts is None:
                    counts = copies[record] = [0] * (origin + 2)
                    seen.append((key, record))
                elif len(counts) < origin + 2:
                    counts.extend([0] * (origin + 2 - len(counts)))
                counts[origin + 1] += 1
                if counts[origin + 1] <= counts[0]:
                    self.duplicates += 1
                    continue
                counts[0] = counts[origin + 1]
            yield event


RUN_DISORDER = 1.0
"""How many seconds time may step back between two records of one input without starting a
run: the threads of one process write a little out of order (the lab's CloudUserSync.log has
.429 then .427 on one thread); files pasted together in the wrong order go back hours."""


class BackwardJump(Exception):
    """An input's time goes back by more than `RUN_DISORDER`: it holds several runs."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _rotated(run: list[Event]) -> bool:
    """Whether a run ends with the rotation marker: the older half of a rotated log."""
    for event in reversed(run):
        if event.kind != "unparsed":
            return False
        if event.text.strip() == ROTATION_MARKER:
            return True
    return False


def _span(stats: InputStats, runs: list[list[Event]]) -> None:
    """An input read as runs begins with the earliest of their first records and ends with
    the latest of their last ones (not with the first and last in file order)."""
    firsts = [next((e.time for e in run if e.time is not None), None) for run in runs]
    lasts = [next((e.time for e in reversed(run) if e.time is not None), None) for run in runs]
    known = [time for time in firsts if time is not None]
    if known:
        stats.first_time = min(known, key=instant_key)
        stats.last_time = max((time for time in lasts if time is not None), key=instant_key)


def split_event_runs(events: Iterable[Event]) -> list[list[Event]]:
    """All the events of one input, as its runs: a new run begins where time goes back by more
    than the disorder of threads (files pasted together, `type a.log b.lo_ > all.log`); an
    event with no time stays with the record before it."""
    runs: list[list[Event]] = []
    run: list[Event] = []
    last: float | None = None
    for event in events:
        if event.time is not None:
            key = instant_key(event.time)
            if last is not None and key < last - RUN_DISORDER:
                runs.append(run)
                run = []
            last = key
        run.append(event)
    if run or not runs:
        runs.append(run)
    return runs


T = TypeVar("T")
R = TypeVar("R", bound=tuple[Any, ...])


def merge_in_order(
    streams: Sequence[Iterator[T]], names: Sequence[str], key: Callable[[T], Any]
) -> Iterator[T]:
    """Merge time-ordered inputs by instant; at equal instants the older input comes first.

    An input is older when its first record is (a rotated `.lo_` before its `.log`, which may
    start in the same millisecond as the `.lo_` ends); each input keeps its own order.
    """
    heads: list[tuple[Any, int, int, Iterator[T]]] = []
    for index, (stream, name) in enumerate(zip(streams, names, strict=True)):
        first = next(stream, _END)
        if first is _END:
            continue
        rotated = 0 if name.lower().endswith(".lo_") else 1
        heads.append((key(first), rotated, index, chain([first], stream)))  # type: ignore[arg-type, list-item]
    heads.sort(key=itemgetter(0, 1, 2))
    return heapq.merge(*(stream for *_, stream in heads), key=key)


_END = object()


def merge_batches(
    streams: Sequence[Iterator[list[R]]], names: Sequence[str]
) -> Iterator[list[R]]:
    """`merge_in_order` of inputs that come as batches of rows keyed by their first item: the
    same rows in the same order, handed on as runs (slices of batches), not one by one.

    As in `heapq.merge`, the next row is always the least (key, rank) of the inputs' heads,
    so an input's run goes on while its rows stay below the least head of the others.
    """
    live: list[list[Any]] = []  # [batch, position, rank, stream]
    firsts = []
    for index, (stream, name) in enumerate(zip(streams, names, strict=True)):
        batch = _next_batch(stream)
        if batch is not None:
            rotated = 0 if name.lower().endswith(".lo_") else 1
            firsts.append((batch[0][0], rotated, index, [batch, 0, 0, stream]))
    firsts.sort(key=itemgetter(0, 1, 2))
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


def _next_batch(stream: Iterator[list[R]]) -> list[R] | None:
    """The input's next batch that is not empty, or None at its end."""
    for batch in stream:
        if batch:
            return batch
    return None


def _keyed(
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
        raise UsageError(
            f"{without}: its times have no UTC offset, unlike {with_offset}'s; "
            "give --source-tz ZONE to merge them"
        )
