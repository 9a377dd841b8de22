"""Options shared by the commands, declared once, and the helpers that validate them."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, tzinfo
from fnmatch import fnmatchcase
from typing import IO, TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from ..errors import InputError, UsageError
from ..formats import FORMAT_NAMES
from ..render import Display
from ..render.printers import Output, formats
from ..safety import visible
from ..times import (
    WHEN_FORMS,
    ZONE_FORMS,
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
def format_option(document: str, piped: str) -> Any:
    """The --format option of a command that writes this document (`render.printers`)."""
    choices = formats(document)
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


FormatOpt = format_option("report", "text")
SummaryFormatOpt = format_option("summary", "text")
TimelineFormatOpt = format_option("timeline", "text")
EventsFormatOpt = format_option("events", "ndjson")
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
        "--user", "-u", metavar="GLOB",
        help="Only users whose whole UPN matches this glob, case-insensitive (repeatable), as "
        "'bob*' or '*@contoso.com'. An empty value is refused.",
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
    bool, typer.Option("--quiet", "-q", help="No header lines, no notes but what the times are.")
]
InputFormatOpt = Annotated[
    str,
    typer.Option(
        "--input-format",
        metavar="FORMAT",
        help="auto, sms-trace, cmtrace or paste. Default: auto (detected per file).",
        autocompletion=_complete(("auto", *FORMAT_NAMES)), show_default=False,
    ),
]
GATE = "waiting,overdue,failed,connector"
"""`check`'s `--fail-on` when none is given."""
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        metavar="STATES",
        help="Comma-separated user states and connector problems that count against the "
        "gate (exit code 1): waiting, overdue, failed, pending, stuck (waiting and overdue), "
        "fixable (stuck users in Azure AD, with --cloud-users: a restart would add them), "
        "no_cycles, certificate_missing, connector_stalled, connector_stopped, connector (all "
        f"four). An empty value is refused. check's default: {GATE}; report's: none.",
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
    if any(not glob.strip() for glob in user or ()):  # (a gate on nobody would pass)
        raise UsageError("--user: an empty glob (an unset variable?): give a UPN or a glob")
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color: {color!r} is not one of auto, always, never")
    if input_format != "auto" and input_format not in FORMAT_NAMES:
        raise UsageError(
            f"--input-format: {input_format!r} is not one of auto, {', '.join(FORMAT_NAMES)}"
        )
    source_zone = parse_zone(source_tz, "--source-tz") if source_tz is not None else None
    from ..halves import lone_notes, renamed_note
    from ..sources import display_name, expand_paths, site_server_logs

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
        names = ", ".join(visible(display_name(name)) for name in dict.fromkeys(repeated))
        env.stderr.write(f"logsync: {names}: given more than once, read once\n")
    renamed = renamed_note(expanded, paths or [])
    for lone in [] if quiet else [*lone_notes(expanded, RUNNING[0]), *filter(None, [renamed])]:
        env.stderr.write(f"logsync: {visible(lone)}\n")
    cloud = None
    if cloud_users is not None:
        from ..cloud import read_cloud_users

        taken = (
            parse_when(cloud_users_as_of, "--cloud-users-as-of")
            if cloud_users_as_of is not None
            else None
        )
        try:
            cloud = read_cloud_users(cloud_users, taken)
        except InputError as exc:  # named with its option: it is no log
            raise InputError(f"--cloud-users {exc.source}", exc.problem) from exc
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




SHARED: dict[str, tuple[Any, Any]] = {
    "user": (UserOpt, None),
    "now": (NowOpt, None),
    "tz": (TzOpt, None),
    "source_tz": (SourceTzOpt, None),
    "full_sync_after": (FullSyncOpt, "24h"),
    "interval": (IntervalOpt, None),
    "cloud_users": (CloudUsersOpt, None),
    "cloud_users_as_of": (CloudUsersAsOfOpt, None),
    "input_format": (InputFormatOpt, "auto"),
    "color": (ColorOpt, "auto"),
    "quiet": (QuietOpt, False),
}
"""The options many commands share, declared once: (type with its option, default), in the
order their help lists them."""


class Shared(NamedTuple):
    """The shared options a command was given, as given: `common` validates them."""

    given: dict[str, Any]

    def common(self, env: Env, paths: list[str] | None, **settings: Any) -> Common:
        return common(env, paths, **self.given, **settings)


NONE_GIVEN = Shared({})
"""The default of a command's `given` parameter (the command line always gives it)."""


def shared(*names: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the shared options `names` (all of `SHARED` when none are named), in
    the place of its `given: Shared` parameter, which receives their values."""
    chosen = [name for name in SHARED if not names or name in names]

    def declare(body: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(body, eval_str=True)
        parameters: list[inspect.Parameter] = []
        for parameter in signature.parameters.values():
            if parameter.name != "given":
                parameters.append(parameter)
                continue
            parameters += [
                inspect.Parameter(
                    name,
                    inspect.Parameter.POSITIONAL_OR_KEYWORD,
                    annotation=SHARED[name][0],
                    default=SHARED[name][1],
                )
                for name in chosen
            ]

        @functools.wraps(body)
        def run(*args: Any, **kwargs: Any) -> None:
            values = {name: kwargs.pop(name) for name in chosen if name in kwargs}
            body(*args, given=Shared(values), **kwargs)

        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters}
        return run

    return declare


def output_format(
    value: str | None, env: Env, document: str, piped: str, color: str = "auto"
) -> str:
    """The chosen format of `document`, else `table` on a terminal (or with `--color always`,
    which asks for the coloured human format on any stream), else the `piped` one."""
    choices = formats(document)
    if value is None:
        return "table" if env.stdout_isatty or color == "always" else piped
    value = value.lower()  # choices ignore case
    if value not in choices:
        raise UsageError(f"--format: {value!r} is not one of {', '.join(choices)}")
    return value


def output(env: Env, opts: Common, out: IO[str] | None = None) -> Output:
    """Where a printer writes: stdout, or `out`."""
    stream = env.stdout if out is None else out
    return Output(
        stream,
        env.stderr,
        terminal=env.stdout_isatty and stream is env.stdout,
        color=opts.color,
        quiet=opts.quiet,
    )


FIXABLE_NEEDS_EXPORT = (
    "--fail-on fixable: give --cloud-users FILE (an export of Azure AD users) to tell which "
    "stuck users a restart would add"
)


def parse_fail_on(
    value: str | None, option: str = "--fail-on", cloud: bool = True
) -> frozenset[str]:
    """User states and connector problem codes from a comma-separated list; `fixable` only
    with an export of Azure AD users (`cloud`)."""
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
    if "fixable" in chosen and not cloud:
        raise UsageError(FIXABLE_NEEDS_EXPORT)
    return frozenset(chosen)
