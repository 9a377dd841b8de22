"""The one map of output formats: for each document a command writes (report, summary,
timeline, events, check), its format names and the printer that writes each.

A printer takes the document (what the library concluded, as a page of this module) and an
`Output` (the streams and how to write on them), and writes; the command line only picks
the document and the format name. The printers of report and check are in `render.report`
and `render.gate`; watch's, which are sinks the follow loop calls, in `render.watching`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from ..safety import visible
from . import Display, gate, report, watching

if TYPE_CHECKING:
    from ..analysis import Analysis, Gate
    from ..events import Event
    from ..health import Summary
    from ..tracker import Step, UserState


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


class EventsPage(NamedTuple):
    events: Iterable[Event]
    display: Display


class CheckPage(NamedTuple):
    verdict: Gate
    analysis: Analysis
    display: Display
    by_name: bool
    """Whether users were asked for by name (`--user`): they are listed whatever their state."""


Printer = Callable[[Any, Output], Any]
"""Writes a page on an output (watch's printers are sinks: they return the context that
holds one, which the follow loop calls)."""


# -- summary ----------------------------------------------------------------------------------


def _summary_markdown(page: SummaryPage, output: Output) -> None:
    from . import markdown

    output.out.write(markdown.summary(page.summary, page.analysis, page.display))


def _summary_html(page: SummaryPage, output: Output) -> None:
    from . import html

    output.out.write(html.summary_page(page.analysis, page.summary, page.display))


def _summary_json(page: SummaryPage, output: Output) -> None:
    from . import facts, machine

    document = facts.summary_document(page.summary, page.display)
    machine.write_json(document, output.out, pretty=output.terminal)


def _summary_text(page: SummaryPage, output: Output) -> None:
    from . import facts, machine

    machine.write_text_rows(facts.summary_rows(page.summary, page.display), output.out)


def _summary_table(page: SummaryPage, output: Output) -> None:
    from . import human, overview

    console = human.make_console(output.out, output.color)
    overview.summary(
        page.summary,
        page.display,
        console,
        quiet=output.quiet,
        ended_ago=page.analysis.ended_ago,
        analysis=page.analysis,
    )


# -- timeline ---------------------------------------------------------------------------------


def _timeline_markdown(page: TimelinePage, output: Output) -> None:
    if page.state is None:  # no such user: said as the table says it
        _timeline_table(page, output)
        return
    from . import markdown

    output.out.write(markdown.timeline(page.state, page.steps, page.analysis, page.display))


def _timeline_json(page: TimelinePage, output: Output) -> None:
    from . import machine

    state, display = page.state, page.display
    machine.write_json(
        {
            "upn": state.upn if state else page.upn,
            "as_of": display.iso(page.analysis.as_of),
            "user": machine.user_record(state, display) if state else None,
            "steps": [machine.step_record(step, display) for step in page.steps],
        },
        output.out,
        pretty=output.terminal,
    )


def _timeline_text(page: TimelinePage, output: Output) -> None:
    from . import machine

    display = page.display
    machine.write_text_rows(
        (
            [display.iso(s.time), s.what, s.detail, f"{s.source}:{s.line}" if s.source else None]
            for s in page.steps
        ),
        output.out,
    )


def _timeline_table(page: TimelinePage, output: Output) -> None:
    from . import history, human

    console = human.make_console(output.out, output.color)
    history.timeline(page.state, page.upn, page.steps, page.display, console, quiet=output.quiet)


def _matches_json(page: MatchesPage, output: Output) -> None:
    from . import machine

    machine.write_json(
        {
            "upn": page.upn,
            "as_of": page.display.iso(page.analysis.as_of),
            "user": None,
            "steps": [],
            "matches": page.matching,
        },
        output.out,
        pretty=output.terminal,
    )


def _matches_lines(page: MatchesPage, output: Output) -> None:
    output.out.write("".join(f"{visible(name)}\n" for name in page.matching))


# -- events -----------------------------------------------------------------------------------


def _events_ndjson(page: EventsPage, output: Output) -> None:
    from . import machine

    machine.write_events_ndjson(page.events, output.out, page.display, flush=False)


def _events_json(page: EventsPage, output: Output) -> None:
    from . import machine

    machine.write_events_json(page.events, output.out, page.display)


def _events_csv(page: EventsPage, output: Output) -> None:
    from . import machine

    rows = machine.event_rows(page.events, page.display)
    machine.write_csv(machine.EVENT_COLUMNS, rows, output.out, output.terminal)


def _events_text(page: EventsPage, output: Output) -> None:
    from . import machine

    machine.write_text_rows(machine.event_text_rows(page.events, page.display), output.out)


def _events_table(page: EventsPage, output: Output) -> None:
    from . import history, human

    history.events(page.events, page.display, human.make_console(output.out, output.color))


# -- the map ----------------------------------------------------------------------------------


PRINTERS: dict[str, dict[str, Printer]] = {
    "report": {
        "table": report.table,
        "text": report.rows(report.text),
        "json": report.json,
        "ndjson": report.rows(report.ndjson),
        "csv": report.rows(report.csv),
        "markdown": report.markdown,
        "html": report.html,
    },
    "summary": {
        "table": _summary_table,
        "text": _summary_text,
        "json": _summary_json,
        "markdown": _summary_markdown,
        "html": _summary_html,
    },
    "timeline": {
        "table": _timeline_table,
        "text": _timeline_text,
        "json": _timeline_json,
        "markdown": _timeline_markdown,
    },
    "matches": {
        "table": _matches_lines,
        "text": _matches_lines,
        "json": _matches_json,
        "markdown": _matches_lines,
    },
    "events": {
        "table": _events_table,
        "text": _events_text,
        "json": _events_json,
        "ndjson": _events_ndjson,
        "csv": _events_csv,
    },
    "check": {
        "text": gate.text,
        "json": gate.json,
        "markdown": gate.markdown,
    },
    "watch": watching.PRINTERS,
}
"""(document, format name) -> the printer that writes it. `matches` is the timeline of a part
of several UPNs, and takes the timeline's formats."""


def formats(document: str) -> tuple[str, ...]:
    """The format names of a document."""
    return tuple(PRINTERS[document])


def write(document: str, fmt: str, page: Any, output: Output) -> None:
    """Write `page`, a `document`, in the format `fmt`."""
    PRINTERS[document][fmt](page, output)
