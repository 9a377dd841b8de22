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

from collections.abc import Sequence
from datetime import datetime

from .. import __version__
from ..analysis import Analysis
from ..health import Summary
from ..tracker import UserState
from . import (
    Display,
    connector_text,
    count_of,
    cycles_every,
    empty_list_text,
    judged_text,
    log_end_note,
    user_cells,
    user_columns,
    when,
)
from .page_style import STYLE
from .picture import LEGEND, esc, fixable_class, left_out_note, scale_for, svg

MAX_ROWS = 40
"""User rows drawn; the rest are counted in a note (JSON has everything)."""


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
    """The page of `report --format html`: the `users` the report lists (its stuck and failed
    ones, or every one with `--all`, or those `--user` names, whatever their state)."""
    result = analysis.result
    stuck = [u for u in users if u.state in ("waiting", "overdue", "failed")]
    meta = (
        f"{count_of(sum(s.lines for s in analysis.inputs), 'line')} · "
        f"{count_of(result.cycles, 'cycle')} · {count_of(len(result.restarts), 'restart')}"
    )
    parts = _head("logsync report", "Who is stuck, and until when", analysis, display, meta)
    parts += [f"<p class=\"counts\">{esc(_counts(result.counts))}</p></header>", "<main>"]
    drawn = stuck[:MAX_ROWS]
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
        parts += left_out_note(drawn, scale, display)
        parts.append("</section>")
    every = len(users) == sum(result.counts.values())
    parts += [
        f"<section><h2>{'Users' if every else 'Stuck and failed users'}</h2>",
        _user_table(users, display, analysis.cloud is not None)
        if users
        else f"<p>{esc(empty_list_text(analysis, result.counts))}</p>",
    ]
    if not analysis.connector.ok:
        parts.append(
            f'<p class="note"><b>The connector itself has a problem</b> (<code>'
            f"{esc(analysis.connector.code)}</code>): every user it should add waits with it, "
            "whether or not the log names them.</p>"
        )
    if len(stuck) > MAX_ROWS:
        parts.append(
            f'<p class="note">The picture shows the first {MAX_ROWS} of {len(stuck)} users; '
            "the table has them all (and <code>--format json</code> every field).</p>"
        )
    parts.append("</section>")
    parts.append(_findings(summary, display))
    parts.append(_per_day(summary))
    parts.append(_foot())
    return "\n".join(parts)


def summary_page(analysis: Analysis, summary: Summary, display: Display) -> str:
    """The page of `summary --format html`: the connector's health, its findings and advice,
    the tries, notifications held back, adds and failures per day, and the failure reasons."""
    span = ""
    if summary.start is not None and summary.end is not None:
        end = f"{when(summary.end, display)}{judged_text(summary, display, when)}"
        span = f"{esc(when(summary.start, display))} → {esc(end)} · "
    meta = (
        f"{span}{esc(cycles_every(summary))} · {count_of(len(summary.restarts), 'restart')}"
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


def _counts(counts: dict[str, int]) -> str:
    order = ("waiting", "overdue", "failed", "pending", "recovered", "synced")
    return " · ".join(f"{counts[s]} {s}" for s in order if counts.get(s)) or "no users"


def _user_table(users: Sequence[UserState], display: Display, cloud: bool) -> str:
    if not users:
        return "<p>No user is stuck or failed in the log.</p>"
    rows = [
        f'<tr class="{esc(user.state)}{fixable_class(user)}">'
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
    """The per-day counts; with `bars`, each day's tries drawn as a bar split into those
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
