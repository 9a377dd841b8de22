"""The `logsync` command line: parse options, run the pipeline, map outcomes to exit codes."""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from fnmatch import fnmatchcase
from typing import IO, Annotated, Any

import typer

from . import __version__
from .analysis import Analysis, analyze
from .errors import ExitCode, UsageError
from .events import KINDS, Event
from .formats import FORMAT_NAMES
from .health import HEALTH_KINDS, HealthCollector
from .pipeline import EventStream, ReadOptions
from .render import Display, OutputFormat, connector_record, connector_text, human, machine, number
from .render.junit import junit_document
from .render.ndjson import write_input_ndjson
from .safety import visible
from .sources import InputStats, Progress, expand_paths
from .times import WHEN_FORMS, parse_duration, parse_when, parse_zone
from .tracker import (
    CONNECTOR_CODES,
    DEFAULT_FULL_SYNC_AFTER,
    STATES,
    Tracker,
    TrackerOptions,
    UserState,
)
from .watch import POLL_SECONDS, Change, Follower, Watcher, live_path, rotated_path, utc_now

HELP = """Analyze Configuration Manager's CloudUserSync.log: which users are stuck, why, and when
each will sync again on its own.

A user that fails with `reason UserNotFound` is not retried by delta syncs: it waits for its own
24 h timer (or an SMS Executive restart, which forces a full sync). logsync tracks every user
through the log and says when each will recover.
"""

EXAMPLES_REPORT = """Examples:

  logsync report CloudUserSync.log

  logsync report 'D:\\Program Files\\Microsoft Configuration Manager\\Logs'

  logsync report --all --tz UTC CloudUserSync.lo_ CloudUserSync.log

  logsync report --format json CloudUserSync.log | jq '.users[].upn'

  logsync report --restart-at '2014-09-14 12:00' CloudUserSync.log
"""

app = typer.Typer(
    name="logsync",
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def command(**settings: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command whose usage and input errors end as one stderr line and exit 2."""

    def register(body: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(body)
        def run(*args: Any, **kwargs: Any) -> None:
            try:
                body(*args, **kwargs)
                sys.stdout.flush()
            except UsageError as exc:
                sys.stderr.write(f"logsync: error: {visible(exc.message)}\n")
                raise typer.Exit(ExitCode.USAGE) from None
            except BrokenPipeError:
                raise _PipeClosed from None  # past the framework, which would exit 1

        return app.command(**settings)(run)

    return register


# -- environment ----------------------------------------------------------------------------


@dataclass
class Env:
    """The process's streams and their terminal flags; tests swap them through CliRunner."""

    stdout: IO[str]
    stderr: IO[str]
    stdout_isatty: bool
    stderr_isatty: bool
    stdin_is_pipe: bool

    @classmethod
    def current(cls) -> Env:
        return cls(
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            stdin_is_pipe=not _isatty(sys.stdin),
        )


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


# -- shared options, declared once ----------------------------------------------------------


def _complete(values: Iterable[str]) -> Callable[[str], list[str]]:
    choices = list(values)
    return lambda incomplete: [value for value in choices if value.startswith(incomplete)]


def _complete_list(values: Iterable[str]) -> Callable[[str], list[str]]:
    choices = list(values)

    def complete(incomplete: str) -> list[str]:
        head, _, last = incomplete.rpartition(",")
        prefix = f"{head}," if head else ""
        return [prefix + value for value in choices if value.startswith(last)]

    return complete


PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PATHS",
        help="Log files, directories (their CloudUserSync.log and .lo_) or - for stdin. "
        "Default: stdin when it is a pipe.",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table, text, json, ndjson or csv. Default: table on a terminal, text when piped.",
        autocompletion=_complete(f.value for f in OutputFormat),
        show_default=False,
    ),
]
ShortFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table, text or json. Default: table on a terminal, text when piped.",
        autocompletion=_complete(("table", "text", "json")),
        show_default=False,
    ),
]
NowOpt = Annotated[
    str | None,
    typer.Option(
        metavar="WHEN",
        help="Judge the state as of this time, from the records at or before it (later ones "
        f"are left out). Default: the last record's time. WHEN is {WHEN_FORMS} offset.",
        show_default=False,
    ),
]
TzOpt = Annotated[
    str | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        help="Show times in this zone: UTC, local, +02:00 or an IANA name. Default: as logged.",
        show_default=False,
    ),
]
SourceTzOpt = Annotated[
    str | None,
    typer.Option(
        "--source-tz",
        metavar="ZONE",
        help="Zone of log times that carry no UTC offset (pasted text, CMTrace without bias).",
        show_default=False,
    ),
]
FullSyncOpt = Annotated[
    str,
    typer.Option(
        "--full-sync-after", metavar="DURATION", help="The per-user retry timer after UserNotFound."
    ),
]
IntervalOpt = Annotated[
    str | None,
    typer.Option(
        metavar="DURATION",
        help="Connector cycle interval, e.g. 5m. Default: the median gap between cycles, else 5m.",
        show_default=False,
    ),
]
UserOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--user",
        "-u",
        metavar="GLOB",
        help="Only users whose UPN matches this glob, case-insensitive (repeatable).",
        show_default=False,
    ),
]
ColorOpt = Annotated[
    str,
    typer.Option(
        metavar="WHEN",
        help="auto, always or never. NO_COLOR is honoured.",
        autocompletion=_complete(("auto", "always", "never")),
    ),
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print only the essentials (no header lines).")
]
InputFormatOpt = Annotated[
    str,
    typer.Option(
        "--input-format",
        metavar="FORMAT",
        help="auto, sms-trace, cmtrace or paste. Default: detected per file.",
        autocompletion=_complete(("auto", *FORMAT_NAMES)),
    ),
]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        metavar="STATES",
        help="Comma-separated states that make the exit code 1 "
        "(waiting, overdue, failed, pending, recovered, synced, stuck).",
        autocompletion=_complete_list((*STATES, "stuck")),
        show_default=False,
    ),
]


@dataclass(frozen=True)
class Common:
    """The validated common options."""

    paths: list[str]
    display: Display
    source_tz: tzinfo | None
    input_format: str | None
    color: str
    quiet: bool
    now: datetime | None = None
    full_sync_after: timedelta = DEFAULT_FULL_SYNC_AFTER
    interval: timedelta | None = None
    users: tuple[str, ...] = ()

    def read_options(self) -> ReadOptions:
        return ReadOptions(input_format=self.input_format, source_tz=self.source_tz)

    def wants(self, upn: str) -> bool:
        key = upn.lower()
        return not self.users or any(fnmatchcase(key, glob.lower()) for glob in self.users)

    def analyze(self, **extra: Any) -> Analysis:
        return analyze(
            self.paths,
            now=self.now,
            full_sync_after=self.full_sync_after,
            interval=self.interval,
            source_tz=self.source_tz,
            input_format=self.input_format,
            **extra,
        )


def common(
    env: Env,
    paths: list[str] | None,
    *,
    tz: str | None = None,
    source_tz: str | None = None,
    input_format: str = "auto",
    color: str = "auto",
    quiet: bool = False,
    now: str | None = None,
    full_sync_after: str = "24h",
    interval: str | None = None,
    user: list[str] | None = None,
    without_paths: bool = False,
) -> Common:
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color: {color!r} is not one of auto, always, never")
    if input_format != "auto" and input_format not in FORMAT_NAMES:
        raise UsageError(
            f"--input-format: {input_format!r} is not one of auto, {', '.join(FORMAT_NAMES)}"
        )
    source_zone = parse_zone(source_tz, "--source-tz") if source_tz else None
    return Common(
        paths=[] if without_paths else expand_paths(paths or [], env.stdin_is_pipe),
        display=Display(parse_zone(tz, "--tz") if tz else None),
        source_tz=source_zone,
        input_format=None if input_format == "auto" else input_format,
        color=color,
        quiet=quiet,
        now=parse_when(now, "--now") if now else None,
        full_sync_after=parse_duration(full_sync_after, "--full-sync-after"),
        interval=parse_duration(interval, "--interval") if interval else None,
        users=tuple(user or ()),
    )


_COMMON_NAMES = (
    "paths",
    "tz",
    "source_tz",
    "input_format",
    "color",
    "quiet",
    "now",
    "full_sync_after",
    "interval",
    "user",
)


def common_from(env: Env, parameters: dict[str, Any], watching: bool = False) -> Common:
    """The common options among a command's parameters (its `locals()` on entry)."""
    chosen = {name: parameters[name] for name in _COMMON_NAMES if name in parameters}
    return common(env, chosen.pop("paths", None), without_paths=watching, **chosen)


PROGRESS_MIN_BYTES = 32 << 20
"""Inputs smaller than this are read too fast for a progress bar to help."""


@contextmanager
def reading(opts: Common, env: Env, enabled: bool = True) -> Iterator[Progress | None]:
    """A progress callback drawing a bar on stderr, for long inputs and a terminal only."""
    total = sum(os.path.getsize(p) for p in opts.paths if p != "-" and os.path.isfile(p))
    if not enabled or opts.quiet or not env.stderr_isatty or total < PROGRESS_MIN_BYTES:
        yield None
        return
    with human.byte_progress(total, env.stderr, opts.color) as advance:
        yield advance


def output_format(value: str | None, env: Env, allowed: Iterable[str], piped: str) -> str:
    choices = list(allowed)
    if value is None:
        return "table" if env.stdout_isatty else piped
    if value not in choices:
        raise UsageError(f"--format: {value!r} is not one of {', '.join(choices)}")
    return value


FAIL_ON_WORDS = (*STATES, "stuck", *CONNECTOR_CODES, "connector")
"""What `--fail-on` takes: user states, `stuck`, connector problems, `connector` (all three)."""


def parse_fail_on(value: str | None, option: str = "--fail-on") -> frozenset[str]:
    """User states and connector problem codes from a comma-separated list."""
    if value is None:
        return frozenset()
    chosen: set[str] = set()
    for part in value.split(","):
        name = part.strip().lower()
        if name == "stuck":
            chosen |= {"waiting", "overdue"}
        elif name == "connector":
            chosen |= set(CONNECTOR_CODES)
        elif name in FAIL_ON_WORDS:
            chosen.add(name)
        elif name:
            raise UsageError(f"{option}: {part.strip()!r} is not one of {', '.join(FAIL_ON_WORDS)}")
    return frozenset(chosen)


def connector_fails(analysis: Analysis, fail_on: frozenset[str]) -> bool:
    code = analysis.connector.code
    return code is not None and code in fail_on


def judge(opts: Common, env: Env, **extra: Any) -> Analysis:
    """Read and judge the inputs (with a progress bar on a terminal); say on stderr how many
    records `--now` left out."""
    with reading(opts, env) as progress:
        analysis = opts.analyze(progress=progress, **extra)
    if analysis.left_out and not opts.quiet:
        noun = "record" if analysis.left_out == 1 else "records"
        env.stderr.write(
            f"logsync: as of {opts.display.iso(analysis.as_of)}: {analysis.left_out} later "
            f"{noun} left out\n"
        )
    return analysis


# -- commands -------------------------------------------------------------------------------


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
    input_format: InputFormatOpt = "auto",
    color: ColorOpt = "auto",
    quiet: QuietOpt = False,
) -> None:
    """Stuck users and when each will recover (stuck first, soonest recovery first)."""
    env = Env.current()
    opts = common_from(env, locals())
    fmt = output_format(format, env, (f.value for f in OutputFormat), "text")
    failing_states = parse_fail_on(fail_on)
    what_if = parse_when(restart_at, "--restart-at") if restart_at else None
    analysis = judge(opts, env, restart_at=what_if)
    selected = [u for u in analysis.users if opts.wants(u.upn)]
    shown = selected if all_users else [u for u in selected if u.state in REPORTED_STATES]
    display = opts.display
    out = env.stdout
    findings = connector_fails(analysis, failing_states) or any(
        u.state in failing_states for u in selected
    )
    outcome(ExitCode.FINDINGS if findings else ExitCode.OK)
    if fmt == "json":
        document = machine.report_document(analysis, [], selected, display)
        document["connector"] = connector_record(analysis.connector, analysis.as_of, display)
        if what_if is not None:
            document["what_if"] = what_if_summary(analysis.restart_at or what_if, shown, display)
        machine.write_report_json(document, shown, display, out, pretty=env.stdout_isatty)
    elif fmt == "table":
        console = human.make_console(out, opts.color)
        human.report(analysis, shown, selected, display, console, quiet=opts.quiet)
        if what_if is not None:
            summary = what_if_summary(analysis.restart_at or what_if, shown, display)
            console.print(human.what_if_line(summary))
    else:
        if fmt == "ndjson":
            machine.write_ndjson((machine.user_record(u, display) for u in shown), out)
        elif fmt == "csv":
            machine.write_csv(
                machine.USER_FIELDS, machine.user_rows(shown, display), out, env.stdout_isatty
            )
        else:
            machine.write_text_rows(machine.user_rows(shown, display), out)
        if not analysis.connector.ok and not opts.quiet:
            # rows stay rows; the connector's problem goes where a person will see it
            text = connector_text(analysis.connector, analysis.as_of, display)
            env.stderr.write(f"logsync: {visible(text)} ({analysis.connector.code})\n")
    if findings:
        raise typer.Exit(ExitCode.FINDINGS)


REPORTED_STATES = frozenset({"waiting", "overdue", "failed"})


def what_if_summary(when: datetime, users: list[UserState], display: Display) -> dict[str, Any]:
    freed = [u for u in users if u.recovery_by == "what-if"]
    saved = [u.time_saved_s or 0.0 for u in freed]
    return {
        "restart_at": display.iso(when),
        "users_freed": [u.upn for u in freed],
        "time_saved_s": number(sum(saved)),
        "max_time_saved_s": number(max(saved)) if saved else 0,
    }


KindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help="Only events of this kind (repeatable): " + ", ".join(KINDS) + ".",
        autocompletion=_complete(KINDS),
        show_default=False,
    ),
]


@command(
    epilog="""Examples:

  logsync events CloudUserSync.log | jq -c 'select(.kind=="user_add_failed")'

  logsync events -k user_add_failed -k restart --since '2014-09-14 10:00' CloudUserSync.log

  zcat export.log.gz | logsync events --format csv > events.csv
"""
)
def events(
    paths: PathsArg = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table, text, json, ndjson or csv. "
            "Default: table on a terminal, ndjson when piped.",
            autocompletion=_complete(f.value for f in OutputFormat),
            show_default=False,
        ),
    ] = None,
    kind: KindOpt = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="WHEN", help="Only events at or after this time.", show_default=False),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(metavar="WHEN", help="Only events before this time.", show_default=False),
    ] = None,
    user: UserOpt = None,
    tz: TzOpt = None,
    source_tz: SourceTzOpt = None,
    input_format: InputFormatOpt = "auto",
    color: ColorOpt = "auto",
    quiet: QuietOpt = False,
) -> None:
    """The typed event stream: every record, classified; every unparsed line, with its number."""
    env = Env.current()
    opts = common_from(env, locals())
    fmt = output_format(format, env, (f.value for f in OutputFormat), "ndjson")
    kinds = None
    if kind:
        unknown = [k for k in kind if k not in KINDS]
        if unknown:
            raise UsageError(f"--kind: {unknown[0]!r} is not a kind ({', '.join(KINDS)})")
        kinds = frozenset(kind)
    start = parse_when(since, "--since") if since else None
    end = parse_when(until, "--until") if until else None
    # a progress bar would fight the event lines on a terminal
    with reading(opts, env, enabled=not env.stdout_isatty) as progress:
        names = expand_paths(opts.paths, stdin_is_pipe=False)
        if fmt == "ndjson" and len(names) == 1 and start is end is None and not opts.users:
            stats = InputStats(names[0])
            write_input_ndjson(
                names[0], opts.read_options(), stats, env.stdout, opts.display, kinds, progress
            )
            return
        stream: Iterable[Event] = EventStream(
            opts.paths, opts.read_options(), kinds=kinds, progress=progress
        )
        if start is not None or end is not None:
            stream = between(stream, start, end)
        if opts.users:
            stream = (e for e in stream if opts.wants(_event_upn(e) or "") and _event_upn(e))
        _write_events(stream, fmt, opts, env)


def _write_events(stream: Iterable[Event], fmt: str, opts: Common, env: Env) -> None:
    display, out = opts.display, env.stdout
    if fmt == "ndjson":
        machine.write_events_ndjson(stream, out, display, flush=False)
    elif fmt == "json":
        machine.write_events_json(stream, out, display)
    elif fmt == "csv":
        machine.write_csv(
            machine.EVENT_COLUMNS, machine.event_rows(stream, display), out, env.stdout_isatty
        )
    elif fmt == "text":
        machine.write_text_rows(machine.event_text_rows(stream, display), out)
    else:
        human.events(stream, display, human.make_console(out, opts.color))


def _event_upn(event: Event) -> str | None:
    return getattr(event.data, "upn", None)


def between(
    stream: Iterable[Event], start: datetime | None, end: datetime | None
) -> Iterator[Event]:
    """Events in [start, end); an unparsed line goes with the record before it.

    A bound without an offset compares with the wall-clock time as logged.
    """
    keep = start is None
    for event in stream:
        time = event.time
        if time is not None:
            keep = _within(time, start, end)
        if keep:
            yield event


def _within(time: datetime, start: datetime | None, end: datetime | None) -> bool:
    for bound, after in ((start, True), (end, False)):
        if bound is None:
            continue
        value = time
        if (bound.tzinfo is None) != (value.tzinfo is None):
            value = value.replace(tzinfo=None)
            bound = bound.replace(tzinfo=None)
        if after and value < bound:
            return False
        if not after and value >= bound:
            return False
    return True


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
) -> None:
    """One user's history: requests, failures, restarts, due time and outcome, with line numbers."""
    env = Env.current()
    opts = common_from(env, locals())
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
        human.timeline(state, upn, steps, display, human.make_console(out, opts.color))
    if state is None:
        env.stderr.write(f"logsync: {visible(upn)} does not appear in the log\n")
        raise typer.Exit(ExitCode.FINDINGS)


@command(
    epilog="""Examples:

  logsync summary CloudUserSync.log

  logsync summary --format json CloudUserSync.lo_ CloudUserSync.log smsexec.log | jq .findings
"""
)
def summary(
    paths: PathsArg = None,
    format: ShortFormatOpt = None,
    now: NowOpt = None,
    tz: TzOpt = None,
    source_tz: SourceTzOpt = None,
    full_sync_after: FullSyncOpt = "24h",
    interval: IntervalOpt = None,
    input_format: InputFormatOpt = "auto",
    color: ColorOpt = "auto",
) -> None:
    """Connector health: cycles, interval, restarts, adds and failures per day, findings, advice.

    Give smsexec.log too: its SMS_CLOUD_USERSYNC start and stop lines and status messages count
    as evidence (a restart both logs report counts once).
    """
    env = Env.current()
    opts = common_from(env, locals())
    fmt = output_format(format, env, ("table", "text", "json"), "text")
    collector = HealthCollector()
    with reading(opts, env) as progress:
        analysis = opts.analyze(
            extra_kinds=HEALTH_KINDS, observer=collector.feed, progress=progress
        )
    report = collector.summarize(analysis)
    display, out = opts.display, env.stdout
    if fmt == "json":
        machine.write_json(machine.summary_document(report, display), out, pretty=env.stdout_isatty)
    elif fmt == "text":
        machine.write_text_rows(machine.summary_rows(report, display), out)
    else:
        human.summary(report, display, human.make_console(out, opts.color))


@command(
    epilog="""Examples:

  logsync check CloudUserSync.log

  logsync check --max-stuck 3 --junit results.xml exports/

  logsync check --fail-on overdue,failed CloudUserSync.log || page-oncall
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
            "overdue), no_cycles, certificate_missing, connector_stalled, connector (all three).",
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
    input_format: InputFormatOpt = "auto",
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text (a one-line verdict) or json.",
            autocompletion=_complete(("text", "json")),
        ),
    ] = "text",
    quiet: QuietOpt = False,
) -> None:
    """CI gate: exit 1 when more than --max-stuck users are in a --fail-on state, or the
    connector has a problem it names (no cycle, no certificate, stalled); else 0.

    Prints each user that counts against the gate (UPN, state, reason, expected recovery),
    the connector's problem if any, then the verdict.
    """
    env = Env.current()
    opts = common_from(env, locals())
    if format not in ("text", "json"):
        raise UsageError(f"--format: {format!r} is not one of text, json")
    fail_on_set = parse_fail_on(fail_on)
    analysis = judge(opts, env)
    selected = [u for u in analysis.users if opts.wants(u.upn)]
    counted = [u for u in selected if u.state in fail_on_set]
    connector_problem = analysis.connector.code if connector_fails(analysis, fail_on_set) else None
    passed = len(counted) <= max_stuck and connector_problem is None
    outcome(ExitCode.OK if passed else ExitCode.FINDINGS)
    display = opts.display
    if junit:
        document = junit_document(selected, counted, passed, analysis, fail_on_set, display)
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
            env.stdout,
            pretty=env.stdout_isatty,
        )
    elif not opts.quiet:
        lines = [check_line(u, display) for u in counted]
        if connector_problem is not None:
            text = connector_text(analysis.connector, analysis.as_of, display)
            lines.append(f"connector\t{connector_problem}\t{visible(text)}")
        lines.append(
            verdict(passed, counted, selected, max_stuck, connector_problem, analysis, display)
        )
        env.stdout.write("\n".join(lines) + "\n")
    if not passed:
        raise typer.Exit(ExitCode.FINDINGS)


def check_line(user: UserState, display: Display) -> str:
    """One user that counts against the gate: UPN, state, reason, expected recovery."""
    when = display.iso(user.expected_recovery)
    recovery = f"expected recovery {when}" if when else "no automatic retry"
    if user.state == "overdue" and when:
        recovery = f"expected recovery {when} passed, no retry logged"
    return "\t".join(
        (visible(user.upn), user.state, visible(user.reason or "-"), recovery)
    )


def verdict(
    passed: bool,
    counted: list[UserState],
    selected: list[UserState],
    limit: int,
    connector_problem: str | None,
    analysis: Analysis,
    display: Display,
) -> str:
    counts = machine.state_counts(counted)
    detail = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
    as_of = f" as of {display.iso(analysis.as_of)}" if analysis.as_of else ""
    head = "ok" if passed else "FAIL"
    connector = f"; connector: {connector_problem}" if connector_problem else ""
    if not counted:
        users = "1 user" if len(selected) == 1 else f"{len(selected)} users"
        return f"{head}: {users}, none stuck or failed{connector}{as_of}"
    noun = "user" if len(counted) == 1 else "users"
    return f"{head}: {len(counted)} {noun} ({detail}), limit {limit}{connector}{as_of}"


@command(
    epilog="""Examples:

  logsync watch 'D:\\Program Files\\Microsoft Configuration Manager\\Logs'

  logsync watch --format ndjson CloudUserSync.log | jq -c 'select(.state=="overdue")'
"""
)
def watch(
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH", help="The live CloudUserSync.log, or the directory that holds it."
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table (a live view) or ndjson (one line per state change). "
            "Default: table on a terminal, ndjson when piped.",
            autocompletion=_complete(("table", "ndjson")),
            show_default=False,
        ),
    ] = None,
    all_users: Annotated[
        bool, typer.Option("--all", "-a", help="Start with every user, synced ones too.")
    ] = False,
    from_end: Annotated[
        bool,
        typer.Option(
            "--from-end", help="Read what is there for the state, but report only what follows."
        ),
    ] = False,
    user: UserOpt = None,
    tz: TzOpt = None,
    full_sync_after: FullSyncOpt = "24h",
    interval: IntervalOpt = None,
    poll: Annotated[
        float,
        typer.Option(metavar="SECONDS", min=0.05, max=0.5, help="How often to look for new lines."),
    ] = POLL_SECONDS,
    color: ColorOpt = "auto",
) -> None:
    """Follow a live log (and its rotation) and keep the report current.

    On a terminal: a live table with countdowns. Piped: first every user that is not synced,
    then one JSON line per state change, flushed at once.
    """
    env = Env.current()
    opts = common_from(env, locals(), watching=True)
    fmt = output_format(format, env, ("table", "ndjson"), "ndjson")
    follower = Follower(live_path(path))
    watcher = Watcher(follower, Tracker(TrackerOptions(opts.full_sync_after, opts.interval)))
    if not follower.path.exists():
        env.stderr.write(f"logsync: waiting for {visible(str(follower.path))} to appear\n")
        env.stderr.flush()
    rotated = rotated_path(follower.path)
    if rotated.is_file():
        for event in EventStream([str(rotated)]):
            watcher.feed(event)
    watcher.read()
    _, initial = watcher.changes(utc_now(), everyone=all_users)
    display, out = opts.display, env.stdout
    if fmt == "ndjson":
        if not from_end:
            _write_changes(initial, opts, display, out)
        while True:
            time.sleep(poll)
            watcher.read()
            _, changes = watcher.changes(utc_now(), everyone=True)
            _write_changes(changes, opts, display, out)
    console = human.make_console(out, opts.color)
    with human.live(console) as live:
        while True:
            result, _ = watcher.changes(utc_now())
            selected = [u for u in result.users if opts.wants(u.upn)]
            shown = selected if all_users else [u for u in selected if u.state in REPORTED_STATES]
            analysis = Analysis(result.as_of, [watcher.stats], result, watcher.tracker)
            status = watcher.status(utc_now(), result.interval)
            live.update(
                human.watch_view(
                    follower.path, status, result, analysis, shown, selected, display, console.width
                ),
                refresh=True,
            )
            time.sleep(poll)
            watcher.read()


def _write_changes(changes: list[Change], opts: Common, display: Display, out: IO[str]) -> None:
    wrote = False
    for change in changes:
        if not opts.wants(change.user.upn):
            continue
        record = {
            "upn": change.user.upn,
            "state": change.user.state,
            "previous": change.previous,
            "time": display.iso(change.time),
        }
        record.update(machine.user_record(change.user, display))
        out.write(json.dumps(record, separators=(",", ":")) + "\n")
        wrote = True
    if wrote:
        out.flush()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"logsync {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Analyze CloudUserSync.log: who is stuck, why, and exactly when each will recover."""


# -- entry point ----------------------------------------------------------------------------


class _Interrupted(BaseException):
    """Ctrl-C, raised past the CLI framework so that it can end quietly."""


class _PipeClosed(BaseException):
    """The reader of stdout went away (`| head`), raised past the CLI framework."""


def _on_interrupt(signum: int, frame: object) -> None:
    raise _Interrupted


_CLICK_ERROR: type[Exception] = next(
    base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException"
)
"""The framework's base of usage errors (click's, which typer may bundle under another name)."""

_OUTCOME = [ExitCode.OK]
"""The exit code the running command has decided on, before it writes its output."""


def outcome(code: ExitCode) -> None:
    """Note the command's exit code before writing: a closed pipe then ends with it."""
    _OUTCOME[0] = code


def main() -> None:
    """Console entry point: usage errors are one line; Ctrl-C and a closed pipe end quietly.

    A closed output pipe (`| head -1`) ends with the exit code the command had decided on
    before it wrote (findings or not), never with a code the pipe made up.
    """
    signal.signal(signal.SIGINT, _on_interrupt)
    # Millions of short-lived event tuples: collect cycles less eagerly (about 6 % faster).
    gc.set_threshold(100_000, 50, 50)
    try:
        code = typer.main.get_command(app).main(prog_name="logsync", standalone_mode=False)
        sys.stdout.flush()
    except _Interrupted:
        sys.exit(130)
    except (BrokenPipeError, _PipeClosed):
        _silence_stdout()
        sys.exit(_OUTCOME[0])
    except _CLICK_ERROR as exc:
        message = exc.format_message()  # type: ignore[attr-defined]
        sys.stderr.write(f"logsync: error: {one_line(message)}\n")
        sys.exit(ExitCode.USAGE)
    except typer.Abort:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)


def one_line(message: str) -> str:
    """A framework message on one line, control characters shown visibly."""
    return visible(" ".join(part.strip() for part in message.splitlines() if part.strip()))


def _silence_stdout() -> None:
    """After the reader went away (`| head`), stop Python complaining while it flushes stdout."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)
