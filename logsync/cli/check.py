"""`logsync check`: the CI gate."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import ExitCode, UsageError
from ..render.printers import formats
from .application import Env, command, outcome
from .notes import judge, unmatched_in
from .options import (
    GATE,
    NONE_GIVEN,
    FailOnOpt,
    PathsArg,
    Shared,
    _complete,
    output,
    output_format,
    parse_fail_on,
    shared,
)


@command(
    short_help="CI gate: exit 1 on stuck users or a connector problem.",
    epilog="""Examples:

  logsync check CloudUserSync.log

  logsync check --max-stuck 3 --junit results.xml exports/

  logsync check --fail-on overdue,failed CloudUserSync.log || echo stuck

  logsync check --fail-on fixable --cloud-users users.csv CloudUserSync.log
"""
)
@shared()
def check(
    paths: PathsArg = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text (each user that counts, then the verdict), json or markdown. Default: "
            "text.",
            autocompletion=_complete(formats("check")),
            show_default=False,
        ),
    ] = "text",
    fail_on: FailOnOpt = None,
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
            help="Also write JUnit XML to FILE (- for stdout), one testcase per user.",
            show_default=False,
        ),
    ] = None,
    given: Shared = NONE_GIVEN,
) -> None:
    """CI gate: exit 1 when more than --max-stuck users are in a --fail-on state, or the
    connector has a problem it names (no cycle, no certificate, stalled, stopped); else 0.
    Adds that failed by the cycles' totals but that no failure line names (an excerpt of
    totals lines) count as one user each wherever a user state is named.

    Prints each user that counts against the gate (UPN, state, reason, expected recovery),
    then the other users asked for with --user, the connector's problem if any, then the
    verdict: what the gate counts, and what it saw but does not count ("ok: no overdue user
    as of ...; 2 stuck users and 1 failed user not counted by --fail-on overdue").

    PATHS are log files, directories or - for stdin, as for report.
    """
    env = Env.current()
    opts = given.common(env, paths)
    if junit is not None and not junit.strip():  # (no report would be written, and none said)
        raise UsageError("--junit: an empty path (an unset variable?): give a file, or -")
    format = output_format(format, env, "check", "text")
    fail_on = GATE if fail_on is None else fail_on
    fail_on_set = parse_fail_on(fail_on, cloud=opts.cloud is not None)
    # JUnit has a test case for every user; otherwise only those that count are concluded
    # (pending users too: an undetermined one counts as waiting)
    # (users asked for by name are shown whatever their state)
    listed = None if junit or opts.users else fail_on_set | {"pending"}
    if listed is not None and "fixable" in fail_on_set:
        listed |= {"waiting", "overdue"}
    analysis = judge(opts, env, states=listed, match=opts.wants if opts.users else None)
    nobody = unmatched_in(opts, analysis)
    if nobody is not None:  # a gate on nobody is no pass
        raise UsageError(nobody)
    from ..verdicts import gate as judge_gate

    verdict = judge_gate(analysis, fail_on_set, max_stuck, fail_on)
    outcome(ExitCode.OK if verdict.passed else ExitCode.FINDINGS)
    display = opts.display
    out = env.stdout
    if junit:
        from ..render.junit import junit_document

        document = junit_document(analysis.users, verdict, analysis, display)
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
    from ..render.printers import CheckPage, write

    page = CheckPage(verdict, analysis, display, by_name=bool(opts.users))
    write("check", format, page, output(env, opts, out))
    if not verdict.passed:
        raise typer.Exit(ExitCode.FINDINGS)
