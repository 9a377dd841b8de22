"""`logsync timeline UPN`: one user's history."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, UsageError
from ..safety import visible
from .application import Env, command
from .notes import did_you_mean, judge, judged_log
from .options import (
    NONE_GIVEN,
    PathsArg,
    Shared,
    TimelineFormatOpt,
    output,
    output_format,
    shared,
)

if TYPE_CHECKING:
    from ..analysis import Analysis


@command(
    "UPN [PATHS]...",
    short_help="One user's history and when it will recover.",
    epilog="""Examples:

  logsync timeline bob@contoso.com CloudUserSync.log

  logsync timeline 'SCOTT@contoso.com' --format json logs/ | jq '.steps'
"""
)
@shared("now", "tz", "source_tz", "full_sync_after", "interval", "cloud_users",
        "cloud_users_as_of", "input_format", "color", "quiet")
def timeline(
    upn: Annotated[
        str, typer.Argument(metavar="UPN", hidden=True, show_default=False)
    ],
    paths: PathsArg = None,
    format: TimelineFormatOpt = None,
    given: Shared = NONE_GIVEN,
) -> None:
    """One user's history: requests, failures, restarts, due time and outcome, with line numbers.

    UPN is the user principal name (case-insensitive); a part of one lists the users it
    matches. PATHS are log files, directories or - for stdin, as for report.
    """
    env = Env.current()
    if not upn.strip():  # (an unset shell variable: every UPN holds the empty part)
        raise UsageError("UPN is empty: give a user's UPN, or a part of it")
    if os.path.exists(upn):
        # `logsync timeline CloudUserSync.log`: the UPN was forgotten
        raise UsageError(
            f"{upn} is a log, not a user: give the UPN first "
            f"(logsync timeline UPN {' '.join([upn, *(paths or [])])})"
        )
    opts = given.common(env, paths)
    fmt = output_format(format, env, "timeline", "text", opts.color)
    # one reading: the tracker keeps the history of the user named (or named in part)
    analysis = judge(opts, env, follow=upn, follow_part=True, only_followed=True)
    tracker = analysis.tracker
    matching = [tracker.users[key].upn for key in tracker.history.matches]
    named = tracker.history.named()
    state = None
    if named is not None:
        if named != upn.lower():  # a part of one UPN (`bob`): that user's history
            upn = tracker.users[named].upn
            if not opts.quiet:
                env.stderr.write(f"logsync: showing {visible(upn)}, the one user it matches\n")
        state = next(iter(analysis.users), None)
    steps = analysis.result.timeline if state is not None else []
    from ..render.printers import MatchesPage, TimelinePage, write

    if state is None and len(matching) > 1:  # a part of several UPNs: list them
        write("matches", fmt, MatchesPage(upn, matching, analysis, opts.display), output(env, opts))
        env.stderr.write(
            f"logsync: {visible(upn)} is part of {len(matching)} UPNs (listed); give one of them\n"
        )
        raise typer.Exit(ExitCode.FINDINGS)
    page = TimelinePage(upn, state, steps, analysis, opts.display)
    write("timeline", fmt, page, output(env, opts))
    if state is None:
        where = judged_log(opts, analysis) + _near(upn, analysis)  # (see judged_log)
        env.stderr.write(f"logsync: {visible(upn)} does not appear in {where}\n")
        raise typer.Exit(ExitCode.FINDINGS)


def _near(upn: str, analysis: Analysis) -> str:
    """`; did you mean heidi@contoso.com?` for a part of a UPN (or a close spelling)."""
    return did_you_mean(upn, analysis.upns())
