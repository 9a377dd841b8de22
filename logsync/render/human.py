"""Rich output for people: the report table, event lines, a user's timeline."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from ..analysis import Analysis
from ..events import Event
from ..health import Summary
from ..safety import visible
from ..times import human_duration, instant_key
from ..tracker import Result, Step, UserState, timer_label
from . import CONNECTOR_STATE_TEXT, Display, connector_text

PROGRESS_REDRAW_SECONDS = 0.1

STATE_STYLE = {
    "waiting": "yellow",
    "overdue": "bold red",
    "failed": "red",
    "pending": "cyan",
    "recovered": "green",
    "synced": "green",
}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": ""}
BAR_WIDTH = 12


def make_console(out: IO[str], color: str) -> Console:
    """A console on `out`; `color` is auto, always or never. With auto, a set NO_COLOR means
    no escape sequences at all (no colour, no bold); an explicit always or never wins."""
    plain = color == "never" or (color == "auto" and bool(os.environ.get("NO_COLOR")))
    return Console(
        file=out,
        force_terminal=True if color == "always" else None,
        no_color=plain,
        color_system=None if plain else "auto",
        highlight=False,
        markup=False,
        emoji=False,
    )


def clock(value: datetime | None, display: Display) -> str:
    """`2014-09-15 10:23:54 -04:00`: seconds precision and the offset, if known."""
    shown = display.time(value)
    if shown is None:
        return "-"
    text = shown.strftime("%Y-%m-%d %H:%M:%S")
    offset = _offset(shown)
    return f"{text} {offset}" if offset else text


def short_clock(value: datetime | None, display: Display, usual_offset: str) -> str:
    """`Sep 15 10:23:54`, with the offset only when it differs from the table's usual one."""
    shown = display.time(value)
    if shown is None:
        return "-"
    text = shown.strftime("%b %d %H:%M:%S")
    offset = _offset(shown)
    return f"{text} {offset}" if offset and offset != usual_offset else text


def _offset(value: datetime) -> str:
    offset = value.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def remaining(user: UserState, as_of: datetime | None) -> str:
    seconds = user.seconds_remaining
    if seconds is None:
        return "-"
    if user.state == "overdue":
        return f"overdue {human_duration(-seconds)}"
    if seconds <= 0:
        return "due now"
    return f"in {human_duration(seconds)}"


def progress_bar(user: UserState, as_of: datetime | None) -> Text:
    start, end = user.last_failure, user.expected_recovery
    if as_of is None or start is None or end is None:
        return Text("")
    span = instant_key(end) - instant_key(start)
    done = (instant_key(as_of) - instant_key(start)) / span if span > 0 else 1.0
    done = min(max(done, 0.0), 1.0)
    filled = round(done * BAR_WIDTH)
    style = "red" if user.state == "overdue" else "yellow"
    bar = Text("█" * filled, style=style)
    bar.append("░" * (BAR_WIDTH - filled), style="dim")
    return bar


def report(
    analysis: Analysis,
    shown: list[UserState],
    selected: list[UserState],
    display: Display,
    console: Console,
    quiet: bool = False,
) -> None:
    for part in report_parts(analysis, shown, selected, display, console.width, quiet):
        console.print(part)


def report_parts(
    analysis: Analysis,
    shown: list[UserState],
    selected: list[UserState],
    display: Display,
    width: int,
    quiet: bool = False,
) -> list[RenderableType]:
    """The header, the table of users and the footer line, for printing or a live view."""
    parts: list[RenderableType] = []
    as_of = analysis.as_of
    counts: dict[str, int] = {}
    for user in selected:
        counts[user.state] = counts.get(user.state, 0) + 1
    if not quiet:
        lines = sum(stats.lines for stats in analysis.inputs)
        unparsed = sum(stats.unparsed for stats in analysis.inputs)
        header = Text(f"as of {clock(as_of, display)}", style="bold")
        inputs = len(analysis.inputs)
        restarts = len(analysis.result.restarts)
        header.append(
            (f" · {inputs} inputs" if inputs > 1 else "")
            + f" · {lines} lines"
            + (f" ({unparsed} unparsed)" if unparsed else "")
            + f" · {analysis.result.cycles} cycles · {restarts} restart"
            + ("s" if restarts != 1 else ""),
            style="dim",
        )
        connector = analysis.connector
        header.append(" · ", style="dim")
        header.append(
            f"connector {CONNECTOR_STATE_TEXT[connector.state]}",
            style="green" if connector.ok else "bold red",
        )
        parts.append(header)
    problem = connector_problem_line(analysis, display)
    if not shown:
        if problem is None:
            parts.append(Text(_all_clear(counts), style="green"))
        else:
            line = Text("No user stuck or failed in the log, but that proves nothing: ")
            line.append_text(problem)
            parts.append(line)
        return parts
    shown_as_of = display.time(as_of)
    usual = _offset(shown_as_of) if shown_as_of is not None else ""
    timer_column = f"{timer_label(analysis.tracker.options.full_sync_after)} timer"
    columns = [
        ("User", "left"),
        ("State", "left"),
        ("Reason", "left"),
        ("Stuck since", "left"),
        ("Full sync due", "left"),
        ("Expected recovery", "left"),
        ("Remaining", "right"),
        (timer_column, "left"),
    ]
    # The essential columns always show; the others join while the terminal has room.
    room = width - (
        min(max(len(visible(u.upn)) for u in shown), 40)
        + max(len(visible(u.reason or "-")) for u in shown)
        + len("overdue")
        + len("Nov 26 09:14:55 ~")
        + len("overdue 23h 59m")
        + 3 * 4
    )
    with_since = room >= 18
    with_due = room >= 36
    with_bar = room >= 51
    if not with_bar:
        columns.remove((timer_column, "left"))
    if not with_due:
        columns.remove(("Full sync due", "left"))
    if not with_since:
        columns.remove(("Stuck since", "left"))
    caption = f"times at UTC{usual}" if usual else "times as logged (no UTC offset)"
    if any(not u.expected_recovery_observed and u.expected_recovery for u in shown):
        caption += " · ~ predicted from the cycle interval"
    table = Table(
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        caption=caption,
        caption_justify="left",
        caption_style="dim",
    )
    for name, justify in columns:
        wraps = name in ("User", "Reason")
        table.add_column(
            name,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=not wraps,
            overflow="fold" if wraps else "ellipsis",
            min_width=12 if wraps else None,
        )
    for user in shown:
        expected = short_clock(user.expected_recovery, display, usual)
        if user.expected_recovery is not None and not user.expected_recovery_observed:
            expected += " ~"
        since = user.first_failure if user.failures else user.first_seen
        cells = [
            Text(visible(user.upn)),
            Text(user.state, style=STATE_STYLE[user.state]),
            Text(visible(user.reason or "-")),
        ]
        if with_since:
            cells.append(Text(short_clock(since, display, usual)))
        if with_due:
            cells.append(Text(short_clock(user.full_sync_due, display, usual)))
        cells += [Text(expected), Text(remaining(user, as_of))]
        if with_bar:
            cells.append(progress_bar(user, as_of) if user.stuck else Text(""))
        table.add_row(*cells)
    parts.append(table)
    parts.append(footer(shown, counts, as_of, display))
    if problem is not None:
        parts.append(problem)
    return parts


def connector_problem_line(analysis: Analysis, display: Display) -> Text | None:
    """The connector's problem in words, with its code, or None when it runs."""
    connector = analysis.connector
    if connector.ok:
        return None
    text = Text(visible(connector_text(connector, analysis.as_of, display)), style="bold red")
    text.append(f" ({connector.code})", style="red")
    return text


def _all_clear(counts: dict[str, int]) -> str:
    parts = [f"{counts[s]} {s}" for s in ("synced", "recovered", "pending") if counts.get(s)]
    tail = f" ({', '.join(parts)})" if parts else ""
    return f"No users stuck or failed{tail}."


def footer(
    shown: list[UserState], counts: dict[str, int], as_of: datetime | None, display: Display
) -> Text:
    """`2 stuck · next recovery 15:00:12 (in 58m) · 1 failed: LicenseLimitReached`."""
    stuck = [user for user in shown if user.stuck]
    text = Text()
    if stuck:
        text.append(f"{len(stuck)} stuck", style="bold yellow")
        upcoming = [u for u in stuck if u.state == "waiting" and u.expected_recovery is not None]
        if upcoming:
            first = min(upcoming, key=lambda u: instant_key(u.expected_recovery))  # type: ignore[arg-type]
            text.append(f" · next recovery {clock(first.expected_recovery, display)}")
            text.append(f" ({remaining(first, as_of)})")
        if counts.get("overdue"):
            text.append(f" · {counts['overdue']} overdue", style="bold red")
    failed = [user for user in shown if user.state == "failed"]
    if failed:
        reasons = sorted({visible(user.reason or "?") for user in failed})
        if text:
            text.append(" · ")
        text.append(f"{len(failed)} failed: {', '.join(reasons)}", style="red")
    others = [f"{counts[s]} {s}" for s in ("recovered", "synced", "pending") if counts.get(s)]
    if others:
        text.append(" · " + ", ".join(others), style="dim")
    return text


def events(stream: Iterable[Event], display: Display, console: Console) -> int:
    count = 0
    for event in stream:
        count += 1
        line = Text(clock(event.time, display) if event.time else "-".ljust(26), style="dim")
        line.append("  ")
        line.append(event.kind.ljust(19), style=SEVERITY_STYLE.get(event.severity, "") or "bold")
        line.append("  ")
        line.append(visible(event.text))
        line.append(f"  {visible(event.source)}:{event.line}", style="dim")
        console.print(line, soft_wrap=True)
    return count


def timeline(
    user: UserState | None,
    upn: str,
    steps: list[Step],
    display: Display,
    console: Console,
    quiet: bool = False,
) -> None:
    if user is None:
        console.print(Text(f"{visible(upn)}: not seen in the log", style="yellow"))
        return
    title = Text(visible(user.upn), style="bold")
    title.append(" — ")
    title.append(user.state, style=STATE_STYLE[user.state])
    if user.failures:
        plural = "s" if user.failures != 1 else ""
        title.append(f" · {user.failures} failure{plural} ({visible(user.reason or '?')})")
    if user.full_sync_due is not None:
        title.append(f" · full sync due {clock(user.full_sync_due, display)}")
    if user.expected_recovery is not None:
        title.append(f" · expected recovery {clock(user.expected_recovery, display)}")
    if user.recovered_at is not None:
        title.append(f" · recovered {clock(user.recovered_at, display)}")
    if not quiet:
        console.print(title)
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Time", no_wrap=True)
    table.add_column("Event", no_wrap=True)
    table.add_column("Detail")
    table.add_column("Where", style="dim", no_wrap=True)
    for step in steps:
        style = "red" if step.what == "failed" else "green" if step.what == "added" else ""
        where = f"{visible(step.source)}:{step.line}" if step.source else ""
        table.add_row(
            clock(step.time, display),
            Text(step.what, style=style),
            Text(visible(step.detail)),
            where,
        )
    console.print(table)


def what_if_line(summary: dict[str, object]) -> Text:
    freed = summary["users_freed"]
    assert isinstance(freed, list)
    if not freed:
        return Text(
            f"What-if restart at {summary['restart_at']}: it would free no waiting user sooner."
        )
    saved = float(summary["max_time_saved_s"] or 0)  # type: ignore[arg-type]
    return Text(
        f"What-if restart at {summary['restart_at']}: frees {len(freed)} waiting user"
        f"{'s' if len(freed) != 1 else ''} sooner, by up to {human_duration(saved)}.",
        style="bold",
    )


SEVERITY_MARK = {"error": ("✖", "bold red"), "warning": ("▲", "yellow"), "info": ("●", "cyan")}


def summary(summary: Summary, display: Display, console: Console, quiet: bool = False) -> None:
    span = Text("Connector summary", style="bold")
    span.append(
        f" · {clock(summary.start, display)} → {clock(summary.end, display)}"
        f" · {summary.cycles} cycles"
        + (
            f" every {human_duration(summary.interval.total_seconds())}"
            if summary.cycles > 1
            else ""
        )
        + ""
        f" · {len(summary.restarts)} restart{'s' if len(summary.restarts) != 1 else ''}",
        style="dim",
    )
    if not quiet:
        console.print(span)
    if summary.per_day:
        table = Table(show_edge=False, pad_edge=False, header_style="bold", title_justify="left")
        for name, justify in (
            ("Day", "left"),
            ("Requested", "right"),
            ("Held back", "right"),
            ("Added", "right"),
            ("Failed", "right"),
            ("", "left"),
        ):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        peak = max(max(c.requested, c.added + c.failed) for c in summary.per_day.values()) or 1
        for day, counts in summary.per_day.items():
            bar = Text("█" * round(20 * counts.added / peak), style="green")
            bar.append("█" * round(20 * counts.failed / peak), style="red")
            table.add_row(
                day,
                str(counts.requested),
                str(counts.held_back),
                str(counts.added),
                str(counts.failed),
                bar,
            )
        console.print(table)
    if summary.reasons:
        reasons = ", ".join(f"{visible(r)} ×{n}" for r, n in summary.reasons.most_common())
        console.print(Text(f"Failure reasons: {reasons}"))
    if not summary.findings:
        console.print(Text("No findings: the connector looks healthy.", style="green"))
    for finding in summary.findings:
        mark, style = SEVERITY_MARK.get(finding.severity, ("●", ""))
        line = Text(f"{mark} ", style=style)
        line.append(finding.code, style=style)
        line.append(f"  {visible(finding.message)}")
        if finding.evidence:
            first = finding.evidence[0]
            line.append(f"  ({visible(first.source)}:{first.line})", style="dim")
        console.print(line)
    for advice in summary.advice:
        line = Text("→ ", style="bold")
        line.append(visible(advice.text))
        console.print(line)


def live(console: Console) -> Live:
    """A live region that the watch loop redraws itself (no refresh thread)."""
    return Live(console=console, auto_refresh=False, transient=False)


def watch_view(
    path: Path,
    status: str,
    result: Result,
    analysis: Analysis,
    shown: list[UserState],
    selected: list[UserState],
    display: Display,
    width: int,
) -> RenderableType:
    """The watch screen: which log, the last cycle and connector status, then the report."""
    header = Text(f"Watching {visible(str(path))}", style="bold")
    header.append(f" · last cycle {clock(result.last_cycle, display)}", style="dim")
    header.append(" · connector ")
    header.append(status, style="green" if status == "ok" else "bold red")
    return Group(header, *report_parts(analysis, shown, selected, display, width, quiet=True))


@contextmanager
def byte_progress(total: int, out: IO[str], color: str) -> Iterator[Callable[[int], None]]:
    """A transient progress bar on `out`; yields the function that advances it by bytes read."""
    console = make_console(out, color)
    columns = (
        TextColumn("reading"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    # Redrawn from the reading loop, not by a thread of its own: a process with threads must
    # not fork, and the fast paths fork a helper for large files.
    with Progress(*columns, console=console, transient=True, auto_refresh=False) as progress:
        task = progress.add_task("read", total=total)
        drawn = time.monotonic()

        def advance(size: int) -> None:
            nonlocal drawn
            progress.advance(task, size)
            now = time.monotonic()
            if now - drawn >= PROGRESS_REDRAW_SECONDS:
                drawn = now
                progress.refresh()

        yield advance
