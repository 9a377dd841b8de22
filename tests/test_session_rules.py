"""Boundaries of the rules that excerpts and inputs without times turn on, found by mutating
them: a cycle's counts that hold a user back or leave room for it, the gate on users whose
outcome the input cannot show, and the samples of a file's times taken before reading it."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.pipeline import ReadOptions
from logsync.sampling import PEEK, SAMPLES
from logsync.sampling import input_samples as _sampled_input

from .logtext import Log, sms_line

runner = CliRunner()
START = "Starting user delta sync, raise failure status messages = True"


def _samples(name: str, options: object) -> list[int] | None:
    """The instants of an input's samples (see `sampling.input_samples`), None where it has none."""
    found = _sampled_input(name, options)  # type: ignore[arg-type]
    return None if found is None else found.times


def notified(upn: str) -> str:
    return f"NotifyAccountAddition - SCCM user to add = {upn}"


def totals(received: int, added: int) -> str:
    return (
        f"Total received users to add from SCCM = {received}, "
        f"Total Successfully added users to Cloud = {added}"
    )


def states(path: str) -> dict[str, tuple[str, bool]]:
    return {u.upn: (u.state, u.before_input) for u in analyze([path]).users}


# -- rule 2b: what a cycle's counts leave room for ------------------------------------------


def test_a_user_received_where_the_counts_left_room_is_released_by_its_absence(
    tmp_path: Path,
) -> None:
    """u1 and u2 notified in a cycle the log starts inside (`received 1, added 1`: undecided),
    u1 again in a cycle that received nobody it notified (`received 1, added 0`: no room for
    u1, held back there), then a cycle without it: u1 was held back, not added, and stays
    `waiting`; u2, absent from the second cycle, was the one added in the first."""
    log = Log(bias=240)
    log.at(datetime(2014, 9, 15, 9, 0, 52), notified("u1@contoso.com"))
    log.at(datetime(2014, 9, 15, 9, 0, 52), notified("u2@contoso.com"))
    log.at(datetime(2014, 9, 15, 9, 0, 53), totals(1, 1))
    log.steady(datetime(2014, 9, 15, 9, 5, 50), "u1@contoso.com", received=0, added=0)
    log.steady(datetime(2014, 9, 15, 9, 10, 50), received=0, added=0)
    found = states(log.write(tmp_path / "CloudUserSync.log"))
    assert found == {"u1@contoso.com": ("waiting", True), "u2@contoso.com": ("synced", False)}


def test_every_held_user_missing_from_a_cycle_is_judged_on_its_own(tmp_path: Path) -> None:
    """u1 and u2 held back by a cycle that received nobody; then u2 alone is notified in a cycle
    whose totals line the log lost (room for it), and a complete cycle notifies neither: u1 was
    held where it was last seen and stays `waiting`; u2 was received in the cycle before and
    added there (`recovered`). Judging u1 does not stop the judging of u2."""
    log = Log(bias=240)
    for upn in ("u1@contoso.com", "u2@contoso.com", "u3@contoso.com"):
        log.at(datetime(2014, 9, 15, 9, 0, 52), notified(upn))
    log.at(datetime(2014, 9, 15, 9, 0, 53), totals(2, 2))
    log.steady(datetime(2014, 9, 15, 9, 5, 50), "u1@contoso.com", "u2@contoso.com")
    log.at(datetime(2014, 9, 15, 9, 10, 50), START)
    log.at(datetime(2014, 9, 15, 9, 10, 52), notified("u2@contoso.com"))
    log.steady(datetime(2014, 9, 15, 9, 15, 50))
    found = states(log.write(tmp_path / "CloudUserSync.log"))
    assert found == {
        "u1@contoso.com": ("waiting", True),
        "u2@contoso.com": ("recovered", True),
        "u3@contoso.com": ("synced", False),
    }


def test_a_user_first_held_by_a_cycle_that_received_nobody_is_not_added_by_the_next(
    tmp_path: Path,
) -> None:
    log = Log(bias=240)
    log.steady(datetime(2014, 9, 15, 9, 0, 50), "u1@contoso.com", received=0, added=0)
    log.steady(datetime(2014, 9, 15, 9, 5, 50), received=0, added=0)
    assert states(log.write(tmp_path / "CloudUserSync.log")) == {
        "u1@contoso.com": ("waiting", True)
    }


# -- the gate on users whose outcome the input cannot show ----------------------------------


def test_report_fail_on_counts_the_undetermined_as_waiting(tmp_path: Path) -> None:
    """c and d notified in one cycle that received and added one: both pending, undetermined.
    `--fail-on waiting` fails on them (a gate never passes because a failure lies before its
    input); `--fail-on failed` does not."""
    log = Log(bias=240)
    log.steady(
        datetime(2014, 9, 15, 9, 0, 50), "c@contoso.com", "d@contoso.com", received=1, added=1
    )
    path = log.write(tmp_path / "CloudUserSync.log")
    assert analyze([path]).result.undetermined == 2
    assert runner.invoke(app, ["report", "--fail-on", "waiting", path]).exit_code == 1
    assert runner.invoke(app, ["report", "--fail-on", "failed", path]).exit_code == 0


# -- input with no times ----------------------------------------------------------------------


def no_times(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "ticket.txt"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_with_no_times_a_known_failure_held_back_keeps_its_reason(tmp_path: Path) -> None:
    """u1 fails, then is notified again beside u2 in a cycle that received and added one: u1
    is held back by its timer (which may still run), its failure known, not a user held back
    since before the input."""
    path = no_times(
        tmp_path,
        START, notified("u1@contoso.com"), "Failed to add user u1@contoso.com; reason UserNotFound",
        totals(1, 0),
        START, notified("u1@contoso.com"), notified("u2@contoso.com"), totals(1, 1),
    )
    (u1,) = [u for u in analyze([path]).users if u.upn == "u1@contoso.com"]
    assert (u1.state, u1.reason, u1.before_input) == ("waiting", "UserNotFound", False)


def test_with_no_times_a_retry_after_a_restart_awaits_its_totals(tmp_path: Path) -> None:
    """After a restart, the full sync retries u1: notified there with no totals after it, its
    outcome is not in the input (`awaiting_totals`), not held back by a timer."""
    path = no_times(
        tmp_path,
        START, notified("u1@contoso.com"), "Failed to add user u1@contoso.com; reason UserNotFound",
        totals(1, 0),
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 7012 (0x1B64).",
        "CCloudUserSync::Process - User sync processing has started.",
        START, notified("u1@contoso.com"),
    )
    (u1,) = analyze([path]).users
    assert (u1.state, u1.pending_reason) == ("pending", "awaiting_totals")


def test_with_no_times_the_timeline_of_a_user_added_after_its_failure(tmp_path: Path) -> None:
    path = no_times(
        tmp_path,
        START, notified("u1@contoso.com"), "Failed to add user u1@contoso.com; reason UserNotFound",
        totals(1, 0),
        START, notified("u1@contoso.com"), totals(1, 1),
        START, totals(0, 0),
    )
    result = runner.invoke(app, ["timeline", "u1@contoso.com", "--format", "text", path])
    assert [row.split("\t")[1:] for row in result.stdout.splitlines()] == [
        ["requested", "NotifyAccountAddition u1@contoso.com", f"{path}:2"],
        ["failed", "reason UserNotFound", f"{path}:3"],
        ["held_back", "notified; timer runs", f"{path}:6"],
        ["added", "added to the cloud: recovered", f"{path}:7"],
        ["state", "recovered · 1 failure (UserNotFound)", "-"],
    ]


# -- samples of a file's times ----------------------------------------------------------------

T0 = datetime(2026, 3, 2, 9, 0, 0)
T0_US = 1772456400000000  # T0 at bias +240


def trace(path: Path, count: int, message: str = "Successfully removed users from cloud {:05d}",
          newline: str = "\r\n", end: bool = True) -> Path:
    lines = [sms_line(T0 + timedelta(seconds=i), message.format(i)) for i in range(count)]
    path.write_bytes((newline.join(lines) + (newline if end else "")).encode())
    return path


def test_the_samples_of_a_file_are_its_ends_and_32_places_inside(tmp_path: Path) -> None:
    path = trace(tmp_path / "a.log", 4000)
    size = path.stat().st_size
    width = size // 4000  # (every line the same length)
    step = (size - 2 * PEEK) // (SAMPLES + 1)
    inside = [T0_US + ((PEEK + k * step) // width + 1) * 1_000_000 for k in range(1, SAMPLES + 1)]
    assert _samples(str(path), ReadOptions()) == [T0_US, *inside, T0_US + 3999 * 1_000_000]


@pytest.mark.parametrize(
    ("count", "end", "expected"),
    [
        (2, True, [T0_US, T0_US + 1_000_000]),
        (2, False, [T0_US, T0_US + 1_000_000]),  # (its last line has no line break)
        (1, True, [T0_US, T0_US]),
        (1, False, None),  # (one line cut short may be a line being written: no record known)
    ],
)
def test_the_samples_of_a_small_file(
    tmp_path: Path, count: int, end: bool, expected: list[int] | None
) -> None:
    assert _samples(str(trace(tmp_path / "a.log", count, end=end)), ReadOptions()) == expected


def test_no_samples_where_they_cannot_be_read_cheaply(tmp_path: Path) -> None:
    long_first = tmp_path / "first.log"
    long_first.write_bytes(
        (sms_line(T0, "x" * PEEK, 240) + "\r\n" + sms_line(T0 + timedelta(seconds=2), "y") + "\r\n")
        .encode()
    )
    assert _samples(str(long_first), ReadOptions()) is None
    stored = tmp_path / "logs.zip"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        archive.write(trace(tmp_path / "b.log", 50), "CloudUserSync.log")
    assert _samples(str(stored), ReadOptions()) is None
    padded = trace(tmp_path / "c.log", 100, message="x" * 3000 + " {}")
    assert _samples(str(padded), ReadOptions()) == [T0_US, T0_US + 99_000_000]  # (none inside)


def test_a_log_in_another_code_page_is_sampled_and_read(tmp_path: Path) -> None:
    """Bytes that are no UTF-8 (a Latin-1 `café` in a message) do not stop the samples: the
    gate judges bob as the log shows him."""
    log = Log(bias=240)
    log.at(T0, "Note from the caf\u00e9 server")
    log.cycle(T0 + timedelta(minutes=1), ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    log.cycle(T0 + timedelta(minutes=6))
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes("\r\n".join(log.lines).encode("latin-1") + b"\r\n")
    assert _samples(str(path), ReadOptions()) == [T0_US, T0_US + 6 * 60_000_000]
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith("bob@contoso.com\twaiting\tUserNotFound\t")


# -- from the second mutation run --------------------------------------------------------------


def test_a_user_last_notified_in_a_cycle_that_added_nobody_was_not_added_there(
    tmp_path: Path,
) -> None:
    """u1 undecided in the cycle the log starts inside, held back by the next (notified again),
    whose counts say `received 1, added 0` with no failure line (they do not reconcile), then
    missing from a cycle: nobody was added where it was last seen, so it was not added there."""
    log = Log(bias=240)
    log.at(datetime(2014, 9, 15, 9, 0, 52), notified("u1@contoso.com"))
    log.at(datetime(2014, 9, 15, 9, 0, 53), totals(1, 1))
    log.steady(datetime(2014, 9, 15, 9, 5, 50), "u1@contoso.com", received=1, added=0)
    log.steady(datetime(2014, 9, 15, 9, 10, 50), received=0, added=0)
    path = log.write(tmp_path / "CloudUserSync.log")
    assert states(path) == {"u1@contoso.com": ("waiting", True)}
    assert analyze([path]).result.unreconciled_count == 1


def test_a_user_held_beside_one_received_is_not_released_by_its_absence(tmp_path: Path) -> None:
    """u3 fails (Forbidden) in the cycle the log starts inside; the next notifies u1 (held back
    since before the log) and u3, and receives and adds one: u3, whose failure is known; u1 was
    held back there and is not added by its absence from the next cycle."""
    log = Log(bias=240)
    log.at(datetime(2014, 9, 15, 9, 0, 52), notified("u3@contoso.com"))
    log.at(datetime(2014, 9, 15, 9, 0, 52), "Failed to add user u3@contoso.com; reason Forbidden")
    log.at(datetime(2014, 9, 15, 9, 0, 53), totals(1, 0))
    log.steady(
        datetime(2014, 9, 15, 9, 5, 50), "u1@contoso.com", "u3@contoso.com", received=1, added=1
    )
    log.steady(datetime(2014, 9, 15, 9, 10, 50), received=0, added=0)
    assert states(log.write(tmp_path / "CloudUserSync.log")) == {
        "u1@contoso.com": ("waiting", True),
        "u3@contoso.com": ("recovered", False),
    }


def test_a_user_whose_timer_runs_is_no_skip_when_an_undecided_cycle_is_decided(
    tmp_path: Path,
) -> None:
    """u1 undecided, then its failure line (UserNotFound: its timer starts), then a cycle that
    notifies it and receives nobody: held back by its timer, `waiting`, and no skip (a skip is
    a notification past the due time, evidence for `overdue`)."""
    log = Log(bias=240)
    log.at(datetime(2014, 9, 15, 9, 0, 52), notified("u1@contoso.com"))
    log.at(datetime(2014, 9, 15, 9, 0, 53), totals(1, 1))
    log.at(datetime(2014, 9, 15, 9, 0, 54), "Failed to add user u1@contoso.com; reason UserNotFound")
    log.steady(datetime(2014, 9, 15, 9, 5, 50), "u1@contoso.com", received=0, added=0)
    (u1,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (u1.state, u1.before_input, u1.skipped) == ("waiting", False, 0)


def padded(path: Path, size: int) -> Path:
    """Records a second apart, the last padded so that the file is exactly `size` bytes."""
    lines = []
    total = 0
    while True:
        line = sms_line(T0 + timedelta(seconds=len(lines)), "Successfully removed users from cloud 0")
        if total + 2 * (len(line) + 2) > size:
            break
        lines.append(line)
        total += len(line) + 2
    last = sms_line(T0 + timedelta(seconds=len(lines)), "x")
    pad = size - total - len(last) - 2
    lines.append(sms_line(T0 + timedelta(seconds=len(lines)), "x" * (1 + pad)))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    assert path.stat().st_size == size
    return path


@pytest.mark.parametrize(
    ("size", "inside"),
    [(PEEK, 0), (2 * PEEK, 0), (2 * PEEK + 1, SAMPLES), (int(2.5 * PEEK), SAMPLES)],
)
def test_places_inside_are_sampled_only_in_a_file_longer_than_both_ends(
    tmp_path: Path, size: int, inside: int
) -> None:
    samples = _samples(str(padded(tmp_path / "a.log", size)), ReadOptions())
    assert samples is not None
    assert (samples[0], len(samples)) == (T0_US, 2 + inside)


def test_a_last_record_longer_than_the_tail_read_is_no_sample(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    path.write_bytes(
        (sms_line(T0, "first") + "\r\n" + sms_line(T0 + timedelta(seconds=1), "y" * PEEK) + "\r\n")
        .encode()
    )
    assert _samples(str(path), ReadOptions()) is None


def test_times_without_an_offset_are_sampled_in_the_source_zone(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    lines = [sms_line(T0 + timedelta(seconds=i), "Successfully removed users from cloud 0", None)
             for i in range(3)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    assert _samples(str(path), ReadOptions()) is None  # (no offset: no instant)
    zone = ReadOptions(source_tz=timezone(timedelta(hours=-4)))
    assert _samples(str(path), zone) == [T0_US, T0_US + 2_000_000]


def test_stdin_is_sampled_from_its_copy_not_from_a_file_named_like_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-` is stdin, read to its end into the copy the reading then reads, however a file in
    the working folder is named."""
    import io
    import sys
    import types

    monkeypatch.chdir(tmp_path)
    trace(tmp_path / "-", 3)
    piped = trace(tmp_path / "piped.log", 4000).read_bytes()
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(piped)))
    samples = _samples("-", ReadOptions())
    assert samples == _samples(str(tmp_path / "piped.log"), ReadOptions())
    assert samples is not None and (len(samples), samples[-1]) == (34, T0_US + 3999 * 1_000_000)
    assert analyze(["-"], require_connector=False).inputs[0].records == 4000


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_sampled_on_its_characters(tmp_path: Path, encoding: str) -> None:
    """With a byte-order mark or without: each place read starts on a character."""
    text = trace(tmp_path / "a.log", 4000).read_bytes().decode()  # (CRLF: an odd step)
    path = tmp_path / "wide.log"
    path.write_bytes(text.encode(encoding))
    bom = 2 if encoding == "utf-16" else 0
    size = path.stat().st_size
    width = (size - bom) // 4000  # (every line the same length)
    step = (size - 2 * PEEK) // (SAMPLES + 1)
    places = [(PEEK + k * step) // 2 * 2 for k in range(1, SAMPLES + 1)]
    inside = [T0_US + ((place - bom) // width + 1) * 1_000_000 for place in places]
    assert _samples(str(path), ReadOptions()) == [T0_US, *inside, T0_US + 3999 * 1_000_000]


def test_a_file_of_one_record_as_long_as_the_tail_read_is_sampled_whole(tmp_path: Path) -> None:
    """The tail read is the whole file: its first line is whole, not cut."""
    path = tmp_path / "a.log"
    short = sms_line(T0, "x")
    line = sms_line(T0, "x" * (1 + PEEK - len(short) - 2))
    path.write_bytes((line + "\r\n").encode())
    assert path.stat().st_size == PEEK
    assert _samples(str(path), ReadOptions()) == [T0_US, T0_US]


def test_a_retry_in_a_cycle_whose_counts_do_not_reconcile_has_an_unknown_outcome(
    tmp_path: Path,
) -> None:
    """ann's timer runs out at 09:00:02; the cycle of 09:05 retries her beside bob, new, and
    its counts say `received 2, added 1` with no failure line (`grep -C1` keeps another user's
    failure line in the cycle before instead). Which of the two was added, they cannot say:
    ann is `pending` (`retry_unseen`), not `waiting` for a retry that came. A user whose own
    failure line is in that cycle was tried there and failed: `waiting`, its timer restarted."""
    log = Log(bias=240)
    log.cycle(datetime(2014, 9, 14, 9, 0, 0), requested=("ann@contoso.com",), failed={"ann@contoso.com": "UserNotFound"})
    log.at(datetime(2014, 9, 15, 9, 5, 0), START)
    log.at(datetime(2014, 9, 15, 9, 5, 1), notified("ann@contoso.com"))
    log.at(datetime(2014, 9, 15, 9, 5, 2), notified("bob@contoso.com"))
    log.at(datetime(2014, 9, 15, 9, 5, 3), totals(2, 1))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert analysis.result.unreconciled_count == 1
    assert {u.upn: (u.state, u.pending_reason) for u in analysis.users}["ann@contoso.com"] == (
        "pending", "retry_unseen"
    )

    log = Log(bias=240)
    log.cycle(datetime(2014, 9, 15, 9, 0, 0))
    log.at(datetime(2014, 9, 15, 9, 5, 0), START)
    log.at(datetime(2014, 9, 15, 9, 5, 1), notified("ann@contoso.com"))
    log.at(datetime(2014, 9, 15, 9, 5, 1, 100000), "Failed to add user ann@contoso.com; reason UserNotFound")
    log.at(datetime(2014, 9, 15, 9, 5, 1, 300000), notified("bob@contoso.com"))
    log.at(datetime(2014, 9, 15, 9, 5, 2), totals(2, 0))
    analysis = analyze([log.write(tmp_path / "first-try.log")])
    assert analysis.result.unreconciled_count == 1
    assert {u.upn: (u.state, u.pending_reason) for u in analysis.users}["ann@contoso.com"] == (
        "waiting", None
    )
