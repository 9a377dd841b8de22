"""`logsync watch PATH`: follow a live log and keep the report current."""

from __future__ import annotations

import select
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from ..render.printers import formats
from ..safety import visible
from ..tracker import TrackerOptions
from .application import Env, command
from .localtimes import note_local_times
from .notes import note_outdated, note_runs, unmatched_users
from .options import (
    NONE_GIVEN,
    Shared,
    _complete,
    output,
    output_format,
    shared,
)

if TYPE_CHECKING:
    from ..watch import Watcher
    from .options import Common

POLL_SECONDS = 0.5


@command(
    "PATH",
    short_help="Follow a live log and print each change as it comes.",
    epilog="""Examples:

  logsync watch 'D:\\Program Files\\Microsoft Configuration Manager\\Logs'

  logsync watch CloudUserSync.log | jq -c 'select(.state=="overdue")'
"""
)
@shared("user", "tz", "source_tz", "input_format", "full_sync_after", "interval", "cloud_users",
        "cloud_users_as_of", "color", "quiet")
def watch(
    path: Annotated[
        str,
        typer.Argument(metavar="PATH", hidden=True, show_default=False),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table (a live view; to a file or pipe, the view whole at each change), "
            "ndjson (one line per state change) or text (those lines tab-separated). Default: "
            "table on a terminal, ndjson when piped.",
            autocompletion=_complete(formats("watch")),
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
    poll: Annotated[
        float,
        typer.Option(
            metavar="SECONDS",
            min=0.05,
            max=3600,
            help="How often to look for new lines (longer for a slow share, e.g. 10).",
        ),
    ] = POLL_SECONDS,
    given: Shared = NONE_GIVEN,
) -> None:
    """Follow a live log (and its rotation) and keep the report current.

    PATH is the live CloudUserSync.log, or the directory that holds it (a log that does not
    exist yet is waited for; an archive is no live log: report reads it). What it held when the
    watch began is read first, with the history files (CloudUserSync-*.log) and the rotated .lo_
    beside it, as report reads the folder; the sibling logs beside it (CertMgr.log,
    dmpuploader.log, sitecomp.log, smsexec.log) are read once for the cause of a connector
    problem.

    On a terminal: a live table with countdowns. Piped, once the log holds records: one JSON
    line for the connector's state, one for every user that is not synced, then one per change
    of either, flushed at once
    (`kind` is `connector` or `user`): a user's line comes when its state, due time or expected
    recovery changes, and `changed` names which; a line of kind `unnamed_failures` comes when
    the cycles' totals count more failed adds that no failure line names.

    What the log already holds is checked as by report: a log of another component, or one
    with no records at all, is an error (exit 2).
    """
    env = Env.current()
    opts = given.common(env, None, without_paths=True)
    fmt = output_format(format, env, "watch", "ndjson", opts.color)
    from ..follow import Follower, live_path
    from ..tracker import Tracker
    from ..watch import Watcher, utc_now

    follower = Follower(live_path(path))
    tracker = Tracker(TrackerOptions(opts.full_sync_after, opts.interval))
    watcher = Watcher(follower, tracker, opts.read_options(), opts.cloud)
    if not follower.path.exists() and not opts.quiet:
        from ..lognames import is_history
        from ..sources import log_files

        try:  # (a folder with none of the connector's files may be the wrong one)
            held = log_files(follower.path.parent)
        except OSError:
            held = [str(follower.path)]
        logs = [  # (the log beside a mistyped name: not its history, kept by name)
            Path(name).name
            for name in held
            if name.lower().endswith(".log") and not is_history(name)
        ]
        hint = " (no CloudUserSync file in its folder yet; Ctrl-C stops)" if not held else ""
        if logs:  # (a name mistyped beside the log)
            hint = f" (its folder holds {visible(logs[-1])}: is that the one?)"
        env.stderr.write(f"logsync: waiting for {visible(str(follower.path))} to appear{hint}\n")
        env.stderr.flush()
    watcher.read_rotated()
    watcher.read()
    watcher.read_siblings()
    timed = _noted_times(watcher, opts, env)
    note_runs(watcher.runs, opts, env)
    result, initial = watcher.changes(utc_now(), everyone=all_users)
    noted_outdated = _note_outdated(watcher, frozenset(), opts, env)
    nobody = unmatched_users(opts, watcher.tracker.users.upns())  # (a new one if read again)
    if nobody is not None and watcher.last_time is not None and not opts.quiet:
        env.stderr.write(f"logsync: {nobody} so far\n")
    from ..render.printers import PRINTERS
    from ..render.watching import WatchPage

    page = WatchPage(watcher, opts.display, all_users, from_end, opts.wants)
    with PRINTERS["watch"][fmt](page, output(env, opts)) as sink:
        sink(result, initial)
        noted = False
        truncations = follower.truncations
        while True:
            _wait(poll, env.stdout)
            watcher.read()
            if follower.truncations > truncations and not opts.quiet:
                env.stderr.write(
                    f"logsync: {visible(str(follower.path))}: written anew since the last look "
                    "(truncated, or copied over): read again from its start\n"
                )
            truncations = follower.truncations
            timed = timed or _noted_times(watcher, opts, env)  # (its first records came now)
            if watcher.went_back is not None and not noted and not opts.quiet:
                at = f":{watcher.went_back}" if watcher.went_back else ""
                env.stderr.write(
                    f"logsync: {visible(str(follower.path))}{at}: time goes back (the clock set "
                    "back?); what follows is read in file order\n"
                )
                noted = True
            result, changes = watcher.changes(utc_now(), everyone=True)
            noted_outdated = _note_outdated(watcher, noted_outdated, opts, env)
            sink(result, changes)


def _wait(seconds: float, out: IO[str]) -> None:
    """Wait `seconds` between polls, unless the reader of the output goes away meanwhile (`|
    head -1` on a quiet log): then end as a write to it would, not at the next change."""
    try:
        poller = select.poll()  # (not on Windows)
        poller.register(out.fileno(), 0)  # a pipe whose reader is gone reports an error
    except (AttributeError, OSError, ValueError):
        time.sleep(seconds)
        return
    if poller.poll(seconds * 1000):
        raise BrokenPipeError


def _noted_times(watcher: Watcher, opts: Common, env: Env) -> bool:
    """Say what the log's times are (`note_local_times`, as on the wall clock) once it holds
    records; whether it does."""
    if watcher.last_time is None:
        return False
    note_local_times([watcher.rotated, watcher.stats], opts, env, watched=True)
    return True


def _note_outdated(
    watcher: Watcher, noted: frozenset[str], opts: Common, env: Env
) -> frozenset[str]:
    """Say which users of the Azure AD export the log failed with UserNotFound after it was
    taken, each once; the users said so far."""
    outdated = watcher.cloud.outdated if watcher.cloud is not None else frozenset()
    note_outdated(outdated - noted, opts, env)
    return noted | outdated

