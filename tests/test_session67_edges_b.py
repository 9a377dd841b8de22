"""Edges of the rules added most recently that no other test pinned (found by a second mutation
run): marks before a record, a remark's note, masked names, Markdown tables, addresses written
as links, and blanks after a line of SMS trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from logsync import analyze
from logsync.events import classify, phrase_starts
from logsync.formats import ParseContext, remarks, sms
from logsync.formats.copies import linked, unlinked
from logsync.masks import masked_as
from logsync.records import Record, Unparsed
from logsync.sources import InputStats
from logsync.tables import is_table, table_text

from .conftest import SAMPLES
from .logtext import Log

DEMO = SAMPLES / "CloudUserSync.log"


def demo_lines() -> list[str]:
    return DEMO.read_text(encoding="utf-8-sig").splitlines()


BOB_FAILED = demo_lines()[2440]  # (`Failed to add user bob@contoso.com; reason UserNotFound  $$<…>`)
TRAILER = BOB_FAILED[BOB_FAILED.index("$$<") :]

# -- a mark before a record (remarks.unmarked, marked_lines) -------------------------------------


@pytest.mark.parametrize("mark", ["\u2192", "\u21d2", "\u25ba", "\u25b6", "\u279c", "\u27a1"])
def test_every_arrow_before_a_record_is_a_mark_taken_off(mark: str) -> None:
    """Each arrow a chat or an editor sets (→ ⇒ ► ▶ ➜ ➡), not only the ones tried on the demo
    log: taken off, counted, and the chunk read the plain way (the native scanner knows none)."""
    stats = InputStats("")
    assert remarks.unmarked(f"{mark} {BOB_FAILED}", sms.looks_like, stats, False) == BOB_FAILED
    assert (stats.remarked, stats.remark) == (1, mark)
    assert remarks.marked_lines(f"\n{mark} {BOB_FAILED}\n")
    assert remarks.records_unmarked(f"\n{mark} {BOB_FAILED}\n", InputStats(""), sms.looks_like) == f"\n{BOB_FAILED}\n"


@pytest.mark.parametrize("mark", ["-->", "==>", "->"])
def test_a_record_whose_message_is_a_mark_alone_keeps_it(mark: str) -> None:
    """`-->  $$<…>`: the mark is the record's whole message (blanks, then its trailer), no mark
    before a record; taken off, it left a record with no message and a remark counted."""
    line = f"{mark}  {TRAILER}"
    assert sms.looks_like(line)
    stats = InputStats("")
    assert remarks.unmarked(line, sms.looks_like, stats, False) == line
    assert stats.remarked == 0
    assert not remarks.marked_lines(f"\n{line}\n")


# -- what stderr shows of a remark (remarks.note) --------------------------------------------------


@pytest.mark.parametrize(
    ("remark", "shown"),
    [
        ("<-- this is the user that failed, see ab", "<-- this is the user that failed, see ab"),
        ("<-- this is the user that failed, see abc", "<-- this is the user that failed, see a\u2026"),
    ],
)
def test_a_remark_of_40_characters_is_shown_whole_and_a_longer_one_cut(remark: str, shown: str) -> None:
    assert remarks.SHOWN == 40 and len(remark) in (40, 41)
    stats = InputStats("")
    assert remarks.unremarked(f"{BOB_FAILED}   {remark} \t", sms.looks_like, stats) == BOB_FAILED
    assert remarks.note(stats) == f"1 line holds a remark added to the copy (`{shown}`), read without it"
    assert len(shown) == 40


# -- the phrases that tell a line cut off (events.phrase_starts) -----------------------------------


def test_a_phrase_holds_the_escaped_brackets_of_its_message() -> None:
    """`ThreadMain\\(\\)` in the pattern is `ThreadMain()` in the message: the phrase goes on
    past it to its first field."""
    assert "SMS_CLOUD_USERSYNC started, ThreadMain() thread ID=" in phrase_starts()


def test_a_small_em_dash_is_a_message_s_dash() -> None:
    """U+FE58 (a small em dash, as a CJK font's typography sets it) among the dashes read."""
    assert classify("NotifyAccountAddition \ufe58 SCCM user to add = bob@contoso.com")[0] == "user_add_requested"


# -- a retry cycle left out between a user's due time and the next cycle (unknowns) --------------


@pytest.mark.parametrize(
    ("first", "found"),
    [
        ("09:06:00", ("overdue", None)),
        ("09:07:00", ("pending", "retry_unseen")),
        # (the boundary: more than a cycle and a quarter, 375 s, after the due time 09:00:02)
        ("09:06:17", ("overdue", None)),
        ("09:06:18", ("pending", "retry_unseen")),
    ],
)
def test_a_cycle_a_little_late_after_lines_left_out_hides_no_retry(
    tmp_path: Path, first: str, found: tuple[str, str | None]
) -> None:
    """bob fails at 09:00:02 and is due a day later; the cycles every 5 minutes end at 09:00,
    lines are left out (`--`), and the next cycle is at `first`. Six minutes after the last is
    within a cycle and a quarter of it: no cycle of the schedule lies between them, and bob is
    `overdue`; seven minutes after it, his retry may be in the lines left out."""
    failed = Log(bias=300).cycle("2026-03-02 09:00:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    failed.cycles("2026-03-02 09:05:00", "2026-03-03 09:00:00")
    lines = [*failed.lines, "--"]
    for at in (first, "09:20:00", "09:25:00", "09:30:00"):
        lines += Log(bias=300).cycle(f"2026-03-03 {at}").lines
    path = tmp_path / "excerpt.log"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    (bob,) = analyze([str(path)]).users
    assert (bob.state, bob.pending_reason) == found


# -- masked names (masks.masked_as) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "found"),
    [
        # (stars stand for one letter or more, however many there are)
        (["s***@contoso.com", "sam@contoso.com"], [("s***@contoso.com", ["sam@contoso.com"])]),
        # (a single dot is a letter of the name, not a mask)
        (
            ["j.s...@contoso.com", "jo.smith@contoso.com", "j.smith@contoso.com"],
            [("j.s...@contoso.com", ["j.smith@contoso.com"])],
        ),
        (["s..t@contoso.com", "scott@contoso.com"], [("s..t@contoso.com", ["scott@contoso.com"])]),
        (["s\u2026t@contoso.com", "scott@contoso.com"], [("s\u2026t@contoso.com", ["scott@contoso.com"])]),
        # (a guest's UPN holds `#EXT#`: a whole name, no mask, and no other user it may be)
        (["bob_fabrikam.com#EXT#@contoso.onmicrosoft.com"], []),
        (["bob_fabrikam.com#EXT#@contoso.onmicrosoft.com", "bob_x#EXT#@contoso.onmicrosoft.com"], []),
    ],
)
def test_which_names_a_masked_one_may_be_by_its_masks(names: list[str], found: list[tuple[str, list[str]]]) -> None:
    assert masked_as(names) == found


# -- a Markdown table (tables) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "table"),
    [
        (b"| Time | Message |\r\n| --- | --- |\r\n| 9/14/2014 10:23:54 AM | x |\r\n", True),  # (saved on Windows)
        (b"Time | Message\n---\n", False),  # (a heading's underline under a line with a pipe)
        (b"Excerpt\n--- | ---\n", False),  # (no pipe in the header's row)
        (b"| Time | Message |\n| --- | -- |\n", False),  # (each column needs three dashes)
    ],
)
def test_which_heads_are_a_markdown_table(head: bytes, table: bool) -> None:
    assert is_table(head) is table


def test_a_table_s_rows_without_pipes_around_them_keep_their_first_and_last_cells() -> None:
    text = (
        b"Time | Message\n--- | ---\n"
        b"9/14/2014 10:23:54 AM | NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
    )
    assert table_text([text], "t.md").decode() == (
        "\n\n9/14/2014 10:23:54 AM\tNotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
    )


def test_a_cell_s_code_marks_and_the_spaces_inside_them_are_taken_off_but_a_lone_backtick_kept() -> None:
    text = b"| Time | Message |\n|---|---|\n| ` 9/14/2014 10:23:54 AM ` | ` |\n"
    assert table_text([text], "t.md").decode() == "\n\n9/14/2014 10:23:54 AM\t`\n"


def test_a_heading_s_underline_before_a_table_is_no_row_of_dashes_under_its_header() -> None:
    """`Notes` underlined with `---` is a heading: kept; the table after it is read as one."""
    text = b"Notes\n---\n| Time | Message |\n|---|---|\n| 9/14/2014 10:23:54 AM | x |\n"
    assert table_text([text], "t.md").decode() == "Notes\n---\n\n\n9/14/2014 10:23:54 AM\tx\n"


# -- an address written as a link (copies.unlinked) ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (
            "NotifyAccountAddition - SCCM user to add =<scott@contoso.com>",
            "NotifyAccountAddition - SCCM user to add =scott@contoso.com",
        ),
        ("Failed to add user <scott@contoso.com>. reason", "Failed to add user scott@contoso.com. reason"),
        ("Failed to add user <scott@contoso.com>x", None),
        # (the address shown is read, whatever the case of its link)
        ("user <mailto:SCOTT@contoso.com|scott@contoso.com>;", "user scott@contoso.com;"),
        ("user [scott@contoso.com](mailto:SCOTT@contoso.com);", "user scott@contoso.com;"),
        ("user <MAILTO:scott@contoso.com|scott@contoso.com>;", "user scott@contoso.com;"),
    ],
)
def test_which_links_and_brackets_around_an_address_are_taken_off(text: str, read: str | None) -> None:
    assert unlinked(text) == (read or text)
    assert linked(text) is (read is not None)


# -- blanks after a line of SMS trace (sms._PADDED_RE) ---------------------------------------------


def test_blanks_after_a_line_that_is_no_record_are_kept() -> None:
    """Only blanks after a trailer's `>` are taken off: a mail's signature line (`-- `) is no
    place lines are left out, and a line that is no record is shown as it is."""
    lines = demo_lines()
    stats = InputStats("CloudUserSync.log")
    text = f"\n{lines[2439]}\n-- \n{lines[2440]}  \nsee the failure above  \n"
    items = list(sms.parse_text(text, 2439, ParseContext(stats)))
    assert [type(item) for item in items] == [Record, Unparsed, Record, Unparsed]
    assert [item.raw for item in items if isinstance(item, Unparsed)] == ["-- ", "see the failure above  "]
    assert (stats.gaps, stats.unparsed) == (0, 2)
