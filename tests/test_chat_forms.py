"""What a ticket, a wiki or a chat makes of a log's lines and its users' addresses.

A Markdown table of an excerpt (GitHub, Confluence, Jira) was refused: its `|` was read as
e-mail quoting ("lines of a quoted excerpt run together"). An address written as a link
(Markdown's `[bob@contoso.com](mailto:bob@contoso.com)`, Slack's `<mailto:…|…>`) or between
angle brackets was another user's name beside the address itself (sweep)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from logsync.formats.copies import code_spans, linked, unlinked, unspanned
from logsync.tables import is_table, table_text

from .conftest import SAMPLES, run_installed

TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")
DEMO_LINES = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
EXCERPT = DEMO_LINES[2400:2700]


def answers(path: Path, pure: str = "") -> list[tuple[str, str, str | None]]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    return [(u["upn"], u["state"], u["expected_recovery"]) for u in json.loads(result.stdout)["users"]]


def ticket_table(separator: str, cell: str = "{}") -> str:
    rows = ["| Time | Message |", separator]
    for line in TICKET.splitlines():
        time, message = line[:21].strip(), line[23:]
        rows.append(f"| {time} | {cell.format(message)} |")
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("separator", "cell", "before"),
    [("| --- | --- |", "{}", ""), ("|:---|---:|", "{}", ""), ("|---|---|", "`{}`", "See the log:\n\n")],
)
def test_spec_s_excerpt_as_a_markdown_table_gives_its_answers(
    tmp_path: Path, separator: str, cell: str, before: str, pure: str
) -> None:
    clean = tmp_path / "ticket.txt"
    clean.write_text(TICKET)
    path = tmp_path / "table.md"
    path.write_text(before + ticket_table(separator, cell))
    assert answers(path, pure) == answers(clean, pure) == [("scott@contoso.com", "recovered", None)]


@pytest.mark.parametrize("pure", ["", "1"])
def test_the_log_s_lines_as_a_one_column_table_give_its_answers(tmp_path: Path, pure: str) -> None:
    clean = tmp_path / "clean.log"
    clean.write_text("\n".join(EXCERPT) + "\n")
    path = tmp_path / "table.md"
    path.write_text("| CloudUserSync.log |\n| --- |\n" + "".join(f"| {line} |\n" for line in EXCERPT))
    assert answers(path, pure) == answers(clean, pure)
    assert [user[:2] for user in answers(path, pure)] == [
        ("bob@contoso.com", "waiting"), ("heidi@contoso.com", "waiting"), ("Mallory.Admin@Contoso.com", "synced")
    ]


@pytest.mark.parametrize(
    ("head", "table"),
    [
        (b"| a | b |\n| --- | --- |\n| 1 | 2 |\n", True),
        (b"text\n\n| a |\n|---|\n", True),
        (b"a | b\n--- | ---\n", True),
        (b"| a | b |\n| -- | -- |\n", False),  # (grep's `--` is two dashes)
        (b"a\n---\n", False),  # (a heading's underline)
        (b"--\n--\n", False),
        (b"x" * 4096 + b"\n| a |\n|---|\n", False),  # (beyond the head looked at)
    ],
)
def test_which_inputs_begin_with_a_markdown_table(head: bytes, table: bool) -> None:
    assert is_table(head) is table


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_table_s_rows_are_lines_with_their_cells_apart_by_tabs(end: str) -> None:
    """Its header and dashes are blank lines: each row keeps its line number in the table."""
    text = "Before\n| h1 | h2 |\n|---|---|\n| a \\| b | `c` |\n|  | d |\n\nAfter | x\n".replace("\n", end)
    assert table_text([text.encode()], "t.md").decode() == "Before\n\n\na | b\tc\n\td\n\nAfter | x\n"


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_table_s_events_name_the_table_s_own_lines(tmp_path: Path, pure: str) -> None:
    """Evidence named the line two before: the header and its dashes were left out."""
    path = tmp_path / "table.md"
    path.write_text("See the log:\n\n" + ticket_table("| --- | --- |"))
    result = run_installed("events", "--format", "ndjson", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    lines = path.read_text().splitlines()
    assert [(event["kind"], event["line"]) for event in events] == [
        ("unparsed", 1), ("user_add_requested", 5), ("user_add_failed", 6), ("add_totals", 7),
        ("user_add_requested", 8), ("add_totals", 9), ("sync_summary", 10),
    ]
    assert "Failed to add user scott@contoso.com" in lines[6 - 1]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    "form",
    ["[{0}](mailto:{0})", "<mailto:{0}|{0}>", "<{0}>", "[{1}](mailto:{0})"],
)
def test_an_address_written_as_a_link_in_some_lines_is_the_address(tmp_path: Path, form: str, pure: str) -> None:
    """scott's failure line with his address as a link: scott was `synced`, and the link a
    second user `waiting`."""
    path = tmp_path / "ticket.txt"
    linked_form = form.format("scott@contoso.com", "Scott@Contoso.com")
    path.write_text(TICKET.replace("Failed to add user scott@contoso.com", f"Failed to add user {linked_form}"))
    assert answers(path, pure) == [("scott@contoso.com", "recovered", None)]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("= [bob@contoso.com](mailto:bob@contoso.com)", "= bob@contoso.com"),
        ("= [bob@contoso.com](MAILTO:Bob@Contoso.com)", "= bob@contoso.com"),  # (found by a mutation run)
        ("user <mailto:bob@contoso.com|bob@contoso.com>; reason", "user bob@contoso.com; reason"),
        ("user <bob@contoso.com>; reason", "user bob@contoso.com; reason"),
        ("[bob@contoso.com](mailto:eve@contoso.com)", None),  # (a link to another address)
        ("<mailto:eve@contoso.com|bob@contoso.com>", None),
        ("= <UPN of User Account>", None),
        ("x<bob@contoso.com>", None),  # (not after a space or `=`)
        ("= bob@contoso.com  <mailto:bob@contoso.com>", None),  # (a link after two spaces)
        ("$$<SMS_CLOUD_USERSYNC><11-24-2026 07:00:04.622+480>", None),
    ],
)
def test_which_links_are_an_address(text: str, read: str | None) -> None:
    assert unlinked(text) == (read or text)
    assert linked(text) is (read is not None)


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ('"bob@contoso.com"', "bob@contoso.com"), ("(bob@contoso.com)", "bob@contoso.com"),
        ("bob@contoso.com.", "bob@contoso.com"), ("[bob@contoso.com],", "bob@contoso.com"),
        ("\u201cbob@contoso.com\u201d", "bob@contoso.com"), ("'bob@contoso.com'", "bob@contoso.com"),
        ("**bob@contoso.com**.", "bob@contoso.com"), ("(***@contoso.com)", "***@contoso.com"),
        ("(...@contoso.com).", "...@contoso.com"), ("\u201c\u2026@contoso.com\u201d", "\u2026@contoso.com"),
        ("o'brien@contoso.com", "o'brien@contoso.com"),
        ("[user]", "[user]"), ("(UPN)", "(UPN)"), ("<UPN of User Account>", "<UPN of User Account>"),
        ('"@"', "@"), ("*@*", "*@"),
        ('"a b@x.com"', '"a b@x.com"'), ('"><img src=x>@x.com', '"><img src=x>@x.com'),  # (no address: a space)
    ],
)
def test_a_upn_s_quotes_brackets_and_punctuation_are_taken_off_where_an_address_is_left(name: str, plain: str) -> None:
    from logsync.decoration import plain_upn

    assert plain_upn(name) == plain


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("form", ['"{}"', "({})", "{}.", "'{}'", "[{}]"])
def test_a_upn_quoted_or_bracketed_in_some_lines_is_the_user_of_the_others(tmp_path: Path, form: str, pure: str) -> None:
    """One cycle's lines of bob and heidi with their names in quotes (or brackets, or a full stop
    after): two more users, `pending`, and heidi's expected recovery moved to that cycle (found
    by a tester)."""
    lines = DEMO_LINES[2435:2458]
    clean = tmp_path / "clean.log"
    clean.write_text("\n".join(lines) + "\n")
    marked = [
        re.sub(r"(= |user )([\w.]+@contoso\.com)", lambda m: m[1] + form.format(m[2]), line) if 18 <= n <= 21 else line
        for n, line in enumerate(lines)
    ]
    assert sum(form.format("bob@contoso.com") in line for line in marked) >= 1
    path = tmp_path / "marked.log"
    path.write_text("\n".join(marked) + "\n")
    assert answers(path, pure) == answers(clean, pure)


@pytest.mark.parametrize(
    ("form", "spanned"),
    [
        ("as written", lambda line: f"`{line}`"),
        ("quoted", lambda line: f"> `{line}`"),
        ("spaced", lambda line: f"  `{line}`  "),
    ],
)
@pytest.mark.parametrize("text", ["trace", "no times"])
def test_each_line_in_a_code_span_of_its_own_gives_the_answers_of_the_lines(
    tmp_path: Path, form: str, spanned: object, text: str
) -> None:
    """A chat or a ticket that shows each of a log's lines as code (`` `…` ``): its closing
    backtick after each trailer was "2 lines are cut off at 162 columns (their ends lost)", a
    false reason, and exit 2; message lines with no time, "cut off at 87 columns"."""
    lines = EXCERPT if text == "trace" else [re.sub(r"  \$\$<.*", "", line) for line in EXCERPT]
    clean = tmp_path / "clean.log"
    clean.write_text("\n".join(lines) + "\n")
    path = tmp_path / "ticket.md"
    path.write_text("".join(spanned(line) + "\n" for line in lines))  # type: ignore[operator]
    expected = answers(clean)
    assert [(upn, state) for upn, state, _ in expected] == [
        ("bob@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("Mallory.Admin@Contoso.com", "synced"),
    ]
    assert answers(path) == answers(path, "1") == expected


@pytest.mark.parametrize(
    ("lines", "spans"),
    [
        (["`a $$<x>`", "`b`", "`c`"], True),
        (["`a`", "`b`"], False),  # (two lines: too few to tell)
        (["```", "a", "```"], False),  # (a fence, not spans)
        (["``a``", "``b``", "``c``"], False),  # (two backticks each: not one span's)
        (["`a`", "`b`", "`c`", "`d`", "Thanks"], True),  # (four in five)
        (["`a`", "`b`", "`c`", "Thanks", "Bob"], False),
        (["`a`", "`b`", "`c` and more"], False),
    ],
)
def test_lines_are_code_spans_where_four_in_five_are_one_each(lines: list[str], spans: bool) -> None:
    assert code_spans(lines) is spans
    if spans:
        assert unspanned(lines[0]) == lines[0][1:-1]
