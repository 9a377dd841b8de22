"""Options shared by the commands, declared once, and the helpers that validate them."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, tzinfo
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from .. import times
from ..errors import UsageError
from ..formats import FORMAT_NAMES
from ..render import Display
from ..safety import visible
from ..sources import display_name
from ..times import (
    WHEN_FORMS,
    ZONE_FORMS,
    human_duration,
    parse_duration,
    parse_when,
    parse_zone,
)
from ..tracker import (
    CONNECTOR_CODES,
    DEFAULT_FULL_SYNC_AFTER,
    FINDING_STATES,
)
from .application import RUNNING, Env

if TYPE_CHECKING:  # (imported by the functions that use them: --help needs none)
    from ..analysis import Analysis
    from ..cloud import CloudUsers
    from ..pipeline import ReadOptions
    from ..sources import InputStats, Progress


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


FAIL_ON_WORDS = (*FINDING_STATES, "stuck", "fixable", *CONNECTOR_CODES, "connector")
"""What `--fail-on` takes: the user states that are a finding, `stuck`, `fixable` (stuck users
in Azure AD, with `--cloud-users`), connector problems, `connector` (all four)."""
NO_FINDING = ("recovered", "synced")
"""User states that are no finding: a gate on them is refused."""


PathsArg = Annotated[
    list[str] | None,
    typer.Argument(metavar="PATHS", show_default=False, hidden=True),
]
"""Described in each command's help text (an argument row would show a type placeholder)."""
def format_option(choices: tuple[str, ...], piped: str) -> Any:
    """The --format option of a command that writes these formats."""
    names = ", ".join(choices[:-1]) + f" or {choices[-1]}"
    return Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{names}. Default: table on a terminal, {piped} when piped.",
            autocompletion=_complete(choices),
            show_default=False,
        ),
    ]


REPORT_FORMATS = ("table", "text", "json", "ndjson", "csv", "markdown", "html")
SUMMARY_FORMATS = ("table", "text", "json", "markdown", "html")
TIMELINE_FORMATS = ("table", "text", "json", "markdown")
FormatOpt = format_option(REPORT_FORMATS, "text")
SummaryFormatOpt = format_option(SUMMARY_FORMATS, "text")
TimelineFormatOpt = format_option(TIMELINE_FORMATS, "text")
NowOpt = Annotated[
    str | None,
    typer.Option(
        metavar="WHEN",
        help="Judge the state as of this time, from the records at or before it (later ones "
        f"are left out). Default: the latest record's time. WHEN is {WHEN_FORMS} offset.",
        show_default=False,
    ),
]
TzOpt = Annotated[
    str | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        help=f"Show times in this zone: {ZONE_FORMS}. Default: as logged.",
        show_default=False,
    ),
]
SourceTzOpt = Annotated[
    str | None,
    typer.Option(
        "--source-tz",
        metavar="ZONE",
        help="Zone of log times that carry no UTC offset (pasted text, CMTrace without bias), "
        "given like --tz.",
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
        help="Comma-separated user states (waiting, overdue, failed, pending, stuck; fixable: "
        "stuck and in Azure AD, with --cloud-users) and connector problems (no_cycles, "
        "certificate_missing, connector_stalled, connector_stopped, connector: all four) that "
        "make the exit code 1.",
        autocompletion=_complete_list(FAIL_ON_WORDS),
        show_default=False,
    ),
]


CloudUsersOpt = Annotated[
    str | None,
    typer.Option(
        "--cloud-users",
        metavar="FILE",
        help="An export of the users in Azure AD (the admin center's CSV, Export-Csv of "
        "Get-MgUser or Get-MsolUser, az ad user list JSON, or one UPN per line): says which "
        "stuck users a restart of SMS Executive would add, and which it cannot.",
        show_default=False,
    ),
]
CloudUsersAsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--cloud-users-as-of",
        metavar="WHEN",
        help="When the --cloud-users export was taken. Default: the file's modification time.",
        show_default=False,
    ),
]


class Common(NamedTuple):
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
    cloud: CloudUsers | None = None

    def read_options(self) -> ReadOptions:
        from ..pipeline import ReadOptions

        return ReadOptions(input_format=self.input_format, source_tz=self.source_tz)

    def wants(self, upn: str) -> bool:
        key = upn.lower()
        return not self.users or any(fnmatchcase(key, glob.lower()) for glob in self.users)

    def analyze(self, **extra: Any) -> Analysis:
        from ..analysis import analyze

        return analyze(
            self.paths,
            now=self.now,
            full_sync_after=self.full_sync_after,
            interval=self.interval,
            source_tz=self.source_tz,
            input_format=self.input_format,
            cloud=self.cloud,
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
    cloud_users: str | None = None,
    cloud_users_as_of: str | None = None,
) -> Common:
    color, input_format = color.lower(), input_format.lower()  # choices ignore case
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color: {color!r} is not one of auto, always, never")
    if input_format != "auto" and input_format not in FORMAT_NAMES:
        raise UsageError(
            f"--input-format: {input_format!r} is not one of auto, {', '.join(FORMAT_NAMES)}"
        )
    source_zone = parse_zone(source_tz, "--source-tz") if source_tz is not None else None
    from ..sources import expand_paths, lone_logs, rotated_note, site_server_logs

    repeated: list[str] = []
    found = None
    if not paths and not without_paths and not env.stdin_is_pipe:
        found = site_server_logs()  # on the site server itself: its log folder
    expanded = (
        []
        if without_paths
        else expand_paths([found] if found else paths or [], env.stdin_is_pipe, repeated)
    )
    if found and not quiet:
        names = ", ".join(visible(name) for name in expanded)
        env.stderr.write(f"logsync: reading {names} (this site server's log folder)\n")
    if repeated and not quiet:
        names = ", ".join(visible(name) for name in dict.fromkeys(repeated))
        env.stderr.write(f"logsync: {names}: given more than once, read once\n")
    if not quiet:
        for log, rotated in lone_logs(expanded):
            env.stderr.write(f"logsync: {visible(rotated_note(log, rotated, RUNNING[0]))}\n")
    cloud = None
    if cloud_users is not None:
        from ..cloud import read_cloud_users

        taken = (
            parse_when(cloud_users_as_of, "--cloud-users-as-of")
            if cloud_users_as_of is not None
            else None
        )
        cloud = read_cloud_users(cloud_users, taken)
        if not quiet:
            zone = parse_zone(tz, "--tz") if tz else None
            env.stderr.write(f"logsync: Azure AD export {visible(cloud.describe(zone))}\n")
            note = cloud.malformed_note()
            if note is not None:
                env.stderr.write(f"logsync: {visible(cloud.path)}: {note}, left out\n")
    elif cloud_users_as_of is not None:
        raise UsageError("--cloud-users-as-of: give it with --cloud-users FILE")
    return Common(
        cloud=cloud,
        paths=expanded,
        display=Display(parse_zone(tz, "--tz") if tz is not None else None),
        source_tz=source_zone,
        input_format=None if input_format == "auto" else input_format,
        color=color,
        quiet=quiet,
        now=parse_when(now, "--now") if now is not None else None,
        full_sync_after=parse_duration(full_sync_after, "--full-sync-after"),
        interval=parse_duration(interval, "--interval") if interval is not None else None,
        users=tuple(user or ()),
    )




PROGRESS_MIN_BYTES = 32 << 20
"""Inputs smaller than this are read too fast for a progress bar to help."""


@contextmanager
def reading(opts: Common, env: Env, enabled: bool = True) -> Iterator[Progress | None]:
    """A progress callback drawing a bar on stderr, for long inputs and a terminal only."""
    total = sum(os.path.getsize(p) for p in opts.paths if p != "-" and os.path.isfile(p))
    if not enabled or opts.quiet or not env.stderr_isatty or total < PROGRESS_MIN_BYTES:
        yield None
        return
    from ..render import human

    with human.byte_progress(total, env.stderr, opts.color) as advance:
        yield advance


def output_format(
    value: str | None, env: Env, allowed: Iterable[str], piped: str, color: str = "auto"
) -> str:
    """The chosen format, else `table` on a terminal (or with `--color always`, which asks for
    the coloured human format on any stream), else the `piped` one."""
    choices = list(allowed)
    if value is None:
        return "table" if env.stdout_isatty or color == "always" else piped
    value = value.lower()  # choices ignore case
    if value not in choices:
        raise UsageError(f"--format: {value!r} is not one of {', '.join(choices)}")
    return value




def parse_fail_on(value: str | None, option: str = "--fail-on") -> frozenset[str]:
    """User states and connector problem codes from a comma-separated list."""
    if value is None:
        return frozenset()
    chosen: set[str] = set()
    for part in value.split(","):
        name = part.strip().lower()
        if name in NO_FINDING:
            raise UsageError(
                f"{option}: {part.strip()!r} is no finding (the user was added); give one of "
                f"{', '.join(FAIL_ON_WORDS)}"
            )
        if name == "stuck":
            chosen |= {"waiting", "overdue"}
        elif name == "connector":
            chosen |= set(CONNECTOR_CODES)
        elif name in FAIL_ON_WORDS:
            chosen.add(name)
        elif name:
            raise UsageError(f"{option}: {part.strip()!r} is not one of {', '.join(FAIL_ON_WORDS)}")
    if not chosen:  # an unset CI variable must not switch the gate off
        raise UsageError(
            f"{option}: {value!r} names nothing to fail on; give one or more of "
            f"{', '.join(FAIL_ON_WORDS)}"
        )
    return frozenset(chosen)


MAX_SUGGESTIONS = 5


def did_you_mean(wanted: str, names: Iterable[str]) -> str:
    """`; did you mean heidi@contoso.com?` for a part of a UPN (or a glob, or a close spelling),
    or nothing."""
    key = wanted.lower().strip("*?[]")
    names = list(names)
    found = [name for name in names if key and key in name.lower()]
    if not found:
        lowered = {name.lower(): name for name in names}
        close = difflib.get_close_matches(key, lowered, MAX_SUGGESTIONS, 0.85)
        found = [lowered[name] for name in close]
    if not found:
        return ""
    shown = ", ".join(visible(name) for name in found[:MAX_SUGGESTIONS])
    more = f" and {len(found) - MAX_SUGGESTIONS} more" if len(found) > MAX_SUGGESTIONS else ""
    return f"; did you mean {shown}{more}?"


def unmatched_users(opts: Common, upns: Iterable[str]) -> str | None:
    """`--user bobb@contoso.com matches no user of the log; did you mean …?` when the `--user`
    globs match none of `upns`, else None."""
    names = list(upns)
    if not opts.users or any(opts.wants(name) for name in names):
        return None
    globs = " ".join(f"--user {visible(glob)}" for glob in opts.users)
    noun = "matches" if len(opts.users) == 1 else "match"
    return f"{globs} {noun} no user of the log{did_you_mean(opts.users[0], names)}"


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
    note_local_times(analysis.inputs, opts, env)
    note_runs(analysis.runs, opts, env)
    note_duplicates(analysis.duplicates, opts, env)
    note_log_end(analysis, opts, env)
    undetermined = analysis.result.undetermined
    if undetermined and not opts.quiet:
        users = "1 user was" if undetermined == 1 else f"{undetermined} users were"
        env.stderr.write(
            f"logsync: {users} notified with no outcome in the log: the counts of their cycles "
            "cannot say whether they were held back by a failure before it; the earlier log "
            "(CloudUserSync.lo_) would tell\n"
        )
    return analysis


def note_log_end(analysis: Analysis, opts: Common, env: Env) -> None:
    """SPEC §4 rule 5: say once on stderr that the log has no times, or that it ended long
    before the wall clock (`Analysis.ended_ago`)."""
    if opts.quiet:
        return
    end = analysis.as_of
    if times.timeless(end):
        env.stderr.write(
            f"logsync: {times.NO_TIMES_REASON}: its lines are read in order; every time, timer "
            "and due time is null\n"
        )
    elif analysis.ended_ago is not None:
        env.stderr.write(
            f"logsync: the log ends {opts.display.iso(end)} ({human_duration(analysis.ended_ago)}"
            " ago); times are as of its last record; --now now judges as of now\n"
        )


def note_runs(runs: Iterable[tuple[str, int]], opts: Common, env: Env) -> None:
    """Say which inputs hold runs whose times go back (files pasted together): read merged by
    time, as separate files would be."""
    if opts.quiet:
        return
    for name, count in runs:
        back = "once" if count == 2 else f"{count - 1} times"
        env.stderr.write(
            f"logsync: {visible(display_name(name))}: time goes back {back} (logs pasted "
            f"together?); its {count} runs are merged by time\n"
        )


def note_duplicates(duplicates: int, opts: Common, env: Env) -> None:
    """Say how many records two inputs both held (overlapping exports), each counted once."""
    if duplicates and not opts.quiet:
        records = "1 record" if duplicates == 1 else f"{duplicates:,} records"
        env.stderr.write(
            f"logsync: {records} found in more than one input (the same instant, thread, "
            "component and text) counted once; the copies were left out\n"
        )


def note_local_times(inputs: Iterable[InputStats], opts: Common, env: Env) -> None:
    """Say once that times without a UTC offset are the log's local time, and how to place
    them (pasted text, CMTrace without a bias)."""
    naive = any(s.last_time is not None and s.last_time.tzinfo is None for s in inputs)
    if naive and opts.source_tz is None and opts.display.tz is None and not opts.quiet:
        env.stderr.write(
            "logsync: the log's times carry no UTC offset: they are shown as its local time; "
            "give --source-tz ZONE (for example --source-tz America/New_York) to place them\n"
        )


# -- commands -------------------------------------------------------------------------------


REPORTED_STATES = frozenset({"waiting", "overdue", "failed"})
