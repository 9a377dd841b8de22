"""The report page's picture: inline SVG of the window that matters (see `html`), its time
scale, and the note on what lies before it. Log text is HTML-escaped (`esc`)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timedelta

from ..analysis import Analysis
from ..health import Summary
from ..safety import visible
from ..times import instant_key
from ..tracker import UserState
from . import Display, when

MAX_TICKS = 240
"""Cycle ticks drawn; denser cycles are thinned evenly."""
WINDOW_BEFORE = timedelta(days=2)
"""How far before "as of" the picture starts (at the log's first record if that is later)."""
MIN_TICK_GAP = 90
"""Pixels between axis labels, at least (a label is about 70 px wide)."""
WIDTH = 960
LEFT = 250
"""Room for the UPNs left of the time axis."""
RIGHT = 24
AXIS = 44
"""Height of the axis and cycle band above the first user row."""
ROW = 26


def esc(value: object) -> str:
    """Untrusted text as HTML text or attribute value."""
    return html.escape(visible(str(value)), quote=True)


class Scale:
    """The time axis: an instant's x position in the picture, between `start` and `end`."""

    __slots__ = ("_span", "_start", "end", "left", "start", "width")

    def __init__(
        self,
        start: datetime,
        end: datetime,
        left: float = LEFT,
        width: float = WIDTH - LEFT - RIGHT,
    ) -> None:
        self.start, self.end, self.left, self.width = start, end, left, width
        self._start = instant_key(start)
        self._span = instant_key(end) - self._start

    def x(self, value: datetime) -> float:
        share = (instant_key(value) - self._start) / self._span if self._span > 0 else 0.0
        return round(self.left + min(max(share, 0.0), 1.0) * self.width, 2)

    def before(self, value: datetime) -> bool:
        """Whether `value` lies before the window (off the picture's left edge)."""
        return instant_key(value) < self._start

    def inside(self, value: datetime) -> bool:
        return self._start <= instant_key(value) <= self._start + self._span

    @property
    def seconds(self) -> float:
        return self._span


def scale_for(analysis: Analysis, users: Sequence[UserState]) -> Scale | None:
    """The window that matters: from two days before "as of" (or the log's first record, if
    later) to the latest of "as of" and the users' due and expected recovery times after it."""
    first, as_of = analysis.result.first_time, analysis.as_of
    if as_of is None:
        return None
    start = as_of - WINDOW_BEFORE
    if first is not None and instant_key(first) > instant_key(start):
        start = first
    end = max(
        [as_of]
        + [
            t
            for user in users
            for t in (user.full_sync_due, user.expected_recovery, user.full_sync_due_by)
            if t is not None
        ],
        key=instant_key,
    )
    pad = timedelta(seconds=max((instant_key(end) - instant_key(start)) * 0.02, 60))
    return Scale(start, end + pad)


def left_out_note(users: Sequence[UserState], scale: Scale, display: Display) -> list[str]:
    """How many of the users drawn failed before the picture's left edge, and the earliest such
    failure (the table has every user's times)."""
    before = [
        user.first_failure
        for user in users
        if user.first_failure is not None and scale.before(user.first_failure)
    ]
    if not before:
        return []
    count = len(before)
    earliest = min(before, key=instant_key)
    who = "user drawn" if count == 1 else "users drawn"
    return [
        f'<p class="note" data-left-out="{count}">{count} {who} failed before the picture\'s '
        f"left edge ({esc(when(scale.start, display))}), the earliest at "
        f"{esc(when(earliest, display))}: the picture shows the two days before as of; the "
        "table has every time.</p>"
    ]


def svg(
    analysis: Analysis,
    summary: Summary,
    users: Sequence[UserState],
    marks: Sequence[datetime],
    scale: Scale,
    display: Display,
) -> str:
    """The picture: axis, cycles, restarts, stalls, a row per user, and the as-of line."""
    height = AXIS + ROW * max(len(users), 1) + 16
    bottom = height - 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="timeline of stuck users" '
        f'data-start="{esc(scale.start.isoformat())}" data-end="{esc(scale.end.isoformat())}" '
        f'data-left="{scale.left}" data-width="{scale.width}">'
    ]
    out += _axis(scale, display, bottom)
    out += _stalls(summary, analysis, scale, display, bottom)
    inside = [mark for mark in marks if scale.inside(mark)]
    step = max(1, -(-len(inside) // MAX_TICKS))
    for mark in inside[::step]:
        x = scale.x(mark)
        out.append(f'<line class="cycle" x1="{x}" x2="{x}" y1="30" y2="40"/>')
    for restart in analysis.result.restarts:
        if not scale.inside(restart.time):
            continue
        x = scale.x(restart.time)
        out.append(
            f'<line class="restart" x1="{x}" x2="{x}" y1="22" y2="{bottom}">'
            f"<title>restart {esc(when(restart.time, display))}</title></line>"
        )
    for index, user in enumerate(users):
        out += _user_row(index, user, scale, display)
    if analysis.as_of is not None:
        x = scale.x(analysis.as_of)
        label = "now" if analysis.wall_clock else "as of"
        out.append(
            f'<line class="now" data-kind="now" x1="{x}" x2="{x}" y1="14" y2="{bottom}">'
            f"<title>{label} {esc(when(analysis.as_of, display))}</title></line>"
        )
        out.append(
            f'<text class="now-label" data-kind="now-label" x="{x}" y="11" '
            f'text-anchor="middle">{label}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _axis(scale: Scale, display: Display, bottom: float) -> list[str]:
    """Grid lines and labels at a round step, at least `MIN_TICK_GAP` pixels apart."""
    per_second = scale.width / scale.seconds if scale.seconds > 0 else 0.0
    step = next((s for s in _TICK_STEPS if s * per_second >= MIN_TICK_GAP), _TICK_STEPS[-1])
    start = display.time(scale.start) or scale.start
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    into_day = (start - midnight).total_seconds()
    tick = midnight + timedelta(seconds=into_day // step * step if step < 86400 else 0)
    pattern = "%b %d" if step >= 86400 else "%b %d %H:%M"
    out = [f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="40" y2="40"/>']
    while instant_key(tick) <= instant_key(scale.end):
        if not scale.before(tick):
            x = scale.x(tick)
            out.append(f'<line class="grid" x1="{x}" x2="{x}" y1="40" y2="{bottom}"/>')
            out.append(
                f'<text class="tick" x="{x}" y="26" text-anchor="middle">'
                f"{tick.strftime(pattern)}</text>"
            )
        tick += timedelta(seconds=step)
    return out


_TICK_STEPS = (
    300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2419200,
)
"""Seconds between axis labels: the smallest that leaves `MIN_TICK_GAP` between them."""


def _stalls(
    summary: Summary, analysis: Analysis, scale: Scale, display: Display, bottom: float
) -> list[str]:
    out = []
    spans = list(summary.stalls)
    connector = analysis.connector
    if connector.code == "connector_stalled" and connector.since and analysis.as_of:
        spans.append((connector.since, analysis.as_of))
    for begin, end in spans:
        if scale.before(end):
            continue
        x1, x2 = scale.x(begin), scale.x(end)
        out.append(
            f'<rect class="stall" x="{x1}" y="40" width="{round(x2 - x1, 2)}" '
            f'height="{bottom - 40}"><title>no cycle from {esc(when(begin, display))} to '
            f"{esc(when(end, display))}</title></rect>"
        )
    return out


def fixable_class(user: UserState) -> str:
    """` fixable` for a stuck user in Azure AD (a restart would add it), else nothing."""
    return " fixable" if user.stuck and user.in_azure_ad else ""


def _user_row(index: int, user: UserState, scale: Scale, display: Display) -> list[str]:
    y = AXIS + index * ROW
    middle = y + ROW / 2
    label = visible(user.upn)
    short = label if len(label) <= 34 else label[:33] + "…"
    out = [
        f'<g class="user {esc(user.state)}{fixable_class(user)}" data-user="{index}">',
        f'<text class="upn" x="{LEFT - 8}" y="{middle + 4}" text-anchor="end">{esc(short)}'
        f"<title>{esc(label)} · {esc(user.state)} · {esc(user.reason or '')}</title></text>",
    ]
    if fixable_class(user):
        out.append(
            f'<text class="fixable-mark" data-kind="fixable" x="6" y="{middle + 4}">↻'
            "<title>in Azure AD: a restart of SMS Executive adds it now</title></text>"
        )
    if (
        user.last_failure is not None
        and user.full_sync_due is not None
        and not scale.before(user.full_sync_due)
    ):
        x1, x2 = scale.x(user.last_failure), scale.x(user.full_sync_due)
        clipped = " clipped" if scale.before(user.last_failure) else ""
        out.append(
            f'<rect class="timer{clipped}" data-kind="due" x="{x1}" y="{middle - 5}" '
            f'width="{round(x2 - x1, 2)}" height="10"><title>timer from '
            f"{esc(when(user.last_failure, display))} to full sync due "
            f"{esc(when(user.full_sync_due, display))}</title></rect>"
        )
    for failure in {user.first_failure, user.last_failure} - {None}:
        assert failure is not None
        if scale.before(failure):
            continue
        x = scale.x(failure)
        out.append(
            f'<circle class="failure" data-kind="failure" cx="{x}" cy="{middle}" r="4">'
            f"<title>failed ({esc(user.reason or '')}) {esc(when(failure, display))}</title>"
            "</circle>"
        )
    if user.last_failure is not None and scale.before(user.last_failure) and not any(
        "data-kind=\"due\"" in part for part in out
    ):  # every failure lies before the window: say when, at its left edge
        shown = display.time(user.last_failure) or user.last_failure
        out.append(
            f'<text class="off-left" data-kind="off-left" x="{scale.left + 4}" y="{middle + 4}">'
            f"◂ last failure {shown.strftime('%b %d %H:%M')}</text>"
        )
    if user.expected_recovery is not None and not scale.before(user.expected_recovery):
        x = scale.x(user.expected_recovery)
        if user.state == "overdue":
            kind, what = "missed", "passed, no retry logged"
        elif user.expected_recovery_observed:
            kind, what = "observed", "observed"
        else:
            kind, what = "predicted", "predicted"
        out.append(
            f'<path class="recovery {kind}" data-kind="recovery" data-x="{x}" '
            f'd="M{x} {middle - 7} L{x + 7} {middle} L{x} {middle + 7} L{x - 7} {middle} Z">'
            f"<title>expected recovery ({what}, {esc(user.recovery_by or '')}) "
            f"{esc(when(user.expected_recovery, display))}</title></path>"
        )
    out.append("</g>")
    return out


LEGEND = (
    '<p class="legend"><span class="key timer"></span> 24 h timer, from the failure to full sync '
    'due · <span class="key failure"></span> failure · <span class="key observed"></span> '
    'recovery cycle seen in the log · <span class="key predicted"></span> predicted recovery · '
    '<span class="key missed"></span> expected recovery passed, no retry logged (overdue) · '
    '<span class="key restart"></span> restart · <span class="key stall"></span> no cycle '
    '(stall) · <span class="key now"></span> as of. Hover for exact times; the table below has '
    "them all.</p>"
)
