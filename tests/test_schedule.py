"""`tracker.schedule`: the interval between cycles and the cycle a due time waits for, from
times in milliseconds and from times to the second (CMTrace's copied rows)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logsync.tracker.schedule import next_cycle, observed_interval

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


@pytest.mark.parametrize(
    ("when", "to_the_second", "expected"),
    [
        (1000 * S, False, 1000 * S),  # (a cycle at the due instant: it retries)
        (1000 * S + 1, False, 1300 * S),
        (1000 * S, True, 1300 * S),  # (in the due time's second: before it, see the module)
        (999 * S + 1, True, 1000 * S),  # (the second before: after the due time)
        (999 * S, True, 1000 * S),
    ],
)
def test_the_cycle_a_due_time_waits_for(when: int, to_the_second: bool, expected: int) -> None:
    assert next_cycle(100 * S, when, 300 * S, to_the_second) == expected


def test_a_cycle_at_the_last_microsecond_of_the_due_time_s_second_is_before_it() -> None:
    every = 1000 * S + 999_999  # (the cycle after 0 starts 999,999 µs into the second 1000)
    assert next_cycle(0, 1000 * S, every, True) == 2 * every
    assert next_cycle(0, 1000 * S, every, False) == every
