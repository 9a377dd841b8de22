"""`logsync check`: the CI gate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, UsageError
from ..formats.paste import redacted
from ..render import (
    BEFORE_INPUT,
    UNDETERMINED_TEXT,
    Display,
    bounded,
    connector_record,
    connector_text,
    wrap_words,
)
from ..safety import visible
from ..times import NO_TIMES_REASON, timeless
from ..tracker import (
    UserState,
)
from .application import Env, command, outcome

if TYPE_CHECKING:
    from ..analysis import Analysis
from .options import (
    FAIL_ON_WORDS,
    CloudUsersAsOfOpt,
    CloudUsersOpt,
    ColorOpt,
    FullSyncOpt,
    InputFormatOpt,
    IntervalOpt,
    NowOpt,
    PathsArg,
    QuietOpt,
    SourceTzOpt,
    TzOpt,
    UserOpt,
    _complete,
    _complete_list,
    common,
    counts_against,
    judge,
    parse_fail_on,
    unmatched_users,
)

CHECK_FORMATS = ("text", "json", "markdown")


@command(
    epilog="""Examples:

  logsync check CloudUserSync.log

  logsync check --max-stuck 3 --junit results.xml exports/

  logsync check --fail-on overdue,failed CloudUserSync.log || echo 'page on-call'

  logsync check --fail-on fixable --cloud-users users.csv CloudUserSync.log
"""
)
def check(
    paths: PathsArg = None,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="STATES",
            help="Comma-separated user states and connector problems that count against the "
            "gate: waiting, overdue, failed, pending, recovered, synced, stuck (waiting and "
            "overdue), fixable (stuck users in Azure AD, with --cloud-users: a restart would add "
            "them), no_cycles, certificate_missing, connector_stalled, connector (all three).",
            autocompletion=_complete_list(FAIL_ON_WORDS),
        ),
    ] = "waiting,overdue,failed,connector",
    max_stuck: Annotated[
        int,
        typer.Option(
            "--max-stuck", min=0, metavar="N", help="How many users in those states pass the gate."
        ),
    ] = 0,
    junit: Annotated[
        str | None,
        typer.Option(
            metavar="FILE",
            help="Also write JUnit XML here, one testcase per user.",
            show_default=False,
        ),
    ] = None,
    user: UserOpt = None,
    now: NowOpt = None,
    tz: TzOpt = None,
    source_tz: SourceTzOpt = None,
    full_sync_after: FullSyncOpt = "24h",
    interval: IntervalOpt = None,
    cloud_users: CloudUsersOpt = None,
    cloud_users_as_of: CloudUsersAsOfOpt = None,
    input_format: InputFormatOpt = "auto",
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text (each user that counts, then the verdict), json or markdown.",
            autocompletion=_complete(CHECK_FORMATS),
        ),
    ] = "text",
    color: ColorOpt = "auto",
    quiet: QuietOpt = False,
) -> None:
    """CI gate: exit 1 when more than --max-stuck users are in a --fail-on state, or the
    connector has a problem it names (no cycle, no certificate, stalled); else 0.

    Prints each user that counts against the gate (UPN, state, reason, expected recovery),
    the connector's problem if any, then the verdict.

    PATHS are log files, directories or - for stdin, as for report.
    """
    from ..render import machine
    env = Env.current()
    opts = common(
        env,
        paths,
        tz=tz,
        source_tz=source_tz,
        input_format=input_format,
        color=color,
        quiet=quiet,
        now=now,
        full_sync_after=full_sync_after,
        interval=interval,
        cloud_users=cloud_users,
        cloud_users_as_of=cloud_users_as_of,
        user=user,
    )
    format = format.lower()
    if format not in CHECK_FORMATS:
        raise UsageError(f"--format: {format!r} is not one of {', '.join(CHECK_FORMATS)}")
    fail_on_set = parse_fail_on(fail_on)
    if "fixable" in fail_on_set and opts.cloud is None:
        from .report import FIXABLE_NEEDS_EXPORT

        raise UsageError(FIXABLE_NEEDS_EXPORT)
    # JUnit has a test case for every user; otherwise only those that count are concluded
    # (pending users too: an undetermined one counts as waiting)
    listed = None if junit else fail_on_set | {"pending"}
    if listed is not None and "fixable" in fail_on_set:
        listed |= {"waiting", "overdue"}
    analysis = judge(opts, env, states=listed, match=opts.wants if opts.users else None)
    nobody = unmatched_users(opts, analysis.upns())
    if nobody is not None:  # a gate on nobody is no pass
        raise UsageError(nobody)
    selected = [u for u in analysis.users if opts.wants(u.upn)]
    counted = [u for u in selected if counts_against(u, fail_on_set)]
    matched = sum(analysis.result.counts.values())
    connector_problem = analysis.connector.problem_in(fail_on_set)
    passed = len(counted) <= max_stuck and connector_problem is None
    outcome(ExitCode.OK if passed else ExitCode.FINDINGS)
    display = opts.display
    out = env.stdout
    if junit:
        from ..render.junit import junit_document

        document = junit_document(selected, counted, passed, analysis, fail_on_set, display)
        if junit == "-":  # the XML on stdout; what would go there goes to stderr
            env.stdout.write(document.decode("utf-8"))
            env.stdout.flush()
            out = env.stderr
        else:
            try:
                with open(junit, "wb") as handle:
                    handle.write(document)
            except OSError as exc:
                raise UsageError(f"--junit: cannot write {junit}: {exc.strerror or exc}") from exc
    if format == "json":
        machine.write_json(
            {
                "passed": passed,
                "as_of": display.iso(analysis.as_of),
                "fail_on": sorted(fail_on_set),
                "max_stuck": max_stuck,
                "counts": machine.state_counts(counted),
                "connector": connector_record(analysis.connector, analysis.as_of, display),
                "connector_problem": connector_problem,
                "failing": [machine.user_record(u, display) for u in counted] if not passed else [],
                "within_limit": [machine.user_record(u, display) for u in counted]
                if passed
                else [],
            },
            out,
            pretty=env.stdout_isatty and out is env.stdout,
        )
    elif format == "markdown":
        from ..render import markdown

        line = verdict(passed, counted, matched, max_stuck, connector_problem, analysis, display)
        out.write(markdown.check(passed, line, counted, connector_problem, analysis, display))
    elif not opts.quiet:
        rows = [check_row(u, display) for u in counted]
        if connector_problem is not None:
            text = connector_text(analysis.connector, analysis.as_of, display)
            rows.append(("connector", connector_problem, visible(text)))
        line = verdict(passed, counted, matched, max_stuck, connector_problem, analysis, display)
        if out is env.stdout and env.stdout_isatty:
            out.write(fitted(rows, line, _width()))
        else:
            out.write("".join("\t".join(row) + "\n" for row in rows) + line + "\n")
    if not passed:
        raise typer.Exit(ExitCode.FINDINGS)


def check_row(user: UserState, display: Display) -> tuple[str, ...]:
    """One user that counts against the gate: UPN, state, reason, expected recovery."""
    when = display.iso(user.expected_recovery)
    recovery = f"expected recovery {bounded(user, when)}" if when else "no automatic retry"
    if user.no_times and user.stuck:
        recovery = f"expected recovery unknown: {NO_TIMES_REASON}"
    if user.state == "overdue" and when:
        recovery += " passed, no retry logged"
    if user.before_input:
        recovery += f"; {BEFORE_INPUT}"
    if user.undetermined:
        recovery = UNDETERMINED_TEXT
    if user.in_azure_ad is not None and user.stuck:
        recovery += (
            "; in Azure AD: a restart adds it"
            if user.in_azure_ad
            else "; not in Azure AD: a restart will not add it"
        )
    upn = visible(user.upn) + (" (not a UPN)" if redacted(user.upn) else "")
    return (upn, user.state, visible(user.reason or "-"), recovery)


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


def verdict(
    passed: bool,
    counted: list[UserState],
    matched: int,
    limit: int,
    connector_problem: str | None,
    analysis: Analysis,
    display: Display,
) -> str:
    from ..render import machine
    counts = machine.state_counts(counted)
    detail = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
    as_of = f" as of {display.iso(analysis.as_of)}" if analysis.as_of else ""
    if timeless(analysis.as_of):
        as_of = f" ({NO_TIMES_REASON})"
    head = "ok" if passed else "FAIL"
    connector = f"; connector: {connector_problem}" if connector_problem else ""
    if not counted:
        users = "1 user" if matched == 1 else f"{matched} users"
        return f"{head}: {users}, none stuck or failed{connector}{as_of}"
    noun = "user" if len(counted) == 1 else "users"
    return f"{head}: {len(counted)} {noun} ({detail}), limit {limit}{connector}{as_of}"
