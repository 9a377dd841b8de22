"""Short excerpts cut at a width inside words (`fold -w`), too short to show that they were:
a line broken where no space was is put back together as the one known message it makes
(SPEC §2, "Pasted text as pasted")."""

from __future__ import annotations

from pathlib import Path

import pytest

from logsync import analyze

from .test_as_pasted import cut

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
