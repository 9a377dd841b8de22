"""The library entry point: `analyze(paths) -> Analysis` reads, tracks and concludes in one pass."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple, Protocol

from . import times
from .bounds import Cutoff, placed, read_once, zone_at
from .bulk import LOCATED_KINDS, RowSpec, rotated_ends
from .cloud import in_azure_ad, restart_helps
from .errors import UsageError
from .formats.paste import ensure_times
from .known import ensure_known
from .pipeline import ReadOptions, ensure_connector
from .reading import Feed, read_rows
from .samebytes import same_bytes
from .sites import no_skipped_hour, one_connector
from .sources import InputStats, Progress, copied_stats, expand_paths, without_empty
from .stats import left_out, rotated_apart, unfollowed, unheard
from .times import NO_TIMES, Now, WallClock, instant_key, iso, timeless
from .tracker import (
    CYCLE_OPENINGS,
    DEFAULT_FULL_SYNC_AFTER,
    STALL_INTERVALS,
    TRACKED_KINDS,
    Connector,
    Observer,
    Result,
    Row,
    Tracker,
    TrackerOptions,
    UserState,
)
from .tracker.schedule import MINUTE_US
from .tracker.users import user_key

if TYPE_CHECKING:
    from .cloud import CloudUsers


REPORTED_STATES = frozenset({"waiting", "overdue", "failed"})
"""The users a report lists unless asked for every one (`--all`) or by name (`--user`): the
stuck and the failed; the others are only counted."""


class Analysis(NamedTuple):
    """What the logs say about every user, as of `as_of`."""

    as_of: datetime | None
    inputs: list[InputStats]
    result: Result
    tracker: Tracker
    restart_at: datetime | None = None
    """The what-if restart time, read in the log's offset when given without one."""
    left_out: int = 0
    """Records after `--now`, left out of the judgement."""
    duplicates: int = 0
    """Records found in more than one input, counted once."""
    ended_ago: float | None = None
    """Seconds from the log's end to the wall clock, when it ended more than three intervals
    before it and the judgement is as of the log's end (SPEC §4 rule 5, `ended_ago`)."""
    ahead: float | None = None
    """Seconds from the wall clock to the log's end, when the log's UTC offsets place it more
    than three intervals after it (a clock ahead, or a bias of the wrong sign), and the
    judgement is as of the log's end."""
    wall_clock: bool = False
    """Whether `as_of` is the wall clock (`--now now`, `--restart-at now`)."""
    cloud: CloudUsers | None = None
    """The export of Azure AD users the users were checked against (`--cloud-users`)."""
    runs: tuple[tuple[str, int], ...] = ()
    """(input, runs) of each input whose time goes back (files pasted together in any order):
    its runs were merged by time as separate inputs would be (see `split_event_runs`)."""
    after_log: tuple[Row, ...] = ()
    """Sibling logs' records about the connector after its own log's last, left out: the
    judgement is as of the connector's log (see `_within_log`)."""
    listed: Collection[str] | None = ()
    """The states whose every user `result` lists (None: all); () where a match limits them."""

    @property
    def users(self) -> list[UserState]:
        return self.result.users

    @property
    def connector(self) -> Connector:
        return self.result.connector

    @property
    def unheard_within(self) -> tuple[int | None, int | None] | None:
        """Where a silence between two cycles of the input shows no stall: `CycleTotals.unheard`
        but the time after a rotated log that no input goes on from (`stats.unfollowed`), which
        only the connector's state after it concerns."""
        return unheard(self.inputs, self.tracker.totals.gaps)

    @property
    def interval_basis(self) -> str:
        """How the cycle interval is known: `observed` (the median gap between cycle starts),
        `given` (`--interval`), `default` (the input shows no two cycles in a row near enough to
        measure it: fewer than two cycle starts, an excerpt that leaves lines out, or gaps of
        more than 15 minutes that no other gap agrees with, or of more than an hour) or
        `unknown` (the input has no times: no gap can be measured, and no timer is worked out)."""
        if timeless(self.as_of):
            return "unknown"
        if self.result.interval_observed:
            return "observed"
        return "given" if self.tracker.options.interval is not None else "default"

    def upns(self) -> list[str]:
        """Every user of the inputs, as first spelled, whether listed or not."""
        return self.tracker.users.upns()


def earliest_time(inputs: Sequence[InputStats]) -> datetime | None:
    """The time of the first record of all inputs (by instant), of those read so far, but
    sibling logs' (they do not say where the connector's log begins)."""
    times = [s.first_time for s in inputs if s.first_time is not None and not s.sibling]
    return min(times, key=instant_key) if times else None


def _marked(inputs: Sequence[InputStats], ends: Mapping[str, int]) -> list[str]:
    """The inputs that hold the rotation marker but whose end a reading as pieces did not tell
    (`bulk.Reading.ends`: inputs read whole only): told from their tail, as the plain reading
    tells it, so that both conclude alike."""
    return [s.path for s in inputs if s.markers and not s.sibling and s.path not in ends]


def latest_time(inputs: Sequence[InputStats]) -> datetime | None:
    """The time of the last record of all inputs (by instant), but sibling logs' (see above)."""
    times = [s.last_time for s in inputs if s.last_time is not None and not s.sibling]
    return max(times, key=instant_key) if times else None


def resolve_now(
    now: datetime | None, reference: datetime | None, option: str = "--now"
) -> datetime | None:
    """A naive user-given time is read in the offset of the log at that time (`reference`)."""
    if now is None or reference is None:
        return now
    if isinstance(now, WallClock):
        if reference.tzinfo is None:
            return now.replace(tzinfo=None)  # the local wall clock, as a log without offsets has it
        return now.astimezone(reference.tzinfo)  # shown in the offset the log uses
    if now.tzinfo is None:  # (astimezone would read a naive time as this machine's local time)
        return now if reference.tzinfo is None else now.replace(tzinfo=reference.tzinfo)
    if now.tzinfo is not None and reference.tzinfo is None:
        raise UsageError(
            f"{option}: {now.isoformat()} has a UTC offset but the log times have none; "
            "give the time without an offset, or --source-tz ZONE"
        )
    return now.astimezone(reference.tzinfo)  # shown in the offset the log uses


def before_input(
    when: datetime, inputs: Sequence[InputStats], last: datetime | None, option: str
) -> None:
    """SPEC §5: a time to judge at before the input's first record is a usage error naming the
    input's span, up to its latest record `last` (a year typo judges nothing, and nothing to
    judge is never an all-clear)."""
    first = earliest_time(inputs)
    if first is None or instant_key(when) >= instant_key(first):
        return
    spans = "spans" if len(inputs) == 1 else "span"
    raise UsageError(
        f"{option}: {iso(when)} is before the first record of the input; "
        f"{'it' if len(inputs) == 1 else 'the inputs'} {spans} {iso(first)} to {iso(last)}"
    )


class Collector(Observer, Protocol):
    """An observer of the rows that tells what other rows it wants (the health summary)."""

    kinds: frozenset[str]
    """The kinds it reads beyond the tracked ones."""

    def messages(self, text: str) -> bool:
        """Whether a message of no known kind is one it reads (a `message` row)."""
        ...

    def start_over(self) -> None:
        """Forget every row seen: the reading starts again from the inputs' first records."""
        ...


def analyze(
    paths: Sequence[str],
    *,
    now: datetime | None = None,
    full_sync_after: timedelta = DEFAULT_FULL_SYNC_AFTER,
    interval: timedelta | None = None,
    source_tz: tzinfo | None = None,
    input_format: str | None = None,
    follow: str | None = None,
    follow_part: bool = False,
    only_followed: bool = False,
    restart_at: datetime | None = None,
    collector: Collector | None = None,
    fast: bool = True,
    progress: Progress | None = None,
    require_connector: bool = True,
    states: Collection[str] | None = None,
    match: Callable[[str], bool] | None = None,
    cloud: CloudUsers | None = None,
) -> Analysis:
    """Read `paths` (files, directories or `-`), track every user, conclude at `now`.

    Every input reaches the tracker as rows (`bulk`), for every command. With `now`, records
    after it are left out: the result is the state as of `now`. A what-if restart at
    `restart_at` is judged as of that time in the same way (give one of the two). `collector`,
    if given, sees every row, in order, after the tracker (see `Observer`). `follow` keeps one
    user's timeline (with `follow_part`, of the user it names in part: see `TrackerOptions`);
    with `only_followed`, only that user is concluded (none where the part names several).
    Unless `require_connector` is False, inputs without a record of the connector are an error
    (nothing to judge is never an all-clear). `states` and `match` limit the users listed (see
    `Tracker.result`); the counts cover every matched user. With `cloud` (an export of Azure AD
    users), each user listed says whether it is in Azure AD. `fast=False` reads through events,
    the plain path that the tests hold the rows against.
    """
    if now is not None and restart_at is not None:
        raise UsageError("--restart-at judges as of its own time: give it without --now")
    now, restart_at = placed(now, source_tz, "--now"), placed(restart_at, source_tz, "--restart-at")
    judged_at = now if now is not None else restart_at
    option = "--now" if now is not None else "--restart-at"

    def spec() -> RowSpec:
        return RowSpec(
            kinds=TRACKED_KINDS | (collector.kinds if collector is not None else frozenset()),
            located=LOCATED_KINDS
            | ({"user_add_requested"} if follow else frozenset())
            | ({"message"} if collector is not None else frozenset()),
            messages=collector.messages if collector is not None else None,
            cutoff=Cutoff(judged_at, option) if judged_at is not None else None,
            after_start=CYCLE_OPENINGS - (collector.kinds if collector else frozenset()),
        )

    options = ReadOptions(input_format=input_format, source_tz=source_tz)
    settings = TrackerOptions(
        full_sync_after=full_sync_after, interval=interval, follow=follow, follow_part=follow_part
    )
    given = expand_paths(paths, stdin_is_pipe=False)
    given, empty = without_empty(given)  # (a log just rotated: nothing in it yet)
    copies = same_bytes(given)  # an export given twice is read once
    names = [name for name in given if name not in copies]
    made: list[tuple[RowSpec, Tracker, list[Row]]] = []  # (of the last reading begun)

    def start() -> tuple[RowSpec, Feed]:
        """A new tracker for each reading (the first, or one that starts over); `late` holds
        the sibling logs' rows after the connector's last (see `_within_log`)."""
        wanted, tracker, late = spec(), _tracker(settings, collector), list[Row]()
        made[:] = [(wanted, tracker, late)]
        return wanted, lambda batches, inputs: _feed(tracker, batches, inputs, late)

    inputs, duplicates, split, runs, ends = read_rows(names, options, start, progress, fast)
    wanted, tracker, late = made[0]
    if copies:
        read = {stats.path: stats for stats in inputs}
        inputs = [
            copied_stats(read[copies[name]], name) if name in copies else read[name]
            for name in given
        ]
        duplicates += sum(inputs[given.index(name)].records for name in copies)
        originals = {name: copies.get(name, name) for name in given}
        split = {name: split[of] for name, of in originals.items() if of in split}
    inputs = [*inputs, *empty]
    ensure_times(inputs, option if judged_at is not None else None)
    one_connector(inputs, duplicates, runs, tracker.zone_table)
    no_skipped_hour(tracker.log.skipped_hour, inputs)
    apart = rotated_apart(inputs, {**rotated_ends(_marked(inputs, ends), options), **ends}, runs)
    gaps = tracker.totals.gaps = left_out(inputs, apart)
    after = tracker.totals.unfollowed = unfollowed(apart)
    tracker.totals.unheard = unheard(inputs, gaps, after)
    tracker.totals.in_a_row = unheard(inputs, left_out(inputs)) is None
    if require_connector:
        ensure_connector(inputs)
    last = latest_time(inputs)  # the last record of each input, or a row the tracker read later
    latest = tracker.latest_time()
    if latest is not None and (last is None or instant_key(latest) > instant_key(last)):
        last = latest
    as_of = last
    cutoff = wanted.cutoff
    if cutoff is not None:  # T itself, read in the offset of the last row kept (else the last)
        read_once(cutoff, tracker.zone_table.keys, tracker.zone_table.zones)
        zone = tracker.last_zone()  # (rows with no time before an excerpt's first: its own)
        zone = zone_at(cutoff, tracker.latest) or zone  # (the clock changed just after it)
        unknown = zone is False or (zone is NO_TIMES and not timeless(last))
        reference = last if unknown else datetime(2000, 1, 1, tzinfo=zone)  # type: ignore[arg-type]
        as_of = resolve_now(cutoff.when, reference, option) or cutoff.when
        before_input(as_of, inputs, last, option)
        tracker.feed_rows(late)  # (judged as of T: the sibling logs' rows up to T count)
    if require_connector and (cutoff is None or not cutoff.left_out):  # (--now before them)
        ensure_known(inputs, tracker.log.first is not None, options)
    what_if = as_of if restart_at is not None else None
    if cloud is not None:  # users the log failed after the export was taken: not known there
        cloud = cloud.outdated_by(tracker.users.values())
    helps = (
        restart_helps(cloud, tracker.users.added_domains(), what_if)
        if what_if is not None
        else None
    )
    if only_followed:
        match = _named(tracker)
    result = tracker.result(
        as_of, restart_at=what_if, states=states, match=match, restart_helps=helps
    )
    result = in_azure_ad(result, cloud)
    return Analysis(
        ended_ago=ended_ago(as_of, result.interval) if judged_at is None else None,
        ahead=ahead_of_clock(as_of, result.interval) if judged_at is None else None,
        as_of=as_of,
        inputs=inputs,
        result=result,
        tracker=tracker,
        restart_at=what_if,
        left_out=cutoff.left_out if cutoff is not None else 0,
        duplicates=duplicates,
        wall_clock=isinstance(judged_at, Now),
        cloud=cloud,
        runs=tuple(split.items()),
        after_log=tuple(late) if cutoff is None else (),
        listed=() if match is not None else None if states is None else frozenset(states),
    )


def ended_ago(end: datetime | None, interval: timedelta) -> float | None:
    """SPEC §4 rule 5: the seconds from the log's `end` to the wall clock, when the clock is
    more than three intervals past it (a log that ended long ago), else None."""
    if end is None or timeless(end):
        return None
    wall = times.wall_clock()  # (looked up when called: tests fix the clock)
    if end.tzinfo is None:
        wall = wall.replace(tzinfo=None)  # a log without offsets keeps the local wall clock
    ago = (wall - end).total_seconds()
    return ago if ago > STALL_INTERVALS * interval.total_seconds() else None


def ahead_of_clock(end: datetime | None, interval: timedelta) -> float | None:
    """The seconds from the wall clock to the log's `end`, where its offset places it more than
    three intervals after it (a time without one is not placed: its zone is not known)."""
    if end is None or timeless(end) or end.tzinfo is None:
        return None
    ahead = (end - times.wall_clock()).total_seconds()
    return ahead if ahead > STALL_INTERVALS * interval.total_seconds() else None


def _named(tracker: Tracker) -> Callable[[str], bool]:
    """Whether a UPN is that of the user the followed name names (`History.named`), if any."""
    key = tracker.history.named()
    return lambda upn: key is not None and user_key(upn) == key


def _tracker(settings: TrackerOptions, collector: Collector | None) -> Tracker:
    """A new tracker, and the collector made to forget the rows of a reading that started
    over (an input whose time goes back, inputs that overlap): it sees each row once."""
    tracker = Tracker(settings)
    tracker.observer = collector
    if collector is not None:
        collector.start_over()
    return tracker


def _feed(
    tracker: Tracker, batches: Iterator[list[Row]], inputs: Sequence[InputStats], late: list[Row]
) -> None:
    """Feed the tracker, which begins where the earliest input begins (known once the first
    batch of every input has been read); the sibling logs' rows after the connector's last are
    left in `late` (see `_within_log`)."""
    siblings = {s.path for s in inputs if s.sibling}
    if siblings:
        batches = _within_log(batches, siblings, late)
    for batch in batches:
        # (pasted text's times may be written to the second or minute: see `tracker.schedule`)
        pasted = all(s.format == "paste" for s in inputs if not s.sibling)
        tracker.log.unit = MINUTE_US if pasted else 0
        tracker.begin(earliest_time(inputs), siblings)
        tracker.feed_rows(batch)
        break
    for batch in batches:
        tracker.feed_rows(batch)


def _within_log(
    batches: Iterator[list[Row]], siblings: set[str], late: list[Row]
) -> Iterator[list[Row]]:
    """The rows, but a sibling log's rows later than the connector's latest so far wait in
    `late` until the connector's log goes on past them: those after its last row are left
    there. How far a sibling log goes does not say how far the connector's goes (a folder
    copied later, a restart logged after the connector's export): the judgement is as of the
    connector's log unless `--now` says otherwise (SPEC §4 rule 5)."""
    latest = -(1 << 62)
    for batch in batches:
        kept: list[Row] = []
        for row in batch:
            if row[4] in siblings:
                if row[0] > latest:
                    late.append(row)
                    continue
            else:
                if late:  # (before this row, by the merge)
                    kept += late
                    late.clear()
                latest = max(latest, row[0])
            kept.append(row)
        yield kept


