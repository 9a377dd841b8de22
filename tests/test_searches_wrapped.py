"""A search's output hard-wrapped (an e-mail client, a ticket, a console of 120 columns): the
number, path or mark before each line, then the records broken at the width, at any column
(`fold`) or at spaces (`fold -s`). The number was taken off only where a record sat on one
line (sweep): dave's failure, behind `554:`, was read as a message (dave `pending`), wrapped
at 61-70 columns the input was refused, and `Select-String -Context`'s marks with no path
(`> ` before the line it found, two spaces before the others) were never taken off."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app

from .conftest import SAMPLES

LINES = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()

FORMS = {
    "grep -n": lambda n, line, found: f"{n}:{line}",
    "grep -n -C": lambda n, line, found: f"{n}{':' if found else '-'}{line}",
    "Select-String with a path": lambda n, line, found: (
        f"{'>' if found else ' '} C:\\Windows\\Logs\\CloudUserSync.log:{n}:{line}"
    ),
    "Select-String -Context": lambda n, line, found: f"{'> ' if found else '  '}{line}",
}


def fold(text: str, width: int, at_spaces: bool) -> str:
    """`fold -w` (at any column) or `fold -s -w` (at the last space that fits)."""
    out = []
    for line in text.splitlines():
        if at_spaces:
            out.extend(textwrap.wrap(line, width, drop_whitespace=False, break_on_hyphens=False))
        else:
            out.extend(line[k : k + width] for k in range(0, len(line), width)) if line else out.append("")
    return "\n".join(out) + "\n"


def users(path: Path) -> list[tuple[str, str, str | None]]:
    result = CliRunner().invoke(app, ["report", "--all", "--format", "json", str(path)])
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["users"]
    return [(user["upn"], user["state"], user["expected_recovery"]) for user in found]


def searched(first: int, last: int, form: str, found: str) -> str:
    make = FORMS[form]
    return "\n".join(
        make(n, LINES[n - 1], found in LINES[n - 1]) for n in range(first, last + 1)
    ) + "\n"


EXCERPT = [
    ("heidi@contoso.com", "waiting", "2026-11-26T09:05:14.848-08:00"),
    ("bob@contoso.com", "waiting", "2026-11-26T09:10:14.885-08:00"),
    ("Mallory.Admin@Contoso.com", "synced", None),
]
DAVE = [
    ("heidi@contoso.com", "waiting", "2026-11-25T13:20:05.493-08:00"),
    ("dave@contoso.com", "failed", None),
]


WIDTHS = [
    (form, width)
    for form in FORMS
    # (a path of 35 characters before each line: the pieces of a record too short below 56)
    for width in ([56] if "path" in form else [44, 46, 48, 49]) + [61, 67, 76, 83, 100, 120]
]


@pytest.mark.parametrize(("form", "width"), WIDTHS)
@pytest.mark.parametrize("at_spaces", [False, True])
def test_a_search_of_the_demo_log_wrapped_is_read_as_unwrapped(tmp_path: Path, form: str, width: int, at_spaces: bool) -> None:
    path = tmp_path / "search.txt"
    path.write_text(fold(searched(2434, 2460, form, "Failed to add"), width, at_spaces))
    assert users(path) == EXCERPT


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("width", [None, 76, 100, 120])
def test_dave_s_failure_behind_the_search_s_mark(tmp_path: Path, form: str, width: int | None) -> None:
    text = searched(552, 556, form, "LicenseLimit")
    path = tmp_path / "dave.txt"
    path.write_text(text if width is None else fold(text, width, at_spaces=False))
    assert users(path) == DAVE


@pytest.mark.parametrize("form", ["grep -n", "grep -n -C"])
def test_narrower_than_44_columns_the_search_is_refused_not_misread(tmp_path: Path, form: str) -> None:
    """A record's middle piece keeps what looks like a number (`1-25-2026 …><thread=`: review),
    at any width; at 36 columns the pieces are too short to tell the search's marks (exit 2)."""
    path = tmp_path / "narrow.txt"
    path.write_text(fold(searched(2434, 2460, form, "Failed to add"), 36, at_spaces=False))
    result = CliRunner().invoke(app, ["report", "--all", "--format", "json", str(path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"logsync: error: {path}: none of its 27 SMS_CLOUD_USERSYNC records")


def test_quoting_alone_is_no_select_string_mark(tmp_path: Path) -> None:
    """An e-mail reply's `> ` before every line, with no line of two spaces: quoting, read as
    before (the same users)."""
    path = tmp_path / "reply.txt"
    path.write_text("".join(f"> {line}\n" for line in LINES[2433:2460]))
    assert users(path) == EXCERPT


@pytest.mark.parametrize("form", ["grep -n", "grep -n -C"])
@pytest.mark.parametrize("indent", ["  ", "    ", "\t"])
@pytest.mark.parametrize("width", [None, 100])
def test_a_search_indented_whole(tmp_path: Path, form: str, indent: str, width: int | None) -> None:
    """The search's output indented as a ticket's quote block indents it (fuzzing: the lines
    it found, behind `NN:`, were read as messages, and the user searched for vanished)."""
    text = "".join(f"{indent}{line}\n" for line in searched(2434, 2460, form, "Failed to add").splitlines())
    path = tmp_path / "indented.txt"
    path.write_text(text if width is None else fold(text, width, at_spaces=False))
    assert users(path) == EXCERPT


def first_failures(path: Path) -> list[tuple[str, str, str | None]]:
    result = CliRunner().invoke(app, ["report", "--all", "--format", "json", str(path)])
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["users"]
    return [(user["upn"], user["state"], user["first_failure"]) for user in found]


@pytest.mark.parametrize("quoted", [False, True])
def test_a_wrapped_excerpt_numbered_after_keeps_a_time_s_rest_whole(tmp_path: Path, quoted: bool) -> None:
    """A reply's excerpt (lines 2400 to 2700 of the demo log), wrapped at 80 columns at spaces,
    then numbered (`grep -n ''`): a totals line's third piece, `11:08:40:05.029+480>…`, is the
    number 11 before a whole time (the piece after its date). It was read as a time's rest,
    not unnumbered: 129 lines were no record, heidi (held back since before the excerpt) got
    a first failure at 10:10:08, and Mallory was `pending`."""
    excerpt = "\n".join(LINES[2399:2700]) + "\n"
    (tmp_path / "clean.log").write_text(excerpt, encoding="utf-8")
    if quoted:
        excerpt = "".join(f"> {line}\n" for line in excerpt.splitlines())
    wrapped = fold(excerpt, 80, at_spaces=True).splitlines()
    numbered = "".join(f"{n}:{line}\n" for n, line in enumerate(wrapped, 1))
    rests = re.findall(r"^\d+:\d\d:\d\d:\d\d\.\d{3}\+480>", numbered, re.MULTILINE)
    assert len(rests) == 44  # (a number, then a whole time: a record's last piece)
    (tmp_path / "numbered.txt").write_text(numbered, encoding="utf-8")
    assert first_failures(tmp_path / "numbered.txt") == first_failures(tmp_path / "clean.log") == [
        ("bob@contoso.com", "waiting", "2026-11-25T09:10:08.462-08:00"),
        ("heidi@contoso.com", "waiting", None),
        ("Mallory.Admin@Contoso.com", "synced", None),
    ]


@pytest.mark.parametrize("width", [68, 80, 98, 128])
@pytest.mark.parametrize("at_spaces", [False, True])
@pytest.mark.parametrize("quoted", [False, True])
def test_a_wrapped_excerpt_numbered_after_reads_as_the_excerpt(
    tmp_path: Path, quoted: bool, at_spaces: bool, width: int
) -> None:
    """The same excerpt quoted or not, wrapped at spaces or cut anywhere, then numbered: each
    piece's number taken off, pieces that begin with a field of the trailer (`6::04.681+480>`,
    `90:11-25-2026 09:10…`) too, and the records put back together."""
    excerpt = "\n".join(LINES[2399:2700]) + "\n"
    (tmp_path / "clean.log").write_text(excerpt, encoding="utf-8")
    if quoted:
        excerpt = "".join(f"> {line}\n" for line in excerpt.splitlines())
    wrapped = fold(excerpt, width, at_spaces).splitlines()
    numbered = "".join(f"{n}:{line}\n" for n, line in enumerate(wrapped, 1))
    (tmp_path / "numbered.txt").write_text(numbered, encoding="utf-8")
    assert users(tmp_path / "numbered.txt") == users(tmp_path / "clean.log")


def stdin_users(text: str) -> list[tuple[str, str, str | None]]:
    result = CliRunner().invoke(app, ["report", "--all", "--format", "json", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    assert "no record" not in result.stderr and "cut short" not in result.stderr, result.stderr
    found = json.loads(result.stdout)["users"]
    return [(user["upn"], user["state"], user["expected_recovery"]) for user in found]


EXCERPT_2400 = [
    ("bob@contoso.com", "waiting", "2026-11-26T09:10:13.685-08:00"),
    ("heidi@contoso.com", "waiting", "2026-11-26T10:10:14.129-08:00"),
    ("Mallory.Admin@Contoso.com", "synced", None),
]


@pytest.mark.parametrize("width", [48, 56, 64, 76, 104, 128])
@pytest.mark.parametrize("at_spaces", [False, True])
@pytest.mark.parametrize("quoted", [False, True])
def test_a_wrapped_excerpt_searched_on_standard_input(quoted: bool, at_spaces: bool, width: int) -> None:
    """`fold … | grep -H -n '' -`: grep names standard input `(standard input)` before each
    line's number. The name was no file's (no `.log`), so the number was taken for a time's
    rest (`(standard input):14:05.029+480>`): 129 lines were no record, or the input refused
    (quoted). A name before the number makes it a search's, whatever follows."""
    excerpt = "\n".join(LINES[2399:2700]) + "\n"
    assert stdin_users(excerpt) == EXCERPT_2400
    if quoted:
        excerpt = "".join(f"> {line}\n" for line in excerpt.splitlines())
    wrapped = fold(excerpt, width, at_spaces).splitlines()
    numbered = "".join(f"(standard input):{n}:{line}\n" for n, line in enumerate(wrapped, 1))
    assert stdin_users(numbered) == EXCERPT_2400


@pytest.mark.parametrize("width", [52, 104])
def test_a_quoted_excerpt_cut_then_numbered_keeps_each_piece_s_number_apart(width: int) -> None:
    """Quoted, cut at 52 or 104 columns, then `grep -n ''`: the piece after `…08:4` is
    `2:0:04.407+480>` (number 2, then `0:04.407`), which reads as a time's rest too. It was
    left on, so the text was told not numbered (no record in four in five) and refused (52)
    or read with records cut short (104). Where the piece bears the number after its record's
    line, it is tried without it."""
    excerpt = "".join(f"> {line}\n" for line in LINES[2399:2700])
    wrapped = fold(excerpt, width, at_spaces=False).splitlines()
    numbered = "".join(f"{n}:{line}\n" for n, line in enumerate(wrapped, 1))
    assert "\n2:0:04.407+480><thread=5616 (0x15F0)>\n" in numbered if width == 104 else True
    assert "\n3:0:04.407+480><thread=5616 (0x15F0)>\n" in numbered if width == 52 else True
    assert stdin_users(numbered) == EXCERPT_2400


@pytest.mark.parametrize("form", ["Select-String with a path", "Select-String -Context"])
@pytest.mark.parametrize("bullet", ["- ", "* ", "1. "])
@pytest.mark.parametrize("width", [None, 100])
@pytest.mark.parametrize(("found", "marked"), [("Failed to add", 1), ("user", 23)])
def test_a_list_of_select_string_s_lines(
    tmp_path: Path, form: str, bullet: str, width: int | None, found: str, marked: int
) -> None:
    """A Markdown list of `Select-String -Context`'s lines (`- > C:\\…:2441:Failed…` where it
    found one, `-   C:\\…` where it shows context): two shapes of prefix, so only the context
    lines' was taken off and bob's failure was lost (`1 failed add that no failure line
    names`). Its `>` between spaces is one shape with the spaces."""
    text = "".join(
        f"{bullet}{line}\n" for line in searched(2434, 2460, form, found).splitlines()
    )
    assert text.count(f"{bullet}> ") == marked  # (bob's failure; or most lines, found)
    path = tmp_path / "listed.txt"
    path.write_text(text if width is None else fold(text, width, at_spaces=False))
    assert users(path) == EXCERPT
    result = CliRunner().invoke(app, ["events", "--format", "csv", "--kind", "unparsed", str(path)])
    assert (result.exit_code, result.stdout.splitlines()[1:]) == (0, [])  # (every line a record)


@pytest.mark.parametrize("width", [40, 41, 42, 43])
@pytest.mark.parametrize("form", ["{n:6}\t{line}", "{n}:{line}"])  # (`cat -n`, `grep -n ''`)
def test_a_quoted_excerpt_cut_at_40_columns_then_numbered(width: int, form: str) -> None:
    """The narrowest widths of the sweep: quoted, cut anywhere at 40 columns, then `cat -n`.
    Whether the text was wrapped is told from its lines with their numbers off, where the
    number after the last one taken off goes too (`2:0:04.407+480>`, a time's rest with no
    number): left on, the pieces' widths said no wrapping, and the text was refused."""
    excerpt = "".join(f"> {line}\n" for line in LINES[2399:2700])
    wrapped = fold(excerpt, width, at_spaces=False).splitlines()
    numbered = "".join(form.format(n=n, line=line) + "\n" for n, line in enumerate(wrapped, 1))
    assert stdin_users(numbered) == EXCERPT_2400
