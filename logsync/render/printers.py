"""The one map of output formats: for each document a command writes (report, summary,
timeline, events, check), its format names and the printer that writes each.

A printer takes the document (what the library concluded, as a page of this module) and an
`Output` (the streams and how to write on them), and writes; the command line only picks
the document and the format name. Watch's printers, which are sinks the follow loop calls,
are in `render.watching`.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from ..safety import visible
from . import Display, check_row, connector_record, connector_text, number, verdict_line, wrap_words

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
    cycle_marks: list[Any] | None = None
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


Printer = Callable[[Any, Output], None]


# -- report -----------------------------------------------------------------------------------


def what_if_summary(when: datetime, users: list[UserState], display: Display) -> dict[str, Any]:
    """The what-if restart's changes (`analysis.what_if`) as the report's `what_if` object."""
    from ..analysis import what_if

    change = what_if(users)
    saved = change.time_saved_s
    summary: dict[str, Any] = {
        "restart_at": display.iso(when),
        "users_freed": [u.upn for u in change.freed],
        "users_retried": [u.upn for u in change.retried],
        "time_saved_s": number(sum(saved)),
        "max_time_saved_s": number(max(saved)) if saved else 0,
    }
    if change.not_in_azure_ad is not None:
        summary["users_not_in_azure_ad"] = [u.upn for u in change.not_in_azure_ad]
    return summary


def _report_markdown(page: ReportPage, output: Output) -> None:
    from . import markdown

    assert page.health is not None
    output.out.write(
        markdown.report(page.analysis, page.shown, page.counts, page.display, page.health)
    )


def _report_html(page: ReportPage, output: Output) -> None:
    from . import html

    assert page.health is not None and page.cycle_marks is not None
    output.out.write(
        html.page(page.analysis, page.health, page.shown, page.cycle_marks, page.display)
    )


def _report_json(page: ReportPage, output: Output) -> None:
    from . import machine

    analysis, display = page.analysis, page.display
    document = machine.report_document(analysis, [], page.counts, display)
    document["connector"] = connector_record(analysis.connector, analysis.as_of, display)
    if page.what_if is not None:
        when = analysis.restart_at or page.what_if
        document["what_if"] = what_if_summary(when, page.shown, display)
    machine.write_report_json(document, page.shown, display, output.out, pretty=output.terminal)


def _report_table(page: ReportPage, output: Output) -> None:
    from . import human

    analysis, display = page.analysis, page.display
    console = human.make_console(output.out, output.color)
    human.report(analysis, page.shown, page.counts, display, console, quiet=output.quiet)
    if page.what_if is not None:
        summary = what_if_summary(analysis.restart_at or page.what_if, page.shown, display)
        console.print(human.what_if_line(summary))
    if not output.quiet:
        from ..health import next_step

        assert page.health is not None
        names = " ".join(shlex.quote(path) for path in page.paths) or "-"
        console.print(human.next_step_line(next_step(page.health, f"logsync summary {names}")))


def _report_rows(write: Callable[[ReportPage, Output], None]) -> Printer:
    """A printer of rows (ndjson, csv, text): rows stay rows; the connector's problem goes
    where a person will see it."""

    def printer(page: ReportPage, output: Output) -> None:
        write(page, output)
        connector = page.analysis.connector
        if not connector.ok and not output.quiet:
            text = connector_text(connector, page.analysis.as_of, page.display)
            output.err.write(f"logsync: {visible(text)} ({connector.code})\n")

    return printer


def _report_ndjson(page: ReportPage, output: Output) -> None:
    from . import machine

    machine.write_ndjson((machine.user_record(u, page.display) for u in page.shown), output.out)


def _report_csv(page: ReportPage, output: Output) -> None:
    from . import machine

    fields = machine.user_fields(page.cloud)
    rows = machine.user_rows(page.shown, page.display, page.cloud)
    machine.write_csv(fields, rows, output.out, output.terminal)


def _report_text(page: ReportPage, output: Output) -> None:
    from . import machine

    if page.header:
        output.out.write("\t".join(machine.user_fields(page.cloud)) + "\n")
    machine.write_text_rows(machine.user_rows(page.shown, page.display, page.cloud), output.out)


# -- summary ----------------------------------------------------------------------------------


def _summary_markdown(page: SummaryPage, output: Output) -> None:
    from . import markdown

    output.out.write(markdown.summary(page.summary, page.analysis, page.display))


def _summary_html(page: SummaryPage, output: Output) -> None:
    from . import html

    output.out.write(html.summary_page(page.analysis, page.summary, page.display))


def _summary_json(page: SummaryPage, output: Output) -> None:
    from . import machine

    document = machine.summary_document(page.summary, page.display)
    machine.write_json(document, output.out, pretty=output.terminal)


def _summary_text(page: SummaryPage, output: Output) -> None:
    from . import machine

    machine.write_text_rows(machine.summary_rows(page.summary, page.display), output.out)


def _summary_table(page: SummaryPage, output: Output) -> None:
    from . import human

    console = human.make_console(output.out, output.color)
    human.summary(
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
    from . import human

    console = human.make_console(output.out, output.color)
    human.timeline(page.state, page.upn, page.steps, page.display, console, quiet=output.quiet)


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
    from . import human

    human.events(page.events, page.display, human.make_console(output.out, output.color))


# -- check ------------------------------------------------------------------------------------


def _check_json(page: CheckPage, output: Output) -> None:
    from . import machine

    verdict, analysis, display = page.verdict, page.analysis, page.display
    counted, passed = verdict.counted, verdict.passed
    machine.write_json(
        {
            "passed": passed,
            "as_of": display.iso(analysis.as_of),
            "fail_on": sorted(verdict.fail_on),
            "max_stuck": verdict.max_stuck,
            "counts": verdict.counts,
            "counted": machine.state_counts(counted),
            "connector": connector_record(analysis.connector, analysis.as_of, display),
            "connector_problem": verdict.connector_problem,
            "failing": [machine.user_record(u, display) for u in counted] if not passed else [],
            "within_limit": [machine.user_record(u, display) for u in counted] if passed else [],
            **(
                {"users": [machine.user_record(u, display) for u in analysis.users]}
                if page.by_name
                else {}
            ),
        },
        output.out,
        pretty=output.terminal,
    )


def _check_markdown(page: CheckPage, output: Output) -> None:
    from . import markdown

    verdict, analysis, display = page.verdict, page.analysis, page.display
    line = verdict_line(verdict, analysis.as_of, display)
    counted = verdict.counted
    others = [u for u in analysis.users if u not in counted] if page.by_name else []
    output.out.write(
        markdown.check(
            verdict.passed, line, counted, verdict.connector_problem, analysis, display, others
        )
    )


def _check_text(page: CheckPage, output: Output) -> None:
    if output.quiet:
        return
    verdict, analysis, display = page.verdict, page.analysis, page.display
    counted = verdict.counted
    rows = [check_row(u, display) for u in counted]
    if page.by_name:  # the users asked for by name, whatever their state
        rows += [
            check_row(u, display, not_counted=verdict.named)
            for u in analysis.users
            if u not in counted
        ]
    if verdict.connector_problem is not None:
        text = connector_text(analysis.connector, analysis.as_of, display)
        rows.append(("connector", verdict.connector_problem, visible(text)))
    line = verdict_line(verdict, analysis.as_of, display)
    if output.terminal:
        output.out.write(fitted(rows, line, _width()))
    else:
        output.out.write("".join("\t".join(row) + "\n" for row in rows) + line + "\n")


def fitted(rows: list[tuple[str, ...]], verdict_line: str, width: int) -> str:
    """The gate's lines for a terminal `width` columns wide: a row that does not fit keeps
    its first fields on one line and puts the rest under it, indented; words are never cut."""
    out = []
    for row in rows:
        line = "  ".join(row)
        if len(line) <= width:
            out.append(line)
            continue
        out.append("  ".join(row[:-1]))
        out.extend("    " + part for part in wrap_words(row[-1], width - 4))
    out.extend(wrap_words(verdict_line, width, indent="    "))
    return "\n".join(out) + "\n"


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


# -- the map ----------------------------------------------------------------------------------


PRINTERS: dict[str, dict[str, Printer]] = {
    "report": {
        "table": _report_table,
        "text": _report_rows(_report_text),
        "json": _report_json,
        "ndjson": _report_rows(_report_ndjson),
        "csv": _report_rows(_report_csv),
        "markdown": _report_markdown,
        "html": _report_html,
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
        "text": _check_text,
        "json": _check_json,
        "markdown": _check_markdown,
    },
}
"""(document, format name) -> the printer that writes it. `matches` is the timeline of a part
of several UPNs, and takes the timeline's formats."""


def formats(document: str) -> tuple[str, ...]:
    """The format names of a document (watch's are `render.watching.FORMATS`)."""
    if document == "watch":
        from .watching import FORMATS

        return FORMATS
    return tuple(PRINTERS[document])


def write(document: str, fmt: str, page: Any, output: Output) -> None:
    """Write `page`, a `document`, in the format `fmt`."""
    PRINTERS[document][fmt](page, output)
