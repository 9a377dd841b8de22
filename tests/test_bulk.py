"""The fast path of `analyze` (rows straight to the tracker, by the native scanner or the pure
one) must conclude exactly what the plain path concludes, on every input."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from logsync import accel, analyze
from logsync.analysis import Analysis
from logsync.errors import UsageError
from logsync.formats import ParseContext, sms
from logsync.health import HealthCollector
from logsync.sources import InputStats

from .conftest import REAL_LOGS, SAMPLES, read_in_blocks
from .logtext import Log, sms_line

UNF = "UserNotFound"


def conclusions(analysis: Analysis, collector: HealthCollector | None = None) -> dict[str, Any]:
    """Everything a command could show of an analysis (and of its health summary)."""
    result = analysis.result
    return {
        "as_of": analysis.as_of,
        "inputs": [stats.fields() for stats in analysis.inputs],
        "users": result.users,
        "cycles": result.cycles,
        "full_syncs": result.full_syncs,
        "restarts": result.restarts,
        "interval": (result.interval, result.interval_observed),
        "times": (result.first_time, result.last_time, result.last_cycle),
        "connector": result.connector,
        "unreconciled": (result.unreconciled, result.unreconciled_count),
        "timeline": result.timeline,
        "left_out": analysis.left_out,
        "summary": None if collector is None else collector.summarize(analysis),
    }


def assert_same(paths: list[str], health: bool = False, **options: Any) -> Analysis:
    """The rows (by the native or the pure scanner) conclude what the events conclude."""
    analysis = both_paths(paths, health, **options)
    assert analysis is not None, "refused on both paths"
    return analysis


def both_paths(paths: list[str], health: bool = False, **options: Any) -> Analysis | None:
    """As `assert_same`, where both paths may refuse the inputs alike (None)."""
    found: list[tuple[Analysis | None, object]] = []
    for fast in (True, False):
        collector = HealthCollector() if health else None
        try:
            analysis = analyze(paths, fast=fast, collector=collector, **options)
        except UsageError as refused:  # (two sites' logs pasted together: both refuse it)
            found.append((None, str(refused)))
            continue
        found.append((analysis, conclusions(analysis, collector)))
    (fast_analysis, fast_conclusions), (_, plain_conclusions) = found
    assert fast_conclusions == plain_conclusions
    assert fast_analysis is not None or any(  # (two sites' logs: pasted together, or one history)
        why in str(fast_conclusions)
        for why in ("their UTC offsets alternate", "records' UTC offset goes from", "records' UTC offset changes")
    )
    return fast_analysis


@pytest.mark.parametrize(
    "paths",
    [
        ["CloudUserSync.log"],
        ["spec-case/CloudUserSync.log"],
        ["spec-case/CloudUserSync.log.gz"],
        ["restart-day/CloudUserSync.log", "restart-day/smsexec.log"],
        ["rotated/CloudUserSync.log", "rotated/CloudUserSync.lo_"],
        ["certificate-wait/CloudUserSync.log"],
        ["cmtrace/CloudUserSync.log"],
        ["pasted/ticket.txt"],
    ],
)
def test_samples_conclude_the_same_on_both_paths(paths: list[str]) -> None:
    analysis = assert_same([str(SAMPLES / path) for path in paths])
    assert all(stats.records > 0 for stats in analysis.inputs)


def test_real_logs_conclude_the_same_on_both_paths() -> None:
    logs = sorted(str(path) for path in REAL_LOGS.glob("*.log"))
    assert len(logs) == 7  # with the lab's CertMgr.log and dmpuploader.log
    analysis = assert_same(logs, require_connector=False)
    assert sum(stats.lines for stats in analysis.inputs) == sum(
        len(Path(log).read_bytes().splitlines()) for log in logs
    )


def _log_with_damage() -> Log:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@contoso.com", "b@contoso.com"), {"a@contoso.com": UNF})
    log.lines.append("\0\0\0\0")
    log.cycles("2014-09-14 10:05:00", "2014-09-15 10:30:00")
    log.cycle("2014-09-15 10:30:00", ("a@contoso.com",))
    log.lines.append("Failed to add user c@contoso.com; reason UserNotFound  $$<SMS_CLOU")
    # digits that are not ASCII make no date
    start = sms_line(datetime(2014, 9, 15, 10, 31), "Starting user delta sync")
    log.lines.append(start.replace(":00.000+240>", ":\u0660\u0660.000+240>"))
    log.lines.append("")
    log.cycle("2014-09-15 10:35:00", ("c@contoso.com",), {"c@contoso.com": UNF})
    return log


class _Spy:
    """The native scanner, with a record of which chunks it read and which it declined."""

    def __init__(self, native: Any) -> None:
        self.native = native
        self.read: list[int] = []
        self.declined: list[int] = []

    def scan_rows(self, text: str, first_line: int, config: Any, *last: Any) -> Any:
        scanned = self.native.scan_rows(text, first_line, config, *last)
        (self.declined if scanned is None else self.read).append(first_line)
        return scanned


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> _Spy:
    try:
        from logsync import _scan  # type: ignore[attr-defined]
    except ImportError:  # .ci/run checks that it is built, so CI never skips this
        pytest.skip("the native scanner is not built")
    watched = _Spy(_scan)
    monkeypatch.setattr(accel, "native", watched)
    return watched


def test_the_native_scanner_reads_clean_chunks_and_declines_damaged_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy: _Spy
) -> None:
    read_in_blocks(monkeypatch, 4096)
    path = _log_with_damage().write(tmp_path / "CloudUserSync.log")
    analysis = assert_same([path])
    assert [stats.unparsed for stats in analysis.inputs] == [2]  # (the cut trailer's record is
    # read at the time of the record before it: `formats.cutshort.cut_short`)
    # declined: the chunk with the NUL line, and the one with the cut trailer and the
    # Arabic-Indic digits (chunks of at most 4096 bytes, cut at a line break, numbered by their
    # first line)
    lines = Path(path).read_text().split("\n")
    damaged = [n for n, line in enumerate(lines, 1) if "\0" in line or line.endswith("SMS_CLOU")]
    assert damaged == [9, 1481]
    assert spy.declined == [1, 1475]
    assert len(spy.read) > 10
    states = {user.upn: user.state for user in analysis.users}
    assert states == {
        "a@contoso.com": "recovered",
        "b@contoso.com": "synced",
        "c@contoso.com": "waiting",
    }
    failure = next(user for user in analysis.users if user.upn == "c@contoso.com")
    assert failure.failure_line is not None
    assert (
        Path(path)
        .read_text()
        .split("\n")[failure.failure_line - 1]
        .startswith("Failed to add user c@contoso.com; reason UserNotFound  $$<SMS_CLOUD_USERSYNC>")
    )


def test_naive_times_in_a_zone_with_daylight_saving(tmp_path: Path) -> None:
    log = Log()
    night = datetime(2026, 3, 8, 1, 50)  # New York springs forward at 02:00
    for step in range(8):
        moment = night + timedelta(minutes=5 * step)
        log.lines.append(
            sms_line(moment, "Starting user delta sync, raise failure status messages = True", None)
        )
    log.lines.append(
        sms_line(night, "Failed to add user z@contoso.com; reason UserNotFound", bias=None)
    )
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = assert_same([path], source_tz=ZoneInfo("America/New_York"))
    assert analysis.result.cycles == 8
    assert analysis.users[0].full_sync_due == datetime(
        2026, 3, 9, 2, 50, tzinfo=ZoneInfo("America/New_York")
    )


def test_merging_naive_and_aware_inputs_is_refused_on_the_fast_path(tmp_path: Path) -> None:
    aware = Log().cycles("2014-09-14 10:00:00", "2014-09-14 10:20:00")
    naive = Log()
    naive.lines.append(
        sms_line(
            datetime(2014, 9, 14, 10),
            "Starting user delta sync, raise failure status messages = True",
            None,
        )
    )
    paths = [aware.write(tmp_path / "a.log"), naive.write(tmp_path / "b.log")]
    with pytest.raises(UsageError, match="no UTC offset"):
        analyze(paths, fast=True)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cycles=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=600),  # minutes after the previous cycle
            st.lists(st.sampled_from(["a", "b", "c", "D"]), max_size=3, unique=True),
            st.lists(st.sampled_from(["a", "b", "c", "D"]), max_size=2, unique=True),
            st.sampled_from([240, 300, -60]),
            st.sampled_from(["", "restart", "junk", "blank", "feb30", "dollars", "cut"]),
        ),
        min_size=1,
        max_size=25,
    ),
    block=st.sampled_from([256, 4096]),
    native=st.booleans(),
)
# (a log read as pieces that ends with the rotation marker: the fast reading did not tell its
# end, and only the plain one said that no input goes on after it)
@example(cycles=[(1, [], [], 300, "dollars"), (1, [], [], 300, "junk")], block=256, native=False)
# (an offset that moves 5 hours and back: two clocks, refused alike by both readings)
@example(cycles=[(1, [], [], 240, ""), (279, [], [], 240, ""), (22, [], [], -60, "")], block=256, native=False)
def test_fast_and_plain_paths_agree_on_any_log(
    cycles: list[tuple[int, list[str], list[str], int, str]],
    block: int,
    native: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_blocks(monkeypatch, block, native)
    log = Log()
    moment = datetime(2026, 10, 24, 23, 0)
    for gap, requested, failing, bias, extra in cycles:
        moment += timedelta(minutes=gap)
        upns = tuple(f"{name}@contoso.com" for name in requested)
        failed = {f"{name}@contoso.com": UNF for name in failing if name in requested}
        if extra == "restart":
            log.restart(moment.isoformat(sep=" "))
        log.cycle(moment, upns, failed, bias=bias)
        if extra == "junk":
            log.lines.append("<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>")
        elif extra == "blank":
            log.lines.append("   ")
        elif extra == "dollars":  # a failure whose message holds `$$<` (no trailer's start)
            log.at(
                moment.isoformat(sep=" "),
                "Failed to add user a$$<x><1-2-2026 10:00:00.000+0><thread=1>@contoso.com to "
                "the cloud; reason UserNotFound $$$",
            )
        elif extra == "cut":  # a failure cut short, the next record written after it on its line
            log.at(
                (moment + timedelta(seconds=30)).isoformat(sep=" "),  # (after the cycle's lines)
                "Failed to add user c@contoso.com; reason UserNotFound  $$<SMS_CLOUD_USERSYNC><10-2"
                "NotifyAccountAddition - SCCM user to add = c@contoso.com",
                bias=bias,
            )
        elif extra == "feb30":
            log.lines.append(
                "Starting user delta sync, raise failure status messages = True  "
                "$$<SMS_CLOUD_USERSYNC><02-30-2026 10:00:00.000+240><thread=5616 (0x15F0)>"
            )
    path = log.write(tmp_path / "CloudUserSync.log")
    both_paths([path])  # (a bias that alternates may be two sites' logs: refused alike)


def test_row_pattern_splits_a_trailer_like_the_record_pattern() -> None:
    line = sms_line(datetime(2014, 9, 14, 10, 23, 54, 372000), "Failed to add user x; reason Y")
    text = "\n" + line + "\n"
    assert sms.count_records(text) == (1, 0)
    rows = sms.row_pattern("Failed +to +add +user +").findall(text)
    assert rows == [
        ("Failed to add user x; reason Y  ", "09-14-2014", "10:23", "54", "372", "+240")
    ]


@pytest.mark.parametrize(
    ("message", "split"),
    [
        ("Failed to add user x; reason Y", True),
        ("costs $5 or $$5 or $$$", True),
        ("ends in a dollar$", True),
        ("holds $$<X> in it", False),
        ("holds a trailer $$<X><09-14-2014 10:23:54.372+240><thread=1> of its own", False),
    ],
)
def test_the_usual_record_splits_as_the_record_pattern_splits_it(message: str, split: bool) -> None:
    """RECORD_SPLIT gives what row_pattern("") gives, or no match at all (the reader then counts
    fewer matches than records and uses row_pattern)."""
    line = sms_line(datetime(2014, 9, 14, 10, 23, 54, 372000), message)
    text = "\n" + line + "\n" + line + "\n"
    assert sms.count_records(text) == (2, 0)
    whole = sms.row_pattern("").findall(text)
    assert [found[0] for found in whole] == [message + "  "] * 2
    assert sms.RECORD_SPLIT.findall(text) == (whole if split else [])


def test_a_chunk_is_proved_and_split_in_one_pass_or_the_careful_way() -> None:
    """split_records: every line a record or blank, else None; a message holding a trailer of
    its own is a record cut short, the next written after it on its line (see `sms.glued`):
    read the plain way, an unparsed line and a record."""
    when = datetime(2014, 9, 14, 10, 23, 54, 372000)
    usual = sms_line(when, "Failed to add user x; reason Y")
    odd = sms_line(when, "holds $$<X><09-14-2014 10:23:54.372+240><thread=1> too")
    text = "\n" + usual + "\n \t\n" + odd + "\n"
    assert sms.split_records(text) is None
    ctx = ParseContext(InputStats("x"), None)
    assert [(item.line, getattr(item, "message", None) or item.raw) for item in sms.parse_text(text, 1, ctx)] == [
        (1, "Failed to add user x; reason Y"),
        (3, "holds $$<X><09-14-2014 10:23:54.372+240><thread=1>"),
        (3, " too"),
    ]
    assert (ctx.stats.records, ctx.stats.unparsed, ctx.stats.blank) == (2, 1, 1)
    assert sms.split_records("\n" + usual + "\n\n") == (sms.row_pattern("").findall(text)[:1], 1)
    assert sms.split_records("\n" + usual + "\nnot a record\n") is None
    assert sms.split_records("\naXX\nXXbXX\nXXc\n" + usual + "\n") is None  # (lines, not "X\nX")
    assert sms.split_records("\n" + usual.replace("09-14-2014", "02-30-2014") + "\n") is None
    assert sms.split_records("\n" + usual.replace("09-14-2014", "09-14-0000") + "\n") is None
    # the careful way too: the trailer at the line's end is on no day
    assert sms.split_records("\n" + odd.replace("><09-14-2014", "><02-30-2014") + "\n") is None


@pytest.mark.parametrize(
    "options",
    [
        {"health": True},
        {"follow": "heidi@contoso.com"},
        {"follow": "frank@contoso.com", "health": True},
        {"now": datetime(2026, 11, 25, 9, 30)},
        {"now": datetime(2026, 11, 25, 9, 30), "health": True, "follow": "bob@contoso.com"},
        {"restart_at": datetime(2026, 11, 25, 12, 0)},
    ],
    ids=lambda options: ",".join(sorted(options)),
)
def test_summary_timeline_and_now_conclude_the_same_on_both_paths(options: dict[str, Any]) -> None:
    """Every command reads rows: the health summary, a followed user's steps (with the lines of
    its notifications) and the cutoff of --now give what the plain path gives."""
    paths = [
        str(SAMPLES / "certificate-wait" / "CloudUserSync.log"),
        str(SAMPLES / "CloudUserSync.log"),
    ]
    analysis = assert_same(paths, **options)
    assert analysis.result.cycles > 0


@pytest.mark.parametrize("native", [False, True])
def test_the_cutoff_counts_every_record_it_leaves_out(
    monkeypatch: pytest.MonkeyPatch, native: bool
) -> None:
    read_in_blocks(monkeypatch, 4096, native)
    analysis = assert_same([str(SAMPLES / "CloudUserSync.log")], now=datetime(2026, 11, 25, 12, 0))
    assert analysis.left_out == 365  # every record after 12:00, of any kind
    assert analysis.as_of == datetime(2026, 11, 25, 12, 0, tzinfo=analysis.as_of.tzinfo)


@pytest.mark.parametrize("native", [False, True])
def test_unreconciled_cycles_carry_the_same_lines_on_both_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, native: bool
) -> None:
    """Mutation testing found the fast path left cycle and totals lines at 0."""
    log = Log()
    log.cycles("2014-09-14 09:00:00", "2014-09-14 10:00:00")
    log.at("2014-09-14 10:00:00", "Starting user delta sync, raise failure status messages = True")
    log.at("2014-09-14 10:00:01", "NotifyAccountAddition - SCCM user to add = a@x.com")
    log.at("2014-09-14 10:00:01", "NotifyAccountAddition - SCCM user to add = b@x.com")
    log.at(
        "2014-09-14 10:00:02",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
    )
    path = log.write(tmp_path / "CloudUserSync.log")
    read_in_blocks(monkeypatch, 300, native)
    for fast in (True, False):
        (cycle,) = analyze([path], fast=fast).result.unreconciled
        assert (cycle.source, cycle.line, cycle.totals_line) == (path, 61, 64)


@pytest.mark.parametrize("native", [False, True])
def test_a_record_of_the_year_0000_is_an_invalid_date_on_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, native: bool
) -> None:
    """The differential fuzz found it: the fast path took year 0000 for a date and crashed."""
    read_in_blocks(monkeypatch, 1 << 19, native)
    log = Log()
    log.cycles("2014-09-14 09:00:00", "2014-09-14 10:00:00")
    log.lines.insert(3, sms_line(datetime(2014, 9, 14), "Failed to add user a@x.com; reason UserNotFound").replace("-2014 ", "-0000 "))
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = assert_same([path])
    assert [(stats.records, stats.unparsed) for stats in analysis.inputs] == [(len(log.lines) - 1, 1)]
    assert analysis.users == []


def test_numbered_chunks_take_the_lines_a_reader_counted_else_count_them() -> None:
    """The native scan counts a chunk's lines (each a record or blank) and the connector's
    trailers in them: the counts over the chunk's text are not made again. Where the reader
    did not count (None), the text is."""
    stats = sms.InputStats("x.log")
    told: Iterator[tuple[int, int] | None] = iter([(5, 7), None])
    trailer = sms.CONNECTOR_TRAILER
    chunks = iter(["a\nb\n", f"c{trailer}\nd\ne{trailer}{trailer}\n"])
    numbered = list(sms.numbered_chunks(chunks, stats, 1, lambda: next(told)))
    assert [first for _, first in numbered] == [1, 6]  # (5 told, where the text holds 2)
    assert (stats.lines, stats.connector_records) == (5 + 3, 7 + 3)


@pytest.mark.parametrize("native", [True, False])
def test_line_numbers_after_blank_lines_and_chunks_of_every_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, native: bool
) -> None:
    """Chunks the scan reads whole (records and blank lines) and chunks it declines (a line
    of no record) each count their lines: the line of every failure after them is its own."""
    read_in_blocks(monkeypatch, 512, native)
    log = Log()
    for minute in range(30):
        log.cycle(f"2026-03-02 08:{minute:02d}:00", (f"u{minute}@x.com",), {f"u{minute}@x.com": "UserNotFound"})
        if minute % 7 == 3:
            log.lines.append("")
        if minute == 11:
            log.lines.append("not a record")
    path = log.write(tmp_path / "c.log")
    failures = [
        number
        for number, line in enumerate(Path(path).read_text().splitlines(), 1)
        if line.startswith("Failed to add user")
    ]
    analysis = analyze([path])
    assert [u.failure_line for u in sorted(analysis.users, key=lambda u: u.failure_line)] == failures
    assert analysis.inputs[0].lines == len(log.lines)


def cmtrace_records() -> list[str]:
    """The CMTrace sample's records, one line each (it is UTF-16 with CRLF)."""
    text = (SAMPLES / "cmtrace" / "CloudUserSync.log").read_bytes().decode("utf-16")
    return text.lstrip("\ufeff").replace("\r\n", "\n").splitlines(keepends=True)


def test_a_cmtrace_record_no_rule_reads_places_its_run(tmp_path: Path) -> None:
    """Found by a sweep of pasted pieces: the CMTrace sample's `UserDeltaSync:-` record (a kind
    no rule reads) two days later, pasted before the next cycle's start. Only the rows the
    rules read were checked for time going back: the input was read in file order, as of its
    last line (a day early), scott `waiting` and the connector running where the log in time
    order has scott `overdue` and the connector stalled. Every record's time is checked now,
    and the input's last time is its latest record's."""
    records = cmtrace_records()
    later = records[11].replace('date="9-15-2014"', 'date="9-16-2014"')
    ordered = tmp_path / "ordered.log"
    ordered.write_text("".join([*records[:4], records[7], later]))
    moved = tmp_path / "moved.log"
    moved.write_text("".join([*records[:4], later, records[7]]))
    plain, read = analyze([str(ordered)]), analyze([str(moved)])
    assert (read.runs, str(read.as_of)) == (((str(moved), 2),), "2014-09-16 10:24:12.425000-04:00")
    assert [(u.upn, u.state) for u in read.users] == [("scott@contoso.com", "overdue")]
    assert [(u.upn, u.state) for u in read.users] == [(u.upn, u.state) for u in plain.users]
    assert (read.connector.state, plain.connector.state) == ("stalled", "stalled")
    # a record a few milliseconds earlier after the latest: one run, as of the latest
    last = records[10].replace("10:24:12.411", "10:24:12.430")
    jittered = tmp_path / "jittered.log"
    jittered.write_text("".join([*records[:10], last, records[11]]))
    found = analyze([str(jittered)])
    assert (found.runs, str(found.inputs[0].last_time)) == ((), "2014-09-15 10:24:12.430000-04:00")
