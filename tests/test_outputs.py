"""Exact output of the paths no other test runs: the summary table, the what-if line, events as
CSV and JSON, converted zones, watch's live view, and fast-path line numbers."""

from __future__ import annotations

import io
import json
import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.follow import Follower
from logsync.pipeline import EventStream
from logsync.render import Display, live
from logsync.tracker import Tracker, TrackerOptions
from logsync.watch import Watcher

from .conftest import LOGSYNC, SAMPLES, read_in_blocks
from .logtext import Log

runner = CliRunner()
SPEC = str(SAMPLES / "spec-case" / "CloudUserSync.log")
DAY = SAMPLES / "restart-day"


def test_summary_table_exact() -> None:
    result = runner.invoke(
        app,
        ["summary", "--format", "table", "--color", "never", str(DAY / "CloudUserSync.log"), str(DAY / "smsexec.log")],
        env={"COLUMNS": "100"},
    )
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[:5] == [
        "Connector summary · 2026-03-02 07:59:56 -05:00 → 2026-03-02 15:55:33 -05:00 (the log's end, 268d 3h",
        "ago) · 96 cycles every 5m · 2 restarts",
        "Day        ┃ Tried ┃ Held back ┃ Added ┃ Failed ┃",
        "━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━",
        "2026-03-02 │     5 │       105 │     2 │      3 │ ████████████████████",
    ]
    assert lines[5] == "Failure reasons: UserNotFound ×3"


def test_what_if_line_in_table_output() -> None:
    result = runner.invoke(
        app,
        ["report", "--format", "table", "--color", "never", "--restart-at", "2026-03-02 16:00", str(DAY / "CloudUserSync.log")],
        env={"COLUMNS": "200"},
    )
    assert result.stdout.splitlines()[-2:] == [
        "What-if restart at 2026-03-02T16:00:00-05:00 (times marked * in the table): frees 1 "
        "waiting user sooner, by up to 21h 05m.",
        "Next: Restart the SMS Executive service on the site server with the service connection "
        "point to force a full sync: it would retry 1 waiting user (yolanda@fabrikam.com) up to "
        "21h 05m sooner.",
    ]


def test_events_csv_and_json_exact() -> None:
    csv_text = runner.invoke(app, ["events", "--format", "csv", "-k", "user_add_failed", SPEC]).stdout
    assert csv_text.splitlines() == [
        "kind,time,source,line,component,thread,severity,text,upn,reason,mode,received,added,"
        "removed,thread_id,minutes,raise_failure_status,id,sev,status_component,problem",
        f"user_add_failed,2014-09-14T10:23:54-04:00,{SPEC},5,SMS_CLOUD_USERSYNC,5616,error,"
        "Failed to add user scott@contoso.com; reason UserNotFound,scott@contoso.com,UserNotFound"
        ",,,,,,,,,,,",
    ]
    document = json.loads(runner.invoke(app, ["events", "--format", "json", "-k", "add_totals", SPEC]).stdout)
    assert len(document) == 289
    assert document[-1] == {
        "kind": "add_totals",
        "time": "2014-09-15T10:24:12.411-04:00",
        "source": SPEC,
        "line": 1734,
        "component": "SMS_CLOUD_USERSYNC",
        "thread": 5616,
        "severity": "info",
        "text": "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
        "received": 1,
        "added": 1,
    }


@pytest.mark.parametrize(
    ("zone", "env", "first_failure", "recovered_at"),
    [
        ("+02:00", {}, "2014-09-14T16:23:54+02:00", "2014-09-15T16:24:12+02:00"),
        ("UTC", {}, "2014-09-14T14:23:54+00:00", "2014-09-15T14:24:12+00:00"),
        ("local", {"TZ": "Asia/Tokyo"}, "2014-09-14T23:23:54+09:00", "2014-09-15T23:24:12+09:00"),
        ("America/Los_Angeles", {}, "2014-09-14T07:23:54-07:00", "2014-09-15T07:24:12-07:00"),
    ],
)
def test_tz_converts_every_time(zone: str, env: dict[str, str], first_failure: str, recovered_at: str) -> None:
    result = subprocess.run(
        [LOGSYNC, "report", "--format", "text", "--all", "--tz", zone, SPEC],
        capture_output=True,
        env={**os.environ, **env},
        timeout=60,
    )
    (row,) = result.stdout.decode().splitlines()
    fields = row.split("\t")
    assert (fields[3], fields[9]) == (first_failure, recovered_at)


def test_watch_live_view_with_connector_status(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2026-03-02 09:00:00", ("a@contoso.com",), {"a@contoso.com": "UserNotFound"})
    log.cycle("2026-03-02 09:05:00")
    path = Path(log.write(tmp_path / "CloudUserSync.log"))
    watcher = Watcher(Follower(path), Tracker(TrackerOptions()))
    watcher.read()
    wall = datetime(2026, 3, 2, 13, 30, tzinfo=timezone.utc)  # 09:30 at -04:00
    result, _ = watcher.changes(wall)
    from logsync.analysis import Analysis

    analysis = Analysis(result.as_of, [watcher.stats], result, watcher.tracker)
    status = watcher.status(wall, result.interval)
    assert status == "silent for 25m"
    console = Console(file=io.StringIO(), width=300, color_system=None, force_terminal=False)
    shown = [u for u in result.users if u.stuck]
    console.print(live.watch_view(path, status, result, analysis, shown, result.counts, Display(), 300))
    lines = [line.rstrip() for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]
    assert lines[0] == f"Watching {path} · last cycle 2026-03-02 09:05:00 -04:00 · connector silent for 25m"
    assert lines[3].split("│")[0].strip() == "a@contoso.com"
    assert "in 23h 35m" in lines[3]
    assert watcher.status(datetime(2026, 3, 2, 13, 10, tzinfo=timezone.utc), result.interval) == "ok"


def repeated_failures_log() -> Log:
    """The same user failing 24 h apart with word-for-word identical failure lines."""
    log = Log()
    for day in (14, 15, 16):
        moment = datetime(2014, 9, day, 10, 0)
        log.cycle(moment, ("scott@contoso.com",), {"scott@contoso.com": "UserNotFound"})
        for minutes in range(5, 60, 5):
            log.cycle(moment + timedelta(minutes=minutes))
    return log


@pytest.mark.parametrize("native", [False, True])
@pytest.mark.parametrize("block", [256, 4096, 1 << 19])
def test_repeated_identical_failure_lines_keep_their_own_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, native: bool
) -> None:
    path = repeated_failures_log().write(tmp_path / "CloudUserSync.log")
    read_in_blocks(monkeypatch, block, native)
    failures = [e.line for e in EventStream([path], fast=False) if e.kind == "user_add_failed"]
    assert failures == [5, 67, 129]
    for fast in (True, False):
        (scott,) = analyze([path], fast=fast).users
        assert (scott.failure_line, scott.failures) == (129, 3)
    ndjson = runner.invoke(app, ["events", "--format", "ndjson", "-k", "user_add_failed", path]).stdout
    assert [json.loads(line)["line"] for line in ndjson.splitlines()] == [5, 67, 129]
