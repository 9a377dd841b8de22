"""The notes on stderr about the inputs' clocks: times with no UTC offset (the log's local time,
and how to place them), the notes the reading of an input's times made, and a `--source-tz`
that places an input's times at another offset than the site server's own logs show."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from .. import times
from ..formats import remarks
from ..safety import visible
from ..sources import display_name
from ..times import WallClock, human_duration
from .application import Env
from .options import Common

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from ..sources import InputStats


def note_local_times(
    inputs: Iterable[InputStats], opts: Common, env: Env, watched: bool = False
) -> None:
    """Say once that times without a UTC offset are the log's local time, and how to place
    them (pasted text, CMTrace without a bias); and what the reading of an input's times noted
    (one that begins in an hour `--source-tz`'s clock shows twice). `watched`: the times are
    judged on the wall clock (`watch`)."""
    inputs = list(inputs)
    for stats in inputs:
        remarked = remarks.note(stats)
        for note in dict.fromkeys([*stats.notes, *filter(None, [remarked])]):
            if not opts.quiet:
                name = visible(display_name(stats.path))  # (a note may quote the log's text)
                env.stderr.write(f"logsync: {name}: {visible(note)}\n")
    naive = any(s.last_time is not None and s.last_time.tzinfo is None for s in inputs)
    if opts.source_tz is not None and not opts.quiet:
        _note_zone_apart(inputs, opts.source_tz, env)
    if not naive or opts.source_tz is not None:
        return
    clock = _clock_read(opts, watched)
    if opts.quiet and clock:
        env.stderr.write(f"logsync: {clock[2:]}\n")  # (-q keeps what the times are)
    if not opts.quiet:
        # (--tz cannot show them in another zone: which instant they are is not known)
        other = ", not in --tz" if opts.display.tz is not None else ""
        env.stderr.write(
            f"logsync: the log's times carry no UTC offset: they are shown as its local "
            f"time{other}; "
            "give --source-tz ZONE (for example --source-tz America/New_York) to place them "
            f"and to count 24 h timers across a daylight-saving change{clock}\n"
        )


def _note_zone_apart(inputs: list[InputStats], zone: tzinfo, env: Env) -> None:
    """Say where `--source-tz` places an input's times at another UTC offset than an input with
    offsets of its own (a bias) shows at the same instant: CloudUserSync.log is written on one
    site server (and its sibling logs beside it), so its copies share its zone. Where it places
    none (every time has its own offset), say that it is not used for them, where their offset
    is not its own."""
    placed = [s.path for s in inputs if s.last_time is not None and s.last_time.tzinfo is zone]
    own = [s for s in inputs if s.last_time is not None and s.last_time.tzinfo not in (None, zone)]
    if not own:
        return
    shown = max(own, key=lambda stats: times.micros(stats.last_time))  # type: ignore[arg-type]
    at: datetime = shown.last_time  # type: ignore[assignment]
    given, says = at.astimezone(zone).utcoffset(), at.utcoffset()
    if given is None or says is None or given == says:
        return
    if not placed:  # (every time has its own offset: the zone places only those given bare)
        env.stderr.write(
            f"logsync: --source-tz {visible(str(zone))} is for times without a UTC offset: "
            f"the log's own say UTC{_offset(says)} at {times.iso(at)}, and are read so; the "
            f"zone (UTC{_offset(given)} then) places only --now, --since or --until given "
            "without one\n"
        )
        return
    apart = human_duration(abs((given - says).total_seconds()))
    env.stderr.write(
        f"logsync: --source-tz {visible(str(zone))} places the times of "
        f"{', '.join(visible(display_name(name)) for name in placed)} at UTC{_offset(given)}, "
        f"where {visible(display_name(shown.path))}, of the same site server, says "
        f"UTC{_offset(says)} at {times.iso(at)}: their records are placed {apart} off; give "
        "the zone of the site server that wrote them\n"
    )


def _offset(value: timedelta) -> str:
    """A UTC offset as `+05:30`, `-08:00`."""
    minutes = int(value.total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _clock_read(opts: Common, watched: bool = False) -> str:
    """What `--now now` (or `now-2h`), or `watch`'s time (`watched`), is among times with no
    UTC offset: this machine's clock, read as if the log were written in its zone (an hour of
    difference is an hour of error: a running connector taken for a stalled one)."""
    if watched:
        what, clock = "watch's time", times.wall_clock()
    elif isinstance(opts.now, WallClock) and opts.now.tzinfo is not None:
        what, clock = "--now", opts.now
    else:
        return ""
    offset = _offset(clock.utcoffset() or timedelta(0))
    return (
        f"; {what} is read on this machine's clock (UTC{offset}), as if the "
        "log were written in that zone: if it was written in another, give --source-tz"
    )


