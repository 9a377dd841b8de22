"""Rows saved from a spreadsheet with their times to the minute (`m/d/yyyy h:mm`): a due time
is then written in the same minute as the cycle that may come just before it (ivan's, due at
08:20:08.636, written 08:20; the cycle at 08:20:04, written 08:20). That cycle was taken for
his retry, and its notification without his add for evidence that the retry was skipped:
`overdue` at 08:33, where the log in milliseconds has him waiting for the 08:25 cycle. A
cycle in the due time's minute (or second, to the second) is not known to come after it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import SAMPLES, run_installed

TRAILER = re.compile(
    r"^(.*?)\s+\$\$<([^>]*)><(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)\.\d+[+-]\d+>"
    r"<thread=(\d+) \((0x[0-9A-F]+)\)>$"
)
DEMO = SAMPLES / "CloudUserSync.log"


def saved(tmp_path: Path, seconds: bool) -> Path:
    """The demo log as tab-separated rows: message, component, `m/d/yyyy h:mm[:ss]`, thread."""
    rows = []
    for line in DEMO.read_text(encoding="utf-8-sig").splitlines():
        text, component, month, day, year, hour, minute, second, thread, hexa = TRAILER.match(line).groups()  # type: ignore[union-attr]
        clock = f"{int(hour)}:{minute}" + (f":{second}" if seconds else "")
        rows.append(f"{text}\t{component}\t{int(month)}/{int(day)}/{year} {clock}\t{thread} ({hexa})")
    path = tmp_path / ("seconds.tsv" if seconds else "minutes.tsv")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def ivan(path: Path, now: str, pure: str) -> tuple[str, str | None, int, int]:
    zone = ["--source-tz", "America/Los_Angeles"] if path.suffix == ".tsv" else []
    result = run_installed("report", "--format", "json", "--now", now, *zone, str(path), LOGSYNC_PURE=pure)
    user = next(u for u in json.loads(result.stdout)["users"] if u["upn"] == "ivan@contoso.com")
    gate = run_installed("check", "--fail-on", "overdue", "--now", now, *zone, str(path), LOGSYNC_PURE=pure)
    return user["state"], user["expected_recovery"], user["skipped"], gate.returncode


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("now", "state", "skipped", "code"),
    [("2026-11-25T08:33:00-08:00", "waiting", 0, 0), ("2026-11-25T08:40:00-08:00", "overdue", 0, 1)],
)
def test_a_cycle_in_the_due_time_s_minute_is_no_retry(
    tmp_path: Path, now: str, state: str, skipped: int, code: int, pure: str
) -> None:
    # (skipped: the cycles that notified him after his due time without adding him; the
    # 08:20 cycle, in the due time's minute, is none)
    assert ivan(DEMO, now, pure) == (state, "2026-11-25T08:25:04.296-08:00", skipped, code)
    minutes = saved(tmp_path, seconds=False)
    assert ivan(minutes, now, pure) == (state, "2026-11-25T08:25:00-08:00", skipped, code)
    seconds = saved(tmp_path, seconds=True)
    assert ivan(seconds, now, pure) == (state, "2026-11-25T08:25:04-08:00", skipped, code)


def test_the_unit_of_times_is_told_by_the_cycles_starts() -> None:
    """Pasted times count as to the minute until a cycle starts off a minute (then to the
    second), and as to the second until one starts off a second (then exact)."""
    from logsync.tracker.connector import ConnectorLog
    from logsync.tracker.model import ZoneTable
    from logsync.tracker.schedule import MINUTE_US, SECOND_US

    log = ConnectorLog(ZoneTable([], []))
    log.unit = MINUTE_US
    for us, unit in [(120 * SECOND_US, MINUTE_US), (424 * SECOND_US, SECOND_US),
                     (725 * SECOND_US, SECOND_US), (1025 * SECOND_US + 37_000, 0),
                     (1380 * SECOND_US, 0)]:
        log.cycle_started((us, None), "delta", "a.log", 1)
        assert log.unit == unit
