"""`logsync timeline UPN`: one user's history."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, UsageError
from ..safety import visible
from .application import Env, command
from .options import (
    TIMELINE_FORMATS,
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
    TimelineFormatOpt,
    TzOpt,
    common,
    did_you_mean,
    judge,
    output_format,
)

if TYPE_CHECKING:
    from ..analysis import Analysis


@command(
    "UPN [PATHS]...",
    epilog="""Examples:

  logsync timeline scott@contoso.com CloudUserSync.log

  logsync timeline 'SCOTT@contoso.com' --format json logs/ | jq '.steps'
"""
)
def timeline(
    upn: Annotated[
        str, typer.Argument(metavar="UPN", hidden=True, show_default=False)
    ],
    paths: PathsArg = None,
    format: TimelineFormatOpt = None,
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
    """One user's history: requests, failures, restarts, due time and outcome, with line numbers.

    UPN is the user principal name (case-insensitive); a part of one lists the users it
    matches. PATHS are log files, directories or - for stdin, as for report.
    """
    from ..render import machine
    env = Env.current()
    if os.path.exists(upn):
        # `logsync timeline CloudUserSync.log`: the UPN was forgotten
        raise UsageError(
            f"{upn} is a log, not a user: give the UPN first "
            f"(logsync timeline UPN {' '.join([upn, *(paths or [])])})"
        )
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
    )
    fmt = output_format(format, env, TIMELINE_FORMATS, "text", opts.color)
    analysis = judge(opts, env, follow=upn, match=_only(upn))  # no other user is concluded
    state = next(iter(analysis.users), None)
    matching: list[str] = []
    if state is None:
        matching = [name for name in analysis.upns() if upn.lower() in name.lower()]
        if len(matching) == 1:  # a part of one UPN (`bob`): that user's history
            upn = matching[0]
            if not opts.quiet:
                env.stderr.write(f"logsync: showing {visible(upn)}, the one user it matches\n")
            analysis = opts.analyze(follow=upn, match=_only(upn))
            state = next(iter(analysis.users), None)
    steps = analysis.result.timeline if state is not None else []
    display, out = opts.display, env.stdout
    if state is None and len(matching) > 1:  # a part of several UPNs: list them
        if fmt == "json":
            machine.write_json(
                {"upn": upn, "as_of": display.iso(analysis.as_of), "user": None, "steps": [],
                 "matches": matching},
                out,
                pretty=env.stdout_isatty,
            )
        else:
            out.write("".join(f"{visible(name)}\n" for name in matching))
        env.stderr.write(
            f"logsync: {visible(upn)} is part of {len(matching)} UPNs (listed); give one of them\n"
        )
        raise typer.Exit(ExitCode.FINDINGS)
    if fmt == "markdown" and state is not None:
        from ..render import markdown

        out.write(markdown.timeline(state, steps, analysis, display))
    elif fmt == "json":
        machine.write_json(
            {
                "upn": state.upn if state else upn,
                "as_of": display.iso(analysis.as_of),
                "user": machine.user_record(state, display) if state else None,
                "steps": [machine.step_record(step, display) for step in steps],
            },
            out,
            pretty=env.stdout_isatty,
        )
    elif fmt == "text":
        machine.write_text_rows(
            (
                [
                    display.iso(s.time),
                    s.what,
                    s.detail,
                    f"{s.source}:{s.line}" if s.source else None,
                ]
                for s in steps
            ),
            out,
        )
    else:
        from ..render import human

        human.timeline(
            state, upn, steps, display, human.make_console(out, opts.color), quiet=opts.quiet
        )
    if state is None:
        hint = _near(upn, analysis)
        env.stderr.write(f"logsync: {visible(upn)} does not appear in the log{hint}\n")
        raise typer.Exit(ExitCode.FINDINGS)


def _only(upn: str) -> Callable[[str], bool]:
    """Whether a UPN is `upn` (case-insensitive)."""
    folded = upn.casefold()
    return lambda name: name.casefold() == folded


def _near(upn: str, analysis: Analysis) -> str:
    """`; did you mean heidi@contoso.com?` for a part of a UPN (or a close spelling)."""
    return did_you_mean(upn, analysis.upns())
