"""The end of a log copied while the connector writes it (or cut there by a crash), and `--now`
inside a cycle: what the input holds of a user's last cycle is only its start.

From a sweep, two all-clears (`check` exit 0 where the log fails a user):
- the last line cut in its trailer (`Failed to add user xavier@fabrikam.com; reason
  UserNotFound  $$<SMS_CLOUD_U`) was a line of no record, and xavier `pending`;
- yolanda, waiting since 11:00, retried by the full sync after a restart and judged before that
  cycle's totals (`--now 13:00:39.996`), was `pending` (awaiting the totals), which no gate
  counted."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from logsync.formats.cutshort import cut_short
from logsync.records import Record
from logsync.sources import InputStats

from .conftest import SAMPLES, run_installed

LOG = SAMPLES / "restart-day" / "CloudUserSync.log"
LINES = LOG.read_text(encoding="utf-8-sig").splitlines()
NOTE = (
    "is a record cut short in its trailer (the log copied while it was written?): read at the "
    "time of the record before it"
)


def written(tmp_path: Path, lines: list[str], newline: bool = True) -> Path:
    path = tmp_path / "CloudUserSync.log"
    path.write_text("\n".join(lines) + ("\n" if newline else ""), encoding="utf-8")
    return path


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("cut", [1, 2, 15, 40, 60, 70, 71, 72, 73, 74])
@pytest.mark.parametrize("newline", [True, False])
def test_the_last_line_cut_in_its_trailer_is_read_at_the_time_before_it(
    tmp_path: Path, cut: int, newline: bool, pure: str
) -> None:
    """xavier's failure (line 67) is the last line, its trailer cut `cut` characters before its
    end (70: just after `$$<`; 74: after the message and one space of the two before it)."""
    assert LINES[66].startswith("Failed to add user xavier@fabrikam.com; reason UserNotFound  $$<")
    path = written(tmp_path, [*LINES[:66], LINES[66][:-cut]], newline)
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert check.returncode == 1
    assert check.stdout.decode().splitlines() == [
        "xavier@fabrikam.com\twaiting\tUserNotFound\texpected recovery 2026-03-03T09:05:01-05:00",
        "FAIL: 1 user (1 waiting), limit 0 as of 2026-03-02T09:00:04.885-05:00",
    ]
    assert check.stderr.decode().splitlines()[0] == f"logsync: {path}: line 67 {NOTE}"
    report = run_installed("report", "--format", "json", str(path), LOGSYNC_PURE=pure)
    (user,) = json.loads(report.stdout)["users"]
    assert (user["first_failure"], user["full_sync_due"]) == (
        "2026-03-02T09:00:04.885-05:00", "2026-03-03T09:00:04.885-05:00"
    )


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_record_whose_trailer_lost_its_end_inside_the_log_is_read_so_too(tmp_path: Path, pure: str) -> None:
    """Only the `>` of xavier's failure lost, the log going on after it: the same answers as the
    log's, but for the failure's time (the request's, 137 ms before)."""
    clean = json.loads(run_installed("report", "--all", "--format", "json", str(LOG), LOGSYNC_PURE=pure).stdout)
    path = written(tmp_path, [*LINES[:66], LINES[66][:-1], *LINES[67:]])
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    document = json.loads(result.stdout)
    states = [(u["upn"], u["state"]) for u in document["users"]]
    assert states == [(u["upn"], u["state"]) for u in clean["users"]]
    assert document["inputs"][0]["unparsed"] == 0
    assert result.stderr.decode().splitlines()[0] == f"logsync: {path}: line 67 {NOTE}"


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_cycle_s_start_cut_short_at_the_log_s_end_is_no_cycle(tmp_path: Path, pure: str) -> None:
    """The rotated sample cut 100 characters into line 80, a cycle's start: read at the time of
    the record before it (11:15:00.759), it was a 14th cycle off the schedule, and jan's latest
    recovery came 5 minutes early (10:15:00.759, where the 79 lines give 10:20). It is a line
    of no record, said so, and the answers are those of the 79 lines."""
    rotated = (SAMPLES / "rotated" / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    lines = rotated.splitlines()
    assert lines[79].startswith("Starting user delta sync")
    whole = written(tmp_path, lines[:79])
    cut = tmp_path / "cut.log"
    cut.write_text("\n".join(lines[:79]) + "\n" + lines[79][:100], encoding="utf-8")
    answers = []
    for path in (whole, cut):
        result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
        document = json.loads(result.stdout)
        answers.append((
            [(u["upn"], u["state"], u["expected_recovery"]) for u in document["users"]],
            document["summary"]["cycles"], document["inputs"][0]["unparsed"],
        ))
    assert answers[0] == (
        [("jan@example.org", "waiting", "2025-06-11T10:20:00+01:00"),
         ("kim@example.org", "synced", None), ("lea@example.org", "synced", None)],
        13, 0,
    )
    assert answers[1] == (answers[0][0], 13, 1)


BEFORE = Record(66, datetime.fromisoformat("2026-03-02T09:00:04.885-05:00"), "SMS_CLOUD_USERSYNC", 5616, None, "x")


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("Failed to add user x@y.com; reason UserNotFound  $$<SMS_CLOUD_U", "Failed to add user x@y.com; reason UserNotFound"),
        ("Failed to add user x@y.com; reason UserNotFound  $$<", "Failed to add user x@y.com; reason UserNotFound"),
        ("Failed to add user x@y.com; reason UserNotFound  $$<SMS_CLOUD_USERSYNC><03-02-2026 09:00:05.022+300><thread=5616 (0x15F0)  ",
         "Failed to add user x@y.com; reason UserNotFound"),
        ("Failed to add user x@y.com; reason UserNotFound  $$<SMS_CLOUD_USERSYNC><02-30-2026 09:00:05.022+300><thread=5616 (0x15F0)>",
         None),  # (a whole trailer with a day that does not exist)
        ("something the connector never writes  $$<SMS_CLOUD_U", None),
        ("$$<SMS_CLOUD_U", None),
        ("Failed to add user x@y.com; reason UserNotFound  $$<sms", None),  # (no component's start)
        ("Failed to add user x@y.com; reason UserNotFound  $", "Failed to add user x@y.com; reason UserNotFound"),
        ("Failed to add user x@y.com; reason UserNotFound ", "Failed to add user x@y.com; reason UserNotFound"),
        ("Failed to add user x@y.com; reason UserNotFound", None),  # (maybe cut in its message)
        ("Failed to add user x@y.com; reason UserNotFou", None),
        # (a cycle's start: minutes after the record before it, its time not known)
        ("Starting user delta sync, raise failure status messages = True  $$<SMS_CLOUD_USERSYNC><06-1", None),
        ("UserDeltaSync:- Users Added = 0, Users Removed = 0  $$<SMS_CLOUD_US", "UserDeltaSync:- Users Added = 0, Users Removed = 0"),
    ],
)
def test_which_lines_are_records_cut_short(raw: str, read: str | None) -> None:
    stats = InputStats("x")
    found = cut_short(raw, 67, BEFORE, stats)
    assert (found.message if found else None) == read
    if found:
        assert (found.time, found.component, found.thread, found.line) == (BEFORE.time, "SMS_CLOUD_USERSYNC", 5616, 67)
        assert stats.notes == [f"line 67 {NOTE}"]
    assert cut_short(raw, 67, None, InputStats("x")) is None  # (no record before it)


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("now", "code", "verdict"),
    [
        ("2026-03-02T13:00:39.996-05:00", 1, "FAIL: 2 users (2 pending that may be stuck), limit 0 as of 2026-03-02T13:00:39.996-05:00"),
        ("2026-03-02T13:00:40.133-05:00", 1, "FAIL: 2 users (1 waiting, 1 pending that may be stuck), limit 0 as of 2026-03-02T13:00:40.133-05:00"),
        ("2026-03-02T09:00:04.885-05:00", 0, "ok: no waiting, overdue or failed user as of 2026-03-02T09:00:04.885-05:00; 1 pending user not counted by --fail-on waiting,overdue,failed,connector"),
    ],
)
def test_a_stuck_user_retried_before_its_cycle_s_totals_may_be_stuck_still(now: str, code: int, verdict: str, pure: str) -> None:
    """At 13:00:39.996 the full sync after the restart has notified yolanda and xavier, both
    failed before, and logged neither outcome: each may be stuck still. At 09:00:04.885 xavier
    is notified for the first time, his outcome to come: a user in flight, no failure before."""
    check = run_installed("check", "--now", now, str(LOG), LOGSYNC_PURE=pure)
    assert (check.returncode, check.stdout.decode().splitlines()[-1]) == (code, verdict)
