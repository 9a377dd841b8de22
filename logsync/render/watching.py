"""`watch`'s printers: sinks that the follow loop calls with each new state of the log.

`lines` writes one JSON line per change of the connector or of a user (ndjson), `text` the same
records tab-separated; `view` keeps a live table on a terminal (table), and elsewhere writes it
whole at each such change.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple, Protocol

from . import Display, connector_record, unnamed_text

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..tracker import Connector, Result
    from ..watch import Change, Watcher
    from .pages import Output


class Sink(Protocol):
    def __call__(self, result: Result, changes: list[Change]) -> None:
        """The log's state as of now, and the changes since the last call."""


class WatchPage(NamedTuple):
    """What the watch printers show: the follower and who is asked for."""

    watcher: Watcher
    display: Display
    all_users: bool
    """Every user in the table, synced ones too (`--all`)."""
    from_end: bool
    """Report only what follows what the log holds (`--from-end`)."""
    wants: Callable[[str], bool]
    """Whether a user is asked for (`--user`)."""


Record = dict[str, object]
"""One line of `lines` or `text`: a change of the connector, of a user, or of the failed adds
no line names."""


def _json_line(record: object) -> str:
    return json.dumps(record, separators=(",", ":"))


def _text_line(record: Record) -> str:
    """A record as `text` writes it: its values in the order of its fields, tab-separated,
    control characters shown as escapes, none as `-`, a list or an object as its compact JSON;
    a user's line has a `previous_` time for each time `watch` follows (`-` where it did not
    change), so that each kind's columns stay in place."""
    from ..watch import WATCHED_TIMES
    from .machine import cell

    if record.get("kind") == "user":
        fields = [(key, value) for key, value in record.items() if not key.startswith("previous_")]
        at = [key for key, _ in fields].index("time") + 1
        previous = [(f"previous_{name}", record.get(f"previous_{name}")) for name in WATCHED_TIMES]
        fields[at:at] = previous
    else:
        fields = list(record.items())
    return "\t".join(
        cell(_json_line(value) if isinstance(value, (dict, list)) else value) for _, value in fields
    )


@contextmanager
def lines(page: WatchPage, output: Output) -> Iterator[Sink]:
    """One JSON line for the connector's new state and one per change of a user it wants,
    flushed at once; none before the logs hold a record of the connector."""
    with _changes(page, output, _json_line) as sink:
        yield sink


@contextmanager
def text(page: WatchPage, output: Output) -> Iterator[Sink]:
    """The lines of `lines`, each tab-separated: its values in the order of the JSON's fields
    (`kind` and `time` first)."""
    with _changes(page, output, _text_line) as sink:
        yield sink


@contextmanager
def _changes(page: WatchPage, output: Output, line: Callable[[Record], str]) -> Iterator[Sink]:
    """The sink of `lines` and `text`, each record written as `line` makes it."""
    watcher, display = page.watcher, page.display

    def out(record: Record) -> None:
        output.out.write(line(record) + "\n")

    started = not page.from_end  # with --from-end, what the log holds is no news

    def sink(result: Result, changes: list[Change]) -> None:
        nonlocal started
        if not watcher.holds_records:  # (a log not there yet, or empty: nothing to judge)
            started = True
            return
        connector = watcher.connector_change(result)
        unnamed = watcher.unnamed_change(result)
        if started:
            write_connector(connector, result, display, out)
            write_unnamed(unnamed, result, display, out)
            write_changes(changes, page.wants, display, out)
            output.out.flush()
        started = True

    yield sink


@contextmanager
def view(page: WatchPage, output: Output) -> Iterator[Sink]:
    """A live table, redrawn with each state: which log, its last cycle and the connector,
    then the report of the users it wants (stuck and failed ones, without `--all`); to a
    file or a pipe, the view whole at first and at each change of the connector, of the
    failed adds no line names, or of a user it wants."""
    from ..analysis import REPORTED_STATES, Analysis
    from ..watch import utc_now
    from . import human, live, machine

    watcher = page.watcher
    console = human.make_console(output.out, output.color)

    def drawn(result: Result) -> RenderableType:
        selected = [u for u in result.users if page.wants(u.upn)]
        shown = (
            selected if page.all_users else [u for u in selected if u.state in REPORTED_STATES]
        )
        counts = machine.state_counts(selected)
        analysis = Analysis(
            result.as_of, [watcher.stats], result, watcher.tracker, cloud=watcher.cloud
        )
        status = watcher.status(utc_now(), result.interval)
        return live.watch_view(
            watcher.follower.path,
            status,
            result,
            analysis,
            shown,
            counts,
            page.display,
            console.width,
        )

    if not console.is_terminal:  # (a file, a pipe: no region to redraw; each change whole)
        printed_any = False

        def printed(result: Result, changes: list[Change]) -> None:
            nonlocal printed_any
            news = [  # (each asked, as `lines` asks: it notes what was said)
                watcher.connector_change(result) is not None,
                watcher.unnamed_change(result) is not None,
                any(page.wants(change.user.upn) for change in changes),
            ]
            if printed_any and not any(news):  # (countdowns alone: no news for a file)
                return
            printed_any = True
            console.print(drawn(result))
            console.print()
            output.out.flush()

        yield printed
        return
    with live.live(console) as view_:

        def sink(result: Result, changes: list[Change]) -> None:
            view_.update(drawn(result), refresh=True)

        yield sink


def write_connector(
    connector: Connector | None, result: Result, display: Display, out: Callable[[Record], None]
) -> None:
    """A record for the connector's new state (none when it did not change)."""
    if connector is None:
        return
    record: Record = {"kind": "connector", "time": display.iso(result.as_of)}
    record.update(connector_record(connector, result.as_of, display))
    out(record)


def write_unnamed(
    count: int | None, result: Result, display: Display, out: Callable[[Record], None]
) -> None:
    """A line for the failed adds that no failure line names, when their count changed (none
    when it did not): the cycles' totals count failures whose users the log does not name."""
    if count is None:
        return
    at = result.unnamed_at
    record: Record = {
        "kind": "unnamed_failures",
        "time": display.iso(result.as_of),
        "count": count,
        "first": (
            None if at is None else {"time": display.iso(at[0]), "source": at[1], "line": at[2]}
        ),
        "text": unnamed_text(count, at),
    }
    out(record)


def write_changes(
    changes: list[Change], wants: Callable[[str], bool], display: Display,
    out: Callable[[Record], None],
) -> None:
    """A record for each change of a user that `wants` names."""
    from . import machine

    for change in changes:
        if not wants(change.user.upn):
            continue
        record: Record = {
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
        out(record)
