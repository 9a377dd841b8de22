"""Inputs to one time-ordered event stream: detect each file's format, parse, classify, merge."""

from __future__ import annotations

import heapq
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from . import events as catalogue
from .errors import NoRecordsError, UsageError
from .events import Event
from .formats import ParseContext, Record, detect, parser_for
from .formats.sms import candidate_pattern
from .sources import InputStats, Progress, expand_paths, text_chunks
from .times import instant_key

DETECT_SAMPLE = 1 << 16
"""Characters at the start of an input that format detection looks at."""


@dataclass(frozen=True)
class ReadOptions:
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
    fmt = options.input_format or detect("".join(head)[:DETECT_SAMPLE])
    if fmt is None:
        raise NoRecordsError(name)
    stats.format = fmt
    return fmt, chain(head, chunks)


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
    if fmt is not None:
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
    for item in parser_for(fmt)(chunks, ctx):
        if type(item) is Record:
            event = from_record(item, name)
            if wanted is None or event.kind in wanted:
                yield event
        elif wanted is None or "unparsed" in wanted:
            yield catalogue.from_unparsed(item, name)  # type: ignore[arg-type]
    ensure_records(name, stats)


def ensure_records(name: str, stats: InputStats) -> None:
    """An input of unparsed lines only is no log of ours: say so rather than report nothing."""
    if stats.records == 0 and stats.unparsed:
        raise NoRecordsError(name)


class EventStream:
    """All inputs' events, merged by instant; `inputs` fills in as the stream is read."""

    def __init__(
        self,
        names: Sequence[str],
        options: ReadOptions = ReadOptions(),
        kinds: Collection[str] | None = None,
        fast: bool = True,
        progress: Progress | None = None,
    ) -> None:
        self.names = expand_paths(names, stdin_is_pipe=False)
        self.options = options
        self.kinds = kinds
        self.fast = fast
        self.progress = progress
        self.inputs = [InputStats(path=name) for name in self.names]

    def __iter__(self) -> Iterator[Event]:
        streams = [
            read_input(name, self.options, stats, self.kinds, self.fast, self.progress)
            for name, stats in zip(self.names, self.inputs, strict=True)
        ]
        if len(streams) == 1:
            return streams[0]
        awareness: dict[bool, str] = {}
        pairs = zip(streams, self.names, strict=True)
        keyed = [_keyed(stream, name, awareness) for stream, name in pairs]
        return (event for _, event in heapq.merge(*keyed, key=itemgetter(0)))


def _keyed(
    events: Iterable[Event], name: str, awareness: dict[bool, str]
) -> Iterator[tuple[float, Event]]:
    """(instant, event) pairs; an unparsed line sorts with the record before it.

    `awareness` maps "has a UTC offset" to the first input seen that way: naive and aware times
    cannot be ordered against each other, so merging the two is a usage error.
    """
    last = float("-inf")
    checked = False
    for event in events:
        if event.time is not None:
            if not checked:
                check_awareness(event.time.tzinfo is not None, name, awareness)
                checked = True
            last = instant_key(event.time)
        yield last, event


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
