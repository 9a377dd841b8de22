"""Times without a UTC offset read in a `--source-tz` with daylight saving: where the clock is
set back, the hour that comes twice is read in the order of the log (`formats.common.in_order`),
so a log written across the change answers as the same log with its offsets."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from logsync.bounds import Cutoff, read_once
from logsync.bulk import input_rows
from logsync.cli import app
from logsync.errors import UsageError
from logsync.formats import ParseContext
from logsync.formats.common import RUN_DISORDER_US, in_order
from logsync.pipeline import ReadOptions
from logsync.rowspec import LOCATED_KINDS, RowSpec
from logsync.sampling import input_samples
from logsync.sources import InputStats
from logsync.times import micros, parse_when
from logsync.tracker import TRACKED_KINDS

from .conftest import SAMPLES

runner = CliRunner()
PACIFIC = ZoneInfo("America/Los_Angeles")
TRAILER = re.compile(r"<(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)\.(\d+)([+-]\d+)>")
RECORD = re.compile(
    r"^(.*?)  \$\$<([^>]*)><(\d\d-\d\d-\d{4}) (\d\d:\d\d:\d\d\.\d+)([+-]\d+)?><thread=(\d+) [^>]*>$"
)


def across_fall_back() -> str:
    """The demo log moved 24 days earlier, onto the night the Pacific clock was set back
    (2026-11-01, 02:00 PDT to 01:00 PST), each record with the bias of its instant there; and
    zed, who fails at 01:30:04.910 the second time the clock shows it (09:30:04.910Z)."""
    text = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").replace("\r\n", "\n")

    def moved(found: re.Match[str]) -> str:
        month, day, year, hour, minute, second, fraction, bias = found.groups()
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
        instant = local + timedelta(minutes=int(bias)) - timedelta(days=24)
        there = instant.replace(tzinfo=timezone.utc).astimezone(PACIFIC)
        offset = there.utcoffset()
        assert offset is not None
        return f"<{there:%m-%d-%Y %H:%M:%S}.{fraction}{-offset // timedelta(minutes=1):+d}>"

    lines = TRAILER.sub(moved, text).split("\n")
    at = next(i for i, line in enumerate(lines) if "<11-01-2026 01:30" in line and "+480>" in line)
    trailer = "$$<SMS_CLOUD_USERSYNC><11-01-2026 01:30:04.910+480><thread=5616 (0x15F0)>"
    lines[at:at] = [
        f"NotifyAccountAddition - SCCM user to add = zed@contoso.com  {trailer}",
        f"Failed to add user zed@contoso.com; reason UserNotFound  {trailer}",
    ]
    return "\n".join(lines)


def without_offsets(text: str, form: str) -> str:
    """The log's records with no offset: SMS trace, CMTrace, or pasted as tab-separated columns
    (CMTrace's copy, to the second)."""
    out = []
    for line in filter(None, text.split("\n")):
        match = RECORD.match(line)
        assert match, line
        message, component, date, clock, _, thread = match.groups()
        if form == "sms":
            out.append(f"{message}  $$<{component}><{date} {clock}><thread={thread} (0x0)>")
        elif form == "cmtrace":
            out.append(
                f'<![LOG[{message}]LOG]!><time="{clock}" date="{date}" component="{component}" '
                f'context="" type="1" thread="{thread}" file="x.cpp:1">'
            )
        else:
            month, day, year = date.split("-")
            out.append(f"{message}\t{component}\t{int(month)}/{int(day)}/{year} {clock[:8]}\t{thread}")
    return "\r\n".join(out) + "\r\n"


def users(path: str, *extra: str) -> tuple[list[dict[str, object]], str]:
    result = runner.invoke(
        app, ["report", "--all", "--format", "json", "--tz", "UTC", *extra, path]
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["users"], result.stderr


def connector_as_in_the_log(path: object) -> None:
    """`summary` of `path` read in Pacific time counts the log's 398 cycles and no stall."""
    summary = runner.invoke(
        app, ["summary", "--format", "json", "--source-tz", "America/Los_Angeles", str(path)]
    )
    assert json.loads(summary.stdout)["cycles"] == 398
    assert "connector_stalled" not in summary.stdout


FIELDS = ("upn", "state", "first_failure", "full_sync_due", "expected_recovery", "requests")


@pytest.mark.parametrize("form", ["sms", "cmtrace", "paste"])
def test_a_log_across_the_night_the_clock_is_set_back_answers_as_with_its_offsets(
    tmp_path, form: str
) -> None:
    logged = tmp_path / "CloudUserSync.log"
    logged.write_text(across_fall_back(), encoding="utf-8")
    bare = tmp_path / f"bare-{form}.log"
    bare.write_text(without_offsets(across_fall_back(), form), encoding="utf-8")
    truth, _ = users(str(logged))
    found, stderr = users(str(bare), "--source-tz", "America/Los_Angeles")
    zed = next(user for user in found if user["upn"] == "zed@contoso.com")
    if form == "paste":  # (to the second: its expected recovery is a cycle's start)
        assert (zed["first_failure"], zed["full_sync_due"]) == (
            "2026-11-01T09:30:04+00:00",
            "2026-11-02T09:30:04+00:00",
        )
        assert [(u["upn"], u["state"]) for u in found] == [(u["upn"], u["state"]) for u in truth]
    else:
        assert (zed["first_failure"], zed["full_sync_due"], zed["expected_recovery"]) == (
            "2026-11-01T09:30:04.910+00:00",
            "2026-11-02T09:30:04.910+00:00",
            "2026-11-02T09:34:59.862+00:00",
        )
        assert [[u[f] for f in FIELDS] for u in found] == [[u[f] for f in FIELDS] for u in truth]
    assert "time goes back" not in stderr and "more than one input" not in stderr
    connector_as_in_the_log(bare)


def test_the_samples_of_a_file_read_the_hour_that_comes_twice_in_order(tmp_path) -> None:
    bare = tmp_path / "bare.log"
    bare.write_text(without_offsets(across_fall_back(), "sms"), encoding="utf-8")
    sampled = input_samples(str(bare), ReadOptions(source_tz=PACIFIC))
    assert sampled is not None and sampled.pieces is None
    assert sampled.times == sorted(sampled.times)
    assert len(sampled.times) > 20


def _context() -> ParseContext:
    return ParseContext(InputStats("x"), PACIFIC)


def test_the_second_pass_is_read_where_the_first_would_go_back_past_threads_disorder() -> None:
    ctx = _context()
    first_pass = datetime(2026, 11, 1, 1, 59, 59, tzinfo=PACIFIC)  # 08:59:59Z
    assert micros(in_order(first_pass, ctx)) == micros(datetime(2026, 11, 1, 8, 59, 59, tzinfo=timezone.utc))
    again = in_order(datetime(2026, 11, 1, 1, 0, tzinfo=PACIFIC), ctx)
    assert again.isoformat() == "2026-11-01T01:00:00-08:00"  # 09:00Z, not 08:00Z
    assert isinstance(ctx.previous, datetime)
    assert micros(ctx.previous) == micros(datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc))


@pytest.mark.parametrize(
    ("back_us", "offset"),
    [(RUN_DISORDER_US, "-07:00"), (RUN_DISORDER_US + 1, "-08:00")],
)
def test_a_step_back_within_threads_disorder_stays_in_the_first_pass(back_us: int, offset: str) -> None:
    ctx = _context()
    time = datetime(2026, 11, 1, 1, 30, tzinfo=PACIFIC)  # first pass: 08:30Z
    ctx.previous = micros(time) + back_us
    assert in_order(time, ctx).isoformat()[-6:] == offset


def test_a_time_out_of_turn_leaves_the_previous_record_as_it_is() -> None:
    ctx = _context()
    ctx.previous = micros(datetime(2026, 11, 1, 9, 4, tzinfo=timezone.utc))
    looked_at = in_order(datetime(2026, 11, 1, 1, 5, tzinfo=PACIFIC), ctx, step=False)
    assert looked_at.isoformat() == "2026-11-01T01:05:00-08:00"
    assert ctx.previous == micros(datetime(2026, 11, 1, 9, 4, tzinfo=timezone.utc))


def test_other_times_are_read_as_written() -> None:
    ctx = _context()
    ctx.previous = micros(datetime(2026, 11, 2, tzinfo=timezone.utc))  # far later
    plain = in_order(datetime(2026, 11, 1, 3, 0, tzinfo=PACIFIC), ctx)  # no hour comes twice
    assert plain.isoformat() == "2026-11-01T03:00:00-08:00"
    skipped = in_order(datetime(2026, 3, 8, 2, 30, tzinfo=PACIFIC), ctx)  # the clock skips it
    assert skipped.fold == 0
    assert ParseContext(InputStats("x"), timezone(timedelta(hours=-8))).shifts is False
    assert _context().shifts is True


def _steps(path: str, *extra: str) -> dict[str, str]:
    result = runner.invoke(app, ["timeline", "ivan", "--format", "json", *extra, path])
    return {step["what"]: step["detail"] for step in json.loads(result.stdout)["steps"]}


def test_a_timeline_names_a_later_time_in_the_offset_the_log_used_then_and_in_tz(
    tmp_path,
) -> None:
    """ivan fails in summer time; his timer runs out after the clock was set back. The times a
    step's detail names are in the offset the log used at that instant (-08:00), and in `--tz`
    (before, in the offset known when the step was read, -07:00, whatever `--tz` said)."""
    log = tmp_path / "CloudUserSync.log"
    log.write_text(across_fall_back(), encoding="utf-8")
    as_logged = _steps(str(log))
    assert as_logged["failed"] == "reason UserNotFound; full sync due 2026-11-01T08:20:08.636-08:00"
    assert as_logged["held_back"] == (
        "notified; timer runs until 2026-11-01T08:20:08.636-08:00; held back in 288 cycles, "
        "the last at 2026-11-01T08:20:04.744-08:00"
    )
    in_india = _steps(str(log), "--tz", "Asia/Kolkata")
    assert in_india["failed"] == "reason UserNotFound; full sync due 2026-11-01T21:50:08.636+05:30"
    assert in_india["held_back"] == (
        "notified; timer runs until 2026-11-01T21:50:08.636+05:30; held back in 288 cycles, "
        "the last at 2026-11-01T21:50:04.744+05:30"
    )
    markdown = runner.invoke(app, ["timeline", "ivan", "-f", "markdown", "--tz", "UTC", str(log)])
    assert "reason UserNotFound; full sync due 2026-11-01 16:20:08 +00:00 |" in markdown.stdout


@pytest.mark.parametrize("form", [[], ["--format", "csv"]], ids=["text", "csv"])
def test_report_rows_show_each_time_in_the_offset_the_log_used_then(tmp_path, form) -> None:
    """heidi first fails in summer time and again after the clock was set back: one row shows
    both offsets as logged, and in `--tz` one offset (the rows of one offset are written
    straight from their instants, see `machine.user_rows`)."""
    log = tmp_path / "CloudUserSync.log"
    log.write_text(across_fall_back(), encoding="utf-8")
    sep = "," if form else "\t"

    def heidi(*extra: str) -> list[str]:
        result = runner.invoke(app, ["report", *form, *extra, str(log)])
        return next(line for line in result.stdout.splitlines() if "heidi" in line).split(sep)

    assert heidi()[3:8] == [
        "2026-10-31T11:05:08.824-07:00",
        "2026-11-01T10:10:08.506-08:00",
        "2",
        "2026-11-02T10:10:08.506-08:00",
        "2026-11-02T10:15:03.710-08:00",
    ]
    assert heidi("--tz", "UTC")[3:5] == [
        "2026-10-31T18:05:08.824+00:00",
        "2026-11-01T18:10:08.506+00:00",
    ]


@pytest.mark.parametrize(
    ("text", "offsets"),
    [
        ("2026-11-01 01:30 America/Los_Angeles", ("-07:00", "-08:00")),  # comes twice
        ("2026-03-08 02:30 Pacific Standard Time", ("-08:00", "-07:00")),  # never comes
    ],
)
def test_a_time_a_named_zone_shows_twice_or_never_is_refused(text: str, offsets: tuple[str, str]) -> None:
    with pytest.raises(UsageError) as refused:
        parse_when(text, "--now")
    zone = text.split(" ", 2)[2]
    day, clock = text.split(" ")[:2]
    assert str(refused.value) == (
        f"--now: {text!r} is no single time in {zone}: its clock is set back or forward there; "
        f"give the offset ({day}T{clock}:00{offsets[0]} or {day}T{clock}:00{offsets[1]})"
    )
    assert parse_when("2026-11-01 02:30 America/Los_Angeles", "--now").isoformat() == (
        "2026-11-01T02:30:00-08:00"
    )


def refusal(log: Path, text: str, command: str, now: str) -> str:
    """The one line `command --now NOW` refuses the log written with `text` with (exit 2)."""
    log.write_text(text, encoding="utf-8")
    refused = runner.invoke(app, [command, "--now", now, str(log)])
    assert refused.exit_code == 2
    return refused.stderr.splitlines()[-1]


def test_now_without_an_offset_in_the_hour_the_log_s_clock_showed_twice_is_refused(
    tmp_path,
) -> None:
    log = tmp_path / "CloudUserSync.log"
    assert refusal(log, across_fall_back(), "report", "2026-11-01 01:30") == (
        "logsync: error: --now: 2026-11-01T01:30:00 is a time the log's clock showed twice, as "
        "its offset went from -07:00 to -08:00; give the offset (2026-11-01T01:30:00-07:00 or "
        "2026-11-01T01:30:00-08:00)"
    )
    for given, as_of in [
        ("2026-11-01 01:30-08:00", "2026-11-01T01:30:00-08:00"),
        ("2026-11-01 02:00", "2026-11-01T02:00:00-08:00"),
        ("2026-11-01 00:59:59", "2026-11-01T00:59:59-07:00"),
    ]:
        result = runner.invoke(app, ["report", "--format", "json", "--now", given, str(log)])
        assert (result.exit_code, json.loads(result.stdout)["as_of"]) == (0, as_of)


def across_spring_forward() -> str:
    """The demo log moved 109 days later, onto the night the Pacific clock was set forward
    (2027-03-14, 02:00 PST to 03:00 PDT), each record with the bias of its instant there; and
    eve, who fails at 03:10:04.910 PDT (10:10:04.910Z), just after the change."""
    text = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").replace("\r\n", "\n")

    def moved(found: re.Match[str]) -> str:
        month, day, year, hour, minute, second, fraction, bias = found.groups()
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
        instant = local + timedelta(minutes=int(bias)) + timedelta(days=109)
        there = instant.replace(tzinfo=timezone.utc).astimezone(PACIFIC)
        offset = there.utcoffset()
        assert offset is not None
        return f"<{there:%m-%d-%Y %H:%M:%S}.{fraction}{-offset // timedelta(minutes=1):+d}>"

    lines = TRAILER.sub(moved, text).split("\n")
    at = next(i for i, line in enumerate(lines) if "<03-14-2027 03:1" in line)
    trailer = "$$<SMS_CLOUD_USERSYNC><03-14-2027 03:10:04.910+420><thread=5616 (0x15F0)>"
    lines[at:at] = [
        f"NotifyAccountAddition - SCCM user to add = eve@contoso.com  {trailer}",
        f"Failed to add user eve@contoso.com; reason UserNotFound  {trailer}",
    ]
    return "\n".join(lines)


def test_now_without_an_offset_in_the_hour_the_log_s_clock_skipped_is_refused(tmp_path) -> None:
    """The log's clock went from 01:59 PST to 03:00 PDT: 02:30 it never showed. Read in the
    offset of the record before it (-08:00: 03:30 PDT), it judged at an instant whose records
    were left out by their clock (eve's failure at 03:10 PDT): `check` passed. Just after the
    change, 03:20 was read as 03:20 -08:00, an hour late."""
    log = tmp_path / "CloudUserSync.log"
    assert refusal(log, across_spring_forward(), "check", "2027-03-14 02:30") == (
        "logsync: error: --now: 2027-03-14T02:30:00 is a time the log's clock showed never, as "
        "its offset went from -08:00 to -07:00; give the offset (2027-03-14T02:30:00-08:00 or "
        "2027-03-14T02:30:00-07:00)"
    )
    for given, as_of, eve in [
        ("2027-03-14 03:20", "2027-03-14T03:20:00-07:00", ["waiting"]),
        ("2027-03-14 03:00", "2027-03-14T03:00:00-07:00", []),  # (the change, on the new clock)
        ("2027-03-14 01:59:59.999999", "2027-03-14T01:59:59.999999-08:00", []),
        ("2027-03-14 02:30-08:00", "2027-03-14T03:30:00-07:00", ["waiting"]),
    ]:
        result = runner.invoke(app, ["report", "--all", "--format", "json", "--now", given, str(log)])
        document = json.loads(result.stdout)
        assert document["as_of"] == as_of, given
        assert [u["state"] for u in document["users"] if u["upn"] == "eve@contoso.com"] == eve
    for clock in ("02:00", "02:59:59.999999"):
        gap = runner.invoke(app, ["report", "--now", f"2027-03-14 {clock}", str(log)])
        assert gap.exit_code == 2, clock
    restart = runner.invoke(app, ["report", "--restart-at", "2027-03-14 02:30", str(log)])
    assert restart.exit_code == 2 and "--restart-at: 2027-03-14T02:30:00 is a time" in restart.stderr


@pytest.mark.parametrize("form", ["sms", "cmtrace", "paste"])
def test_a_log_without_offsets_across_the_night_the_clock_is_set_forward_is_refused(
    tmp_path, form: str
) -> None:
    """Its cycles go on from 01:55 to 03:00, on their schedule: read by its clock, every timer
    across the change ran out an hour early (a user waiting until 11:00 PDT was overdue at
    10:40; `check --fail-on overdue` failed on her). Given the site's zone, it answers as the
    log with its offsets."""
    logged = tmp_path / "CloudUserSync.log"
    logged.write_text(across_spring_forward(), encoding="utf-8")
    bare = tmp_path / f"bare-{form}.log"
    bare.write_text(without_offsets(across_spring_forward(), form), encoding="utf-8")
    for command in (["report"], ["check", "--fail-on", "overdue"], ["summary"], ["timeline", "eve"]):
        refused = runner.invoke(app, [*command, str(bare)])
        assert (refused.exit_code, refused.stdout) == (2, ""), command
        assert refused.stderr == (
            f"logsync: error: {bare}: its cycles go on at 2027-03-14 03:00:04 (line 1,773) after "
            "01:55:04, an hour past their schedule with no restart: the hour a daylight-saving "
            "change skips, which times without a UTC offset cannot place; give --source-tz ZONE "
            "(the site's zone, for example --source-tz America/New_York) to read them\n"
        )
    truth, _ = users(str(logged))
    found, _ = users(str(bare), "--source-tz", "America/Los_Angeles")
    if form == "paste":  # (to the second)
        assert [(u["upn"], u["state"], (u["full_sync_due"] or "")[:19]) for u in found] == [
            (u["upn"], u["state"], (u["full_sync_due"] or "")[:19]) for u in truth
        ]
    else:
        assert [[u[f] for f in FIELDS] for u in found] == [[u[f] for f in FIELDS] for u in truth]
    # judged before the change, nothing it skips is read
    before = runner.invoke(app, ["report", "--now", "2027-03-14 01:58", str(bare)])
    assert before.exit_code == 0, before.stderr


def test_an_excerpt_s_lines_may_leave_out_an_hour_on_the_cycles_schedule(tmp_path) -> None:
    """Dated lines someone chose (a ticket's excerpt) may leave out an hour: not refused."""
    rows = without_offsets(across_spring_forward(), "paste").splitlines()
    lines = [f"{row.split(chr(9))[2]}  {row.split(chr(9))[0]}" for row in rows]
    assert lines[0] == "3/13/2027 06:59:55  SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0)."
    ticket = tmp_path / "ticket.txt"
    ticket.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(ticket)])
    assert result.exit_code == 0, result.stderr
    assert "daylight-saving change skips" not in result.stderr


@pytest.mark.parametrize(
    ("clock", "refused"),
    [
        ("00:59:59.999999", False),
        ("01:00:00", True),
        ("01:59:59.999999", True),
        ("02:00:00", False),
    ],
)
def test_the_hour_shown_twice_runs_from_the_quarter_hour_of_the_change(clock: str, refused: bool) -> None:
    """The first record after the clock was set back is at 09:00:04Z (01:00:04 -08:00): the
    change is taken at 09:00Z, so 01:00 to 02:00 came twice."""
    at = micros(datetime(2026, 11, 1, 9, 0, 4, tzinfo=timezone.utc))
    zones = [timezone(timedelta(hours=-7)), timezone(timedelta(hours=-8))]
    hour, minute, second = clock.split(":")
    whole, _, fraction = second.partition(".")
    when = datetime(2026, 11, 1, int(hour), int(minute), int(whole), int(fraction or 0))
    cutoff = Cutoff(when)
    if refused:
        with pytest.raises(UsageError):
            read_once(cutoff, [0, at], zones)
    else:
        read_once(cutoff, [0, at], zones)


def test_a_half_hour_set_back_is_read_in_order_too() -> None:
    """Lord Howe Island sets its clock back half an hour (02:00 +11:00 to 01:30 +10:30)."""
    ctx = ParseContext(InputStats("x"), ZoneInfo("Australia/Lord_Howe"))
    in_order(datetime(2026, 4, 5, 1, 59, tzinfo=ZoneInfo("Australia/Lord_Howe")), ctx)
    again = in_order(datetime(2026, 4, 5, 1, 35, tzinfo=ZoneInfo("Australia/Lord_Howe")), ctx)
    assert again.isoformat() == "2026-04-05T01:35:00+10:30"
    later = in_order(datetime(2026, 4, 5, 1, 50, tzinfo=ZoneInfo("Australia/Lord_Howe")), ctx)
    assert later.isoformat() == "2026-04-05T01:50:00+10:30"


def _cut_in_the_second_pass(text: str) -> str:
    """The log up to zed's failure, the second time the clock shows 01:30."""
    lines = text.split("\n")
    end = next(i for i, line in enumerate(lines) if "Failed to add user zed@" in line)
    return "\n".join(lines[: end + 1]) + "\n"


def test_a_log_that_ends_in_the_second_pass_is_sampled_and_read_to_its_true_end(tmp_path) -> None:
    bare = tmp_path / "bare.log"
    bare.write_text(_cut_in_the_second_pass(without_offsets(across_fall_back(), "sms")))
    sampled = input_samples(str(bare), ReadOptions(source_tz=PACIFIC))
    assert sampled is not None
    assert sampled.times[-1] == micros(datetime(2026, 11, 1, 9, 30, 4, 910000, tzinfo=timezone.utc))
    result = runner.invoke(
        app, ["summary", "--format", "json", "--source-tz", "America/Los_Angeles", str(bare)]
    )
    assert json.loads(result.stdout)["span"]["end"] == "2026-11-01T01:30:04.910-08:00"


def test_rows_of_a_log_without_offsets_go_on_through_the_hour_that_comes_twice(tmp_path) -> None:
    """The chunk reader itself reads the second pass in order: no jump back, no reading again
    as runs."""
    bare = tmp_path / "bare.log"
    bare.write_text(without_offsets(across_fall_back(), "sms"))
    spec = RowSpec(kinds=TRACKED_KINDS, located=LOCATED_KINDS)
    stats = InputStats(str(bare))
    rows = [row for batch in input_rows(str(bare), ReadOptions(source_tz=PACIFIC), stats, spec) for row in batch]
    zed = next(row for row in rows if row[2] == "user_add_failed" and row[3].upn == "zed@contoso.com")
    assert zed[0] == micros(datetime(2026, 11, 1, 9, 30, 4, 910000, tzinfo=timezone.utc))


def test_records_with_a_bias_then_without_are_read_in_order_across_the_change(tmp_path) -> None:
    """CMTrace whose records carry a bias until the change and none after it."""
    text = across_fall_back()
    change = text.index("+480>")  # the first record in winter time
    before, after = text[:change].rsplit("\n", 1)[0], "\n" + text[change:].split("\n", 1)[1]
    head = without_offsets(before, "cmtrace").replace('" date="', '+420" date="')
    mixed = tmp_path / "mixed.log"
    mixed.write_text(head + without_offsets(after.lstrip("\n"), "cmtrace"))
    found, stderr = users(str(mixed), "--source-tz", "America/Los_Angeles")
    zed = next(user for user in found if user["upn"] == "zed@contoso.com")
    assert zed["full_sync_due"] == "2026-11-02T09:30:04.910+00:00"
    assert "time goes back" not in stderr


def test_a_time_without_offset_is_read_in_source_tz_and_refused_where_it_comes_twice(
    tmp_path,
) -> None:
    """Records were compared with such a time by their wall clock: `--now 01:31` kept zed, who
    fails at 01:30 the second time the clock shows it, an hour after the judgement."""
    bare = tmp_path / "bare.log"
    bare.write_text(without_offsets(across_fall_back(), "sms"))
    given = ["--source-tz", "America/Los_Angeles", str(bare)]
    refused = runner.invoke(app, ["report", "--now", "2026-11-01 01:31", *given])
    assert (refused.exit_code, refused.stderr.splitlines()[-1]) == (
        2,
        "logsync: error: --now: 2026-11-01T01:31:00 is no single time in America/Los_Angeles "
        "(--source-tz): its clock is set back or forward there; give the offset "
        "(2026-11-01T01:31:00-07:00 or 2026-11-01T01:31:00-08:00)",
    )
    first = runner.invoke(app, ["report", "--all", "-f", "json", "--now", "2026-11-01 01:31-07:00", *given])
    document = json.loads(first.stdout)
    assert document["as_of"] == "2026-11-01T01:31:00-07:00"
    assert "zed@contoso.com" not in [user["upn"] for user in document["users"]]
    later = runner.invoke(app, ["report", "-f", "json", "--now", "2026-11-01 03:00", *given])
    assert json.loads(later.stdout)["as_of"] == "2026-11-01T03:00:00-08:00"
    since = runner.invoke(app, ["events", "--since", "2026-11-01 01:30", *given])
    assert since.exit_code == 2 and "--since: 2026-11-01T01:30:00 is no single time" in since.stderr


def _halves_in_the_second_pass(tmp_path, form: str):
    """A folder with the log without offsets, rotated ten minutes into the second time the
    clock shows 01:xx."""
    folder = tmp_path / "Logs"
    lines = without_offsets(across_fall_back(), form).split("\r\n")
    cut = next(i for i, line in enumerate(lines) if "Failed to add user zed@" in line) + 40
    folder.mkdir()
    marker = "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>"
    (folder / "CloudUserSync.lo_").write_text("\r\n".join([*lines[:cut], marker, ""]))
    (folder / "CloudUserSync.log").write_text("\r\n".join(lines[cut:]))
    return folder


def test_a_log_rotated_in_the_hour_that_comes_twice_is_read_after_its_older_half(
    tmp_path,
) -> None:
    folder = _halves_in_the_second_pass(tmp_path, "sms")
    found, stderr = users(str(folder), "--source-tz", "America/Los_Angeles")
    zed = next(user for user in found if user["upn"] == "zed@contoso.com")
    assert (zed["first_failure"], zed["full_sync_due"]) == (
        "2026-11-01T09:30:04.910+00:00",
        "2026-11-02T09:30:04.910+00:00",
    )
    assert "shows twice" not in stderr and "more than one input" not in stderr
    connector_as_in_the_log(folder)


def test_a_log_that_begins_in_the_hour_that_comes_twice_says_how_it_was_read(tmp_path) -> None:
    alone = _halves_in_the_second_pass(tmp_path, "sms") / "CloudUserSync.log"
    result = runner.invoke(app, ["report", "--source-tz", "America/Los_Angeles", str(alone)])
    assert (
        f"logsync: {alone}: it begins in the hour America/Los_Angeles's clock shows twice "
        "(2026-11-01T01:50:05): read as the first, -07:00; if the clock was set back already "
        "(-08:00), its times up to the change are an hour early (the log before it, given too, "
        "would tell)\n"
    ) in result.stderr


def test_cmtrace_rotated_in_the_hour_that_comes_twice_says_how_its_later_half_was_read(
    tmp_path,
) -> None:
    """CMTrace is not sampled before it is read: its `.log` is read as it begins, and says so."""
    folder = _halves_in_the_second_pass(tmp_path, "cmtrace")
    _, stderr = users(str(folder), "--source-tz", "America/Los_Angeles")
    assert f"logsync: {folder / 'CloudUserSync.log'}: it begins in the hour" in stderr
