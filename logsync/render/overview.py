"""People's view of the connector's health (`summary`), and the lines that close a report:
the what-if restart and the next step."""

from __future__ import annotations

from typing import Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analysis import Analysis
from ..health import Summary
from ..safety import visible
from ..times import human_duration
from ..tracker import STATES
from . import (
    Display,
    count_of,
    cycles_every,
    judged_text,
    log_end_note,
)
from .human import (
    clock,
    report_parts,
)

SEVERITY_MARK = {"error": ("✖", "bold red"), "warning": ("▲", "yellow"), "info": ("●", "cyan")}


_DAY_COLUMNS = ("Day", "Tried", "Held back", "Added", "Failed")
BAR = 20
"""The widest bar of the per-day table (the busiest day's)."""


def _per_day(summary: Summary, console: Console) -> None:
    """The per-day table: a bar of adds and failures where the terminal has room for one,
    else none; where it has no room for the numbers either, a line a day (no value cut)."""
    rows = [
        (day, str(c.requested), str(c.held_back), str(c.added), str(c.failed))
        for day, c in summary.per_day.items()
    ]
    widths = [
        max(len(title), *(len(row[i]) for row in rows)) for i, title in enumerate(_DAY_COLUMNS)
    ]
    room = console.width - sum(widths) - 3 * (len(widths) - 1)  # (` │ ` between columns)
    if room < 0:
        for row in rows:
            named = zip(("tried", "held back", "added", "failed"), row[1:], strict=True)
            line = Text(row[0], style="bold")
            line.append("  " + " · ".join(f"{name} {value}" for name, value in named))
            console.print(line)
        return
    table = Table(show_edge=False, pad_edge=False, header_style="bold", title_justify="left")
    for title, width in zip(_DAY_COLUMNS, widths, strict=True):
        side: Literal["left", "right"] = "left" if title == "Day" else "right"
        table.add_column(title, justify=side, no_wrap=True, min_width=width)
    bar = min(BAR, room - 3)  # (after its own ` │ `)
    if bar >= 4:
        table.add_column("", justify="left", no_wrap=True)
    peak = max(max(c.requested, c.added + c.failed) for c in summary.per_day.values()) or 1
    for row, counts in zip(rows, summary.per_day.values(), strict=True):
        drawn = Text("█" * round(bar * counts.added / peak), style="green")
        drawn.append("█" * round(bar * counts.failed / peak), style="red")
        table.add_row(*row, *([drawn] if bar >= 4 else []))
    console.print(table)


def summary(
    summary: Summary,
    display: Display,
    console: Console,
    quiet: bool = False,
    ended_ago: float | None = None,
    analysis: Analysis | None = None,
) -> None:
    """The connector's health; with `analysis`, then the users asked for by name."""
    span = Text("Connector summary", style="bold")
    span.append(
        f" · {clock(summary.start, display)} → {clock(summary.end, display)}"
        f"{log_end_note(ended_ago)}{judged_text(summary, display, clock)}"
        f" · {cycles_every(summary)} · {count_of(len(summary.restarts), 'restart')}",
        style="dim",
    )
    if not quiet:
        console.print(span)
    if summary.per_day:
        _per_day(summary, console)
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
    if summary.users and analysis is not None:
        console.print(Text("Users asked for", style="bold"))
        by_state = dict.fromkeys(STATES, 0)
        for user in summary.users:
            by_state[user.state] += 1
        for part in report_parts(analysis, summary.users, by_state, display, console.width, True):
            console.print(part)

def next_step_line(step: str, ended_ago: float | None = None) -> Text:
    """`Next: …`, the one thing to do next; of a log that ended long ago (`ended_ago` seconds),
    said to be as of its end (its times are already past)."""
    head = "Next: "
    if ended_ago is not None:
        ago = human_duration(ended_ago)
        head = f"Next, as of the log's end {ago} ago (--now now judges as of now): "
    line = Text(head, style="bold")
    line.append(visible(step))
    return line


def what_if_line(summary: dict[str, object]) -> Text:
    """`What-if restart at …: frees 2 waiting users sooner, by up to 21h 5m; retries 1 overdue
    user.` (times marked * in the table)."""
    freed, retried = summary["users_freed"], summary["users_retried"]
    assert isinstance(freed, list) and isinstance(retried, list)
    head = f"What-if restart at {summary['restart_at']} (times marked * in the table): "
    absent = summary.get("users_not_in_azure_ad") or []
    assert isinstance(absent, list)
    tail = (
        f" {len(absent)} stuck user{'s' if len(absent) != 1 else ''} not in Azure AD: a restart "
        "will not add them."
        if absent
        else ""
    )
    if not freed and not retried:
        return Text(head + "it would free no waiting user sooner." + tail)
    parts = []
    if freed:
        saved = float(summary["max_time_saved_s"] or 0)  # type: ignore[arg-type]
        parts.append(
            f"frees {len(freed)} waiting user{'s' if len(freed) != 1 else ''} sooner, "
            f"by up to {human_duration(saved)}"
        )
    else:
        parts.append("frees no waiting user sooner")
    if retried:
        parts.append(
            f"retries {len(retried)} overdue user{'s' if len(retried) != 1 else ''} "
            "whose own retry did not come"
        )
    return Text(head + "; ".join(parts) + "." + tail, style="bold")
