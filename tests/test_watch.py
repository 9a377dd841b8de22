"""`logsync watch`: a real process follows a log that a writer appends to, rotates and truncates."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from logsync import analyze
from logsync.follow import Follower
from logsync.tracker import Tracker, TrackerOptions
from logsync.watch import Watcher

from .conftest import LOGSYNC, SAMPLES, env_without_color
from .logtext import Log


class Reader:
    """Collects a process's stdout lines on a thread, so the test can wait with a timeout."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.lines: queue.Queue[bytes] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(target=lambda: [self.lines.put(line) for line in stream], daemon=True).start()

    def next(self, timeout: float = 20.0) -> dict:
        return json.loads(self.lines.get(timeout=timeout))


def append(path: Path, log: Log) -> None:
    with open(path, "ab") as handle:
        handle.write(log.text().encode())


def test_watch_streams_state_changes_through_rotation_and_truncation(tmp_path: Path) -> None:
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    live = tmp_path / "CloudUserSync.log"
    start = Log(bias=0)
    start.cycle(now - timedelta(seconds=30), ("alice@contoso.com", "bob@contoso.com"), {"alice@contoso.com": "UserNotFound"})
    live.write_text(start.text(), encoding="utf-8")
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(tmp_path), "--format", "ndjson",
         "--full-sync-after", "1m", "--interval", "5m", "--poll", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    reader = Reader(process)
    try:
        connector = reader.next()
        assert (connector["kind"], connector["state"], connector["problem"], connector["evidence"]) == (
            "connector", "running", None, None,
        )
        assert connector["last_cycle"] == (now - timedelta(seconds=30)).isoformat() + "+00:00"
        first = reader.next()
        assert (first["kind"], first["upn"], first["state"], first["previous"]) == (
            "user", "alice@contoso.com", "waiting", None,
        )
        assert first["full_sync_due"] == (now + timedelta(seconds=32)).isoformat() + "+00:00"

        append(live, Log(bias=0).cycle(now + timedelta(seconds=35), ("alice@contoso.com",)))
        recovered = reader.next()
        assert (recovered["upn"], recovered["state"], recovered["previous"]) == ("alice@contoso.com", "recovered", "waiting")
        assert recovered["recovered_at"] == (now + timedelta(seconds=37)).isoformat() + "+00:00"

        live.rename(tmp_path / "CloudUserSync.lo_")
        rotated = Log(bias=0).cycle(now + timedelta(seconds=40), ("carol@contoso.com",), {"carol@contoso.com": "UserNotFound"})
        live.write_text(rotated.text(), encoding="utf-8")
        carol = reader.next()
        assert (carol["upn"], carol["state"], carol["previous"]) == ("carol@contoso.com", "waiting", None)

        live.write_text(Log(bias=0).cycle(now + timedelta(seconds=45), ("dave@contoso.com",), {"dave@contoso.com": "Quota"}).text())
        dave = reader.next()
        assert (dave["upn"], dave["state"], dave["previous"], dave["reason"]) == ("dave@contoso.com", "failed", None, "Quota")
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert err.decode() == (  # (dave's cycle, written over carol's)
        f"logsync: {live}: written anew since the last look (truncated, or copied over): read "
        "again from its start\n"
    )


def test_watch_from_end_reports_only_what_follows(tmp_path: Path) -> None:
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    live = tmp_path / "CloudUserSync.log"
    # (cycles one interval apart: a's predicted cycle stays where it was)
    live.write_text(Log(bias=0).cycle(now - timedelta(minutes=5), ("a@contoso.com",), {"a@contoso.com": "UserNotFound"}).text())
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--from-end", "--poll", "0.1", "--interval", "5m"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    reader = Reader(process)
    try:
        time.sleep(3)  # let it read the existing content first; --from-end prints nothing for it
        append(live, Log(bias=0).cycle(now, ("b@contoso.com",), {"b@contoso.com": "UserNotFound"}))
        change = reader.next()
        assert (change["upn"], change["state"], change["previous"]) == ("b@contoso.com", "waiting", None)
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)


def test_follower_holds_a_partial_line_until_it_is_complete(tmp_path: Path) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"\xef\xbb\xbffirst\r\nsec")
    follower = Follower(path)
    assert list(follower.poll()) == [(str(path), 1, "first\n")]
    with open(path, "ab") as handle:
        handle.write(b"ond\r\n")
    assert list(follower.poll()) == [(str(path), 2, "second\n")]
    path.write_bytes(b"new\n")  # truncated and rewritten: numbering starts again
    assert list(follower.poll()) == [(str(path), 1, "new\n")]
    assert follower.truncations == 1


@pytest.mark.parametrize("grown", [0, 1, 4096])
def test_a_log_written_anew_larger_between_two_polls_is_read_from_its_start(tmp_path: Path, grown: int) -> None:
    """`cp new.log CloudUserSync.log` over the live log, larger than it was (or as large):
    it was read on from the old place, its first bytes lost (a failure line among them), and
    nothing said."""
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"old one\nold two\n")
    follower = Follower(path)
    assert list(follower.poll()) == [(str(path), 1, "old one\nold two\n")]
    rewritten = b"new one\nnew two\n" + b"x" * grown + (b"\n" if grown else b"")
    path.write_bytes(rewritten)  # (truncated, then written: the same file)
    assert list(follower.poll()) == [(str(path), 1, rewritten.decode())]
    assert follower.truncations == 1
    with open(path, "ab") as handle:  # appended to as before: read on, not again
        handle.write(b"three\n")
    assert list(follower.poll()) == [(str(path), 4 if grown else 3, "three\n")]
    assert follower.truncations == 1


def test_the_bytes_looked_for_are_the_last_read_across_polls(tmp_path: Path) -> None:
    """The last 64 bytes read, across reads: a log rewritten with the last short append's bytes
    where they were (but not those before them) is found written anew."""
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"a" * 99 + b"\n")
    follower = Follower(path)
    assert [piece.first_line for piece in follower.poll()] == [1]
    with open(path, "ab") as handle:
        handle.write(b"b\n")
    assert list(follower.poll()) == [(str(path), 2, "b\n")]
    rewritten = b"c" * 99 + b"\n" + b"b\n" + b"d\n"  # (`b\n` where it was, `c`s before it)
    path.write_bytes(rewritten)
    assert [(piece.first_line, piece.text) for piece in follower.poll()] == [(1, rewritten.decode())]
    assert follower.truncations == 1


def heidi_watched(tmp_path: Path, until: str) -> tuple[Path, Watcher]:
    """A live log where heidi fails with UserNotFound at 2026-12-01 09:47:02, then quiet cycles
    every 5 minutes from 09:52 up to `until`, read by a watcher."""
    live = tmp_path / "CloudUserSync.log"
    log = Log(bias=0)
    log.cycle("2026-12-01 09:47:00", ("heidi@contoso.com",), {"heidi@contoso.com": "UserNotFound"})
    live.write_text(log.cycles("2026-12-01 09:52:00", until).text())
    watcher = Watcher(Follower(live), Tracker())
    watcher.read()
    return live, watcher


def test_watch_writes_a_line_when_a_due_time_or_expected_recovery_moves(tmp_path: Path) -> None:
    """Issue 27 item 7: after a restart whose full sync failed heidi again, her expected recovery
    moved from 12-02 09:52 to 15:44 while her state stayed `waiting`, and no line was written."""
    import io

    from logsync.cli.options import Common
    from logsync.render import Display
    from logsync.render.watching import write_changes

    live, watcher = heidi_watched(tmp_path, "2026-12-01 15:31:00")
    opts = Common(paths=[], display=Display(), source_tz=None, input_format=None, color="never", quiet=False)

    def lines(wall: datetime) -> list[dict]:
        out = io.StringIO()
        write_changes(
            watcher.changes(wall)[1], opts.wants, Display(), lambda r: out.write(json.dumps(r) + "\n")
        )
        return [json.loads(line) for line in out.getvalue().splitlines()]

    def told(record: dict) -> tuple:
        return tuple(record.get(name) for name in (
            "previous", "state", "changed", "previous_full_sync_due", "previous_expected_recovery",
            "full_sync_due", "expected_recovery",
        ))

    (first,) = lines(datetime(2026, 12, 1, 15, 31, tzinfo=timezone.utc))
    assert told(first) == (
        None, "waiting", ["state"], None, None, "2026-12-02T09:47:02+00:00", "2026-12-02T09:52:00+00:00",
    )
    append(live, Log(bias=0).restart("2026-12-01 15:35:00"))
    watcher.read()
    (restarted,) = lines(datetime(2026, 12, 1, 15, 35, 30, tzinfo=timezone.utc))
    assert told(restarted) == (  # the restart's full sync is her expected recovery now
        "waiting", "waiting", ["expected_recovery"], None, "2026-12-02T09:52:00+00:00",
        "2026-12-02T09:47:02+00:00", "2026-12-01T15:40:00+00:00",
    )
    append(live, Log(bias=0).cycle("2026-12-01 15:39:00", ("heidi@contoso.com",), {"heidi@contoso.com": "UserNotFound"}))
    watcher.read()
    (failed_again,) = lines(datetime(2026, 12, 1, 15, 40, tzinfo=timezone.utc))
    assert told(failed_again) == (
        "waiting", "waiting", ["full_sync_due", "expected_recovery"], "2026-12-02T09:47:02+00:00",
        "2026-12-01T15:40:00+00:00", "2026-12-02T15:39:02+00:00", "2026-12-02T15:44:00+00:00",
    )
    # (held back by her timer: named, not received)
    append(live, Log(bias=0).steady(datetime(2026, 12, 1, 15, 44), "heidi@contoso.com"))
    watcher.read()
    assert lines(datetime(2026, 12, 1, 15, 45, tzinfo=timezone.utc)) == []  # nothing moved


# -- the watch reads through the decoder and scanner of every input --------------------------

DEMO = SAMPLES / "CloudUserSync.log"


def follow_in_pieces(live: Path, data: bytes, piece: int, watcher: Watcher | None = None) -> Watcher:
    """Append `data` to `live` `piece` bytes at a time (cutting characters, CRLF pairs and
    records), the watcher reading after each append."""
    if watcher is None:
        live.write_bytes(b"")
        watcher = Watcher(Follower(live), Tracker(TrackerOptions()))
    for start in range(0, len(data), piece):
        with open(live, "ab") as handle:
            handle.write(data[start : start + piece])
        watcher.read()
    return watcher


def same_as_read_whole(watcher: Watcher, *paths: Path) -> None:
    whole = analyze([str(path) for path in paths])
    result = watcher.tracker.result(whole.as_of)
    assert [(u.upn, u.state, u.failures, u.full_sync_due) for u in result.users] == [
        (u.upn, u.state, u.failures, u.full_sync_due) for u in whole.users
    ]
    assert watcher.last_time == whole.inputs[-1].last_time
    live = whole.inputs[-1]
    assert (watcher.stats.lines, watcher.stats.records, watcher.stats.fallback_lines) == (
        live.lines,
        live.records,
        live.fallback_lines,
    )


def test_a_live_log_appended_in_utf16_reads_as_the_file_read_whole(tmp_path: Path) -> None:
    text = DEMO.read_text(encoding="utf-8-sig").replace("\n", "\r\n")
    live = tmp_path / "CloudUserSync.log"
    watcher = follow_in_pieces(live, text.encode("utf-16"), 4099)  # odd: cuts code units
    assert (watcher.stats.encoding, watcher.stats.lines, watcher.stats.records) == ("utf-16-le", 3041, 3041)
    same_as_read_whole(watcher, live)


def test_a_cp1252_byte_in_a_live_log_is_counted_as_in_a_file_read_whole(tmp_path: Path) -> None:
    data = DEMO.read_bytes().replace(b"carol@contoso.com", b"carol.b\xe9nard@contoso.com", 1)
    live = tmp_path / "CloudUserSync.log"
    watcher = follow_in_pieces(live, data, 65_537)
    assert (watcher.stats.encoding, watcher.stats.fallback_lines) == ("utf-8-sig+cp1252", 1)
    assert "carol.bénard@contoso.com" in watcher.tracker.users.upns()
    same_as_read_whole(watcher, live)


def test_a_rotated_live_log_reads_as_its_pair_read_whole(tmp_path: Path) -> None:
    rotated, live = (SAMPLES / "rotated" / name for name in ("CloudUserSync.lo_", "CloudUserSync.log"))
    older = rotated.read_bytes()
    path = tmp_path / "CloudUserSync.log"
    watcher = follow_in_pieces(path, older[: len(older) // 2], 1000)
    with open(path, "ab") as handle:  # the rest is written just before the rotation
        handle.write(older[len(older) // 2 :])
    path.rename(tmp_path / "CloudUserSync.lo_")
    follow_in_pieces(path, live.read_bytes(), 1000, watcher)
    assert watcher.follower.rotations == 1
    whole = analyze([str(rotated), str(live)])
    result = watcher.tracker.result(whole.as_of)
    assert [(u.upn, u.state, u.failures) for u in result.users] == [
        (u.upn, u.state, u.failures) for u in whole.users
    ]
    assert watcher.stats.lines == sum(stats.lines for stats in whole.inputs) == 183


def test_a_live_log_quoted_in_a_reply_is_unquoted_as_a_file_read_whole(tmp_path: Path) -> None:
    data = b"".join(b"> " + line for line in DEMO.read_bytes().lstrip(b"\xef\xbb\xbf").splitlines(True))
    live = tmp_path / "CloudUserSync.log"
    watcher = follow_in_pieces(live, data, 300_000)
    assert (watcher.format, watcher.stats.records) == ("sms-trace", 3041)
    same_as_read_whole(watcher, live)


def test_watch_takes_the_reading_options_and_a_slow_poll(tmp_path: Path) -> None:
    """A pasted excerpt has no offsets: --source-tz places it, --input-format names its form,
    and --poll waits as long as a slow share needs (it was at most half a second)."""
    live = tmp_path / "CloudUserSync.log"
    live.write_bytes((SAMPLES / "pasted" / "ticket.txt").read_bytes())
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--format", "ndjson", "--source-tz", "America/New_York",
         "--input-format", "paste", "--poll", "5", "--all"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    reader = Reader(process)
    try:
        connector = reader.next()
        assert (connector["kind"], connector["since"]) == ("connector", "2014-09-15T10:24:12-04:00")
        user = reader.next()
        assert (user["upn"], user["state"], user["recovered_at"]) == (
            "scott@contoso.com", "recovered", "2014-09-15T10:24:12-04:00",
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    wrong = subprocess.run(
        [LOGSYNC, "watch", str(live), "--format", "ndjson", "--input-format", "cmtrace"],
        capture_output=True, timeout=20,
    )
    assert (wrong.returncode, wrong.stderr.decode()) == (
        2, f"logsync: error: {live}: no CloudUserSync records found (not SMS trace, CMTrace or "
        "text pasted from them)\n",
    )


@pytest.mark.parametrize(("zone", "offset"), [("UTC0", "+00:00"), ("JST-9", "+09:00")])  # (POSIX zones: no DST)
def test_watch_says_its_clock_reads_times_without_offset_as_the_machine_s(
    tmp_path: Path, zone: str, offset: str
) -> None:
    """A live log whose times carry no offset is judged on the machine's clock, as if written
    in its zone: eight hours apart, a running connector was `stalled`, with nothing said (where
    `report` says how to place such times)."""
    live = tmp_path / "CloudUserSync.log"
    live.write_bytes((SAMPLES / "pasted" / "ticket.txt").read_bytes())
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--format", "ndjson", "--poll", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "TZ": zone},
    )
    reader = Reader(process)
    try:
        assert reader.next()["kind"] == "connector"
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert err.decode() == (
        "logsync: the log's times carry no UTC offset: they are shown as its local time; give "
        "--source-tz ZONE (for example --source-tz America/New_York) to place them and to count "
        f"24 h timers across a daylight-saving change; watch's time is read on this machine's clock "
        f"(UTC{offset}), as if the log were written in that zone: if it was written in another, "
        "give --source-tz\n"
    )


def test_watch_says_so_of_times_without_offset_that_come_after_it_began(tmp_path: Path) -> None:
    """A log empty when the watch began (just rotated): its first records' times, without an
    offset, came with nothing said."""
    live = tmp_path / "CloudUserSync.log"
    live.write_bytes(b"")
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--format", "ndjson", "--poll", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "TZ": "UTC0"},
    )
    reader = Reader(process)
    try:
        time.sleep(0.5)
        live.write_bytes((SAMPLES / "pasted" / "ticket.txt").read_bytes())
        assert reader.next()["kind"] == "connector"
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert "watch's time is read on this machine's clock (UTC+00:00)" in err.decode()
    assert err.decode().count("carry no UTC offset") == 1


def swapped_halves(data: bytes, at: int) -> bytes:
    """A log's lines from `at` (0-based) on, then the ones before: halves pasted the wrong way."""
    lines = data.splitlines(True)
    return b"".join(lines[at:] + lines[:at])


def test_a_rotated_half_pasted_in_the_wrong_order_is_read_as_its_runs_merged(tmp_path: Path) -> None:
    rotated, live = (SAMPLES / "rotated" / name for name in ("CloudUserSync.lo_", "CloudUserSync.log"))
    (tmp_path / "CloudUserSync.lo_").write_bytes(swapped_halves(rotated.read_bytes(), 46))
    (tmp_path / "CloudUserSync.log").write_bytes(live.read_bytes())
    watcher = Watcher(Follower(tmp_path / "CloudUserSync.log"), Tracker(TrackerOptions()))
    watcher.read_rotated()
    watcher.read()
    assert watcher.runs == [(str(tmp_path / "CloudUserSync.lo_"), 2)]
    whole = analyze([str(rotated), str(live)])  # the pair as written
    result = watcher.tracker.result(whole.as_of)
    assert [(u.upn, u.state, u.failures, u.full_sync_due) for u in result.users] == [
        (u.upn, u.state, u.failures, u.full_sync_due) for u in whole.users
    ]
    assert (watcher.rotated.first_time, watcher.rotated.records) == (
        whole.inputs[0].first_time, whole.inputs[0].records
    )
    process = subprocess.run(
        ["timeout", "-s", "INT", "3", LOGSYNC, "watch", "--format", "ndjson", "--poll", "0.2", str(tmp_path)],
        capture_output=True, timeout=60,
    )
    assert process.stderr.decode() == (
        f"logsync: {tmp_path / 'CloudUserSync.lo_'}: time goes back once (logs pasted together?); "
        "its 2 runs are merged by time\n"
    )
    assert json.loads(process.stdout.splitlines()[0])["kind"] == "connector"


def test_a_live_log_whose_clock_is_set_back_is_read_on_in_file_order(tmp_path: Path) -> None:
    live = tmp_path / "CloudUserSync.log"
    data = DEMO.read_bytes()
    watcher = follow_in_pieces(live, data, len(data))
    last = watcher.last_time
    assert last is not None
    earlier = Log(bias=480)  # the demo log's bias; the server's clock set back an hour
    earlier.cycle(last.replace(tzinfo=None) - timedelta(hours=1), ("zoe@contoso.com",), {})
    append(live, earlier)
    assert watcher.went_back is None
    assert watcher.read() == 5  # the cycle's start, its removal lines, its request and totals
    assert (watcher.stats.records, watcher.last_time) == (3041 + 6, last)
    assert "zoe@contoso.com" in watcher.tracker.users.upns()
    assert (watcher.went_back, watcher.runs) == (3042, [])  # noted, read on in file order


def test_a_live_log_that_begins_as_halves_pasted_in_the_wrong_order_is_read_as_report_reads_it(
    tmp_path: Path,
) -> None:
    live = tmp_path / "CloudUserSync.log"
    live.write_bytes(swapped_halves(DEMO.read_bytes(), 1500))
    watcher = Watcher(Follower(live), Tracker(TrackerOptions()))
    watcher.read_rotated()
    watcher.read()
    assert (watcher.runs, watcher.went_back) == ([(str(live), 2)], None)
    whole = analyze([str(live)])
    assert whole.runs == ((str(live), 2),)
    result = watcher.tracker.result(whole.as_of)
    assert [(u.upn, u.state, u.failures, u.first_failure, u.full_sync_due) for u in result.users] == [
        (u.upn, u.state, u.failures, u.first_failure, u.full_sync_due) for u in whole.users
    ]
    assert [(u.upn, u.state) for u in result.users if u.upn.startswith(("carol", "heidi"))] == [
        ("heidi@contoso.com", "waiting"), ("carol@contoso.com", "recovered"),
    ]
    assert (watcher.stats.records, watcher.last_time) == (3041, whole.inputs[0].last_time)


def test_watch_says_where_a_clock_set_back_took_time_back(tmp_path: Path) -> None:
    live = tmp_path / "CloudUserSync.log"
    live.write_bytes(DEMO.read_bytes())
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--format", "ndjson", "--poll", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    reader = Reader(process)
    try:
        assert reader.next()["kind"] == "connector"
        earlier = Log(bias=480)
        earlier.cycle("2026-11-25 15:00:00", ("zoe@contoso.com",), {})
        append(live, earlier)
        time.sleep(2)  # (twenty polls)
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert (
        f"logsync: {live}:3042: time goes back (the clock set back?); what follows is read in "
        "file order\n"
    ) in err.decode()


@contextmanager
def watching(live: Path, *options: str) -> Iterator[Reader]:
    """`logsync watch LIVE OPTIONS`, piped, polling every 0.1 s, read line by line; stopped
    with Ctrl+C at the end, which ends it as 130, with nothing on stderr."""
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--poll", "0.1", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        yield Reader(process)
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert (process.returncode, err) == (130, b"")


def test_watch_says_when_cycle_totals_count_failures_no_line_names(tmp_path: Path) -> None:
    """A cycle notifies two users and adds one, with no failure line: `report` and `check`
    count one failed add that no line names; piped, `watch` says so in a line of its own,
    and again only when the count grows."""
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    live = tmp_path / "CloudUserSync.log"
    live.write_text(Log(bias=0).cycle(now - timedelta(seconds=60), ("a@contoso.com",)).text())
    with watching(live, "--interval", "5m") as reader:
        assert reader.next()["kind"] == "connector"
        append(live, Log(bias=0).cycle(now - timedelta(seconds=30), ("b@contoso.com", "c@contoso.com"), added=1))
        unnamed = reader.next()
        totals = (now - timedelta(seconds=26)).isoformat() + "+00:00"
        assert datetime.fromisoformat(unnamed.pop("time")) >= datetime.fromisoformat(totals)  # (the wall clock)
        assert unnamed == {
            "kind": "unnamed_failures",
            "count": 1,
            "first": {"time": totals, "source": str(live), "line": 12},
            "text": f"1 failed add that no failure line of the input names (cycle totals, first at {live}:12)",
        }
        append(live, Log(bias=0).cycle(now, ("d@contoso.com",), {"d@contoso.com": "UserNotFound"}))
        following = [reader.next() for _ in range(3)]  # the count did not grow: no second line
        assert [(line["kind"], line.get("upn"), line.get("state")) for line in following] == [
            ("user", "b@contoso.com", "pending"),
            ("user", "c@contoso.com", "pending"),
            ("user", "d@contoso.com", "waiting"),
        ]


def test_watch_takes_back_failed_adds_that_users_held_back_before_the_log_account_for(
    tmp_path: Path,
) -> None:
    """The live log begins inside a cycle that names alice and bob and received 2, added 0: two
    failed adds no failure line names. The next cycle notifies both and receives nobody: they
    were held back since before the log, the two failed adds. `watch` said 2 and never took it
    back (it wrote a line only when the count grew); it now says 0, as `report` would."""
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    live = tmp_path / "CloudUserSync.log"
    first = now - timedelta(seconds=60)
    log = Log(bias=0)
    for upn in ("alice@contoso.com", "bob@contoso.com"):
        log.at(first, f"NotifyAccountAddition - SCCM user to add = {upn}")
    log.at(first, "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 0")
    log.at(first, "UserDeltaSync:- Users Added = 0, Users Removed = 0")
    live.write_text(log.text())
    with watching(live, "--interval", "5m") as reader:
        lines = [reader.next() for _ in range(2)]
        assert [(line["kind"], line.get("count")) for line in lines] == [("connector", None), ("unnamed_failures", 2)]
        append(live, Log(bias=0).steady(now - timedelta(seconds=30), "alice@contoso.com", "bob@contoso.com"))
        following = [reader.next() for _ in range(3)]
        assert sorted((line["kind"], line.get("upn"), line.get("count")) for line in following) == [
            ("unnamed_failures", None, 0),
            ("user", "alice@contoso.com", None),
            ("user", "bob@contoso.com", None),
        ]
        taken_back = next(line for line in following if line["kind"] == "unnamed_failures")
        assert taken_back["text"] == "0 failed adds that no failure line of the input names (cycle totals)"


def test_watch_of_a_folder_reads_its_history_files_as_report_does(tmp_path: Path) -> None:
    """The demo log as a folder of three files: its first 1,000 lines in a history file
    (`CloudUserSync-*.log`, where dave's only failure is), the next 1,000 in the `.lo_`, the
    rest live. Before, `watch` read only the `.lo_` and the live log: dave never appeared, and
    ivan (whose failure is in the history file) was held back "since before the log"."""
    folder = tmp_path / "Logs"
    folder.mkdir()
    lines = DEMO.read_bytes().splitlines(keepends=True)
    (folder / "CloudUserSync-20261124-165410.log").write_bytes(b"".join(lines[:1000]))
    rotated = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
    (folder / "CloudUserSync.lo_").write_bytes(b"".join(lines[1000:2000]) + rotated)
    (folder / "CloudUserSync.log").write_bytes(b"".join(lines[2000:]))
    watcher = Watcher(Follower(folder / "CloudUserSync.log"), Tracker(TrackerOptions()))
    watcher.read_rotated()
    watcher.read()
    as_of = watcher.as_of(watcher.last_time)  # type: ignore[arg-type]
    result, _ = watcher.changes(as_of)
    whole = analyze([str(folder)], now=as_of)
    assert [(u.upn, u.state, u.instants) for u in result.users] == [
        (u.upn, u.state, u.instants) for u in whole.users
    ]
    found = {u.upn: u for u in result.users}
    assert (found["dave@contoso.com"].state, found["dave@contoso.com"].reason) == (
        "failed",
        "LicenseLimitReached",
    )
    assert (found["ivan@contoso.com"].state, found["ivan@contoso.com"].failures) == ("overdue", 1)


def test_watch_s_time_is_the_wall_clock_to_the_millisecond_as_the_log_s_times(
    tmp_path: Path,
) -> None:
    log = tmp_path / "CloudUserSync.log"
    log.write_bytes(DEMO.read_bytes())
    watcher = Watcher(Follower(log), Tracker(TrackerOptions()))
    watcher.read()
    wall = datetime(2026, 12, 3, 8, 34, 47, 720588, tzinfo=timezone.utc)
    assert watcher.as_of(wall).isoformat() == "2026-12-03T00:34:47.720000-08:00"


def test_watch_judges_nothing_before_the_log_holds_a_record(tmp_path: Path) -> None:
    """A log not there yet, then empty: no line (it said `no_cycles`, a connector problem, of
    a log it had not seen); the first comes with the first records, and judges them."""
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    live = tmp_path / "CloudUserSync.log"
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--poll", "0.1", "--interval", "5m"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    reader = Reader(process)
    try:
        assert process.stderr is not None  # (said at once: the log is not there yet)
        assert process.stderr.readline().decode() == (
            f"logsync: waiting for {live} to appear (no CloudUserSync file in its folder yet; "
            "Ctrl-C stops)\n"
        )
        time.sleep(1.5)  # (polls of a missing log)
        live.write_text("")
        time.sleep(1.5)  # (polls of an empty one)
        append(live, Log(bias=0).cycle(now - timedelta(seconds=30), ("a@contoso.com",), {"a@contoso.com": "UserNotFound"}))
        connector = reader.next()
        assert (connector["kind"], connector["state"], connector["problem"]) == ("connector", "running", None)
        assert (reader.next()["upn"], process.poll()) == ("a@contoso.com", None)
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert (process.returncode, err.decode()) == (130, "")


def test_watch_marks_users_the_log_failed_after_the_azure_ad_export_was_taken(tmp_path: Path) -> None:
    """The export, taken seven minutes ago, holds alice and bob; the log fails alice with
    UserNotFound six minutes ago, and bob a cycle later, while the watch runs. Whether Azure AD
    holds them now, the export cannot say (`in_azure_ad` absent, as in report; it said true),
    and stderr names each once, as report does."""
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    live = tmp_path / "CloudUserSync.log"
    live.write_text(Log(bias=0).cycle(now - timedelta(seconds=360), ("alice@contoso.com", "carol@contoso.com"), {"alice@contoso.com": "UserNotFound"}).text())
    export = tmp_path / "users.csv"
    export.write_text("UserPrincipalName\r\nalice@contoso.com\r\nbob@contoso.com\r\n")
    taken = (now - timedelta(seconds=420)).isoformat() + "+00:00"
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--poll", "0.1", "--interval", "5m", "--all",
         "--cloud-users", str(export), "--cloud-users-as-of", taken],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    reader = Reader(process)
    try:
        assert reader.next()["kind"] == "connector"
        users = [reader.next() for _ in range(2)]
        assert [(u["upn"], u["state"], u.get("in_azure_ad")) for u in users] == [
            ("alice@contoso.com", "waiting", None),
            ("carol@contoso.com", "synced", False),
        ]
        append(live, Log(bias=0).cycle(now - timedelta(seconds=60), ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"}))
        bob = reader.next()
        assert (bob["upn"], bob["state"], bob.get("in_azure_ad")) == ("bob@contoso.com", "waiting", None)
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    said = (
        "logsync: 1 user of the Azure AD export ({}) failed with UserNotFound after it was "
        "taken: whether Azure AD holds them now, a newer export would tell\n"
    )
    assert (process.returncode, err.decode()) == (
        130,
        f"logsync: Azure AD export {export}: 2 users (csv), taken {taken}\n"
        + said.format("alice@contoso.com") + said.format("bob@contoso.com"),
    )


def test_watch_writes_a_line_when_the_cycle_it_predicted_is_observed(tmp_path: Path) -> None:
    """heidi's timer runs out at 09:47:02; the next cycle was predicted at 09:52:00 (the phase
    of the cycles), but it starts at 09:50:30. A move within one interval follows the phase and
    is no news, but this one is the cycle itself: its line was not written, and the view kept
    09:52:00 (predicted) until she became overdue."""
    live, watcher = heidi_watched(tmp_path, "2026-12-02 09:48:00")

    def told(wall: datetime) -> list[tuple]:
        return [
            (c.user.state, c.changed, c.was, c.user.expected_recovery, c.user.expected_recovery_observed)
            for c in watcher.changes(wall)[1]
        ]

    predicted = datetime(2026, 12, 2, 9, 52, tzinfo=timezone.utc)
    assert told(datetime(2026, 12, 2, 9, 48, tzinfo=timezone.utc)) == [
        ("waiting", ("state",), {}, predicted, False),
    ]
    append(live, Log(bias=0).at("2026-12-02 09:50:30", "Starting user delta sync, raise failure status messages = True"))
    watcher.read()
    observed = datetime(2026, 12, 2, 9, 50, 30, tzinfo=timezone.utc)
    assert told(datetime(2026, 12, 2, 9, 50, 31, tzinfo=timezone.utc)) == [
        ("waiting", ("expected_recovery",), {"expected_recovery": predicted}, observed, True),
    ]
    assert told(datetime(2026, 12, 2, 9, 51, tzinfo=timezone.utc)) == []  # (said once)


def test_watch_of_a_folder_whose_records_are_all_in_its_history_files_reports_them(
    tmp_path: Path,
) -> None:
    """Right after a rotation that keeps history: the demo log's first 1,500 lines in a history
    file, the live log empty. The watch wrote nothing (it waited for the live log's records);
    it reports the connector, stalled since, and the users not synced."""
    folder = tmp_path / "Logs"
    folder.mkdir()
    lines = DEMO.read_bytes().splitlines(keepends=True)
    (folder / "CloudUserSync-20261124-165410.log").write_bytes(b"".join(lines[:1500]))
    (folder / "CloudUserSync.log").write_bytes(b"")
    with watching(folder / "CloudUserSync.log") as reader:
        connector = reader.next()
        assert (connector["kind"], connector["state"], connector["last_cycle"]) == (
            "connector", "stalled", "2026-11-24T23:05:04.552-08:00",
        )
        assert reader.next()["kind"] == "user"


def test_watch_ends_when_its_reader_goes_away_though_the_log_is_quiet(tmp_path: Path) -> None:
    """`logsync watch LOG | head -1`: the reader takes a line and goes; a quiet log writes
    nothing more, so no write fails, yet watch ends at its next poll (as `tail -f` does), with
    the code it has (0), not at the next change of the log."""
    log = tmp_path / "CloudUserSync.log"
    log.write_bytes((SAMPLES / "CloudUserSync.log").read_bytes())
    process = subprocess.Popen(
        [LOGSYNC, "watch", "--poll", "0.2", str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    assert json.loads(process.stdout.readline())["kind"] == "connector"
    time.sleep(1)  # (every line of the first report written, the log unchanged)
    process.stdout.close()
    try:
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()


@pytest.mark.parametrize("rotated", [False, True], ids=["live log", "its .lo_"])
def test_lines_pasted_again_in_a_log_read_whole_are_read_as_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rotated: bool
) -> None:
    """Eight lines of the demo log pasted again after its line 1,500 (no sample of its times
    falls between the copies), as the live log or as the `.lo_` beside it: the reading finds
    time going back, looks for the seam there and reads the two runs as rows, never as events
    held whole (before, it read the file again as events), as `report` reads it."""
    from logsync import pipeline, reading

    lines = DEMO.read_bytes().splitlines(True)
    pasted = tmp_path / ("CloudUserSync.lo_" if rotated else "CloudUserSync.log")
    pasted.write_bytes(b"".join(lines[:1500] + lines[1492:]))
    live = tmp_path / "CloudUserSync.log"
    if rotated:
        live.write_bytes(b"")
    whole = analyze([str(tmp_path)])
    assert (whole.runs, whole.duplicates) == (((str(pasted), 2),), 8)

    def held(*_: object, **__: object) -> None:
        raise AssertionError("read as events")

    monkeypatch.setattr(reading, "EventStream", held)
    monkeypatch.setattr(pipeline, "EventStream", held)
    watcher = Watcher(Follower(live), Tracker(TrackerOptions()))
    watcher.read_rotated()
    watcher.read()
    assert (watcher.runs, watcher.went_back) == ([(str(pasted), 2)], None)
    result = watcher.tracker.result(whole.as_of)
    assert [(u.upn, u.state, u.failures, u.first_failure, u.full_sync_due) for u in result.users] == [
        (u.upn, u.state, u.failures, u.first_failure, u.full_sync_due) for u in whole.users
    ]
    read = watcher.rotated if rotated else watcher.stats
    assert (read.records, read.last_time) == (3049, whole.inputs[0].last_time)


def test_a_log_read_whole_keeps_none_of_the_rows_read_before_its_time_went_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo log with eight lines pasted again after its line 1,500, read whole in blocks of
    4 KiB: the first reading hands on the rows of its first blocks before it finds time going
    back, then starts over from the seam it finds there; what it handed on is forgotten. The
    rows are those of the plain reading, each once."""
    from logsync.pipeline import ReadOptions
    from logsync.reading import read_rows, whole_rows
    from logsync.sources import InputStats
    from logsync.watch import _SPEC

    lines = DEMO.read_bytes().splitlines(True)
    pasted = tmp_path / "CloudUserSync.log"
    pasted.write_bytes(b"".join(lines[:1500] + lines[1492:]))
    plain: list[list[object]] = []
    read_rows(
        [str(pasted)], ReadOptions(), lambda: (_SPEC, lambda rows, _: plain.extend(rows)), fast=False
    )
    monkeypatch.setattr("logsync.sources.BLOCK_SIZE", 4096)
    stats = InputStats(str(pasted))
    batches, runs = whole_rows(str(pasted), ReadOptions(), stats, _SPEC)
    rows = [row for batch in batches for row in batch]
    assert (runs, stats.records, len(rows)) == (2, 3049, 2644)
    held = [row for batch in plain for row in batch]
    assert [row[:5] for row in rows] == [row[:5] for row in held]  # type: ignore[index]
    # (a row of a kind no rule locates carries no line: see `RowSpec.located`)
    assert [row[5] for row in rows if row[5]] == [row[5] for row in held if row[2] in _SPEC.located]  # type: ignore[index]


def test_a_log_named_as_a_history_file_is_followed_and_read_once(tmp_path: Path) -> None:
    """A copy of the log named `CloudUserSync-SCCM01.log` (`Get-Content -Wait` on another
    machine): its name is a history file's, and it was read twice, as history and as the live
    log (bob `"failures": 2`). The history beside it is read before it, once."""
    lines = DEMO.read_bytes().splitlines(True)
    (tmp_path / "CloudUserSync-20261124-000000.log").write_bytes(b"".join(lines[:1500]))
    live = tmp_path / "CloudUserSync-SCCM01.log"
    live.write_bytes(b"".join(lines[1500:]))
    whole = analyze([str(DEMO)])
    watcher = Watcher(Follower(live), Tracker(TrackerOptions()))
    watcher.read_rotated()
    watcher.read()
    result = watcher.tracker.result(whole.as_of)
    assert [(u.upn, u.state, u.failures, u.requests) for u in result.users] == [
        (u.upn, u.state, u.failures, u.requests) for u in whole.users
    ]
    assert (watcher.history_records, watcher.stats.records) == (1500, 1541)


def test_watch_writes_a_line_when_the_predicted_cycle_moves_to_the_next_one(tmp_path: Path) -> None:
    """The demo log's first 2,600 lines, then the rest appended: bob's predicted cycle moved
    from 09:10:14.085 (the phase of the cycles then, after his due time 09:10:08.x) to
    09:15:03.266 (the phase crossed his due time: the cycle after), 289 s, less than one
    interval; no line said so, and the watch's last word disagreed with `report`. A move of
    more than half an interval is another cycle; a move of seconds follows the phase."""
    live = tmp_path / "CloudUserSync.log"
    lines = DEMO.read_bytes().splitlines(keepends=True)
    live.write_bytes(b"".join(lines[:2600]))
    watcher = Watcher(Follower(live), Tracker())
    watcher.read()
    wall = datetime(2026, 11, 25, 16, 10, tzinfo=timezone(timedelta(hours=-8)))

    def told(user: str) -> list[tuple[object, ...]]:
        return [
            (c.changed, c.was, c.user.expected_recovery.isoformat(timespec="milliseconds"))
            for c in watcher.changes(wall)[1]
            if c.user.upn == user
        ]

    first = told("bob@contoso.com")
    assert [entry[2] for entry in first] == ["2026-11-26T09:10:14.085-08:00"]
    with open(live, "ab") as handle:
        handle.write(b"".join(lines[2600:]))
    watcher.read()
    assert told("bob@contoso.com") == [
        (
            ("expected_recovery",),
            {"expected_recovery": datetime.fromisoformat("2026-11-26T09:10:14.085-08:00")},
            "2026-11-26T09:15:03.266-08:00",
        )
    ]


def test_watch_s_table_piped_is_written_whole_at_each_change(tmp_path: Path) -> None:
    """`watch --format table > file` (a service's log, `| tee`): the live region is a
    terminal's, and nothing was written until Ctrl+C (and nothing at all if stopped otherwise).
    Piped, the view is written whole at once and at each change, not at each poll."""
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    live = tmp_path / "CloudUserSync.log"
    failed = {"alice@contoso.com": "UserNotFound"}
    live.write_text(Log(bias=0).cycle(now - timedelta(seconds=60), ("alice@contoso.com",), failed).text())
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--format", "table", "--poll", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**env_without_color(), "COLUMNS": "120"},
    )
    reader = Reader(process)
    try:
        def lines_until(blank_lines: int) -> list[str]:
            got, blanks = [], 0
            while blanks < blank_lines:
                line = reader.lines.get(timeout=20).decode()
                got.append(line.rstrip("\n"))
                blanks += not line.strip()
            return got

        first = lines_until(1)
        assert first[0].startswith(f"Watching {live} · last cycle ")
        assert [line.split()[:3:2] for line in first if "@" in line] == [["alice@contoso.com", "waiting"]]
        time.sleep(1)  # (ten polls, no change: nothing written)
        assert reader.lines.empty()
        append(live, Log(bias=0).cycle(now - timedelta(seconds=30), ("bob@contoso.com",), {"bob@contoso.com": "LicenseLimitReached"}))
        second = lines_until(1)
        assert [line.split()[:3:2] for line in second if "@" in line] == [
            ["alice@contoso.com", "waiting"], ["bob@contoso.com", "failed"],
        ]
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_watch_s_table_piped_is_written_again_when_the_connector_stalls(tmp_path: Path) -> None:
    """No user changes, but the connector goes quiet past three intervals: that is a change
    too, written as the ndjson line of the connector is."""
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    live = tmp_path / "CloudUserSync.log"
    live.write_text(Log(bias=0).cycle(now - timedelta(seconds=1), ("alice@contoso.com",)).text())
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--format", "table", "--poll", "0.1", "--interval", "2s"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**env_without_color(), "COLUMNS": "400"},
    )
    reader = Reader(process)
    try:
        headers = []
        while len(headers) < 2:
            line = reader.lines.get(timeout=30).decode()
            if line.startswith("Watching "):
                headers.append(line.rstrip("\n").rsplit(" · connector ", 1)[1])
        assert headers[0] == "ok" and headers[1].startswith("silent for "), headers
        assert reader.lines.get(timeout=30).decode().startswith(
            "No user stuck or failed in the log, but that proves nothing: connector stalled since "
        )
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_watch_text_writes_the_ndjson_records_tab_separated(tmp_path: Path) -> None:
    """`watch --format text` (one record per line, tab-separated, as every command's `text`):
    it was refused ("'text' is not one of table, ndjson"; found by a tester). Each line holds the
    values of the ndjson line in their order, a list or an object as its compact JSON, none as
    `-`; a user's line has a `previous_` time for each time watched, `-` where it did not change,
    so that each kind's columns stay in place (found by a reviewer)."""
    from logsync.render.watching import _text_line

    record = {"kind": "connector", "causes": [{"kind": "x", "ids": []}], "evidence": None, "e": "a\x1b[31m\tb"}
    assert _text_line(record) == 'connector\t[{"kind":"x","ids":[]}]\t-\ta\\x1b[31m\\tb'
    user = {"kind": "user", "upn": "bob@contoso.com", "previous": "pending", "changed": ["expected_recovery"],
            "time": "t", "previous_expected_recovery": "p", "state": "waiting"}
    assert _text_line(user) == 'user\tbob@contoso.com\tpending\t["expected_recovery"]\tt\t-\tp\twaiting'

    def watched(fmt: str, folder: Path) -> list[str]:
        process = subprocess.run(
            ["timeout", "-s", "INT", "3", LOGSYNC, "watch", "--all", "--format", fmt, "--poll", "0.2", str(folder)],
            capture_output=True, timeout=60,
        )
        return process.stdout.decode().splitlines()

    for folder in (SAMPLES / "rotated", SAMPLES / "site-logs"):
        lines, texts = [json.loads(line) for line in watched("ndjson", folder)], watched("text", folder)
        assert [text.split("\t")[0] for text in texts] == [line["kind"] for line in lines]
        widths = {(text.split("\t")[0], len(text.split("\t"))) for text in texts}
        assert len(widths) == len({kind for kind, _ in widths})  # (one width a kind)
        for record, text in zip(lines, texts, strict=True):  # (their times: as of each run's now)
            fields = text.split("\t")
            assert len(fields) == len(_text_line(record).split("\t"))
            if record["kind"] == "user":
                assert [fields[1], fields[2]] == [record["upn"], record["state"]]
                assert fields[list(record).index("failures") + 2] == str(record["failures"])
