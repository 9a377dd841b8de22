"""`tracker.schedule`: the interval between cycles and the cycle a due time waits for, from
times in milliseconds and from times to the second (CMTrace's copied rows); the hour a
spring-forward skips in times with no offset."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logsync.tracker.schedule import next_cycle, observed_interval, skips_an_hour

S = 1_000_000


def test_times_in_milliseconds_give_the_median_gap() -> None:
    assert observed_interval([300_037_000, 300_500_000, 299_900_000], False) == 300_037_000


def test_the_mean_is_rounded_to_the_microsecond() -> None:
    assert observed_interval([300 * S, 301 * S, 301 * S], True) == 300_666_667


def test_times_to_the_second_give_the_mean_of_the_gaps_within_a_second_of_the_median() -> None:
    # (300 s and now and then 301 s: a connector that cycles every 300.25 s, cut to seconds)
    assert observed_interval([300 * S, 300 * S, 301 * S, 300 * S], True) == 300_250_000
    # a gap one second and one microsecond from the median is another thing (a late cycle)
    assert observed_interval([300 * S, 300 * S, 300 * S, 301 * S + 1], True) == 300 * S
    assert observed_interval([300 * S, 300 * S, 299 * S, 301 * S], True) == 300 * S
    assert observed_interval([300 * S, 300 * S, 300 * S, 900 * S], True) == 300 * S


@given(
    period=st.integers(min_value=60 * S, max_value=3600 * S),
    phase=st.integers(min_value=0, max_value=10**12),
    cycles=st.integers(min_value=20, max_value=200),
)
def test_cut_to_the_second_the_gaps_still_show_the_interval(period: int, phase: int, cycles: int) -> None:
    starts = [(phase + n * period) // S * S for n in range(cycles)]
    gaps = [b - a for a, b in pairwise(starts)]
    assert abs(observed_interval(gaps, True) - period) <= S // (cycles - 1) + 1


M = 60 * S


@pytest.mark.parametrize(
    ("when", "unit", "expected"),
    [
        (1000 * S, 0, 1000 * S),  # (a cycle at the due instant: it retries)
        (1000 * S + 1, 0, 1300 * S),
        (1000 * S, S, 1300 * S),  # (in the due time's second: before it, see the module)
        (999 * S + 1, S, 1000 * S),  # (the second before: after the due time)
        (999 * S, S, 1000 * S),
        # (to the minute: the cycles every 5 minutes from 100 s; a due time's minute)
        (960 * S, M, 1300 * S),  # (the minute 960-1019 s holds the cycle at 1000 s)
        (900 * S, M, 1000 * S),  # (the minute before it: after the due time)
        (940 * S, M, 1000 * S),  # (the next minute begins at 960 s: after the due time)
    ],
)
def test_the_cycle_a_due_time_waits_for(when: int, unit: int, expected: int) -> None:
    assert next_cycle(100 * S, when, 300 * S, unit) == expected


def test_a_cycle_at_the_last_microsecond_of_the_due_time_s_second_is_before_it() -> None:
    every = 1000 * S + 999_999  # (the cycle after 0 starts 999,999 µs into the second 1000)
    assert next_cycle(0, 1000 * S, every, S) == 2 * every
    assert next_cycle(0, 1000 * S, every, 0) == every
    assert next_cycle(0, 1000 * S, every) == every


H = 3600 * S
AT = 1_773_453_304 * S  # 2026-03-14 01:55:04 as a clock with no offset shows it (as UTC)


@pytest.mark.parametrize(
    ("gaps", "at", "skips"),
    [
        ([300 * S] * 3, AT + H + 300 * S, True),  # 01:55:04, then 03:00:04
        ([300 * S] * 2, AT + H + 300 * S, False),  # (no schedule kept yet)
        ([900 * S] + [300 * S] * 3, AT + H + 300 * S, True),  # (the last three gaps count)
        ([300 * S] * 3, AT + H + 302 * S, True),  # within two seconds of the schedule
        ([300 * S] * 3, AT + H + 302 * S + 1, False),
        ([300 * S] * 3, AT + H + 298 * S, True),
        ([300 * S] * 3, AT + H + 298 * S - 1, False),
        ([299 * S, 300 * S, 301 * S], AT + H + 304 * S, True),  # ... and their spread
        ([299 * S, 300 * S, 301 * S], AT + H + 304 * S + 1, False),
        ([298 * S, 300 * S, 300 * S + 1], AT + H + 300 * S, False),  # a schedule not kept
        ([298 * S, 300 * S, 300 * S], AT + H + 300 * S, True),
        ([300 * S] * 3, AT + 2 * H + 300 * S, False),  # two hours: no clock change
        ([300 * S] * 3, AT + 300 * S, False),
    ],
)
def test_cycles_skip_an_hour_on_their_schedule(gaps: list[int], at: int, skips: bool) -> None:
    assert skips_an_hour(gaps, AT, at) is skips


def test_the_hour_skipped_is_one_of_the_clock_whole_between_the_two_cycles() -> None:
    """The cycle before is before 02:00 (a time the clock showed), the cycle after at 03:00 or
    later (cycles every minute)."""
    hour = AT - AT % H + H  # 02:00:00
    minute = [60 * S] * 3
    assert skips_an_hour(minute, hour - 60 * S, hour + H) is True  # 01:59, then 03:00
    assert skips_an_hour(minute, hour - 1, hour + H + 60 * S - 1) is True  # 01:59:59.999999
    assert skips_an_hour(minute, hour, hour + H + 60 * S) is False  # 02:00, then 03:01
    assert skips_an_hour(minute, hour - 60 * S - 1, hour + H - 1) is False  # to 02:59:59.999999
