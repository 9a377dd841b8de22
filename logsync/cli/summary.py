"""`logsync summary`: connector health, findings and advice."""

from __future__ import annotations

from .application import Env, command
from .notes import judge, unmatched_in
from .options import (
    NONE_GIVEN,
    PathsArg,
    Shared,
    SummaryFormatOpt,
    output,
    output_format,
    shared,
)


@command(
    short_help="Connector health: cycles, restarts, failures and advice.",
    epilog="""Examples:

  logsync summary CloudUserSync.log

  logsync summary -f json CloudUserSync.log smsexec.log | jq .findings
"""
)
@shared()
def summary(
    paths: PathsArg = None,
    format: SummaryFormatOpt = None,
    given: Shared = NONE_GIVEN,
) -> None:
    """Connector health: cycles, interval, restarts, adds and failures per day, findings, advice.

    Give smsexec.log too: its SMS_CLOUD_USERSYNC start and stop lines and status messages count
    as evidence (a restart both logs report counts once).

    PATHS are log files, directories or - for stdin, as for report.

    Piped, the output is text: one fact per line, tab-separated, its kind first: span (start,
    end), cycles (count, interval in seconds, and how it is known: observed, given or
    default), restart (time, file:line), day (date, tries, notifications held back,
    adds, failures), reason (reason, count), then each finding (severity, code, message,
    file:line) and each piece of advice (advice, code, text); with --user, each user it
    matches, whatever its state (user, then the columns of report), after the facts, which
    cover every user.
    """
    env = Env.current()
    opts = given.common(env, paths)
    fmt = output_format(format, env, "summary", "text", opts.color)
    from ..analysis import REPORTED_STATES
    from ..health import HealthCollector

    collector = HealthCollector(day_zone=opts.display.tz)
    # the findings and advice are about stuck and failed users: the others are only counted
    analysis = judge(opts, env, collector=collector, states=REPORTED_STATES)
    report = collector.summarize(analysis, opts.display.tz)
    if opts.users:  # the users asked for by name, whatever their state
        from ..conclusions import asked_for

        nobody = unmatched_in(opts, analysis)
        if nobody is not None:
            env.stderr.write(f"logsync: {nobody}\n")
        report.users = asked_for(analysis, opts.wants)
    from ..render.printers import SummaryPage, write

    write("summary", fmt, SummaryPage(report, analysis, opts.display), output(env, opts))
