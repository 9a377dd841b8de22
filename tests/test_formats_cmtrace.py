"""CMTrace: multi-line records, 3–7 digit fractions, optional bias, unpadded dates, `type`."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from logsync.cli import app
from logsync.formats import ParseContext, Record, Unparsed, cmtrace, detect
from logsync.sources import InputStats
from logsync.times import iso

from .conftest import SAMPLES

SPEC_LINE = (
    '<![LOG[message]LOG]!><time="14:24:33.329+420" date="06-26-2015" component="X" '
    'context="" type="1" thread="1256" file="a.cpp:12">'
)
REAL_LINE = (
    "<![LOG[Rule 062e19bd-ddee-4f6e-85d5-0346e2b5e3cf failed with error -2147217392: Invalid class ]"
    'LOG]!><time="19:52:17.9127743" date="2-26-2023" '
    'component="SMS_BUSINESS_APP_PROCESS_MANAGER_SiteHealthMonitor" context="" type="2" thread="13" file="">'
)


def parse(text: str) -> tuple[list[Record | Unparsed], InputStats]:
    stats = InputStats("t.log")
    return list(cmtrace.parse(iter([text]), ParseContext(stats))), stats


def test_spec_line() -> None:
    (record,), stats = parse(SPEC_LINE + "\n")
    assert isinstance(record, Record)
    assert (record.message, record.component, record.thread, record.severity) == (
        "message",
        "X",
        1256,
        "info",
    )
    assert iso(record.time) == "2015-06-26T14:24:33.329-07:00"
    assert (stats.lines, stats.records, stats.record_lines) == (1, 1, 1)


def test_real_line_seven_digit_fraction_no_bias_unpadded_date() -> None:
    (record,), _ = parse(REAL_LINE + "\n")
    assert record.time == datetime(2023, 2, 26, 19, 52, 17, 912774)
    assert record.time.tzinfo is None
    assert record.severity == "warning"
    assert record.message.endswith("Invalid class ")


def test_multi_line_record_spans_its_lines_and_keeps_them() -> None:
    text = (
        "<![LOG[Exception while sending status message:\nSystem.TimeoutException: timed out.\n"
        '   at CloudUserSync.Status.Send()]LOG]!><time="10:23:54.020+240" date="9-14-2014" '
        'component="SMS_CLOUD_USERSYNC" context="" type="3" thread="5616" file="">\n'
        + SPEC_LINE
        + "\n"
    )
    (first, second), stats = parse(text)
    assert first.line == 1 and second.line == 4
    assert first.message == (
        "Exception while sending status message:\nSystem.TimeoutException: timed out.\n"
        "   at CloudUserSync.Status.Send()"
    )
    assert first.severity == "error"
    assert (stats.lines, stats.records, stats.record_lines, stats.unparsed) == (4, 2, 4, 0)


def test_unterminated_record_and_junk_are_unparsed_line_by_line() -> None:
    text = "banner text\n<![LOG[never closed\nsecond line\n" + SPEC_LINE + "\n<![LOG[cut off"
    items, stats = parse(text)
    assert [(i.line, i.problem) for i in items if isinstance(i, Unparsed)] == [
        (1, "not a log record"),
        (2, "unterminated CMTrace record"),
        (3, "unterminated CMTrace record"),
        (5, "unterminated CMTrace record"),
    ]
    assert (stats.lines, stats.records, stats.unparsed) == (5, 1, 4)


def test_empty_type_gives_no_severity() -> None:
    (record,), _ = parse(SPEC_LINE.replace('type="1"', 'type=""') + "\n")
    assert record.severity is None


def test_detection() -> None:
    assert detect("\n" + SPEC_LINE) == "cmtrace"


@given(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]",
        ),
        max_size=60,
    ),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
    st.one_of(st.none(), st.integers(-720, 720)),
)
def test_round_trip(message: str, time: datetime, bias: int | None) -> None:
    offset = "" if bias is None else f"{bias:+d}"
    line = (
        f'<![LOG[{message}]LOG]!><time="{time:%H:%M:%S}.{time.microsecond:06d}{offset}" '
        f'date="{time.month}-{time.day}-{time.year}" component="C" context="" type="1" thread="7" file="">'
    )
    items, stats = parse(line + "\n")
    assert stats.records == 1 and stats.record_lines == message.count("\n") + 1
    (record,) = items
    assert record.message == message
    assert record.time.replace(tzinfo=None) == time


def test_a_cmtrace_log_with_one_record_without_its_bias_is_said_as_one_input(tmp_path) -> None:
    """The demo CMTrace log (UTF-16) with the bias taken off its second record: the message
    named the same file on both sides ("cm.log: its times have no UTC offset, unlike cm.log's")."""
    text = (SAMPLES / "cmtrace" / "CloudUserSync.log").read_text(encoding="utf-16")
    lines = text.splitlines(keepends=True)
    assert 'time="10:23:54.000+240"' in lines[1]
    lines[1] = lines[1].replace('time="10:23:54.000+240"', 'time="10:23:54.000"')
    log = tmp_path / "cm.log"
    log.write_text("".join(lines), encoding="utf-16")
    result = CliRunner().invoke(app, ["report", str(log)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"logsync: error: {log}: some of its records' times have a UTC offset and others none; "
        "give --source-tz ZONE to read them as one log\n",
    )
