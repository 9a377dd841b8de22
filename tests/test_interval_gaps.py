"""Two cycles a day apart, as a ticket quotes them (the cycle that failed a user and one the
next day): their one gap was taken for the connector's interval (23 h 50 m, "observed").

So the connector was `running` days after its last cycle (`check` passed), and a stuck user's
expected recovery came a day late: the next cycle on a schedule of one a day. A gap longer than
a stall by the default interval is taken for the interval only where several gaps show it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logsync.tracker.schedule import FEW_GAPS, LONG_US, observed_interval

from .conftest import SAMPLES, run_installed

DEMO = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
DAY_APART = [*DEMO[241:250], *DEMO[2500:2507]]
"""heidi's failure cycle (11-24 10:05) and the cycle that holds her back the next day (09:55)."""


@pytest.fixture
def day_apart(tmp_path: Path) -> Path:
    path = tmp_path / "CloudUserSync.log"
    path.write_text("\n".join(DAY_APART) + "\n", encoding="utf-8")
    return path


def report(path: Path, pure: str, *options: str) -> dict[str, object]:
    result = run_installed("report", "--all", "--format", "json", *options, str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("pure", ["", "1"])
def test_two_cycles_a_day_apart_keep_the_default_interval(day_apart: Path, pure: str) -> None:
    assert DAY_APART[0].startswith("Starting user delta sync")
    assert "11-25-2026 09:55:04.562" in DAY_APART[9]
    found = report(day_apart, pure)
    heidi = next(u for u in found["users"] if u["upn"] == "heidi@contoso.com")  # type: ignore[attr-defined]
    assert (heidi["state"], heidi["full_sync_due"], heidi["expected_recovery"]) == (
        "waiting", "2026-11-25T10:05:08.824-08:00", "2026-11-25T10:10:04.562-08:00"
    )
    summary = run_installed("summary", "--format", "json", str(day_apart), LOGSYNC_PURE=pure)
    found = json.loads(summary.stdout)
    assert (found["cycles"], found["interval_s"], found["interval_basis"]) == (2, 300, "default")
    assert found["interval_observed"] is False


@pytest.mark.parametrize("pure", ["", "1"])
def test_days_after_two_cycles_a_day_apart_the_connector_has_stalled(day_apart: Path, pure: str) -> None:
    result = run_installed("check", "--now", "2026-11-27T12:00-08:00", str(day_apart), LOGSYNC_PURE=pure)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines()[-1] == (
        "FAIL: 4 users (1 overdue, 3 pending that may be stuck), limit 0; connector: "
        "connector_stalled as of 2026-11-27T12:00:00-08:00"
    )  # (carol, ivan and bob held back since before the input, the day between left out)


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        ([300_000_000], 300_000_000),
        ([LONG_US], LONG_US),
        ([LONG_US + 1], None),
        ([LONG_US + 1] * (FEW_GAPS - 1), None),
        ([LONG_US + 1] * FEW_GAPS, LONG_US + 1),
        ([300_000_000, 85_800_000_000], 300_000_000),  # (the lower median: one cycle, one silence)
        ([85_800_000_000, 85_800_000_000, 300_000_000], 85_800_000_000),
    ],
)
def test_which_gaps_show_an_interval(gaps: list[int], expected: int | None) -> None:
    assert observed_interval(gaps, to_the_second=False) == expected
    assert FEW_GAPS == 3 and LONG_US == 900_000_000


def test_a_long_gap_to_the_second_is_the_mean_of_those_near_it() -> None:
    gaps = [3_600_000_000, 3_601_000_000, 3_600_000_000]
    assert observed_interval(gaps, to_the_second=True) == 3_600_333_333
    assert observed_interval(gaps[:2], to_the_second=True) is None


@pytest.mark.parametrize("pure", ["", "1"])
def test_with_no_cycle_s_start_a_due_time_is_put_on_the_schedule_of_the_user_s_lines(tmp_path: Path, pure: str) -> None:
    """`grep heidi`: the cycles that named her show their schedule; her retry is predicted
    on it (the log's cycle came at 10:15:03), not at her due time itself."""
    path = tmp_path / "heidi.log"
    path.write_text("\n".join(line for line in DEMO if "heidi@" in line) + "\n", encoding="utf-8")
    heidi = report(path, pure)["users"][0]  # type: ignore[index]
    assert (heidi["state"], heidi["full_sync_due"], heidi["expected_recovery"]) == (
        "waiting", "2026-11-26T10:10:08.506-08:00", "2026-11-26T10:15:05.159-08:00"
    )
    assert heidi["expected_recovery_observed"] is False
