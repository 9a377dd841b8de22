"""Markdown for tickets and e-mails (GitHub, Azure DevOps, ServiceNow): headings, tables, lists.

It reads cleanly both rendered and as plain text (work notes and e-mails often show it raw).
Log text is untrusted: every piece of it is shown as the text it is. UPNs, times and
`file:line` are code spans (fenced by more backticks than any run inside, a pipe escaped as
GitHub tables need), in which nothing is markup; other text has control characters shown as
visible escapes, line breaks as spaces, and only the characters that could start markup, a
link, HTML or an entity backslash-escaped (CommonMark renders `\\x` as `x`), so a UPN cannot
break a table, open a link or inject an element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..analysis import Analysis
from ..health import Evidence, Summary
from ..safety import visible
from ..tracker import Step, UserState
from . import (
    AZURE_AD_TEXT,
    USER_COLUMNS,
    Display,
    before_input_text,
    connector_text,
    count_of,
    empty_list_text,
    log_end_note,
    shown_interval,
    stuck_from,
    unknown_outcome_text,
    user_cells,
    user_columns,
    when,
)
from .bounds import bounded

_SPECIAL_RE = re.compile(r"([\\`*\[\]<>&|~]|(?<![^\W_])_|_(?![^\W_]))")
"""The characters that could start markup anywhere in a line: a code span, emphasis, a link or
an image, HTML or an autolink, an entity, a table cell's end, a strikethrough. An underscore
between two letters or digits (`SMS_CLOUD_USERSYNC`) can neither open nor close emphasis, so it
stays as it is, which keeps names readable in raw text."""
_LINE_START_RE = re.compile(r"^([#>+=-]|\d+(?=[.)]))")
"""What starts a block at the start of a line (a heading, a quote, a list, a setext line)."""
_BARE_LINK_RE = re.compile(r"(?i)(?<![a-z0-9])(https?(?=://)|ftp(?=://)|www(?=\.))(.)")
"""Where GitHub would turn bare text into a link (`http://`, `https://`, `ftp://`, `www.`): the
character after the scheme or `www` is escaped, which keeps the text and breaks the link."""


def text(value: object) -> str:
    """Untrusted text for Markdown: visible controls, one line, markup characters escaped."""
    shown = _SPECIAL_RE.sub(r"\\\1", visible(_one_line(value)))
    shown = _BARE_LINK_RE.sub(r"\1\\\2", shown)
    start = _LINE_START_RE.match(shown)
    if start is None:
        return shown
    if start.group(1)[0].isdigit():  # `1.` or `1)`: escape what follows the number
        end = start.end()
        return f"{shown[:end]}\\{shown[end:]}"
    return "\\" + shown


def code(value: object, in_table: bool = False) -> str:
    """Untrusted text as a code span (for `file:line`): no markup inside. In a table a pipe is
    escaped, since a GitHub table splits cells at it even in code."""
    shown = visible(_one_line(value))
    if in_table:
        shown = shown.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def _one_line(value: object) -> str:
    return str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    """A GFM table; cells must already be escaped."""
    names = list(header)
    lines = ["| " + " | ".join(names) + " |", "|" + "|".join("---" for _ in names) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _header(title: str, analysis: Analysis, display: Display) -> list[str]:
    names = ", ".join(code(stats.path) for stats in analysis.inputs)
    result = analysis.result
    lines = sum(stats.lines for stats in analysis.inputs)
    return [
        f"# {title}",
        "",
        f"**Log:** {names}  ",
        f"**As of:** {when(analysis.as_of, display)}{log_end_note(analysis.ended_ago)}  ",
        # the connector's state is in logsync's own words: no log text to escape; the label
        # names the connector ("**Connector:** running, last cycle …")
        "**Connector:** "
        + connector_text(analysis.connector, analysis.as_of, display)
        .removeprefix("connector: ")
        .removeprefix("connector ")
        + (f" (`{analysis.connector.code}`)" if analysis.connector.code else "")
        + "  ",
        f"**Read:** {count_of(lines, 'line')}, {count_of(result.cycles, 'cycle')}, "
        + count_of(len(result.restarts), "restart"),
        "",
    ]


def user_rows(users: Iterable[UserState], display: Display) -> list[list[str]]:
    """Rows for a Markdown table: the UPN and the times as code spans, the reason escaped."""
    rows = []
    for user in users:
        cells = user_cells(user, display)
        cells[0] = code(user.upn, in_table=True)
        cells[2] = text(cells[2]) if user.reason else cells[2]
        since = when(stuck_from(user), display)
        cells[3] = cells[3].replace(since, _time_code(since), 1)
        due = when(user.full_sync_due or user.full_sync_due_by, display)
        cells[4] = cells[4].replace(due, _time_code(due), 1)
        shown = when(user.expected_recovery, display)
        cells[5] = cells[5].replace(shown, _time_code(shown), 1)
        rows.append(cells)
    return rows


def _time_code(shown: str) -> str:
    """A time as a code span (the dash that stands for none as it is)."""
    return shown if shown == "–" else code(shown)


def report(
    analysis: Analysis,
    shown: list[UserState],
    counts: dict[str, int],
    display: Display,
    health: Summary | None = None,
) -> str:
    """The report as a Markdown document, with the findings and advice of `health`."""
    out = _header("logsync report: stuck users", analysis, display)
    out.append("## Stuck and failed users" if len(shown) != sum(counts.values()) else "## Users")
    out.append("")
    if shown:
        out += table(user_columns(analysis.cloud is not None), user_rows(shown, display))
    else:
        out.append(empty_list_text(analysis, counts))
    out += ["", " · ".join(f"{counts[s]} {s}" for s in _STATES if counts.get(s)) or "No users."]
    if not analysis.connector.ok:
        out += [
            "",
            f"> **The connector itself has a problem** (`{analysis.connector.code}`): every user "
            "it should add waits with it, whether or not the log names them.",
        ]
    if health is not None:
        out += ["", "## Findings", ""]
        out += findings_list(health, display) or ["No findings: the connector looks healthy."]
        if health.advice:
            out += ["", "## Advice", ""]
            out += [f"- {text(item.text)}" for item in health.advice]
    return "\n".join(out) + "\n"


_STATES = ("waiting", "overdue", "failed", "pending", "recovered", "synced")


def summary(summary_: Summary, analysis: Analysis, display: Display) -> str:
    """The connector's health as a Markdown document."""
    out = _header("logsync summary: connector health", analysis, display)
    every = shown_interval(summary_)
    out += [f"Cycles: {summary_.cycles}{f', every {every}' if every else ''}."]
    out += ["", "## Findings", ""]
    out += findings_list(summary_, display) or ["No findings: the connector looks healthy."]
    if summary_.advice:
        out += ["", "## Advice", ""]
        out += [f"- {text(item.text)}" for item in summary_.advice]
    if summary_.per_day:
        out += ["", "## Per day", ""]
        out += table(
            ("Day", "Tried", "Held back", "Added", "Failed"),
            (
                [day, str(c.requested), str(c.held_back), str(c.added), str(c.failed)]
                for day, c in summary_.per_day.items()
            ),
        )
    if summary_.reasons:
        reasons = ", ".join(f"{text(r)} ×{n}" for r, n in summary_.reasons.most_common())
        out += ["", f"Failure reasons: {reasons}"]
    if summary_.users:
        out += ["", "## Users asked for", ""]
        out += table(user_columns(analysis.cloud is not None), user_rows(summary_.users, display))
    return "\n".join(out) + "\n"


def findings_list(summary_: Summary, display: Display) -> list[str]:
    return [
        f"- **{finding.severity}** `{finding.code}`: {text(finding.message)}"
        + "".join(f" {evidence(item, display)}" for item in finding.evidence[:3])
        for finding in summary_.findings
    ]


def evidence(item: Evidence, display: Display) -> str:
    return code(f"{item.source}:{item.line}")


def timeline(user: UserState, steps: list[Step], analysis: Analysis, display: Display) -> str:
    """One user's history as a Markdown document."""
    out = _header(f"logsync timeline: {code(user.upn)}", analysis, display)
    out += [
        f"**State:** {user.state}"
        + (f" · {before_input_text(user)}" if user.before_input else "")
        + (f" · {user.failures} failure(s), reason {text(user.reason)}" if user.failures else "")
        + (
            f" · expected recovery {bounded(user, when(user.expected_recovery, display))}"
            if user.stuck
            else ""
        )
        + (f" · {unknown_outcome_text(user)}" if user.outcome_unknown else "")
        + (
            f" · {AZURE_AD_TEXT[user.in_azure_ad, user.stuck]}"
            if user.in_azure_ad is not None
            else ""
        ),
        "",
    ]
    out += table(
        ("Time", "Event", "Detail", "Where"),
        (
            [
                _time_code(when(step.time, display)),
                step.what,
                _detail(step.text(lambda time: when(time, display)), user.upn),
                code(f"{step.source}:{step.line}", in_table=True) if step.source else "–",
            ]
            for step in steps
        ),
    )
    return "\n".join(out) + "\n"


def _detail(detail: str, upn: str) -> str:
    """A timeline step's detail: the user's UPN as a code span (copied without a backslash),
    the rest as text."""
    parts = re.split(f"({re.escape(upn)})", detail, flags=re.IGNORECASE)
    return "".join(
        code(part, in_table=True) if index % 2 else text(part) if part else ""
        for index, part in enumerate(parts)
    )


def check(
    passed: bool,
    verdict: str,
    counted: list[UserState],
    connector_problem: str | None,
    analysis: Analysis,
    display: Display,
    others: list[UserState] | None = None,
) -> str:
    """The gate's verdict as a Markdown document; `others`, users asked for by name that the
    gate does not count."""
    out = _header("logsync check: " + ("passed" if passed else "FAILED"), analysis, display)
    out += [f"**Verdict:** {verdict}", ""]
    if connector_problem:
        words = connector_text(analysis.connector, analysis.as_of, display)
        out += [f"- connector: `{connector_problem}`: {words}", ""]
    if counted:
        out += table(USER_COLUMNS, user_rows(counted, display))
    if others:
        out += ([""] if counted else []) + ["Asked for, not counted by the gate:", ""]
        out += table(USER_COLUMNS, user_rows(others, display))
    return "\n".join(out) + "\n"
