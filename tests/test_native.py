"""The native scanner (logsync/_scan.c) against the pure-Python code it accelerates.

Chunk by chunk, the native scanner must return exactly the rows and counts of the pure reader,
and its JSON writer exactly the lines of the pure NDJSON writer, or decline the chunk (None)
for one of the reasons they document: text that is not one byte per
character, or a record without a bias while the zone given for such records has daylight
saving. Whole logs must give identical conclusions and events either way.

LOGSYNC_FUZZ_EXAMPLES raises the number of generated examples (CI's sanitizer run does).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logsync import __version__, accel, analyze
from logsync.bounds import Cutoff
from logsync.chunks import RowReader as _RowReader
from logsync.chunks import native_scanned
from logsync.errors import UsageError
from logsync.formats import ParseContext, framed, sms
from logsync.health import HealthCollector
from logsync.merge import BackwardJump
from logsync.render import Display
from logsync.render.eventlines import CsvForm, LineForm, TextForm
from logsync.render.smslines import SmsLines
from logsync.rowspec import LOCATED_KINDS, RowSpec
from logsync.sources import InputStats
from logsync.times import WallClock, micros
from logsync.tracker import CYCLE_OPENINGS, TRACKED_KINDS

from .conftest import LOGSYNC, REAL_LOGS, SAMPLES
from .test_bulk import conclusions

try:
    from logsync import _scan  # type: ignore[attr-defined]
except ImportError:  # .ci/run checks that it is built, so CI never skips these
    _scan = None

needs_native = pytest.mark.skipif(_scan is None, reason="the native scanner is not built")
EXAMPLES = int(os.environ.get("LOGSYNC_FUZZ_EXAMPLES", "300"))
fuzz = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def reader(
    kinds: frozenset[str] = TRACKED_KINDS,
    source_tz: tzinfo | None = None,
    cutoff: datetime | None = None,
    messages: bool = False,
    located: frozenset[str] = LOCATED_KINDS,
    after_start: frozenset[str] = frozenset(),
) -> _RowReader:
    spec = RowSpec(
        kinds,
        located=located,
        messages=HealthCollector().messages if messages else None,
        cutoff=None if cutoff is None else Cutoff(cutoff),
        after_start=after_start,
    )
    return _RowReader("x.log", spec, ParseContext(InputStats("x.log"), source_tz))


def pure(text: str, first_line: int, read: _RowReader, last: int | None = None) -> Any:
    """What the pure reader makes of a chunk after a record at `last`: (rows, records, blank
    lines, left out, last instant, line where time goes back, latest record) or None."""
    read._native = None
    read._last = last
    return read.scan(text, first_line)


def native(text: str, first_line: int, read: _RowReader, last: int | None = None) -> Any:
    # the reader's own config, also when LOGSYNC_PURE keeps the reader from using it
    scanned = _scan.scan_rows(text, first_line, read._native_config(read.kinds), last)
    return None if scanned is None else native_scanned(scanned, read.ctx.source_tz)


def allowed_to_decline(text: str, source_tz: tzinfo | None) -> bool:
    """The reasons the native scanner documents for leaving a chunk to the pure reader."""
    if any(ord(char) > 0xFF for char in text):
        return True
    daylight = source_tz is not None and not isinstance(source_tz, timezone)
    return daylight and any(
        sms.looks_like(line) and sms._RECORD_RE.match("\n" + line + "\n").group(6) is None  # type: ignore[union-attr]
        for line in text.split("\n")
        if line
    )


def assert_same_chunk(
    text: str,
    first_line: int = 1,
    kinds: frozenset[str] = TRACKED_KINDS,
    source_tz: tzinfo | None = None,
    last: int | None = None,
    **options: Any,
) -> Any:
    try:
        expected = pure(text, first_line, reader(kinds, source_tz, **options), last)
    except UsageError:  # a cutoff with an offset and a record with none: the pure path says so
        expected = "refused"
    got = native(text, first_line, reader(kinds, source_tz, **options), last)
    if got is None:
        assert expected in (None, "refused") or allowed_to_decline(text, source_tz), (
            text, expected,
        )
    else:
        assert got == expected
        # the payloads are the catalogue's own types, not look-alike tuples
        assert [type(row[3]) for row in got[0]] == [type(row[3]) for row in expected[0]]
    return got


# -- the trailer, field by field ------------------------------------------------------------

MONTHS = ["1", "01", "9", "09", "10", "12", "0", "00", "13", "1 ", "001", "٠1", "", "a"]
DAYS = ["1", "01", "9", "28", "29", "30", "31", "32", "0", "00", "001", "3"]
YEARS = ["2026", "2024", "2100", "2000", "0000", "0001", "9999", "202", "20260", "19x9"]
CLOCKS = ["0:00", "9:05", "09:05", "19:59", "23:59", "24:00", "20:60", "2:5", "023:00", "ab:00"]
SECONDS = ["00", "59", "60", "5", "005", "5x"]
FRACTIONS = ["", ".0", ".123", ".1234567", ".12345678", ".", ".1a", ".000001", ".9999999"]
BIASES = ["", "+0", "-0", "+240", "-330", "+999", "+1000", "+1439", "+1440", "-1439", "+0999",
          "+12345", "+", "-", "+ 1", "*240"]
THREADS = ["5616", "0", "1234567890", "12345678901", "", "56 16"]
HEX = ["", " (0x15F0)", "(0x15F0)", " (15F0)", " (0x)", " (0x0)", " (0xG)", "  (0x1)",
       " (0x" + "F" * 16 + ")", " (0x" + "F" * 17 + ")", " (" + "f" * 16 + ")", " (0X1)", " ()"]
COMPONENTS = ["SMS_CLOUD_USERSYNC", "", "a<b", "a>b", "$$<", "SMS EXEC"]


@st.composite
def trailers(draw: st.DrawFn) -> str:
    component = draw(st.sampled_from(COMPONENTS))
    date = f"{draw(st.sampled_from(MONTHS))}-{draw(st.sampled_from(DAYS))}-{draw(st.sampled_from(YEARS))}"
    clock = f"{draw(st.sampled_from(CLOCKS))}:{draw(st.sampled_from(SECONDS))}"
    stamp = clock + draw(st.sampled_from(FRACTIONS)) + draw(st.sampled_from(BIASES))
    thread = draw(st.sampled_from(THREADS)) + draw(st.sampled_from(HEX))
    tail = draw(st.sampled_from(["", "", "", " ", "x", ">"]))
    return f"$$<{component}><{date} {stamp}><thread={thread}>{tail}"


MESSAGES = [
    "NotifyAccountAddition - SCCM user to add = carol@contoso.com",
    "NotifyAccountAddition - SCCM user to add =carol@contoso.com  ",
    "NotifyAccountAddition  - SCCM user to add = carol@contoso.com",
    "NotifyAccountAddition - SCCM user to add = ",
    "NotifyAccountAddition - SCCM user to add = a b\tc",
    "  NotifyAccountAddition - SCCM user to add = Ünïcode@contoso.com",
    "~NotifyAccountAddition - SCCM user to add = x@y",
    "Failed to add user carol@contoso.com; reason UserNotFound",
    "Failed to add user a;b@c; reason X; reason UserNotFound",
    "Failed to add user x ; reason   LicenseLimitReached extra words",
    "Failed to add user ; reason UserNotFound",
    "Failed to add user  x; reason Y",
    "Failed to add user x; reasonY",
    "Failed to add user x; reason ",
    "Failed to add user x;reason Y",
    "Failed to add user x\t; reason Y",
    "Failed to add user x~y; reason Y",
    # (the marks a ticket puts around a UPN or a reason, taken off: see `decoration`)
    "NotifyAccountAddition - SCCM user to add = **carol@contoso.com**",
    "NotifyAccountAddition - SCCM user to add = ** `",
    "Failed to add user `carol@contoso.com`; reason **UserNotFound**.",
    "Failed to add user *; reason ...",
    "Failed to add user ** x **; reason 'UserNotFound'? more",
    "Starting user delta sync, raise failure status messages = True",
    "Starting user full sync, raise failure status messages = FALSE",
    "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 1",
    "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).",
    "CCloudUserSync::Process - User sync processing has started.",
    'STATMSG: ID=500 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" TID=5616',
    "Certmgr has not installed certificate yet, sleep for 5 minutes",
    "Successfully removed users from cloud 0",
    "Total received users from SCCM to be removed from cloud = 0",
    "Successfully removed users from cloud x",
    "User delta sync failed with error 0x80004005",
    "Skipping user with empty user principal name",
    "",
    "$$<",
    "a $$<b",
    "quoted $$<SMS_CLOUD_USERSYNC><$$<SMS_CLOUD_USERSYNC><",
    "$$<SMS_CLOUD_USERSYNC>< and $$<SMS_CLOUD_USERSYNC>",
    "\x00\x1b[31m",
]


@needs_native
@pytest.mark.parametrize("mark", ["", "$", "$$", "$$$"])
@pytest.mark.parametrize("before", ["$$<", "$$$<", "a$$<b", "$", "$$<B"])
def test_the_trailer_s_marker_is_found_at_every_distance_from_the_line_s_end(
    mark: str, before: str
) -> None:
    """The native reader looks for the trailer's `$$<` from the line's end, eight bytes at a
    time: at every distance from the end (a component of 1 to 24 characters), with a `$` in
    the component and a `$$<` in the message, it finds the last one, as the pure reader; a
    `$$<` and a component's first character in the message is a record cut short before it
    (`sms.glued`): declined, for the pure reader to split."""
    message = f"NotifyAccountAddition - SCCM user to add = carol{before}@contoso.com"
    for length in range(1, 25):
        component = ("C" * length + mark)[-length:] if mark else "C" * length
        trailer = f"$$<{component}><11-24-2026 07:40:08.392+240><thread=5616 (0x15F0)>"
        got = assert_same_chunk(f"\n{message}  {trailer}\n", kinds=frozenset())
        if sms.is_glued(message):
            assert got is None, component
        else:
            assert got is not None and got[1] == 1, component  # (one record, read natively)


@st.composite
def lines(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["record", "record", "record", "fuzzed", "blank", "junk"]))
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "\t", " \f\v ", " x"]))
    if kind == "junk":
        return draw(st.text(st.characters(max_codepoint=0x2FF, exclude_characters="\n\r"), max_size=40))
    message = draw(st.sampled_from(MESSAGES))
    if kind == "fuzzed":
        message = draw(st.text(st.characters(max_codepoint=0xFF, exclude_characters="\n\r"), max_size=30)) + message
        trailer = draw(trailers())
    else:
        bias = draw(st.sampled_from(["+240", "-60", "", "+0"]))
        trailer = f"$$<SMS_CLOUD_USERSYNC><11-24-2026 07:40:08.392{bias}><thread=5616 (0x15F0)>"
    return message + draw(st.sampled_from(["  ", "", " \t"])) + trailer


ZONES = [None, timezone(timedelta(hours=2)), timezone.utc, ZoneInfo("America/New_York")]


CUTOFFS = [
    None,
    datetime(2026, 11, 24, 7, 40, 8, 392000),  # no offset: each record's wall clock
    datetime(2026, 11, 24, 7, 40, 8, 391000),
    datetime(2026, 11, 24, 11, 40, 8, 392000, tzinfo=timezone.utc),  # 07:40:08.392 at +240
    datetime(2026, 11, 24, 8, 40, 8, 391000, tzinfo=timezone.utc),
    WallClock(2026, 11, 24, 7, 40, 8, 392000, tzinfo=timezone(timedelta(hours=-4))),
]


@needs_native
@fuzz
@given(
    chunk=st.lists(lines(), min_size=1, max_size=12),
    first_line=st.integers(min_value=1, max_value=10**9),
    source_tz=st.sampled_from(ZONES),
    kinds=st.sampled_from([TRACKED_KINDS, frozenset({"user_add_failed"}), frozenset({"message"})]),
    cutoff=st.sampled_from(CUTOFFS),
    messages=st.booleans(),
    located=st.sampled_from([LOCATED_KINDS, LOCATED_KINDS | {"user_add_requested", "message"}]),
    # the instant of the record before the chunk: none, or around the generated records' times
    last=st.one_of(st.none(), st.integers(1_795_400_000_000_000, 1_795_700_000_000_000)),
    after_start=st.sampled_from([frozenset(), CYCLE_OPENINGS, frozenset({"users_removed"})]),
)
def test_generated_chunks_give_the_pure_reader_s_rows(
    chunk: list[str],
    first_line: int,
    source_tz: tzinfo | None,
    kinds: frozenset[str],
    cutoff: datetime | None,
    messages: bool,
    located: frozenset[str],
    last: int | None,
    after_start: frozenset[str],
) -> None:
    assert_same_chunk(
        framed("\n".join(chunk)), first_line, kinds, source_tz,
        cutoff=cutoff, messages=messages, located=located, last=last, after_start=after_start,
    )


@pytest.mark.parametrize("scanner", ["native", "pure"])
def test_removal_lines_are_read_only_where_no_cycle_start_comes_just_before(scanner: str) -> None:
    """A cycle's removal lines follow its start: the tracker needs them only where an excerpt
    leaves the start out (`RowSpec.after_start`), so both readers leave out those that follow a
    start, or each other, among the rows: here the first two. After a name or a totals line
    they are kept (the first of a pair): a cycle whose start is left out begins there."""
    if scanner == "native" and _scan is None:
        pytest.skip("the native scanner is not built")
    stamp = "$$<SMS_CLOUD_USERSYNC><11-24-2026 07:40:08.392+240><thread=5616 (0x15F0)>"
    removal = ["Total received users from SCCM to be removed from cloud = 0", "Successfully removed users from cloud 0"]
    messages = [
        "Starting user delta sync, raise failure status messages = True", *removal,
        "NotifyAccountAddition - SCCM user to add = a@x.com", *removal,
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
        removal[1], "Skipping user with empty user principal name", removal[0],
    ]
    text = framed("\n".join(f"{m}  {stamp}" for m in messages))
    read = reader(after_start=CYCLE_OPENINGS)
    got = native(text, 1, read) if scanner == "native" else pure(text, 1, read)
    assert [row[2] for row in got[0]] == [
        "sync_started", "user_add_requested", "remove_totals", "add_totals", "users_removed",
    ]
    without = reader()  # (as `events` and the summary read them: every one, but the message)
    assert len((native(text, 1, without) if scanner == "native" else pure(text, 1, without))[0]) == 9


def ndjson_writer(
    kinds: frozenset[str] | None, source_tz: tzinfo | None, form: str = "json"
) -> SmsLines:
    ctx = ParseContext(InputStats("x.log"), source_tz)
    pieces = {
        "json": LineForm("x.log", Display()),
        "csv": CsvForm("x,y.log", Display()),
        "plain name csv": CsvForm("x.log", Display()),
        "text": TextForm("x.log", Display()),
    }[form]
    return SmsLines("x.log", kinds, ctx, pieces)


@needs_native
@fuzz
@given(
    chunk=st.lists(lines(), min_size=1, max_size=12),
    first_line=st.integers(min_value=1, max_value=10**9),
    source_tz=st.sampled_from(ZONES),
    kinds=st.sampled_from([None, frozenset({"user_add_failed"}), frozenset({"message"})]),
    form=st.sampled_from(["json", "csv", "plain name csv", "text"]),
)
def test_generated_chunks_give_the_pure_writer_s_lines(
    chunk: list[str],
    first_line: int,
    source_tz: tzinfo | None,
    kinds: frozenset[str] | None,
    form: str,
) -> None:
    text = framed("\n".join(chunk))
    records = sms.RECORD_PARTS_RE.findall(text)
    pure_writer = ndjson_writer(kinds, source_tz, form)
    expected = (
        pure_writer._fast(records, first_line)
        if len(records) == text.count("\n") - 1 and not sms.glued_in(text, records)
        else None
    )  # (as `_written`: a record cut short before the next on its line is read the plain way)
    native_writer = ndjson_writer(kinds, source_tz, form)
    got = _scan.ndjson_lines(text, first_line, native_writer._native_config())
    if got is None:  # (CSV and text are not escaped: a chunk that is not ASCII is declined)
        not_ascii = form != "json" and any(ord(char) > 0x7F for char in text)
        assert expected is None or allowed_to_decline(text, source_tz) or not_ascii, (text, expected)
    else:
        assert got == (expected, len(records))


@needs_native
def test_the_json_writer_s_config_is_checked() -> None:
    text = framed("x  $$<C><1-1-2026 0:00:00><thread=1>")
    good = ndjson_writer(None, None)._native_config()
    for index, bad in [(0, []), (2, None), (4, 0), (5, b"x"), (6, None), (7, 1)]:
        with pytest.raises(TypeError):
            _scan.ndjson_lines(text, 1, (*good[:index], bad, *good[index + 1 :]))
    with pytest.raises(TypeError):
        _scan.ndjson_lines(text, 1, good[:7])
    with pytest.raises(TypeError):  # parts that are not (head, after_time, tail)
        _scan.ndjson_lines(text, 1, ({}, lambda message: ("x", "y"), *good[2:]))
    # a piece that is not ASCII: the chunk is left to the pure writer
    assert _scan.ndjson_lines(text, 1, ({}, lambda message: ("é", "x", "y"), *good[2:])) is None
    assert _scan.ndjson_lines(text, 1, ({}, lambda message: ("x", "y", "z"), *good[2:5], "é", *good[6:])) is None


@needs_native
@fuzz
@given(st.binary(max_size=300) | st.lists(st.sampled_from([b"\r", b"\n", b"a", b" ", b"\xe9", b"\xc3\xa9"])).map(b"".join))
def test_ascii_lines_give_the_pure_decoder_s_text(data: bytes) -> None:
    """The native folding of line breaks in ASCII bytes (decoding.LineDecoder's fast step)."""
    from logsync.decoding import _text

    text = _scan.ascii_lines(data)
    if data.isascii():
        assert text == _text(data)
    else:
        assert text is None


@needs_native
def test_the_c_library_keeps_freed_memory_where_it_is_glibc() -> None:
    """The command line asks for it once (a large log's blocks reuse what the one before
    freed); only glibc's allocator is told, elsewhere the call does nothing and says so (as
    under AddressSanitizer, whose allocator takes the settings and ignores them)."""
    import platform

    own = "libasan" not in os.environ.get("LD_PRELOAD", "")
    assert _scan.keep_freed_memory() is (platform.libc_ver()[0] == "glibc" and own)


@needs_native
@fuzz
@given(
    st.lists(st.sampled_from([b"\r", b"\n", b"ab", b" ", b"\xe9"])).map(b"".join),
    st.lists(st.sampled_from([b"\r", b"\n", b"abcdefg", b"\xe9"])).map(b"".join),
    st.integers(min_value=-1, max_value=80),
)
def test_ascii_lines_of_a_head_and_data_up_to_an_end_are_those_of_the_bytes_joined(
    head: bytes, data: bytes, end: int
) -> None:
    """The line decoder gives the start of a line kept from the bytes before as `head`, and
    cuts the data at its last break by `end`: the text is that of head + data[:end] (a CR at
    the head's end and an LF at the data's start are one break)."""
    from logsync.decoding import _text

    joined = head + data[: len(data) if end < 0 else end]
    text = _scan.ascii_lines(data, end, head)
    assert text == (_text(joined) if joined.isascii() else None)
    assert _text(data, None if end < 0 else end, head) == _text(joined)


@needs_native
@pytest.mark.parametrize("length", [7, 8, 9, 16, 17, 24])
@pytest.mark.parametrize("odd", [b"\r", b"\r\n", b"\r\r", b"\n\r", b"\x80", b"\xff"])
def test_ascii_lines_at_every_place_of_an_eight_byte_word(length: int, odd: bytes) -> None:
    """The native pass reads eight bytes at a time: a CR, a CRLF or a byte that is not ASCII
    at every place of a word, and at the data's end, is found as the pure decoder finds it."""
    from logsync.decoding import _text

    for at in range(length + 1):
        data = b"x" * at + odd + b"y" * (length - at)
        expected = _text(data) if data.isascii() else None
        assert _scan.ascii_lines(data) == expected, (at, data)


@needs_native
@fuzz
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_the_pure_reader_s_answer(data: bytes) -> None:
    text = framed(data.decode("latin-1"))
    assert_same_chunk(text)


@needs_native
@pytest.mark.parametrize(
    ("trailer", "is_record"),
    [
        ("<11-24-2026 07:40:08.392+480><thread=5616 (0x15F0)>", True),
        ("<1-1-2026 0:00:00><thread=1>", True),
        ("<02-29-2024 23:59:59.9999999-1439><thread=1234567890(ffffffffffffffff)>", True),
        ("<02-29-2026 00:00:00><thread=1>", False),  # no such day
        ("<04-31-2026 00:00:00><thread=1>", False),
        ("<02-29-2100 00:00:00><thread=1>", False),
        ("<02-29-2000 00:00:00><thread=1>", True),
        ("<01-01-0000 00:00:00><thread=1>", False),
        ("<12-31-9999 23:59:59+1439><thread=1>", False),  # out of range: years 2 to 9998
        ("<12-31-9998 23:59:59+1439><thread=1>", True),
        ("<01-01-0001 00:00:00-1439><thread=1>", False),
        ("<01-01-0002 00:00:00-1439><thread=1>", True),
        ("<13-01-2026 00:00:00><thread=1>", False),
        ("<00-01-2026 00:00:00><thread=1>", False),
        ("<01-01-2026 24:00:00><thread=1>", False),
        ("<01-01-2026 00:60:00><thread=1>", False),
        ("<01-01-2026 00:00:60><thread=1>", False),
        ("<01-01-2026 00:00:00.><thread=1>", False),
        ("<01-01-2026 00:00:00.12345678><thread=1>", False),
        ("<01-01-2026 00:00:00+1440><thread=1>", False),
        ("<01-01-2026 00:00:00+0999><thread=1>", False),
        ("<01-01-2026 00:00:00+999><thread=1>", True),
        ("<01-01-2026 00:00:00><thread=12345678901>", False),
        ("<01-01-2026 00:00:00><thread=1 (0x)>", False),
        ("<01-01-2026 00:00:00><thread=1 (0x1)>", True),
        ("<01-01-2026 00:00:00><thread=1 (0X1)>", False),
        ("<01-01-2026 00:00:00><thread=1  (0x1)>", False),
        ("<01-01-2026 00:00:00><thread=1 (0x" + "a" * 17 + ")>", False),
        ("<01-01-2026 00:00:00><thread=1>x", False),
        ("<01-٠1-2026 00:00:00><thread=1>", False),
    ],
)
def test_each_rule_of_the_trailer(trailer: str, is_record: bool) -> None:
    line = "Failed to add user a@b; reason UserNotFound  $$<SMS_CLOUD_USERSYNC>" + trailer
    text = framed(line)
    assert (sms.count_records(text) is not None) == is_record
    got = assert_same_chunk(text)
    if "٠" not in trailer:
        assert (got is not None) == is_record


def test_the_earliest_record_a_cutoff_leaves_out_is_told_with_its_zone() -> None:
    """`--now` without an offset keeps records by their clock; the earliest one it leaves out,
    by instant (threads write a little out of order), comes back with its zone, so that where
    the log's offset changed just after T, which offset T is in can be told (`bounds.zone_at`)."""
    text = "\n" + "\n".join(
        f"Successfully removed users from cloud 0  $$<SMS_CLOUD_USERSYNC><{stamp}><thread=5616 (0x15F0)>"
        for stamp in (
            "03-14-2027 01:55:09.100+480",
            "03-14-2027 03:00:09.300+420",
            "03-14-2027 03:00:09.200+420",
            "03-14-2027 03:05:09.100+420",
        )
    ) + "\n"
    scanned = assert_same_chunk(text, cutoff=datetime(2027, 3, 14, 2, 30))
    assert scanned[3] == 3
    us, zone = scanned[8]
    assert (us, zone) == (micros(datetime(2027, 3, 14, 10, 0, 9, 200000, tzinfo=timezone.utc)), timezone(timedelta(hours=-7)))
    assert assert_same_chunk(text)[8] is None  # (no cutoff: none left out)


@needs_native
def test_a_failure_s_row_carries_its_line_and_the_utc_instant() -> None:
    text = framed(
        "Starting user delta sync, raise failure status messages = True  "
        "$$<SMS_CLOUD_USERSYNC><11-24-2026 07:40:08.392+480><thread=5616 (0x15F0)>\n"
        "Failed to add user carol@contoso.com; reason UserNotFound  "
        "$$<SMS_CLOUD_USERSYNC><11-24-2026 07:40:08.529-60><thread=5616 (0x15F0)>"
    )
    rows, records, blank, left_out, last, jump, latest, connector, out = assert_same_chunk(text, first_line=41)
    assert (records, blank, left_out, connector, out) == (2, 0, 0, 2, None)
    # the second record is 9 hours before the first: time goes back at line 42, and the first
    # record is the latest
    assert (last, jump) == (1_795_502_408_529_000, 42)
    assert (latest[0], str(latest[1])) == (1_795_534_808_392_000, "UTC-08:00")
    started, failed = rows
    # UTC = local + bias: 07:40:08.392 + 8 h, and 07:40:08.529 - 1 h
    assert started[0] == 1_795_534_808_392_000 and started[5] == 41
    assert failed[0] == 1_795_502_408_529_000 and failed[5] == 42
    assert failed[2:4] == ("user_add_failed", ("carol@contoso.com", "UserNotFound"))
    assert str(failed[1]) == "UTC+01:00"


def test_rows_of_one_message_keep_their_own_lines_among_blank_lines() -> None:
    """A chunk with blank lines: each row whose line is kept is found after the one before it,
    also where two records carry the same message (every cycle starts with the same line)."""
    started = "Starting user delta sync, raise failure status messages = True  $$<SMS_CLOUD_USERSYNC>"
    failed = "Failed to add user carol@contoso.com; reason UserNotFound  $$<SMS_CLOUD_USERSYNC>"
    text = framed(
        "\n".join(
            [
                started + "<11-24-2026 07:40:08.392+480><thread=5616 (0x15F0)>",
                "",
                started + "<11-24-2026 07:45:08.392+480><thread=5616 (0x15F0)>",
                " \t",
                "NotifyAccountAddition - SCCM user to add = carol@contoso.com  "
                "$$<SMS_CLOUD_USERSYNC><11-24-2026 07:45:08.401+480><thread=5616 (0x15F0)>",
                failed + "<11-24-2026 07:45:08.529+480><thread=5616 (0x15F0)>",
                failed + "<11-24-2026 07:45:09.000+480><thread=5616 (0x15F0)>",
            ]
        )
    )
    expected = pure(text, 10, reader(TRACKED_KINDS))
    assert expected[1:3] == (5, 2)  # records, blank lines
    assert [(row[2], row[5]) for row in expected[0]] == [
        ("sync_started", 10),
        ("sync_started", 12),
        ("user_add_requested", 0),  # (a kind whose line is not kept)
        ("user_add_failed", 15),
        ("user_add_failed", 16),
    ]
    if accel.native is not None:
        assert native(text, 10, reader(TRACKED_KINDS)) == expected


STARTED_AT = (
    "Starting user delta sync, raise failure status messages = True  "
    "$$<SMS_CLOUD_USERSYNC><{}><thread=5616 (0x15F0)>"
)


def scanning(read: _RowReader, scanner: str) -> _RowReader:
    """The reader with the scanner it reads with: the native one or the pure one, whatever
    LOGSYNC_PURE says (the native branch of `RowReader.scan` is tested in both CI runs)."""
    if scanner == "native":
        if _scan is None:
            pytest.skip("the native scanner is not built")
        read._native = _scan
        read._config = read._native_config(read.kinds)
    else:
        read._native = None
    return read


@pytest.mark.parametrize("scanner", ["native", "pure"])
def test_time_going_back_from_one_chunk_to_the_next_is_seen(scanner: str) -> None:
    """The instant of a chunk's last record is carried to the next chunk: a file read whole
    raises BackwardJump there; a followed live log reads on and is told the line."""
    later = framed(STARTED_AT.format("11-24-2026 07:45:08.392+480"))
    earlier = framed(STARTED_AT.format("11-24-2026 07:40:08.392+480"))
    read = scanning(reader(TRACKED_KINDS), scanner)
    read.chunk_rows(later, 1)
    with pytest.raises(BackwardJump):
        read.chunk_rows(earlier, 2)
    jumps: list[int] = []
    spec, ctx = RowSpec(TRACKED_KINDS), ParseContext(InputStats("x.log"), None)
    live = scanning(_RowReader("x.log", spec, ctx, one_run=False, on_jump=jumps.append), scanner)
    live.chunk_rows(later, 1)
    assert [row[5] for row in live.chunk_rows(earlier, 2)] == [2]
    assert jumps == [2]


@pytest.mark.parametrize("scanner", ["native", "pure"])
def test_the_latest_record_without_a_bias_ends_the_input_in_the_source_zone(
    scanner: str,
) -> None:
    """Records with no bias read in --source-tz: the input ends at its latest record (here the
    first), in that zone."""
    zone = timezone(timedelta(hours=-7))
    read = scanning(reader(TRACKED_KINDS, zone), scanner)
    read.chunk_rows(
        framed(
            STARTED_AT.format("11-24-2026 07:40:08.392")
            + "\nFailed to add user carol@contoso.com; reason UserNotFound  "
            "$$<SMS_CLOUD_USERSYNC><11-24-2026 07:40:08.100><thread=5616 (0x15F0)>"
        ),
        1,
    )
    assert read.ctx.stats.last_time == datetime(2026, 11, 24, 7, 40, 8, 392000, tzinfo=zone)


def test_a_message_met_twice_in_a_chunk_is_classified_once() -> None:
    """The pure reader classifies each message not seen yet once, also when it comes again
    later in the same chunk."""
    read = scanning(reader(TRACKED_KINDS), "pure")
    classified: list[str] = []
    meaning = read._meaning
    read._meaning = lambda message: classified.append(message) or meaning(message)  # type: ignore[method-assign]
    text = framed(
        "\n".join(
            STARTED_AT.format(f"11-24-2026 07:4{minute}:08.392+480") for minute in range(3)
        )
    )
    assert [row[2] for row in read.chunk_rows(text, 1)] == ["sync_started"] * 3
    assert classified == ["Starting user delta sync, raise failure status messages = True  "]


def test_a_chunk_of_records_is_proved_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a chunk whose records hold `$$<` in their message is proved a second time."""
    def second_pass(text: str) -> None:
        raise AssertionError("proved twice")

    monkeypatch.setattr(sms, "count_records", second_pass)
    record = STARTED_AT.format("11-24-2026 07:40:08.392+480")
    groups = (
        "Starting user delta sync, raise failure status messages = True  ",
        "11-24-2026", "07:40", "08", "392", "+480",
    )
    assert sms.split_records(framed(record)) == ([groups], 0)
    assert sms.split_records(framed(record + "\n \n" + record)) == ([groups, groups], 1)


@needs_native
def test_declined_chunks() -> None:
    record = "Starting user delta sync, raise failure status messages = True  $$<C><1-1-2026 0:00:00{}><thread=1>"
    # a record without a bias, read in a zone with daylight saving: minute by minute, in Python
    assert native(framed(record.format("")), 1, reader(source_tz=ZoneInfo("Europe/Paris"))) is None
    assert native(framed(record.format("")), 1, reader(source_tz=timezone.utc)) is not None
    # text of more than one byte per character
    assert native(framed(record.format("+0") + "\n€"), 1, reader()) is None
    # not framed by line breaks
    assert native(record.format("+0"), 1, reader()) is None


@needs_native
def test_a_bad_config_is_a_type_error_not_a_crash() -> None:
    text = framed("x  $$<C><1-1-2026 0:00:00><thread=1>")
    read = reader()
    good = read._native_config(read.kinds)
    class WithDict(tuple):  # type: ignore[type-arg]
        pass

    bad_values = [
        (1, ["Failed "]), (1, ("€uro",)), (2, []), (4, {}), (7, "0"), (9, int), (11, WithDict),
        (12, "now"), (12, (True, False, "0", 0)), (12, (True,)), (13, {"users_removed"}),
        (13, ("users_removed",)),
    ]
    for index, bad in bad_values:
        config = (*good[:index], bad, *good[index + 1 :])
        with pytest.raises(TypeError):
            _scan.scan_rows(text, 1, config)
    with pytest.raises(TypeError):
        _scan.scan_rows(text, 1, good[:5])


# -- whole logs: the same conclusions and events either way -------------------------------


def _both_ways(paths: list[str], monkeypatch: pytest.MonkeyPatch, **options: Any) -> Any:
    accelerated = conclusions(analyze(paths, **options))
    monkeypatch.setattr(accel, "native", None)
    assert conclusions(analyze(paths, **options)) == accelerated
    monkeypatch.undo()
    return accelerated


@needs_native
@pytest.mark.parametrize(
    "paths",
    [
        ["CloudUserSync.log"],
        ["spec-case/CloudUserSync.log"],
        ["restart-day/CloudUserSync.log", "restart-day/smsexec.log"],
        ["rotated/CloudUserSync.log", "rotated/CloudUserSync.lo_"],
        ["certificate-wait/CloudUserSync.log"],
    ],
)
def test_samples_conclude_the_same_natively_and_in_pure_python(
    paths: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("logsync.sources.BLOCK_SIZE", 2048)  # many chunks
    _both_ways([str(SAMPLES / path) for path in paths], monkeypatch)


@needs_native
def test_real_logs_conclude_the_same_natively_and_in_pure_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logs = sorted(str(path) for path in REAL_LOGS.glob("*.log"))
    _both_ways(logs, monkeypatch, require_connector=False)


def test_version_says_which_scanner_reads() -> None:
    """The installed command says exactly which scanner reads: the native one wherever this
    process has it (CI requires it), else why not."""

    def version(**env: str) -> str:
        run = subprocess.run(
            [LOGSYNC, "--version"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **env},
        )
        return run.stdout

    python = platform.python_version()
    assert version(LOGSYNC_PURE="1") == (
        f"logsync {__version__} (pure Python (LOGSYNC_PURE is set); Python {python})\n"
    )
    scanner = "native scanner" if _scan is not None else "pure Python (the native scanner is not built)"
    assert version(LOGSYNC_PURE="") == f"logsync {__version__} ({scanner}; Python {python})\n"


def test_the_extension_was_built_where_it_must_be() -> None:
    """CI sets LOGSYNC_EXPECT_NATIVE=1: there, a missing extension fails instead of skipping."""
    if os.environ.get("LOGSYNC_EXPECT_NATIVE") == "1":
        assert _scan is not None, "the native scanner was not built"
        assert Path(_scan.__file__).parent == Path(accel.__file__).parent


def test_the_native_path_is_active_unless_the_pure_one_is_forced() -> None:
    forced = os.environ.get(accel.PURE_VARIABLE, "") not in ("", "0")
    assert (accel.native is None) == (forced or _scan is None)


def test_without_the_extension_logsync_works_the_same() -> None:
    """What an install without a compiler gives: no `logsync._scan` to import."""
    without = (
        "import sys; sys.modules['logsync._scan'] = None; "  # an import of it now fails
        "from logsync.cli import main; sys.argv[0] = 'logsync'; main()"
    )
    demo = str(SAMPLES / "CloudUserSync.log")

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LOGSYNC_PURE": ""}
        # from outside the repository: the installed package, not the source tree
        return subprocess.run(command, capture_output=True, text=True, cwd="/", env=env)

    alone = run(sys.executable, "-c", without, "report", "--format", "json", demo)
    usual = run(LOGSYNC, "report", "--format", "json", demo)
    assert alone.returncode == usual.returncode == 0, alone.stderr
    assert alone.stdout == usual.stdout and '"stuck":4' in alone.stdout
    version = run(sys.executable, "-c", without, "--version").stdout
    assert "(pure Python (the native scanner is not built); Python 3." in version
