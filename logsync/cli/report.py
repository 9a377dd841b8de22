"""`logsync report`: stuck users and when each will recover."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from ..errors import ExitCode, UsageError
from ..render import (
    Display,
    connector_record,
    connector_text,
    number,
)
from ..safety import visible
from ..times import parse_when
from ..tracker import (
    UserState,
)
from .application import Env, command, outcome
from .options import (
    REPORT_FORMATS,
    REPORTED_STATES,
    CloudUsersAsOfOpt,
    CloudUsersOpt,
    ColorOpt,
    FailOnOpt,
    FormatOpt,
    FullSyncOpt,
    InputFormatOpt,
    IntervalOpt,
    NowOpt,
    PathsArg,
    QuietOpt,
    SourceTzOpt,
    TzOpt,
    UserOpt,
    common,
    judge,
    output_format,
    parse_fail_on,
    unmatched_users,
)

EXAMPLES_REPORT = """Examples:

  logsync report CloudUserSync.log

  logsync report 'D:\\Program Files\\Microsoft Configuration Manager\\Logs'

  logsync report --all --tz UTC CloudUserSync.lo_ CloudUserSync.log

  logsync report --format json CloudUserSync.log | jq '.users[].upn'

  logsync report --restart-at now CloudUserSync.log

  logsync report --cloud-users users.csv --restart-at now CloudUserSync.log
"""


@command(epilog=EXAMPLES_REPORT)
def report(
    paths: PathsArg = None,
    format: FormatOpt = None,
    all_users: Annotated[
        bool, typer.Option("--all", "-a", help="List every user, not only stuck and failed ones.")
    ] = False,
    user: UserOpt = None,
    now: NowOpt = None,
    tz: TzOpt = None,
    source_tz: SourceTzOpt = None,
    full_sync_after: FullSyncOpt = "24h",
    interval: IntervalOpt = None,
    restart_at: Annotated[
        str | None,
        typer.Option(
            "--restart-at",
            metavar="WHEN",
            help="What-if: when would stuck users recover if SMS Executive restarted at this time?",
            show_default=False,
        ),
    ] = None,
    fail_on: FailOnOpt = None,
    cloud_users: CloudUsersOpt = None,
    cloud_users_as_of: CloudUsersAsOfOpt = None,
    input_format: InputFormatOpt = "auto",
    color: ColorOpt = "auto",
    quiet: QuietOpt = False,
    header: Annotated[
        bool,
        typer.Option("--header", help="Text format: a first line naming the columns."),
    ] = False,
) -> None:
    """Stuck users and when each will recover (stuck first, soonest recovery first).

    PATHS are log files (gzip, bzip2 or xz too), directories (their CloudUserSync.log, .lo_
    and CloudUserSync-*.log, in any case, with CertMgr.log, dmpuploader.log, sitecomp.log and
    smsexec.log for the causes of connector problems), zip archives (read as the folder they
    hold) or - for stdin; with none, stdin when it is a pipe.

    Piped, the output is text: one user per line, tab-separated, in the columns upn, state,
    reason, first_failure, last_failure, failures, full_sync_due, expected_recovery,
    seconds_remaining, recovered_at, synced_at, expected_recovery_bound (latest where the
    expected recovery is a latest bound; - where there is none). --header adds a first line
    naming them, for column -t and spreadsheets.
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
        user=user,
        cloud_users=cloud_users,
        cloud_users_as_of=cloud_users_as_of,
    )
    fmt = output_format(format, env, REPORT_FORMATS, "text", opts.color)
    failing_states = parse_fail_on(fail_on)
    cloud = opts.cloud is not None
    if "fixable" in failing_states and not cloud:
        raise UsageError(FIXABLE_NEEDS_EXPORT)
    what_if = parse_when(restart_at, "--restart-at") if restart_at is not None else None
    observing: dict[str, Any] = {}
    collector = None
    if fmt in ("html", "markdown", "table"):  # with the findings, advice and the next step
        from ..health import HealthCollector

        collector = HealthCollector()
        observing = {"collector": collector}
    analysis = judge(
        opts,
        env,
        restart_at=what_if,
        # the others are only counted; users asked for by name are shown whatever their state
        states=None if all_users or opts.users else REPORTED_STATES,
        match=opts.wants if opts.users else None,
        **observing,
    )
    nobody = unmatched_users(opts, analysis.upns())
    if nobody is not None:
        env.stderr.write(f"logsync: {nobody}\n")
    from ..analysis import counts_against

    shown = analysis.users
    counts = analysis.result.counts
    display = opts.display
    out = env.stdout
    findings = (
        analysis.connector.problem_in(failing_states) is not None
        or any(counts[state] for state in failing_states if state in counts)
        or bool(analysis.result.undetermined and "waiting" in failing_states)
        or any(counts_against(u, failing_states & {"fixable"}) for u in shown)
    )
    outcome(ExitCode.FINDINGS if findings else ExitCode.OK)
    health = collector.summarize(analysis) if collector is not None else None
    if fmt == "markdown":
        from ..render import markdown

        assert health is not None
        out.write(markdown.report(analysis, shown, counts, display, health))
    elif fmt == "html":
        assert collector is not None and health is not None
        from ..render import html

        out.write(html.page(analysis, health, shown, collector.cycle_marks, display))
    elif fmt == "json":
        document = machine.report_document(analysis, [], counts, display)
        document["connector"] = connector_record(analysis.connector, analysis.as_of, display)
        if what_if is not None:
            document["what_if"] = what_if_summary(analysis.restart_at or what_if, shown, display)
        machine.write_report_json(document, shown, display, out, pretty=env.stdout_isatty)
    elif fmt == "table":
        from ..render import human

        console = human.make_console(out, opts.color)
        human.report(analysis, shown, counts, display, console, quiet=opts.quiet)
        if what_if is not None:
            summary = what_if_summary(analysis.restart_at or what_if, shown, display)
            console.print(human.what_if_line(summary))
        if not opts.quiet:
            from ..health import next_step

            assert health is not None
            console.print(human.next_step_line(next_step(health, summary_command(opts))))
    else:
        if fmt == "ndjson":
            machine.write_ndjson((machine.user_record(u, display) for u in shown), out)
        elif fmt == "csv":
            fields = machine.user_fields(cloud)
            rows = machine.user_rows(shown, display, cloud)
            machine.write_csv(fields, rows, out, env.stdout_isatty)
        else:
            if header:
                out.write("\t".join(machine.user_fields(cloud)) + "\n")
            machine.write_text_rows(machine.user_rows(shown, display, cloud), out)
        if not analysis.connector.ok and not opts.quiet:
            # rows stay rows; the connector's problem goes where a person will see it
            text = connector_text(analysis.connector, analysis.as_of, display)
            env.stderr.write(f"logsync: {visible(text)} ({analysis.connector.code})\n")
    if findings:
        raise typer.Exit(ExitCode.FINDINGS)




FIXABLE_NEEDS_EXPORT = (
    "--fail-on fixable: give --cloud-users FILE (an export of Azure AD users) to tell which "
    "stuck users a restart would add"
)


def summary_command(opts: Any) -> str:
    """`logsync summary PATHS`: the command that shows more of the same inputs."""
    import shlex

    names = " ".join(shlex.quote(path) for path in opts.paths) or "-"
    return f"logsync summary {names}"


def what_if_summary(when: datetime, users: list[UserState], display: Display) -> dict[str, Any]:
    """What the what-if restart changes: the waiting users it frees strictly sooner, and the
    overdue users it retries (whose own retry did not come). Checked against an export of
    Azure AD users, the stuck users not in it are listed apart (`users_not_in_azure_ad`): the
    restart's full sync fails again for them, and the tracker left them to their own timer."""
    freed = [u for u in users if u.recovery_by == "what-if" and (u.time_saved_s or 0) > 0]
    retried = [u for u in users if u.recovery_by == "what-if" and u.state == "overdue"]
    saved = [u.time_saved_s or 0.0 for u in freed]
    summary: dict[str, Any] = {
        "restart_at": display.iso(when),
        "users_freed": [u.upn for u in freed],
        "users_retried": [u.upn for u in retried],
        "time_saved_s": number(sum(saved)),
        "max_time_saved_s": number(max(saved)) if saved else 0,
    }
    if any(u.in_azure_ad is not None for u in users):
        summary["users_not_in_azure_ad"] = [
            u.upn for u in users if u.stuck and u.in_azure_ad is False
        ]
    return summary
