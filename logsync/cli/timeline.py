"""`logsync timeline UPN`: one user's history."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import ExitCode
from ..render import human, machine
from ..safety import visible
from .app import Env, command
from .options import (
    ColorOpt,
    FullSyncOpt,
    InputFormatOpt,
    IntervalOpt,
    NowOpt,
    PathsArg,
    QuietOpt,
    ShortFormatOpt,
    SourceTzOpt,
    TzOpt,
    common,
    output_format,
    reading,
)


@command(
    epilog="""Examples:

  logsync timeline scott@contoso.com CloudUserSync.log

  logsync timeline 'SCOTT@contoso.com' --format json logs/ | jq '.steps'
"""
)
def timeline(
    upn: Annotated[
        str, typer.Argument(metavar="UPN", help="The user principal name (case-insensitive).")
    ],
    paths: PathsArg = None,
    format: ShortFormatOpt = None,
    now: NowOpt = None,
    tz: TzOpt = None,
    source_tz: SourceTzOpt = None,
    full_sync_after: FullSyncOpt = "24h",
    interval: IntervalOpt = None,
    input_format: InputFormatOpt = "auto",
    color: ColorOpt = "auto",
    quiet: QuietOpt = False,
) -> None:
    """One user's history: requests, failures, restarts, due time and outcome, with line numbers."""
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
    )
    fmt = output_format(format, env, ("table", "text", "json"), "text")
    with reading(opts, env) as progress:
        analysis = opts.analyze(follow=upn, progress=progress)
    state = next((u for u in analysis.users if u.upn.lower() == upn.lower()), None)
    steps = analysis.result.timeline if state is not None else []
    display, out = opts.display, env.stdout
    if fmt == "json":
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
        human.timeline(
            state, upn, steps, display, human.make_console(out, opts.color), quiet=opts.quiet
        )
    if state is None:
        env.stderr.write(f"logsync: {visible(upn)} does not appear in the log\n")
        raise typer.Exit(ExitCode.FINDINGS)
