"""Honest verdicts (SPEC §4 rule 2, §5): held-back users, nothing judged on nothing, the
connector in every verdict, outputs and exit codes that agree."""

from __future__ import annotations

import json
import os
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.health import HealthCollector
from logsync.pipeline import EventStream
from logsync.times import iso

from .conftest import LOGSYNC, REAL_LOGS, SAMPLES, without_log_end_note
from .logtext import Log

UNF = "UserNotFound"
NOTIFY = "NotifyAccountAddition - SCCM user to add = {}"
FAILED = "Failed to add user {}; reason UserNotFound"
TOTALS = "Total received users to add from SCCM = {}, Total Successfully added users to Cloud = {}"
START = "Starting user delta sync, raise failure status messages = True"
DEMO = str(SAMPLES / "CloudUserSync.log")
runner = CliRunner()


def logsync(*args: str, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [LOGSYNC, *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "160", **env},
    )


def seed_log() -> Log:
    """SPEC §1's story in the seed's own lines: scott fails 9/14 10:23:54 EDT; every later
    cycle notifies him with `received = 0` (held back by his 24 h timer)."""
    log = Log(bias=240)
    log.at("2014-09-14 10:23:50", START)
    log.at("2014-09-14 10:23:54", NOTIFY.format("scott@contoso.com"))
    log.at("2014-09-14 10:23:54", FAILED.format("scott@contoso.com"))
    log.at("2014-09-14 10:23:54", TOTALS.format(1, 0))
    return log


def steady_state(log: Log, when: datetime, *notified: str, received: int = 0, added: int = 0) -> Log:
    """The seed's steady-state block: a cycle notifying users, then its totals."""
    return log.steady(when, *notified, received=received, added=added)


def states(path: str, **options: object) -> dict[str, str]:
    return {u.upn: u.state for u in analyze([path], **options).users}  # type: ignore[arg-type]


# -- rule 2: held-back users ---------------------------------------------------------------


def test_a_held_back_user_and_a_new_user_in_one_cycle(tmp_path: Path) -> None:
    log = seed_log()
    steady_state(log, datetime(2014, 9, 14, 10, 28, 50), "scott@contoso.com")
    # scott is held back; dana is really sent: received = 1, added = 1
    steady_state(
        log, datetime(2014, 9, 14, 10, 33, 50), "scott@contoso.com", "dana@contoso.com",
        received=1, added=1,
    )
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    users = {u.upn: u for u in analysis.users}
    assert users["dana@contoso.com"].state == "synced"
    assert iso(users["dana@contoso.com"].synced_at) == "2014-09-14T10:33:52-04:00"
    scott = users["scott@contoso.com"]
    assert (scott.state, scott.failures, iso(scott.full_sync_due)) == (
        "waiting", 1, "2014-09-15T10:23:54-04:00",
    )
    assert analysis.result.unreconciled_count == 0


def test_a_held_back_user_and_a_user_whose_retry_succeeds_in_one_cycle(tmp_path: Path) -> None:
    log = Log(bias=240)
    log.at("2014-09-14 10:00:00", START)
    log.at("2014-09-14 10:00:02", NOTIFY.format("erin@contoso.com"))
    log.at("2014-09-14 10:00:02", FAILED.format("erin@contoso.com"))
    log.at("2014-09-14 10:00:03", TOTALS.format(1, 0))
    log.at("2014-09-14 14:00:00", START)
    log.at("2014-09-14 14:00:02", NOTIFY.format("scott@contoso.com"))
    log.at("2014-09-14 14:00:02", FAILED.format("scott@contoso.com"))
    log.at("2014-09-14 14:00:03", TOTALS.format(1, 0))
    # 24 h after erin's failure: erin is retried and added, scott is still held back
    steady_state(
        log, datetime(2014, 9, 15, 10, 0, 5), "scott@contoso.com", "erin@contoso.com",
        received=1, added=1,
    )
    users = {u.upn: u for u in analyze([log.write(tmp_path / "CloudUserSync.log")]).users}
    assert users["erin@contoso.com"].state == "recovered"
    assert iso(users["erin@contoso.com"].recovered_at) == "2014-09-15T10:00:07-04:00"
    assert users["scott@contoso.com"].state == "waiting"


def test_the_seed_steady_state_keeps_a_user_waiting_until_the_full_sync(tmp_path: Path) -> None:
    log = seed_log()
    moment = datetime(2014, 9, 14, 10, 28, 50)
    while moment < datetime(2014, 9, 15, 10, 23, 54):
        steady_state(log, moment, "scott@contoso.com")
        moment += timedelta(minutes=5)
    # the first cycle at or after full_sync_due: scott is received and added
    steady_state(log, datetime(2014, 9, 15, 10, 24, 8), "scott@contoso.com", received=1, added=1)
    (scott,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (scott.state, iso(scott.recovered_at)) == ("recovered", "2014-09-15T10:24:10-04:00")
    assert scott.requests == 290


def test_a_cycle_starting_exactly_at_full_sync_due_retries_the_user(tmp_path: Path) -> None:
    log = seed_log()
    # due is 2014-09-15 10:23:54 exactly: a cycle starting then is not held back
    steady_state(log, datetime(2014, 9, 15, 10, 23, 54), "scott@contoso.com", received=1, added=1)
    (scott,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert scott.state == "recovered"


def test_a_cycle_starting_a_millisecond_before_due_holds_the_user_back(tmp_path: Path) -> None:
    log = seed_log()
    log.at(datetime(2014, 9, 15, 10, 23, 53, 999000), START)
    log.at("2014-09-15 10:23:56", NOTIFY.format("scott@contoso.com"))
    log.at("2014-09-15 10:23:57", TOTALS.format(0, 0))
    (scott,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert scott.state == "waiting"
    assert scott.skipped == 0


def test_a_restart_since_the_failure_ends_the_hold(tmp_path: Path) -> None:
    log = seed_log()
    log.restart("2014-09-14 12:00:00")
    steady_state(log, datetime(2014, 9, 14, 12, 0, 30), "scott@contoso.com", received=1, added=1)
    (scott,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (scott.state, iso(scott.recovered_at)) == ("recovered", "2014-09-14T12:00:32-04:00")


def test_counts_that_do_not_reconcile_confirm_nobody_and_are_a_finding(tmp_path: Path) -> None:
    log = seed_log()
    # two users sent, but the totals say one received: no guess
    steady_state(
        log, datetime(2014, 9, 14, 10, 28, 50), "a@contoso.com", "b@contoso.com",
        received=1, added=1,
    )
    path = log.write(tmp_path / "CloudUserSync.log")
    collector = HealthCollector()
    analysis = analyze([path], collector=collector)
    users = {u.upn: u.state for u in analysis.users}
    assert (users["a@contoso.com"], users["b@contoso.com"]) == ("pending", "pending")
    summary = collector.summarize(analysis)
    (finding,) = [f for f in summary.findings if f.code == "unreconciled_counts"]
    assert finding.message == (
        "1 cycle logged totals that do not match the users notified in it; those users were "
        "left as they were (first at 2014-09-14T10:28:50-04:00: received 1, added 1, "
        "2 notified and not held back)"
    )
    assert [(e.source, e.line) for e in finding.evidence] == [(path, 5)]


def test_added_exactly_covering_the_received_users_confirms_them(tmp_path: Path) -> None:
    log = Log()
    steady_state(log, datetime(2014, 9, 14, 10, 0), "a@contoso.com", "b@contoso.com", received=2, added=2)
    assert states(log.write(tmp_path / "a.log")) == {"a@contoso.com": "synced", "b@contoso.com": "synced"}
    short = Log()
    steady_state(short, datetime(2014, 9, 14, 10, 0), "a@contoso.com", "b@contoso.com", received=2, added=1)
    path = short.write(tmp_path / "b.log")
    assert states(path) == {"a@contoso.com": "pending", "b@contoso.com": "pending"}
    assert analyze([path]).result.unreconciled_count == 1


def test_a_user_notified_after_its_due_with_received_0_was_skipped(tmp_path: Path) -> None:
    log = seed_log()
    steady_state(log, datetime(2014, 9, 15, 10, 19, 8), "scott@contoso.com")  # held back
    steady_state(log, datetime(2014, 9, 15, 10, 24, 8), "scott@contoso.com")  # received = 0
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="scott@contoso.com", now=datetime(2014, 9, 15, 11, 0))
    (scott,) = analysis.users
    assert (scott.state, scott.skipped) == ("overdue", 1)
    skipped = [s for s in analysis.result.timeline if s.what == "skipped"]
    assert [(iso(s.time), s.line, s.detail) for s in skipped] == [
        (
            "2014-09-15T10:24:11-04:00",
            10,
            "notified after full sync due, not received (received = 0)",
        )
    ]
    assert analysis.result.unreconciled_count == 0


def test_timeline_shows_held_back_notifications(tmp_path: Path) -> None:
    log = seed_log()
    steady_state(log, datetime(2014, 9, 14, 10, 28, 50), "scott@contoso.com")
    result = runner.invoke(
        app, ["timeline", "scott@contoso.com", "--format", "text", log.write(tmp_path / "c.log")]
    )
    rows = [line.split("\t")[:3] for line in result.stdout.splitlines()]
    assert rows[2] == [
        "2014-09-14T10:28:52-04:00",
        "held_back",
        "notified; timer runs until 2014-09-15T10:23:54-04:00",
    ]


# -- inputs that must not pass -------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "name", "component"),
    [
        ("check", "sitecomp.log", "SMS_SITE_COMPONENT_MANAGER"),
        ("report", "SMS_CLOUDCONNECTION.log", "SMS_CLOUDCONNECTION"),
        ("summary", "dmpdownloader.log", "SMS_DMP_DOWNLOADER"),
        ("timeline", "sitecomp.log", "SMS_SITE_COMPONENT_MANAGER"),
    ],
)
def test_the_log_of_another_component_is_an_input_error(command: str, name: str, component: str) -> None:
    path = str(REAL_LOGS / name)
    args = [command, "someone@contoso.com", path] if command == "timeline" else [command, path]
    result = logsync(*args)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        f"logsync: error: {path}: no SMS_CLOUD_USERSYNC records (it is a log of {component})\n"
    )


def test_events_still_lists_the_records_of_any_log() -> None:
    result = logsync("events", "--format", "ndjson", str(REAL_LOGS / "dmpdownloader.log"))
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 44


def test_smsexec_log_alone_is_not_the_connector_s_log_but_beside_it_is_fine() -> None:
    day = SAMPLES / "restart-day"
    alone = logsync("check", str(day / "smsexec.log"))
    assert (alone.returncode, alone.stderr.decode()) == (
        2,
        f"logsync: error: {day / 'smsexec.log'}: no SMS_CLOUD_USERSYNC records "
        "(it is a log of SMS_EXECUTIVE)\n",
    )
    assert logsync("check", str(day / "smsexec.log"), str(day / "CloudUserSync.log")).returncode == 1


@pytest.mark.parametrize("name", ["cloudusersync.log", "CLOUDUSERSYNC.LOG", "CloudUserSync.Log"])
def test_a_directory_finds_its_log_in_any_case(tmp_path: Path, name: str) -> None:
    data = (SAMPLES / "spec-case" / "CloudUserSync.log").read_bytes()
    (tmp_path / name).write_bytes(data)
    result = runner.invoke(app, ["report", "--format", "json", "--all", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [u["state"] for u in document["users"]] == ["recovered"]


def test_directory_order_is_history_then_rotated_then_live(tmp_path: Path) -> None:
    from logsync.sources import log_files

    for name in ("cloudusersync.log", "CloudUserSync.LO_", "CloudUserSync-20260101.log", "other.log"):
        (tmp_path / name).write_text("x")
    assert [Path(p).name for p in log_files(tmp_path)] == [
        "CloudUserSync-20260101.log",
        "CloudUserSync.LO_",
        "cloudusersync.log",
    ]


@pytest.mark.parametrize(
    ("beside", "hint"),
    [
        (None, " (no CloudUserSync file in its folder yet; Ctrl-C stops)"),
        ("CloudUserSync.lo_", ""),
        ("CloudUserSync.log", " (its folder holds CloudUserSync.log: is that the one?)"),
    ],
    ids=["a folder of none", "beside a .lo_", "a name mistyped"],
)
def test_watch_says_at_once_that_it_waits_for_a_missing_log(
    tmp_path: Path, beside: str | None, hint: str
) -> None:
    """A folder that holds none of the connector's files may be the wrong one: it says so."""
    missing = tmp_path / ("CloudUserSync.log" if beside == "CloudUserSync.lo_" else "CloudUserSyn.log")
    if beside is not None:
        (tmp_path / beside).write_bytes((SAMPLES / "CloudUserSync.log").read_bytes()[:4000])
    process = subprocess.Popen(
        [LOGSYNC, "watch", "--format", "ndjson", str(missing)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline().decode()
        assert line == f"logsync: waiting for {missing} to appear{hint}\n"
        time.sleep(0.3)
        assert process.poll() is None  # still watching
    finally:
        process.kill()
        process.wait()


def test_watch_in_a_directory_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "CloudUserSync.log"
    result = logsync("watch", str(target))
    assert (result.returncode, result.stderr.decode()) == (
        2,
        f"logsync: error: {target}: no such directory: {target.parent}\n",
    )


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("missing-dir/", "no such directory"),
        ("Logs", "no such file or directory (a log to wait for ends in .log)"),
        ("CloudUserSync.log.gz", "a gzip-compressed file, not a live log (report reads it)"),
        ("CloudUserSync.log.bz2", "a bzip2-compressed file, not a live log (report reads it)"),
        ("Logs.zip", "a zip archive, not a live log (report reads it)"),
        ("Logs.zip/Logs", "in a zip archive, not a live log (report reads it)"),
        ("Logs.zip/Logs/CloudUserSync.log", "in a zip archive, not a live log (report reads it)"),
        # (report refuses these: "report reads it" was not so)
        ("Logs.zip/Other", "in a zip archive, not a live log; nor can report read it: no such "
         "file in the zip archive"),
        ("Two.zip", "a zip archive, not a live log; nor can report read it: CloudUserSync logs "
         "in 2 folders of this zip archive (A/, B/): name one, as {tmp_path}/Two.zip/A"),
        ("gz-folder", "a gzip-compressed file, not a live log (report reads it)"),
        ("-", "stdin cannot be followed: give the live log's path"),
        # (followed, it was read twice: as the older half of itself, then as the live log)
        ("CloudUserSync.lo_", "the rotated older half of a log, no longer written: not a live "
         "log (watch {tmp_path}/CloudUserSync.log; report reads both)"),
    ],
)
def test_watch_refuses_what_cannot_become_a_live_log(
    tmp_path: Path, given: str, problem: str
) -> None:
    import bz2
    import gzip
    import zipfile

    log = (SAMPLES / "CloudUserSync.log").read_bytes()[:4000]
    if given.endswith(".gz"):
        (tmp_path / given).write_bytes(gzip.compress(log))
    elif given == "gz-folder":  # a folder whose live log is compressed
        (tmp_path / given).mkdir()
        (tmp_path / given / "CloudUserSync.log").write_bytes(gzip.compress(log))
    elif given.endswith(".bz2"):
        (tmp_path / given).write_bytes(bz2.compress(log))
    elif given == "Two.zip":  # (two servers' Logs folders)
        with zipfile.ZipFile(tmp_path / given, "w") as archive:
            archive.writestr("A/CloudUserSync.log", log)
            archive.writestr("B/CloudUserSync.log", log)
    elif given.lower().startswith("cloudusersync"):  # (no longer written)
        (tmp_path / given).write_bytes(log)
    elif ".zip" in given:  # (a folder or a file inside it: "no such directory: …/Logs.zip")
        with zipfile.ZipFile(tmp_path / "Logs.zip", "w") as archive:
            archive.writestr("Logs/CloudUserSync.log", log)
    target = f"{tmp_path}{os.sep}{given}"  # (a Path would drop the trailing separator)
    result = logsync("watch", target if given != "-" else "-")
    if given == "gz-folder":
        target = f"{target}{os.sep}CloudUserSync.log"
    elif given == "-":
        target = "-"
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        2,
        b"",
        f"logsync: error: {target}: {problem.format(tmp_path=tmp_path)}\n",
    )


# -- the connector is part of the verdict --------------------------------------------------

CERTIFICATE = str(SAMPLES / "certificate-wait")


def test_report_shows_a_connector_that_never_synced() -> None:
    table = runner.invoke(app, ["report", "--format", "table", "--color", "never", CERTIFICATE])
    assert table.exit_code == 0
    assert table.stdout.replace("\n", " ").startswith(
        "as of 2023-02-26 20:19:12 -08:00 (the log's end, 3y 272d ago) · 20 lines · 0 cycles · 3 "
        "restarts · connector stopped"
    )
    assert "No user stuck or failed in the log, but that proves nothing" in table.stdout.replace(
        "\n", " "
    )
    document = json.loads(runner.invoke(app, ["report", "--format", "json", CERTIFICATE]).stdout)
    connector = document["connector"]
    assert (connector["state"], connector["problem"], connector["problems"]) == (
        "stopped", "connector_stopped", ["connector_stopped", "certificate_missing", "no_cycles"],
    )
    # it never logged a cycle: a gate on `no_cycles` alone fails on it (it passed, "ok: no
    # connector problem", though the connector had not cycled once)
    gate = runner.invoke(app, ["check", "--fail-on", "no_cycles", CERTIFICATE])
    assert gate.exit_code == 1
    assert gate.stdout.splitlines()[-1] == "FAIL: connector: no_cycles as of 2023-02-26T20:19:12.431-08:00"
    stalled = runner.invoke(app, ["check", "--fail-on", "connector_stalled", CERTIFICATE])
    assert (stalled.exit_code, stalled.stdout) == (
        0,
        "ok: no connector problem (connector_stalled) as of 2023-02-26T20:19:12.431-08:00; the "
        "connector's problem (connector_stopped) not counted by --fail-on connector_stalled\n",
    )
    assert connector["since"] == "2023-02-26T20:19:12.431-08:00"
    assert connector["evidence"] == {"source": CERTIFICATE + "/CloudUserSync.log", "line": 20}
    text = logsync("report", "--format", "text", CERTIFICATE)
    assert (text.returncode, text.stdout) == (0, b"")
    assert without_log_end_note(text.stderr).decode() == (
        "logsync: connector stopped since 2023-02-26T20:19:12.431-08:00 after waiting for its "
        "certificate since 2023-02-26T20:14:12.427-08:00 (connector_stopped)\n"
    )


def test_check_fails_on_connector_problems_by_default_and_fail_on_chooses() -> None:
    result = runner.invoke(app, ["check", CERTIFICATE])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "connector\tconnector_stopped\tconnector stopped since 2023-02-26T20:19:12.431-08:00 after "
        "waiting for its certificate since 2023-02-26T20:14:12.427-08:00",
        "FAIL: no waiting, overdue or failed user; connector: connector_stopped as of "
        "2023-02-26T20:19:12.431-08:00",
    ]
    # (a gate on users over an input with no cycle: no user could be judged, no pass)
    assert runner.invoke(app, ["check", "--fail-on", "stuck,failed", CERTIFICATE]).exit_code == 1
    assert runner.invoke(app, ["check", "--fail-on", "certificate_missing", CERTIFICATE]).exit_code == 1
    assert runner.invoke(app, ["check", "--fail-on", "connector_stopped", CERTIFICATE]).exit_code == 1
    assert runner.invoke(app, ["check", "--fail-on", "connector_stalled", CERTIFICATE]).exit_code == 0
    assert runner.invoke(app, ["report", "--fail-on", "connector", CERTIFICATE]).exit_code == 1


@pytest.mark.parametrize("fail_on", ["waiting", "overdue", "failed", "pending", "stuck"])
def test_a_gate_on_users_over_an_input_with_no_cycle_does_not_pass(fail_on: str, tmp_path: Path) -> None:
    """The connector waited for its certificate and stopped, and never ran a cycle: no user
    could be judged. A gate on users passed (exit 0, JUnit `failures="0"`): an all-clear on
    nothing. Every output now fails it, as the connector's `no_cycles`."""
    junit = tmp_path / "junit.xml"
    result = runner.invoke(app, ["check", "--fail-on", fail_on, "--junit", str(junit), CERTIFICATE])
    assert result.exit_code == 1
    assert "connector: no_cycles (no cycle in the input: no user could be judged)" in result.stdout
    document = junit.read_text(encoding="utf-8")
    assert 'failures="1"' in document and 'type="no_cycles"' in document
    assert runner.invoke(app, ["report", "--fail-on", fail_on, CERTIFICATE]).exit_code == 1
    judged = runner.invoke(app, ["check", "--fail-on", fail_on, "--format", "json", CERTIFICATE])
    assert json.loads(judged.stdout)["passed"] is False


def test_a_connector_silent_for_more_than_three_intervals_is_stalled(tmp_path: Path) -> None:
    log = Log().cycles("2026-03-02 10:00", "2026-03-02 10:30")
    path = log.write(tmp_path / "CloudUserSync.log")
    last = datetime(2026, 3, 2, 10, 25, 3)  # the last line of the last cycle
    # exactly 3 intervals after the last cycle (10:25): still running; a moment later: stalled
    assert analyze([path], now=datetime(2026, 3, 2, 10, 40)).connector.state == "running"
    stalled = analyze([path], now=datetime(2026, 3, 2, 10, 40, 0, 1)).connector
    assert (stalled.state, stalled.code, iso(stalled.since)) == (
        "stalled", "connector_stalled", "2026-03-02T10:25:00-04:00",
    )
    assert analyze([path]).connector.state == "running"
    assert last < datetime(2026, 3, 2, 10, 40)
    result = runner.invoke(app, ["check", "--now", "2026-03-02 11:00", path])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "connector\tconnector_stalled\tconnector stalled since 2026-03-02T10:25:00-04:00 "
        "(35m without a cycle)"
    )


def test_a_log_without_cycles_says_so(tmp_path: Path) -> None:
    log = Log()
    log.restart("2026-03-02 10:00:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path]).connector
    assert (connector.state, connector.code, connector.line) == ("no_cycles", "no_cycles", 1)
    assert (connector.source, iso(connector.since), iso(connector.last_restart)) == (
        path, "2026-03-02T10:00:00-04:00", "2026-03-02T10:00:00-04:00",
    )
    assert runner.invoke(app, ["check", path]).exit_code == 1


# -- exit codes and outputs agree -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [(["events", "--format", "ndjson", DEMO], 0), (["check", DEMO], 1), (["report", "--format", "text", "--all", DEMO], 0)],
)
def test_a_closed_pipe_keeps_the_command_s_own_exit_code(args: list[str], code: int) -> None:
    for _ in range(3):
        process = subprocess.Popen(
            [LOGSYNC, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # like `| head -1`
        assert process.wait(timeout=60) == code
        assert without_log_end_note(process.stderr.read()) == b""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["report", "--help"], ["check", "-h"]])
def test_help_and_version_to_a_closed_pipe_end_with_0(args: list[str]) -> None:
    """The framework writes them itself, and exited 1 where the pipe was closed (SPEC §5: a
    closed output pipe never ends as 1 or 2)."""
    read, write = os.pipe()
    os.close(read)  # (closed before anything is written: every write fails)
    with os.fdopen(write, "wb") as closed:
        process = subprocess.run([LOGSYNC, *args], stdout=closed, stderr=subprocess.PIPE, timeout=60)
    assert (process.returncode, process.stderr) == (0, b"")


def test_no_color_is_honoured_with_color_auto() -> None:
    args = ("report", "--format", "table", DEMO)
    coloured = logsync(*args, FORCE_COLOR="1")
    assert b"\x1b[" in coloured.stdout
    plain = logsync(*args, FORCE_COLOR="1", NO_COLOR="1")
    assert plain.returncode == 0 and b"\x1b" not in plain.stdout
    assert b"\x1b[" in logsync(*args, "--color", "always", NO_COLOR="1").stdout


# -- --now means "as of" --------------------------------------------------------------------


def test_now_leaves_later_records_out_and_says_how_many(tmp_path: Path) -> None:
    spec = str(SAMPLES / "spec-case" / "CloudUserSync.log")
    result = logsync("report", "--format", "json", "--all", "--now", "2014-09-15 10:24:08.4", spec)
    document = json.loads(result.stdout)
    # the cycle at 10:24:08.400 is kept; the add at 10:24:12 is not
    assert [u["state"] for u in document["users"]] == ["waiting"]
    assert document["users"][0]["expected_recovery"] == "2014-09-15T10:24:08.400-04:00"
    assert document["users"][0]["expected_recovery_observed"] is True
    assert result.stderr.decode() == (
        "logsync: as of 2014-09-15T10:24:08.400-04:00: 5 later records left out\n"
    )
    quiet = logsync("report", "-q", "--format", "json", "--now", "2014-09-15 10:00", spec)
    assert quiet.stderr == b""


def test_now_accepts_now_for_logs_with_and_without_offsets() -> None:
    for path in (str(SAMPLES / "spec-case"), str(SAMPLES / "pasted" / "ticket.txt")):
        result = runner.invoke(app, ["report", "--format", "json", "--now", "now", path])
        assert result.exit_code == 0, result.stderr
        as_of = json.loads(result.stdout)["as_of"]
        assert as_of[:4] == str(datetime.now().year)


def test_an_aware_now_against_a_naive_log_is_a_usage_error() -> None:
    result = logsync(
        "report", "--now", "2014-09-15T10:00:00+00:00", str(SAMPLES / "pasted" / "ticket.txt")
    )
    assert (result.returncode, result.stderr.decode()) == (
        2,
        "logsync: error: --now: 2014-09-15T10:00:00+00:00 has a UTC offset but the log times "
        "have none; give the time without an offset, or --source-tz ZONE\n",
    )


@pytest.mark.parametrize("option", ["--full-sync-after", "--interval"])
def test_a_duration_without_a_unit_is_a_usage_error(option: str) -> None:
    result = logsync("report", option, "24", DEMO)
    assert (result.returncode, result.stderr.decode()) == (
        2,
        f"logsync: error: {option}: '24' has no unit (write it as 24h, 24m or 24s)\n",
    )


def test_output_names_the_configured_timer(tmp_path: Path) -> None:
    table = runner.invoke(
        app, ["report", "--format", "table", "--color", "never", "--full-sync-after", "12h", DEMO]
    )
    assert "12 h timer" in table.stdout and "24 h" not in table.stdout
    summary = runner.invoke(app, ["summary", "--format", "text", "--full-sync-after", "90m", DEMO])
    assert "waits for the 90 min full sync" in summary.stdout


# -- predictions as precise as the log allows -----------------------------------------------


def test_the_interval_is_the_median_gap_at_full_precision(tmp_path: Path) -> None:
    log = Log()
    moment = datetime(2026, 3, 2, 9, 0)
    for _ in range(12):
        log.cycle(moment)
        moment += timedelta(minutes=5, milliseconds=437)
    log.cycle(moment, ("a@contoso.com",), {"a@contoso.com": UNF})
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert analysis.result.interval == timedelta(minutes=5, milliseconds=437)
    (user,) = analysis.users
    # due 24 h after the failure (at cycle start + 2 s), on the grid of the last cycle
    last = moment
    gap = timedelta(minutes=5, milliseconds=437)
    due = last + timedelta(seconds=2, hours=24)
    steps = -(-(due - last) // gap)
    assert iso(user.expected_recovery) == iso((last + steps * gap).replace(tzinfo=user.full_sync_due.tzinfo))


def test_a_due_time_exactly_on_the_cycle_grid_is_that_cycle(tmp_path: Path) -> None:
    log = Log()
    log.at("2026-03-02 08:59:00", START)
    log.at("2026-03-02 09:00:00", START)
    log.at("2026-03-02 09:00:00", NOTIFY.format("a@contoso.com"))
    log.at("2026-03-02 09:00:00", FAILED.format("a@contoso.com"))
    log.at("2026-03-02 09:00:00", TOTALS.format(1, 0))
    (user,) = analyze([log.write(tmp_path / "c.log")], interval=timedelta(minutes=1)).users
    assert iso(user.full_sync_due) == "2026-03-03T09:00:00-04:00"
    assert iso(user.expected_recovery) == "2026-03-03T09:00:00-04:00"


def test_after_a_restart_the_full_sync_is_predicted_from_the_earlier_restarts(tmp_path: Path) -> None:
    log = Log()
    log.restart("2026-03-02 08:00:00")
    log.cycles("2026-03-02 08:00:42", "2026-03-02 09:00:00")
    log.cycle("2026-03-02 09:00:42", ("a@contoso.com",), {"a@contoso.com": UNF})
    log.restart("2026-03-02 09:03:00")
    (user,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    # the earlier restart's first cycle came 42 s after it
    assert (user.recovery_by, iso(user.expected_recovery)) == ("restart", "2026-03-02T09:03:42-04:00")


def test_the_boundary_between_waiting_and_overdue_is_two_intervals(tmp_path: Path) -> None:
    log = seed_log()
    path = log.write(tmp_path / "CloudUserSync.log")
    (user,) = analyze([path]).users
    expected = user.expected_recovery.replace(tzinfo=None)
    limit = expected + timedelta(minutes=10)  # two default intervals (no gap observed)
    assert states(path, now=limit - timedelta(microseconds=1)) == {"scott@contoso.com": "waiting"}
    assert states(path, now=limit) == {"scott@contoso.com": "overdue"}
    assert states(path, now=limit + timedelta(microseconds=1)) == {"scott@contoso.com": "overdue"}


# -- rotation at the same instant -----------------------------------------------------------


def test_a_rotated_pair_ending_and_starting_in_one_millisecond_keeps_file_order(tmp_path: Path) -> None:
    older, newer = Log(), Log()
    older.at("2026-03-02 10:00:00.120", "line 1 of the .lo_")
    older.at("2026-03-02 10:00:00.123", "line 2 of the .lo_")
    older.at("2026-03-02 10:00:00.123", "line 3 of the .lo_")
    newer.at("2026-03-02 10:00:00.123", "line 1 of the .log")
    newer.at("2026-03-02 10:00:00.123", "line 2 of the .log")
    lo_ = older.write(tmp_path / "CloudUserSync.lo_")
    log = newer.write(tmp_path / "CloudUserSync.log")
    for order in ([log, lo_], [lo_, log]):
        assert [e.text for e in EventStream(order)] == [
            "line 1 of the .lo_",
            "line 2 of the .lo_",
            "line 3 of the .lo_",
            "line 1 of the .log",
            "line 2 of the .log",
        ]


def test_check_counts_what_it_gates_on_and_names_what_it_saw_but_does_not_gate() -> None:
    """Issue 27 item 1: 4 users stuck and 1 failed were `ok: 10 users, none stuck or failed`."""
    connector = runner.invoke(app, ["check", "--fail-on", "connector", DEMO])
    assert (connector.exit_code, connector.stdout) == (
        0,
        "ok: no connector problem as of 2026-11-25T16:04:59.644-08:00; 4 stuck users, "
        "1 failed user and 1 pending user not counted by --fail-on connector\n",
    )
    overdue = runner.invoke(app, ["check", "--fail-on", "overdue", "--now", "2026-11-25T08:00", DEMO])
    assert (overdue.exit_code, overdue.stdout) == (
        0,
        "ok: no overdue user as of 2026-11-25T08:00:00-08:00; 2 stuck users and 1 failed user "
        "not counted by --fail-on overdue\n",
    )
    # frank's retry came and only its totals line is missing: named, pending is just pending
    pending = runner.invoke(app, ["check", "--fail-on", "pending", DEMO])
    assert pending.stdout.splitlines()[-1] == (
        "FAIL: 1 user (1 pending), limit 0 as of 2026-11-25T16:04:59.644-08:00; 4 stuck users "
        "and 1 failed user not counted by --fail-on pending"
    )
    stuck = runner.invoke(app, ["check", "--fail-on", "stuck", "--format", "markdown", DEMO])
    assert "**Verdict:** FAIL: 4 users (3 waiting, 1 overdue), limit 0 as of " \
        "2026-11-25T16:04:59.644-08:00; 1 failed user and 1 pending user not counted by --fail-on " \
        "stuck\n" in stuck.stdout
    # (no cycle in the input: no user could be judged, and a gate on users is no pass)
    waiting = runner.invoke(app, ["check", "--fail-on", "failed,overdue", CERTIFICATE])
    assert (waiting.exit_code, waiting.stdout.splitlines()[-1]) == (1, (
        "FAIL: no overdue or failed user; connector: no_cycles (no cycle in the input: no user "
        "could be judged) as of 2023-02-26T20:19:12.431-08:00"
    ))
    # a gate on another of the connector's problems alone counts only those it names
    stalled = runner.invoke(app, ["check", "--fail-on", "connector_stalled", CERTIFICATE])
    assert (stalled.exit_code, stalled.stdout.splitlines()[-1]) == (0, (
        "ok: no connector problem (connector_stalled) as of 2023-02-26T20:19:12.431-08:00; the "
        "connector's problem (connector_stopped) not counted by --fail-on connector_stalled"
    ))


def test_every_output_gives_the_same_counts() -> None:
    """Issue 27 item 2: check's JSON counted only the users it showed (pending, recovered and
    synced 0 where report says 1, 1 and 3)."""
    report = json.loads(runner.invoke(app, ["report", "--format", "json", DEMO]).stdout)
    check = json.loads(runner.invoke(app, ["check", "--format", "json", DEMO]).stdout)
    everyone = {"waiting": 3, "overdue": 1, "failed": 1, "pending": 1, "recovered": 1, "synced": 3}
    assert {state: report["summary"][state] for state in everyone} == everyone
    assert check["counts"] == everyone
    assert check["counted"] == {**everyone, "pending": 0, "recovered": 0, "synced": 0}


@pytest.mark.parametrize(
    ("command", "value", "message"),
    [
        ("check", "", "--fail-on: '' names nothing to fail on"),
        ("check", " , ", "--fail-on: ' , ' names nothing to fail on"),
        ("report", "", "--fail-on: '' names nothing to fail on"),
        ("check", "recovered", "--fail-on: 'recovered' is no finding (the user was added)"),
        ("check", "failed,synced", "--fail-on: 'synced' is no finding (the user was added)"),
    ],
)
def test_a_gate_on_nothing_or_on_no_finding_is_refused(command: str, value: str, message: str) -> None:
    """Issue 27 item 3: `--fail-on ''` (an unset CI variable) passed; `--fail-on recovered`
    listed recovered users with "no automatic retry"."""
    result = logsync(command, "--fail-on", value, DEMO)
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 2 and result.stdout == b""
    assert len(lines) == 1 and lines[0].startswith(f"logsync: error: {message}; give ")


def test_check_shows_the_users_asked_for_whatever_their_state() -> None:
    """Issue 27 item 6 (SPEC §4 rule 10) in `check`: a recovered or pending user asked for by
    name is shown, in its own words (it read "no automatic retry" under `--fail-on recovered`)."""
    result = runner.invoke(
        app, ["check", "--user", "carol@contoso.com", "--user", "frank@*", "--user", "bob*", DEMO]
    )
    assert (result.exit_code, result.stdout.splitlines()) == (1, [
        "bob@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-11-26T09:15:03.266-08:00",
        "frank@contoso.com\tpending\t-\toutcome not logged yet; not counted by --fail-on "
        "waiting,overdue,failed,connector",
        "carol@contoso.com\trecovered\tUserNotFound\trecovered 2026-11-25T07:45:08.707-08:00; not "
        "counted by --fail-on waiting,overdue,failed,connector",
        "FAIL: 1 user (1 waiting), limit 0 as of 2026-11-25T16:04:59.644-08:00; 1 pending user "
        "not counted by --fail-on waiting,overdue,failed,connector",
    ])
    document = json.loads(runner.invoke(app, ["check", "-f", "json", "--user", "carol@contoso.com", DEMO]).stdout)
    assert [(u["upn"], u["state"]) for u in document["users"]] == [("carol@contoso.com", "recovered")]
    assert (document["passed"], document["counts"]["recovered"]) == (True, 1)


def test_check_on_a_user_asked_for_by_name_that_is_synced_passes() -> None:
    """Issue 27 (SPEC §4 rule 10, §5): `check --user` gates on the users asked for; one that is
    synced passes (exit 0) and is shown, while the demo's other users are stuck."""
    result = runner.invoke(app, ["check", "--user", "alice@contoso.com", DEMO])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "alice@contoso.com\tsynced\t-\tsynced 2026-11-24T08:00:08.351-08:00; not counted by "
        "--fail-on waiting,overdue,failed,connector",
        "ok: no waiting, overdue or failed user as of 2026-11-25T16:04:59.644-08:00",
    ]
    document = json.loads(runner.invoke(app, ["check", "-f", "json", "--user", "alice@contoso.com", DEMO]).stdout)
    assert (document["passed"], document["failing"], document["counts"]["synced"]) == (True, [], 1)
    assert [(u["upn"], u["state"]) for u in document["users"]] == [("alice@contoso.com", "synced")]
