"""The connector's schedule as its log shows it: the interval between its cycles, and the cycle
a timer that runs out at some instant waits for (SPEC §4 rules 2 and 6).

Times written to the second (CMTrace's copied rows, pasted excerpts) cut each cycle's start to
its second: the gaps between cycles are then whole seconds around the true interval (300 s and
now and then 301 s for a connector that cycles every 300.037 s), and their median would lose
the fraction (10 s a day: a recovery foretold 10 s early). Their mean near the median does not.
And a cycle in the same second as a due time may be just before it or just after: the failure
that started the timer came after its own cycle's start, so the cycle on that schedule a day
later comes before the timer runs out, as the log in milliseconds shows.

Times with no UTC offset cannot place the hour a spring-forward skips: the cycles of the log go
on, on their schedule, an hour of the clock later (01:55, then 03:00), and a 24-hour timer
across it runs out an hour early by that clock (`skips_an_hour`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

SECOND_US = 1_000_000
MINUTE_US = 60 * SECOND_US
HOUR_US = 3600 * SECOND_US
KEPT_US = 2 * SECOND_US
"""How far from their schedule cycles may start (beyond the spread of the gaps before them)
and still be on it: times to the second, and a cycle's own few milliseconds."""


def lower_median(values: Iterable[int]) -> int:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


LONE_GAP_US = 15 * 60 * SECOND_US
"""A gap between cycles longer than this (three default intervals) measures the interval only
where another gap agrees with it (within `KEPT_US`): two cycles a day apart are those that an
excerpt kept, or a stall's ends, and a connector that cycles that slowly shows it again."""


LONGEST_US = 3600 * SECOND_US
"""The longest gap between cycles that measures the interval (the connector cycles every few
minutes): longer ones are those of cycles an excerpt kept (a user's failures a day apart, each
retry 288 cycles after the last: gaps that agree), or a stall's ends."""


def observed_interval(gaps: Collection[int], to_the_second: bool) -> int | None:
    """The interval between cycles (microseconds) from the gaps between cycles in a row: their
    median, or where times are to the second, the mean of those within a second of it; None
    where that is longer than `LONE_GAP_US` and no other gap agrees with it, or longer than
    `LONGEST_US`."""
    median = lower_median(gaps)
    if median > LONE_GAP_US and sum(abs(gap - median) <= KEPT_US for gap in gaps) < 2:
        return None
    if median > LONGEST_US:
        return None
    if not to_the_second:
        return median
    near = [gap for gap in gaps if abs(gap - median) <= SECOND_US]
    return round(sum(near) / len(near))


def next_cycle(last: int, when: int, interval: int, unit: int = 0) -> int:
    """The first cycle at or after `when` on the schedule of a cycle at `last`; where times are
    written to the second or to the minute (`unit`, microseconds), after the second or minute
    that `when` is in (see the module)."""
    if unit:
        when += unit - when % unit  # (the start of the next second, or minute)
    return last + -(-(when - last) // interval) * interval


def skips_an_hour(gaps: Sequence[int], previous: int, at: int) -> bool:
    """Whether cycles at `previous` and then at `at` (no cycle between) skip an hour of the
    clock on their schedule: the three gaps before kept one interval (within `KEPT_US`), this
    one is an hour more (within their spread and `KEPT_US`), and the clock's next hour after
    `previous` lies whole before `at`."""
    if len(gaps) < 3:
        return False
    last = sorted(gaps[-index] for index in (1, 2, 3))
    spread = last[2] - last[0]
    next_hour = previous - previous % HOUR_US + HOUR_US
    return (
        spread <= KEPT_US
        and abs(at - previous - HOUR_US - last[1]) <= spread + KEPT_US
        and at >= next_hour + HOUR_US
    )
