"""The one map of output formats: for each document a command writes (report, summary,
timeline, events, check), its format names and the printer that writes each.

A printer takes the document (what the library concluded, as a page of this module) and an
`Output` (the streams and how to write on them), and writes; the command line only picks
the document and the format name. The printers of report and check are in `render.report`
and `render.gate`; watch's, which are sinks the follow loop calls, in `render.watching`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..safety import visible
from .pages import (
    CheckPage,
    EventsPage,
    InSequence,
    MatchesPage,
    Output,
    Printer,
    ReportPage,
    SummaryPage,
    TimelinePage,
)

if TYPE_CHECKING:
    from ..seams import Piece

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


def _timeline_rows(page: TimelinePage) -> list[list[Any]]:
    """A user's steps as rows (time, what, detail, source, line), then its state as of the
    judgement, as the table's title says it (a row `state`)."""
    from . import state_parts

    display, user = page.display, page.state
    rows = [
        [display.iso(s.time), s.what, s.text(display.iso), s.source or None, s.line or None]
        for s in page.steps
    ]
    if user is not None:
        words = " · ".join([user.state, *state_parts(user, lambda time: display.iso(time) or "-")])
        rows.append([display.iso(page.analysis.as_of), "state", words, None, None])
    return rows


def _timeline_text(page: TimelinePage, output: Output) -> None:
    from . import machine

    rows = [[*row[:3], f"{row[3]}:{row[4]}" if row[3] else None] for row in _timeline_rows(page)]
    machine.write_text_rows(rows, output.out)


_STEP_FIELDS = ("time", "what", "detail", "source", "line")


def _timeline_csv(page: TimelinePage, output: Output) -> None:
    from . import machine

    machine.write_csv(_STEP_FIELDS, _timeline_rows(page), output.out)


def _timeline_ndjson(page: TimelinePage, output: Output) -> None:
    from . import machine

    for row in _timeline_rows(page):
        machine.write_json(dict(zip(_STEP_FIELDS, row, strict=True)), output.out)


def _timeline_table(page: TimelinePage, output: Output) -> None:
    from . import history, human

    console = human.make_console(output.out, output.color)
    history.timeline(page.state, page.steps, page.display, console, quiet=output.quiet)


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


def _in_sequence(page: EventsPage, output: Output, form: str) -> bool:
    """Write the events of the page's runs straight from their text, if it has them."""
    runs = page.in_sequence
    if runs is None:
        return False
    from ..seams import skipped_by
    from ..sources import InputStats
    from ..stats import joined
    from .ndjson import write_runs_events

    names = list(dict.fromkeys(name for name, _ in runs.runs))
    inputs = {name: InputStats(name) for name in names}
    parts: dict[str, list[tuple[InputStats, Piece]]] = {}
    read = []
    for name, piece in runs.runs:
        stats = inputs[name]
        if piece is not None:  # (each piece's own counts, joined into its input's below)
            counted = runs.counted.get((name, piece.start)) if piece.copies else None
            stats = InputStats(name) if counted is None else counted
            parts.setdefault(name, []).append((stats, piece))
            if counted is not None:
                continue  # (read already: it writes nothing)
        read.append((name, stats, piece))
    found = write_runs_events(
        read, runs.options, output.out, page.display, form, runs.kinds, runs.progress,
        runs.filters,
    )
    for name, own in parts.items():
        joined(inputs[name], [stats for stats, _ in own], skipped_by([piece for _, piece in own]))
    runs.copied = sum(stats.records for own in parts.values() for stats, p in own if p.copies)
    runs.inputs = list(inputs.values())
    jumps = [(name, jumps.line) for (name, _, _), jumps in zip(read, found, strict=True)]
    runs.jump = next(((name, line) for name, line in jumps if line is not None), None)
    return True


def _events_ndjson(page: EventsPage, output: Output) -> None:
    from . import machine

    if not _in_sequence(page, output, "ndjson"):
        machine.write_events_ndjson(page.events, output.out, page.display, flush=False)


def _events_json(page: EventsPage, output: Output) -> None:
    from . import machine

    if not _in_sequence(page, output, "json"):
        machine.write_events_json(page.events, output.out, page.display)


def _events_csv(page: EventsPage, output: Output) -> None:
    from . import machine

    if not _in_sequence(page, output, "csv"):
        rows = machine.event_rows(page.events, page.display)
        machine.write_csv(machine.EVENT_COLUMNS, rows, output.out)


def _events_text(page: EventsPage, output: Output) -> None:
    from . import machine

    if not _in_sequence(page, output, "text"):
        machine.write_text_rows(machine.event_text_rows(page.events, page.display), output.out)


def _events_table(page: EventsPage, output: Output) -> None:
    from . import history, human

    history.events(page.events, page.display, human.make_console(output.out, output.color))


# -- the map ----------------------------------------------------------------------------------


def _in(module: str, name: str) -> Printer:
    """The printer `name` of the module `render.<module>`, imported when it writes (a command
    imports the printers of its own format only)."""

    def printer(page: Any, output: Output) -> Any:
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)(page, output)

    return printer


PRINTERS: dict[str, dict[str, Printer]] = {
    "report": {
        "table": _in("report", "table"),
        "text": _in("report", "text_rows"),
        "json": _in("report", "json"),
        "ndjson": _in("report", "ndjson_rows"),
        "csv": _in("report", "csv_rows"),
        "markdown": _in("report", "markdown"),
        "html": _in("report", "html"),
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
        "ndjson": _timeline_ndjson,
        "csv": _timeline_csv,
        "markdown": _timeline_markdown,
    },
    "matches": {
        "table": _matches_lines,
        "text": _matches_lines,
        "json": _matches_json,
        "ndjson": _matches_json,
        "csv": _matches_lines,
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
        "text": _in("gate", "text"),
        "json": _in("gate", "json"),
        "markdown": _in("gate", "markdown"),
    },
    "watch": {
        "table": _in("watching", "view"),
        "text": _in("watching", "text"),
        "ndjson": _in("watching", "lines"),
    },
}
"""(document, format name) -> the printer that writes it. `matches` is the timeline of a part
of several UPNs, and takes the timeline's formats."""


def formats(document: str) -> tuple[str, ...]:
    """The format names of a document."""
    return tuple(PRINTERS[document])


def write(document: str, fmt: str, page: Any, output: Output) -> None:
    """Write `page`, a `document`, in the format `fmt`."""
    PRINTERS[document][fmt](page, output)


__all__ = [
    "PRINTERS",
    "CheckPage",
    "EventsPage",
    "InSequence",
    "MatchesPage",
    "Output",
    "Printer",
    "ReportPage",
    "SummaryPage",
    "TimelinePage",
    "formats",
    "write",
]
