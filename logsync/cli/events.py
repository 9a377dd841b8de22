"""`logsync events`: the typed event stream."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from .. import times
from ..errors import UsageError
from ..events import KINDS
from ..sources import STDIN, InputStats, display_name
from ..times import parse_when
from .application import Env, command
from .localtimes import note_local_times
from .notes import note_duplicates, note_runs, reading, unmatched_users
from .options import (
    NONE_GIVEN,
    Common,
    EventsFormatOpt,
    PathsArg,
    Shared,
    _complete,
    output,
    output_format,
    shared,
)

if TYPE_CHECKING:
    from ..bounds import Bound

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
    short_help="Every record as a typed event, in any of five formats.",
    epilog="""Examples:

  logsync events CloudUserSync.log | jq -c 'select(.kind=="user_add_failed")'

  logsync events -k user_add_failed --since 2026-11-25T08:00 CloudUserSync.log

  zcat export.log.gz | logsync events --format csv > events.csv
"""
)
@shared("user", "tz", "source_tz", "input_format", "color", "quiet")
def events(
    paths: PathsArg = None,
    format: EventsFormatOpt = None,
    kind: KindOpt = None,
    since: Annotated[
        str | None,
        typer.Option(
            metavar="WHEN",
            help="Only events at or after this time (an unparsed line goes with the record "
            "before it).",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(metavar="WHEN", help="Only events before this time.", show_default=False),
    ] = None,
    given: Shared = NONE_GIVEN,
) -> None:
    """The typed event stream: every record, classified; every unparsed line, with its number.

    PATHS are log files, directories or - for stdin, as for report.
    """
    env = Env.current()
    opts = given.common(env, paths)
    fmt = output_format(format, env, "events", "ndjson", opts.color)
    kinds = None
    if kind:
        kind = [k.lower() for k in kind]
        unknown = [k for k in kind if k not in KINDS]
        if unknown:
            raise UsageError(f"--kind: {unknown[0]!r} is not a kind ({', '.join(KINDS)})")
        kinds = frozenset(kind)
    from ..bounds import placed

    zone = opts.source_tz  # (a time without an offset is that zone's: see `bounds.placed`)
    start = placed(parse_when(since, "--since"), zone, "--since") if since is not None else None
    end = placed(parse_when(until, "--until"), zone, "--until") if until is not None else None
    if start is not None and end is not None and _later(start, end):
        raise UsageError(
            f"--since {since!r} is not before --until {until!r}: no time lies between them"
        )
    from ..bounds import since as since_bound
    from ..bounds import until as until_bound
    from ..selection import Filters
    from ..sources import expand_paths

    bounds = [since_bound(start)] if start is not None else []
    if end is not None:
        bounds.append(until_bound(end))
    filters = Filters(bounds, opts.wants if opts.users else None, kinds)
    # a progress bar would fight the event lines on a terminal
    with reading(opts, env, enabled=not env.stdout_isatty) as progress:
        from ..reading import events_reading
        from ..render.ndjson import FORMS
        from ..render.printers import EventsPage, InSequence, write

        names = expand_paths(opts.paths, stdin_is_pipe=False)
        how = events_reading(names, opts.read_options(), fmt in FORMS)
        if how.runs is not None:
            found = InSequence(how.runs, how.options, filters, kinds, progress, counted=how.counted)
            write("events", fmt, EventsPage((), opts.display, found), output(env, opts))
            # (the runs, not their pieces of copies)
            read = found.inputs, how.how.split, how.skipped + found.copied, found.jump
        else:
            # (held whole where a run the samples missed inside a piece cannot be placed: the
            # stream starts at once, so it could not be merged back; see `reading.placed_runs`)
            source = how.stream(names, progress)
            write("events", fmt, EventsPage(filters.kept(source), opts.display), output(env, opts))
            jump = source.jumps[0] if source.jumps else None
            read = source.inputs, source.split, source.duplicates, jump
        _note_read(*read, bounds, opts, env)
    nobody = unmatched_users(opts, filters.seen)
    if nobody is not None:
        env.stderr.write(f"logsync: {nobody}\n")


def _note_read(
    inputs: list[InputStats],
    runs: dict[str, int],
    duplicates: int,
    jump: tuple[str, int] | None,
    bounds: list[Bound],
    opts: Common,
    env: Env,
) -> None:
    """The notes on what the reading found, whichever way the events were read: times with no
    offset, inputs read as runs, records counted once, where time goes back inside a run, a
    time bound that leaves out every record (see `_note_outside`)."""
    note_local_times(inputs, opts, env)
    note_runs(runs.items(), opts, env)
    note_duplicates(duplicates, opts, env)
    if jump is not None and not opts.quiet:
        from ..safety import visible

        name, line = jump
        merged = (  # (a pipe streams: its events are written as it comes)
            "give it as a file (logsync events FILE, or < FILE) to merge its runs by time"
            if name == STDIN
            else "report, check and summary merge its runs by time"
        )
        env.stderr.write(
            f"logsync: {visible(display_name(name))}:{line}: time goes back (logs pasted "
            "together?); events are in file order (a record that two runs share is written "
            f"for each); {merged}\n"
        )
    _note_outside(bounds, inputs, opts, env, ordered=jump is None)


def _later(start: datetime, end: datetime) -> bool:
    """Whether `start` is not before `end` (no time lies between them). A time without an
    offset is read in the log's own, known only once the log is read: such a time and one with
    an offset are not compared here."""
    if (start.tzinfo is None) != (end.tzinfo is None):
        return False
    return start >= end


def _note_outside(
    bounds: list[Bound], inputs: list[InputStats], opts: Common, env: Env, ordered: bool = True
) -> None:
    """Say where a time bound leaves out every record of the inputs (the log ends before
    `--since`, or begins at or after `--until`): nothing of them was written. Not `ordered`
    (time goes back in file order), an input's first and last records are no span: what is
    said is that the bound leaves out both."""
    from ..analysis import earliest_time, latest_time

    first, last = earliest_time(inputs), latest_time(inputs)
    if opts.quiet or first is None or last is None:
        return
    for bound in bounds:
        if not bound.keeps_time(first if bound.upper else last) and (
            ordered or not bound.keeps_time(last if bound.upper else first)
        ):
            shown, when, own = opts.display.iso, bound.when, ""
            if when.tzinfo is not None and last.tzinfo is not None:
                when = when.astimezone(last.tzinfo)  # (in the log's offset, as its span)
            elif when.tzinfo is None and last.tzinfo is not None:
                # compared with the log's own clock: its span as logged, not in --tz
                shown, own = times.iso, " (the log's own time)"
            told = (
                f"leaves out every record: the input spans {shown(first)} to {shown(last)}"
                if ordered
                else f"leaves out the input's first and last records in file order "
                f"({shown(first)}, {shown(last)}), where time goes back"
            )
            env.stderr.write(f"logsync: {bound.option} {shown(when)}{own} {told}\n")
