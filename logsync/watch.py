"""Watch a live CloudUserSync.log: what it held when the watch began (its history files, its
rotated `.lo_`, the sibling logs beside it), then what is appended (followed by `follow`), read
by the tracker; the changes of each user's state, due time and expected recovery, and of the
connector's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .bulk import RowSpec, text_rows
from .errors import InputError
from .events import CAUSE_KINDS
from .follow import Follower, rotated_path
from .formats.aspasted import Pasting, undone_piece
from .merge import merge_batches
from .pipeline import (
    ReadOptions,
    detection_sample,
    ensure_connector,
    ensure_records,
    followed_format,
)
from .reading import whole_rows
from .sources import InputStats, folder_files, history_files, is_sibling
from .times import MICROSECOND, human_duration, instant_key, micros
from .tracker import TRACKED_KINDS, Connector, Result, Row, Tracker, UserState

if TYPE_CHECKING:
    from .cloud import CloudUsers

_SPEC = RowSpec(TRACKED_KINDS)
"""The rows the watch reads: those of the tracked kinds."""
_CAUSES = RowSpec(CAUSE_KINDS | {"status_message"})
"""The rows of sibling logs the watch reads: the causes of connector problems."""


@dataclass(frozen=True)
class Change:
    """A user's state, due time or expected recovery changed (previous is None for the first
    sighting)."""

    user: UserState
    previous: str | None
    """The state before (the same as the user's when only a time changed)."""
    time: datetime | None
    changed: tuple[str, ...] = ("state",)
    """What changed: `state`, `full_sync_due`, `expected_recovery` (in that order)."""
    was: dict[str, datetime | None] = field(default_factory=dict)
    """The due time and expected recovery before, for those of them that changed."""


WATCHED_TIMES = ("full_sync_due", "expected_recovery")
"""The times of a user whose change the watch reports, with its state."""


@dataclass(frozen=True)
class _Seen:
    """What the watch last reported of a user."""

    state: str
    full_sync_due: datetime | None
    expected_recovery: datetime | None
    observed: bool = False
    """Whether the expected recovery was an observed cycle (not predicted from the interval)."""


def _moved(before: datetime | None, after: datetime | None, tolerance: timedelta) -> bool:
    """Whether a time changed: appeared, went away, or moved by more than `tolerance`."""
    if before is None or after is None:
        return before is not after
    return abs(micros(after) - micros(before)) > tolerance // MICROSECOND


class Watcher:
    """Feeds the tracker from a follower, as rows, and reports state changes."""

    def __init__(
        self,
        follower: Follower,
        tracker: Tracker,
        options: ReadOptions | None = None,
        cloud: CloudUsers | None = None,
    ) -> None:
        self.follower = follower
        self.tracker = tracker
        self.options = options or ReadOptions()
        self.cloud = cloud
        """An export of Azure AD users: each user then says whether it is in it (None where
        the log failed it with UserNotFound after the export was taken: `outdated`, renewed
        with each look)."""
        self.format: str | None = None
        self.stats = follower.stats
        self._pasting: Pasting | None = None
        self.rotated = InputStats(str(rotated_path(follower.path)))
        """What the rotated `.lo_` held when the watch began."""
        self.states: dict[str, _Seen] = {}
        self.connector_state: tuple[str, str | None] | None = None
        self.unnamed = 0
        """The failed adds that no failure line names, as last reported (see `unnamed_change`)."""
        self._readers: dict[str, Callable[[str, int], list[Row]]] = {}
        self._checked = False
        self.runs: list[tuple[str, int]] = []
        """(input, runs) of each input read whole whose time goes back (see `whole_rows`)."""
        self.went_back: int | None = None
        """The line (0: unknown) where the live log's time first went back after the watch
        began: read on in file order (a clock set back)."""
        self._begun = False
        self._back = False
        self.history_records = 0
        """The connector's records in the history files (`CloudUserSync-*.log`) beside it."""

    @property
    def last_time(self) -> datetime | None:
        """The time of the last record read."""
        return self.stats.last_time or self.rotated.last_time

    @property
    def holds_records(self) -> bool:
        """Whether the logs hold a record of the connector yet (before, nothing is judged)."""
        held = self.stats.connector_records + self.rotated.connector_records
        return bool(held or self.history_records)

    def read_rotated(self) -> None:
        """Read what the history files (`CloudUserSync-*.log`) and the rotated `.lo_` already
        hold, merged by time, as `report FOLDER` reads them: the history before the live log."""
        live, rotated = self.follower.path, self.rotated.path
        # (a log named as a history file is followed, not read again as one of its history)
        history = [name for name in history_files(live.parent) if Path(name) != live]
        older = [*history, rotated]
        read: list[tuple[str, list[list[Row]], InputStats]] = []
        for path in older:
            if Path(path).is_file():
                stats = self.rotated if path == rotated else InputStats(path)
                batches, runs = whole_rows(path, self.options, stats, _SPEC)
                if runs > 1:
                    self.runs.append((path, runs))
                if stats is not self.rotated:
                    self.history_records += stats.connector_records
                read.append((path, batches, stats))
        firsts = [stats.first_time for _, _, stats in read if stats.first_time is not None]
        first = min(firsts, key=instant_key) if firsts else None
        merged = merge_batches([iter(batches) for _, batches, _ in read], [p for p, _, _ in read])
        for batch in merged:
            self.tracker.begin(first)
            self.tracker.feed_rows(batch)

    def read_siblings(self) -> None:
        """Read what the sibling logs beside the live log (CertMgr.log, ...) say about the
        connector's problems, once; one that cannot be read is passed over (it only explains)."""
        folder = self.follower.path.parent
        try:
            siblings = [name for name in folder_files(folder) if is_sibling(name)]
        except OSError:
            return
        for name in siblings:
            stats = InputStats(name)
            stats.sibling = True
            try:
                batches, runs = whole_rows(name, self.options, stats, _CAUSES)
            except InputError:
                continue
            if runs > 1:
                self.runs.append((name, runs))
            for batch in batches:
                self.tracker.log.note_causes(batch)

    def read(self) -> int:
        """Feed whatever was appended; the number of rows. Raises an input error once what the
        log holds shows it is no log of the connector (no records, or none of its records)."""
        pieces = list(self.follower.poll())
        if not pieces:
            return 0
        if self.format is None:
            sample = detection_sample([piece.text for piece in pieces])
            self._pasting, self.format = followed_format(sample, self.options)
        count = 0
        for piece in pieces:
            if self.format is None:
                self.stats.lines += piece.text.count("\n")
                self.stats.unparsed += sum(1 for line in piece.text.split("\n") if line.strip())
                continue
            text = piece.text
            if self._pasting is not None:
                text = undone_piece(self._pasting, text, self.stats)
            rows = self._reader(piece.source)("\n" + text, piece.first_line)
            self._feed(rows, self.stats)
            count += len(rows)
        if not self._begun:
            self._begun = True
            if self._back:  # what the log held when the watch began holds runs: as report reads
                self._read_whole()
        self._check()
        return count

    def _went_back(self, line: int) -> None:
        if not self._begun:
            self._back = True
        elif self.went_back is None:
            self.went_back = line

    def _read_whole(self) -> None:
        """Read again, from a new tracker, what the logs held when the watch began, the live
        log merged by time as its runs (files pasted together), as `report` reads it."""
        self.tracker = Tracker(self.tracker.options)
        self.rotated = InputStats(self.rotated.path)
        self.runs, self.history_records = [], 0
        self.read_rotated()
        stats = InputStats(self.stats.path)
        batches, runs = whole_rows(self.stats.path, self.options, stats, _SPEC)
        self.stats.take(stats)
        if runs > 1:
            self.runs.append((self.stats.path, runs))
        for batch in batches:
            self._feed(batch, self.stats)

    def _reader(self, source: str) -> Callable[[str, int], list[Row]]:
        reader = self._readers.get(source)
        if reader is None:
            assert self.format is not None
            reader = text_rows(
                source, self.format, self.options, self.stats, _SPEC, self._went_back
            )
            self._readers[source] = reader
        return reader

    def _feed(self, rows: list[Row], stats: InputStats) -> None:
        if rows:
            self.tracker.begin(self.rotated.first_time or stats.first_time)
            self.tracker.feed_rows(rows)

    def _check(self) -> None:
        """The input check of every command, on what the logs hold so far (once they hold
        something): records, records of the connector, and one of them known."""
        if self._checked:
            return
        held = [stats for stats in (self.rotated, self.stats) if stats.lines]
        if not held:
            return
        for stats in held:
            ensure_records(stats.path, stats)
        ensure_connector(held)
        self._checked = True

    def as_of(self, wall: datetime) -> datetime:
        """The wall clock (to the millisecond, as the log's times), unless the log is ahead of
        it (or has no UTC offsets)."""
        wall = wall.replace(microsecond=wall.microsecond // 1000 * 1000)
        last = self.last_time
        if last is None:
            return wall
        if last.tzinfo is None:
            return max(wall.astimezone().replace(tzinfo=None), last)
        # in the offset the log uses now, so that the view shows one offset
        return max(wall, last).astimezone(last.tzinfo)

    def changes(self, wall: datetime, everyone: bool = False) -> tuple[Result, list[Change]]:
        from .cloud import in_azure_ad

        as_of = self.as_of(wall)
        if self.cloud is not None:  # (users it holds that the log failed after it was taken)
            self.cloud = self.cloud.outdated_by(self.tracker.users.values())
        result = in_azure_ad(self.tracker.result(as_of), self.cloud)
        found = []
        every = result.interval
        for user in result.users:
            key = user.upn.lower()
            seen = self.states.get(key)
            now = _Seen(
                user.state,
                user.full_sync_due,
                user.expected_recovery,
                user.expected_recovery_observed,
            )
            if seen is None:
                self.states[key] = now
                if everyone or user.state != "synced":
                    found.append(Change(user, None, as_of))
                continue
            # a predicted recovery follows the phase of the last cycle: moving by seconds is
            # that, no news; moving by more than half an interval is another cycle (the phase
            # crossed the due time, a restart, a failure), and so is the cycle itself,
            # observed in place of the prediction
            recovery = _moved(seen.expected_recovery, now.expected_recovery, every / 2)
            moves = (
                ("state", seen.state != now.state),
                ("full_sync_due", _moved(seen.full_sync_due, now.full_sync_due, timedelta())),
                ("expected_recovery", recovery or seen.observed != now.observed),
            )
            changed = tuple(name for name, moved in moves if moved)
            if changed:
                self.states[key] = now
                was = {name: getattr(seen, name) for name in changed if name in WATCHED_TIMES}
                found.append(Change(user, seen.state, as_of, changed, was))
        return result, found

    def connector_change(self, result: Result) -> Connector | None:
        """The connector's state when it differs from the last one reported, else None."""
        connector = result.connector
        state = (connector.state, connector.code)
        if state == self.connector_state:
            return None
        self.connector_state = state
        return connector

    def unnamed_change(self, result: Result) -> int | None:
        """The count of failed adds that no failure line names (`Result.unnamed_failures`)
        when it changed since it was last reported, else None: it grows with a cycle's totals,
        and falls when users held back since before the input turn out to be the first
        cycle's failed adds."""
        if result.unnamed_failures == self.unnamed:
            return None
        self.unnamed = result.unnamed_failures
        return self.unnamed

    def status(self, wall: datetime, interval: timedelta) -> str:
        """`ok`, `silent for 12m`, `waiting for certificate`, `stopped` or `no cycle yet`: the
        tracker's judgement of the connector, in the few words of the live view."""
        as_of = self.as_of(wall)
        connector = self.tracker.connector(micros(as_of), interval // MICROSECOND)
        if connector.state == "stalled" and connector.since is not None:
            return f"silent for {human_duration((as_of - connector.since).total_seconds())}"
        return _STATUS[connector.state]


_STATUS = {
    "running": "ok",
    "stopped": "stopped",
    "waiting_for_certificate": "waiting for certificate",
    "no_cycles": "no cycle yet",
    "stalled": "silent",
}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
