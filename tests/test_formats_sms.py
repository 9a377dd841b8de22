"""SMS trace: the real CloudUserSync.log format (SPEC §2), bias sign, `~` breaks, round trip."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from logsync.events import decode_text
from logsync.formats import ParseContext, Record, Unparsed, detect, sms
from logsync.formats.common import unparsed_problem
from logsync.sources import InputStats
from logsync.times import iso

REAL = (
    "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).  "
    "$$<SMS_CLOUD_USERSYNC><02-26-2023 19:53:46.420+480><thread=3604 (0xE14)>\n"
    "CCloudUserSync::Process - User sync processing has started.  "
    "$$<SMS_CLOUD_USERSYNC><02-26-2023 19:53:46.423+480><thread=5616 (0x15F0)>\n"
    "Certmgr has not installed certificate yet, sleep for 1 minutes.  "
    "$$<SMS_CLOUD_USERSYNC><02-26-2023 19:53:46.424+480><thread=5616 (0x15F0)>\n"
)


def parse(text: str, chunk: int | None = None) -> tuple[list[Record | Unparsed], InputStats]:
    stats = InputStats("t.log")
    if chunk is None:
        chunks = [text]
    else:
        chunks = []
        rest = text
        while rest:
            cut = rest.find("\n", chunk)
            cut = len(rest) if cut < 0 else cut + 1
            chunks.append(rest[:cut])
            rest = rest[cut:]
    items = list(sms.parse(iter(chunks), ParseContext(stats)))
    return items, stats


def test_real_lines_parse_with_their_fields() -> None:
    items, stats = parse(REAL)
    first = items[0]
    assert isinstance(first, Record)
    assert first.line == 1
    assert first.component == "SMS_CLOUD_USERSYNC"
    assert first.thread == 3604
    assert first.message == "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0)."
    assert iso(first.time) == "2023-02-26T19:53:46.420-08:00"
    assert [item.line for item in items] == [1, 2, 3]
    assert (stats.lines, stats.records, stats.unparsed, stats.blank) == (3, 3, 0, 0)


def test_bias_is_minutes_added_to_local_time_to_get_utc() -> None:
    items, _ = parse(REAL)
    # +480 at 19:53:46.420 local is 03:53:46.420Z the next day
    assert items[0].time.astimezone(timezone.utc) == datetime(
        2023, 2, 27, 3, 53, 46, 420000, tzinfo=timezone.utc
    )
    line = "x  $$<C><09-14-2014 10:23:54.000-60><thread=1 (0x1)>\n"
    (record,), _ = parse(line)
    assert record.time.utcoffset() == timedelta(hours=1)
    assert record.time.astimezone(timezone.utc).hour == 9


def test_bias_changes_per_record() -> None:
    text = (
        "a  $$<C><11-02-2025 01:59:59.000+240><thread=1 (0x1)>\n"
        "b  $$<C><11-02-2025 01:00:01.000+300><thread=1 (0x1)>\n"
    )
    (a, b), _ = parse(text)
    assert iso(a.time) == "2025-11-02T01:59:59-04:00"
    assert iso(b.time) == "2025-11-02T01:00:01-05:00"
    assert b.time - a.time == timedelta(seconds=2)


def test_tilde_breaks_are_kept_raw_and_decoded_for_display() -> None:
    line = (
        "ERROR: Found exception System.AggregateException~~Parameter name: path2~~  "
        "$$<SMS_CLOUDCONNECTION><02-26-2023 19:53:32.215+480><thread=4212 (0x1074)>\n"
    )
    (record,), _ = parse(line)
    assert (
        record.message
        == "ERROR: Found exception System.AggregateException~~Parameter name: path2~~"
    )
    assert (
        decode_text(record.message)
        == "ERROR: Found exception System.AggregateException\nParameter name: path2"
    )
    assert decode_text("~SMS_DMP_DOWNLOADER is starting...") == "SMS_DMP_DOWNLOADER is starting..."


def test_components_may_contain_spaces_and_messages_may_contain_the_marker() -> None:
    line = "odd $$<text> in message  $$<SMS Provider><02-26-2023 19:53:32.215+480><thread=4212 (0x1074)>\n"
    (record,), _ = parse(line)
    assert record.component == "SMS Provider"
    assert record.message == "odd $$<text> in message"


def test_non_records_are_unparsed_with_line_numbers_and_blank_lines_are_counted() -> None:
    text = (
        REAL.replace("\n", "\n\n", 1)
        + "\0\0\0\0\n<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\ntrunc  $$<SMS_CLOUD_USERSYNC><02-2"
    )
    items, stats = parse(text)
    unparsed = [(i.line, i.problem) for i in items if isinstance(i, Unparsed)]
    assert unparsed == [(5, "NUL padding"), (6, "rotation marker"), (7, "damaged SMS trace record")]
    assert (stats.lines, stats.records, stats.unparsed, stats.blank) == (7, 3, 3, 1)


def test_invalid_dates_are_unparsed_not_guessed() -> None:
    text = "x  $$<C><02-30-2023 10:00:00.000+480><thread=1 (0x1)>\n"
    (item,), stats = parse(text)
    assert isinstance(item, Unparsed)
    assert item.problem == "invalid date"
    assert (stats.records, stats.unparsed) == (0, 1)


def test_no_bias_means_a_naive_time() -> None:
    (record,), _ = parse("x  $$<C><02-26-2023 10:00:00.5><thread=1 (0x1)>\n")
    assert record.time == datetime(2023, 2, 26, 10, 0, 0, 500000)
    assert record.time.tzinfo is None


def test_fast_path_yields_the_same_candidate_records() -> None:
    text = REAL * 50
    plain, plain_stats = parse(text)
    stats = InputStats("t.log")
    ctx = ParseContext(stats, candidates=sms.candidate_pattern("Cert"))
    fast = list(sms.parse(iter([text]), ctx))
    assert fast == [i for i in plain if i.message.startswith("Cert")]
    assert (stats.lines, stats.records, stats.last_time) == (
        plain_stats.lines,
        plain_stats.records,
        plain_stats.last_time,
    )


def test_detection() -> None:
    assert detect(REAL) == "sms-trace"
    assert detect("hello\nworld\n") is None


messages = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    ),
    max_size=80,
).map(lambda s: s.strip(" \t~")).filter(lambda s: not sms.is_glued(s))
"""(A message holding a trailer's start, or NUL and then text, is a record cut short before
the next on its line: see `test_safety`'s and `sms.glued`.)"""
components = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Nd"), whitelist_characters="_ "),
    min_size=1,
    max_size=30,
)
times = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31)).map(
    lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)
)


@given(
    st.lists(
        st.tuples(messages, components, times, st.integers(-720, 720), st.integers(0, 2**31)),
        min_size=1,
        max_size=20,
    ),
    st.integers(1, 200),
)
def test_round_trip_rendered_records_parse_back_equal(rows: list, chunk: int) -> None:
    lines = []
    for message, component, time, bias, thread in rows:
        stamp = time.strftime("%m-%d-%Y %H:%M:%S.") + f"{time.microsecond // 1000:03d}"
        lines.append(
            f"{message}  $$<{component}><{stamp}{bias:+d}><thread={thread} (0x{thread:X})>"
        )
    items, stats = parse("\r\n".join(lines).replace("\r\n", "\n") + "\n", chunk)
    assert stats.records == len(rows) and stats.unparsed == 0
    for item, (message, component, time, bias, thread) in zip(items, rows, strict=True):
        assert isinstance(item, Record)
        assert item.message == message.rstrip(" \t")
        assert item.component == component
        assert item.thread == thread
        assert item.time.replace(tzinfo=None) == time
        assert item.time.utcoffset() == -timedelta(minutes=bias)


def test_each_line_that_is_no_record_says_why() -> None:
    """NUL padding; binary data at a NUL or more than four control characters (tabs aside) in
    the first 256; a damaged record by its SMS-trace or CMTrace marks; grep's `--`."""
    lines = [
        "\0\0\0", "XX", "abc\0def", "a\x01\x02\x03\x04\x05b", "a\x01\x02\x03\x04b", "a\x01\x02\x03b",
        "x" * 252 + "\x01\x02\x03\x04\x05", "a\t\t\t\t\tb", "foo $$<bar", "<![LOG[foo", "foo]LOG]!>",
        "--  ", "hello",
    ]
    assert [unparsed_problem(line) for line in lines] == [
        "NUL padding", "not a log record", "binary data", "binary data", "not a log record",
        "not a log record", "not a log record", "not a log record", "damaged SMS trace record",
        "damaged CMTrace record", "damaged CMTrace record", "lines left out (grep's `--`, `...`)",
        "not a log record",
    ]


def test_the_lines_that_say_lines_are_left_out() -> None:
    """grep's `--`, and what people write where they leave lines out of a pasted excerpt, in
    any case and between any spaces, also with scissors or with words that say lines were cut
    (`common._CUT_WORDS_RE`); a line of more dots, a rule, or other words around them, is none."""
    marks = ["--", " -- ", "...", "\u2026", "[...]", "[\u2026]", "(...)", "<...>", "snip",
             "[SNIP]", "<snip>", "[snipped]\t", "snipped", "[snip", "-- 8< --", "8<"]
    others = ["---", "....", "..", "-", "... more", "- -", "snip this", "> 8"]
    assert {unparsed_problem(line) for line in marks} == {"lines left out (grep's `--`, `...`)"}
    assert {unparsed_problem(line) for line in others} == {"not a log record"}
