"""`logsync report`: stuck users and when each will recover."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..errors import ExitCode, UsageError
from ..times import parse_when
from .application import Env, command, outcome
from .notes import judge, unmatched_in
from .options import (
    NONE_GIVEN,
    FailOnOpt,
    FormatOpt,
    PathsArg,
    Shared,
    output,
    output_format,
    parse_fail_on,
    shared,
)

EXAMPLES_REPORT = """Examples:

  logsync report CloudUserSync.log

  logsync report 'D:\\Program Files\\Microsoft Configuration Manager\\Logs'

  logsync report --all --tz UTC CloudUserSync.lo_ CloudUserSync.log

  logsync report --format json CloudUserSync.log | jq '.users[].upn'

  logsync report --restart-at now CloudUserSync.log

  logsync report --cloud-users users.csv --restart-at now CloudUserSync.log
"""

PEOPLE = ("html", "markdown", "table")
"""The formats for people: with the connector's health, advice and the next step."""


@command(epilog=EXAMPLES_REPORT, short_help="Stuck users, why, and when each will recover.")
@shared()
def report(
    paths: PathsArg = None,
    format: FormatOpt = None,
    all_users: Annotated[
        bool, typer.Option("--all", "-a", help="List every user, not only stuck and failed ones.")
    ] = False,
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
    given: Shared = NONE_GIVEN,
    header: Annotated[
        bool,
        typer.Option("--header", help="Text format: a first line naming the columns."),
    ] = False,
) -> None:
    """Stuck users and when each will recover (waiting ones soonest first, then overdue, failed).

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
    env = Env.current()
    opts = given.common(env, paths)
    fmt = output_format(format, env, "report", "text", opts.color)
    failing_states = parse_fail_on(fail_on, cloud=opts.cloud is not None)
    what_if = parse_when(restart_at, "--restart-at") if restart_at is not None else None
    observing: dict[str, Any] = {}
    collector = None
    if fmt in PEOPLE:
        from ..health import HealthCollector

        collector = HealthCollector(day_zone=opts.display.tz)
        observing = {"collector": collector}
    from ..analysis import REPORTED_STATES
    from ..verdicts import fails

    analysis = judge(
        opts,
        env,
        restart_at=what_if,
        # the others are only counted; users asked for by name are shown whatever their state
        states=None if all_users or opts.users else REPORTED_STATES,
        match=opts.wants if opts.users else None,
        **observing,
    )
    nobody = unmatched_in(opts, analysis)
    if nobody is not None and failing_states:  # a gate on nobody is no pass (as in check)
        raise UsageError(nobody)
    if nobody is not None:
        env.stderr.write(f"logsync: {nobody}\n")
    findings = fails(analysis, failing_states)
    outcome(ExitCode.FINDINGS if findings else ExitCode.OK)
    from ..render.printers import ReportPage, write

    health = None
    if collector is not None:  # (the findings are the log's, whichever users are listed)
        from ..conclusions import conclusion

        judged = analysis
        if opts.users:
            stuck = conclusion(analysis, restart_at=analysis.restart_at, states=REPORTED_STATES)
            judged = analysis._replace(result=stuck)
        health = collector.summarize(judged, opts.display.tz)
    page = ReportPage(
        analysis,
        analysis.users,
        analysis.result.counts,
        opts.display,
        health=health,
        cycle_marks=collector.cycle_marks if collector is not None else None,
        what_if=what_if,
        cloud=opts.cloud is not None,
        header=header,
        paths=tuple(opts.paths),
    )
    write("report", fmt, page, output(env, opts))
    if findings:
        raise typer.Exit(ExitCode.FINDINGS)

