"""Honest on the logs admins really have (SPEC §4 rules 2b, 5 and 9; §2 and §5): a live log that
starts after a user's failure, a log that ended days ago, a connector that stopped, a file given
twice, a `--user` typo, a time read wrongly, and never a traceback."""

from __future__ import annotations

import bisect
import json
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.pipeline import EventStream
from logsync.sources import expand_paths
from logsync.times import human_duration, iso, micros

from .conftest import LOGSYNC, REAL_LOGS, ROOT, SAMPLES, run_installed, without_log_end_note
from .logtext import Log

NOTIFY = "NotifyAccountAddition - SCCM user to add = {}"
FAILED = "Failed to add user {}; reason UserNotFound"
TOTALS = "Total received users to add from SCCM = {}, Total Successfully added users to Cloud = {}"
START = "Starting user delta sync, raise failure status messages = True"
DEMO = str(SAMPLES / "CloudUserSync.log")
ROTATED_LIVE = str(SAMPLES / "rotated" / "CloudUserSync.log")
runner = CliRunner()

sys.path.insert(0, str(ROOT / "sample_logs"))
from simulate import simulate  # noqa: E402


def steady(log: Log, when: datetime, *notified: str, received: int = 0, added: int = 0) -> Log:
    return log.steady(when, *notified, received=received, added=added)


def users(path: str, **options: object) -> dict:  # type: ignore[type-arg]
    return {u.upn: u for u in analyze([path], **options).users}  # type: ignore[arg-type]


# -- rule 2b: held back since before the input ---------------------------------------------


def test_the_seed_steady_state_lines_alone_hold_the_user_back_since_before_the_log(
    tmp_path: Path,
) -> None:
    log = Log(bias=240)
    for minute in range(0, 30, 5):
        steady(log, datetime(2014, 9, 15, 9, minute, 50), "scott@contoso.com")
    (scott,) = users(log.write(tmp_path / "CloudUserSync.log")).values()
    assert (scott.state, scott.reason, scott.failures, scott.before_input) == (
        "waiting", None, 0, True,
    )
    assert (scott.first_failure, scott.full_sync_due) == (None, None)
    # at the latest 24 h after the input's first record (09:00:50), at the next cycle
    assert iso(scott.full_sync_due_by) == "2014-09-16T09:00:50-04:00"
    assert (iso(scott.expected_recovery), scott.bound, scott.recovery_by) == (
        "2014-09-16T09:00:50-04:00", "latest", "timer",
    )
    assert scott.expected_recovery_observed is False


def test_the_rotated_log_without_its_lo_gives_a_waiting_user_and_a_failing_check() -> None:
    jan = users(ROTATED_LIVE)["jan@example.org"]
    assert (jan.state, jan.before_input, iso(jan.full_sync_due_by)) == (
        "waiting", True, "2025-06-11T10:15:00.137+01:00",
    )
    assert (iso(jan.expected_recovery), jan.bound) == ("2025-06-11T10:20:00+01:00", "latest")
    result = runner.invoke(app, ["check", ROTATED_LIVE])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "jan@example.org\twaiting\t-\texpected recovery by 2025-06-11T10:20:00+01:00; held back "
        "since before the log: its failure is not in the input",
        "FAIL: 1 user (1 waiting), limit 0 as of 2025-06-10T11:25:00.759+01:00",
    ]
    text = runner.invoke(app, ["report", "--format", "text", ROTATED_LIVE]).stdout
    # machine columns hold one kind of value: the bound is its own column (issue 27 item 8)
    assert text.split("\t")[7:] == ["2025-06-11T10:20:00+01:00", "82499.241", "-", "-", "latest\n"]
    table = runner.invoke(app, ["report", "--format", "csv", ROTATED_LIVE]).stdout.splitlines()
    assert table[1] == "jan@example.org,waiting,,,,0,,2025-06-11T10:20:00+01:00,82499.241,,,latest"
    # its failure is before the log: "stuck since" is a bound, the input's first record
    markdown = runner.invoke(app, ["report", "--format", "markdown", ROTATED_LIVE]).stdout
    assert (
        "| `jan@example.org` | waiting | – | before `2025-06-10 10:15:00 +01:00` | by "
        "`2025-06-11 10:15:00 +01:00` |"
    ) in markdown
    document = json.loads(runner.invoke(app, ["report", "--format", "json", ROTATED_LIVE]).stdout)
    (record,) = document["users"]
    assert (
        record["full_sync_due_by"],
        record["expected_recovery_bound"],
        record["failure_before_input"],
    ) == ("2025-06-11T10:15:00.137+01:00", "latest", True)
    # with its .lo_, the failure is in the input: an exact due time
    both = users(str(SAMPLES / "rotated"))["jan@example.org"]
    assert (both.before_input, iso(both.full_sync_due), both.bound) == (
        False, "2025-06-11T09:15:04.022+01:00", None,
    )


def test_a_tail_of_the_demo_log_finds_its_stuck_users(tmp_path: Path) -> None:
    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    tail = tmp_path / "tail.log"
    tail.write_bytes(b"".join(lines[-200:]))
    found = users(str(tail))
    assert {upn: u.state for upn, u in found.items()} == {
        "bob@contoso.com": "waiting",
        "heidi@contoso.com": "waiting",
        "erin@contoso.com": "waiting",
        "frank@contoso.com": "pending",
    }
    assert [found[upn].before_input for upn in ("bob@contoso.com", "erin@contoso.com")] == [
        True, False,
    ]
    assert found["frank@contoso.com"].pending_reason == "awaiting_totals"
    piped = run_installed("check", stdin=b"".join(lines[-200:]))
    assert piped.returncode == 1
    assert piped.stdout.decode().splitlines()[-1] == (
        "FAIL: 3 users (3 waiting), limit 0 as of 2026-11-25T16:04:59.644-08:00; 1 pending user "
        "not counted by --fail-on waiting,overdue,failed,connector"
    )


def test_a_window_that_starts_mid_cycle_decides_its_first_users_by_the_next_cycle(
    tmp_path: Path,
) -> None:
    """The window starts after its first cycle's start: the cycle received one of two users it
    shows (and maybe others cut off), so the next cycle tells which were held back."""
    log = Log(bias=240)
    log.at("2014-09-15 09:00:52", NOTIFY.format("held@contoso.com"))
    log.at("2014-09-15 09:00:52", NOTIFY.format("new@contoso.com"))
    log.at("2014-09-15 09:00:53", TOTALS.format(2, 2))
    window = log.write(tmp_path / "first.log")
    first = users(window)
    assert {upn: (u.state, u.pending_reason) for upn, u in first.items()} == {
        "held@contoso.com": ("pending", "undetermined"),
        "new@contoso.com": ("pending", "undetermined"),
    }
    steady(log, datetime(2014, 9, 15, 9, 5, 50), "held@contoso.com")
    decided = users(log.write(tmp_path / "second.log"))
    assert (decided["held@contoso.com"].state, decided["held@contoso.com"].before_input) == (
        "waiting", True,
    )
    assert (decided["new@contoso.com"].state, iso(decided["new@contoso.com"].synced_at)) == (
        "synced", "2014-09-15T09:00:52-04:00",
    )


def test_counts_that_cannot_say_leave_users_pending_and_the_gate_failing(tmp_path: Path) -> None:
    """The log's only cycle notified two users and received one: either may be held back since
    before the log. Nothing after it tells which."""
    log = steady(Log(bias=240), datetime(2014, 9, 15, 9, 0, 50), "c@contoso.com", "d@contoso.com",
                 received=1, added=1)
    path = log.write(tmp_path / "CloudUserSync.log")
    assert {upn: (u.state, u.pending_reason) for upn, u in users(path).items()} == {
        "c@contoso.com": ("pending", "undetermined"),
        "d@contoso.com": ("pending", "undetermined"),
    }
    result = runner.invoke(app, ["check", "--now", "2014-09-15 09:03", path])
    assert result.exit_code == 1
    unknown = (
        "outcome unknown: notified in cycles whose counts cannot say whether it was held back; "
        "the earlier log (CloudUserSync.lo_), or for an excerpt the whole log, would tell"
    )
    assert result.stdout.splitlines() == [
        f"c@contoso.com\tpending\t-\t{unknown}",
        f"d@contoso.com\tpending\t-\t{unknown}",
        "FAIL: 2 users (2 pending that may be stuck), limit 0 as of 2014-09-15T09:03:00-04:00",
    ]
    assert result.stderr == (
        "logsync: 2 users were notified with no outcome in the log: the counts of their cycles "
        "cannot say whether they were held back by a failure before it; the earlier log "
        "(CloudUserSync.lo_) would tell\n"
    )
    # a gate on failed users only does not count them
    assert runner.invoke(app, ["check", "--fail-on", "failed", "--now", "2014-09-15 09:03", path]).exit_code == 0


def test_a_user_missing_from_a_complete_cycle_was_added_in_the_cycle_before(tmp_path: Path) -> None:
    log = Log(bias=240)
    steady(log, datetime(2014, 9, 15, 9, 0, 50), "a@contoso.com", "b@contoso.com")
    steady(log, datetime(2014, 9, 15, 9, 5, 50), "a@contoso.com", "b@contoso.com", received=1, added=1)
    steady(log, datetime(2014, 9, 15, 9, 10, 50), "b@contoso.com")
    found = users(log.write(tmp_path / "CloudUserSync.log"))
    a, b = found["a@contoso.com"], found["b@contoso.com"]
    assert (a.state, iso(a.recovered_at), a.before_input, a.first_failure) == (
        "recovered", "2014-09-15T09:05:52-04:00", True, None,
    )
    assert (b.state, b.bound) == ("waiting", "latest")


def test_the_boundary_where_the_latest_due_time_passes(tmp_path: Path) -> None:
    """Past the input's first record + 24 h, a held-back user notified with `received = 0` was
    skipped, and two intervals after its latest cycle it is overdue."""
    log = Log(bias=240)
    first = datetime(2014, 9, 15, 9, 0, 50)
    moment = first
    while moment < first + timedelta(hours=24):
        steady(log, moment, "scott@contoso.com")
        moment += timedelta(minutes=5)
    assert moment == first + timedelta(hours=24)  # a cycle exactly at the bound
    before = users(log.write(tmp_path / "before.log"))["scott@contoso.com"]
    assert (before.state, before.skipped, iso(before.expected_recovery)) == (
        "waiting", 0, "2014-09-16T09:00:50-04:00",
    )
    assert before.expected_recovery_observed is False
    steady(log, moment, "scott@contoso.com")
    at_bound = users(log.write(tmp_path / "at.log"))["scott@contoso.com"]
    assert (at_bound.state, at_bound.skipped, at_bound.expected_recovery_observed) == (
        "waiting", 1, True,
    )
    steady(log, moment + timedelta(minutes=5), "scott@contoso.com")
    one = users(log.write(tmp_path / "one.log"))["scott@contoso.com"]
    assert (one.state, one.skipped) == ("waiting", 2)
    steady(log, moment + timedelta(minutes=10), "scott@contoso.com")
    two = users(log.write(tmp_path / "two.log"))["scott@contoso.com"]
    assert (two.state, two.skipped, iso(two.expected_recovery)) == (
        "overdue", 3, "2014-09-16T09:00:50-04:00",
    )


def test_a_restart_inside_the_window_retries_users_held_back_since_before_it(
    tmp_path: Path,
) -> None:
    log = Log(bias=240)
    for minute in (0, 5, 10):
        steady(log, datetime(2014, 9, 15, 9, minute, 50), "a@contoso.com", "b@contoso.com")
    log.restart("2014-09-15 09:12:00")
    waiting = users(log.write(tmp_path / "restarted.log"))["a@contoso.com"]
    # its full sync is predicted one interval after the restart, before the latest due time
    assert (waiting.state, waiting.recovery_by, waiting.bound) == ("waiting", "restart", None)
    assert iso(waiting.expected_recovery) == "2014-09-15T09:17:00-04:00"
    log.at("2014-09-15 09:12:30", START)
    log.at("2014-09-15 09:12:32", NOTIFY.format("a@contoso.com"))
    log.at("2014-09-15 09:12:32", NOTIFY.format("b@contoso.com"))
    log.at("2014-09-15 09:12:32", FAILED.format("b@contoso.com"))
    log.at("2014-09-15 09:12:33", TOTALS.format(2, 1))
    found = users(log.write(tmp_path / "full-sync.log"))
    a, b = found["a@contoso.com"], found["b@contoso.com"]
    assert (a.state, iso(a.recovered_at)) == ("recovered", "2014-09-15T09:12:32-04:00")
    # b is still not in Azure AD: a failure in the input, and its own 24 h timer
    assert (b.state, b.before_input, b.failures, iso(b.full_sync_due), b.first_failure) == (
        "waiting", True, 1, "2014-09-16T09:12:32-04:00", None,
    )


def test_timeline_tells_the_story_of_a_user_held_back_since_before_the_log() -> None:
    result = runner.invoke(app, ["timeline", "jan@example.org", "--format", "text", ROTATED_LIVE])
    steps = [line.split("\t") for line in result.stdout.splitlines()]
    assert [step[1] for step in steps] == [
        "requested", "held_back", "held_back", "full_sync_due", "expected_recovery", "state",
    ]
    assert steps[1][2] == (
        "not received: held back since before the log (its failure is not in the input)"
    )
    assert steps[-3][2] == "24 h timer runs out at the latest (its failure is before the log)"
    assert steps[-2][2] == "predicted cycle (timer, at the latest)"
    # the last row: the state as of the log's end, as the table's title says it
    assert steps[-1] == [
        "2025-06-10T11:25:00.759+01:00",
        "state",
        "waiting · held back since before the log: its failure is not in the input · full sync "
        "due by 2025-06-11T10:15:00.137+01:00 · expected recovery by 2025-06-11T10:20:00+01:00",
        "-",
    ]
    markdown = runner.invoke(
        app, ["timeline", "jan@example.org", "--format", "markdown", ROTATED_LIVE]
    ).stdout
    assert "held back since before the log: its failure is not in the input" in markdown


def test_windows_of_simulated_histories_find_every_stuck_user(tmp_path: Path) -> None:
    """Cut seed-faithful histories (held-back users notified in every cycle) into windows of 3 to
    20 hours starting and ending at any line: every user truly stuck at the window's end is found
    stuck, no other user is, but where the window's last cycle received some of several users held
    back since before it and cannot say which (they are `pending`, undetermined: SPEC §4 rule 2b),
    and `check` never passes on a window that holds a stuck user."""
    truly, found, exceptions, windows, unknown = 0, 0, 0, 0, 0
    for seed in (1, 2, 3):
        history = simulate(96, seed=seed)
        rng = random.Random(seed)
        for _ in range(25):
            start = rng.randrange(0, len(history.lines) - 2000)
            cycles = int(rng.uniform(3, 20) * 12)
            first = bisect.bisect(history.totals, start)
            end = history.totals[min(first + cycles, len(history.totals) - 1)] + rng.randrange(-4, 5)
            path = tmp_path / f"w{seed}-{start}.log"
            path.write_text(history.text(start, end), encoding="utf-8")
            analysis = analyze([str(path)])
            states = {u.upn: u for u in analysis.tracker.result(analysis.as_of).users}
            truth = {upn for upn in history.stuck_at(end) if upn in states}
            stuck = {upn for upn, u in states.items() if u.stuck}
            undetermined = {upn for upn, u in states.items() if u.undetermined}
            last_undecided = set(analysis.tracker.totals.undecided)
            assert truth - stuck <= undetermined, (seed, start, end, truth - stuck)
            assert undetermined == last_undecided & undetermined, (seed, start, end)
            exceptions += len(stuck - truth)
            truly += len(truth)
            found += len(truth & stuck)
            unknown += len(truth & undetermined)
            windows += 1
            if truth:
                gate = runner.invoke(app, ["check", str(path)])
                assert gate.exit_code == 1, (seed, start, end)
    assert windows == 75
    assert truly > 1000
    # every one, but those of a last cycle whose counts cannot say, which no window calls stuck
    assert (found, unknown, exceptions) == (truly - unknown, 43, 0)


# -- rule 5: a log that ended long ago -----------------------------------------------------


def test_a_log_that_ended_long_ago_says_so_once_without_changing_the_verdict() -> None:
    spec = str(SAMPLES / "spec-case" / "CloudUserSync.log")
    result = runner.invoke(app, ["check", spec])
    assert (result.exit_code, result.stdout) == (
        0, "ok: no waiting, overdue or failed user as of 2014-09-15T10:24:12.425-04:00\n",
    )
    assert result.stderr == (
        "logsync: the log ends 2014-09-15T10:24:12.425-04:00 (12y 71d ago); times are as of its "
        "last record; --now now judges as of now\n"
    )
    table = runner.invoke(app, ["report", "--format", "table", "--color", "never", spec])
    assert table.stdout.startswith("as of 2014-09-15 10:24:12 -04:00 (the log's end, 12y 71d ago)")
    markdown = runner.invoke(app, ["report", "--format", "markdown", spec]).stdout
    assert "**As of:** 2014-09-15 10:24:12 -04:00 (the log's end, 12y 71d ago)" in markdown
    html = runner.invoke(app, ["report", "--format", "html", spec]).stdout
    assert "(the log&#x27;s end, 12y 71d ago)" in html
    # judged as of a given time, or within three intervals of the wall clock: nothing to say
    given = runner.invoke(app, ["check", "--now", "2014-09-15 10:25", spec])
    assert "the log ends" not in given.stderr
    assert runner.invoke(app, ["check", DEMO]).stderr == ""  # it ended 5 minutes ago


def test_a_log_that_ends_exactly_three_intervals_before_the_clock_says_nothing(tmp_path: Path) -> None:
    """Rule 5: the note comes only when the wall clock (16:10 -08:00 here) is MORE than three
    intervals (3 x 5 min) past the last record: at exactly three, nothing; a millisecond more,
    the note, and people's headers say "the log's end"."""
    log = Log(bias=480).cycles("2026-11-25 15:00", "2026-11-25 15:55")
    log.cycle("2026-11-25 15:55:00")  # 15 minutes before the wall clock
    exact = log.write(tmp_path / "CloudUserSync.log")
    result = runner.invoke(app, ["check", exact])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "ok: no waiting, overdue or failed user as of 2026-11-25T15:55:00-08:00\n", "",
    )
    table = runner.invoke(app, ["report", "--format", "table", "--color", "never", exact])
    assert table.stdout.startswith("as of 2026-11-25 15:55:00 -08:00 · 60 lines · 12 cycles")
    log.lines[-5:] = []
    log.cycle("2026-11-25 15:54:59.999")
    late = log.write(tmp_path / "late.log")
    result = runner.invoke(app, ["check", late])
    assert (result.exit_code, result.stdout) == (
        0, "ok: no waiting, overdue or failed user as of 2026-11-25T15:54:59.999-08:00\n",
    )
    assert result.stderr == (
        "logsync: the log ends 2026-11-25T15:54:59.999-08:00 (15m ago); times are as of its last "
        "record; --now now judges as of now\n"
    )
    table = runner.invoke(app, ["report", "--format", "table", "--color", "never", late])
    assert table.stdout.startswith("as of 2026-11-25 15:54:59 -08:00 (the log's end, 15m ago) · 60 lines · 12 cycles")


# -- rule 9: the connector's state names its evidence -----------------------------------------


def test_a_stopped_connector_names_the_stop_and_a_running_one_nothing(tmp_path: Path) -> None:
    log = Log(bias=480)
    log.cycle("2026-11-25 15:00:00")
    log.at("2026-11-25 15:02:00", "CCloudUserSync::Process - User sync processing thread is now stopping.")
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path]).connector
    assert (connector.state, connector.code, connector.source, connector.line) == (
        "stopped", "connector_stopped", path, 6,
    )
    assert iso(connector.since) == "2026-11-25T15:02:00-08:00"
    log.restart("2026-11-25 15:10:00")
    log.cycle("2026-11-25 15:10:10")
    running = analyze([log.write(tmp_path / "again.log")]).connector
    assert (running.state, running.code, running.source, running.line) == ("running", None, "", 0)


# -- §2: inputs given twice, records in two inputs --------------------------------------------


def test_the_same_file_twice_or_with_its_folder_is_read_once(in_root: Path) -> None:
    once = runner.invoke(app, ["summary", "--format", "json", "sample_logs/rotated"])
    for twice in (
        ["sample_logs/rotated/CloudUserSync.log", "sample_logs/rotated/CloudUserSync.log",
         "sample_logs/rotated/CloudUserSync.lo_"],
        ["sample_logs/rotated", "sample_logs/rotated/CloudUserSync.log"],
    ):
        result = runner.invoke(app, ["summary", "--format", "json", *twice])
        assert result.stdout == once.stdout
        assert result.stderr.startswith(
            "logsync: sample_logs/rotated/CloudUserSync.log: given more than once, read once\n"
        )
    document = json.loads(once.stdout)
    assert (document["cycles"], len(document["restarts"])) == (30, 1)
    assert [finding["code"] for finding in document["findings"]] == ["stuck_users"]


def test_records_in_two_overlapping_exports_count_once(tmp_path: Path) -> None:
    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    monday, tuesday = tmp_path / "monday.log", tmp_path / "tuesday.log"
    monday.write_bytes(b"".join(lines[:2000]))
    tuesday.write_bytes(b"".join(lines[1499:]))
    whole = analyze([DEMO])
    merged = analyze([str(tuesday), str(monday)])
    assert merged.duplicates == 501
    assert (merged.result.cycles, merged.result.unreconciled_count, len(merged.result.restarts)) == (
        398, 0, 1,
    )
    assert {u.upn: u.moments for u in merged.users} == {u.upn: u.moments for u in whole.users}
    result = runner.invoke(app, ["check", str(monday), str(tuesday)])
    assert result.stderr == (
        "logsync: 501 records found in more than one input or run (the same instant, thread, component "
        "and text) counted once; the copies were left out\n"
    )
    events = runner.invoke(app, ["events", "--format", "ndjson", str(monday), str(tuesday)])
    assert len(events.stdout.splitlines()) == 3041


def reads_of(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times each input's text is read. Every reading goes through `text_chunks`,
    whole or a piece at a time (its runs, see `logsync.seams`): a reading counts from its first
    piece (which may begin past records it leaves out as copies), and each piece after it must
    begin where the one before it ends."""
    from logsync import pipeline

    counts: dict[str, int] = {}
    ends: dict[str, int | None] = {}
    original = pipeline.text_chunks

    def counted(name: str, *args: object, piece: tuple[int, int | None] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        start, end = piece if piece is not None else (0, None)
        if start == 0 or name not in ends:  # (a reading may begin past copies it leaves out)
            counts[name] = counts.get(name, 0) + 1
        else:
            assert ends[name] == start, f"{name}: a piece from {start} after one ending at {ends[name]}"
        ends[name] = end
        return original(name, *args, piece=piece, **kwargs)

    monkeypatch.setattr(pipeline, "text_chunks", counted)
    return counts


def test_overlapping_exports_are_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Their spans overlap (samples of each file tell), and the later export begins with the
    501 lines the earlier one ends with: they are read once, as rows, those 501 for their counts
    only, not read as rows until a shared record shows and then again; the answers are those of
    the reading that tells every record apart."""
    from logsync.bulk import how_to_read
    from logsync.pipeline import ReadOptions

    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    monday, tuesday = tmp_path / "monday.log", tmp_path / "tuesday.log"
    monday.write_bytes(b"".join(lines[:2000]))
    tuesday.write_bytes(b"".join(lines[1499:]))
    reading = how_to_read([str(monday), str(tuesday)], ReadOptions())
    cut = len(b"".join(lines[1499:2000]))
    assert (reading.rows, reading.pieces.keys()) == (True, {str(tuesday)})
    assert [(p.start, p.end, p.first_line, p.copies) for p in reading.pieces[str(tuesday)]] == [
        (0, cut, 1, True),
        (cut, None, 502, False),
    ]
    counts = reads_of(monkeypatch)
    merged = analyze([str(tuesday), str(monday)])
    assert counts == {str(tuesday): 1, str(monday): 1}
    assert merged.duplicates == 501
    plain = analyze([str(tuesday), str(monday)], fast=False)
    assert (merged.users, merged.as_of, merged.inputs) == (plain.users, plain.as_of, plain.inputs)


def _halves(tmp_path: Path, at: int, gap: int = 0) -> tuple[Path, Path]:
    """The demo log cut before line `at` into monday.log and tuesday.log; with `gap`, the
    lines between are in neither."""
    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    monday, tuesday = tmp_path / "monday.log", tmp_path / "tuesday.log"
    monday.write_bytes(b"".join(lines[:at]))
    tuesday.write_bytes(b"".join(lines[at + gap :]))
    return monday, tuesday


def test_exports_that_meet_within_a_second_leave_out_the_copies_they_begin_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside one cycle records are milliseconds apart: the last records of one export and the
    first of the next may be the same ones. Where the later export begins with copies of the
    earlier one's last records, it is read from past them (they count as duplicates), as rows;
    exports more than two seconds apart (a cycle's wait between them) cannot share one."""
    from logsync.bulk import Reading, how_to_read
    from logsync.pipeline import ReadOptions

    # lines 7 and 8 (the end of one cycle and the start of the next) are 5 minutes apart
    apart = how_to_read([str(p) for p in _halves(tmp_path, 7)], ReadOptions())
    assert apart._replace(sequence=None, ends={}) == Reading(True, {})
    # lines 4 and 5 (the cycle's removal totals and its removals): 0.137 s apart, none shared
    monday, tuesday = _halves(tmp_path, 4)
    near = how_to_read([str(monday), str(tuesday)], ReadOptions())
    assert near._replace(sequence=None, ends={}) == Reading(True, {})
    # either way, read one after the other they are the two merged by time (`events`)
    assert [name for name, _ in apart.sequence or ()] == [name for name, _ in near.sequence or ()]
    assert [name for name, _ in near.sequence or ()] == [str(monday), str(tuesday)]
    # monday ends with lines 5 and 6, which tuesday begins with
    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    monday.write_bytes(b"".join(lines[:6]))
    tuesday.write_bytes(b"".join(lines[4:]))
    reading = how_to_read([str(monday), str(tuesday)], ReadOptions())
    assert (reading.rows, reading.split) == (True, {})
    assert [(p.start, p.end, p.first_line, p.skipped) for p in reading.pieces[str(tuesday)]] == [
        (len(lines[4]) + len(lines[5]), None, 3, 2)
    ]
    assert list(reading.pieces) == [str(tuesday)]
    counts = reads_of(monkeypatch)
    merged = analyze([str(monday), str(tuesday)])
    assert counts == {str(monday): 1, str(tuesday): 1}
    plain = analyze([str(monday), str(tuesday)], fast=False)
    assert (merged.duplicates, plain.duplicates) == (2, 2)
    assert [s.fields() for s in merged.inputs] == [s.fields() for s in plain.inputs]
    assert (merged.users, merged.connector) == (plain.users, plain.connector)
    assert {u.upn: u.moments for u in merged.users} == {u.upn: u.moments for u in analyze([DEMO]).users}


def test_a_rotated_pair_is_read_as_rows_whatever_its_seam(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `.lo_` was renamed, not copied: its records all count, so the pair shares none and is
    read as rows, with the sibling logs beside it. A history file (`CloudUserSync-*.log`) is
    no `.lo_` by its name, but one that ends with the rotation marker was renamed too; without
    the marker (an excerpt may be named so), the next file, whose span meets its own, would be
    read from past the copies of its last records it begins with (it begins with none)."""
    from logsync import reading
    from logsync.bulk import Reading, how_to_read
    from logsync.pipeline import ReadOptions

    pair = [str(SAMPLES / "rotated" / "CloudUserSync.lo_"), str(SAMPLES / "rotated" / "CloudUserSync.log")]
    certificate = str(SAMPLES / "site-logs" / "CertMgr.log")
    assert how_to_read([*pair, certificate], ReadOptions())._replace(sequence=None, ends={}) == Reading(True, {})
    expected = [
        ("jan@example.org", "waiting"), ("kim@example.org", "synced"), ("lea@example.org", "synced"),
    ]
    history = tmp_path / "CloudUserSync-20250610-101500.log"
    history.write_bytes(Path(pair[0]).read_bytes())
    assert how_to_read([str(history), pair[1]], ReadOptions())._replace(sequence=None, ends={}) == Reading(True, {})
    excerpt = tmp_path / "CloudUserSync-excerpt.log"
    excerpt.write_bytes(Path(pair[0]).read_bytes().replace(b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>", b""))
    assert how_to_read([str(excerpt), pair[1]], ReadOptions())._replace(sequence=None, ends={}) == Reading(True, {})
    counts = reads_of(monkeypatch)
    assert [(u.upn, u.state) for u in analyze([str(history), pair[1]]).users] == expected
    assert counts == {str(history): 1, pair[1]: 1}
    monkeypatch.setattr(reading, "EventStream", None)  # the rows path only
    assert [(u.upn, u.state) for u in analyze(pair).users] == expected
    assert counts == {pair[0]: 1, pair[1]: 2, str(history): 1}


def test_a_history_file_that_repeats_the_lo_counts_its_records_once(tmp_path: Path) -> None:
    """The demo log as a folder (1,500 lines in the `.lo_`, the rest in the `.log`) beside a
    history file holding a copy of the `.lo_`'s first 1,000 lines. Before, a `.lo_` was never
    taken for a copy: ivan "held back in 413 cycles" within one 24 h timer (288 can fit),
    648 cycles for 398. A `.lo_` read whole counts with the run that begins where it ends (its
    end is sampled before the reading, `Reading.ends`); any other copy of its records is one."""
    from logsync.bulk import how_to_read
    from logsync.pipeline import ReadOptions

    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    folder = tmp_path / "Logs"
    folder.mkdir()
    marker = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
    (folder / "CloudUserSync.lo_").write_bytes(b"".join(lines[:1500]) + marker)
    (folder / "CloudUserSync.log").write_bytes(b"".join(lines[1500:]))
    (folder / "CloudUserSync-20261125-042004.log").write_bytes(b"".join(lines[:1000]))
    names = expand_paths([str(folder)], stdin_is_pipe=False)
    reading = how_to_read(names, ReadOptions())
    rotated = folder / "CloudUserSync.lo_"
    end = analyze([str(rotated)]).inputs[0].last_time
    assert end is not None and iso(end) == "2026-11-24T23:05:05.733-08:00"
    assert (reading.rows, dict(reading.ends)) == (True, {str(rotated): micros(end)})
    # the history file is the `.lo_`'s first 1,000 lines: it is read for its counts only
    history = folder / "CloudUserSync-20261125-042004.log"
    assert [(p.start, p.end, p.copies) for p in reading.pieces[str(history)]] == [(0, None, True)]
    read = analyze([str(folder)])
    whole = analyze([DEMO])
    assert (read.result.cycles, read.duplicates) == (398, 1000)
    assert [(u.upn, u.state, u.requests, u.instants) for u in read.users] == [
        (u.upn, u.state, u.requests, u.instants) for u in whole.users
    ]
    plain = analyze([str(folder)], fast=False)
    assert (plain.result.cycles, plain.duplicates, plain.users) == (398, 1000, read.users)


@pytest.mark.parametrize("given", ["folder", "history file", "stdin", "packed"])
def test_records_written_twice_at_a_rotation_s_seam_all_count_whatever_the_older_half_s_name(
    tmp_path: Path, given: str
) -> None:
    """The connector wrote bob's failure twice as its log rotated, and twice again in the new
    log (the lab's SMSProv.lo_/.log shape): all four count. A run that ends with the rotation
    marker is the older half whatever its name, packing or way in: before, a history file
    (`CloudUserSync-*.log`), a `.lo_` on stdin or gzipped kept 2 of them."""
    import gzip

    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    failure = lines[2440]
    assert b"Failed to add user bob@contoso.com" in failure
    marker = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
    older = b"".join([*lines[:2441], failure, marker])
    newer = b"".join([failure, failure, *lines[2441:]])
    folder = tmp_path / "Logs"
    folder.mkdir()
    (folder / "CloudUserSync.log").write_bytes(newer)
    stdin = None
    if given == "folder":
        (folder / "CloudUserSync.lo_").write_bytes(older)
        arguments = [str(folder)]
    elif given == "history file":
        (folder / "CloudUserSync-20261125-091008.log").write_bytes(older)
        arguments = [str(folder)]
    elif given == "stdin":
        arguments, stdin = ["-", str(folder / "CloudUserSync.log")], older
    else:
        (tmp_path / "CloudUserSync.lo_.gz").write_bytes(gzip.compress(older))
        (tmp_path / "CloudUserSync.log.gz").write_bytes(gzip.compress(newer))
        arguments = [str(tmp_path / "CloudUserSync.lo_.gz"), str(tmp_path / "CloudUserSync.log.gz")]
    result = runner.invoke(app, ["report", "--format", "json", *arguments], input=stdin)
    assert result.exit_code == 0, result.output
    users = {u["upn"]: u for u in json.loads(result.stdout)["users"]}
    assert (users["bob@contoso.com"]["failures"], users["bob@contoso.com"]["state"]) == (4, "waiting")
    assert "counted once" not in result.stderr


def test_a_packed_log_is_sampled_in_its_unpacked_copy(tmp_path: Path) -> None:
    """A gzip is unpacked once into a copy that is sampled and read like any file: beside the
    log it packs, its bytes are all the log's, read for their counts only (every record counts
    once); alone, it is read as rows."""
    import gzip

    from logsync import unpacked
    from logsync.bulk import Reading, how_to_read
    from logsync.pipeline import ReadOptions

    packed = tmp_path / "CloudUserSync.log.gz"
    packed.write_bytes(gzip.compress(Path(DEMO).read_bytes()))
    both = how_to_read([str(DEMO), str(packed)], ReadOptions())
    assert (both.rows, both.split) == (True, {})
    # (at equal first records, the first by name is read: the other's bytes are its copies)
    copies, read = max(str(DEMO), str(packed)), min(str(DEMO), str(packed))
    assert {name: [(p.start, p.end, p.copies) for p in runs] for name, runs in both.pieces.items()} == {
        copies: [(0, None, True)]
    }
    assert {name: piece.copies for name, piece in both.sequence or ()} == {copies: True, read: False}
    alone = how_to_read([str(packed)], ReadOptions())
    assert alone._replace(sequence=None, ends={}) == Reading(True, {})
    assert [(name, piece.first_line) for name, piece in alone.sequence or ()] == [(str(packed), 1)]
    copy = unpacked.copy_of(str(packed))
    assert copy is not None and Path(copy).read_bytes() == Path(DEMO).read_bytes()
    assert analyze([str(DEMO), str(packed)]).duplicates == 3041  # (every record of the log)


def test_a_record_repeated_within_one_input_is_kept(tmp_path: Path) -> None:
    """Only a record found in two inputs is a copy: one input may log a line twice."""
    log = Log(bias=240).cycle("2014-09-15 09:00:50")
    log.lines.insert(1, log.lines[0])  # the cycle's start, logged twice in the same millisecond
    other = Log(bias=240).cycle("2014-09-15 10:00:00")
    stream = EventStream([log.write(tmp_path / "a.log"), other.write(tmp_path / "b.log")])
    kinds = [event.kind for event in stream]
    assert (stream.duplicates, kinds.count("sync_started")) == (0, 3)


# -- §5: --user that matches nobody ---------------------------------------------------------


def test_a_user_typo_fails_the_gate_and_every_command_suggests_the_nearest() -> None:
    gate = runner.invoke(app, ["check", "--user", "bobb@contoso.com", DEMO])
    assert (gate.exit_code, gate.stdout) == (2, "")
    assert gate.stderr == (
        "logsync: error: --user bobb@contoso.com matches no user of the log; did you mean "
        "bob@contoso.com?\n"
    )
    hint = "logsync: --user bobb@contoso.com matches no user of the log; did you mean bob@contoso.com?\n"
    report = runner.invoke(app, ["report", "--user", "bobb@contoso.com", DEMO])
    assert (report.exit_code, report.stdout, report.stderr) == (0, "", hint)
    events = runner.invoke(app, ["events", "--user", "bobb@contoso.com", DEMO])
    assert (events.stdout, events.stderr) == ("", hint)
    several = runner.invoke(app, ["check", "--user", "nobody*", "--user", "x@y", DEMO])
    assert several.stderr == "logsync: error: --user nobody* --user x@y match no user of the log\n"
    assert runner.invoke(app, ["check", "--user", "bob@*", DEMO]).exit_code == 1
    # report's gate on nobody is no pass either (it passed: exit 0)
    gated = runner.invoke(app, ["report", "--fail-on", "stuck", "--user", "bobb@contoso.com", DEMO])
    assert (gated.exit_code, gated.stdout) == (2, "")
    assert gated.stderr == gate.stderr
    assert runner.invoke(app, ["report", "--fail-on", "stuck", "--user", "bob*", DEMO]).exit_code == 1


@pytest.mark.parametrize("command", ["check", "report", "summary", "events", "watch"])
def test_an_empty_user_glob_is_refused_not_read_as_nobody(command: str) -> None:
    """`--user "$USERS"` with the variable unset matched nobody: `report --fail-on stuck`
    passed (exit 0) on a log with stuck users."""
    result = runner.invoke(app, [command, "--user", "", DEMO])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "logsync: error: --user: an empty glob (an unset variable?): give a UPN or a glob\n"
    )


def test_a_user_of_the_records_after_now_is_no_user_of_the_log_up_to_now() -> None:
    """erin's first line is at 14:30 on the 25th: `report --user 'erin*' --now` the day before
    said "matches no user of the log", where `timeline` said "up to" the time."""
    now = ["--now", "2026-11-24T07:00-08:00"]
    up_to = "the log up to 2026-11-24T07:00:00-08:00"
    report = runner.invoke(app, ["report", "--user", "erin*", *now, DEMO])
    assert (report.exit_code, report.stderr.splitlines()[1]) == (
        0,
        f"logsync: --user erin* matches no user of {up_to}",
    )
    gate = runner.invoke(app, ["check", "--user", "erin*", *now, DEMO])
    assert (gate.exit_code, gate.stderr.splitlines()[-1]) == (
        2,
        f"logsync: error: --user erin* matches no user of {up_to}",
    )
    timeline = runner.invoke(app, ["timeline", "erin", *now, DEMO])
    assert timeline.stderr.splitlines()[-1] == f"logsync: erin does not appear in {up_to}"
    whole = runner.invoke(app, ["check", "--user", "erin*", DEMO])
    assert whole.exit_code == 1  # (she is waiting at the log's end)


@pytest.mark.parametrize(
    ("glob", "suggested"),
    [
        ("bobb*", "bob@contoso.com"),
        ("hiedi*", "heidi@contoso.com"),
        ("*ivn*", "ivan@contoso.com"),
        ("bobb@*", "bob@contoso.com"),
        ("h*idi", "heidi@contoso.com"),  # (a glob of the name alone, no domain)
    ],
)
def test_a_misspelt_name_in_a_glob_is_suggested_by_its_name_before_the_at(
    glob: str, suggested: str
) -> None:
    gate = runner.invoke(app, ["check", "--user", glob, DEMO])
    assert (gate.exit_code, gate.stderr) == (
        2,
        f"logsync: error: --user {glob} matches no user of the log; did you mean {suggested}?\n",
    )


def test_a_misspelt_name_suggests_every_user_of_that_name() -> None:
    from logsync.cli.notes import did_you_mean

    names = ["bob@contoso.com", "alice@contoso.com", "bob@fabrikam.com"]
    assert did_you_mean("bobb*", names) == "; did you mean bob@contoso.com, bob@fabrikam.com?"
    assert did_you_mean("zed*", names) == ""
    assert did_you_mean("bobby", ["bob", "alice"]) == "; did you mean bob?"  # (no UPN: no @)


@pytest.mark.parametrize(
    ("given", "suggested"),
    [
        # a part of many UPNs: the first five, and how many more
        ("contoso", "carol@contoso.com, alice@contoso.com, grace@contoso.com, ivan@contoso.com, "
         "heidi@contoso.com and 5 more"),
        ("e", "alice@contoso.com, grace@contoso.com, heidi@contoso.com, dave@contoso.com, "
         "erin@contoso.com"),  # exactly five: no "and 0 more"
        ("heid@", "heidi@contoso.com"),
        ("hedy", None),  # too far from any name
    ],
)
def test_did_you_mean_lists_at_most_five(given: str, suggested: str | None) -> None:
    gate = runner.invoke(app, ["check", "--user", given, DEMO])
    hint = f"; did you mean {suggested}?" if suggested else ""
    assert (gate.exit_code, gate.stderr) == (
        2, f"logsync: error: --user {given} matches no user of the log{hint}\n",
    )


def test_lines_that_are_no_record_are_said_on_stderr(tmp_path: Path) -> None:
    """A log cut inside its last line (copied while written): the cut line is not judged, and
    stderr says so, in every format; --quiet leaves the note out."""
    text = (SAMPLES / "CloudUserSync.log").read_bytes()
    cut = tmp_path / "CloudUserSync.log"
    cut.write_bytes(text[: text.index(b"Total received users to add", 200_000) + 40])
    note = (
        f"logsync: {cut}: 1 line is no record and not judged (logsync events --kind unparsed "
        "lists them)\n"
    )
    for command in (["report", "--format", "text"], ["summary", "--format", "json"], ["check"]):
        result = runner.invoke(app, [*command, str(cut)])
        assert note in result.stderr, command
    assert "no record" not in runner.invoke(app, ["report", "-q", str(cut)]).stderr
    prose = tmp_path / "ticket.txt"
    prose.write_text(
        "Hi team,\nthe connector log shows:\n"
        + (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert (
        f"logsync: {prose}: 2 lines are no record and not judged (logsync events --kind "
        "unparsed lists them)\n"
    ) in runner.invoke(app, ["report", str(prose)]).stderr
    assert runner.invoke(app, ["report", DEMO]).stderr.count("no record") == 0
    # a sibling log read for its records about the connector: its other lines are not noted
    site = tmp_path / "site"
    site.mkdir()
    for log in (SAMPLES / "site-logs").glob("*.log"):
        (site / log.name).write_bytes(log.read_bytes())
    with open(site / "CertMgr.log", "a", encoding="utf-8") as certmgr:
        certmgr.write("junk, cut while written\n")
    assert "no record" not in runner.invoke(app, ["check", str(site)]).stderr


def test_a_rotated_log_s_marker_is_no_line_to_warn_about() -> None:
    """The `.lo_` ends with the rotation marker: an unparsed line, as JSON counts it, but the
    log's own word that it was renamed, so no note says a line was not judged."""
    rotated = str(SAMPLES / "rotated")
    result = runner.invoke(app, ["report", "--format", "json", rotated])
    assert [i["unparsed"] for i in json.loads(result.stdout)["inputs"]] == [1, 0]
    assert "no record" not in result.stderr


@pytest.mark.parametrize(
    ("gap", "noted"), [(timedelta(days=1), False), (timedelta(days=1, seconds=1), True)]
)
def test_inputs_more_than_a_day_apart_are_said_to_leave_a_hole(
    tmp_path: Path, gap: timedelta, noted: bool
) -> None:
    early = Log(bias=480).cycles("2026-11-20 07:00", "2026-11-20 08:00")
    start = datetime(2026, 11, 20, 7, 55) + gap  # (the early log's last cycle)
    late = Log(bias=480).cycles(f"{start:%Y-%m-%d %H:%M:%S}", f"{start + timedelta(hours=1):%Y-%m-%d %H:%M:%S}")
    (tmp_path / "week1").mkdir()
    (tmp_path / "week2").mkdir()
    first = early.write(tmp_path / "week1" / "CloudUserSync.log")
    second = late.write(tmp_path / "week2" / "CloudUserSync.log")
    note = (
        f"logsync: {first} ends 2026-11-20T07:55:00-08:00 and {second} begins "
        f"{(start.isoformat())}-08:00, {human_duration(gap.total_seconds())} later: what happened "
        "between is in neither, though they are read as one history\n"
    )
    for order in ((second, first), (first, second)):
        result = runner.invoke(app, ["summary", *order])
        assert (note in result.stderr) is noted
    assert "later: what happened" not in runner.invoke(app, ["report", "-q", second, first]).stderr
    # judged before the later log begins: it is left out, so nothing is apart
    before = runner.invoke(app, ["report", "--now", "2026-11-20T07:57", first, second])
    assert "later: what happened" not in before.stderr


def test_the_note_of_inputs_apart_names_the_first_hole_and_never_copies_or_siblings(
    tmp_path: Path,
) -> None:
    """C (the 10th), A (the 13th and the 18th) and B (the 14th, inside A): one hole, from C's
    end to A's start. Two copies of one log, or a sibling log of other years, leave none."""
    paths = {}
    for name, spans in (
        ("C", [("2026-11-10 07:00", "2026-11-10 08:00")]),
        ("A", [("2026-11-13 07:00", "2026-11-13 08:00"), ("2026-11-18 07:00", "2026-11-18 08:00")]),
        ("B", [("2026-11-14 07:00", "2026-11-14 08:00")]),
    ):
        log = Log(bias=480)
        for start, end in spans:
            log.cycles(start, end)
        (tmp_path / name).mkdir()
        paths[name] = log.write(tmp_path / name / "CloudUserSync.log")
    result = runner.invoke(app, ["summary", paths["C"], paths["A"], paths["B"]])
    notes = [line for line in result.stderr.splitlines() if "what happened between" in line]
    assert notes == [
        f"logsync: {paths['C']} ends 2026-11-10T07:55:00-08:00 and {paths['A']} begins "
        "2026-11-13T07:00:00-08:00, 2d 23h later: what happened between is in neither, though "
        "they are read as one history"
    ]
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "CloudUserSync.log").write_bytes((SAMPLES / "CloudUserSync.log").read_bytes())
    copies = runner.invoke(app, ["summary", str(tmp_path / "a"), str(tmp_path / "b")])
    assert (copies.exit_code, "what happened between" in copies.stderr) == (0, False)
    assert "3,041 records found in more than one input or run" in copies.stderr
    sibling = runner.invoke(app, ["summary", DEMO, str(SAMPLES / "site-logs" / "CertMgr.log")])
    assert (sibling.exit_code, "what happened between" in sibling.stderr) == (0, False)


def test_a_log_that_spans_the_others_leaves_no_hole_between_them(tmp_path: Path) -> None:
    """Five days in one log, and two short logs on its days 2 and 4: they are two days apart,
    but the long log holds what happened between them."""
    paths = []
    for name, start, end in (
        ("long", "2026-11-20 07:00", "2026-11-25 07:00"),
        ("day2", "2026-11-21 07:00", "2026-11-21 08:00"),
        ("day4", "2026-11-23 07:00", "2026-11-23 08:00"),
    ):
        (tmp_path / name).mkdir()
        paths.append(Log(bias=480).cycles(start, end, timedelta(minutes=30)).write(
            tmp_path / name / "CloudUserSync.log"
        ))
    result = runner.invoke(app, ["summary", *paths])
    assert (result.exit_code, "later: what happened" in result.stderr) == (0, False)


# -- §5: times read whole or refused ----------------------------------------------------------


ABBREVIATED = (
    "reads as a zone abbreviation, which names no one zone: give an offset such as -05:00, an IANA "
    "name such as America/New_York or a Windows name such as Eastern Standard Time"
)
DEMO_SPAN = "2026-11-24T06:59:55.211-08:00 to 2026-11-25T16:04:59.644-08:00"
PASTED = str(SAMPLES / "pasted" / "ticket.txt")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-11-25 12:00 EST", "--now '2026-11-25 12:00 EST': 'EST' reads as a zone abbreviation, "
         "which names no one zone: give an offset such as -05:00, an IANA name such as "
         "America/New_York or a Windows name such as Eastern Standard Time"),
        ("", "--now: an empty time: give now or a date and time (for example 2026-11-25T12:00 or "
         "'11/25/2026 12:00 PM')"),
        ("12:00", "--now: '12:00' has no full date (day, month and year): for example "
         "2026-11-25T12:00 or '11/25/2026 12:00 PM'"),
        ("Nov 25 12:00", "--now: 'Nov 25 12:00' has no full date (day, month and year): for "
         "example 2026-11-25T12:00 or '11/25/2026 12:00 PM'"),
        # an abbreviation in any case and any spacing
        ("2026-11-25 12:00 est", f"--now '2026-11-25 12:00 est': 'est' {ABBREVIATED}"),
        ("2026-11-25 12:00 cet", f"--now '2026-11-25 12:00 cet': 'cet' {ABBREVIATED}"),
        ("2026-11-25 12:00EST", f"--now '2026-11-25 12:00EST': 'EST' {ABBREVIATED}"),
        ("2026-11-25 12:00est", f"--now '2026-11-25 12:00est': 'est' {ABBREVIATED}"),
        ("11/25/2026 12:00 PM pst", f"--now '11/25/2026 12:00 PM pst': 'pst' {ABBREVIATED}"),
        # a date that only reads day-first
        ("26/11/2026 10:00", "--now: '26/11/2026 10:00' reads only day-first; dates of numbers are "
         "month/day/year, as SMS logs write them: write the ISO form 2026-11-26"),
        # a date with dots that only reads month-first (dots are day.month.year)
        ("11.25.2026", "--now: '11.25.2026' reads only month-first; dates with dots are "
         "day.month.year: write the ISO form 2026-11-25"),
        # a weekday that is not the date's
        ("Mon 11/25/2026 12:00", "--now: 'Mon 11/25/2026 12:00' says Mon, but 2026-11-25 is a "
         "Wednesday: correct the date, or leave the weekday out"),
        # a time outside the log: a year typo
        ("2020-01-01", "--now: 2020-01-01T00:00:00-08:00 is before the first record of the input; "
         f"it spans {DEMO_SPAN}"),
        ("2026-11-24T06:59:55.210", "--now: 2026-11-24T06:59:55.210-08:00 is before the first "
         f"record of the input; it spans {DEMO_SPAN}"),
        # the calendar's ends
        ("0001-01-01T00:00:00+14:00", "--now: '0001-01-01T00:00:00+14:00' is outside the years "
         "logsync reads (2 to 9998)"),
        ("9999-12-31T23:59:59-12:00", "--now: '9999-12-31T23:59:59-12:00' is outside the years "
         "logsync reads (2 to 9998)"),
        ("now-2", "--now 'now-2': '2' has no unit (write it as 2h, 2m or 2s)"),
    ],
)
def test_a_time_that_cannot_be_read_whole_is_refused(value: str, message: str) -> None:
    result = runner.invoke(app, ["report", "--now", value, DEMO])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"logsync: error: {message}\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--restart-at", "2025-11-25", DEMO], "--restart-at: 2025-11-25T00:00:00-08:00 is "
         f"before the first record of the input; it spans {DEMO_SPAN}"),
        (["report", "--restart-at", "9999-12-31T23:59:59", DEMO], "--restart-at: "
         "'9999-12-31T23:59:59' is outside the years logsync reads (2 to 9998)"),
        (["check", "--now", "2020-01-01", DEMO], "--now: 2020-01-01T00:00:00-08:00 is before the "
         f"first record of the input; it spans {DEMO_SPAN}"),
        (["summary", "--now", "2020-01-01", DEMO], "--now: 2020-01-01T00:00:00-08:00 is before the "
         f"first record of the input; it spans {DEMO_SPAN}"),
        (["summary", "--now", "0001-01-01T00:00:00", PASTED], "--now: '0001-01-01T00:00:00' is "
         "outside the years logsync reads (2 to 9998)"),
        (["report", "--now", "2014-09-14 10:00", PASTED], "--now: 2014-09-14T10:00:00 is before the "
         "first record of the input; it spans 2014-09-14T10:23:54 to 2014-09-15T10:24:12"),
        (["report", "--tz", "", DEMO], "--tz: an empty zone (an unset variable?): give UTC, local, "
         "an offset such as -05:00, an IANA name such as America/New_York or a Windows name such "
         "as Eastern Standard Time"),
        (["report", "--source-tz", "", DEMO], "--source-tz: an empty zone (an unset variable?): "
         "give UTC, local, an offset such as -05:00, an IANA name such as America/New_York or a "
         "Windows name such as Eastern Standard Time"),
        (["report", "--interval", "", DEMO], "--interval: cannot read '' as a duration (try 24h, "
         "5m, 90s)"),
        (["events", "--since", "2026-11-25 10:00", "--until", "2026-11-24 10:00", DEMO],
         "--since '2026-11-25 10:00' is not before --until '2026-11-24 10:00': no time lies "
         "between them"),
        (["events", "--since", "2026-11-25 10:00", "--until", "2026-11-25 10:00", DEMO],
         "--since '2026-11-25 10:00' is not before --until '2026-11-25 10:00': no time lies "
         "between them"),
    ],
)
def test_a_time_or_zone_option_that_judges_nothing_is_refused(args: list[str], message: str) -> None:
    """SPEC §5: a time before the input names its span; an empty value (an unset CI variable)
    is never read as "nothing"; `--since` after `--until` selects nothing."""
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"logsync: error: {message}\n")


@pytest.mark.parametrize(
    ("value", "as_of"),
    [
        ("2026-11-25 12:00 America/New_York", "2026-11-25T09:00:00-08:00"),
        ("2026-11-25 12:00 Eastern Standard Time", "2026-11-25T09:00:00-08:00"),
        ("2026-11-25 12:00 UTC+2", "2026-11-25T02:00:00-08:00"),
        ("2026-11-25T12:00:00-05:00", "2026-11-25T09:00:00-08:00"),
        ("11/25/2026 12:00 PM", "2026-11-25T12:00:00-08:00"),
        ("2026-11-25 12:00", "2026-11-25T12:00:00-08:00"),
        ("11/25/2026 12:00 PM America/New_York", "2026-11-25T09:00:00-08:00"),
        ("11/25/2026 12:00 p.m. Pacific Standard Time", "2026-11-25T12:00:00-08:00"),
        ("11/25/2026 12:00 PM Japan", "2026-11-24T19:00:00-08:00"),
        ("now-1d", "2026-11-24T16:10:00-08:00"),
        ("now - 2h", "2026-11-25T14:10:00-08:00"),
        ("now+30m", "2026-11-25T16:40:00-08:00"),
    ],
)
def test_a_time_with_a_zone_name_or_an_offset_is_honoured(value: str, as_of: str) -> None:
    """Shown in the offset the log used then, like every time of the output."""
    result = runner.invoke(app, ["report", "--format", "json", "--now", value, DEMO])
    assert json.loads(result.stdout)["as_of"] == as_of


def test_a_time_on_pasted_text_without_offsets_is_its_wall_clock_time() -> None:
    """A pasted excerpt has no UTC offsets: `--now` and `--restart-at` without one are read as
    its own wall-clock times (never as this machine's local time, never a traceback)."""
    result = runner.invoke(app, ["report", "--format", "json", "--now", "2014-09-20 12:00", PASTED])
    document = json.loads(result.stdout)
    assert (result.exit_code, document["as_of"], document["connector"]["text"]) == (
        0, "2014-09-20T12:00:00", "connector stalled since 2014-09-15T10:24:12 (5d 1h without a cycle)",
    )
    check = runner.invoke(app, ["check", "--now", "2014-09-20 12:00", PASTED])
    assert (check.exit_code, check.stdout.splitlines()[-1]) == (
        1, "FAIL: no waiting, overdue or failed user; connector: connector_stalled as of 2014-09-20T12:00:00",
    )
    what_if = runner.invoke(app, ["report", "--restart-at", "2014-09-14 12:00", PASTED])
    assert (what_if.exit_code, what_if.stdout.splitlines()[0]) == (
        0,
        "scott@contoso.com\twaiting\tUserNotFound\t2014-09-14T10:23:54\t2014-09-14T10:23:54\t1\t"
        "2014-09-15T10:23:54\t2014-09-14T12:05:00\t300.0\t-\t-\t-",
    )


# -- rule 5: the what-if restart is judged as of the restart ---------------------------------


def test_restart_at_now_on_an_older_log_frees_nobody_sooner_and_marks_its_times() -> None:
    result = runner.invoke(
        app, ["report", "--format", "table", "--color", "never", "--restart-at", "2026-11-28 10:00", DEMO],
        env={"COLUMNS": "160"},
    )
    lines = result.stdout.splitlines()
    assert lines[-3] == (
        "What-if restart at 2026-11-28T10:00:00-08:00 (times marked * in the table): frees no "
        "waiting user sooner; retries 4 overdue users whose own retry did not come."
    )
    marked = [line.split()[0] for line in lines if "@contoso.com" in line and " * " in line]
    assert marked == ["bob@contoso.com", "erin@contoso.com", "heidi@contoso.com", "ivan@contoso.com"]
    document = json.loads(
        runner.invoke(app, ["report", "--format", "json", "--restart-at", "2026-11-28 10:00", DEMO]).stdout
    )
    assert document["as_of"] == "2026-11-28T10:00:00-08:00"
    assert (document["what_if"]["users_freed"], document["what_if"]["max_time_saved_s"]) == ([], 0)
    assert document["what_if"]["users_retried"] == [
        "bob@contoso.com", "erin@contoso.com", "heidi@contoso.com", "ivan@contoso.com",
    ]
    both = runner.invoke(app, ["report", "--now", "2026-11-25 12:00", "--restart-at", "now", DEMO])
    assert (both.exit_code, both.stderr) == (
        2, "logsync: error: --restart-at judges as of its own time: give it without --now\n",
    )


# -- watch says what it sees ------------------------------------------------------------------


def test_watch_streams_the_connector_s_state_when_piped(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [LOGSYNC, "watch", "--format", "ndjson",
         str(SAMPLES / "certificate-wait")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        record = json.loads(process.stdout.readline())
    finally:
        process.kill()
        process.wait()
    assert (record["kind"], record["state"], record["problem"], record["problems"]) == (
        "connector", "stopped", "connector_stopped",
        ["connector_stopped", "certificate_missing", "no_cycles"],
    )
    assert record["evidence"]["line"] == 20


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ((REAL_LOGS / "sitecomp.log").read_bytes(),
         "no SMS_CLOUD_USERSYNC records (it is a log of SMS_SITE_COMPONENT_MANAGER)"),
        (bytes(range(256)) * 64, "no CloudUserSync records found (not SMS trace, "
         "CMTrace or text pasted from them)"),
    ],
)
def test_watch_checks_what_the_log_already_holds(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(content)
    result = run_installed("watch", str(path), timeout=60)
    expected = f"{path}: {message}"
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        2, b"", f"logsync: error: {expected}\n",
    )


def test_watch_on_a_folder_it_cannot_read_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = runner.invoke(app, ["watch", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (2, f"logsync: error: {tmp_path}: Permission denied\n")


def test_watch_on_a_log_it_may_not_read_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "CloudUserSync.log"
    log.write_bytes((SAMPLES / "CloudUserSync.log").read_bytes()[:2000])
    monkeypatch.setattr("logsync.follow.os.access", lambda *args, **kwargs: False)
    result = runner.invoke(app, ["watch", str(log)])
    assert (result.exit_code, result.stderr) == (2, f"logsync: error: {log}: permission denied\n")


@pytest.mark.parametrize("name", ["cloudusersync.log", "CloudUserSync.LOG", None])
def test_watch_finds_the_live_log_of_a_folder_in_any_case(tmp_path: Path, name: str | None) -> None:
    from logsync.follow import live_path

    if name is not None:
        (tmp_path / name).write_bytes(b"")
        (tmp_path / "CloudUserSync.lo_").write_bytes(b"")
    assert live_path(str(tmp_path)) == tmp_path / (name or "CloudUserSync.log")


# -- never a traceback ------------------------------------------------------------------------


@pytest.mark.parametrize("fail_on", ["connector", "no_cycles", "connector_stalled", "certificate_missing"])
def test_fail_on_a_connector_problem_of_a_healthy_connector(fail_on: str) -> None:
    result = runner.invoke(app, ["report", "--fail-on", fail_on, DEMO])
    assert (result.exit_code, result.exception) == (0, None)


@pytest.mark.parametrize("command", [["report"], ["summary"], ["check"], ["timeline", "bob@contoso.com"]])
def test_a_full_disk_or_a_closed_stdout_is_one_line_and_exit_2(command: list[str]) -> None:
    script = LOGSYNC
    with open("/dev/full", "w") as full:
        result = subprocess.run([script, *command, DEMO], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert (result.returncode, without_log_end_note(result.stderr)) == (
        2, b"logsync: error: cannot write the output: No space left on device\n",
    )
    closed = subprocess.run(
        f"exec {script} {' '.join(command)} {DEMO} >&-", shell=True, stderr=subprocess.PIPE, timeout=60
    )
    assert (closed.returncode, without_log_end_note(closed.stderr)) == (
        2, b"logsync: error: cannot write the output: standard output is closed\n",
    )


@pytest.mark.parametrize("stderr", ["2>&-", "2>/dev/full"])
def test_a_closed_or_full_stderr_loses_the_notes_not_the_output_or_the_exit_code(
    stderr: str, tmp_path: Path
) -> None:
    """Notes and errors go to stderr; where it is closed or full, the command still writes its
    output and ends with its own code (1 for check's findings, 2 for a missing file), never a
    traceback on stdout and an exit code of 1 that a CI job reads as stuck users."""
    out = tmp_path / "out"
    runs = {
        "report --format json": 0,
        "check": 1,
        "report --format json missing.log": 2,
    }
    for command, code in runs.items():
        args = command if "missing" in command else f"{command} {DEMO}"
        result = subprocess.run(
            f"exec {LOGSYNC} {args} >{out} {stderr}", shell=True, cwd=tmp_path, timeout=60
        )
        assert result.returncode == code, command
        written = out.read_text()
        assert "Traceback" not in written
        if command == "report --format json":
            assert json.loads(written)["summary"]["waiting"] == 3
        elif command == "check":
            assert written.splitlines()[-1].startswith("FAIL: 5 users (3 waiting, 1 overdue, 1 failed)")
        else:
            assert written == ""


@pytest.mark.parametrize("pure", [False, True])
@pytest.mark.parametrize("command", [["report", "--all"], ["summary"], ["check"]])
def test_a_record_dated_at_the_ends_of_time_is_unparsed_on_both_paths(
    tmp_path: Path, command: list[str], pure: bool
) -> None:
    log = Log(bias=480)
    log.cycle("2026-11-24 07:00:00", ("a@contoso.com",))
    log.lines.insert(2, log.lines[0].replace("11-24-2026 07:00:00.000", "12-31-9999 23:59:00.000"))
    log.lines.insert(3, log.lines[0].replace("11-24-2026 07:00:00.000+480", "01-01-0001 00:10:00.000-480"))
    path = log.write(tmp_path / "CloudUserSync.log")
    env = {"LOGSYNC_PURE": "1"} if pure else {}
    result = run_installed(*command, "--format", "json", path, **env)
    assert (result.returncode, result.stderr.count(b"Traceback")) == (0, 0)
    events = run_installed("events", "--kind", "unparsed", path, **env)
    problems = [(event["line"], event["problem"]) for event in map(json.loads, events.stdout.splitlines())]
    assert problems == [
        (3, "date out of range (years 2 to 9998)"),
        (4, "date out of range (years 2 to 9998)"),
    ]


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["report", "--color", "always"], 0),
        (["report", "--color", "always", "--fail-on", "stuck"], 1),
        (["summary", "--color", "always"], 0),
        (["timeline", "--color", "always", "bob@contoso.com"], 0),
        (["events", "--color", "always"], 0),
    ],
)
def test_a_closed_pipe_on_a_table_keeps_the_command_s_code(command: list[str], code: int) -> None:
    script = LOGSYNC
    process = subprocess.Popen(
        [script, *command, DEMO], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "120"},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    assert process.wait(timeout=60) == code
    assert without_log_end_note(process.stderr.read()) == b""


def timeline_steps(upn: str, path: str) -> list[tuple[str, str, str, int | None]]:
    """(clock time, what, detail, line) of each step; every step from the log names `path`."""
    document = json.loads(runner.invoke(app, ["timeline", upn, "--format", "json", path]).stdout)
    steps = document["steps"]
    assert all(s["source"] == path for s in steps if s["line"] is not None)
    return [(s["time"][11:19], s["what"], s["detail"], s["line"]) for s in steps]


NOT_RECEIVED = "not received: held back since before the log (its failure is not in the input)"
STILL_HELD = "notified; held back since before the log: failure not in the input"
UNDECIDED = "the cycle's counts cannot say whether it was received or held back"


def test_the_story_of_users_decided_by_the_next_cycle(tmp_path: Path) -> None:
    """Two users held back since before the log; a cycle receives one of them (which, its counts
    cannot say); the next cycle notifies only b, so a was the one added."""
    log = Log(bias=240)
    steady(log, datetime(2014, 9, 15, 9, 0, 50), "a@contoso.com", "b@contoso.com")
    steady(log, datetime(2014, 9, 15, 9, 5, 50), "a@contoso.com", "b@contoso.com", received=1, added=1)
    steady(log, datetime(2014, 9, 15, 9, 10, 50), "b@contoso.com")
    path = log.write(tmp_path / "CloudUserSync.log")
    assert timeline_steps("a@contoso.com", path) == [
        ("09:00:52", "requested", "NotifyAccountAddition a@contoso.com", 2),
        ("09:00:53", "held_back", NOT_RECEIVED, 4),
        ("09:05:52", "held_back", STILL_HELD, 6),
        ("09:05:53", "undecided", UNDECIDED, 8),
        ("09:10:53", "added", "added to the cloud: recovered in a cycle before this one, which does not name it (a user held back is named in every cycle)", 11),
    ]
    assert timeline_steps("b@contoso.com", path)[3:6] == [
        ("09:05:53", "undecided", UNDECIDED, 8),
        ("09:10:52", "held_back", STILL_HELD, 10),
        ("09:00:50", "full_sync_due", "24 h timer runs out at the latest (its failure is before the log)", None),
    ]


def test_a_held_back_user_missing_from_a_complete_cycle_is_released(tmp_path: Path) -> None:
    """Rule 2b: a user held back since before the log is notified in every cycle; one missing
    from a complete cycle was received in the cycle before and added there: here the cycle
    before has no totals line (the log lost it), so its counts leave room for x."""
    log = Log(bias=240)
    steady(log, datetime(2014, 9, 15, 9, 0, 50), "x@contoso.com", "y@contoso.com")
    log.at(datetime(2014, 9, 15, 9, 5, 50), "Starting user delta sync, raise failure status messages = True")
    log.at(datetime(2014, 9, 15, 9, 5, 52), "NotifyAccountAddition - SCCM user to add = x@contoso.com")
    log.at(datetime(2014, 9, 15, 9, 5, 52), "NotifyAccountAddition - SCCM user to add = y@contoso.com")
    steady(log, datetime(2014, 9, 15, 9, 10, 50), "y@contoso.com")
    path = log.write(tmp_path / "CloudUserSync.log")
    found = users(path)
    x, y = found["x@contoso.com"], found["y@contoso.com"]
    assert (x.state, iso(x.recovered_at), iso(x.synced_at), x.before_input) == (
        "recovered", "2014-09-15T09:05:52-04:00", "2014-09-15T09:05:52-04:00", True,
    )
    assert (y.state, y.bound) == ("waiting", "latest")
    assert timeline_steps("x@contoso.com", path) == [
        ("09:00:52", "requested", "NotifyAccountAddition x@contoso.com", 2),
        ("09:00:53", "held_back", NOT_RECEIVED, 4),
        ("09:05:52", "held_back", STILL_HELD, 6),
        ("09:10:53", "added", "added to the cloud: recovered in a cycle before this one, which does not name it (a user held back is named in every cycle)", 10),
    ]
    # released once: a later complete cycle without it changes nothing
    steady(log, datetime(2014, 9, 15, 9, 15, 50), "y@contoso.com")
    again = users(log.write(tmp_path / "later.log"))["x@contoso.com"]
    assert (again.state, iso(again.recovered_at)) == ("recovered", "2014-09-15T09:05:52-04:00")
    # after a restart, absence proves nothing (the restart's full sync is its retry)
    log2 = Log(bias=240)
    steady(log2, datetime(2014, 9, 15, 9, 0, 50), "x@contoso.com")
    log2.restart("2014-09-15 09:03:00")
    steady(log2, datetime(2014, 9, 15, 9, 5, 50), "y@contoso.com")
    restarted = users(log2.write(tmp_path / "restart.log"))["x@contoso.com"]
    assert (restarted.state, restarted.recovery_by, iso(restarted.expected_recovery)) == (
        "waiting", "restart", "2014-09-15T09:05:50-04:00",
    )


def test_a_held_back_user_missing_after_a_cycle_that_received_nobody_was_not_added(
    tmp_path: Path,
) -> None:
    """The cycle before says `received = 0`: x was not received there, so its absence from the
    next cycle is no add (the connector passed it over, as it passes over a user past its due
    time). Found in the demo log cut after ivan's failure: ivan was `recovered` at a cycle that
    added nobody, where the whole log has him `overdue`. Passed over, its timer ran out by that
    cycle: it was due there, not by the latest due time of users held since before the log
    (`waiting` a day more, in the demo log's lines 2300 to 2400: ivan, `overdue` in the log),
    and it is overdue two cycles after."""
    log = Log(bias=240)
    steady(log, datetime(2014, 9, 15, 9, 0, 50), "x@contoso.com", "y@contoso.com")
    steady(log, datetime(2014, 9, 15, 9, 5, 50), "x@contoso.com", "y@contoso.com")
    steady(log, datetime(2014, 9, 15, 9, 10, 50), "y@contoso.com")
    path = log.write(tmp_path / "CloudUserSync.log")
    x = users(path)["x@contoso.com"]
    assert (x.state, x.recovered_at, x.synced_at, x.bound, iso(x.full_sync_due_by)) == (
        "waiting", None, None, None, "2014-09-15T09:10:50-04:00",
    )
    assert (iso(x.expected_recovery), x.expected_recovery_observed) == (
        "2014-09-15T09:10:50-04:00", True,
    )
    assert [step[1] for step in timeline_steps("x@contoso.com", path)] == [
        "requested", "held_back", "held_back", "skipped", "full_sync_due", "expected_recovery",
    ]
    y = users(path)["y@contoso.com"]
    assert (y.state, y.bound, iso(y.full_sync_due_by)) == (
        "waiting", "latest", "2014-09-16T09:00:50-04:00",
    )
    for now, state in (("2014-09-15T09:20:49", "waiting"), ("2014-09-15T09:20:50", "overdue")):
        assert users(path, now=datetime.fromisoformat(now))["x@contoso.com"].state == state
    # the cycle before received one user, a new one (z), and held x and y: x was not added
    log = Log(bias=240)
    steady(log, datetime(2014, 9, 15, 9, 0, 50), "x@contoso.com", "y@contoso.com")
    steady(
        log, datetime(2014, 9, 15, 9, 5, 50), "x@contoso.com", "y@contoso.com", "z@contoso.com",
        received=1, added=1,
    )
    steady(log, datetime(2014, 9, 15, 9, 10, 50), "y@contoso.com")
    found = users(log.write(tmp_path / "z.log"))
    assert {upn: (u.state, u.recovered_at) for upn, u in found.items()} == {
        "x@contoso.com": ("waiting", None),
        "y@contoso.com": ("waiting", None),
        "z@contoso.com": ("synced", None),
    }
    lines = Path(DEMO).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    cut = tmp_path / "cut.log"
    cut.write_text("".join(lines[100:]), encoding="utf-8")  # after ivan's failure (line 99)
    whole = users(DEMO)["ivan@contoso.com"]
    ivan = users(str(cut))["ivan@contoso.com"]
    assert (whole.state, iso(whole.expected_recovery)) == (
        "overdue", "2026-11-25T08:25:04.296-08:00",
    )
    # (passed over in the cycle the latest due time falls in: due there, no longer a bound)
    assert (ivan.state, ivan.synced_at, iso(ivan.expected_recovery), ivan.bound) == (
        "overdue", None, "2026-11-25T08:25:04.296-08:00", None,
    )


def test_a_user_passed_over_in_an_excerpt_is_overdue_from_the_cycle_it_was_due_in(
    tmp_path: Path,
) -> None:
    """The demo log's lines 2300 to 2400: ivan (whose failure is before them) is held back in
    each cycle to 08:20, then missing from the complete cycles that follow, which receive
    nobody: passed over, as the whole log has it. It was `waiting`, due by the next day."""
    lines = Path(DEMO).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    excerpt = tmp_path / "excerpt.log"
    excerpt.write_text("".join(lines[2299:2400]), encoding="utf-8")
    whole = users(DEMO, now=datetime.fromisoformat("2026-11-25T08:40:04.407-08:00"))
    found = users(str(excerpt))
    assert (whole["ivan@contoso.com"].state, iso(whole["ivan@contoso.com"].expected_recovery)) == (
        "overdue", "2026-11-25T08:25:04.296-08:00",
    )
    ivan = found["ivan@contoso.com"]
    assert (ivan.state, iso(ivan.expected_recovery), ivan.bound, iso(ivan.full_sync_due_by)) == (
        "overdue", "2026-11-25T08:25:04.296-08:00", None, "2026-11-25T08:25:04.296-08:00",
    )
    heidi = found["heidi@contoso.com"]  # (notified in every cycle: still held back)
    assert (heidi.state, heidi.bound) == ("waiting", "latest")


def test_a_restart_not_yet_followed_by_a_cycle_is_the_held_users_next_chance(tmp_path: Path) -> None:
    """A restart after the held-back user's notifications, its full sync not logged yet: the
    user's recovery is predicted one interval after the restart (no earlier restart to learn
    the delay from), no longer the latest bound."""
    log = Log(bias=240)
    steady(log, datetime(2014, 9, 15, 9, 0, 50), "x@contoso.com")
    steady(log, datetime(2014, 9, 15, 9, 5, 50), "x@contoso.com")
    log.restart("2014-09-15 09:07:00")
    x = users(log.write(tmp_path / "CloudUserSync.log"))["x@contoso.com"]
    assert (x.state, x.recovery_by, iso(x.expected_recovery), x.expected_recovery_observed, x.bound) == (
        "waiting", "restart", "2014-09-15T09:12:00-04:00", False, None,
    )
    before = datetime(2014, 9, 15, 9, 6, tzinfo=timezone(timedelta(hours=-4)))
    held = users(log.write(tmp_path / "before.log"), now=before)
    assert (held["x@contoso.com"].recovery_by, held["x@contoso.com"].bound) == ("timer", "latest")


def test_a_what_if_restart_frees_a_user_held_since_before_the_log(tmp_path: Path) -> None:
    log = Log(bias=240)
    steady(log, datetime(2014, 9, 15, 9, 0, 50), "x@contoso.com")
    steady(log, datetime(2014, 9, 15, 9, 5, 50), "x@contoso.com")
    path = log.write(tmp_path / "CloudUserSync.log")
    document = json.loads(
        runner.invoke(app, ["report", "--format", "json", "--restart-at", "2014-09-15 09:06", path]).stdout
    )
    (x,) = document["users"]
    assert (x["recovery_by"], x["expected_recovery"], x["expected_recovery_bound"], x["time_saved_s"]) == (
        "what-if", "2014-09-15T09:11:00-04:00", None, 85790,
    )
    assert document["what_if"]["users_freed"] == ["x@contoso.com"]


def test_report_counts_the_undetermined_users_it_does_not_list(tmp_path: Path) -> None:
    """`report` lists stuck and failed users only; the pending ones it only counts, and stderr
    still says how many have no outcome."""
    log = steady(Log(bias=240), datetime(2014, 9, 15, 9, 0, 50), "c@contoso.com", "d@contoso.com",
                 received=1, added=1)
    path = log.write(tmp_path / "CloudUserSync.log")
    result = runner.invoke(app, ["report", "--format", "json", path])
    assert json.loads(result.stdout)["summary"]["pending"] == 2
    assert (
        "logsync: 2 users were notified with no outcome in the log: the counts of their cycles "
        "cannot say whether they were held back by a failure before it; the earlier log "
        "(CloudUserSync.lo_) would tell\n"
    ) in result.stderr


def test_a_user_held_back_since_before_the_log_notified_past_the_bound_is_skipped_there(
    tmp_path: Path,
) -> None:
    """Rule 2b: past the latest due time (first record + 24 h), a notification with
    `received = 0` was skipped; the timeline names that cycle's totals line, and only in the
    timeline of that user."""
    log = Log(bias=240)
    for when in (datetime(2014, 9, 15, 9, 0, 50), datetime(2014, 9, 15, 9, 5, 50)):
        steady(log, when, "scott@contoso.com")
    quiet = len(log.lines)  # (cycles that hold scott back to 08:55:50: the connector is heard)
    for minutes in range(10, 24 * 60 - 5, 5):
        steady(log, datetime(2014, 9, 15, 9, 0, 50) + timedelta(minutes=minutes), "scott@contoso.com")
    quiet = len(log.lines) - quiet
    steady(log, datetime(2014, 9, 16, 9, 5, 50), "scott@contoso.com")
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="scott@contoso.com")
    assert [(s.what, iso(s.time), s.source, s.line) for s in analysis.result.timeline][2:] == [
        ("held_back", "2014-09-15T09:05:52-04:00", path, 5),
        ("full_sync_due", "2014-09-16T09:00:50-04:00", "", 0),
        ("retry_cycle", "2014-09-16T09:05:50-04:00", path, 7 + quiet),
        ("expected_recovery", "2014-09-16T09:05:50-04:00", "", 0),
        ("held_back", "2014-09-16T09:05:52-04:00", path, 8 + quiet),
        ("skipped", "2014-09-16T09:05:53-04:00", path, 9 + quiet),
    ]
    assert analysis.result.timeline[4].detail == "first cycle after the latest full sync due"
    assert analysis.result.timeline[-1].detail == "notified after full sync due, not received (received = 0)"
    assert [(u.state, u.skipped) for u in analysis.users] == [("waiting", 1)]
    assert analyze([path], follow="amy@contoso.com").result.timeline == []


def test_a_restart_retries_a_user_held_back_since_before_the_log_at_its_full_sync(
    tmp_path: Path,
) -> None:
    """Rules 2b and 3: the first cycle after a restart retries scott, held back since before
    the log; his timeline names that cycle, and no other user's does."""
    log = Log(bias=240)
    steady(log, datetime(2014, 9, 15, 9, 0, 50), "scott@contoso.com")
    steady(log, datetime(2014, 9, 15, 9, 5, 50), "scott@contoso.com")
    log.restart("2014-09-15 09:08:00")
    steady(log, datetime(2014, 9, 15, 9, 10, 50), "scott@contoso.com", received=1, added=1)
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="scott@contoso.com")
    assert [(s.what, iso(s.time), s.detail, s.source, s.line) for s in analysis.result.timeline][3:] == [
        ("restart", "2014-09-15T09:08:00-04:00", "SMS_CLOUD_USERSYNC started (component_started)", path, 7),
        ("retry_cycle", "2014-09-15T09:10:50-04:00", "full sync after restart", path, 9),
        ("requested", "2014-09-15T09:10:52-04:00", "NotifyAccountAddition scott@contoso.com", path, 10),
        ("added", "2014-09-15T09:10:53-04:00", "added to the cloud: recovered", path, 11),
    ]
    assert [(u.state, iso(u.recovered_at)) for u in analysis.users] == [
        ("recovered", "2014-09-15T09:10:52-04:00"),
    ]
    assert [s.what for s in analyze([path], follow="amy@contoso.com").result.timeline] == ["restart"]


def test_a_user_held_back_since_before_the_log_who_fails_after_a_restart_misses_only_its_first_failure(
    tmp_path: Path,
) -> None:
    """bob is held back since before the log (rule 2b), then the restart's full sync fails
    him: the input holds that failure, so every output says that only his first is not in it
    (they said "its failure is not in the input", beside "1 failure")."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com")  # received = 0: held back
    log.restart("2026-03-02 09:03:00")
    log.cycle("2026-03-02 09:05:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    path = log.write(tmp_path / "CloudUserSync.log")
    missing = "held back since before the log's first time: when it first failed, it does not say"
    now = ["--now", "2026-03-02T09:06"]
    gate = runner.invoke(app, ["check", *now, "--junit", str(tmp_path / "r.xml"), path])
    assert (gate.exit_code, gate.stdout.splitlines()[0]) == (
        1, f"bob@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-03-03T09:10:00-05:00; {missing}",
    )
    assert f"first failure unknown ({missing}), failures 1</failure>" in (tmp_path / "r.xml").read_text()
    story = runner.invoke(app, ["timeline", *now, "--format", "markdown", "bob@", path]).stdout
    assert f"**State:** waiting · {missing} · 1 failure(s), reason UserNotFound" in story
    held = Log(bias=300).steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com")
    alone = runner.invoke(app, ["check", held.write(tmp_path / "held.log")]).stdout
    assert "; held back since before the log: its failure is not in the input\n" in alone


def held_for_a_day(log: Log, *held: str) -> Log:
    """`held` notified and held back in every cycle from 09-15 09:00:50 to 09-16 08:55:50 (the
    bound of a hold since before the log, 09:00:50, is one interval after): a log of every
    cycle. (Two cycles a day apart with none between leave a day unheard, which may hold a
    retry and a new failure: see `connector.heard_through`.)"""
    for cycle in range(288):
        steady(log, datetime(2014, 9, 15, 9, 0, 50) + timedelta(minutes=5 * cycle), *held)
    return log


def test_an_undecided_cycle_past_the_bound_is_decided_as_a_skip_by_the_next(tmp_path: Path) -> None:
    """Rule 2b: past the latest due time, a cycle notifies scott and ann (held back since before
    the log) and amy, and receives two: it cannot say whom. The next cycle notifies scott
    alone: he was skipped in that cycle (counted at its totals line), while ann and amy were
    received and added there."""
    log = held_for_a_day(Log(bias=240), "scott@contoso.com", "ann@contoso.com")
    steady(log, datetime(2014, 9, 16, 9, 5, 50), "scott@contoso.com", "ann@contoso.com", "amy@contoso.com", received=2, added=2)
    steady(log, datetime(2014, 9, 16, 9, 10, 50), "scott@contoso.com")
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="scott@contoso.com")
    assert [(s.what, iso(s.time), s.line) for s in analysis.result.timeline if s.what in ("undecided", "skipped")] == [
        ("undecided", "2014-09-16T09:05:53-04:00", 1157),
        ("skipped", "2014-09-16T09:05:53-04:00", 1157),
        ("skipped", "2014-09-16T09:10:53-04:00", 1160),
    ]
    assert [(u.upn, u.state, u.skipped, iso(u.synced_at)) for u in analysis.users] == [
        ("scott@contoso.com", "waiting", 2, None),
        ("ann@contoso.com", "recovered", 0, "2014-09-16T09:05:52-04:00"),
        ("amy@contoso.com", "synced", 0, "2014-09-16T09:05:52-04:00"),
    ]


def test_a_cycle_without_its_start_after_a_restart_past_the_bound_decides_a_skip(
    tmp_path: Path,
) -> None:
    """Rule 2b past the latest due time: after a restart, a cycle whose start is not in the log
    notifies scott (held back since before the log) with amy and bob and receives two; the
    next cycle notifies scott alone: he was skipped in the first (at its totals line), as in
    the second; amy and bob were added."""
    log = held_for_a_day(Log(bias=240), "scott@contoso.com")
    steady(log, datetime(2014, 9, 16, 9, 5, 50), "scott@contoso.com")
    log.restart("2014-09-16 09:08:00")
    for name in ("scott@contoso.com", "amy@contoso.com", "bob@contoso.com"):
        log.at("2014-09-16 09:10:01", NOTIFY.format(name))
    log.at("2014-09-16 09:10:02", TOTALS.format(2, 2))
    steady(log, datetime(2014, 9, 16, 9, 15, 0), "scott@contoso.com")
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="scott@contoso.com")
    assert [(s.what, iso(s.time), s.line) for s in analysis.result.timeline if s.what == "skipped"] == [
        ("skipped", "2014-09-16T09:05:53-04:00", 867),
        ("skipped", "2014-09-16T09:10:02-04:00", 873),
        ("skipped", "2014-09-16T09:15:03-04:00", 876),
    ]
    assert [(u.upn, u.state, u.skipped) for u in analysis.users] == [
        ("scott@contoso.com", "waiting", 3), ("amy@contoso.com", "synced", 0), ("bob@contoso.com", "synced", 0),
    ]


def test_a_cycle_without_its_start_after_a_restart_past_the_bound_receiving_nobody_is_a_skip(
    tmp_path: Path,
) -> None:
    """Rule 2b past the latest due time: after a restart, a cycle whose start is not in the log
    notifies scott (held back since before the log) and receives nobody: skipped there."""
    log = held_for_a_day(Log(bias=240), "scott@contoso.com")
    steady(log, datetime(2014, 9, 16, 9, 5, 50), "scott@contoso.com")
    log.restart("2014-09-16 09:08:00")
    log.at("2014-09-16 09:10:01", NOTIFY.format("scott@contoso.com"))
    log.at("2014-09-16 09:10:02", TOTALS.format(0, 0))
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="scott@contoso.com")
    assert [(s.what, iso(s.time), s.line) for s in analysis.result.timeline if s.what == "skipped"] == [
        ("skipped", "2014-09-16T09:05:53-04:00", 867),
        ("skipped", "2014-09-16T09:10:02-04:00", 871),
    ]
    assert [(u.upn, u.state, u.skipped) for u in analysis.users] == [("scott@contoso.com", "waiting", 2)]


@pytest.mark.parametrize(
    ("order", "runs", "rows"),
    [
        ((slice(1548, None), slice(None, 1548)), 2, True),  # line 1549 starts a cycle
        ((slice(1550, None), slice(None, 1550)), 2, True),  # cut inside that cycle: the ends meet
        ((slice(1000, 2000), slice(None, 1000), slice(2000, None)), 2, False),  # b, a, c
        ((slice(2000, None), slice(1000, 2000), slice(None, 1000)), 3, True),  # c, b, a
    ],
)
def test_pieces_pasted_in_the_wrong_order_are_read_once_as_runs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    order: tuple[slice, ...],
    runs: int,
    rows: bool,
) -> None:
    """Samples of the file's times (at its two ends and at places inside it) go back: it is
    read as runs from the start, each a piece of the file that begins at its seam (the first
    line of each piece pasted after a later one), not as rows until time goes back and then
    again. The ends of halves cut inside a cycle are seconds apart, and b, a, c ends later than
    it begins: only the samples inside tell. Runs whose spans overlap (b inside a+c) are read
    as events, which tell shared records apart, still a piece at a time."""
    from logsync.bulk import how_to_read
    from logsync.pipeline import ReadOptions

    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    pasted = tmp_path / "all.log"
    pasted.write_bytes(b"".join(line for piece in order for line in lines[piece]))
    sizes = [len(b"".join(lines[piece])) for piece in order]
    counts = [len(lines[piece]) for piece in order]
    seams = [  # (offset, line) of each piece pasted after a later one
        (sum(sizes[:index]), sum(counts[:index]) + 1)
        for index in range(1, len(order))
        if (order[index].start or 0) < (order[index - 1].start or 0)
    ]
    reading = how_to_read([str(pasted)], ReadOptions())
    assert (reading.rows, reading.split) == (rows, {str(pasted): runs})
    assert [(piece.start, piece.first_line) for piece in reading.pieces[str(pasted)]] == [
        (0, 1), *seams
    ]
    assert [piece.skipped for piece in reading.pieces[str(pasted)]] == [0] * runs
    counts_read = reads_of(monkeypatch)
    merged = analyze([str(pasted)])
    assert counts_read == {str(pasted): 1}
    assert merged.runs == ((str(pasted), runs),)
    assert (merged.inputs[0].lines, merged.inputs[0].records, merged.duplicates) == (3041, 3041, 0)
    assert {u.upn: u.moments for u in merged.users} == {u.upn: u.moments for u in analyze([DEMO]).users}


def test_pieces_pasted_in_the_wrong_order_and_piped_are_read_once_as_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`type b.log a.log | logsync report`: stdin is read to its end into its copy, sampled
    there like a file, and its text read once, as runs (not as rows until time goes back)."""
    import io
    import sys
    import types

    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    piped = b"".join(lines[1200:] + lines[:1200])
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(piped)))
    counts = reads_of(monkeypatch)
    merged = analyze(["-"])
    assert counts == {"-": 1}
    assert (merged.runs, merged.duplicates) == ((("-", 2),), 0)
    assert {u.upn: u.moments for u in merged.users} == {u.upn: u.moments for u in analyze([DEMO]).users}


def test_a_run_that_the_samples_miss_is_found_by_the_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run too short for any sample to fall in (five records of the demo log pasted again in
    its middle): the reading finds it as it goes, and reads the input again as runs."""
    from logsync.bulk import Reading, how_to_read
    from logsync.pipeline import ReadOptions

    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    pasted = tmp_path / "all.log"
    pasted.write_bytes(b"".join(lines[:1500] + lines[200:205] + lines[1500:]))
    assert how_to_read([str(pasted)], ReadOptions())._replace(sequence=None, ends={}) == Reading(True, {})
    counts = reads_of(monkeypatch)
    merged = analyze([str(pasted)])
    assert counts == {str(pasted): 2}
    assert (merged.runs, merged.duplicates) == (((str(pasted), 2),), 5)
    assert {u.upn: u.moments for u in merged.users} == {u.upn: u.moments for u in analyze([DEMO]).users}


def test_a_fifo_is_never_peeked_at(tmp_path: Path) -> None:
    """Peeking would take the writer's first bytes from the reading (and block until it writes)."""
    from logsync.bulk import Reading, how_to_read
    from logsync.pipeline import ReadOptions

    fifo = tmp_path / "CloudUserSync.log"
    os.mkfifo(fifo)
    assert how_to_read([str(fifo), str(DEMO)], ReadOptions()) == Reading(False, {})


# -- failed adds of users the input does not name -------------------------------------------


def _grep(tmp_path: Path, name: str, *words: str) -> str:
    """The demo log's lines holding any of `words`, as `findstr` would keep them."""
    lines = Path(DEMO).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path = tmp_path / name
    path.write_text("".join(line for line in lines if any(w in line for w in words)), "utf-8")
    return str(path)


def test_an_excerpt_of_totals_lines_is_no_all_clear(tmp_path: Path) -> None:
    """`findstr "Total received users to add"`: nine cycles count an add that failed (received
    1, added 0 six times; 2 and 1 once), seven failures in all, and no line names a user. The
    gate said `ok: no waiting, overdue or failed user`; no state can be told, so it fails."""
    path = _grep(tmp_path, "totals.log", "Total received users to add")
    analysis = analyze([path])
    result = analysis.result
    assert (analysis.users, result.unnamed_failures) == ([], 7)
    assert (iso(result.unnamed_at[0]), result.unnamed_at[1:]) == (  # type: ignore[index]
        "2026-11-24T07:40:08.666-08:00", (path, 9),
    )
    assert analyze([DEMO]).result.unnamed_failures == 0  # the whole log names every failure
    check = runner.invoke(app, ["check", "-q", path])
    assert check.exit_code == 1
    check = runner.invoke(app, ["check", path])
    said = f"7 failed adds that no failure line of the input names (cycle totals, first at {path}:9)"
    assert check.stdout == (
        f"users\tunnamed\t{said}: whose they are and whether those users are stuck the input "
        "cannot say (an excerpt of totals lines?); the whole log can\n"
        f"FAIL: {said}, limit 0 as of 2026-11-25T16:00:05.507-08:00\n"
    )
    assert runner.invoke(app, ["check", "--max-stuck", "6", path]).exit_code == 1
    assert runner.invoke(app, ["check", "--max-stuck", "7", path]).exit_code == 0  # one each
    document = json.loads(runner.invoke(app, ["check", "--format", "json", path]).stdout)
    assert (document["passed"], document["unnamed_failures"], document["unnamed_at"]) == (
        False, 7, f"{path}:9",
    )
    junit = runner.invoke(app, ["check", "--junit", "-", path]).stdout
    assert '<testsuite name="logsync check" tests="2" failures="1"' in junit
    assert '<testcase classname="logsync.users" name="failed adds no failure line names">' in junit
    connector = runner.invoke(app, ["check", "--fail-on", "connector", path])
    assert (connector.exit_code, connector.stdout) == (
        0,
        "ok: no connector problem as of 2026-11-25T16:00:05.507-08:00; 7 failed adds that no "
        "failure line of the input names not counted by --fail-on connector\n",
    )
    report = runner.invoke(app, ["report", "--format", "json", path])
    assert json.loads(report.stdout)["summary"]["unnamed_failures"] == 7
    assert f"logsync: {said}: whose they are" in report.stderr  # (text, CSV, JSON alike)
    assert runner.invoke(app, ["report", "--fail-on", "failed", path]).exit_code == 1
    assert runner.invoke(app, ["report", "--fail-on", "connector", path]).exit_code == 0
    summary = json.loads(runner.invoke(app, ["summary", "--format", "json", path]).stdout)
    assert [(f["code"], f["severity"]) for f in summary["findings"]] == [
        ("unnamed_failures", "error"), ("unreconciled_counts", "warning"),
    ]
    assert [a["text"] for a in summary["advice"]] == [
        "Run logsync on the whole CloudUserSync.log (with its CloudUserSync.lo_): it names the "
        "users behind the 7 failed adds that no failure line of the input names."
    ]


def test_an_excerpt_that_begins_at_a_failing_cycle_s_totals_is_no_all_clear(
    tmp_path: Path,
) -> None:
    """The demo log's last two lines of erin's failing cycle (its totals, `received 1, added
    0`, and the `UserDeltaSync` line: `tail -2` of a log rotated there, or of a paste), and the
    totals lines from carol's failing cycle on. The first cycle's start is not in the input, so
    its failure line may precede it: that failed add was not counted, and the gate passed
    (`ok: no waiting, overdue or failed user`). It counts, as no user of the input can be it
    (none is held back since before the input)."""
    lines = Path(DEMO).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    assert lines[2893].startswith("Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0")
    path = tmp_path / "tail2.log"
    path.write_text("".join(lines[2893:2895]), encoding="utf-8")
    said = f"1 failed add that no failure line of the input names (cycle totals, first at {path}:1)"
    check = runner.invoke(app, ["check", str(path)])
    assert (check.exit_code, check.stdout.splitlines()[-1]) == (
        1, f"FAIL: {said}, limit 0 as of 2026-11-25T14:30:09.315-08:00",
    )
    report = runner.invoke(app, ["report", "--format", "json", str(path)])
    assert json.loads(report.stdout)["summary"]["unnamed_failures"] == 1
    totals = _grep(tmp_path, "totals.log", "Total received users to add")
    later = tmp_path / "later.log"
    later.write_text("".join(Path(totals).read_text().splitlines(keepends=True)[8:]), "utf-8")
    result = analyze([str(later)]).result  # (the whole excerpt's seven: carol's is its first)
    assert (result.unnamed_failures, result.unnamed_at[2]) == (7, 1)  # type: ignore[index]


def test_a_failure_in_an_excerpt_decides_a_user_an_earlier_cycle_s_counts_could_not(
    tmp_path: Path,
) -> None:
    """`grep -C2 bob` of the demo log: heidi is first notified in a cycle whose counts cannot
    say whether she was received (the excerpt leaves lines out), then fails at 10:10 with
    UserNotFound: her timer is known from then on. She stayed `pending` (undetermined) to the
    end, as if that cycle still spoke for her, while bob, whose story the excerpt shows alike,
    was `waiting`. erin, named in cycle after cycle whose totals the excerpt leaves out, was not
    added in the earlier ones: `undetermined` (it may be stuck, and is: `waiting` in the whole
    log), no longer `awaiting_totals`, which the gate does not count."""
    lines = Path(DEMO).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    kept = sorted({j for i, line in enumerate(lines) if "bob" in line for j in range(i - 2, i + 3)})
    out = []
    for before, index in zip([None, *kept], kept, strict=False):  # (pairs: the one before)
        if before is not None and index != before + 1:
            out.append("--\n")  # (grep's mark of lines left out)
        out.append(lines[index])
    path = tmp_path / "bob.log"
    path.write_text("".join(out), encoding="utf-8")
    analysis = analyze([str(path)])
    assert [(u.upn, u.state, u.pending_reason, iso(u.full_sync_due)) for u in analysis.users] == [
        ("bob@contoso.com", "waiting", None, "2026-11-26T09:10:08.462-08:00"),
        ("heidi@contoso.com", "waiting", None, "2026-11-26T10:10:08.506-08:00"),
        ("erin@contoso.com", "pending", "undetermined", None),
        ("Mallory.Admin@Contoso.com", "pending", "undetermined", None),
    ]
    assert analysis.result.undetermined == 2  # (erin and Mallory: notified, never failed)


def test_an_excerpt_of_one_user_and_the_totals_counts_the_others_failures(tmp_path: Path) -> None:
    """With bob's lines and the cycle starts beside the totals, bob's failure is named and the
    six others are not: the gate counts bob and the six."""
    path = _grep(tmp_path, "bob.log", "Total received users to add", "Starting user", "bob@")
    analysis = analyze([path])
    assert [(u.upn, u.state) for u in analysis.users] == [("bob@contoso.com", "waiting")]
    assert (analysis.result.unnamed_failures, analysis.result.unnamed_at[2]) == (6, 18)  # type: ignore[index]
    check = runner.invoke(app, ["check", path])
    assert check.exit_code == 1
    assert check.stdout.splitlines()[-1] == (
        f"FAIL: 1 user (1 waiting), limit 0; 6 failed adds that no failure line of the input "
        f"names (cycle totals, first at {path}:18) as of 2026-11-25T16:04:55.644-08:00"
    )


def test_users_of_a_last_cycle_whose_counts_cannot_say_are_pending_until_the_next(
    tmp_path: Path,
) -> None:
    """The demo log from line 1230 to 2334: carol, heidi and ivan, held back since before the
    excerpt, are notified at 07:45, whose totals say `received = 1, added = 1`: one of them was
    added, and the excerpt ends before the next cycle tells which. They were `waiting` "by
    20:20:09" and a restart "would retry 3"; each is `pending`, undetermined (SPEC §4 rule 2b),
    and the gate still fails on them. Six lines on, the next cycle notifies heidi and ivan
    again: carol was the one added."""
    lines = Path(DEMO).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    states = {}
    for end in (2334, 2340):
        path = tmp_path / f"to{end}.log"
        path.write_text("".join(lines[1229:end]), encoding="utf-8")
        analysis = analyze([str(path)])
        states[end] = sorted(
            (u.upn, u.state, u.pending_reason, iso(u.recovered_at)) for u in analysis.users
        )
        if end == 2334:
            assert analysis.result.undetermined == 3
            check = runner.invoke(app, ["check", "-q", str(path)])
            assert check.exit_code == 1
            verdict = runner.invoke(app, ["check", str(path)]).stdout.splitlines()[-1]
            assert verdict == (
                "FAIL: 3 users (3 pending that may be stuck), limit 0 as of "
                "2026-11-25T07:50:04.574-08:00"
            )
            # report lists what the gate counts (it gave an all-clear: "Nothing to fix")
            listed = runner.invoke(app, ["report", str(path)]).stdout.splitlines()
            assert [row.split("\t")[:2] for row in listed] == [
                ["carol@contoso.com", "pending"],
                ["heidi@contoso.com", "pending"],
                ["ivan@contoso.com", "pending"],
            ]
            summary = json.loads(runner.invoke(app, ["summary", "--format", "json", str(path)]).stdout)
            assert summary["advice"][0] == {
                "code": "read_whole_log",
                "text": "Run logsync on the whole CloudUserSync.log (with its CloudUserSync.lo_): "
                "it tells whether the 3 users notified with no outcome in this input were added.",
            }
    assert states == {
        2334: [
            ("carol@contoso.com", "pending", "undetermined", None),
            ("heidi@contoso.com", "pending", "undetermined", None),
            ("ivan@contoso.com", "pending", "undetermined", None),
        ],
        2340: [
            ("carol@contoso.com", "recovered", None, "2026-11-25T07:45:08.707-08:00"),
            ("heidi@contoso.com", "waiting", None, None),
            ("ivan@contoso.com", "waiting", None, None),
        ],
    }


def test_an_excerpt_of_failure_lines_counts_the_cycles_they_show(tmp_path: Path) -> None:
    """`findstr "Failed to add"`: seven failures, heidi's two in two cycles, so at least two
    cycles (it said "1 cycles")."""
    path = _grep(tmp_path, "failed.log", "Failed to add")
    assert analyze([path]).result.cycles == 2
    markdown = runner.invoke(app, ["report", "--format", "markdown", path]).stdout
    assert "**Read:** 7 lines, 2 cycles, 0 restarts" in markdown
    one = _grep(tmp_path, "dave.log", "Failed to add user dave")
    markdown = runner.invoke(app, ["report", "--format", "markdown", one]).stdout
    assert "**Read:** 1 line, 1 cycle, 0 restarts" in markdown


def test_a_log_that_starts_inside_a_cycle_after_its_failure_line_is_no_unnamed_failure(
    tmp_path: Path,
) -> None:
    """A `.log` rotated right after x's failure line: its first cycle's totals count x's failure,
    whose line is in the `.lo_`. That is the input starting inside the cycle, not an excerpt of
    totals lines: x is tracked (held back since before the log, then added), and the gate
    passes as on the whole log. Failure lines, not failed users, are what the totals count:
    one user failing twice in a cycle (`A@` and `a@`) is no unnamed failure either."""
    log = Log()
    moment = datetime(2024, 9, 14, 10, 0)
    log.cycle(moment, ("x@contoso.com",), {"x@contoso.com": "UserNotFound"})
    moment += timedelta(minutes=5)
    while moment < datetime(2024, 9, 15, 10, 3):
        log.steady(moment, "x@contoso.com")
        moment += timedelta(minutes=5)
    log.cycle(moment, ("x@contoso.com",))
    log.cycle(moment + timedelta(minutes=5))
    failure = next(i for i, line in enumerate(log.lines) if "Failed to add" in line)
    seam = tmp_path / "CloudUserSync.log"
    seam.write_text("\n".join(log.lines[failure + 1 :]) + "\n", encoding="utf-8")
    analysis = analyze([str(seam)])
    assert (analysis.result.unnamed_failures, [(u.upn, u.state) for u in analysis.users]) == (
        0, [("x@contoso.com", "recovered")],
    )
    assert runner.invoke(app, ["check", "-q", str(seam)]).exit_code == 0
    twice = Log()
    twice.at(datetime(2024, 9, 14, 10, 0), "Starting user delta sync, raise failure status messages = True")
    for upn in ("A@contoso.com", "a@contoso.com"):
        twice.at(datetime(2024, 9, 14, 10, 0, 2), f"NotifyAccountAddition - SCCM user to add = {upn}")
        twice.at(datetime(2024, 9, 14, 10, 0, 3), f"Failed to add user {upn}; reason LicenseLimitReached")
    twice.at(
        datetime(2024, 9, 14, 10, 0, 4),
        "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 0",
    )
    result = analyze([twice.write(tmp_path / "twice.log")]).result
    assert (result.unnamed_failures, result.counts["failed"]) == (0, 1)


def test_a_rotated_half_copied_under_another_name_is_read_once(tmp_path: Path) -> None:
    """`CloudUserSync.lo_` and `copy of.lo_` (the same bytes) beside the `.log`: its cycles,
    restarts and failures were counted twice (61 cycles for 30). The copy's records count as
    the duplicates they are, as a `.log` given twice does."""
    import shutil

    rotated = SAMPLES / "rotated"
    copy = tmp_path / "copy of.lo_"
    shutil.copyfile(rotated / "CloudUserSync.lo_", copy)
    names = [str(rotated / "CloudUserSync.lo_"), str(copy), str(rotated / "CloudUserSync.log")]
    twice = analyze(names)
    once = analyze([str(rotated / "CloudUserSync.lo_"), str(rotated / "CloudUserSync.log")])
    assert (twice.tracker.log.cycles, once.tracker.log.cycles) == (30, 30)
    assert (twice.users, twice.duplicates) == (once.users, 91)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_a_folder_just_after_a_rotation_is_judged_with_its_empty_log_said(
    tmp_path: Path, content: bytes
) -> None:
    """SCCM renamed the full log to `.lo_` and started a new `.log` with nothing in it yet: the
    folder is read as its `.lo_`, the empty `.log` named on stderr. Every input empty is still
    exit 2."""
    folder = tmp_path / "Logs"
    folder.mkdir()
    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    marker = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
    (folder / "CloudUserSync.lo_").write_bytes(b"".join(lines[:1700]) + marker)
    (folder / "CloudUserSync.log").write_bytes(content)
    judged = runner.invoke(app, ["check", "--format", "json", str(folder)])
    alone = runner.invoke(app, ["check", "--format", "json", str(folder / "CloudUserSync.lo_")])
    assert (judged.exit_code, judged.stdout) == (1, alone.stdout)
    said = f"logsync: {folder / 'CloudUserSync.log'} is empty (a log just rotated?): nothing to read\n"
    assert said in judged.stderr
    (folder / "CloudUserSync.lo_").write_bytes(content)
    nothing = runner.invoke(app, ["check", str(folder)])
    assert nothing.exit_code == 2


def test_a_log_that_begins_inside_a_cycle_counts_its_earlier_users_in_that_cycle_s_totals(
    tmp_path: Path,
) -> None:
    """The demo log from line 2442: its first cycle began before it (bob was notified and
    failed at 09:10:08, lines 2440–2441), and its totals, received 2, added 1, count bob.
    `summary` called that cycle unreconciled, and Mallory, whom it added, was `pending` with
    no reason; the next cycle, which does not notify her, shows she was received there."""
    lines = Path(DEMO).read_bytes().splitlines(keepends=True)
    tail = tmp_path / "CloudUserSync.log"
    tail.write_bytes(b"".join(lines[2441:]))
    assert lines[2441].startswith(b"NotifyAccountAddition - SCCM user to add = Mallory.Admin@")
    summary = json.loads(runner.invoke(app, ["summary", "--format", "json", str(tail)]).stdout)
    assert [f["code"] for f in summary["findings"]] == ["stuck_users"]
    report = json.loads(runner.invoke(app, ["report", "--all", "--format", "json", str(tail)]).stdout)
    assert [(u["upn"], u["state"], u["pending_reason"]) for u in report["users"]] == [
        ("bob@contoso.com", "waiting", None),
        ("heidi@contoso.com", "waiting", None),
        ("erin@contoso.com", "waiting", None),
        ("frank@contoso.com", "pending", "awaiting_totals"),
        ("Mallory.Admin@Contoso.com", "synced", None),
    ]
    assert report["users"][-1]["synced_at"] == "2026-11-25T09:10:12.073-08:00"


@pytest.mark.parametrize("padding", [1, 200, 70_000])
@pytest.mark.parametrize(
    ("sample", "encoding", "line"),
    [("CloudUserSync.log", "utf-8-sig", 2441), ("cmtrace/CloudUserSync.log", "utf-16", 3)],
)
@pytest.mark.parametrize("native", [True, False])
def test_a_record_written_after_nul_padding_on_its_line_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: str, encoding: str, line: int,
    padding: int, native: bool,
) -> None:
    """After a crash, a log's space may be NUL bytes, and the next record is written after
    them, on their line. Its message was read with the NULs before it: a record of no known
    kind (SMS trace: bob's failure, so bob `overdue`, held back since before the log) or no
    record at all (CMTrace). The padding before it is no part of it; a line of padding alone
    stays one (`unparsed`)."""
    if not native:
        monkeypatch.setattr("logsync.accel.native", None)
    text = (SAMPLES / sample).read_text(encoding=encoding)
    lines = text.split("\n")
    lines[line - 1] = "\0" * padding + lines[line - 1]
    lines.insert(0, "\0" * 300)  # (a line of padding alone, before the first record)
    padded = tmp_path / "CloudUserSync.log"
    padded.write_text("\n".join(lines), encoding=encoding)
    clean = tmp_path / "clean" / "CloudUserSync.log"
    clean.parent.mkdir()
    clean.write_text("\n".join(["", *lines[1:]]).replace("\0", ""), encoding=encoding)

    def answer(path: Path) -> tuple[object, ...]:
        result = runner.invoke(app, ["report", "--all", "--format", "json", str(path)])
        document = json.loads(result.stdout)
        (stats,) = document["inputs"]
        users = [(u["upn"], u["state"], u["last_failure"]) for u in document["users"]]
        return users, stats["records"], stats["unparsed"], stats["blank"]

    users, records, unparsed, blank = answer(padded)
    assert (users, records) == answer(clean)[:2]
    assert (unparsed, blank) == (1, 0)  # (the padding alone; the clean copy has a blank line)

    def events(path: Path) -> list[tuple[str, int, str]]:
        found = runner.invoke(app, ["events", "--format", "ndjson", str(path)]).stdout
        return [(e["kind"], e["line"], e.get("text", "")) for e in map(json.loads, found.splitlines())]

    padded_events = events(padded)
    assert padded_events[0][:2] == ("unparsed", 1)
    assert padded_events[1:] == events(clean)
    assert padded_events[line][:2] == ("user_add_failed", line + 1)  # (a line above it now)
