"""`logsync events`: the typed event stream."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from .. import times
from ..errors import UsageError
from ..events import KINDS
from ..sources import InputStats, display_name
from ..times import parse_when
from .application import Env, command
from .notes import note_duplicates, note_local_times, note_runs, reading, unmatched_users
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
    from ..bulk import Reading
    from ..pipeline import ReadOptions
    from ..seams import Piece

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
    short_help="Every record as a typed event (ndjson, csv or text).",
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
    from ..pipeline import EventStream
    from ..render.ndjson import FORMS
    from ..selection import Filters
    from ..sources import expand_paths

    bounds = [since_bound(start)] if start is not None else []
    if end is not None:
        bounds.append(until_bound(end))
    filters = Filters(bounds, opts.wants if opts.users else None, kinds)
    # a progress bar would fight the event lines on a terminal
    with reading(opts, env, enabled=not env.stdout_isatty) as progress:
        names = expand_paths(opts.paths, stdin_is_pipe=False)
        from ..bulk import how_to_read
        from ..render.printers import EventsPage, InSequence, write
        from ..seams import skipped_by

        # inputs whose samples show time going back (files pasted together) are read as their
        # runs merged by time, a record in two runs once, as every command reads them; stdin
        # is not sampled: its events stream as it comes (`tail -f log | logsync events`)
        options = opts.read_options()
        how = how_to_read(names, options, stdin=False)
        options = options._replace(after=how.after)
        runs: tuple[tuple[str, Piece | None], ...] | None = None  # (a table: the stream)
        counted: dict[tuple[str, int], InputStats] = {}
        if fmt in FORMS and len(names) == 1 and not how.split:
            runs = ((names[0], None),)  # (whatever its format: read straight from its text)
        elif fmt in FORMS:
            ordered = _in_sequence(names, how, options)
            if ordered is not None:
                runs, how, counted = ordered
                options = options._replace(after=how.after)
        if runs is not None:
            found = InSequence(runs, options, filters, kinds, progress, counted=counted)
            write("events", fmt, EventsPage((), opts.display, found), output(env, opts))
            note_local_times(found.inputs, opts, env)
            note_runs(how.split.items(), opts, env)  # (the runs, not their pieces of copies)
            skipped = sum(skipped_by(p).records for p in how.pieces.values())
            note_duplicates(skipped + found.copied, opts, env)
            if found.jump is not None:
                _note_jump(*found.jump, opts, env)
            _note_outside(bounds, found.inputs, opts, env)
        else:
            # (held whole where a run the samples missed inside a piece cannot be placed: the
            # stream starts at once, so it could not be merged back; see `reading.placed_runs`)
            source = EventStream(names, options, progress=progress, split=how.split, ends=how.ends)
            page = EventsPage(filters.kept(source), opts.display)
            write("events", fmt, page, output(env, opts))
            note_local_times(source.inputs, opts, env)
            note_runs(source.split.items(), opts, env)
            note_duplicates(source.duplicates, opts, env)
            if source.jumps:
                _note_jump(*source.jumps[0], opts, env)
            _note_outside(bounds, source.inputs, opts, env)
    nobody = unmatched_users(opts, filters.seen)
    if nobody is not None:
        env.stderr.write(f"logsync: {nobody}\n")


def _in_sequence(
    names: list[str], how: Reading, options: ReadOptions
) -> tuple[tuple[tuple[str, Piece | None], ...], Reading, dict[tuple[str, int], InputStats]] | None:
    """The runs of the inputs to write one after another (`bulk.Reading.sequence`), each
    input read whole (None) unless it is read as pieces, the reading they are of (where a
    piece holds runs the samples missed, with their seams placed: `reading.placed_runs`), and
    what each piece of copies held (read first: see `_counted`); None where they must be
    merged, where such runs cannot be placed or copies hold lines that are no record (the
    event stream merges them), or where sibling logs are read beside the connector's (only
    their records about it are written)."""
    from ..reading import placed_runs
    from ..sources import siblings_among

    if how.sequence is None or siblings_among(names):
        return None
    placed = placed_runs(names, options, how)
    if placed is None:
        return None
    found, counted = placed
    sequence = found.sequence
    if sequence is None or not _counted(found, options._replace(after=found.after), counted):
        return None
    runs = tuple((name, piece if name in found.pieces else None) for name, piece in sequence)
    return runs, found, counted


def _counted(
    how: Reading, options: ReadOptions, counted: dict[tuple[str, int], InputStats]
) -> bool:
    """Whether each piece of copies in the sequence holds records and blank lines only: the
    event stream writes a line that is neither of each copy, where it leaves out the copied
    records. What each holds is noted in `counted`, by input and offset (those read already
    are not read again)."""
    from ..bulk import read_for_counts

    for name, piece in how.sequence or ():
        if piece.copies:
            stats = counted.get((name, piece.start))
            if stats is None:
                stats = counted[name, piece.start] = InputStats(name)
                read_for_counts(name, options, stats, piece)
            if stats.lines > stats.records + stats.blank:
                return False
    return True


def _note_jump(name: str, line: int, opts: Common, env: Env) -> None:
    if not opts.quiet:
        from ..safety import visible

        env.stderr.write(
            f"logsync: {visible(display_name(name))}:{line}: time goes back (logs pasted "
            "together?); events are in file order; report, check and summary merge its "
            "runs by time\n"
        )


def _later(start: datetime, end: datetime) -> bool:
    """Whether `start` is not before `end` (no time lies between them). A time without an
    offset is read in the log's own, known only once the log is read: such a time and one with
    an offset are not compared here."""
    if (start.tzinfo is None) != (end.tzinfo is None):
        return False
    return start >= end


def _note_outside(bounds: list[Bound], inputs: list[InputStats], opts: Common, env: Env) -> None:
    """Say where a time bound leaves out every record of the inputs (the log ends before
    `--since`, or begins at or after `--until`): nothing of them was written."""
    from ..analysis import earliest_time, latest_time

    first, last = earliest_time(inputs), latest_time(inputs)
    if opts.quiet or first is None or last is None:
        return
    for bound in bounds:
        if not bound.keeps_time(first if bound.upper else last):
            shown, when, own = opts.display.iso, bound.when, ""
            if when.tzinfo is not None and last.tzinfo is not None:
                when = when.astimezone(last.tzinfo)  # (in the log's offset, as its span)
            elif when.tzinfo is None and last.tzinfo is not None:
                # compared with the log's own clock: its span as logged, not in --tz
                shown, own = times.iso, " (the log's own time)"
            env.stderr.write(
                f"logsync: {bound.option} {shown(when)}{own} leaves out every record: the "
                f"input spans {shown(first)} to {shown(last)}\n"
            )
