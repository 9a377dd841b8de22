"""One self-contained HTML page: who is stuck, a picture of the 24 h rule, findings and advice.

The page needs nothing from the network (no scripts, no fonts, no styles from elsewhere; a
Content-Security-Policy says so to the browser) and reads well printed and in dark mode. The
picture is inline SVG: the log's span on the x-axis, the connector's cycles (thinned) and
restarts, stalls shaded, one row per stuck or failed user with its failures, its timer as a bar
to `full_sync_due`, its expected recovery (filled when observed, hollow when predicted), and
"now" as a vertical line. Every time in the picture is also in the table below it.

Log text is untrusted: all of it is HTML-escaped, with control characters shown visibly.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import __version__
from ..analysis import Analysis
from ..health import Summary
from ..safety import visible
from ..times import instant_key
from ..tracker import UserState
from . import Display, connector_text, log_end_note
from .markdown import USER_COLUMNS, user_cells, when

MAX_ROWS = 40
"""User rows drawn; the rest are counted in a note (JSON has everything)."""
MAX_TICKS = 240
"""Cycle ticks drawn; denser cycles are thinned evenly."""
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


@dataclass(frozen=True)
class Scale:
    """The time axis: an instant's x position in the picture."""

    start: datetime
    end: datetime
    left: float = LEFT
    width: float = WIDTH - LEFT - RIGHT

    def x(self, value: datetime) -> float:
        span = instant_key(self.end) - instant_key(self.start)
        share = (instant_key(value) - instant_key(self.start)) / span if span > 0 else 0.0
        return round(self.left + min(max(share, 0.0), 1.0) * self.width, 2)


def scale_for(analysis: Analysis, users: Sequence[UserState]) -> Scale | None:
    """From the log's first record to the latest of now and the users' due and recovery times."""
    times = [t for t in (analysis.result.first_time, analysis.as_of) if t is not None]
    for user in users:
        times += [
            t
            for t in (user.first_failure, user.full_sync_due, user.expected_recovery)
            if t is not None
        ]
    if not times:
        return None
    start, end = min(times, key=instant_key), max(times, key=instant_key)
    pad = timedelta(seconds=max((instant_key(end) - instant_key(start)) * 0.02, 60))
    return Scale(start, end + pad)


def page(
    analysis: Analysis,
    summary: Summary,
    users: Sequence[UserState],
    marks: Sequence[datetime],
    display: Display,
) -> str:
    """The whole page for `report --format html` (and `summary --format html`)."""
    shown = [u for u in users if u.state in ("waiting", "overdue", "failed")]
    names = ", ".join(esc(stats.path) for stats in analysis.inputs)
    connector = analysis.connector
    state_class = "ok" if connector.ok else "problem"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>logsync report: {names}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<header><h1>Who is stuck, and until when</h1><p class=\"meta\">{names} · as of "
        f"<b>{esc(when(analysis.as_of, display))}</b>{esc(log_end_note(analysis.ended_ago))} · "
        f"{sum(s.lines for s in analysis.inputs)} lines · {analysis.result.cycles} cycles · "
        f"{_plural(len(analysis.result.restarts), 'restart')}</p>",
        f'<p class="connector {state_class}">'
        f"{esc(connector_text(connector, analysis.as_of, display))}"
        + (f" <code>{esc(connector.code)}</code>" if connector.code else "")
        + "</p>",
        f"<p class=\"counts\">{esc(_counts(analysis.result.counts))}</p></header>",
        "<main>",
    ]
    scale = scale_for(analysis, shown[:MAX_ROWS])
    if scale is not None:
        parts += ["<section><h2>The 24 h rule, drawn</h2>"]
        parts.append(svg(analysis, summary, shown[:MAX_ROWS], marks, scale, display))
        parts.append(LEGEND)
        parts.append("</section>")
    parts += ["<section><h2>Stuck and failed users</h2>", _user_table(shown, display)]
    if len(shown) > MAX_ROWS:
        parts.append(
            f'<p class="note">The picture shows the first {MAX_ROWS} of {len(shown)} users; '
            "the table has them all (and <code>--format json</code> every field).</p>"
        )
    parts.append("</section>")
    parts.append(_findings(summary, display))
    parts.append(_per_day(summary))
    parts.append(
        f'</main><footer>logsync {esc(__version__)} · times as logged '
        f"(UTC = local time + bias) unless converted with --tz</footer></body></html>\n"
    )
    return "\n".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _counts(counts: dict[str, int]) -> str:
    order = ("waiting", "overdue", "failed", "pending", "recovered", "synced")
    return " · ".join(f"{counts[s]} {s}" for s in order if counts.get(s)) or "no users"


def svg(
    analysis: Analysis,
    summary: Summary,
    users: Sequence[UserState],
    marks: Sequence[datetime],
    scale: Scale,
    display: Display,
) -> str:
    """The picture: axis, cycles, restarts, stalls, a row per user, and the now-line."""
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
    step = max(1, -(-len(marks) // MAX_TICKS))
    for mark in list(marks)[::step]:
        x = scale.x(mark)
        out.append(f'<line class="cycle" x1="{x}" x2="{x}" y1="30" y2="40"/>')
    for restart in analysis.result.restarts:
        x = scale.x(restart.time)
        out.append(
            f'<line class="restart" x1="{x}" x2="{x}" y1="22" y2="{bottom}">'
            f"<title>restart {esc(when(restart.time, display))}</title></line>"
        )
    for index, user in enumerate(users):
        out += _user_row(index, user, scale, display)
    if analysis.as_of is not None:
        x = scale.x(analysis.as_of)
        out.append(
            f'<line class="now" data-kind="now" x1="{x}" x2="{x}" y1="14" y2="{bottom}">'
            f"<title>now (as of) {esc(when(analysis.as_of, display))}</title></line>"
        )
        out.append(f'<text class="now-label" x="{x}" y="11" text-anchor="middle">now</text>')
    out.append("</svg>")
    return "\n".join(out)


def _axis(scale: Scale, display: Display, bottom: float) -> list[str]:
    span = instant_key(scale.end) - instant_key(scale.start)
    step = next((s for s in _TICK_STEPS if span / s <= 8), _TICK_STEPS[-1])
    start = display.time(scale.start) or scale.start
    first = start.replace(minute=0, second=0, microsecond=0)
    out = [f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="40" y2="40"/>']
    tick = first
    while instant_key(tick) <= instant_key(scale.end):
        if instant_key(tick) >= instant_key(scale.start):
            x = scale.x(tick)
            label = tick.strftime("%b %d %H:%M")
            out.append(f'<line class="grid" x1="{x}" x2="{x}" y1="40" y2="{bottom}"/>')
            out.append(f'<text class="tick" x="{x}" y="26" text-anchor="middle">{label}</text>')
        tick += timedelta(seconds=step)
    return out


_TICK_STEPS = (900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800)
"""Seconds between axis labels: the smallest that gives at most 8 labels."""


def _stalls(
    summary: Summary, analysis: Analysis, scale: Scale, display: Display, bottom: float
) -> list[str]:
    out = []
    spans = list(summary.stalls)
    connector = analysis.connector
    if connector.code == "connector_stalled" and connector.since and analysis.as_of:
        spans.append((connector.since, analysis.as_of))
    for begin, end in spans:
        x1, x2 = scale.x(begin), scale.x(end)
        out.append(
            f'<rect class="stall" x="{x1}" y="40" width="{round(x2 - x1, 2)}" '
            f'height="{bottom - 40}"><title>no cycle from {esc(when(begin, display))} to '
            f"{esc(when(end, display))}</title></rect>"
        )
    return out


def _user_row(index: int, user: UserState, scale: Scale, display: Display) -> list[str]:
    y = AXIS + index * ROW
    middle = y + ROW / 2
    label = visible(user.upn)
    short = label if len(label) <= 34 else label[:33] + "…"
    out = [
        f'<g class="user {esc(user.state)}" data-user="{index}">',
        f'<text class="upn" x="{LEFT - 8}" y="{middle + 4}" text-anchor="end">{esc(short)}'
        f"<title>{esc(label)} · {esc(user.state)} · {esc(user.reason or '')}</title></text>",
    ]
    if user.last_failure is not None and user.full_sync_due is not None:
        x1, x2 = scale.x(user.last_failure), scale.x(user.full_sync_due)
        out.append(
            f'<rect class="timer" data-kind="due" x="{x1}" y="{middle - 5}" '
            f'width="{round(x2 - x1, 2)}" height="10"><title>timer from '
            f"{esc(when(user.last_failure, display))} to full sync due "
            f"{esc(when(user.full_sync_due, display))}</title></rect>"
        )
    for failure in {user.first_failure, user.last_failure} - {None}:
        assert failure is not None
        x = scale.x(failure)
        out.append(
            f'<circle class="failure" data-kind="failure" cx="{x}" cy="{middle}" r="4">'
            f"<title>failed ({esc(user.reason or '')}) {esc(when(failure, display))}</title>"
            "</circle>"
        )
    if user.expected_recovery is not None:
        x = scale.x(user.expected_recovery)
        kind = "observed" if user.expected_recovery_observed else "predicted"
        out.append(
            f'<path class="recovery {kind}" data-kind="recovery" data-x="{x}" '
            f'd="M{x} {middle - 7} L{x + 7} {middle} L{x} {middle + 7} L{x - 7} {middle} Z">'
            f"<title>expected recovery ({kind}, {esc(user.recovery_by or '')}) "
            f"{esc(when(user.expected_recovery, display))}</title></path>"
        )
    out.append("</g>")
    return out


def _user_table(users: Sequence[UserState], display: Display) -> str:
    if not users:
        return "<p>No user is stuck or failed in the log.</p>"
    rows = [
        f'<tr class="{esc(user.state)}">'
        + "".join(f"<td>{esc(cell)}</td>" for cell in user_cells(user, display))
        + "</tr>"
        for user in users
    ]
    head = "".join(f"<th>{name}</th>" for name in USER_COLUMNS)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _findings(summary: Summary, display: Display) -> str:
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
    return f"<section><h2>Connector health</h2>{body}</section>"


def _per_day(summary: Summary) -> str:
    if not summary.per_day:
        return ""
    rows = "".join(
        f"<tr><td>{esc(day)}</td><td>{c.requested}</td><td>{c.held_back}</td>"
        f"<td>{c.added}</td><td>{c.failed}</td></tr>"
        for day, c in summary.per_day.items()
    )
    return (
        "<section><h2>Per day</h2><table><thead><tr><th>Day</th><th>Tried</th>"
        "<th>Held back</th><th>Added</th><th>Failed</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


LEGEND = (
    '<p class="legend"><span class="key timer"></span> 24 h timer, from the failure to full sync '
    'due · <span class="key failure"></span> failure · <span class="key observed"></span> '
    'recovery cycle seen in the log · <span class="key predicted"></span> predicted recovery · '
    '<span class="key restart"></span> restart · <span class="key stall"></span> no cycle '
    '(stall) · <span class="key now"></span> now. Hover for exact times; the table below has '
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
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
td:first-child{white-space:nowrap}
tr.waiting td:nth-child(2){color:var(--wait)}tr.overdue td:nth-child(2){color:var(--over);
font-weight:700}tr.failed td:nth-child(2){color:var(--fail)}
code{font:12px ui-monospace,SFMono-Regular,Consolas,monospace}
svg{background:var(--panel);border-radius:8px}
svg text{fill:var(--fg);font:11px system-ui,sans-serif}svg .tick{fill:var(--muted)}
svg .overdue .upn,svg .failed .upn{fill:var(--over);font-weight:600}
.axis{stroke:var(--muted)}.grid{stroke:var(--line);stroke-dasharray:2 3}
.cycle{stroke:var(--cycle)}.restart{stroke:var(--over);stroke-width:2;stroke-dasharray:5 3}
.stall{fill:var(--stall)}.timer{fill:var(--timer)}.failure{fill:var(--over)}
.recovery.observed{fill:var(--ok)}.recovery.predicted{fill:var(--bg);stroke:var(--ok);
stroke-width:2}.now{stroke:var(--now);stroke-width:2}svg .now-label{fill:var(--now)}
.key{display:inline-block;width:14px;height:10px;vertical-align:middle;margin:0 2px}
.key.timer{background:var(--timer)}.key.failure{background:var(--over);border-radius:50%}
.key.observed{background:var(--ok)}.key.predicted{border:2px solid var(--ok)}
.key.restart{border-left:2px dashed var(--over)}.key.stall{background:var(--stall)}
.key.now{border-left:2px solid var(--now)}
ul.findings li.error b{color:var(--over)}ul.findings li.warning b{color:var(--wait)}
@media print{body{max-width:none;padding:0}svg{background:none}
.connector{border:1px solid #999}a{color:inherit}}
"""
