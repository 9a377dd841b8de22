"""The boundaries of the input rules for text as admins hand it over: cycles that skip the hour
a spring-forward skips, lines prefixed then wrapped, text appended in another encoding without a
BOM, a record cut short before the next on its line, a page's source, rows saved as CSV. Each
case is one that a rule changed by a character or a number reads otherwise."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import decoding
from logsync.cli import app
from logsync.formats import ParseContext, copies, paste, sms
from logsync.sources import InputStats

from .test_as_pasted import DEMO_TEXT, answers, wrapped, write
from .test_daylight_saving import across_spring_forward, without_offsets
from .test_prefixes import prefixed
from .test_sources import fed

runner = CliRunner()


def test_cycles_an_hour_apart_with_utc_offsets_are_no_skipped_hour(tmp_path: Path) -> None:
    """The same night with every record's offset kept at +480 (PST): its cycles go on an hour
    later in UTC too (the connector silent for an hour, on its schedule), but times that carry
    an offset place themselves: nothing is refused, and the silence is said."""
    text = re.sub(r"\.(\d+)[+-]\d+>", r".\1+480>", across_spring_forward())
    path = tmp_path / "CloudUserSync.log"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["report", "--all", "--format", "json", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "daylight-saving change skips" not in result.stderr
    assert "the connector was not heard from 2027-03-14T01:55:05.654-08:00 to 2027-03-14T03:00:04.247-08:00 (1h 04m" in result.stderr


def test_the_first_hour_the_cycles_skip_is_the_one_named(tmp_path: Path) -> None:
    """With a second hour left out later
    (05:00 to 05:59 of the same day), the refusal still names the first (line 1,773)."""
    lines = without_offsets(across_spring_forward(), "sms").split("\r\n")
    kept = [line for line in lines if "<03-14-2027 05:" not in line]
    assert len(kept) < len(lines)
    path = tmp_path / "bare.log"
    path.write_text("\r\n".join(kept), encoding="utf-8")
    refused = runner.invoke(app, ["report", str(path)])
    assert refused.exit_code == 2
    assert "its cycles go on at 2027-03-14 03:00:04 (line 1,773) after 01:55:04" in refused.stderr


# -- prefixed lines then wrapped (prefixes._record_starts, wholes.WRAPPED_PIECE_RE) ------------


_DEMO_TRAILER = re.compile(r"<(\d\d-\d\d-\d{4}) (\d\d)(:\d\d:\d\d\.\d+)([+-]\d+)>")


def _numbered_then_wrapped(tmp_path: Path, text: str, width: int = 76) -> None:
    """`findstr /n`'s numbered lines of `text`, wrapped at `width`, give the answers of `text`."""
    clean = answers(write(tmp_path, text, "clean.log"))
    assert answers(write(tmp_path, wrapped(prefixed(text, lambda n: f"{n}:"), width), "pasted.log")) == clean


def test_numbered_then_wrapped_with_a_bias_east_of_utc(tmp_path: Path) -> None:
    """A log east of UTC (bias -060) whose time
    begins a wrapped piece (`07:00:04.485-060><thread=…`) keeps its hour."""
    _numbered_then_wrapped(tmp_path, _DEMO_TRAILER.sub(r"<\1 \2\3-060>", DEMO_TEXT))


def test_numbered_then_wrapped_without_a_bias(tmp_path: Path) -> None:
    """A log with no bias (`07:00:04.485><thread`)."""
    _numbered_then_wrapped(tmp_path, _DEMO_TRAILER.sub(r"<\1 \2\3>", DEMO_TEXT))


def test_numbered_then_wrapped_with_hours_of_one_digit(tmp_path: Path) -> None:
    """The trailer's hour of one digit
    (`7:00:04.485+480><thread=…`, which the trailer reads) is not taken for a line number."""
    _numbered_then_wrapped(
        tmp_path, _DEMO_TRAILER.sub(lambda m: f"<{m[1]} {int(m[2])}{m[3]}{m[4]}>", DEMO_TEXT)
    )


def test_numbered_then_wrapped_with_times_to_the_second(tmp_path: Path) -> None:
    """A trailer's time may have no fraction (`07:00:04+480`, which the trailer reads): a wrapped
    piece that begins with it keeps its hour."""
    _numbered_then_wrapped(tmp_path, _DEMO_TRAILER.sub(r"<\1 \2\3\4>", re.sub(r"(:\d\d)\.\d+([+-])", r"\1\2", DEMO_TEXT)))


@pytest.mark.parametrize("prefix", ["n:", "- "])
def test_prefixed_then_wrapped_with_threads_without_their_hex(tmp_path: Path, prefix: str) -> None:
    """A trailer's thread may stand alone (`<thread=5616>`, which the trailer reads): it ends a
    record, and prefixed lines so wrapped were refused ("none of its records is a message")."""
    text = re.sub(r"<thread=(\d+) \(0x[0-9A-F]+\)>", r"<thread=\1>", DEMO_TEXT)
    assert "<thread=5616>" in text and "(0x" not in text.split("$$<", 1)[1]
    clean = answers(write(tmp_path, text, "clean.log"))
    mark = (lambda n: f"{n}:") if prefix == "n:" else (lambda n: prefix)
    assert answers(write(tmp_path, wrapped(prefixed(text, mark), 76), "pasted.log")) == clean


def test_numbered_then_wrapped_narrow_records_of_four_lines(tmp_path: Path) -> None:
    """Wrapped at 50 columns, many records
    span four lines (`n:message`, its rest, `$$<…><date`, `time><thread=…>`); their first line
    is the record's start, the three after it are not counted as lines without the prefix."""
    _numbered_then_wrapped(tmp_path, DEMO_TEXT, 50)


def test_numbered_then_wrapped_with_a_thread_in_lower_case_hex(tmp_path: Path) -> None:
    """`(0x15f0)` (which the trailer
    reads) ends a record as `(0x15F0)` does."""
    _numbered_then_wrapped(tmp_path, re.sub(r"\(0x([0-9A-F]+)\)>", lambda m: f"(0x{m[1].lower()})>", DEMO_TEXT))


# -- text appended in another encoding without a BOM (decoding._UTF16_START_RE, _bare_utf8) ----


LE = codecs.BOM_UTF16_LE


def _read(data: bytes, cuts: list[int] = []) -> tuple[str, str]:  # noqa: B006
    """The text the decoder gives for `data` fed in pieces cut at `cuts`, and the encoding."""
    stats = InputStats("appended")
    text = "".join(fed(decoding.LineDecoder(stats), data, cuts, False))
    return text, stats.encoding


@pytest.mark.parametrize(
    ("data", "text", "encoding", "case"),
    [
        # UTF-16 appended to UTF-8, no BOM (four ASCII characters with NUL beside each)
        (b"first\r\n" + "abcd\u00e9\r\n".encode("utf-16-le"), "first\nabcd\u00e9\n", "utf-8+utf-16-le", "{4} made {5}"),
        (b"first\r\n" + "\tLine one\r\n".encode("utf-16-le"), "first\n\tLine one\n", "utf-8+utf-16-le", "\\t dropped"),
        (b"first\r\n" + "A B C D\r\n".encode("utf-16-be"), "first\nA B C D\n", "utf-8+utf-16-be", "space dropped (BE)"),
        (b"first\r" + "Next line\r".encode("utf-16-le"), "first\nNext line\n", "utf-8+utf-16-le", "(?<=[\\r\\n]) made [\\n]"),
        (b"x\r\na\0b\0c\0zz\r\n", "x\na\0b\0c\0zz\n", "utf-8", "{4} made {3}: three are not UTF-16"),
        (b"x\r\n\0a\0b\0czz\r\n", "x\na\0b\0czz\n", "utf-8", "{4} made {3} (BE; the NUL at the line's start is dropped)"),
        # UTF-8 appended to UTF-16, no BOM (eight ASCII bytes with no NUL at a line's start)
        (LE + "first\r\n".encode("utf-16-le") + b"Textline\xc3\xa9\r\nmore\r\n", "first\nTextline\u00e9\nmore\n", "utf-16-le+utf-8", "_BARE 8 made 9"),
        (LE + "first\r\n\u6261\u6261\u6261a\r\n".encode("utf-16-le"), "first\n\u6261\u6261\u6261a\n", "utf-16-le", "_BARE 8 made 7"),
        (LE + "first\r\n".encode("utf-16-le") + b"\tTextline\r\n", "first\n\tTextline\n", "utf-16-le+utf-8", "\\t dropped from _ASCII"),
        (LE + "first\r\n".encode("utf-16-le") + b"Done\r\nTextline two\r\n", "first\nDone\nTextline two\n", "utf-16-le+utf-8", "\\r\\n dropped from _ASCII"),
        (LE + "first\r\n".encode("utf-16-le") + b"Done", "first\nDone", "utf-16-le+utf-8", "last line: >= 4 made > 4"),
        (LE + "first\r\n\u6261".encode("utf-16-le"), "first\n\u6261", "utf-16-le", "last line: _BARE // 2 made // 4"),
        (LE + "x\u0a41\u6100\u6262\u6262".encode("utf-16-le"), "x\u0a41\u6100\u6262\u6262", "utf-16-le", "the last line after a break at an odd offset"),
        (LE + "x\u0a41\u6100\u6262\u6262\u6262\u6262\r\n".encode("utf-16-le"), "x\u0a41\u6100\u6262\u6262\u6262\u6262\n", "utf-16-le", "a break at an odd offset"),
    ],
)
def test_text_appended_in_another_encoding_at_its_boundaries(data: bytes, text: str, encoding: str, case: str) -> None:
    assert _read(data) == (text, encoding), case


@pytest.mark.parametrize(
    ("data", "cut", "case"),
    [
        (LE + "first\r\n".encode("utf-16-le") + b"Textline\r\n", 2 + 14 + 2, "waits for a line's start (`if not final`)"),
        (LE + "first\r\n".encode("utf-16-le") + b"Textline\r\n", 2 + 14 + 7, "a break 9 bytes before the end (`- _BARE - 1`)"),
        (LE + "first\r\nx\u6261\u6261\u6261\u6261\u6261\r\n".encode("utf-16-le"), 2 + 14 + 2, "mid-line: `at_break and`"),
        (LE + "first\r\nx\u6261\u6261".encode("utf-16-le"), 2 + 14 + 2, "mid-line, last piece: `0 if at_break else -1`"),
        (LE + "first\n\n".encode("utf-16-le") + b"Done", 2 + 12, "a piece that begins with a break (`tail >= 0`)"),
        (b"abc" + b"A\0B\0C\0D\0\n\0", 3, "mid-line NUL-spaced bytes: `_may_switch(data)` in the join"),
    ],
)
def test_text_appended_in_another_encoding_is_read_however_the_bytes_come_at_its_boundaries(
    data: bytes, cut: int, case: str
) -> None:
    assert _read(data, [cut]) == _read(data), case


# -- a record cut short before the next on its line (sms.is_glued, glued, _only_records) -------


MALLORY = "NotifyAccountAddition - SCCM user to add = Mallory.Admin@Contoso.com"
NEXT_TRAILER = "  $$<SMS_CLOUD_USERSYNC><11-25-2026 09:10:12.073-060><thread=5616 (0x15F0)>"


def _parsed(text: str, candidates: re.Pattern[str] | None = None) -> tuple[list[tuple[int, str]], tuple[int, int]]:
    stats = InputStats("x")
    ctx = ParseContext(stats, None, candidates)
    items = list(sms.parse(iter([text]), ctx)) if candidates else list(sms.parse_text(text, 1, ctx))
    return [(item.line, getattr(item, "message", None) or item.raw) for item in items], (stats.records, stats.unparsed)


@pytest.mark.parametrize(
    ("cut", "case"),
    [
        ("Failed to add user bob; reason UserNotFound  $$<SMS_CLOUD_USERSYNC><11-25-2026 09:10:08.462-06", "[+-] made [+]"),
        ("Failed to add user bob; reason UserNotFound  $$<SMS_CLOUD_USERSYNC><11-25-2026 09:10:08.462-060><thr", "t?h?r?e?a?d?=? made (?:thread=)?"),
        ("Failed to add user bob; reason UserNotFound  $$<SMS_CLOUD_USERSYNC><11-25-2026 09:10:08.462-060><thread=5616 (0x15f", "hex [A-Fa-f] made [A-F]"),
        ("Failed to add user bob; reason UserNotFound  $$<SMS_CLOUD_USERSYNC", "`islower()` after the component dropped"),
    ],
)
def test_a_record_cut_in_its_trailer_ends_where_its_trailer_s_bytes_end(cut: str, case: str) -> None:
    """The record cut short is an unparsed line of the bytes it kept (its trailer's start as far as
    it went: a bias west or east of UTC, `thr` of `thread=`, a thread in lower-case hex, a whole
    component); the next record, read from where it begins, keeps its message whole."""
    nxt = ("(1) " if case.startswith("`islower") else "") + MALLORY
    got, counts = _parsed("\n" + cut + nxt + NEXT_TRAILER + "\n")
    assert (got, counts) == ([(1, cut), (1, nxt)], (1, 1)), case


def test_nul_then_text_then_nul_at_a_message_s_end_is_no_record_cut_short() -> None:
    """What follows the last NUL (nothing) tells, so
    `a\\0b\\0` is one record's message."""
    message = "Failed to add user x; reason Y\0b\0"
    assert sms.is_glued(message) is False
    _, counts = _parsed("\n" + message + NEXT_TRAILER + "\n")
    assert counts == (1, 0)


def test_a_trailer_s_start_with_a_component_that_begins_with_a_digit_is_a_cut() -> None:
    """A component's name may begin with a digit."""
    assert sms.is_glued("Failed to add user x; reason Y  $$<9") is True


@pytest.mark.parametrize(
    "cut",
    [
        "Failed to add user bob; reason UserNot\0\0\0\0",  # (NUL padding: the `$$<` count agrees)
        "Failed to add user bob; reason UserNotFound  $$<SMS_CLOUD_USERSYNC><11-25-2026 09:10:08.",
    ],
)
def test_a_chunk_read_for_candidates_only_is_parsed_where_a_record_is_cut_short(cut: str) -> None:
    """A
    chunk read for some users only (`candidates`) is counted the fast way only if no record is
    cut short before the next on its line: here 2 records and 1 unparsed line, not 3 records."""
    text = "\n" + "Successfully removed users from cloud 0" + NEXT_TRAILER + "\n" + cut + MALLORY + NEXT_TRAILER + "\n"
    _, counts = _parsed(text, re.compile(r"\n(NotifyAccountAddition[^\n]*)" + sms.TRAILER + r"(?=\n)"))
    assert counts == (2, 1)


# -- text from an HTML page's source (copies.escaped, _TAG_RE, unescaped) ----------------------


def test_tags_on_exactly_a_fifth_of_the_lines_are_a_page_s_source() -> None:
    """2 lines of 10 with a tag is a fifth."""
    assert copies.escaped("a<br>\nb<br>\nc\nd\ne\nf\ng\nh\ni\nj\n") is True


def test_blank_lines_do_not_count_against_a_page_s_tags() -> None:
    """2 of the 10 lines with text carry a tag."""
    assert copies.escaped("a<br>\n\nb<br>\n\nc\n\nd\n\ne\n\nf\ng\nh\ni\nj\n") is True


@pytest.mark.parametrize(
    ("text", "plain", "case"),
    [
        ("a<br/>", "a", "`/?>` made `>`"),
        ("a<BR>", "a", "re.IGNORECASE dropped"),
        ("<table>a</table>", "a", "`table` dropped"),
        ("<u>a</u>", "a", "`u` dropped"),
        ("<span style=\n'a'>x", "<span style=\n'a'>x", "`[^<>\\n]` made `[^<>]` (a tag never spans lines)"),
    ],
)
def test_the_tags_a_page_s_text_is_taken_out_of(text: str, plain: str, case: str) -> None:
    assert copies.unescaped(text) == plain, case


# -- CMTrace's rows saved as CSV (sheets.row, CSV_END_RE) ---------------------------------------

ROW = ("Total received users to add from SCCM = 0", "SMS_CLOUD_USERSYNC", "11/24/2026 7:00:04 AM", "5616 (0x15F0)")


@pytest.mark.parametrize(
    ("line", "row", "case"),
    [
        ('"' + '","'.join(ROW) + '"', ROW, "a field quoted: `\"?` dropped before or after the thread"),
        (",".join(ROW) + "  ", ROW, "spaces after the row: `[ \\t]*$` made `$`, the thread not stripped"),
        (",".join([*ROW[:3], "5616(0x15F0)"]), (*ROW[:3], "5616(0x15F0)"), "`\\s?` made `\\s`"),
        (",".join([*ROW[:3], "5616 (0x15f0)"]), (*ROW[:3], "5616 (0x15f0)"), "hex in lower case"),
        (",".join([ROW[0], " SMS_CLOUD_USERSYNC ", *ROW[2:]]), ROW, "the component not stripped"),
        (
            "Failed to add user bob; reason UserNotFound;" + ";".join(ROW[1:]),
            ("Failed to add user bob; reason UserNotFound", *ROW[1:]),
            "a `;` in a message not quoted: joined with `,`",
        ),
        (",".join(ROW[1:]), None, "three fields: `< 4` made `< 3`"),
        ("a,b,c,1 (0x1)", None, "no date and time: the stamp's check dropped"),
    ],
)
def test_a_row_saved_as_csv(line: str, row: tuple[str, ...] | None, case: str) -> None:
    assert paste.copied_row(line) == row, case


def test_numbered_then_indented_and_wrapped_as_fmt_does(tmp_path: Path) -> None:
    """`findstr /n`'s lines indented by 4
    spaces (a Markdown code block) and wrapped by `fmt`, which indents each piece as its line:
    `    07:00:04.485+480><thread=…` keeps its hour (the prefix `[ \\t]*\\d+:` would match it)."""
    import textwrap

    numbered = prefixed(DEMO_TEXT, lambda n: f"{n}:")
    pasted = "".join(
        piece + "\n"
        for line in numbered.splitlines()
        for piece in textwrap.wrap("    " + line, 76, subsequent_indent="    ")
    )
    assert answers(write(tmp_path, pasted, "pasted.log")) == answers(write(tmp_path, DEMO_TEXT, "clean.log"))
