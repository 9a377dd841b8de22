"""Logs of two connectors given together (two sites' exports in one folder) are refused, not
read as one history (`sites.one_connector`)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.errors import UsageError
from logsync.merge import RunSpan
from logsync.sites import one_connector
from logsync.sources import InputStats
from logsync.tracker.model import ZoneTable

from .conftest import SAMPLES
from .logtext import Log, sms_line

runner = CliRunner()
START = "Starting user delta sync, raise failure status messages = True"


def two_sites(folder: Path) -> Path:
    """The demo log as exported by two sites: the same lines, one site three hours east (bias
    +300 for +480), so their records are at other instants and share none."""
    folder.mkdir()
    demo = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig")
    (folder / "CloudUserSync-PS1.log").write_text(demo)
    (folder / "CloudUserSync-PS2.log").write_text(demo.replace("+480>", "+300>"))
    return folder


@pytest.mark.parametrize("command", [["check", "--fail-on", "overdue"], ["report"], ["summary"]])
def test_two_sites_logs_in_one_folder_are_refused_naming_them(
    tmp_path: Path, command: list[str]
) -> None:
    folder = two_sites(tmp_path / "exports")
    result = runner.invoke(app, [*command, str(folder)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        f"logsync: error: {folder / 'CloudUserSync-PS1.log'} and "
        f"{folder / 'CloudUserSync-PS2.log'} overlap for 1d 6h (2026-11-24T06:59:55.211-08:00 "
        "to 2026-11-25T16:04:59.644-05:00) and share no record: they are logs of two connectors "
        "(two sites?), which would be read as one; give one site's logs at a time"
    )
    alone = runner.invoke(app, [*command, str(folder / "CloudUserSync-PS2.log")])
    assert alone.exit_code in (0, 1)


def test_two_exports_of_one_log_that_overlap_are_read_as_one(tmp_path: Path) -> None:
    lines = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").splitlines(keepends=True)
    (tmp_path / "monday.log").write_text("".join(lines[:2500]))
    (tmp_path / "tuesday.log").write_text("".join(lines[1000:]))
    result = runner.invoke(app, ["report", str(tmp_path / "monday.log"), str(tmp_path / "tuesday.log")])
    assert result.exit_code == 0
    assert "1,500 records found in more than one input" in result.stderr


def _site(path: Path, start: str, end: str, thread: int) -> str:
    Log().at(start, START, thread=thread).at(end, START, thread=thread).write(path)
    return str(path)


@pytest.mark.parametrize(("later_start", "refused"), [("11:00:00.000", False), ("10:59:59.999", True)])
def test_logs_that_overlap_for_more_than_an_hour_are_two_connectors(
    tmp_path: Path, later_start: str, refused: bool
) -> None:
    one = _site(tmp_path / "a.log", "2026-11-24 10:00", "2026-11-24 12:00", 5616)
    two = _site(tmp_path / "b.log", f"2026-11-24 {later_start}", "2026-11-24 13:00", 4242)
    result = runner.invoke(app, ["report", one, two])
    assert (result.exit_code == 2) is refused
    assert ("share no record" in result.stderr) is refused


def test_two_sites_logs_pasted_into_one_file_are_refused_as_two_files_are(
    tmp_path: Path,
) -> None:
    """`cat PS1.log PS2.log > all.log`: given as two files they are refused (above); pasted
    together they were merged as one connector's (an interval of a minute and a half, every
    expected recovery wrong) with a note alone. Their runs overlap, share no record, and their
    records' UTC offsets alternate (+480, +300, +480, …): no one clock does that."""
    folder = two_sites(tmp_path / "exports")
    pasted = tmp_path / "all.log"
    pasted.write_text(
        (folder / "CloudUserSync-PS1.log").read_text() + (folder / "CloudUserSync-PS2.log").read_text()
    )
    for command in (["report"], ["check"], ["summary"]):
        result = runner.invoke(app, [*command, str(pasted)])
        assert (result.exit_code, result.stdout) == (2, ""), command
        assert result.stderr.splitlines()[-1] == (
            f"logsync: error: {pasted}: its lines from 1 and from 3,042 overlap for 1d 6h, share "
            "no record, and their UTC offsets alternate: they are two connectors' logs (two "
            "sites?) pasted together, which would be read as one; give one site's log at a time"
        )
    # one log pasted twice shares its records, its halves in the wrong order do not overlap
    demo = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig")
    lines = demo.splitlines(keepends=True)
    for text in (demo + demo, "".join(lines[1500:] + lines[:1500])):
        pasted.write_text(text)
        again = runner.invoke(app, ["report", str(pasted)])
        assert (again.exit_code, "share no record" in again.stderr) == (0, False)


def _searched(lines: list[str], *words: str) -> str:
    return "".join(line for line in lines if any(word in line for word in words))


@pytest.mark.parametrize("changed", [False, True], ids=["one offset", "a daylight-saving change"])
def test_two_searches_of_one_log_pasted_together_are_read_and_said_to_overlap(
    tmp_path: Path, changed: bool
) -> None:
    """`grep bob` then `grep heidi` of one log: runs that overlap and share no record, in one
    offset, or in two where the clock changed once (from +480 to +420 at line 1,500, an hour
    on): they are read, and stderr says what they may be."""
    lines = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").splitlines(keepends=True)
    if changed:
        lines[1500:] = [_an_hour_on(line) for line in lines[1500:]]
    pasted = tmp_path / "searched.log"
    pasted.write_text(_searched(lines, "bob@") + _searched(lines, "heidi@"))
    result = runner.invoke(app, ["report", "--format", "json", str(pasted)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"logsync: {pasted}: its lines from 1 and from 85 overlap for 6h 49m and share no "
        "record: if they are two connectors' logs (two sites?) pasted together, the answers mix "
        "them; give one site's log at a time"
    )
    states = [(u["upn"], u["state"]) for u in json.loads(result.stdout)["users"]]
    assert states == [("bob@contoso.com", "waiting"), ("heidi@contoso.com", "waiting")]


def _an_hour_on(line: str) -> str:
    """An SMS-trace line an hour later by its clock, in bias +420: the same instant."""
    head, stamp, tail = line.partition("$$<SMS_CLOUD_USERSYNC><")
    when = datetime.strptime(tail[:23], "%m-%d-%Y %H:%M:%S.%f") + timedelta(hours=1)
    assert tail[23:28] == "+480>"
    return f"{head}{stamp}{when:%m-%d-%Y %H:%M:%S.%f}"[:-3] + "+420>" + tail[28:]


def test_the_deepest_overlap_of_runs_is_found_in_one_pass() -> None:
    """In time order, each run is measured against the earlier run that reaches the furthest;
    the review's log whose time went back every other line (6,001 runs) took every pair."""
    from logsync.merge import RunSpan
    from logsync.sites import _deepest_overlap

    runs = [RunSpan(0, 100, 1), RunSpan(50, 7000, 20), RunSpan(3000, 9000, 40), RunSpan(10, 20, 60)]
    assert _deepest_overlap(runs) == (RunSpan(50, 7000, 20), RunSpan(3000, 9000, 40), 4000)
    assert _deepest_overlap(runs[:2] + runs[3:]) is None  # (50 s at most: no two sites)
    assert _deepest_overlap([RunSpan(0, 3600, 1), RunSpan(0, 3600, 9)]) is None  # (an hour)
    assert _deepest_overlap([RunSpan(0, 3601, 1), RunSpan(0, 3601, 9)]) == (
        RunSpan(0, 3601, 1), RunSpan(0, 3601, 9), 3601
    )


# bob's cycle of 09:10 on the 25th as a ticket quotes it (SPEC §1's excerpt form): the log's own
# messages under the times the log viewer shows, to the second
BOB_EXCERPT = """\
11/25/2026 9:10:08 AM  NotifyAccountAddition - SCCM user to add = bob@contoso.com
                       Failed to add user bob@contoso.com; reason UserNotFound
11/25/2026 9:10:12 AM  Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 1
                       UserDeltaSync:- Users Added = 1, Users Removed = 0
"""


@pytest.mark.parametrize(
    ("first", "last", "refused"),
    [
        ("11/25/2026 9:10:08 AM", "11/25/2026 9:10:12 AM", True),  # within the log's span
        ("11/25/2026 4:03:59 PM", "11/25/2026 4:06:00 PM", True),  # 60.644 s of it
        ("11/25/2026 4:04:00 PM", "11/25/2026 4:06:00 PM", False),  # 59.644 s: a next export's
        ("11/26/2026 9:10:08 AM", "11/26/2026 9:10:12 AM", False),  # the next day
    ],
    ids=["inside", "overlapping 60.6 s", "overlapping 59.6 s", "after"],
)
def test_a_ticket_excerpt_within_the_span_of_the_log_given_with_it_is_refused(
    tmp_path: Path, first: str, last: str, refused: bool
) -> None:
    """Given with the log it was copied from (to the second, no thread), an excerpt's records
    could not be told from the log's: they counted twice (bob `waiting` with 2 failures, ivan
    `pending` where the log has him `overdue`, Mallory.Admin `pending` where she was synced)."""
    ticket = tmp_path / "ticket.txt"
    excerpt = BOB_EXCERPT.replace("11/25/2026 9:10:08 AM", first)
    ticket.write_text(excerpt.replace("11/25/2026 9:10:12 AM", last))
    demo = str(SAMPLES / "CloudUserSync.log")
    zone = ["--source-tz", "America/Los_Angeles"]
    result = runner.invoke(app, ["report", "--all", "--format", "json", *zone, demo, str(ticket)])
    if not refused:
        assert (result.exit_code, "pasted text" in result.stderr) == (0, False)
        return
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        f"logsync: error: {ticket} (pasted text) overlaps the span of {demo} "
        "(2026-11-24T06:59:55.211-08:00 to 2026-11-25T16:04:59.644-08:00), and its records, with "
        "no thread, cannot be told from that log's: an excerpt of it would count them twice; give "
        "one of them"
    )


@pytest.mark.parametrize(
    ("first", "last", "refused"),
    [
        ("9:00:00 AM", "9:00:00 AM", True),  # at the log's first instant: within it
        ("10:00:00 AM", "10:00:00 AM", True),  # at its last
        ("9:59:00 AM", "10:01:00 AM", False),  # overlapping it by 60 s exactly
        ("9:58:59 AM", "10:01:00 AM", True),  # by 61 s
    ],
)
def test_the_bounds_of_an_excerpt_that_overlaps_a_log(
    tmp_path: Path, first: str, last: str, refused: bool
) -> None:
    start = f"{START}  $$<SMS_CLOUD_USERSYNC><03-02-2026 {{}}.000+300><thread=5616 (0x15F0)>\n"
    log = tmp_path / "CloudUserSync.log"
    log.write_text(start.format("09:00:00") + start.format("10:00:00"))
    ticket = tmp_path / "ticket.txt"
    ticket.write_text(f"3/2/2026 {first}  {START}\n3/2/2026 {last}  {START}\n")
    zone = ["--source-tz", "America/New_York"]
    result = runner.invoke(app, ["report", "--format", "json", *zone, str(log), str(ticket)])
    assert result.exit_code == (2 if refused else 0), result.stderr
    assert ("(pasted text) overlaps the span of" in result.stderr) is refused


# -- a daylight-saving change in times without an offset ----------------------------------------


def _across_the_fall_back(
    first: str = "2026-11-01 04:00", last: str = "2026-11-01 09:59", bias: int | None = None
) -> str:
    """A New York connector's cycles every 5 minutes (UTC `first` to `last`), written without a
    UTC offset (as a copy that drops the bias gives them; else with `bias`): 01:00 to 01:59
    comes twice; fay fails in the cycle of 01:40 the second time (06:40 UTC)."""
    zone = ZoneInfo("America/New_York")
    lines = []
    at, end = datetime.fromisoformat(first + "+00:00"), datetime.fromisoformat(last + "+00:00")
    while at <= end:
        local = at.astimezone(zone).replace(tzinfo=None)
        local += timedelta(milliseconds=at.hour * 37 + at.minute)  # (each cycle's own)
        messages = [START]
        if at.hour == 6 and at.minute == 40:
            messages += [
                "NotifyAccountAddition - SCCM user to add = fay@contoso.com",
                "Failed to add user fay@contoso.com; reason UserNotFound",
                "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0",
            ]
        else:
            messages.append("Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0")
        for step, message in enumerate(messages):
            lines.append(sms_line(local + timedelta(milliseconds=137 * step), message, bias=bias))
        at += timedelta(minutes=5)
    return "\r\n".join(lines) + "\r\n"


def test_times_without_an_offset_across_a_fall_back_are_refused_with_the_zone_to_give(tmp_path: Path) -> None:
    """Read as two runs merged by time (files pasted together), the two passes of 01:00 to
    01:59 interleaved: 84 cycles where the log has 72, a failed add no failure line named, fay
    held back before her failure. Given the site's zone, each time has its instant."""
    path = tmp_path / "CloudUserSync.log"
    path.write_text(_across_the_fall_back(), encoding="utf-8")
    refused = runner.invoke(app, ["report", str(path)])
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"logsync: error: {path}: its times go back 55m at line 49, within 2026-11-01 "
        "01:00 to 01:59, and go on: the hour a daylight-saving change repeats, which times "
        "without a UTC offset cannot place; give --source-tz ZONE (the site's zone, for example "
        "--source-tz America/New_York) to read them\n"
    )
    placed = runner.invoke(app, ["report", "--all", "--format", "json", "--source-tz", "America/New_York", str(path)])
    document = json.loads(placed.stdout)
    assert document["summary"]["cycles"] == 72
    assert [(u["upn"], u["state"], u["first_failure"]) for u in document["users"]] == [
        ("fay@contoso.com", "waiting", "2026-11-01T01:40:00.536-05:00")
    ]


def test_a_fall_back_whose_two_passes_meet_at_the_same_times_is_refused_too(tmp_path: Path) -> None:
    """Times of whole seconds (CMTrace's rows, or cycles that keep their second): records of
    the second pass of 01:00 to 01:59 that fall on the first's times were taken for copies (23
    "counted once") and the check for a clock set back skipped: answered, fay's failure lost.
    Whatever the passes share, times that go back so are refused; with the zone, each has its
    instant and none is a copy."""
    import re

    path = tmp_path / "CloudUserSync.log"
    path.write_text(re.sub(r"\.\d{3}>", ".000>", _across_the_fall_back()), encoding="utf-8")
    refused = runner.invoke(app, ["report", str(path)])
    assert refused.exit_code == 2
    assert "its times go back 55m at line 49, within 2026-11-01 01:00 to 01:59, and go on" in refused.stderr
    placed = runner.invoke(app, ["summary", "--format", "json", "--source-tz", "America/New_York", str(path)])
    assert json.loads(placed.stdout)["cycles"] == 72
    assert "counted once" not in placed.stderr


def test_times_that_go_back_but_not_on_past_where_they_went_back_from_are_runs(tmp_path: Path) -> None:
    """Pieces of one hour pasted in the wrong order (01:30 to 01:55, then 01:00 to 01:25): the
    second does not go on past the first's end: files pasted together, merged by time."""
    text = _across_the_fall_back("2026-11-01 05:00", "2026-11-01 05:55").splitlines(keepends=True)
    path = tmp_path / "CloudUserSync.log"
    path.write_text("".join(text[12:] + text[:12]), encoding="utf-8")
    result = runner.invoke(app, ["summary", "--format", "json", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["cycles"] == 12
    assert "its 2 runs are merged by time" in result.stderr


def test_times_that_go_back_across_the_hour_are_runs_merged_by_time(tmp_path: Path) -> None:
    """Only times that go back within one hour of the clock, and go on past where they went
    back from, look like the hour a fall-back repeats: 23:30 to 00:10, then 23:50 to 00:30
    (records of other milliseconds: none shared) are two runs, merged by time."""
    import re

    first = _across_the_fall_back("2026-11-01 03:30", "2026-11-01 04:10")
    second = re.sub(r"\.\d{3}>", ".999>", _across_the_fall_back("2026-11-01 03:50", "2026-11-01 04:30"))
    path = tmp_path / "CloudUserSync.log"
    path.write_text(first + second, encoding="utf-8")
    result = runner.invoke(app, ["summary", "--format", "json", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "its 2 runs are merged by time" in result.stderr



def _pieces_of_one_hour(tmp_path: Path, bias: int | None, ends_later: bool) -> Path:
    """01:00 to 01:40 (UTC 05:00 to 05:40), then 01:10 to 01:40 again at other milliseconds
    (none shared), its last record `ends_later` than the first piece's by a millisecond, or at
    the same instant (the first piece given a last record of its own there)."""
    import re

    first = _across_the_fall_back("2026-11-01 05:00", "2026-11-01 05:40", bias)
    second = re.sub(r"\.\d{3}([+>])", r".900\1", _across_the_fall_back("2026-11-01 05:10", "2026-11-01 05:40", bias))
    last = datetime(2026, 11, 1, 1, 40, 0, 899_000 if ends_later else 900_000)
    first += sms_line(last, "Successfully removed users from cloud 0", bias=bias) + "\r\n"
    path = tmp_path / "CloudUserSync.log"
    path.write_text(first + second, encoding="utf-8")
    return path


@pytest.mark.parametrize("ends_later", [True, False])
def test_times_without_an_offset_that_go_back_within_the_hour_are_refused_only_if_they_go_on(
    tmp_path: Path, ends_later: bool
) -> None:
    """A second piece of the hour that ends a millisecond after the first goes on past where
    it went back from (a fall-back's shape: refused); one that ends at the first's last instant
    does not (files pasted together: merged)."""
    path = _pieces_of_one_hour(tmp_path, None, ends_later)
    result = runner.invoke(app, ["summary", "--format", "json", str(path)])
    if ends_later:
        assert result.exit_code == 2
        assert "its times go back 29m at line 20, within 2026-11-01 01:00 to 01:59, and go on" in result.stderr
    else:
        assert result.exit_code == 0, result.stderr
        assert "its 2 runs are merged by time" in result.stderr


def test_times_with_an_offset_that_go_back_within_the_hour_and_go_on_are_runs(tmp_path: Path) -> None:
    """Times with a UTC offset place themselves: the same pieces, with the bias, are merged."""
    path = _pieces_of_one_hour(tmp_path, 240, True)
    result = runner.invoke(app, ["summary", "--format", "json", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "its 2 runs are merged by time" in result.stderr
    assert json.loads(result.stdout)["cycles"] == 16


_EAST, _WEST = timezone(timedelta(hours=-7)), timezone(timedelta(hours=-8))  # (an hour apart)


@pytest.mark.parametrize(
    ("keys", "zones", "refused"),
    [
        ([0], [_WEST], False),
        ([0, 2000], [_WEST, _EAST], False),  # (one change: daylight saving)
        ([0, 2000, 3000], [_WEST, _EAST, _WEST], True),
        ([0, 2000, 3000], [_WEST, _EAST, timezone(timedelta(hours=-7))], False),  # (equal)
        ([0, 1000, 7200], [_WEST, _EAST, _WEST], True),  # (at the window's start and end)
        ([0, 999, 7200], [_WEST, _EAST, _WEST], False),  # (one before the window)
        ([0, 1000, 7201], [_WEST, _EAST, _WEST], False),  # (one after it)
    ],
)
def test_offsets_that_change_twice_while_runs_overlap_are_two_connectors(
    keys: list[int], zones: list[timezone], refused: bool
) -> None:
    stats = InputStats("all.log")
    stats.format = "sms-trace"
    runs = {"all.log": [RunSpan(1000.0, 7200.0, 1), RunSpan(0.0, 9000.0, 50)]}
    table = ZoneTable([key * 1_000_000 for key in keys], list(zones))
    if refused:
        with pytest.raises(UsageError, match="their UTC offsets alternate"):
            one_connector([stats], 0, runs, table)
    else:
        one_connector([stats], 0, runs, table)
        assert stats.notes == [
            "its lines from 1 and from 50 overlap for 1h 43m and share no record: if they are "
            "two connectors' logs (two sites?) pasted together, the answers mix them; give one "
            "site's log at a time"
        ]
    one_connector([stats], 1, runs, table)  # (a record shared: one log's exports)


def test_rows_sorted_by_their_message_within_an_hour_are_said_to_be_so_not_a_clock_change(
    tmp_path: Path,
) -> None:
    """CMTrace's rows of an hour, sorted by their text before they were copied: time goes back
    many times, within one hour of a clock with no offset. A clock changes once; the refusal
    says what else the input may be, and `--source-tz` reads it as the rows in order."""
    trailer = re.compile(
        r"(.*?)  \$\$<(\w+)><(\d\d)-(\d\d)-(\d{4}) (\d\d:\d\d:\d\d\.\d{3})[-+]\d+>"
        r"<thread=(\d+) \((0x[0-9A-F]+)\)>"
    )
    rows = []
    for line in (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").splitlines():
        found = trailer.fullmatch(line)
        if found and found.group(3, 4) == ("11", "25") and found[6].startswith("09:"):
            message, component, month, day, year, clock, thread, hexa = found.groups()
            rows.append(
                f"{message}\t{component}\t{int(month)}/{int(day)}/{year} {clock}\t"
                f"{thread} ({hexa})\n"
            )
    assert len(rows) == 84
    in_order, by_message = tmp_path / "rows.txt", tmp_path / "sorted.txt"
    in_order.write_text("".join(rows), encoding="utf-8")
    by_message.write_text("".join(sorted(rows)), encoding="utf-8")
    refused = runner.invoke(app, ["report", str(by_message)])
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        f"logsync: error: {by_message}: its times go back 9 times, by 3s at line 3, "
        "within 2026-11-25 09:00 to 09:59, and go on: rows sorted by another column, or pieces "
        "pasted together, where the hour a daylight-saving change repeats cannot be told apart "
        "without a UTC offset; give --source-tz ZONE (the site's zone, for example --source-tz "
        "America/New_York) to read them\n"
    )
    zoned = ["report", "--all", "--format", "json", "--source-tz", "America/Los_Angeles"]
    placed = runner.invoke(app, [*zoned, str(by_message)])
    assert json.loads(placed.stdout)["users"] == json.loads(
        runner.invoke(app, [*zoned, str(in_order)]).stdout
    )["users"]


def _by_instant(line: str) -> datetime:
    found = re.search(r"<(\d\d-\d\d-\d{4} \d\d:\d\d:\d\d\.\d{3})([+-]\d+)>", line)
    assert found is not None
    local = datetime.strptime(found[1], "%m-%d-%Y %H:%M:%S.%f")
    return local + timedelta(minutes=int(found[2]))


def _sorted(*logs: list[str]) -> str:
    return "\n".join(sorted((line for lines in logs for line in lines), key=_by_instant)) + "\n"


DEMO = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").splitlines()


@pytest.mark.parametrize(
    ("other", "refusal"),
    [
        (
            "+300>",  # (three hours east: no clock moves so)
            "goes from -05:00 to -08:00 at 2026-11-24T06:59:55.211-08:00 and back 9s later: no "
            "clock moves so",
        ),
        (
            "+420>",  # (the next zone: an hour apart, as a daylight-saving change is)
            "changes 3,319 times between -07:00 and -08:00 from 2026-11-24T06:59:55.211-08:00, "
            "for 1d 8h: a clock changes once a season",
        ),
    ],
)
def test_two_sites_logs_sorted_by_time_into_one_file_are_refused(
    tmp_path: Path, other: str, refusal: str
) -> None:
    """A central log store's export of two site servers' CloudUserSync.log, sorted by time: no
    time goes back, and it was judged as one connector (carol recovered made pending, site B's
    restart taken for site A's full sync, an interval of 2.5 minutes; found by a tester)."""
    both = tmp_path / "splunk.log"
    both.write_text(_sorted(DEMO, [line.replace("+480>", other) for line in DEMO]))
    for command in (["report"], ["check"], ["summary"], ["timeline", "bob"]):
        result = runner.invoke(app, [*command, str(both)])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"logsync: error: {both}: its records' UTC offset {refusal}; they are two "
            "connectors' logs (two sites?) in one history, which would be read as one; give one "
            "site's log at a time\n"
        )
    alone = tmp_path / "site.log"
    alone.write_text(_sorted(DEMO))
    assert runner.invoke(app, ["check", str(alone)]).exit_code == 1  # (its verdict: stuck users)


def test_another_site_s_restart_among_the_log_s_records_is_refused(tmp_path: Path) -> None:
    """Three records of another site (its restart, at -05:00) sorted among the demo log's: its
    restart was taken for this connector's full sync (bob overdue; found by a tester)."""
    restart = [
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 4242 (0x1092).  $$<SMS_CLOUD_USERSYNC><11-25-2026 13:00:01.000+300><thread=1111 (0x457)>",
        "CCloudUserSync::Process - User sync processing has started.  $$<SMS_CLOUD_USERSYNC><11-25-2026 13:00:01.010+300><thread=4242 (0x1092)>",
    ]
    path = tmp_path / "both.log"
    path.write_text(_sorted(DEMO, restart))
    result = runner.invoke(app, ["check", str(path)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"logsync: error: {path}: its records' UTC offset goes from -08:00 to -05:00 at "
        "2026-11-25T13:00:01-05:00 and back 3s later: no clock moves so; they are two "
        "connectors' logs (two sites?) in one history, which would be read as one; give one "
        "site's log at a time\n",
    )


@pytest.mark.parametrize("stale", [0, 400])
def test_a_daylight_saving_change_with_a_thread_s_late_records_is_one_clock(
    tmp_path: Path, stale: int
) -> None:
    """The demo log's clock moves from -08:00 to -07:00 at 02:00; a thread goes on writing the
    old offset for `stale` seconds after it (a status message every 90 s, of another component:
    5 changes of the offset in 6 minutes): one clock, read (a tester's case was refused)."""
    found = [re.search(r"<(\d\d-\d\d-\d{4} \d\d:\d\d:\d\d\.\d{3})\+480>", line) for line in DEMO]
    switch = datetime(2026, 11, 25, 2, 0)
    lines = []
    for line, stamp in zip(DEMO, found, strict=True):
        assert stamp is not None
        local = datetime.strptime(stamp[1], "%m-%d-%Y %H:%M:%S.%f")
        if local >= switch:
            moved = (local + timedelta(hours=1)).strftime("%m-%d-%Y %H:%M:%S.%f")[:-3]
            line = line.replace(stamp[0], f"<{moved}+420>")
        lines.append(line)
    late = [
        f'STATMSG: ID=500 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_EXECUTIVE" SYS=SITE SITE=ABC '
        f"PID=1 TID=3604  $$<SMS_CLOUD_USERSYNC><{(switch + timedelta(seconds=k + 30)):%m-%d-%Y %H:%M:%S}"
        ".000+480><thread=3604 (0xE14)>"
        for k in range(0, stale, 90)
    ]
    path = tmp_path / "CloudUserSync.log"
    path.write_text(_sorted(lines, late))
    result = runner.invoke(app, ["report", "--all", "--format", "json", "--tz", "UTC", str(path)])
    assert result.exit_code == 0, result.stderr
    clean = runner.invoke(app, ["report", "--all", "--format", "json", "--tz", "UTC", str(SAMPLES / "CloudUserSync.log")])
    states = [[(u["upn"], u["state"]) for u in json.loads(out.stdout)["users"]] for out in (result, clean)]
    assert states[0] == states[1]
    assert runner.invoke(app, ["check", str(path)]).exit_code == 1


def _zones(*changes: tuple[float, int]) -> ZoneTable:
    """A zone table whose records begin at -08:00 and change to the offset of each (seconds
    after the first record, offset in minutes)."""
    keys = [0, *(round(at * 1e6) for at, _ in changes)]
    zones = [timezone(timedelta(hours=-8)), *(timezone(timedelta(minutes=m)) for _, m in changes)]
    return ZoneTable(keys, zones)


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        # to another offset and back within a day, by a step no daylight-saving change makes
        ([(100, -300), (150, -480)], "goes from -08:00 to -05:00"),
        ([(100, -300), (86_500, -480)], "goes from -08:00 to -05:00"),  # (a day later)
        ([(100, -300), (86_500.000001, -480)], None),
        ([(100, -300), (150, -420)], None),  # (on to another: three clocks, or moved twice)
        ([(100, -420), (150, -480)], None),  # (an hour's step: daylight saving, a late record)
        ([(100, -450), (150, -480)], None),  # (half an hour's)
        ([(100, -600), (150, -480)], "goes from -08:00 to -10:00"),
        ([(100, -600), (100.999999, -480)], "goes from -08:00 to -10:00 at 1969-12-31T14:01:40-10:00 and back at its next record"),
        ([(100, -500), (150, -480)], None),  # (-08:20: no zone's offset, a damaged bias)
        ([(100, -481), (150, -480)], None),
        # a daylight-saving step: changes each within an hour of the last, for more than one
        ([(0, -420), (1000, -480), (2000, -420), (3600.000001, -480)], "changes 4 times"),
        ([(0, -420), (1000, -480), (2000, -420), (3600, -480)], None),
        ([(0, -420), (1000, -480), (4600, -420), (5600, -480)], "changes 4 times"),
        ([(0, -420), (1000, -480), (4600.000001, -420), (5600, -480), (7800, -420)], None),
        ([(0, -420), (3000, -480), (6000, -420)], None),  # (three)
        ([(100, -420), (100.002, -480), (100.004, -420), (100.005, -480), (100.006, -420)], None),
        ([(100, -480), (200, -480), (300, -480), (400, -480), (500, -480)], None),  # (no change)
    ],
)
def test_offsets_of_two_clocks_are_two_connectors(
    changes: list[tuple[float, int]], refused: str | None
) -> None:
    stats = InputStats("both.log")
    stats.format = "sms-trace"
    try:
        one_connector([stats], 0, {}, _zones(*changes))
    except UsageError as error:
        assert refused is not None
        assert str(error).startswith(f"both.log: its records' UTC offset {refused}")
    else:
        assert refused is None
    stats.format = "paste"  # (an ISO time's offset is how it is written, not a clock's)
    one_connector([stats], 0, {}, _zones(*changes))
