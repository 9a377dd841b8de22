"""`events --format ndjson` from one input writes, byte for byte, what the plain encoder writes."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logsync.pipeline import EventStream, ReadOptions
from logsync.render import Display
from logsync.render.eventlines import CsvForm
from logsync.render.machine import EventEncoder
from logsync.render.ndjson import write_runs_events
from logsync.sources import InputStats

from .conftest import REAL_LOGS, SAMPLES, read_in_blocks

AS_LOGGED = ReadOptions()


def plain(
    path: str, options: ReadOptions = AS_LOGGED, kinds: frozenset[str] | None = None
) -> tuple[str, list[InputStats], int | None]:
    """The lines, the input's counts, and the line where its time first goes back (whatever
    kinds are written: the input's own)."""
    stream = EventStream([path], options)
    encode = EventEncoder(Display()).encode
    written = "".join(encode(e) + "\n" for e in stream if kinds is None or e.kind in kinds)
    return written, stream.inputs, stream.jumps[0][1] if stream.jumps else None


def fast(
    path: str, options: ReadOptions = AS_LOGGED, kinds: frozenset[str] | None = None
) -> tuple[str, list[InputStats], int | None]:
    out = io.StringIO()
    stats = InputStats(path)
    (jumps,) = write_runs_events([(path, stats, None)], options, out, Display(), "ndjson", kinds)
    return out.getvalue(), [stats], jumps.line


@pytest.mark.parametrize(
    "sample",
    [
        "CloudUserSync.log",
        "spec-case/CloudUserSync.log",
        "restart-day/CloudUserSync.log",
        "restart-day/smsexec.log",
        "rotated/CloudUserSync.lo_",
        "certificate-wait/CloudUserSync.log",
        "cmtrace/CloudUserSync.log",
        "pasted/ticket.txt",
    ],
)
def test_samples_match_their_golden_files(sample: str, in_root: Path) -> None:
    path = f"{SAMPLES.name}/{sample}"  # the golden files name their inputs relative to the root
    golden = Path(path + ".events.ndjson").read_text(encoding="utf-8")
    written, stats, _ = fast(path)
    assert written == golden
    assert stats == plain(path)[1]


def test_gzip_input_matches_the_plain_encoder() -> None:
    path = str(SAMPLES / "spec-case" / "CloudUserSync.log.gz")
    assert fast(path) == plain(path)


@pytest.mark.parametrize("name", sorted(p.name for p in REAL_LOGS.glob("*.log")))
def test_real_logs_match_the_plain_encoder(name: str) -> None:
    path = str(REAL_LOGS / name)
    written, stats, jump = fast(path)
    assert (written, stats, jump) == plain(path)
    assert written.count("\n") == stats[0].records + stats[0].unparsed


def test_kinds_are_filtered_the_same() -> None:
    path = str(SAMPLES / "CloudUserSync.log")
    kinds = frozenset({"user_add_failed", "unparsed", "sync_started"})
    written, _, _ = fast(path, kinds=kinds)
    assert written == plain(path, kinds=kinds)[0]
    assert {line.split('"')[3] for line in written.splitlines()} == {
        "user_add_failed",
        "sync_started",
    }


MESSAGES = [
    "Starting user delta sync, raise failure status messages = True",
    "NotifyAccountAddition - SCCM user to add = Scott@Contoso.com",
    "Failed to add user scott@contoso.com; reason UserNotFound",
    "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 1",
    'STATMSG: ID=500 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" TID=7012',
    'Some "quoted" text~~with a break and \\ a backslash and caf\u00e9',
    "\t~leading break and \x1b[31m escape",
]


@st.composite
def sms_lines(draw: st.DrawFn) -> str:
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))  # 30 and 31 are impossible in some months: unparsed
    hour = draw(st.integers(0, 23))
    pad = draw(st.booleans())
    date = f"{month:02d}-{day:02d}-2026" if pad else f"{month}-{day}-2026"
    clock = (
        f"{hour:02d}:{draw(st.integers(0, 59)):02d}"
        if pad
        else f"{hour}:{draw(st.integers(0, 59)):02d}"
    )
    second = f"{draw(st.integers(0, 59)):02d}"
    fraction = draw(
        st.sampled_from(["", ".0", ".000", ".5", ".480", ".4801", ".1234567", ".000001"])
    )
    bias = draw(st.sampled_from(["", "+0", "-0", "+240", "-60", "+1439", "+330"]))
    component = draw(st.sampled_from(["SMS_CLOUD_USERSYNC", "SMS Provider", "SMS_EXECUTIVE"]))
    thread = draw(st.sampled_from(["5616 (0x15F0)", "007", "12(0xc)", "1"]))
    message = draw(st.sampled_from(MESSAGES))
    return f"{message}  $$<{component}><{date} {clock}:{second}{fraction}{bias}><thread={thread}>"


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.one_of(
            sms_lines(),
            sms_lines(),
            sms_lines(),
            st.sampled_from(
                [
                    "",
                    "   ",
                    "\0\0\0",
                    "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>",
                    "x $$<SMS_CLOU",
                ]
            ),
        ),
        min_size=1,
        max_size=60,
    ),
    block=st.sampled_from([128, 1024, 1 << 16]),
    source_tz=st.sampled_from([None, timezone(timedelta(hours=2)), ZoneInfo("America/New_York")]),
    kinds=st.sampled_from([None, frozenset({"user_add_failed", "unparsed"})]),
    native=st.booleans(),
)
def test_any_sms_trace_text_gives_the_same_bytes(
    lines: list[str],
    block: int,
    source_tz: timezone | ZoneInfo | None,
    kinds: frozenset[str] | None,
    native: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_blocks(monkeypatch, block, native)
    path, options = trace_file(tmp_path, lines, source_tz)
    same_or_same_error(
        lambda: plain(str(path), options, kinds), lambda: fast(str(path), options, kinds)
    )




# -- the JSON array and the jump note ride the same fast path ---------------------------------

DEMO = SAMPLES / "CloudUserSync.log"


def swapped_demo(tmp_path: Path) -> Path:
    """The demo log's halves pasted in the wrong order: time goes back at line 1501."""
    lines = DEMO.read_bytes().splitlines(keepends=True)
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"".join(lines[1541:] + lines[:1541]))
    return path


def short_run_demo(tmp_path: Path) -> Path:
    """The demo log with five of its records pasted again at line 1501: a run too short for
    the samples taken before reading, so time going back is found by the reading."""
    lines = DEMO.read_bytes().splitlines(keepends=True)
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"".join(lines[:1500] + lines[200:205] + lines[1500:]))
    return path


def test_events_of_a_file_pasted_in_the_wrong_order_are_its_runs_merged_by_time(
    tmp_path: Path,
) -> None:
    """The samples taken before reading show time going back: `events` reads the halves as
    runs merged by time, in every format, and counts what `summary` counts; a file pasted
    twice has each record once."""
    import csv

    from typer.testing import CliRunner

    from logsync.cli import app

    def rows(text: str) -> list[list[str]]:  # (all but the source and the line)
        return [row[:2] + row[4:] for row in csv.reader(io.StringIO(text))]

    swapped = str(swapped_demo(tmp_path))
    clean = CliRunner().invoke(app, ["events", "--format", "csv", str(DEMO)]).stdout
    for fmt in ("csv", "ndjson"):
        result = CliRunner().invoke(app, ["events", "--format", fmt, swapped])
        assert result.stderr == (
            f"logsync: {swapped}: time goes back once (logs pasted together?); its 2 runs are "
            "merged by time\n"
        )
        if fmt == "csv":
            assert rows(result.stdout) == rows(clean)
    twice = tmp_path / "twice.log"
    twice.write_bytes(DEMO.read_bytes() * 2)
    result = CliRunner().invoke(app, ["events", "--format", "ndjson", str(twice)])
    assert result.stdout.count('"kind":"user_add_failed"') == 7
    assert len(result.stdout.splitlines()) == 3041
    assert result.stderr.splitlines()[-1] == (
        "logsync: 3,041 records found in more than one input or run (the same instant, "
        "thread, component and text) counted once; the copies were left out"
    )


@pytest.mark.parametrize("native", [True, False])
@pytest.mark.parametrize("kinds", [None, frozenset({"user_add_failed"})])
def test_a_jump_back_is_found_on_the_fast_path_as_the_event_stream_finds_it(
    native: bool, kinds: frozenset[str] | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in_blocks(monkeypatch, 1 << 16, native)
    path = str(swapped_demo(tmp_path))
    written = fast(path, kinds=kinds)
    assert written == plain(path, kinds=kinds)
    assert written[2] == 1501  # the input's own line, whatever kinds are written


@pytest.mark.parametrize("native", [True, False])
def test_events_json_is_the_ndjson_objects_in_an_array(
    native: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`events --format json` of one input is written by the fast path (the event stream is
    never built) as `machine.write_events_json` writes the stream, and says where time goes
    back as every other `events` output does (`--format ndjson` said nothing)."""
    from typer.testing import CliRunner

    from logsync import pipeline
    from logsync.cli import app
    from logsync.render.machine import write_events_json

    read_in_blocks(monkeypatch, 1 << 16, native)
    path = str(short_run_demo(tmp_path))
    expected = io.StringIO()
    write_events_json(EventStream([path]), expected, Display())
    note = (
        f"logsync: {path}:1501: time goes back (logs pasted together?); events are in file "
        "order (a record that two runs share is written for each); report, check and summary "
        "merge its runs by time\n"
    )
    monkeypatch.setattr(pipeline, "EventStream", None)
    result = CliRunner().invoke(app, ["events", "--format", "json", path])
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected.getvalue(), note)
    lines = CliRunner().invoke(app, ["events", "--format", "ndjson", path])
    assert (lines.exit_code, lines.stderr) == (0, note)
    empty = CliRunner().invoke(app, ["events", "--format", "json", "--kind", "user_add_failed",
                                     str(SAMPLES / "spec-case" / "CloudUserSync.log")])
    assert empty.stdout.startswith("[\n{") and empty.stdout.endswith("}\n]\n")


# -- --since, --until and --user ride the fast path too --------------------------------------


FILTER_FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TRACE_LINES = st.lists(
    st.one_of(sms_lines(), sms_lines(), sms_lines(), st.sampled_from(["", "x $$<SMS_CLOU"])),
    min_size=1,
    max_size=60,
)
BLOCKS = st.sampled_from([128, 1024, 1 << 16])
SOURCE_ZONES = st.sampled_from([None, timezone(timedelta(hours=2)), ZoneInfo("America/New_York")])


def wants_of(users: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """`--user` GLOB... as the command line reads it (None: no --user)."""
    from fnmatch import fnmatchcase

    return (lambda upn: any(fnmatchcase(upn.lower(), g) for g in users)) if users else None


def same_or_same_error(reference, fast) -> None:  # type: ignore[no-untyped-def]
    """`fast()` gives what `reference()` gives, or raises the same error."""
    try:
        expected = reference()
    except Exception as error:  # the same error, whichever way the text is read
        with pytest.raises(type(error), match=re.escape(str(error))):
            fast()
        return
    assert fast() == expected


def trace_file(
    tmp_path: Path,
    lines: list[str],
    source_tz: timezone | ZoneInfo | None,
    name: str = "CloudUserSync.log",
) -> tuple[Path, ReadOptions]:
    """The generated lines as an SMS-trace file (CRLF), and the options that read it."""
    path = tmp_path / name
    path.write_text("\r\n".join(lines), encoding="utf-8")
    return path, ReadOptions(input_format="sms-trace", source_tz=source_tz)


def bounds_of(since: str | None, until: str | None) -> list:
    from logsync.bounds import since as since_bound
    from logsync.bounds import until as until_bound
    from logsync.times import parse_when

    found = [since_bound(parse_when(since, "--since"))] if since else []
    if until:
        found.append(until_bound(parse_when(until, "--until")))
    return found


def filtered_plain(path: str, since: str | None, until: str | None, users: tuple[str, ...],
                   kinds: frozenset[str] | None = None, options: ReadOptions = AS_LOGGED) -> tuple[str, list[str], list[InputStats], int | None]:
    """The reference: the event stream, then the filters one event at a time."""
    from logsync.selection import Filters

    filters = Filters(bounds_of(since, until), wants_of(users), kinds)
    encode = EventEncoder(Display()).encode
    stream = EventStream([path], options)
    written = "".join(encode(event) + "\n" for event in filters.kept(stream))
    jump = stream.jumps[0][1] if stream.jumps else None
    return written, sorted(filters.seen) if users else [], stream.inputs, jump


def filtered_fast(path: str, since: str | None, until: str | None, users: tuple[str, ...],
                  kinds: frozenset[str] | None = None, options: ReadOptions = AS_LOGGED) -> tuple[str, list[str], list[InputStats], int | None]:
    from logsync.selection import Filters

    filters = Filters(bounds_of(since, until), wants_of(users))
    out = io.StringIO()
    stats = InputStats(path)
    (jumps,) = write_runs_events(
        [(path, stats, None)], options, out, Display(), "ndjson", kinds, filters=filters
    )
    return out.getvalue(), sorted(filters.seen) if users else [], [stats], jumps.line


BOUNDS = [
    # the demo log is at -08:00 (bias +480); a record is at 11-24-2026 07:05:04.385
    ("2026-11-24T07:05:04.385", None),  # inclusive: that record is the first written
    (None, "2026-11-24T07:05:04.385"),  # exclusive: it is not written
    ("2026-11-24T07:05:04.385-08:00", "2026-11-24T12:00:00.001-08:00"),
    ("2026-11-24T15:05:04.385+00:00", None),  # the same instant in UTC
    ("2026-11-25T00:00", "2026-11-25T08:00"),
    ("2026-12-01", None),  # after the log: nothing
    (None, "2026-11-01"),  # before it: nothing
]


@pytest.mark.parametrize("native", [True, False])
@pytest.mark.parametrize("block", [1 << 7, 1 << 10, 1 << 16])  # 128: a line a chunk
@pytest.mark.parametrize(("since", "until"), BOUNDS)
def test_time_bounds_on_the_fast_path_keep_what_the_event_stream_keeps(
    native: bool, block: int, since: str | None, until: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in_blocks(monkeypatch, block, native)
    path = str(DEMO)
    written = filtered_fast(path, since, until, ())
    assert written == filtered_plain(path, since, until, ())


def test_time_bounds_keep_exactly_the_records_on_their_side() -> None:
    path = str(DEMO)
    since = filtered_fast(path, "2026-11-24T07:05:04.385", None, ())[0].splitlines()
    until = filtered_fast(path, None, "2026-11-24T07:05:04.385", ())[0].splitlines()
    assert [json.loads(line)["line"] for line in since[:2]] == [9, 10]  # at the bound: kept
    assert [json.loads(line)["line"] for line in until] == list(range(1, 9))  # before it
    assert len(since) + len(until) == 3041
    assert filtered_fast(path, "2026-12-01", None, ())[:2] == ("", [])
    named = filtered_fast(path, "2026-12-01", None, ("nobody",))  # users named outside the bounds
    assert named[:2] == ("", DEMO_USERS)
    # (once `--user` takes a user, the others are not held: the first one taken is enough)
    assert filtered_plain(path, None, None, ("*",))[1] == ["carol@contoso.com"]
    assert filtered_fast(path, None, None, ("bob*",))[1] == ["bob@contoso.com"]


DEMO_USERS = [
    "Mallory.Admin@Contoso.com", "alice@contoso.com", "bob@contoso.com", "carol@contoso.com",
    "dave@contoso.com", "erin@contoso.com", "frank@contoso.com", "grace@contoso.com",
    "heidi@contoso.com", "ivan@contoso.com",
]


def test_users_are_held_until_user_takes_one_and_not_at_all_without_it() -> None:
    """`--user` matching nobody names whom it may have meant, from every user the input names;
    once it takes one, nobody else need be held (on 1M lines of 182,000 users, 23 MB)."""
    from logsync.events import UserAddRequested
    from logsync.selection import Filters

    def requested(upn: str) -> UserAddRequested:
        return UserAddRequested(upn)

    every = Filters()
    assert [every.names(requested(u)) for u in ("a@x", "b@x")] == [True, True]
    assert every.names(None) is True
    assert (every.seen, every.matched) == ({}, False)
    some = Filters(wants=lambda upn: upn.startswith("b"))
    taken = [some.names(requested(u)) for u in ("a@x", "c@x", "a@x", "b@x", "d@x", "b2@x")]
    assert taken == [False, False, False, True, False, True]
    assert (some.seen, some.matched) == ({"b@x": None}, True)
    assert some.names(requested("")) is False and some.names(None) is False
    nobody = Filters(wants=lambda upn: False)
    assert [nobody.names(requested(u)) for u in ("a@x", "c@x", "a@x")] == [False, False, False]
    assert (list(nobody.seen), nobody.matched) == (["a@x", "c@x"], False)


def test_the_users_held_for_a_suggestion_are_the_first_so_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A log of 182,000 users and a `--user` that matches none: all were held (112 MB)."""
    from logsync.events import UserAddRequested
    from logsync.selection import Filters

    monkeypatch.setattr("logsync.selection.HELD_NAMES", 2)
    nobody = Filters(wants=lambda upn: upn.startswith("z"))
    names = ("a@x", "b@x", "a@x", "c@x", "d@x")
    assert [nobody.names(UserAddRequested(u)) for u in names] == [False] * 5
    assert (list(nobody.seen), nobody.matched) == (["a@x", "b@x"], False)
    assert nobody.names(UserAddRequested("z@x")) is True  # (taken past the bound too)
    assert (nobody.seen, nobody.matched) == ({"z@x": None}, True)


@pytest.mark.parametrize("native", [True, False])
@pytest.mark.parametrize("users", [(), ("bob*",)])
def test_messages_forgotten_and_read_again_give_the_same_lines(
    native: bool, users: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pieces of the lines of at most so many messages are held (a log of many users
    has a new message on every line): forgotten, a message is worked out again."""
    read_in_blocks(monkeypatch, 1 << 12, native)
    monkeypatch.setattr("logsync.render.smslines._MESSAGES_HELD", 3)
    path = str(DEMO)
    assert filtered_fast(path, None, None, users) == filtered_plain(path, None, None, users)
    for form in ("csv", "text"):
        assert form_fast(path, form, users=users) == form_plain(path, form, users=users)


@pytest.mark.parametrize("native", [True, False])
@pytest.mark.parametrize("users", [("bob*",), ("*@contoso.com",), ("nobody",), ("carol@contoso.com", "heidi*")])
@pytest.mark.parametrize("kinds", [None, frozenset({"user_add_failed"})])
def test_users_on_the_fast_path_are_those_the_event_stream_keeps(
    native: bool, users: tuple[str, ...], kinds: frozenset[str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in_blocks(monkeypatch, 1 << 12, native)
    path = str(DEMO)
    written = filtered_fast(path, "2026-11-24T12:00", None, users, kinds)
    assert written == filtered_plain(path, "2026-11-24T12:00", None, users, kinds)


@pytest.mark.parametrize("native", [True, False])
def test_filters_on_a_log_pasted_in_the_wrong_order_match_the_event_stream(
    native: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in_blocks(monkeypatch, 1 << 11, native)
    path = str(swapped_demo(tmp_path))
    for since, until in BOUNDS:
        assert filtered_fast(path, since, until, ("bob*",)) == filtered_plain(path, since, until, ("bob*",))


@FILTER_FUZZ
@given(
    lines=TRACE_LINES,
    block=BLOCKS,
    source_tz=SOURCE_ZONES,
    since=st.sampled_from([None, "2026-06-15", "2026-06-15T12:00:00.480+02:00", "now-3650d"]),
    until=st.sampled_from([None, "2026-06-15T12:00", "2026-09-01T00:00:00+00:00"]),
    users=st.sampled_from([(), ("scott*",), ("nobody",)]),
    kinds=st.sampled_from([None, frozenset({"user_add_failed", "unparsed"})]),
    native=st.booleans(),
)
def test_any_sms_trace_text_with_any_filter_gives_what_the_event_stream_keeps(
    lines: list[str],
    block: int,
    source_tz: timezone | ZoneInfo | None,
    since: str | None,
    until: str | None,
    users: tuple[str, ...],
    kinds: frozenset[str] | None,
    native: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_blocks(monkeypatch, block, native)
    path, options = trace_file(tmp_path, lines, source_tz)
    same_or_same_error(
        lambda: filtered_plain(str(path), since, until, users, kinds, options),
        lambda: filtered_fast(str(path), since, until, users, kinds, options),
    )


# -- csv and text ride the same fast path -------------------------------------------------------


def form_plain(path: str, form: str, options: ReadOptions = AS_LOGGED,
               since: str | None = None, users: tuple[str, ...] = (),
               kinds: frozenset[str] | None = None) -> str:
    """The reference: the event stream, the filters, then the printer of the format."""
    from logsync.render import machine
    from logsync.selection import Filters

    events = Filters(bounds_of(since, None), wants_of(users), kinds).kept(EventStream([path], options))
    out = io.StringIO()
    if form == "csv":
        machine.write_csv(machine.EVENT_COLUMNS, machine.event_rows(events, Display()), out)
    else:
        machine.write_text_rows(machine.event_text_rows(events, Display()), out)
    return out.getvalue()


def form_fast(path: str, form: str, options: ReadOptions = AS_LOGGED,
              since: str | None = None, users: tuple[str, ...] = (),
              kinds: frozenset[str] | None = None) -> str:
    from logsync.selection import Filters

    out = io.StringIO()
    write_runs_events([(path, InputStats(path), None)], options, out, Display(), form, kinds,
                      filters=Filters(bounds_of(since, None), wants_of(users)))
    return out.getvalue()


@pytest.mark.parametrize("native", [True, False])
@pytest.mark.parametrize("form", ["csv", "text"])
@pytest.mark.parametrize(
    "sample", ["CloudUserSync.log", "restart-day/smsexec.log", "pasted/ticket.txt", "cmtrace/CloudUserSync.log"]
)
def test_csv_and_text_of_the_samples_are_what_their_printers_write(
    native: bool, form: str, sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in_blocks(monkeypatch, 1 << 12, native)
    path = str(SAMPLES / sample)
    written = form_fast(path, form)
    assert written == form_plain(path, form)
    assert written.count("\n") >= 4  # (smsexec.log holds 4 records)


def test_csv_of_the_demo_log_begins_with_its_header_and_first_record() -> None:
    lines = form_fast(str(DEMO), "csv").splitlines()
    assert lines[0] == ",".join(
        ["kind", "time", "source", "line", "component", "thread", "severity", "text", "upn",
         "reason", "mode", "received", "added", "removed", "thread_id", "minutes",
         "raise_failure_status", "id", "sev", "status_component", "problem"]
    )
    assert lines[1] == (
        f"component_started,2026-11-24T06:59:55.211-08:00,{DEMO},1,SMS_CLOUD_USERSYNC,3604,info,"
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).,,,,,,,5616,,,,,,"
    )
    text = form_fast(str(DEMO), "text").splitlines()
    assert text[0] == (
        f"2026-11-24T06:59:55.211-08:00\tcomponent_started\t{DEMO}:1\tSMS_CLOUD_USERSYNC\t3604\t"
        "info\tSMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0)."
    )


@FILTER_FUZZ
@given(
    lines=TRACE_LINES,
    block=BLOCKS,
    source_tz=SOURCE_ZONES,
    form=st.sampled_from(["csv", "text"]),
    since=st.sampled_from([None, "2026-06-15"]),
    users=st.sampled_from([(), ("scott*",)]),
    kinds=st.sampled_from([None, frozenset({"user_add_failed", "unparsed"})]),
    native=st.booleans(),
    name=st.sampled_from(["CloudUserSync.log", "a,b \"c\".log"]),
)
def test_any_sms_trace_text_gives_the_printers_csv_and_text(
    lines: list[str],
    block: int,
    source_tz: timezone | ZoneInfo | None,
    form: str,
    since: str | None,
    users: tuple[str, ...],
    kinds: frozenset[str] | None,
    native: bool,
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_blocks(monkeypatch, block, native)
    path, options = trace_file(tmp_path, lines, source_tz, name)
    same_or_same_error(
        lambda: form_plain(str(path), form, options, since, users, kinds),
        lambda: form_fast(str(path), form, options, since, users, kinds),
    )


@pytest.mark.parametrize("form", ["ndjson", "csv", "text", "json"])
def test_a_user_of_another_kind_than_those_asked_for_is_no_unknown_user(form: str) -> None:
    from typer.testing import CliRunner

    from logsync.cli import app

    result = CliRunner().invoke(
        app, ["events", "--format", form, "--kind", "sync_started", "--user", "bob@contoso.com", str(DEMO)]
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == ("[]\n" if form == "json" else "kind,time,source,line,component,thread,severity,text,upn,reason,mode,received,added,removed,thread_id,minutes,raise_failure_status,id,sev,status_component,problem\n" if form == "csv" else "")
    nobody = CliRunner().invoke(app, ["events", "--format", form, "--user", "zoe@example.org", str(DEMO)])
    assert nobody.stderr == "logsync: --user zoe@example.org matches no user of the log\n"


@pytest.mark.parametrize("form", ["csv", "json"])
def test_nothing_is_written_before_an_input_is_found_unreadable(form: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from logsync.cli import app

    other = tmp_path / "other.log"
    other.write_text("not a log line at all\n" * 3)
    result = CliRunner().invoke(app, ["events", "--format", form, str(other)])
    assert (result.exit_code, result.stdout) == (2, "")


CELL_TEXT = st.text(alphabet=st.sampled_from(list('ab 1,"\n\r\t=+-@\x1b\u202e\xe9'))) | st.text()


@given(
    values=st.lists(
        st.none() | CELL_TEXT | st.integers() | st.booleans() | st.floats(),
        min_size=2,
        max_size=16,
    )
)
def test_a_csv_line_joined_without_the_csv_writer_is_the_writer_s(values: list[object]) -> None:
    """The CSV of a distinct message (every line, of a log of many users) is joined as plain
    text where no cell needs quoting: byte for byte what the CSV writer writes, escapes and
    formula marks and all, whatever the cells hold (commas, quotes, line breaks, numbers)."""
    form = CsvForm("x.log", Display())
    assert form._row(values) == form._cells(values)


def test_a_csv_line_with_a_comma_or_a_quote_in_a_cell_is_quoted() -> None:
    form = CsvForm("x.log", Display())
    assert form._row(["info", 'a "b"', 1, None]) == 'info,"a ""b""",1,'
    assert form._row(["info", "a, b", None, True]) == 'info,"a, b",,true'  # (as text and JSON)
    assert form._row(["info", "=1+2", None, 2.5]) == "info,'=1+2,,2.5"
