"""`logsync summary`: connector health, findings and advice."""

from __future__ import annotations

from .application import Env, command
from .options import (
    REPORTED_STATES,
    SUMMARY_FORMATS,
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
    SummaryFormatOpt,
    TzOpt,
    UserOpt,
    common,
    judge,
    output_format,
    unmatched_users,
)


@command(
    epilog="""Examples:

  logsync summary CloudUserSync.log

  logsync summary --format json CloudUserSync.lo_ CloudUserSync.log smsexec.log | jq .findings
"""
)
def summary(
    paths: PathsArg = None,
    format: SummaryFormatOpt = None,
    user: UserOpt = None,
    now: NowOpt = None,
    tz: TzOpt = None,
    source_tz: SourceTzOpt = None,
    full_sync_after: FullSyncOpt = "24h",
    interval: IntervalOpt = None,
    cloud_users: CloudUsersOpt = None,
    cloud_users_as_of: CloudUsersAsOfOpt = None,
    input_format: InputFormatOpt = "auto",
    color: ColorOpt = "auto",
    quiet: QuietOpt = False,
) -> None:
    """Connector health: cycles, interval, restarts, adds and failures per day, findings, advice.

    Give smsexec.log too: its SMS_CLOUD_USERSYNC start and stop lines and status messages count
    as evidence (a restart both logs report counts once).

    PATHS are log files, directories or - for stdin, as for report.

    Piped, the output is text: one fact per line, tab-separated, its kind first: span (start,
    end), cycles (count, interval in seconds), restart (time, file:line), day (date, users
    tried, notifications held back, added, failed), reason (reason, count), then each finding
    (severity, code, message, file:line) and each piece of advice (advice, code, text); with
    --user, each user it matches, whatever its state (user, then the columns of report).
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
    fmt = output_format(format, env, SUMMARY_FORMATS, "text", opts.color)
    from ..health import HealthCollector

    collector = HealthCollector()
    # the findings and advice are about stuck and failed users: the others are only counted
    analysis = judge(opts, env, collector=collector, states=REPORTED_STATES)
    report = collector.summarize(analysis)
    if opts.users:  # the users asked for by name, whatever their state
        from ..analysis import asked_for

        nobody = unmatched_users(opts, analysis.upns())
        if nobody is not None:
            env.stderr.write(f"logsync: {nobody}\n")
        report.users = asked_for(analysis, opts.wants)
    display, out = opts.display, env.stdout
    if fmt == "markdown":
        from ..render import markdown

        out.write(markdown.summary(report, analysis, display))
    elif fmt == "html":
        from ..render import html

        out.write(html.summary_page(analysis, report, display))
    elif fmt == "json":
        machine.write_json(machine.summary_document(report, display), out, pretty=env.stdout_isatty)
    elif fmt == "text":
        machine.write_text_rows(machine.summary_rows(report, display), out)
    else:
        from ..render import human

        console = human.make_console(out, opts.color)
        human.summary(
            report, display, console, quiet=opts.quiet, ended_ago=analysis.ended_ago,
            analysis=analysis,
        )
