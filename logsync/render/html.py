"""Self-contained HTML pages: the report (who is stuck, a picture of the 24 h rule, findings and
advice) and the summary (the connector's health day by day).

A page needs nothing from the network (no scripts, no fonts, no styles from elsewhere; a
Content-Security-Policy says so to the browser) and reads well printed, in dark mode and in a
narrow window (a wide table scrolls inside its box). The report's picture is inline SVG of the
window that matters: from about two days before "as of" to the latest expected recovery, with
the connector's cycles (thinned) and restarts, stalls shaded, one row per stuck or failed user
with its failures, its timer as a bar to `full_sync_due`, and its expected recovery (filled when
the cycle is in the log, hollow when predicted, red when it passed with no retry logged); a
vertical line marks "as of" ("now" when that is the wall clock). What lies before the window is
counted in a note under the picture; every time is also in the table below it.

Log text is untrusted: all of it is HTML-escaped, with control characters shown visibly.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timedelta

from .. import __version__
from ..analysis import Analysis
from ..health import Summary
from ..safety import visible
from ..times import human_duration, instant_key
from ..tracker import UserState
from . import Display, connector_text, log_end_note
from .markdown import user_cells, user_columns, when

MAX_ROWS = 40
"""User rows drawn; the rest are counted in a note (JSON has everything)."""
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


def _head(title: str, heading: str, analysis: Analysis, display: Display, meta: str) -> list[str]:
    """The page's head and header: the inputs, as of, `meta`, the connector."""
    names = ", ".join(esc(stats.path) for stats in analysis.inputs)
    connector = analysis.connector
    state_class = "ok" if connector.ok else "problem"
    return [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}: {names}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<header><h1>{esc(heading)}</h1><p class=\"meta\">{names} · as of "
        f"<b>{esc(when(analysis.as_of, display))}</b>{esc(log_end_note(analysis.ended_ago))} · "
        f"{meta}</p>",
        f'<p class="connector {state_class}">'
        f"{esc(connector_text(connector, analysis.as_of, display))}"
        + (f" <code>{esc(connector.code)}</code>" if connector.code else "")
        + "</p>",
    ]


def _foot() -> str:
    return (
        f"</main><footer>logsync {esc(__version__)} · times as logged "
        "(UTC = local time + bias) unless converted with --tz</footer></body></html>\n"
    )


def page(
    analysis: Analysis,
    summary: Summary,
    users: Sequence[UserState],
    marks: Sequence[datetime],
    display: Display,
) -> str:
    """The page of `report --format html`."""
    shown = [u for u in users if u.state in ("waiting", "overdue", "failed")]
    result = analysis.result
    meta = (
        f"{sum(s.lines for s in analysis.inputs)} lines · {result.cycles} cycles · "
        f"{_plural(len(result.restarts), 'restart')}"
    )
    parts = _head("logsync report", "Who is stuck, and until when", analysis, display, meta)
    parts += [f"<p class=\"counts\">{esc(_counts(result.counts))}</p></header>", "<main>"]
    drawn = shown[:MAX_ROWS]
    scale = scale_for(analysis, drawn)
    if scale is not None and drawn:
        parts += ["<section><h2>The 24 h rule, drawn</h2>"]
        parts.append('<div class="picture">')
        parts.append(svg(analysis, summary, drawn, marks, scale, display))
        parts.append("</div>")
        parts.append(LEGEND)
        if analysis.cloud is not None:
            export = analysis.cloud.describe(display.tz)
            parts.append(
                '<p class="legend"><span class="fixable-key">↻</span> in Azure AD (export '
                f"{esc(export)}): a restart of SMS Executive adds it now; the "
                "other stuck users are not in Azure AD, and a restart will not add them.</p>"
            )
        parts += _left_out_note(drawn, scale, display)
        parts.append("</section>")
    parts += [
        "<section><h2>Stuck and failed users</h2>",
        _user_table(shown, display, analysis.cloud is not None),
    ]
    if len(shown) > MAX_ROWS:
        parts.append(
            f'<p class="note">The picture shows the first {MAX_ROWS} of {len(shown)} users; '
            "the table has them all (and <code>--format json</code> every field).</p>"
        )
    parts.append("</section>")
    parts.append(_findings(summary, display))
    parts.append(_per_day(summary))
    parts.append(_foot())
    return "\n".join(parts)


def summary_page(analysis: Analysis, summary: Summary, display: Display) -> str:
    """The page of `summary --format html`: the connector's health, its findings and advice,
    the users tried, held back, added and failed per day, and the failure reasons."""
    span = ""
    if summary.start is not None and summary.end is not None:
        span = f"{esc(when(summary.start, display))} → {esc(when(summary.end, display))} · "
    every = human_duration(summary.interval.total_seconds())
    meta = (
        f"{span}{summary.cycles} cycles every {esc(every)} · "
        f"{_plural(len(summary.restarts), 'restart')}"
    )
    parts = _head("logsync summary", "Connector health", analysis, display, meta)
    parts += ["</header>", "<main>"]
    parts.append(_findings(summary, display, "Findings"))
    parts.append(_per_day(summary, bars=True))
    if summary.reasons:
        reasons = "".join(
            f"<tr><td>{esc(reason)}</td><td>{count}</td></tr>"
            for reason, count in summary.reasons.most_common()
        )
        parts.append(
            "<section><h2>Failure reasons</h2><div class=\"scroll\"><table><thead><tr>"
            f"<th>Reason</th><th>Failures</th></tr></thead><tbody>{reasons}</tbody></table>"
            "</div></section>"
        )
    if summary.restarts:
        items = "".join(
            f"<li>{esc(when(item.time, display))} <code>{esc(item.source)}:{item.line}</code></li>"
            for item in summary.restarts
        )
        parts.append(f'<section><h2>Restarts</h2><ul class="restarts">{items}</ul></section>')
    if summary.users:
        table = _user_table(summary.users, display, analysis.cloud is not None)
        parts.append(f"<section><h2>Users asked for</h2>{table}</section>")
    parts.append(_foot())
    return "\n".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _counts(counts: dict[str, int]) -> str:
    order = ("waiting", "overdue", "failed", "pending", "recovered", "synced")
    return " · ".join(f"{counts[s]} {s}" for s in order if counts.get(s)) or "no users"


def _left_out_note(users: Sequence[UserState], scale: Scale, display: Display) -> list[str]:
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


def _fixable(user: UserState) -> str:
    """` fixable` for a stuck user in Azure AD (a restart would add it), else nothing."""
    return " fixable" if user.stuck and user.in_azure_ad else ""


def _user_row(index: int, user: UserState, scale: Scale, display: Display) -> list[str]:
    y = AXIS + index * ROW
    middle = y + ROW / 2
    label = visible(user.upn)
    short = label if len(label) <= 34 else label[:33] + "…"
    out = [
        f'<g class="user {esc(user.state)}{_fixable(user)}" data-user="{index}">',
        f'<text class="upn" x="{LEFT - 8}" y="{middle + 4}" text-anchor="end">{esc(short)}'
        f"<title>{esc(label)} · {esc(user.state)} · {esc(user.reason or '')}</title></text>",
    ]
    if _fixable(user):
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


def _user_table(users: Sequence[UserState], display: Display, cloud: bool) -> str:
    if not users:
        return "<p>No user is stuck or failed in the log.</p>"
    rows = [
        f'<tr class="{esc(user.state)}{_fixable(user)}">'
        + "".join(f"<td>{esc(cell)}</td>" for cell in user_cells(user, display))
        + "</tr>"
        for user in users
    ]
    head = "".join(f"<th>{name}</th>" for name in user_columns(cloud))
    return (
        f'<div class="scroll"><table class="users"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _findings(summary: Summary, display: Display, title: str = "Connector health") -> str:
    items = []
    for finding in summary.findings:
        where = ", ".join(f"<code>{esc(e.source)}:{e.line}</code>" for e in finding.evidence[:3])
        items.append(
            f'<li class="{esc(finding.severity)}"><b>{esc(finding.severity)}</b> '
            f"<code>{esc(finding.code)}</code> {esc(finding.message)}"
            + (f" <span class=\"where\">{where}</span>" if where else "")
            + "</li>"
        )
    advice = "".join(f"<li>{esc(item.text)}</li>" for item in summary.advice)
    body = f"<ul class=\"findings\">{''.join(items)}</ul>" if items else "<p>No findings.</p>"
    if advice:
        body += f"<h3>Advice</h3><ul class=\"advice\">{advice}</ul>"
    return f"<section><h2>{title}</h2>{body}</section>"


def _per_day(summary: Summary, bars: bool = False) -> str:
    """The per-day counts; with `bars`, each day's users tried drawn as a bar split into those
    added, those failed and the rest (neither, yet)."""
    if not summary.per_day:
        return ""
    peak = max(max(c.requested, c.added + c.failed) for c in summary.per_day.values()) or 1
    rows = []
    for day, c in summary.per_day.items():
        cells = (
            f"<td>{esc(day)}</td><td>{c.requested}</td><td>{c.held_back}</td>"
            f"<td>{c.added}</td><td>{c.failed}</td>"
        )
        if bars:
            unit = BAR_WIDTH / peak
            added, failed = round(c.added * unit, 1), round(c.failed * unit, 1)
            rest = round(max(c.requested - c.added - c.failed, 0) * unit, 1)
            cells += (
                f'<td><svg class="bar" width="{BAR_WIDTH}" height="10" role="img" '
                f'aria-label="{c.added} added, {c.failed} failed of {c.requested} tried">'
                f'<rect class="added" x="0" y="0" width="{added}" height="10"/>'
                f'<rect class="failed" x="{added}" y="0" width="{failed}" height="10"/>'
                f'<rect class="rest" x="{round(added + failed, 1)}" y="0" width="{rest}" '
                'height="10"/></svg></td>'
            )
        rows.append(f"<tr>{cells}</tr>")
    head = "".join(
        f"<th>{name}</th>"
        for name in ("Day", "Tried", "Held back", "Added", "Failed") + (("",) if bars else ())
    )
    return (
        f'<section><h2>Per day</h2><div class="scroll"><table class="per-day"><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


BAR_WIDTH = 160
"""Pixels of the longest per-day bar."""

LEGEND = (
    '<p class="legend"><span class="key timer"></span> 24 h timer, from the failure to full sync '
    'due · <span class="key failure"></span> failure · <span class="key observed"></span> '
    'recovery cycle seen in the log · <span class="key predicted"></span> predicted recovery · '
    '<span class="key missed"></span> expected recovery passed, no retry logged (overdue) · '
    '<span class="key restart"></span> restart · <span class="key stall"></span> no cycle '
    '(stall) · <span class="key now"></span> as of. Hover for exact times; the table below has '
    "them all.</p>"
)

STYLE = """
:root{color-scheme:light dark;--fg:#1d2430;--muted:#5b6472;--bg:#fff;--panel:#f4f6f9;
--line:#c9d0da;--wait:#b7791f;--over:#c53030;--fail:#9b2c2c;--ok:#2f855a;--timer:#f6c76b;
--cycle:#7a8699;--stall:#fde2e2;--now:#2b6cb0}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#9aa4b2;--bg:#14171c;
--panel:#1d2129;--line:#39414d;--timer:#8a6d2b;--stall:#4a2326;--now:#63b3ed}}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg);margin:0 auto;max-width:1000px;padding:16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}h3{font-size:15px}
.meta,.counts,.note,.legend,footer{color:var(--muted)}
.connector{padding:6px 10px;border-radius:6px;background:var(--panel);display:inline-block}
.connector.problem{border-left:4px solid var(--over);font-weight:600}
.connector.ok{border-left:4px solid var(--ok)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
tr.waiting td:nth-child(2){color:var(--wait)}tr.overdue td:nth-child(2){color:var(--over);
font-weight:700}tr.failed td:nth-child(2){color:var(--fail)}
code{font:12px ui-monospace,SFMono-Regular,Consolas,monospace}
svg{background:var(--panel);border-radius:8px}
svg text{fill:var(--fg);font:11px system-ui,sans-serif}svg .tick,svg .off-left{fill:var(--muted)}
svg .overdue .upn,svg .failed .upn{fill:var(--over);font-weight:600}
.axis{stroke:var(--muted)}.grid{stroke:var(--line);stroke-dasharray:2 3}
.cycle{stroke:var(--cycle)}.restart{stroke:var(--over);stroke-width:2;stroke-dasharray:5 3}
.stall{fill:var(--stall)}.timer{fill:var(--timer)}.failure{fill:var(--over)}
.recovery.observed{fill:var(--ok)}.recovery.predicted{fill:var(--bg);stroke:var(--ok);
stroke-width:2}.recovery.missed{fill:var(--bg);stroke:var(--over);stroke-width:2.5}
.timer.clipped{opacity:.75}.now{stroke:var(--now);stroke-width:2}svg .now-label{fill:var(--now)}
.key{display:inline-block;width:14px;height:10px;vertical-align:middle;margin:0 2px}
.key.timer{background:var(--timer)}.key.failure{background:var(--over);border-radius:50%}
.key.observed{background:var(--ok)}.key.predicted{border:2px solid var(--ok)}
.key.missed{border:2px solid var(--over)}
.key.restart{border-left:2px dashed var(--over)}.key.stall{background:var(--stall)}
.key.now{border-left:2px solid var(--now)}
ul.findings li.error b{color:var(--over)}ul.findings li.warning b{color:var(--wait)}
svg.bar{background:none;border-radius:0;vertical-align:middle}
.bar .added{fill:var(--ok)}.bar .failed{fill:var(--over)}.bar .rest{fill:var(--line)}
ul.restarts{columns:2}
svg .fixable-mark,.fixable-key{fill:var(--ok);color:var(--ok);font-weight:700}
tr.fixable td:first-child::after{content:" ↻";color:var(--ok);font-weight:700}
.picture{overflow-x:auto}.picture svg{min-width:760px}
table.users td:first-child{white-space:nowrap}
@media (max-width:640px){body{padding:8px}h1{font-size:19px}th,td{padding:3px 5px}
table.users td{white-space:nowrap}ul.restarts{columns:1}}
@media print{body{max-width:none;padding:0}svg{background:none}
.connector{border:1px solid #999}a{color:inherit}}
"""
