"""`check`'s printers, one per format (see `printers.PRINTERS`): the gate's lines, JSON and
Markdown."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..formats.paste import redacted
from ..safety import visible
from ..times import NO_TIMES_REASON, timeless
from ..tracker import CONNECTOR_CODES, UserState, unnamed_words
from . import (
    Display,
    before_input_text,
    connector_record,
    connector_text,
    count_of,
    unknown_outcome_text,
    unnamed_text,
    where_of,
    wrap_words,
)
from .bounds import bounded

if TYPE_CHECKING:
    from ..verdicts import Gate
    from .pages import CheckPage, Output


def json(page: CheckPage, output: Output) -> None:
    from . import machine

    verdict, analysis, display = page.verdict, page.analysis, page.display
    counted, passed, over = verdict.counted, verdict.passed, verdict.users_over
    machine.write_json(
        {
            "passed": passed,
            "as_of": display.iso(analysis.as_of),
            "fail_on": sorted(verdict.fail_on),
            "max_stuck": verdict.max_stuck,
            "counts": verdict.counts,
            "counted": verdict.counted_states,
            "connector": connector_record(analysis.connector, analysis.as_of, display),
            "connector_problem": verdict.connector_problem,
            "unnamed_failures": verdict.unnamed + verdict.unnamed_seen,
            "unnamed_at": where_of(verdict.unnamed_at),
            # (users within --max-stuck are that, also where the connector fails the gate)
            "failing": machine.users_records(counted, display) if over else [],
            "within_limit": machine.users_records(counted, display) if not over else [],
            **(
                {"users": machine.users_records(analysis.users, display)}
                if page.by_name
                else {}
            ),
        },
        output.out,
        pretty=output.terminal,
    )


def markdown(page: CheckPage, output: Output) -> None:
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


def text(page: CheckPage, output: Output) -> None:
    """Each user that counts (and each asked for by name), the connector's problem, then the
    verdict line; with `--quiet`, the verdict line alone."""
    verdict, analysis, display = page.verdict, page.analysis, page.display
    if output.quiet:
        output.out.write(verdict_line(verdict, analysis.as_of, display) + "\n")
        return
    counted = verdict.counted
    rows = [check_row(u, display) for u in counted]
    if page.by_name:  # the users asked for by name, whatever their state
        rows += [
            check_row(u, display, not_counted=verdict.named)
            for u in analysis.users
            if u not in counted
        ]
    if verdict.unnamed:
        rows.append(("users", "unnamed", unnamed_text(verdict.unnamed, verdict.unnamed_at, True)))
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


def verdict_line(gate: Gate, as_of: datetime | None, display: Display) -> str:
    """The gate's verdict in one line: what it counts (`ok: no overdue user`, `FAIL: 5 users
    (3 waiting, 1 overdue, 1 failed), limit 0`), and what it saw but does not count (`; 4 stuck
    users not counted by --fail-on overdue`)."""
    head = "ok" if gate.passed else "FAIL"
    states = gate.gated_states
    problem = gate.connector_problem
    counted = gate.counted
    if counted:
        by_state: dict[str, int] = {}
        for user in counted:  # (a pending user counts where it may be in a state named)
            label = user.state
            if label == "pending" and "pending" not in gate.fail_on:
                label = "pending that may be stuck"
            elif label == "waiting" and "waiting" not in gate.fail_on and user.unknown_as:
                label = "waiting that may be overdue"  # (no times: its due time unknown)
            by_state[label] = by_state.get(label, 0) + user.shared_by
        detail = ", ".join(f"{n} {state}" for state, n in by_state.items())
        least = "at least " if gate.hidden else ""
        body = f"{least}{count_of(gate.users_counted, 'user')} ({detail}), limit {gate.max_stuck}"
    elif states:
        body = f"no {_listed(states, 'or')} user"
    else:  # (a gate on some of the connector's problems alone names those it counts)
        codes = sorted(gate.fail_on & set(CONNECTOR_CODES))
        some = f" ({_listed(codes, 'or')})" if len(codes) < len(CONNECTOR_CODES) else ""
        body = f"no connector problem{some}" if problem is None else ""
    if gate.unnamed:
        unnamed = unnamed_text(gate.unnamed, gate.unnamed_at)
        body = f"{unnamed}, limit {gate.max_stuck}" if not counted else f"{body}; {unnamed}"
    if problem is not None:
        if problem not in gate.fail_on and problem == "no_cycles":  # (see `counted_problem`)
            problem += " (no cycle in the input: no user could be judged)"
        body += f"; connector: {problem}" if body else f"connector: {problem}"
    when = f" as of {display.iso(as_of)}" if as_of is not None else ""
    if timeless(as_of):
        when = f" ({NO_TIMES_REASON})"
    if gate.hidden:  # (see `Gate.hidden`)
        when += "; a redacted name stands for users the input cannot count: no limit passes"
    missed = gate.not_counted
    seen = []
    stuck = missed["waiting"] + missed["overdue"]
    if stuck:
        seen.append(count_of(stuck, "stuck user"))
    if missed["failed"]:
        seen.append(count_of(missed["failed"], "failed user"))
    if missed["pending"]:  # notified, outcome not in the input
        other = "other " if any(u.state == "pending" for u in gate.counted) else ""
        least = "at least " if gate.not_counted_hidden else ""  # (a shared redacted name)
        seen.append(least + count_of(missed["pending"], f"{other}pending user"))
    if gate.unnamed_seen:
        seen.append(unnamed_words(gate.unnamed_seen))
    if gate.connector_seen is not None:
        seen.append(f"the connector's problem ({gate.connector_seen})")
    if not seen:
        return f"{head}: {body}{when}"
    return f"{head}: {body}{when}; {_listed(seen, 'and')} not counted by --fail-on {gate.named}"


def _listed(parts: list[str], last: str) -> str:
    """`a, b or c` (`last` the word before the last part)."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {last} {parts[-1]}"


def check_row(
    user: UserState, display: Display, not_counted: str | None = None
) -> tuple[str, ...]:
    """A user in `check`'s text: UPN, state, reason, and what comes next (its expected recovery;
    when it was added; that no timer retries it); `not_counted`, the `--fail-on` that does not
    count it (a user asked for by name)."""
    when = display.iso(user.expected_recovery)
    if user.state == "recovered":
        recovery = f"recovered {display.iso(user.recovered_at)}"
    elif user.state == "synced":
        recovery = f"synced {display.iso(user.synced_at)}"
    elif (unknown := unknown_outcome_text(user)) is not None:
        recovery = unknown
    elif user.state == "pending":
        recovery = "outcome not logged yet"
    elif user.no_times and user.stuck:
        recovery = f"expected recovery unknown: {NO_TIMES_REASON}"
    else:
        recovery = f"expected recovery {bounded(user, when)}" if when else "no automatic retry"
        if user.state == "overdue" and when:
            recovery += " passed, no retry logged"
        if user.before_input:
            recovery += f"; {before_input_text(user)}"
    if user.in_azure_ad is not None and user.stuck:
        recovery += (
            "; in Azure AD: a restart adds it"
            if user.in_azure_ad
            else "; not in Azure AD: a restart will not add it"
        )
    if not_counted is not None:
        recovery += f"; not counted by --fail-on {not_counted}"
    upn = visible(user.upn) + (" (not a UPN)" if redacted(user.upn) else "")
    return (upn, user.state, visible(user.reason or "-"), recovery)
