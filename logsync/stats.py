"""What one input held: its format, encoding and counts, filled in while it is read."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple, TypeVar

from .times import instant_key, iso, micros, moment_iso, moment_time, timeless


class InputStats:
    """What one input held; filled in while it is read."""

    __slots__ = (
        "blank",
        "connector_records",
        "cut_off",
        "cut_off_width",
        "detected",
        "encoding",
        "fallback_lines",
        "first_time",
        "format",
        "gap_end",
        "gap_open",
        "gap_start",
        "gaps",
        "last_component",
        "last_time",
        "lines",
        "mail",
        "markers",
        "narrow",
        "notes",
        "path",
        "record_lines",
        "records",
        "remark",
        "remarked",
        "rows",
        "ruled",
        "rules",
        "sibling",
        "unparsed",
        "untimed_head",
    )

    def __init__(self, path: str) -> None:
        self.path = path
        self.format = ""
        self.detected = ""
        """The format the input reads as where `--input-format` named another (else "")."""
        self.mail = False
        """Read as a saved e-mail: what it holds of the log (see `mail.mail_text`)."""
        self.encoding = ""
        self.lines = 0
        """Physical lines (a last line without a line break counts)."""
        self.records = 0
        self.rows = 0
        """Of its records, those of a run of the log's lines, not lines someone chose (see
        `chosen`): rows copied from CMTrace's list (message, component, date and time, thread),
        and the log's own SMS-trace lines (a log pasted under a message a ticket quotes)."""
        self.record_lines = 0
        """Physical lines that belong to records (CMTrace records may span several)."""
        self.unparsed = 0
        self.markers = 0
        """Of the unparsed lines, the rotation markers that end a full log renamed `.lo_`."""
        self.gaps = 0
        """Of the unparsed lines, those where an excerpt leaves lines out (`grep -C`'s `--`)."""
        self.gap_start: datetime | None = None
        """The time of the record before the first of them (None: none before it)."""
        self.gap_end: datetime | None = None
        """The time of the record after the last of them (see `gap_open`)."""
        self.gap_open = False
        """The last of them has no record after it yet (it leaves out lines to the end)."""
        self.ruled = False
        """A rule line (`---`) came after a record, and no record since: where one comes, the
        rule marks lines left out there (`formats.common.record_after`)."""
        self.rules = 0
        """Of the unparsed lines, rules beside a mark of lines left out (or beside another
        such rule): of the same place (not in `gaps`)."""
        self.cut_off = 0
        """Of the unparsed lines, those of pasted text cut off at its width (`cut -c`)."""
        self.cut_off_width = 0
        """The width they were cut off at (0: none)."""
        self.narrow = 0
        """Of pasted text, the width its lines were wrapped at where they look like messages
        wrapped too narrow to be put back together (`aspasted.too_narrow`; 0: not so): why it
        holds no connector record, where it holds none (`pipeline.ensure_connector`)."""
        self.remarked = 0
        """Records read without the text after their trailer on their line (`formats.remarks`:
        a remark added to a copy, `<-- this is the user`)."""
        self.remark = ""
        """The first such text."""
        self.blank = 0
        self.first_time: datetime | None = None
        """Time of the input's first record (in file order)."""
        self.untimed_head = 0
        """Records before the first with a time (pasted text that begins under a date line it
        leaves out): they count in `records`, with no time (see `formats.paste`)."""
        self.last_time: datetime | None = None
        """Time of the input's last record (in file order)."""
        self.last_component = ""
        """Component of the input's last record: what log this is."""
        self.connector_records = 0
        """Records of the connector (SMS_CLOUD_USERSYNC), or of its messages where the format
        names no component (pasted excerpts): an input without any is some other component's
        log."""
        self.fallback_lines = 0
        """Lines that were not valid UTF-8 and were read as cp1252."""
        self.sibling = False
        """A sibling log (CertMgr.log, ...) read beside the connector's: only its records about
        the connector are kept (see `mark_siblings`)."""
        self.notes: list[str] = []

    @property
    def chosen(self) -> bool:
        """Pasted text whose records with a time are lines someone chose (an excerpt), not a
        run of the log's lines: its cycles are not in a row, and a silence there is no stall.
        Records before its first time (`untimed_head`, a message a ticket quotes) leave the
        run below them whole."""
        return self.format == "paste" and self.rows < self.records - self.untimed_head

    @property
    def unread(self) -> int:
        """The lines that are no record, but for the rotation marker and the marks of lines
        left out (`--`): those a reader is told are not judged."""
        return self.unparsed - self.markers - self.gaps - self.rules

    def take(self, other: InputStats) -> None:
        """Hold what `other` holds (an input read again into new stats)."""
        for name in self.__slots__:
            setattr(self, name, getattr(other, name))

    def fields(self) -> dict[str, object]:
        """Everything it holds, by name."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return f"InputStats({self.fields()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InputStats) and self.fields() == other.fields()

    __hash__ = None  # type: ignore[assignment]  # (mutable)

    def saw(self, time: datetime, component: str | None = None) -> None:
        """Note a record's time (the latest so far in file order) and its component."""
        if self.first_time is None:
            self.first_time = time
        self.last_time = time
        if component is not None:
            self.last_component = component

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "encoding": self.encoding,
            "lines": self.lines,
            "records": self.records,
            "unparsed": self.unparsed,
            "unread": self.unread,
            "blank": self.blank,
        }


def copied_stats(original: InputStats, name: str) -> InputStats:
    """What an input with the same bytes as `original` held."""
    stats = InputStats(name)
    for field in InputStats.__slots__:
        if field != "path":
            setattr(stats, field, getattr(original, field))
    stats.notes = list(original.notes)
    return stats


class Skipped(NamedTuple):
    """The records that the pieces of one input leave out at their starts (see `joined`)."""

    records: int = 0
    connector: int = 0
    """Of those, the connector's."""
    first_times: tuple[datetime, ...] = ()
    """The time of the first one each piece leaves out."""
    bom: bool = False
    """Whether they begin the input with its byte-order mark."""
    fallback: int = 0
    """Of their lines, those that are not UTF-8 (read as cp1252)."""


_SUMMED = (
    "lines",
    "records",
    "rows",
    "record_lines",
    "unparsed",
    "markers",
    "gaps",
    "rules",
    "cut_off",
    "remarked",
    "blank",
    "connector_records",
    "fallback_lines",
)


def joined(into: InputStats, parts: list[InputStats], skipped: Skipped | None = None) -> None:
    """Make `into` hold what the pieces of one input held, read each on its own (its runs, see
    `seams`): counts summed, with the `skipped` records (and of those, the connector's) that
    the pieces left out at their starts, each a line; its span from the earliest first record
    to the latest last one; format and encoding of its first piece (and the encodings a later
    piece changes to), component of its last."""
    first = parts[0]
    into.format = first.format
    into.encoding = first.encoding
    for part in parts[1:]:  # (the encodings a later piece changes to, in file order)
        for name in part.encoding.split("+")[1:]:
            if not (name == "cp1252" and into.encoding.endswith("+cp1252")):
                into.encoding += "+" + name
    for name in _SUMMED:
        setattr(into, name, sum(getattr(part, name) for part in parts))
    if skipped is not None:
        into.lines += skipped.records
        into.records += skipped.records
        into.record_lines += skipped.records
        into.connector_records += skipped.connector
        into.fallback_lines += skipped.fallback
    if skipped is not None and skipped.bom and not into.encoding.startswith("utf-8-sig"):
        into.encoding = into.encoding.replace("utf-8", "utf-8-sig", 1)
    if into.fallback_lines and not into.encoding.endswith("+cp1252"):
        into.encoding += "+cp1252"
    firsts = [part.first_time for part in parts if part.first_time is not None]
    firsts += skipped.first_times if skipped is not None else ()
    lasts = [part.last_time for part in parts if part.last_time is not None]
    into.first_time = min(firsts, key=instant_key) if firsts else None
    into.last_time = max(lasts, key=instant_key) if lasts else None
    components = [part.last_component for part in parts if part.last_component]
    into.last_component = components[-1] if components else ""
    into.notes = [note for part in parts for note in part.notes]
    into.remark = next((part.remark for part in parts if part.remark), "")


T = TypeVar("T")


Parts = list[tuple[InputStats, list[InputStats], Skipped]]
"""Of each input read as pieces: its stats, its pieces' and the records they skipped (see
`joined`)."""


def joining(items: Iterator[T], parts: Parts) -> Iterator[T]:
    """`items`, with each input read as pieces (`parts`) made to hold what its pieces held (see
    `joined`): once the first item is out (every piece has begun, so the input's span has its
    start), and again at the end."""
    for item in items:
        for part in parts:
            joined(*part)
        yield item
        break
    yield from items
    for part in parts:
        joined(*part)


def left_out(
    inputs: Sequence[InputStats], apart: Sequence[Apart] = ()
) -> tuple[int | None, int | None] | None:
    """Where the inputs leave lines out between their parts (`CycleTotals.gaps`), or between
    a rotated log and the next records of the inputs (`apart`, see `rotated_apart`): the
    instant of the record before the first place and of the record after the last."""
    apart = [place for place in apart if place.next_time is not None]  # (see `unfollowed`)
    cut = [s for s in inputs if s.gaps and not s.sibling]
    if not cut and not apart:
        return None
    starts = [micros(s.gap_start) for s in cut if s.gap_start is not None]
    ends = [None if s.gap_open or s.gap_end is None else micros(s.gap_end) for s in cut]
    # (None: a place before the first record of each input cut)
    first = None if cut and not starts else min([*starts, *(place.end for place in apart)])
    ends += [micros(place.next_time) for place in apart]  # type: ignore[arg-type]
    return first, None if None in ends else max(ends)  # type: ignore[type-var]


def unfollowed(apart: Sequence[Apart]) -> int | None:
    """The end of a rotated log that no record of the inputs follows (`rotated_apart`), the
    earliest: after it, the lines of the log the connector went on in are not given. Not a
    place in `left_out`: the cycles before it are all in the input, so only what is judged
    after it (`--now`) is unknown; None where there is none."""
    return min((place.end for place in apart if place.next_time is None), default=None)


FOLLOWED_US = 15 * 60 * 1_000_000
"""A rotated log is followed by the next records of the inputs within this much (three default
intervals: a log is renamed while the connector writes it, and the next goes on at once)."""


class Apart(NamedTuple):
    """An input that ends with the rotation marker, and the next records of the inputs later
    than `FOLLOWED_US` after it (see `rotated_apart`)."""

    stats: InputStats
    end: int
    """Its last record's instant (microseconds)."""
    next_time: datetime | None
    """The first record of the inputs after it (None: none, see `rotated_apart`)."""


def rotated_apart(
    inputs: Sequence[InputStats],
    ends: Mapping[str, int],
    runs: Mapping[str, Sequence[tuple[float, float, int]]] | None = None,
) -> list[Apart]:
    """The inputs that end with the rotation marker (`ends`: their last instants) whose next
    records in the inputs come later than `FOLLOWED_US` after it, where no input goes on across
    that time: the log that followed each (the `.lo_` of then) is not given, and its lines are
    left out there. Each is noted on the input (`InputStats.notes`). One that no record of the
    inputs follows is so too (`next_time` None): the connector went on in a log not given
    (see `unfollowed`). The other `runs` of an input read as runs (files pasted together,
    `type CloudUserSync.log CloudUserSync.lo_`: `merge.RunSpan`) go on from it as another
    input would."""
    found = []
    kept = [s for s in inputs if not s.sibling and s.first_time and s.last_time]
    for stats in kept:
        end = ends.get(stats.path)
        if end is None or timeless(stats.first_time):
            continue
        zone = stats.last_time.tzinfo  # type: ignore[union-attr]
        others = [s for s in kept if s is not stats and not timeless(s.first_time)]
        spans = [(micros(s.first_time), micros(s.last_time), s.first_time) for s in others]  # type: ignore[arg-type]
        for run_first, run_last, _ in (runs or {}).get(stats.path, ()):  # (`merge.RunSpan`)
            first = round(run_first * 1e6)  # (its own runs: the marker's ends at `end`)
            spans.append((first, round(run_last * 1e6), moment_time(first, zone)))
        if any(first <= end + FOLLOWED_US and last > end for first, last, _ in spans):
            continue  # (another input goes on from there)
        later = [(first, time) for first, _, time in spans if first > end]
        marker = moment_iso(end, zone)
        if not later:  # (the connector went on in a new log, not given: see `unfollowed`)
            if any(s.first_time is None and not s.sibling for s in inputs):
                continue  # (one given with no time, or empty: a log just rotated)
            found.append(Apart(stats, end, None))
            stats.notes.append(
                f"it ends with the rotation marker at {marker}, and no input goes on after it: "
                "the connector went on in a new CloudUserSync.log, not given, so what came "
                "after that time (retries, cycles) the input cannot say"
            )
            continue
        after = min(later, key=lambda pair: pair[0])[1]
        found.append(Apart(stats, end, after))
        stats.notes.append(
            f"it ends with the rotation marker at {marker}, and the next record of the inputs "
            f"is at {iso(after)}: the log written between (the CloudUserSync.lo_ of then) is "
            "not given, and its lines are left out there"
        )
    return found


def unheard(
    inputs: Sequence[InputStats],
    gaps: tuple[int | None, int | None] | None,
    after: int | None = None,
) -> tuple[int | None, int | None] | None:
    """Where a silence of the connector shows no stall (`CycleTotals.unheard`): where the inputs
    leave lines out (`gaps`, their `left_out`), and between the first and the last record of a
    pasted excerpt, whose lines are those the one who pasted it chose (as `left_out`, from the
    earliest to the latest of those places); not of rows copied from CMTrace's list, a run of
    the log's lines (its cycles in a row show their interval). With `after` (`unfollowed`),
    to the end of time from there: the connector went on in a log not given."""
    found = _unheard(inputs, gaps)
    if after is None:
        return found
    if found is None:
        return after, None
    return None if found[0] is None else min(after, found[0]), None


def _unheard(
    inputs: Sequence[InputStats], gaps: tuple[int | None, int | None] | None
) -> tuple[int | None, int | None] | None:
    starts: list[int] = []
    ends: list[int] = []
    for stats in inputs:
        first, last = stats.first_time, stats.last_time
        pasted = stats.chosen and not stats.sibling
        if pasted and first is not None and last is not None and not timeless(last):
            starts.append(micros(first))
            ends.append(micros(last))
    if not starts:
        return gaps
    if gaps is None:
        return min(starts), max(ends)
    first_gap, last_gap = gaps
    return (
        None if first_gap is None else min(first_gap, *starts),
        None if last_gap is None else max(last_gap, *ends),
    )
