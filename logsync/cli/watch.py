"""`logsync watch PATH`: follow a live log and keep the report current."""

from __future__ import annotations

import json
import time
from typing import IO, TYPE_CHECKING, Annotated

import typer

from ..render import Display, connector_record
from ..safety import visible
from ..tracker import Connector, Result, TrackerOptions
from .application import Env, command
from .options import (
    REPORTED_STATES,
    CloudUsersAsOfOpt,
    CloudUsersOpt,
    ColorOpt,
    Common,
    FullSyncOpt,
    InputFormatOpt,
    IntervalOpt,
    QuietOpt,
    SourceTzOpt,
    TzOpt,
    UserOpt,
    _complete,
    common,
    output_format,
    unmatched_users,
)

if TYPE_CHECKING:
    from ..watch import Change

POLL_SECONDS = 0.5


@command(
    "PATH",
    epilog="""Examples:

  logsync watch 'D:\\Program Files\\Microsoft Configuration Manager\\Logs'

  logsync watch --format ndjson CloudUserSync.log | jq -c 'select(.state=="overdue")'
"""
)
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
    source_tz: SourceTzOpt = None,
    input_format: InputFormatOpt = "auto",
    full_sync_after: FullSyncOpt = "24h",
    interval: IntervalOpt = None,
    poll: Annotated[
        float,
        typer.Option(
            metavar="SECONDS",
            min=0.05,
            max=3600,
            help="How often to look for new lines (longer for a slow share, e.g. 10).",
        ),
    ] = POLL_SECONDS,
    cloud_users: CloudUsersOpt = None,
    cloud_users_as_of: CloudUsersAsOfOpt = None,
    color: ColorOpt = "auto",
    quiet: QuietOpt = False,
) -> None:
    """Follow a live log (and its rotation) and keep the report current.

    PATH is the live CloudUserSync.log, or the directory that holds it (a log that does not
    exist yet is waited for). The sibling logs beside it (CertMgr.log, dmpuploader.log,
    sitecomp.log) are read once for the cause of a connector problem.

    On a terminal: a live table with countdowns. Piped: one JSON line for the connector's state,
    one for every user that is not synced, then one per change of either, flushed at once
    (`kind` is `connector` or `user`): a user's line comes when its state, due time or expected
    recovery changes, and `changed` names which.

    What the log already holds is checked as by report: a log of another component, or one
    with no records at all, is an error (exit 2).
    """
    from ..render import machine
    env = Env.current()
    opts = common(
        env,
        None,
        without_paths=True,
        tz=tz,
        source_tz=source_tz,
        input_format=input_format,
        color=color,
        quiet=quiet,
        full_sync_after=full_sync_after,
        interval=interval,
        user=user,
        cloud_users=cloud_users,
        cloud_users_as_of=cloud_users_as_of,
    )
    fmt = output_format(format, env, ("table", "ndjson"), "ndjson", opts.color)
    from ..analysis import Analysis
    from ..tracker import Tracker
    from ..watch import Follower, Watcher, live_path, utc_now

    follower = Follower(live_path(path))
    tracker = Tracker(TrackerOptions(opts.full_sync_after, opts.interval))
    watcher = Watcher(follower, tracker, opts.read_options(), opts.cloud)
    if not follower.path.exists() and not opts.quiet:
        env.stderr.write(f"logsync: waiting for {visible(str(follower.path))} to appear\n")
        env.stderr.flush()
    watcher.read_rotated()
    watcher.read()
    watcher.read_siblings()
    result, initial = watcher.changes(utc_now(), everyone=all_users)
    nobody = unmatched_users(opts, tracker.upns())
    if nobody is not None and watcher.last_time is not None and not opts.quiet:
        env.stderr.write(f"logsync: {nobody} so far\n")
    display, out = opts.display, env.stdout
    if fmt == "ndjson":
        connector = watcher.connector_change(result)
        if not from_end:
            _write_connector(connector, result, display, out)
            _write_changes(initial, opts, display, out)
        while True:
            time.sleep(poll)
            watcher.read()
            result, changes = watcher.changes(utc_now(), everyone=True)
            _write_connector(watcher.connector_change(result), result, display, out)
            _write_changes(changes, opts, display, out)
    from ..render import human

    console = human.make_console(out, opts.color)
    with human.live(console) as live:
        while True:
            result, _ = watcher.changes(utc_now())
            selected = [u for u in result.users if opts.wants(u.upn)]
            shown = selected if all_users else [u for u in selected if u.state in REPORTED_STATES]
            counts = machine.state_counts(selected)
            analysis = Analysis(
                result.as_of, [watcher.stats], result, watcher.tracker, cloud=opts.cloud
            )
            status = watcher.status(utc_now(), result.interval)
            live.update(
                human.watch_view(
                    follower.path, status, result, analysis, shown, counts, display, console.width
                ),
                refresh=True,
            )
            time.sleep(poll)
            watcher.read()


def _write_connector(
    connector: Connector | None, result: Result, display: Display, out: IO[str]
) -> None:
    """A line for the connector's new state (none when it did not change)."""
    if connector is None:
        return
    record: dict[str, object] = {"kind": "connector", "time": display.iso(result.as_of)}
    record.update(connector_record(connector, result.as_of, display))
    out.write(json.dumps(record, separators=(",", ":")) + "\n")
    out.flush()


def _write_changes(changes: list[Change], opts: Common, display: Display, out: IO[str]) -> None:
    from ..render import machine
    wrote = False
    for change in changes:
        if not opts.wants(change.user.upn):
            continue
        record = {
            "kind": "user",
            "upn": change.user.upn,
            "state": change.user.state,
            "previous": change.previous,
            "changed": list(change.changed),
            "time": display.iso(change.time),
        }
        record.update(
            (f"previous_{name}", display.iso(when)) for name, when in change.was.items()
        )
        record.update(machine.user_record(change.user, display))
        out.write(json.dumps(record, separators=(",", ":")) + "\n")
        wrote = True
    if wrote:
        out.flush()
