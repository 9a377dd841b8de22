"""Short excerpts cut at a width inside words (`fold -w`), too short to show that they were:
a line broken where no space was is put back together as the one known message it makes
(SPEC §2, "Pasted text as pasted")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app

from .test_as_pasted import (
    BLOG_NOTES,
    BLOG_QUOTES,
    EXCERPT_TEXT,
    _as_dated_lines,
    answers,
    cut,
    demo_window,
    how_pasted,
    quoted,
    refused,
    simulate,
    write,
)

runner = CliRunner()

CYCLE = """\
Starting user delta sync, raise failure status messages = True
Total received users from SCCM to be removed from cloud = 0
Successfully removed users from cloud 0
NotifyAccountAddition - SCCM user to add = scott@contoso.com
Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0
UserDeltaSync:- Users Added = 0, Users Removed = 0
"""
HELD_BACK = CYCLE * 2
"""Two cycles that notify scott and receive nobody: held back since before the excerpt."""

TIMES = ["10:20:04"] * 3 + ["10:20:05"] * 3 + ["10:25:04"] * 3 + ["10:25:05"] * 3
DATED = "".join(
    f"11/25/2026 {time} AM  {line}\n" for time, line in zip(TIMES, HELD_BACK.splitlines(), strict=True)
)
"""The same lines after the dates an excerpt of CMTrace's rows gives them."""


def states(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "excerpt.txt"
    path.write_text(text)
    return [(user.upn, user.state) for user in analyze([str(path)]).users]


@pytest.mark.parametrize(("text", "widths"), [(HELD_BACK, range(61, 100)), (DATED, range(61, 120))])
def test_a_short_excerpt_cut_inside_its_totals_lines_keeps_their_counts(
    tmp_path: Path, text: str, widths: range
) -> None:
    """Only the totals lines are wider than the cut (`... Total Successfully added us` and
    `ers to Cloud = 0`): two cuts, too few to read the text as cut, but the pieces make a
    known message only joined as they are. Joined with a space, they made none: the cycles
    had no counts, and scott, held back in both, was `pending`."""
    assert states(tmp_path, text) == [("scott@contoso.com", "waiting")]
    assert {width: states(tmp_path, cut(text, width)) for width in widths} == {
        width: [("scott@contoso.com", "waiting")] for width in widths
    }


LONG_NAME = HELD_BACK.replace("scott@contoso.com", "carol.smith@contoso.onmicrosoft.com")
LONG_DATED = DATED.replace("scott@contoso.com", "carol.smith@contoso.onmicrosoft.com")


@pytest.mark.parametrize(
    ("text", "widths"), [(LONG_NAME, range(61, 100)), (LONG_DATED, range(61, 120))]
)
def test_a_user_s_name_cut_at_the_width_of_a_short_excerpt_makes_no_other_user(
    tmp_path: Path, text: str, widths: range
) -> None:
    """`... user to add = carol.smith@contoso.onmic` and `rosoft.com`: the name was cut where
    no space was. Taken for a name and a word after it, it made a user `carol.smith@contoso.onmic`
    (or, cut in the totals too, left carol `pending`)."""
    name = "carol.smith@contoso.onmicrosoft.com"
    assert states(tmp_path, text) == [(name, "waiting")]
    assert {width: states(tmp_path, cut(text, width)) for width in widths} == {
        width: [(name, "waiting")] for width in widths
    }


REQUESTED = "NotifyAccountAddition - SCCM user to add = "


@pytest.mark.parametrize(
    ("line", "following", "expected"),
    [
        (REQUESTED + "carol.smith@contoso.onmic", "rosoft.com", True),
        (REQUESTED + "bob@contoso.c", "om", True),
        (REQUESTED + "bob@", "contoso.com", True),
        (REQUESTED + "bob@contoso.co", "m\t", True),
        (REQUESTED + "bob@contoso.com", "Thanks.", False),  # a word of the reply
        (REQUESTED + "bob@contoso.com", "Cheers", False),
        (REQUESTED + "bob@contoso.com", "Re.Sent", True),  # (a dot inside: a domain's)
        (REQUESTED + "bob@contoso", "com", False),  # no dot after the `@`
        (REQUESTED + "bob", "smith", False),  # no `@`
        (REQUESTED + "bob@contoso.c", " om", False),  # indented: a line of its own
        (REQUESTED + "bob@contoso.c", "om more", False),  # two words
        (REQUESTED + "bob@contoso.c", "om-", False),  # a domain ends with a letter or digit
        ("Failed to add user bob@contoso.c", "om", False),  # its line goes on to the reason
    ],
)
def test_the_rest_of_a_name_cut_at_the_width(line: str, following: str, expected: bool) -> None:
    from logsync.formats.wholes import name_cut

    assert name_cut(line, following) is expected


@pytest.mark.parametrize("word", ["thanks", "regards", "ok", "snip", "Contoso.com", "CloudUserSync.log"])
def test_a_word_after_a_whole_name_in_an_unwrapped_text_makes_no_user(
    tmp_path: Path, word: str
) -> None:
    """A text wrapped nowhere whose widest line ends with a user's name, and a word of the
    reply after it (from the review): the word was put on the name (`….comthanks`, a user
    that does not exist). A name is put back together only in a text shown cut without it."""
    name = "christopher.longname@emea.contoso.onmicrosoft.com"
    text = (
        f"NotifyAccountAddition - SCCM user to add = {name}\n"
        f"Failed to add user {name}; reason UserNotFound\n"
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0\n"
        f"NotifyAccountAddition - SCCM user to add = {name}\n"
        f"{word}\n"
    )
    assert states(tmp_path, text) == [(name, "waiting")]


Answer = tuple[int, list[tuple[str, str, str | None, int]], str]


def read(tmp_path: Path, text: str) -> Answer:
    """`report --all --format json`: its exit code, the users (name, state, reason, failures)
    and what it says on stderr."""
    path = tmp_path / "ticket.txt"
    path.write_text(text)
    result = runner.invoke(app, ["report", "--all", "--format", "json", str(path)])
    if result.exit_code == 2:
        return result.exit_code, [], result.stderr
    users = json.loads(result.stdout)["users"]
    return (
        result.exit_code,
        [(user["upn"], user["state"], user["reason"], user["failures"]) for user in users],
        result.stderr,
    )


BLOG_ANSWER = (0, [("<UPN of User Account>", "waiting", "UserNotFound", 1)], BLOG_NOTES)
"""The blog post's quotes as they stand: the user failed, then held back."""


@pytest.mark.parametrize("width", [45, 49, 52, 54, 56, 58, 62, 63])
def test_the_blog_post_s_quotes_cut_inside_words_give_their_answers(
    tmp_path: Path, width: int
) -> None:
    """`fold -w` at these widths cuts the failure's reason (`reason Use|rNotFound`) and the
    placeholder of the notification (`<UPN of U|ser Account>`). The text was not taken for cut
    (lines a record begins after, `... messages = True` or `... cloud = 0` then `Total ...`,
    counted as lines at other widths that a piece of theirs follows; only two breaks at 62 and
    63): the reason stayed `Use` (the user `failed`), and the placeholder, which may hold
    spaces, was joined with one, a second user `<UPN of U ser Account>`."""
    assert read(tmp_path, BLOG_QUOTES) == BLOG_ANSWER
    assert read(tmp_path, cut(BLOG_QUOTES, width)) == BLOG_ANSWER


@pytest.mark.parametrize("width", [49, 52, 62, 63])
def test_the_blog_post_s_quotes_cut_at_a_width_are_taken_for_cut(width: int) -> None:
    """At 49 a line ends with the record it holds (`... reason |UserNotFound`, then a blank
    line): no piece of it follows. At 62 and 63 only two lines are cut, one of them where
    a piece tells a cut (`Total Successfully a|dded`) or where no wrapper at spaces would
    have broken both (`Total Successfully |added` kept its space, `<UPN of User Accoun|t>`
    had none)."""
    assert how_pasted(cut(BLOG_QUOTES, width)) == (False, width, "", True, None)


@pytest.mark.parametrize("width", range(44, 81))
def test_the_blog_post_s_quotes_cut_at_44_to_80_columns_give_their_answers_or_none(
    tmp_path: Path, width: int
) -> None:
    """Never a different answer: the quotes' own, or the input refused (one line)."""
    answer = read(tmp_path, cut(BLOG_QUOTES, width))
    if answer[0] == 2:
        assert len(answer[2].splitlines()) == 1
    else:
        assert answer == BLOG_ANSWER


def test_dated_lines_cut_at_64_in_two_lines_one_inside_a_word_are_taken_for_cut(
    tmp_path: Path,
) -> None:
    """Three records as dated lines cut at 64, then quoted: only two lines are that wide, both
    cut (`... to be remo|ved from cloud = 0`, which makes a known message only as cut, and
    `... user to add| = heidi@contoso.com`), and they are all the lines another piece follows.
    Two cuts were too few to tell, and the text was read as wrapped; it gives the same
    answers either way."""
    text = _as_dated_lines(demo_window(2400, 2403))
    pasted = quoted(cut(text, 64), "> ")
    assert how_pasted(pasted) == (True, 64, "", True, "> ")
    assert answers(write(tmp_path, pasted)) == answers(write(tmp_path, text, "clean.log"))


def cut_off(text: str, width: int) -> str:
    """Text as `cut -c1-WIDTH` (a console that does not wrap) leaves it: each line's end past
    `width` lost."""
    return "".join(line[:width] + "\n" for line in text.splitlines())


SIGNATURE = "\nThanks,\nBob Smith\n"
FIRST_THREE = "".join(EXCERPT_TEXT.splitlines(keepends=True)[:3])
"""SPEC §1's first three lines: scott notified, failed with UserNotFound, the cycle's totals."""


def test_lines_cut_off_at_72_columns_are_no_records_and_the_input_is_refused(
    tmp_path: Path,
) -> None:
    """SPEC §1's first three lines through `cut -c1-72`, a signature after: each line is 72
    wide, its end lost (`... user to add = scott@`, `... reason User`, `... = 1, Total`), and
    nothing follows to join. They were read as they stood: scott `failed` with reason `User`,
    and a user `scott@` pending. Lines cut off at the text's width are no records; none is
    left, and the input is refused, saying why."""
    pasted = cut_off(FIRST_THREE, 72) + SIGNATURE
    assert [len(line) for line in pasted.splitlines()[:3]] == [72, 72, 72]
    path = tmp_path / "ticket.txt"
    path.write_text(pasted)
    result = runner.invoke(app, ["report", "--all", "--format", "json", str(path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"logsync: error: {path}: no whole record: 3 lines are cut off at 72 columns (their "
        "ends lost, as by `cut -c` or a console's copy); paste them whole\n"
    )


@pytest.mark.parametrize("width", [76, 80])
def test_lines_cut_off_beside_whole_ones_are_refused_not_read_around(
    tmp_path: Path, width: int
) -> None:
    """SPEC §1's excerpt through `cut -c1-76` and `-80`: the notification lines lose their
    names' ends, the totals lines their counts, a few lines are whole. Read as they stood,
    scott was `failed` with reason `UserNotF` at 76; read around (the whole lines alone) he
    would be judged without his failure or his cycle's totals: the input is refused, saying
    how many lines were cut off at what width."""
    pasted = cut_off(EXCERPT_TEXT, width)
    path = tmp_path / "ticket.txt"
    path.write_text(pasted)
    assert refused(str(path)).splitlines()[-1] == (
        f"logsync: error: {path}: 5 lines are cut off at {width} columns (their ends lost, "
        "as by `cut -c` or a console's copy); paste them whole"
    )


@pytest.mark.parametrize("width", range(44, 81))
def test_spec_s_first_lines_cut_off_at_44_to_80_columns_give_their_answers_or_none(
    tmp_path: Path, width: int
) -> None:
    """Never a different answer: the lines' own, or the input refused (one line)."""
    clean = read(tmp_path, FIRST_THREE + SIGNATURE)
    assert clean[:2] == (0, [("scott@contoso.com", "waiting", "UserNotFound", 1)])
    answer = read(tmp_path, cut_off(FIRST_THREE, width) + SIGNATURE)
    if answer[0] == 2:
        assert len(answer[2].splitlines()) == 1
    else:
        assert answer == clean


@pytest.mark.parametrize("width", [*range(30, 44, 2), *range(44, 101, 4)])
@pytest.mark.parametrize("around", ["none", "reply and signature"])
@pytest.mark.parametrize("excerpt", ["SPEC §1", "the blog post's quotes"])
def test_an_excerpt_cut_off_at_30_to_100_columns_gives_its_answers_or_none(
    tmp_path: Path, excerpt: str, around: str, width: int
) -> None:
    """`cut -c1-WIDTH` of each whole excerpt, alone or with a reply above and a signature
    below: the excerpt's own users, or the input refused in one line, never other answers.
    Before, the blog post's quotes so cut gave a user `<UPN of` pending beside one `failed`
    with reason `U` (at 50); read around the lines cut off, SPEC §1's gave scott `waiting`
    where he recovered (at 82)."""
    text = EXCERPT_TEXT if excerpt == "SPEC §1" else BLOG_QUOTES
    above, below = ("Hi,\nthe log:\n\n", "\nThanks,\nBob\n") if around != "none" else ("", "")
    clean = read(tmp_path, above + text + below)
    assert clean[1] == (
        [("scott@contoso.com", "recovered", "UserNotFound", 1)]
        if excerpt == "SPEC §1"
        else [("<UPN of User Account>", "waiting", "UserNotFound", 1)]
    )
    answer = read(tmp_path, above + cut_off(text, width) + below)
    if answer[0] == 2:
        assert len(answer[2].splitlines()) == 1
    else:
        assert answer[:2] == clean[:2]


@pytest.mark.parametrize(("width", "lines"), [(40, 3), (42, 4)])
def test_the_blog_posts_quotes_cut_off_narrower_than_they_are_put_back_together_are_refused(
    tmp_path: Path, width: int, lines: int
) -> None:
    """`cut -c1-40` of the blog post's quotes loses `; reason UserNotFound` and every count:
    no user was read, no cycle, and `check` failed on the connector (`no_cycles`) where the
    text cannot say. Narrower than message lines are put back together from, lines cut off
    are told from lines wrapped there by what follows each: a record (or nothing), never a
    piece that makes a message with it (wrapped at 40, `... <UPN of User Account>` is followed
    by `; reason UserNotFound`, and the text is read as it stands, see `test_pasted_narrow`)."""
    path = tmp_path / "ticket.txt"
    path.write_text(cut_off(BLOG_QUOTES, width))
    for command in (["check"], ["report", "--format", "json"], ["summary"]):
        result = runner.invoke(app, [*command, str(path)])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"logsync: error: {path}: {lines} lines are cut off at {width} columns (their ends "
            "lost, as by `cut -c` or a console's copy); paste them whole\n"
        )


def test_the_mark_of_a_line_cut_off_cannot_come_from_the_input(tmp_path: Path) -> None:
    """A line cut off at the width is marked with U+FDD0, a noncharacter, inside the reading.
    One in the input's own text is shown as U+FFFD, and the line is read as it stands: it
    made the input refused as cut off."""
    text = (
        "NotifyAccountAddition - SCCM user to add = a@contoso.com\ufdd0\n"
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1\n"
    )
    answer = read(tmp_path, text)
    assert answer[:2] == (0, [("a@contoso.com\ufffd", "pending", None, 0)])


def test_a_record_cut_across_the_end_of_the_lines_looked_at_is_no_sign_of_lines_cut_off(
    tmp_path: Path,
) -> None:
    """Message lines with no time through `fold -w 64`, whose notifications are each 64 wide:
    the 400th line looked at to tell how the text was pasted was `Total received users to add
    from SCCM = 0, Total Successfully ad`, its rest on the 401st. It was taken for a line cut
    off, and the text refused as "602 lines are cut off at 64 columns (their ends lost)"."""
    history = simulate(48, seed=1)
    text = history.text(9308, 9308 + 699).replace("\r\n", "\n")
    clean = "".join(re.sub(r"  \$\$<.*", "", line) + "\n" for line in text.splitlines())
    folded = cut(clean, 64)
    looked_at = [line for line in folded.splitlines() if line.strip()][:400]
    assert looked_at[-1].endswith("Total Successfully ad") and len(looked_at[-1]) == 64
    expected = answers(write(tmp_path, clean, "clean.txt"))
    assert (len(expected[0]), expected[1]["stuck"]) == (38, 32)
    assert answers(write(tmp_path, folded, "folded.txt")) == expected
