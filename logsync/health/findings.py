"""The health summary's findings (SPEC §6): the connector's state, its stalls, the stuck
users, cycles whose counts do not reconcile."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ..analysis import Analysis
from ..cloud import unroutable_suffix
from ..events import CONNECTOR
from ..formats.paste import redacted
from ..sources import base_name
from ..times import MICROSECOND, NO_TIMES_REASON, human_duration, instant_key, moment_time
from ..tracker import (
    GRACE_INTERVALS,
    LATEST,
    STALL_INTERVALS,
    USER_NOT_FOUND,
    Result,
    UserState,
    cause_text,
    timer_label,
    unnamed_words,
)
from .advice import (
    CHECK_CONNECTOR,
    certificate_advice,
    dirsync_advice,
    restart_advice,
)
from .summary import (
    MAX_EVIDENCE,
    Advice,
    Evidence,
    Finding,
    Gap,
    Mark,
    at_or_line,
    evidence_of,
    failure_evidence,
    plural,
    shown,
    some_names,
    verb,
)


def unread_lines(analysis: Analysis, findings: list[Finding], advice: list[Advice]) -> None:
    """No cycle among the lines read, where most of the input's lines are no record (pasted
    text wrapped or cut too narrow to be put back together, another kind of text): the lines
    left unread, not the connector, are what to look at first."""
    if analysis.result.connector.code != "no_cycles" or CHECK_CONNECTOR not in advice:
        return
    unread = sum(s.unread for s in analysis.inputs)
    lines = sum(s.lines for s in analysis.inputs)
    if unread * 2 <= lines:
        return
    most = f"most lines of the input are no record ({unread} of {lines})"
    for index, finding in enumerate(findings):
        if finding.code == "no_cycles":
            findings[index] = replace(
                finding, message=f"no user sync cycle among the lines read, but {most}"
            )
    advice[advice.index(CHECK_CONNECTOR)] = Advice(
        "read_unparsed",
        f"{most[0].upper()}{most[1:]}, so whether the connector ran it cannot say: a pasted "
        "excerpt wrapped or cut too narrow to be put back together, or text other than a log, "
        "reads so (`logsync events --kind unparsed` lists them). Give CloudUserSync.log "
        "itself, or paste its lines whole.",
    )


def connector_findings(
    result: Result,
    last_certificate_wait: Mark | None,
    findings: list[Finding],
    advice: list[Advice],
) -> None:
    """The connector's own state at the end: waiting for its certificate, or no cycle."""
    connector = result.connector
    if connector.code == "connector_stopped":
        waited = connector.certificate_since is not None
        why = " after waiting for its certificate" if waited else ""
        findings.append(
            Finding(
                "connector_stopped",
                "error",
                f"the connector said it is stopping at {shown(connector.since)}{why} and did "
                "not start again: nothing syncs until it does",
                (Evidence(connector.source, connector.line, connector.since),),
            )
        )
        if not waited:
            advice.append(CHECK_CONNECTOR)
    chain = [c for c in connector.causes if c.kind != "install_errors"]
    if "certificate_missing" in connector.problems:
        mark = last_certificate_wait
        wait = None if mark is None else evidence_of(mark)
        waits = result.certificate_waits
        last = f" (last at {shown(wait.time)})" if wait is not None else ""
        why = f": {cause_text(chain)}" if chain else ""
        findings.append(
            Finding(
                "certificate_missing",
                "error",
                f"the connector waited for its certificate {waits} time{plural(waits)}{last} "
                f"and has not synced since{why}",
                ((wait,) if wait is not None else ())
                + tuple(Evidence(c.source, c.line, c.time) for c in chain),
            )
        )
        advice.append(certificate_advice(chain))
    elif connector.code == "no_cycles":
        evidence = (
            (Evidence(connector.source, connector.line, connector.since),)
            if connector.source
            else ()
        )
        findings.append(
            Finding(
                "no_cycles",
                "error",
                "the connector logged no user sync cycle: nothing was synced in this log",
                evidence,
            )
        )
        advice.append(CHECK_CONNECTOR)

    for cause in connector.causes:
        if cause.kind == "install_errors":
            findings.append(
                Finding(
                    "install_errors",
                    "warning",
                    f"{base_name(cause.source)} shows component install errors of {CONNECTOR}: "
                    "status messages "
                    f"{', '.join(str(status) for status in cause.status_ids)}",
                    (Evidence(cause.source, cause.line, cause.time),),
                )
            )

def stall_findings(
    result: Result,
    interval: timedelta,
    gaps: list[Gap],
    last_cycle: Mark | None,
    findings: list[Finding],
    advice: list[Advice],
) -> None:
    limit = STALL_INTERVALS * (interval // MICROSECOND)
    long = sorted((g for g in gaps if g[0] > limit), key=lambda g: g[4][0])
    messages = [
        f"no cycle for {human_duration(gap / 1_000_000)} between "
        f"{shown(moment_time(*before[:2]))} and {shown(moment_time(*after[:2]))}"
        for gap, _, _, before, after in long
    ]
    evidence = [evidence_of(after) for *_, after in long]
    connector = result.connector
    if connector.code == "connector_stalled" and connector.since is not None:
        silence = instant_key(result.as_of) - instant_key(connector.since)  # type: ignore[arg-type]
        if connector.since == connector.last_cycle:
            what = "cycle"
        elif connector.since == connector.last_restart:
            what = "restart"
        else:  # an excerpt without the lines that start cycles: the end of the last one
            what = "cycle's totals"
        messages.append(
            f"no cycle for the last {human_duration(silence)} "
            f"(last {what} at {shown(connector.since)})"
        )
        last = last_cycle
        if what == "cycle" and last is not None:
            evidence.append(evidence_of(last))
        elif what != "cycle" and connector.source:  # the restart, or the totals line
            evidence.append(Evidence(connector.source, connector.line, connector.since))
    if not messages:
        return
    every = human_duration(interval.total_seconds())
    message = "; ".join(messages) + f" — more than {STALL_INTERVALS} intervals of {every}"
    findings.append(Finding("connector_stalled", "warning", message, tuple(evidence)))
    if connector.code == "connector_stalled" or not long:
        # stalled now: read around where the silence began (the last cycle, or restart)
        began = connector.since if connector.code == "connector_stalled" else None
        when = began if began is not None else evidence[0].time if evidence else None
        around = f" around {shown(when)}" if when is not None else ""
        advice.append(
            Advice(
                "check_connector",
                "Check that SMS_CLOUD_USERSYNC is running (Configuration Manager Service "
                f"Manager) and read smsexec.log{around} for why the connector stopped cycling.",
            )
        )
        return
    # the connector cycles as of the end: the stalls are over, and only why they came is left
    _, _, _, before, after = long[0]
    more = " (nor in the other gaps the finding lists)" if len(long) > 1 else ""
    advice.append(
        Advice(
            "past_stall",
            f"The connector did not cycle from {shown(moment_time(*before[:2]))} to "
            f"{shown(moment_time(*after[:2]))}{more} and has cycled since: read smsexec.log "
            "from then for why it paused (a stop of SMS Executive or of the server leaves "
            "the same gap).",
        )
    )

def user_findings(
    analysis: Analysis,
    users: list[UserState],
    findings: list[Finding],
    advice: list[Advice],
) -> None:
    waiting = [u for u in users if u.state == "waiting"]
    overdue = [u for u in users if u.state == "overdue"]
    timer = timer_label(analysis.tracker.options.full_sync_after)
    if waiting:
        timed = [u for u in waiting if u.expected_recovery is not None]
        if timed:
            nxt = min(timed, key=lambda u: instant_key(u.expected_recovery))  # type: ignore[arg-type]
            # a user held back since before the input has a latest bound, not a time
            at = "by" if nxt.bound == LATEST else "at"
            when = nxt.expected_recovery
            assert when is not None  # (timed)
            expected = f"the next ({nxt.upn}) is expected {at} {shown(when)}"
            as_of = analysis.as_of
            if as_of is not None and instant_key(when) <= instant_key(as_of):
                # passed with no retry logged, within the grace before it is overdue (rule 6)
                late = shown(when + GRACE_INTERVALS * analysis.result.interval)
                expected = (
                    f"the next ({nxt.upn}) was expected {at} {shown(when)}, with no retry "
                    f"logged since: overdue from {late} if none comes"
                )
        else:
            expected = f"when is unknown: {NO_TIMES_REASON}"
        findings.append(
            Finding(
                "stuck_users",
                "warning",
                f"{len(waiting)} user{plural(len(waiting))} {verb(len(waiting), 'waits', 'wait')} "
                f"for the {timer} full sync; {expected}",
                failure_evidence(waiting),
            )
        )
    if overdue:
        findings.append(
            Finding(
                "overdue_users",
                "error",
                f"{len(overdue)} user{plural(len(overdue))} passed the expected recovery with no "
                f"retry logged ({', '.join(u.upn for u in overdue[:MAX_EVIDENCE])})",
                failure_evidence(overdue),
            )
        )
    # no advice about UPN suffixes or Azure AD is built on a name that is no UPN
    unfound = [
        u for u in users if u.reason == USER_NOT_FOUND and u.stuck and not redacted(u.upn)
    ]
    # the UPN suffixes Azure AD holds (every user is read): once, for the advice too
    added = analysis.tracker.users.added_domains() if unfound else None
    advice += restart_advice(analysis, added)
    unroutable = [u for u in unfound if unroutable_suffix(u.upn, added or set()) is not None]
    if unroutable:
        suffixes = sorted({unroutable_suffix(u.upn, added or set()) or "" for u in unroutable})
        count = len(unroutable)
        findings.append(
            Finding(
                "unroutable_upn_suffix",
                "warning",
                f"{count} user{plural(count)} failing with UserNotFound "
                f"{verb(count, 'has', 'have')} a UPN suffix Azure AD cannot hold "
                f"({', '.join(suffixes)}): Azure AD Connect syncs "
                f"{verb(count, 'it', 'them')} as …@<tenant>.onmicrosoft.com, so the "
                f"connector never finds {verb(count, 'it', 'them')} ({some_names(unroutable)})",
                failure_evidence(unroutable),
            )
        )
        advice.append(
            Advice(
                "routable_upn_suffix",
                "Add a routable UPN suffix (a domain verified in the tenant) in Active "
                "Directory Domains and Trusts and give these users UPNs in it "
                f"({some_names(unroutable)}): no timer or restart adds them until then.",
            )
        )
    again = [u for u in unfound if u.failures >= 2]
    if again:
        count = len(again)
        findings.append(
            Finding(
                "fails_at_every_full_sync",
                "warning",
                f"{count} user{plural(count)} failed again at every full sync since "
                f"{verb(count, 'its', 'their')} first failure ("
                + ", ".join(f"{u.upn} {u.failures} times" for u in again[:MAX_EVIDENCE])
                + ("…" if count > MAX_EVIDENCE else "")
                + "): no timer will add "
                + verb(count, "it", "them")
                + " while the UPN is not in Azure AD",
                failure_evidence(again),
            )
        )
    if again and analysis.cloud is None:  # (with an export, the scope advice names them)
        names = ", ".join(u.upn for u in again[:MAX_EVIDENCE])
        advice.append(
            Advice(
                "check_azure_ad",
                f"{len(again)} user{plural(len(again))} failed again at a full sync ({names}): "
                "still not in Azure AD. Check the DirSync / Azure AD Connect scope and that "
                "the on-premises UPN matches the Azure AD UPN.",
            )
        )
    if any(not redacted(upn) for upn in analysis.tracker.first_tries):
        advice.append(dirsync_advice(analysis))
    other = sorted({u.reason for u in users if u.state == "failed" and u.reason})
    if other:
        advice.append(
            Advice(
                "fix_other_failures",
                f"Users failing with {', '.join(other)} are not retried by any timer: fix the "
                "cause, then restart SMS Executive to retry them.",
            )
        )


def unnamed_findings(result: Result, findings: list[Finding], advice: list[Advice]) -> None:
    """Failed adds that the cycles' totals count and no failure line names, and users notified
    with no outcome in the input (undetermined, or whose retry the input cannot show): no
    state of theirs can be told; the whole log tells."""
    count = result.unnamed_failures
    if count and result.unnamed_at is not None:
        time, source, line = result.unnamed_at
        findings.append(
            Finding(
                "unnamed_failures",
                "error",
                f"the cycle totals count {unnamed_words(count)} (first {at_or_line(time, line)}): "
                "whose they are and whether those users are stuck the input cannot say",
                (Evidence(source, line, time),),
            )
        )
    unknown = result.undetermined + result.retry_unseen
    parts = [f"names the users behind the {unnamed_words(count)}"] if count else []
    if unknown:
        parts.append(
            f"tells whether the {unknown} user{plural(unknown)} notified with no outcome in this "
            f"input {verb(unknown, 'was', 'were')} added"
        )
    if parts:
        advice.append(
            Advice(
                "read_whole_log",
                "Run logsync on the whole CloudUserSync.log (with its CloudUserSync.lo_): it "
                + " and ".join(parts)
                + ".",
            )
        )


def unreconciled_finding(result: Result) -> Finding:
    """Cycles whose totals do not match the users they notified (SPEC §4 rule 2)."""
    count = result.unreconciled_count
    first = result.unreconciled[0]
    return Finding(
        "unreconciled_counts",
        "warning",
        f"{count} cycle{plural(count)} logged totals that do not match the users notified in "
        f"{verb(count, 'it', 'them')}; those users were left as they were (first "
        f"{at_or_line(first.time, first.line or first.totals_line)}: received "
        f"{first.received}, added {first.added}, "
        f"{first.notified} notified and not held back)",
        tuple(
            Evidence(c.source, c.line or c.totals_line, c.time)
            for c in result.unreconciled[:MAX_EVIDENCE]
        ),
    )


