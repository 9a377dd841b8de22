"""Edges of the newest rules that the other tests leave open (found by mutation testing):
where a cycle begun at its removal lines counts from (`Openings.begun`), and a cycle off the
schedule that names a user held back since the cycle before (`User.off_schedule`'s
`cycle_off`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from logsync import analyze
from logsync.formats.paste import placeholder, redacted
from logsync.tracker import RETRY_UNSEEN
from logsync.tracker.openings import Openings

from .logtext import Log

EVERY = 300_000_000
SECOND = 1_000_000


def test_the_input_s_first_cycle_begins_at_its_first_removal_lines_only() -> None:
    """Removal lines that open no cycle (nobody named, no totals since) keep the time the
    input's first cycle began: the first of them."""
    openings = Openings()
    assert openings.opens(0, 100 * SECOND) is False
    assert openings.opens(0, 200 * SECOND) is False
    openings.begins(400 * SECOND, EVERY)
    assert (openings.off, openings.begun) == (False, 400 * SECOND)


def test_each_cycle_begun_at_its_removal_lines_is_judged_from_the_one_before() -> None:
    openings = Openings()
    openings.starts(0)
    openings.begins(400 * SECOND, EVERY)
    assert openings.off is True
    openings.begins(700 * SECOND, EVERY)  # (on the schedule of the 400 s one, not of 0)
    assert openings.off is False


def test_a_cycle_start_puts_the_cycle_back_on_its_schedule() -> None:
    openings = Openings()
    openings.starts(0)
    openings.begins(150 * SECOND, EVERY)
    assert openings.off is True
    openings.starts(300 * SECOND)
    assert (openings.off, openings.begun) == (False, 300 * SECOND)


BOB = "bob@contoso.com"


def failed_then_opened(removed_at: str) -> Log:
    """bob, named half a minute into the 09:00 cycle, fails; the next cycle's start is left
    out, its removal lines at `removed_at` (09:05), and it names bob at 09:05:30: one interval
    after his last notification, whatever the cycle's own schedule."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:00", "Starting user delta sync, raise failure status messages = True")
    log.at("2026-03-02 09:00:00", "Total received users from SCCM to be removed from cloud = 0")
    log.at("2026-03-02 09:00:00", "Successfully removed users from cloud 0")
    log.at("2026-03-02 09:00:30", f"NotifyAccountAddition - SCCM user to add = {BOB}")
    log.at("2026-03-02 09:00:30", f"Failed to add user {BOB}; reason UserNotFound")
    log.at(
        "2026-03-02 09:00:30",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0",
    )
    log.at(f"2026-03-02 {removed_at}", "Total received users from SCCM to be removed from cloud = 0")
    log.at(f"2026-03-02 {removed_at}", "Successfully removed users from cloud 0")
    log.at("2026-03-02 09:05:30", f"NotifyAccountAddition - SCCM user to add = {BOB}")
    return log


def test_a_cycle_begun_off_the_schedule_may_have_retried_a_user_named_on_its_own(
    tmp_path: Path,
) -> None:
    """Begun 20 s off the schedule (a full sync after a restart left out), the cycle may have
    retried bob, though his own gap (300 s, from his failure's cycle) says nothing; begun on
    it (09:05:05), it held him back."""
    for removed_at, found in [
        ("09:05:20", [("pending", RETRY_UNSEEN, 1)]),
        ("09:05:05", [("waiting", None, 1)]),
    ]:
        path = failed_then_opened(removed_at).write(tmp_path / "search.log")
        users = analyze([path]).users
        assert [(u.state, u.pending_reason, u.failures) for u in users] == found, removed_at


def test_a_failure_logged_twice_at_one_instant_has_one_retry_cycle(tmp_path: Path) -> None:
    """Its timer is in the heap twice (`Timers.ran_out`): the cycle that retries bob is noted
    once (`Timers.due_in` sets a user's `due_cycle` once)."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:00", "Starting user delta sync, raise failure status messages = True")
    log.at("2026-03-02 09:00:00", "Total received users from SCCM to be removed from cloud = 0")
    log.at("2026-03-02 09:00:00", "Successfully removed users from cloud 0")
    log.at("2026-03-02 09:00:02", f"NotifyAccountAddition - SCCM user to add = {BOB}")
    log.at("2026-03-02 09:00:02", f"Failed to add user {BOB}; reason UserNotFound")
    log.at("2026-03-02 09:00:02", f"Failed to add user {BOB}; reason UserNotFound")
    log.at(
        "2026-03-02 09:00:02",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0",
    )
    log.cycles("2026-03-03 09:00:00", "2026-03-03 09:15:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    steps = analyze([path], follow=BOB).tracker.history.followed()
    assert [(s.what, s.line, s.detail) for s in steps if s.what == "retry_cycle"] == [
        ("retry_cycle", 13, "first cycle after full sync due")
    ]


def late_after(tmp_path: Path, late: float, mark: bool) -> tuple[str, str | None]:
    """bob, due at 09:00:02 and held back (named) in every cycle to 08:55; the next cycle comes
    `late` seconds after 09:00, after `--` (`mark`: lines left out) or right after."""
    from datetime import datetime, timedelta

    log = Log(bias=300).cycle("2026-03-02 09:00:00", (BOB,), {BOB: "UserNotFound"})
    moment = datetime(2026, 3, 2, 9, 5)
    while moment < datetime(2026, 3, 3, 9, 0):
        log.steady(moment, BOB)
        moment += timedelta(minutes=5)
    if mark:
        log.lines.append("--")
    moment += timedelta(seconds=late)
    while moment < datetime(2026, 3, 3, 9, 40):
        log.steady(moment)
        moment += timedelta(minutes=5)
    path = tmp_path / f"late-{late}-{mark}.log"
    path.write_text("\r\n".join(log.lines) + "\r\n", encoding="utf-8")
    (user,) = analyze([str(path)]).users
    return user.state, user.pending_reason


def test_lines_marked_left_out_keep_a_retry_unseen_off_the_schedule_too(tmp_path: Path) -> None:
    """A cycle off bob's schedule (09:07:30) after `--`: the retry may be in the lines left
    out, whatever the schedule says (`left_out_after`); with nothing in their place the
    connector was late, and passed him over."""
    assert late_after(tmp_path, 450, mark=True) == ("pending", RETRY_UNSEEN)
    assert late_after(tmp_path, 450, mark=False) == ("overdue", None)


@pytest.mark.parametrize(
    ("name", "masked", "any_user"),
    [
        ("bob@xxx.co.uk", True, True),  # (a masked domain, whatever its labels after)
        ("UPN@contoso.com", False, True),
        ("redacted@contoso.com", False, True),
        ("anonymous@contoso.com", False, True),
    ],
)
def test_more_placeholders_with_a_upn_s_shape(name: str, masked: bool, any_user: bool) -> None:
    assert (redacted(name), placeholder(name)) == (masked, any_user)


def halves_beside(tmp_path: Path, older: bytes, packed: dict[str, bytes]) -> tuple[str, str, str]:
    """A .log and a .lo_ (`older`) in a folder, and a zip of `packed` members beside them."""
    import zipfile

    from .conftest import SAMPLES

    log, rotated = tmp_path / "CloudUserSync.log", tmp_path / "CloudUserSync.lo_"
    log.write_bytes((SAMPLES / "rotated" / "CloudUserSync.log").read_bytes())
    rotated.write_bytes(older)
    archive = tmp_path / "rot.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for member, data in packed.items():
            handle.writestr(member, data)
    return str(log), str(rotated), str(archive)


def test_a_large_lo_read_from_a_zip_is_known_by_its_crc(tmp_path: Path) -> None:
    """A .lo_ of more than a megabyte (read in blocks: `halves._crc`) read from a zip is the
    one beside the .log: nothing to say."""
    from logsync.halves import lone_halves

    from .conftest import SAMPLES

    older = (SAMPLES / "rotated" / "CloudUserSync.lo_").read_bytes()
    older = older * (1 + (3 << 20) // len(older))  # (over 3 MiB: several blocks)
    log, rotated, archive = halves_beside(tmp_path, older, {"Logs/CloudUserSync.lo_": older})
    assert lone_halves([f"{archive}/Logs/CloudUserSync.lo_", log]) == []
    assert lone_halves([log]) == [(log, rotated)]


def test_only_the_half_read_from_a_zip_counts_not_another_copy_in_it(tmp_path: Path) -> None:
    """The zip holds an older archive's .lo_ (read) and, in another folder, today's (not read):
    the .lo_ beside the .log was not read."""
    from logsync.halves import lone_halves

    from .conftest import SAMPLES

    older = (SAMPLES / "rotated" / "CloudUserSync.lo_").read_bytes()
    log, rotated, archive = halves_beside(
        tmp_path,
        older,
        {"Old/CloudUserSync.lo_": older[:-200], "New/CloudUserSync.lo_": older},
    )
    assert lone_halves([f"{archive}/Old/CloudUserSync.lo_", log]) == [(log, rotated)]
    assert lone_halves([f"{archive}/New/CloudUserSync.lo_", log]) == []


def test_a_stamp_s_spanish_mark_is_read_as_dateutil_s_own() -> None:
    """`p. m.`, `P.M.` are put as `PM` before dateutil reads it: no time zone named `M` (a warning
    now, an error in a later dateutil)."""
    import warnings
    from datetime import datetime

    from logsync.formats.dayorder import stamp_time

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for stamp in ("15/09/2014 10:24:12 p. m.", "15/09/2014 10:24:12 P.M."):
            assert stamp_time(stamp, True) == datetime(2014, 9, 15, 22, 24, 12), stamp


def test_now_given_with_a_spanish_mark() -> None:
    from datetime import datetime

    from logsync.times import parse_when

    assert parse_when("2026-03-02 1:00 p. m.", "--now") == datetime(2026, 3, 2, 13, 0)


@pytest.mark.parametrize("line", ["Jane Doe 10:42 a. m.", "[10:42 p. m.] Jane Doe:"])
def test_a_chat_header_with_a_spanish_mark_stands_between_pieces(line: str) -> None:
    from logsync.formats.joins import between

    assert between(line) is True


FAILED_LINE = (
    "Failed to add user bob@contoso.com; reason UserNotFound  $$<SMS_CLOUD_USERSYNC>"
    "<11-25-2026 09:10:08.000+480><thread=5616 (0x15F0)>"
)
CMTRACE_LINE = (
    '<![LOG[Starting user delta sync]LOG]!><time="09:10:08.462+480" date="11-25-2026" '
    'component="SMS_CLOUD_USERSYNC" context="" type="1" thread="5616" file="">'
)


@pytest.mark.parametrize(
    ("line", "unmarked"),
    [
        ("> " + FAILED_LINE, FAILED_LINE),  # (`Select-String -Context`'s found line)
        ("   " + FAILED_LINE, "   " + FAILED_LINE),  # (three spaces: no mark of its)
        ("12:" + CMTRACE_LINE, CMTRACE_LINE),  # (a CMTrace record is no record's rest)
    ],
)
def test_a_search_s_marks_taken_off_a_line(line: str, unmarked: str) -> None:
    from logsync.formats.copies import unnumbered

    assert unnumbered(line) == unmarked


def test_four_in_five_lines_numbered_are_a_search_s_and_quotes_alone_none() -> None:
    from logsync.formats.copies import numbered

    assert numbered(["12:" + FAILED_LINE] * 4 + [FAILED_LINE]) is True
    assert numbered(["12:" + FAILED_LINE] * 3 + [FAILED_LINE] * 2) is False
    # (`> ` alone, with no line of context marked by two spaces: a quote, not `Select-String`)
    assert numbered(["> " + FAILED_LINE] * 5) is False


@pytest.mark.parametrize("packing", ["gz", "bz2", "xz"])
def test_the_older_half_given_packed_from_elsewhere_is_no_half_left_unread(
    tmp_path: Path, packing: str
) -> None:
    """`logsync report elsewhere/CloudUserSync.lo_.gz Logs/CloudUserSync.log`: the note said
    that the .lo_ beside the .log "holds the log's older records and was not read", where its
    records were read from the packed copy. A half given packed (by its name) counts as that
    half given; given alone, the .log is still told of its .lo_."""
    import bz2
    import gzip
    import lzma

    from logsync.halves import lone_halves

    from .conftest import SAMPLES

    older = (SAMPLES / "rotated" / "CloudUserSync.lo_").read_bytes()
    log, rotated, _ = halves_beside(tmp_path, older, {"Logs/CloudUserSync.lo_": older})
    pack = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[packing]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    packed = elsewhere / f"CloudUserSync.lo_.{packing}"
    packed.write_bytes(pack(older))
    assert lone_halves([str(packed), log]) == []
    assert lone_halves([log]) == [(log, rotated)]
    assert lone_halves([str(elsewhere / f"CloudUserSync.log.{packing}"), log]) == [(log, rotated)]
