"""Rich output for people: the console, the cells they share, and the report table (its
columns fitted to the width). The other views are in `history` (events, a timeline),
`overview` (summary), `live` (watch) and `progress`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..analysis import Analysis
from ..formats.paste import redacted
from ..safety import visible
from ..times import NO_TIMES_REASON, instant_key, timeless
from ..tracker import UserState, timer_label
from . import (
    CONNECTOR_STATE_TEXT,
    Display,
    connector_text,
    count_of,
    empty_list_text,
    log_end_note,
    none_asked_for,
    offset_text,
    remaining_text,
    stamp,
    stuck_from,
    stuck_since,
    unnamed_text,
)
from .bounds import bound_reason, bounded, due_shown, named_bound

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


class _Console(Console):
    """A console that lets a closed output pipe end the command with its own exit code (rich's
    own ends the process with 1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def make_console(out: IO[str], color: str) -> Console:
    """A console on `out`; `color` is auto, always or never. With auto, a set NO_COLOR means
    no escape sequences at all (no colour, no bold); an explicit always or never wins."""
    plain = color == "never" or (color == "auto" and bool(os.environ.get("NO_COLOR")))
    return _Console(
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
    return stamp(value, display) or "-"


def short_clock(
    value: datetime | None, display: Display, usual_offset: str, seconds: bool = True
) -> str:
    """`Sep 15 10:23:54` (or `Sep 15 10:23`), with the offset only when it differs from the
    table's usual one."""
    shown = display.time(value)
    if shown is None:
        return "-"
    text = shown.strftime("%b %d %H:%M:%S" if seconds else "%b %d %H:%M")
    offset = offset_text(shown)
    return f"{text} {offset}" if offset and offset != usual_offset else text


def progress_bar(user: UserState, as_of: datetime | None) -> Text:
    """How far the user's timer has run at `as_of`: from its last failure to its full sync
    (else to its expected recovery), whatever a what-if restart would do sooner."""
    start, end = user.last_failure, user.full_sync_due or user.expected_recovery
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
    counts: dict[str, int],
    display: Display,
    console: Console,
    quiet: bool = False,
) -> None:
    for part in report_parts(analysis, shown, counts, display, console.width, quiet):
        console.print(part)


def report_parts(
    analysis: Analysis,
    shown: list[UserState],
    counts: dict[str, int],
    display: Display,
    width: int,
    quiet: bool = False,
) -> list[RenderableType]:
    """The header, the table of `shown` users and the footer line (with `counts` by state),
    for printing or a live view."""
    parts: list[RenderableType] = []
    as_of = analysis.as_of
    if not quiet:
        lines = sum(stats.lines for stats in analysis.inputs)
        unparsed = sum(stats.unparsed for stats in analysis.inputs)
        ended = log_end_note(analysis.ended_ago)
        when = f"its last line ({NO_TIMES_REASON})" if timeless(as_of) else clock(as_of, display)
        header = Text(f"as of {when}{ended}", style="bold")
        inputs = len(analysis.inputs)
        restarts = len(analysis.result.restarts)
        header.append(
            (f" · {inputs} inputs" if inputs > 1 else "")
            + f" · {count_of(lines, 'line')}"
            + (f" ({unparsed} unparsed)" if unparsed else "")
            + f" · {count_of(analysis.result.cycles, 'cycle')} · {restarts} restart"
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
    unnamed = analysis.result.unnamed_failures
    if not shown and unnamed:  # the input names no stuck user, but its totals count failures
        said = unnamed_text(unnamed, analysis.result.unnamed_at)
        but = f"No user the input names is stuck or failed, but it counts {said}."
        parts.append(Text(but, style="bold yellow"))
        if problem is not None:
            parts.append(problem)
        return parts
    if not shown:
        if problem is None and none_asked_for(analysis, counts):
            parts.append(Text(empty_list_text(analysis, counts)))
        elif problem is None:
            parts.append(Text(_all_clear(counts), style="green"))
        else:
            line = Text("No user stuck or failed in the log, but that proves nothing: ")
            line.append_text(problem)
            parts.append(line)
        return parts
    shown_as_of = display.time(as_of)
    usual = offset_text(shown_as_of) if shown_as_of is not None else ""
    timer_column = f"{timer_label(analysis.tracker.options.full_sync_after)} timer"
    rows = [_report_cells(user, as_of, display, usual) for user in shown]
    layout = report_layout(rows, width)
    caption = f"times at UTC{usual}" if usual else "times as logged (no UTC offset)"
    if timeless(as_of):
        caption = f"no times: {NO_TIMES_REASON}"
    if any(
        not u.expected_recovery_observed and u.expected_recovery and u.recovery_by != "what-if"
        for u in shown
    ):
        caption += " · ~ predicted from the cycle interval"
    if reasons := list(dict.fromkeys(bound_reason(u) for u in shown if named_bound(u))):
        caption += f" · by: at the latest ({'; '.join(reasons)})"
    if any(u.recovery_by == "what-if" for u in shown):
        caption += " · * if SMS Executive restarted then"
    if _total(layout) > width:  # (no table fits: one user after another, no value cut)
        parts += [_listed(user, cells) for user, cells in zip(shown, rows, strict=True)]
        parts += [Text(caption, style="dim"), footer(shown, counts, as_of, display)]
        return parts if problem is None else [*parts, problem]
    table = Table(
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        caption=caption,
        caption_justify="left",
        caption_style="dim",
    )
    for name in layout.columns:
        title = timer_column if name == "bar" else column_title(name, layout)
        wraps = name == "remaining" and layout.wrap_remaining
        table.add_column(
            title,
            justify="right" if name == "remaining" else "left",
            no_wrap=not wraps,
            min_width=None if wraps else layout.widths[name],
        )
    for user, cells in zip(shown, rows, strict=True):
        table.add_row(*(_cell(name, user, cells, layout, as_of) for name in layout.columns))
    parts.append(table)
    parts.append(footer(shown, counts, as_of, display))
    if problem is not None:
        parts.append(problem)
    return parts


COLUMN_TITLES = {
    "user": "User",
    "state": "State",
    "reason": "Reason",
    "since": "Stuck since",
    "due": "Full sync due",
    "expected": "Expected recovery",
    "remaining": "Remaining",
    "aad": "In Azure AD",
}
NARROW_TITLES = {
    "aad": "In Azure\nAD",
    "due": "Full sync\ndue",
    "expected": "Expected\nrecovery",
    "remaining": "Remaining",
}
"""Titles on two lines when the times are short, so that a title is no wider than its cells."""


def column_title(name: str, layout: ReportLayout) -> str:
    if name == "user" and layout.stacked:
        return "User\nState · Reason" if "state" not in layout.columns else "User\nReason"
    if layout.short_times:
        return NARROW_TITLES.get(name, COLUMN_TITLES[name])
    return COLUMN_TITLES[name]


def _title_width(title: str) -> int:
    return max(len(line) for line in title.split("\n"))
SEPARATOR = 3
"""Width between two columns of a table without edges: ` │ `."""


@dataclass(frozen=True)
class ReportLayout:
    """Which columns `report` shows at a terminal width, and how."""

    columns: tuple[str, ...]
    widths: dict[str, int]
    short_times: bool
    """`Nov 26 09:14` instead of `Nov 26 09:14:55`."""
    stacked: bool
    """The reason goes under the UPN, in the same cell."""
    wrap_remaining: bool
    """`overdue 7h 39m` may wrap between words."""


def report_layout(rows: list[dict[str, str]], width: int) -> ReportLayout:
    """The fullest layout that fits `width`. A UPN is never split: first the timer bar goes,
    then "Stuck since", then times lose their seconds, then the reason moves under the UPN,
    then "Full sync due" goes, then the remaining time may wrap between words."""

    def natural(name: str, short: bool) -> int:
        key = f"{name}_short" if short and f"{name}_short" in rows[0] else name
        titles = NARROW_TITLES if short else COLUMN_TITLES
        title = titles.get(name, COLUMN_TITLES.get(name, ""))
        return max([_title_width(title), *(len(row[key]) for row in rows)])

    steps: tuple[tuple[tuple[str, ...], bool, bool], ...] = (
        (("user", "state", "reason", "since", "due", "expected", "remaining", "bar"), False, False),
        (("user", "state", "reason", "since", "due", "expected", "remaining"), False, False),
        (("user", "state", "reason", "due", "expected", "remaining"), False, False),
        (("user", "state", "reason", "due", "expected", "remaining"), True, False),
        (("user", "state", "due", "expected", "remaining"), True, True),
        (("user", "state", "expected", "remaining"), True, True),
        (("user", "expected", "remaining"), True, True),
    )
    if "aad" in rows[0]:  # checked against an export of Azure AD users: after the state
        steps = tuple((_after_state(columns), short, stacked) for columns, short, stacked in steps)
    layout = None
    for columns, short, stacked in steps:
        layout = _layout(rows, columns, short, stacked, False, natural)
        if _total(layout) <= width:
            return layout
    assert layout is not None
    return _layout(rows, layout.columns, True, True, True, natural)


def _after_state(columns: tuple[str, ...]) -> tuple[str, ...]:
    """`columns` with "In Azure AD" after the state (after the user, without a state column)."""
    at = columns.index("state") + 1 if "state" in columns else 1
    return (*columns[:at], "aad", *columns[at:])


def _layout(
    rows: list[dict[str, str]],
    columns: tuple[str, ...],
    short: bool,
    stacked: bool,
    wrap: bool,
    natural: Callable[[str, bool], int],
) -> ReportLayout:
    widths = {name: natural(name, short) for name in columns if name != "bar"}
    widths["bar"] = BAR_WIDTH
    if stacked:
        under = max(len(row["under"]) for row in rows) if "state" not in columns else 0
        widths["user"] = max(widths["user"], natural("reason", short), under, len("State · Reason"))
    if wrap:
        longest_word = max(len(word) for row in rows for word in row["remaining"].split(" "))
        widths["remaining"] = max(longest_word, len("Remaining"))
    return ReportLayout(columns, widths, short, stacked, wrap)


def _total(layout: ReportLayout) -> int:
    return sum(layout.widths[name] for name in layout.columns) + SEPARATOR * (
        len(layout.columns) - 1
    )


def _report_cells(
    user: UserState, as_of: datetime | None, display: Display, usual: str
) -> dict[str, str]:
    """Every cell of a user's row as text, in long and short time forms."""
    since = stuck_from(user)
    predicted = user.expected_recovery is not None and not user.expected_recovery_observed
    mark = " *" if user.recovery_by == "what-if" else " ~" if predicted else ""
    extra = {} if user.in_azure_ad is None else {"aad": "yes" if user.in_azure_ad else "no"}
    return extra | {
        "user": visible(user.upn) + (" (not a UPN)" if redacted(user.upn) else ""),
        "under": f"{user.state} · {visible(user.reason or '-')}",
        "state": user.state,
        "reason": visible(user.reason or "-"),
        "since": stuck_since(user, short_clock(since, display, usual)),
        "due": due_shown(user, lambda time: short_clock(time, display, usual)),
        "due_short": due_shown(
            user, lambda time: short_clock(time, display, usual, seconds=False)
        ),
        "expected": bounded(user, short_clock(user.expected_recovery, display, usual)) + mark,
        "expected_short": bounded(
            user, short_clock(user.expected_recovery, display, usual, seconds=False)
        )
        + mark,
        "remaining": remaining_text(user),
    }


def _cell(
    name: str, user: UserState, cells: dict[str, str], layout: ReportLayout, as_of: datetime | None
) -> Text:
    if name == "bar":
        return progress_bar(user, as_of) if user.stuck else Text("")
    if name == "state":
        return Text(user.state, style=STATE_STYLE[user.state])
    if name == "aad":  # a stuck user in Azure AD is one a restart would add
        fixable = user.stuck and user.in_azure_ad
        return Text(cells["aad"], style="bold green" if fixable else "")
    if name == "user" and layout.stacked:
        text = Text(cells["user"])
        if "state" in layout.columns:
            text.append("\n" + cells["reason"], style="dim")
        else:
            text.append("\n")
            text.append(user.state, style=STATE_STYLE[user.state])
            text.append(" · " + cells["reason"], style="dim")
        return text
    key = f"{name}_short" if layout.short_times and f"{name}_short" in cells else name
    return Text(cells[key])


def _listed(user: UserState, cells: dict[str, str]) -> Group:
    """A user's cells as lines, where no table fits the terminal: its UPN, then (indented) its
    state and reason and each of its times, wrapped between words under their indent."""
    first = Text(user.state, style=STATE_STYLE[user.state])
    if cells["reason"] != "-":
        first.append(" · " + cells["reason"], style="dim")
    lines = [first]
    for title, key in (
        ("stuck since", "since"), ("full sync due", "due_short"),
        ("expected recovery", "expected_short"),
    ):
        if cells[key].strip("- ~*"):
            lines.append(Text(f"{title} {cells[key]}"))
    if cells["remaining"].strip("-"):
        lines.append(Text(cells["remaining"]))
    indented = (Padding(line, (0, 0, 0, 2), expand=False) for line in lines)
    return Group(Text(cells["user"], style="bold"), *indented)


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
            # (a latest bound: that user, or one whose bound is later, may recover sooner)
            by = any(named_bound(user) for user in upcoming)
            left = remaining_text(first)
            when = clock(first.expected_recovery, display)
            text.append(f" · next recovery {'by ' if by else ''}{when}")
            text.append(f" ({'within ' + left[3:] if by and left.startswith('in ') else left})")
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
        text.append((" · " if text else "") + ", ".join(others), style="dim")
    return text


