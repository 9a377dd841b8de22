"""People's views through time: the event stream, and one user's timeline."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..events import Event
from ..safety import visible
from ..tracker import Step, UserState
from . import Display, state_parts, wrap_words
from .human import (
    SEPARATOR,
    SEVERITY_STYLE,
    STATE_STYLE,
    clock,
)

EVENT_LINE_MIN = 120
"""Below this width, each event takes two lines: its time and kind, then its text and
`file:line` under them (a terminal would otherwise cut UPNs and times in the middle)."""


def _indented(body: str, where: str, width: int) -> list[Text]:
    """`body` wrapped at words under an event's line, indented, `where` (dim) after it on the
    last line if it fits there, else on a line of its own; no line ends in padding."""
    chunks = wrap_words(body, width - 4)
    lines = [Text("    " + chunk) for chunk in chunks]
    if len(chunks[-1]) + 2 + len(where) <= width - 4:
        lines[-1].append(f"  {where}", style="dim")
    else:
        lines.append(Text("    " + where, style="dim"))
    return lines


def events(stream: Iterable[Event], display: Display, console: Console) -> int:
    count = 0
    stacked = console.width < EVENT_LINE_MIN
    for event in stream:
        count += 1
        line = Text(clock(event.time, display) if event.time else "-".ljust(26), style="dim")
        line.append("  ")
        style = SEVERITY_STYLE.get(event.severity, "") or "bold"
        where = f"{visible(event.source)}:{event.line}"
        if stacked:
            line.append(event.kind, style=style)
            console.print(line)
            for detail in _indented(visible(event.text), where, console.width):
                console.print(detail, soft_wrap=True)
            continue
        line.append(event.kind.ljust(19), style=style)
        line.append("  ")
        line.append(visible(event.text))
        line.append(f"  {where}", style="dim")
        console.print(line, soft_wrap=True)
    return count


def timeline(
    user: UserState | None,
    steps: list[Step],
    display: Display,
    console: Console,
    quiet: bool = False,
) -> None:
    if user is None:  # (stderr says so, with the users it may have meant)
        return
    title = Text(visible(user.upn), style="bold")
    title.append(" — ")
    title.append(user.state, style=STATE_STYLE[user.state])
    for part in state_parts(user, lambda time: clock(time, display)):
        title.append(f" · {part}")
    if not quiet:
        console.print(title)
    rows = [
        (
            clock(step.time, display),
            step.what,
            visible(step.text(lambda time: clock(time, display))),
            f"{visible(step.source)}:{step.line}" if step.source else "",
        )
        for step in steps
    ]
    if not rows:
        return
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    if widths[0] + widths[1] + widths[3] + TIMELINE_MIN_DETAIL + 3 * SEPARATOR > console.width:
        _stacked_timeline(rows, console)
        return
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Time", no_wrap=True, min_width=widths[0])
    table.add_column("Event", no_wrap=True, min_width=widths[1])
    table.add_column("Detail", min_width=TIMELINE_MIN_DETAIL)
    table.add_column("Where", style="dim", no_wrap=True, min_width=widths[3])
    for time_text, what, detail, where in rows:
        table.add_row(time_text, Text(what, style=_STEP_STYLE.get(what, "")), Text(detail), where)
    console.print(table)


TIMELINE_MIN_DETAIL = 30
"""Below this width for the detail, the timeline stacks each step on two lines."""
_STEP_STYLE = {"failed": "red", "added": "green", "skipped": "red", "not_confirmed": "yellow"}


def _stacked_timeline(rows: list[tuple[str, str, str, str]], console: Console) -> None:
    """One step per block: time, event and `file:line` on a line, the detail indented below."""
    for time_text, what, detail, where in rows:
        line = Text(time_text, style="dim")
        line.append("  ")
        line.append(what, style=_STEP_STYLE.get(what, "bold"))
        if where:
            line.append("  " + where, style="dim")
        console.print(line)
        console.print(Padding(Text(detail), (0, 0, 0, 4)))
