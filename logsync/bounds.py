"""The reader's one bound rule: which records lie inside a time given on the command line.

`--now T` (and `--restart-at T`) keeps the records at or before T; `events --since S` those at
or after S, `--until U` those before U. Every bound compares alike: T without an offset is read
in the log's own time, so it compares with each record's wall-clock time as logged; T with an
offset compares as an instant with records that carry one, and is refused for records without
one (which instant they are is not known: give T without an offset, or `--source-tz`), except
a time read from the wall clock (`now`, `now-2h`), which such a log reads as its local time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from .clocks import one_instant
from .errors import UsageError
from .times import WallClock, fixed_offset, micros, moment_time

if TYPE_CHECKING:
    from .tracker import Row


class Bound:
    """One time bound: records on one side of it are kept, those on the other left out."""

    def __init__(self, when: datetime, option: str, *, upper: bool, inclusive: bool) -> None:
        self.when = when
        self.option = option
        self.upper = upper
        """True: records up to the bound are kept (`--now`, `--until`); False: from it on."""
        self.inclusive = inclusive
        """A record at the bound itself is kept."""
        self.wall = when.tzinfo is None
        """The bound has no offset: compare wall-clock times."""
        self.naive_ok = isinstance(when, WallClock)
        self.instant = 0 if self.wall else micros(when)
        self.local = micros(when.replace(tzinfo=None))
        """The bound's own wall-clock time, as microseconds (naive times count as UTC)."""

    def keeps(self, us: int, zone: tzinfo | None) -> bool:
        """Whether a record at `us` (in `zone`, None: no offset) is on the kept side."""
        if self.wall:
            return self._side(_wall_clock(us, zone), self.local)
        if zone is not None:
            return self._side(us, self.instant)
        if self.naive_ok:
            return self._side(us, self.local)
        raise UsageError(
            f"{self.option}: {self.when.isoformat()} has a UTC offset but the log times have "
            "none; give the time without an offset, or --source-tz ZONE"
        )

    def keeps_time(self, time: datetime) -> bool:
        """Whether a record at `time` (an event's) is on the kept side."""
        return self.keeps(micros(time), time.tzinfo)

    def _side(self, us: int, bound: int) -> bool:
        if self.upper:
            return us <= bound if self.inclusive else us < bound
        return us >= bound if self.inclusive else us > bound


class Cutoff(Bound):
    """`--now T` on the rows (or `--restart-at T`): every record after T is left out, and
    counted."""

    def __init__(self, when: datetime, option: str = "--now") -> None:
        super().__init__(when, option, upper=True, inclusive=True)
        self.left_out = 0
        self.first_out: tuple[int, tzinfo | None] | None = None
        """The earliest record left out whose instant is known (where the log's clock shows
        T: see `zone_at`)."""

    def leaves_out(self, us: int, zone: tzinfo | None) -> None:
        """A record left out (at `us`, in `zone`; None: no offset), counted."""
        self.left_out += 1
        if zone is not None:
            self.note_out(us, zone)

    def note_out(self, us: int, zone: tzinfo | None) -> None:
        """A record left out whose instant is known (see `first_out`)."""
        if self.first_out is None or us < self.first_out[0]:
            self.first_out = (us, zone)

    def native(self) -> tuple[bool, bool, int, int]:
        """The native scanner's form of the cutoff (see _scan.c)."""
        return (self.wall, self.naive_ok, self.instant, self.local)

    def kept(self, rows: list[Row]) -> list[Row]:
        """The rows at or before T (the others are counted with the records left out)."""
        keeps = self.keeps
        return [row for row in rows if keeps(row[0], row[1])]


def placed(when: datetime | None, zone: tzinfo | None, option: str) -> datetime | None:
    """A time given without an offset, for a log whose times without one are read in `zone`
    (`--source-tz`): that zone's time, so it compares as an instant (refused where the zone's
    clock shows it twice or never). A time read from the wall clock stays as it is."""
    if when is None or zone is None or when.tzinfo is not None or isinstance(when, WallClock):
        return when
    return one_instant(when.replace(tzinfo=zone), option, when.isoformat(), f"{zone} (--source-tz)")


def read_once(bound: Bound, keys: Sequence[int], zones: Sequence[tzinfo | None]) -> None:
    """SPEC §5: a bound without an offset compares with the records' wall-clock times, so
    where the log's offset was set back (daylight saving; `keys`: the instant each of `zones`
    began, see `tracker.ZoneTable`) and its clock showed the bound's time twice, which instant
    it means the log cannot say: refused, with the two offsets to choose from. (Clocks change
    on a quarter hour: the change is taken at the last one before the first record after it.)"""
    if not bound.wall or bound.naive_ok:
        return
    for at, before, after in zip(keys[1:], zones, zones[1:], strict=False):
        old, new = fixed_offset(before), fixed_offset(after)
        if old is not None and new is not None:
            _after_change(bound, at - at % _QUARTER_HOUR_US, old, new)


def _after_change(
    bound: Bound, change: int, old: tuple[int, str], new: tuple[int, str]
) -> bool:
    """Whether the log's clock showed the bound's time after its offset went from `old` to
    `new` at the instant `change`; a time it showed twice around it (set back) or never (set
    forward) is refused, with the two offsets to choose from."""
    local = bound.local - change
    if min(old[0], new[0]) <= local < max(old[0], new[0]):
        shown = bound.when.isoformat()
        raise UsageError(
            f"{bound.option}: {shown} is a time the log's clock showed "
            f"{'twice' if new[0] < old[0] else 'never'}, as its offset went from {old[1]} to "
            f"{new[1]}; give the offset ({shown}{old[1]} or {shown}{new[1]})"
        )
    return local >= max(old[0], new[0])


_QUARTER_HOUR_US = 15 * 60 * 1_000_000


def zone_at(cutoff: Cutoff, kept: tuple[int, tzinfo | None] | None) -> tzinfo | None:
    """The offset the log's clock used when it showed `--now` T given without one, where the
    offset changed between the last record kept (`kept`) and the first left out (daylight
    saving: those records are T's neighbours, and the change lies between them, on a quarter
    hour): the new one where T comes after the change on the new clock. A time the clock
    showed twice (set back) or never (set forward: 02:30 where 02:00 became 03:00) is refused,
    with the two offsets to choose from. None: no such change (T is read as before)."""
    out = cutoff.first_out
    if not cutoff.wall or cutoff.naive_ok or kept is None or out is None:
        return None
    old, new = fixed_offset(kept[1]), fixed_offset(out[1])
    if old is None or new is None or old[0] == new[0]:
        return None
    change = max(out[0] - out[0] % _QUARTER_HOUR_US, kept[0] + 1)
    return out[1] if _after_change(cutoff, change, old, new) else None


def since(when: datetime) -> Bound:
    """`--since`: the records at or after `when`."""
    return Bound(when, "--since", upper=False, inclusive=True)


def until(when: datetime) -> Bound:
    """`--until`: the records before `when`."""
    return Bound(when, "--until", upper=True, inclusive=False)


def _wall_clock(us: int, zone: tzinfo | None) -> int:
    """The wall-clock time of an instant in `zone`, as microseconds (naive times as UTC)."""
    fixed = fixed_offset(zone)
    if fixed is not None:
        return us + fixed[0]
    return micros(moment_time(us, zone).replace(tzinfo=None))
