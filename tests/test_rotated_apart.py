"""A rotated log (it ends with the rotation marker) whose next file is not among the inputs:
`copy CloudUserSync*.log` of a site server that keeps history files takes a history file and the
live log, and not the `.lo_` written between them. The hours between were judged a stall of the
connector (`connector_stalled`, `past_stall`). A log is renamed while the connector writes it,
and the next file goes on at once: where the next records come later, the file between is not
given, and its lines are left out there (not a stall; the cycles of each file are in a row)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from logsync.sources import InputStats
from logsync.stats import FOLLOWED_US, left_out, rotated_apart, unfollowed, unheard
from logsync.times import micros

from .conftest import SAMPLES, run_installed

LINES = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
MARKER = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
HISTORY = "CloudUserSync-20261124-153010.log"


def folder(tmp_path: Path, next_line: int, marker: bool = True) -> Path:
    """A history file of the demo log's first 1,000 lines (with the marker), and the live log
    from line `next_line` on."""
    path = tmp_path / "Logs"
    path.mkdir()
    (path / HISTORY).write_bytes(b"".join(LINES[:1000]) + (MARKER if marker else b""))
    (path / "CloudUserSync.log").write_bytes(b"".join(LINES[next_line - 1 :]))
    return path


def users(*args: str, pure: str = "") -> list[tuple[str, str, str | None]]:
    result = run_installed("report", "--all", "--format", "json", *args, LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["users"]
    return [(u["upn"], u["state"], u["expected_recovery"]) for u in found]


def findings(path: Path, pure: str) -> tuple[list[str], str]:
    result = run_installed("summary", "--format", "json", str(path), LOGSYNC_PURE=pure)
    document = json.loads(result.stdout)
    codes = [f["code"] for f in document["findings"]] + [a["code"] for a in document["advice"]]
    return codes, result.stderr.decode()


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_history_file_and_the_live_log_leave_out_the_file_between(tmp_path: Path, pure: str) -> None:
    path = folder(tmp_path, 2001)
    codes, stderr = findings(path, pure)
    assert "connector_stalled" not in codes and "past_stall" not in codes
    assert (
        f"logsync: {path / HISTORY}: it ends with the rotation marker at "
        "2026-11-24T17:55:04.743-08:00, and the next record of the inputs is at "
        "2026-11-25T04:20:05.179-08:00: the log written between (the CloudUserSync.lo_ of then) "
        "is not given, and its lines are left out there\n"
    ) in stderr
    # the users' answers are the whole log's (the cycles of each file are in a row)
    assert users(str(path), pure=pure) == users(str(SAMPLES / "CloudUserSync.log"), pure=pure)
    check = run_installed("check", "--fail-on", "connector", str(path), LOGSYNC_PURE=pure)
    assert check.returncode == 0


@pytest.mark.parametrize("pure", ["", "1"])
def test_without_the_marker_the_silence_is_a_stall_still(tmp_path: Path, pure: str) -> None:
    """(Two files that do not say one was renamed: nothing says lines are left out.)"""
    codes, stderr = findings(folder(tmp_path, 2001, marker=False), pure)
    assert "connector_stalled" in codes and "past_stall" in codes
    assert "rotation marker" not in stderr


@pytest.mark.parametrize("pure", ["", "1"])
def test_the_next_file_going_on_at_once_leaves_nothing_out(tmp_path: Path, pure: str) -> None:
    path = folder(tmp_path, 1001)
    _, stderr = findings(path, pure)
    assert "rotation marker" not in stderr and "left out" not in stderr
    assert users(str(path), pure=pure) == users(str(SAMPLES / "CloudUserSync.log"), pure=pure)
    _, stderr = findings(SAMPLES / "rotated", pure)
    assert "rotation marker" not in stderr


PST = timezone(timedelta(hours=-8))
END = datetime(2026, 11, 24, 17, 55, 4, tzinfo=PST)


def stats(path: str, first: datetime, last: datetime) -> InputStats:
    found = InputStats(path)
    found.first_time, found.last_time = first, last
    return found


@pytest.mark.parametrize(
    ("later", "apart"),
    [
        (timedelta(microseconds=FOLLOWED_US), False),
        (timedelta(microseconds=FOLLOWED_US + 1), True),
        (timedelta(hours=10), True),
    ],
)
def test_how_soon_the_next_records_follow(later: timedelta, apart: bool) -> None:
    rotated = stats("a.log", END - timedelta(hours=8), END)
    live = stats("b.log", END + later, END + later + timedelta(hours=5))
    found = rotated_apart([rotated, live], {"a.log": micros(END)})
    assert [(place.stats.path, place.end, place.next_time) for place in found] == (
        [("a.log", micros(END), END + later)] if apart else []
    )
    assert bool(rotated.notes) is apart
    assert left_out([rotated, live], found) == ((micros(END), micros(END + later)) if apart else None)


def test_an_input_that_goes_on_across_the_end_leaves_nothing_out() -> None:
    rotated = stats("a.log", END - timedelta(hours=8), END)
    export = stats("export.log", END - timedelta(hours=1), END + timedelta(hours=12))
    live = stats("b.log", END + timedelta(hours=10), END + timedelta(hours=15))
    assert rotated_apart([rotated, export, live], {"a.log": micros(END)}) == []
    # (an input that ends there too does not go on: the file after it is not given)
    copy = stats("copy.log", END - timedelta(hours=1), END)
    found = rotated_apart([rotated, copy, live], {"a.log": micros(END)})
    assert [(place.stats.path, place.next_time) for place in found] == [("a.log", live.first_time)]
    # (not rotated: no end given)
    assert rotated_apart([rotated, live], {}) == []
    # (a sibling log is no record of the connector's to go on with: none follows)
    live.sibling = True
    found = rotated_apart([rotated, live], {"a.log": micros(END)})
    assert [(place.stats.path, place.end, place.next_time) for place in found] == [("a.log", micros(END), None)]
    assert left_out([rotated, live], found) is None  # (the cycles before its end are all in it)
    assert unfollowed(found) == micros(END)
    assert unheard([rotated, live], None, unfollowed(found)) == (micros(END), None)
    # (the live log given empty, or with no times: a log just rotated goes on from it)
    empty = InputStats("CloudUserSync.log")
    assert rotated_apart([rotated, live, empty], {"a.log": micros(END)}) == []


ROTATED = SAMPLES / "rotated" / "CloudUserSync.lo_"
LO_NOTE = (
    "it ends with the rotation marker at 2025-06-10T10:15:00+01:00, and no input goes on after it: "
    "the connector went on in a new CloudUserSync.log, not given, so what came after that time "
    "(retries, cycles) the input cannot say"
)


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_rotated_log_alone_judged_later_says_what_came_after_is_unknown(tmp_path: Path, pure: str) -> None:
    """The `.lo_` alone, judged hours or days after it ends: the connector was not stalled (it
    renamed its log and went on in a new one), and jan, due the next morning, was not overdue
    (his retry is in the log not given): pending. Without the marker, the same records are a log
    that stopped: a stall, and jan overdue."""
    lone = tmp_path / "CloudUserSync.lo_"
    lone.write_bytes(ROTATED.read_bytes())
    stopped = tmp_path / "stopped" / "CloudUserSync.log"
    stopped.parent.mkdir()
    stopped.write_bytes(ROTATED.read_bytes().replace(MARKER, b""))
    assert MARKER in lone.read_bytes() and stopped.stat().st_size < lone.stat().st_size
    hours, days = "2025-06-10T14:00:00+01:00", "2025-06-12T14:00:00+01:00"
    for path, stalled, jan in ((lone, False, "pending"), (stopped, True, "overdue")):
        for now, state in ((None, "waiting"), (hours, "waiting"), (days, jan)):
            at = ["--now", now] if now else []
            result = run_installed("check", *at, str(path), LOGSYNC_PURE=pure)
            last = result.stdout.decode().splitlines()[-1]
            assert result.returncode == 1
            assert ("connector_stalled" in last) is (stalled and now is not None), last
            found = users(*at, str(path), pure=pure)
            assert [(upn, got) for upn, got, _ in found] == [("jan@example.org", state)]
            noted = f"logsync: {path}: {LO_NOTE}\n" in result.stderr.decode()
            assert noted is (path == lone)


@pytest.mark.parametrize("pure", ["", "1"])
def test_past_a_lone_rotated_log_s_end_only_what_falls_after_it_is_unknown(tmp_path: Path, pure: str) -> None:
    """The demo log rotated (`.lo_`), alone, judged two days after its end: ivan, whose retry
    fell due within it with none logged, is overdue still; bob, heidi and erin, due after its
    end, are pending; the connector is not stalled. The log itself, so judged, has all four
    overdue and the connector stalled."""
    lone = tmp_path / "CloudUserSync.lo_"
    lone.write_bytes(b"".join(LINES) + MARKER)
    now = ["--now", "2026-11-27T20:00:00-08:00"]
    found = {upn.split("@")[0]: state for upn, state, _ in users(*now, str(lone), pure=pure)}
    assert {name: found[name] for name in ("ivan", "dave", "bob", "heidi", "erin", "carol")} == {
        "ivan": "overdue", "dave": "failed", "bob": "pending", "heidi": "pending",
        "erin": "pending", "carol": "recovered",
    }
    last = run_installed("check", *now, str(lone), LOGSYNC_PURE=pure).stdout.decode().splitlines()[-1]
    assert last.startswith("FAIL: 5 users (1 overdue, 1 failed, 3 pending that may be stuck), limit 0 as of")
    assert "connector_stalled" not in last
    whole = run_installed("check", *now, str(SAMPLES / "CloudUserSync.log"), LOGSYNC_PURE=pure)
    assert whole.stdout.decode().splitlines()[-1].startswith(
        "FAIL: 5 users (4 overdue, 1 failed), limit 0; connector: connector_stalled as of"
    )


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_stall_inside_a_lone_rotated_log_is_one_still(tmp_path: Path, pure: str) -> None:
    """An excerpt of the demo log (`--` after its first 40 lines) with 3h 10m of no cycle later
    in it: a stall, with or without the rotation marker at its end. With it, the time after
    the end (a log not given) had widened the place left out from the `--` to the end of time,
    and the stall was not reported."""
    lines = [*LINES[:40], b"--\r\n", *LINES[60:300], *LINES[600:1000]]
    stall = (
        "no cycle for 3h 10m between 2026-11-24T10:40:04.239-08:00 and "
        "2026-11-24T13:50:04.445-08:00 — more than 3 intervals of 5m"
    )
    for name, tail in (("CloudUserSync.log", b""), ("CloudUserSync.lo_", MARKER)):
        path = tmp_path / name
        path.write_bytes(b"".join(lines) + tail)
        result = run_installed("summary", "--format", "json", str(path), LOGSYNC_PURE=pure)
        found = [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "connector_stalled"]
        assert found == [stall], name


def test_the_boundaries_of_what_follows_a_rotated_log() -> None:
    """A record of another input at the rotated log's very end is no next record; a sibling log
    with no time does not stop the end being unfollowed (nor does it go on from it); 15 minutes
    to the microsecond; where the end is unfollowed, the place widens to the earlier of it and
    the gaps; past the end, from its very instant, lines are left out."""
    from types import SimpleNamespace

    from logsync.tracker.unknowns import left_out_after

    rotated = stats("a.log", END - timedelta(hours=8), END)
    point = stats("point.log", END, END)
    live = stats("b.log", END + timedelta(hours=10), END + timedelta(hours=15))
    ends = {"a.log": micros(END)}
    assert [(p.stats.path, p.next_time) for p in rotated_apart([rotated, point, live], ends)] == [
        ("a.log", live.first_time)
    ]
    assert [(p.stats.path, p.next_time) for p in rotated_apart([rotated, point], ends)] == [("a.log", None)]
    sibling = InputStats("CertMgr.log")
    sibling.sibling = True
    assert [(p.end, p.next_time) for p in rotated_apart([rotated, sibling], ends)] == [(micros(END), None)]
    assert FOLLOWED_US == 15 * 60 * 1_000_000
    for later, apart in ((timedelta(minutes=15), False), (timedelta(minutes=15, microseconds=1), True)):
        after = stats("c.log", END + later, END + later + timedelta(hours=5))
        assert bool(rotated_apart([stats("a.log", END - timedelta(hours=8), END), after], ends)) is apart
    e = micros(END)
    assert unheard([], (e + 10, e + 20), e) == (e, None)
    assert unheard([], (e - 10, e + 20), e) == (e - 10, None)
    assert unheard([], None, e) == (e, None)
    tracked = SimpleNamespace(totals=SimpleNamespace(gaps=None, unfollowed=1000), log=SimpleNamespace(unheard=None))
    assert (left_out_after(tracked, 1000), left_out_after(tracked, 999)) == (True, False)  # type: ignore[arg-type]


def test_past_a_lone_rotated_log_s_end_the_gate_names_the_other_pending_user(tmp_path: Path) -> None:
    lone = tmp_path / "CloudUserSync.lo_"
    lone.write_bytes(b"".join(LINES) + MARKER)
    result = run_installed("check", "--now", "2026-11-27T20:00:00-08:00", "--fail-on", "overdue", str(lone))
    assert result.stdout.decode().splitlines()[-1] == (
        "FAIL: 4 users (1 overdue, 3 pending that may be stuck), limit 0 as of "
        "2026-11-27T20:00:00-08:00; 1 failed user and 1 other pending user not counted by "
        "--fail-on overdue"
    )


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("next_line", [1001, 1301])
def test_the_log_pasted_before_its_rotated_half_goes_on_from_it(tmp_path: Path, next_line: int, pure: str) -> None:
    """`type CloudUserSync.log CloudUserSync.lo_ | logsync report -` (the halves in the wrong
    order, piped): the marker's run is followed in time by the input's other run. It said "the
    connector went on in a new CloudUserSync.log, not given", at the time of the input's last
    record, not the marker's (found by a tester). Where the other run begins later, the silence
    between is said to be lines left out, or a stall, as in any input read as runs."""
    path = folder(tmp_path, next_line)
    halves = [str(path / HISTORY), str(path / "CloudUserSync.log")]
    pasted = Path(halves[1]).read_bytes() + Path(halves[0]).read_bytes()
    for given, stdin in (("-", pasted), (str(tmp_path / "pasted.log"), None)):
        Path(tmp_path / "pasted.log").write_bytes(pasted)
        result = run_installed("report", "--all", "--format", "json", given, stdin=stdin, LOGSYNC_PURE=pure)
        assert result.returncode == 0
        stderr = result.stderr.decode()
        assert "not given" not in stderr and "rotation marker" not in stderr
        assert ("not heard from 2026-11-24T17:55:04.258-08:00 to " in stderr) is (next_line == 1301)
        both = run_installed("report", "--all", "--format", "json", *halves, LOGSYNC_PURE=pure)
        assert json.loads(result.stdout)["users"] == json.loads(both.stdout)["users"]


def test_a_rotated_half_read_as_runs_is_followed_by_its_own_later_run() -> None:
    """The unit: an input that ends with the marker is followed by a run of its own that begins
    by `FOLLOWED_US` after the marker's record; a later one is the next record, after lines not
    given; the note names the marker's time, not the input's last record's."""
    pasted = stats("all.log", END - timedelta(hours=8), END + timedelta(hours=6))
    marker_run = (micros(END - timedelta(hours=8)) / 1e6, micros(END) / 1e6, 900)
    for later, apart in ((FOLLOWED_US, False), (FOLLOWED_US + 1, True)):
        pasted.notes.clear()
        run = ((micros(END) + later) / 1e6, micros(END + timedelta(hours=6)) / 1e6, 1)
        found = rotated_apart([pasted], {"all.log": micros(END)}, {"all.log": [run, marker_run]})
        assert [(p.end, p.next_time is not None) for p in found] == ([(micros(END), True)] if apart else [])
        if apart:
            assert pasted.notes[0].startswith("it ends with the rotation marker at 2026-11-24T17:55:04-08:00, ")
    assert rotated_apart([pasted], {"all.log": micros(END)}) != []  # (its runs not given)
