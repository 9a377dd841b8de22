"""The pages printers write (what the library concluded, as each document needs it) and the
`Output` they write on: the shapes the map of formats (`render.printers`) and the printers
share."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from . import Display

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..events import Event
    from ..health import Summary
    from ..pipeline import ReadOptions
    from ..seams import Piece
    from ..selection import Filters
    from ..sources import InputStats, Progress
    from ..tracker import Step, UserState
    from ..verdicts import Gate


class Output(NamedTuple):
    """Where a printer writes, and how."""

    out: IO[str]
    """The document's stream (stdout, or stderr when JUnit XML takes stdout)."""
    err: IO[str]
    """Notes a person should see beside rows (stderr)."""
    terminal: bool = False
    """Whether `out` is a terminal: JSON indented, check's lines fitted to its width."""
    color: str = "auto"
    quiet: bool = False


class ReportPage(NamedTuple):
    """`report`: the users listed, the counts of every matched user, and what goes with them."""

    analysis: Analysis
    shown: list[UserState]
    counts: dict[str, int]
    display: Display
    health: Summary | None = None
    """The connector's health, for people's formats (table, markdown, html)."""
    cycle_marks: list[datetime] | None = None
    """The collector's cycle marks, for the html picture."""
    what_if: datetime | None = None
    """`--restart-at` as given (the analysis reads it in the log's offset)."""
    cloud: bool = False
    """Whether the users were checked against an export of Azure AD (`--cloud-users`)."""
    header: bool = False
    """Text: a first line naming the columns (`--header`)."""
    paths: tuple[str, ...] = ()
    """The inputs, for the table's next step (`logsync summary PATHS`)."""


class SummaryPage(NamedTuple):
    summary: Summary
    analysis: Analysis
    display: Display


class TimelinePage(NamedTuple):
    upn: str
    state: UserState | None
    steps: list[Step]
    analysis: Analysis
    display: Display


class MatchesPage(NamedTuple):
    """`timeline` with a part of several UPNs: the UPNs it matches."""

    upn: str
    matching: list[str]
    analysis: Analysis
    display: Display


@dataclass
class InSequence:
    """Inputs, or runs of them, that meet at most at their ends (`bulk.Reading.sequence`), in
    time order: the printers read their events themselves, one run after another, straight
    from their text to their lines (`render.ndjson`). That is the events the event stream and
    `filters` would give, written faster. What the reading found is left here for the notes."""

    runs: Sequence[tuple[str, Piece | None]]
    """Each run: its input, and the piece of it (None: the whole input)."""
    options: ReadOptions
    filters: Filters
    kinds: Collection[str] | None = None
    progress: Progress | None = None
    inputs: list[InputStats] = field(default_factory=list)
    """What each input held, in the order of their first runs (filled in by the printer)."""
    jump: tuple[str, int] | None = None
    """The input and line where time first goes back inside a run (None: nowhere)."""
    copied: int = 0
    """The records of the runs that are copies of another input's (`Piece.copies`), counted
    once there (filled in by the printer)."""
    counted: Mapping[tuple[str, int], InputStats] = field(default_factory=dict)
    """What each piece of copies held, by input and offset, read before anything is written
    (they write nothing: see `cli.events`)."""


class EventsPage(NamedTuple):
    events: Iterable[Event]
    display: Display
    in_sequence: InSequence | None = None
    """Set instead of `events` for runs in a format the chunk writer writes."""


class CheckPage(NamedTuple):
    verdict: Gate
    analysis: Analysis
    display: Display
    by_name: bool
    """Whether users were asked for by name (`--user`): they are listed whatever their state."""


Printer = Callable[[Any, Output], Any]
"""Writes a page on an output (watch's printers are sinks: they return the context that
holds one, which the follow loop calls)."""
