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


def ivan(path: Path, now: str, pure: str) -> tuple[str, str | None, int]:
    zone = ["--source-tz", "America/Los_Angeles"] if path.suffix == ".tsv" else []
    result = run_installed("report", "--format", "json", "--now", now, *zone, str(path), LOGSYNC_PURE=pure)
    user = next(u for u in json.loads(result.stdout)["users"] if u["upn"] == "ivan@contoso.com")
    gate = run_installed("check", "--fail-on", "overdue", "--now", now, *zone, str(path), LOGSYNC_PURE=pure)
    return user["state"], user["expected_recovery"], gate.returncode


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("now", "state", "code"),
    [("2026-11-25T08:33:00-08:00", "waiting", 0), ("2026-11-25T08:40:00-08:00", "overdue", 1)],
)
def test_a_cycle_in_the_due_time_s_minute_is_no_retry(
    tmp_path: Path, now: str, state: str, code: int, pure: str
) -> None:
    assert ivan(DEMO, now, pure) == (state, "2026-11-25T08:25:04.296-08:00", code)
    assert ivan(saved(tmp_path, seconds=False), now, pure) == (state, "2026-11-25T08:25:00-08:00", code)
    assert ivan(saved(tmp_path, seconds=True), now, pure) == (state, "2026-11-25T08:25:04-08:00", code)
