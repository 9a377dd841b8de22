"""Logs with what a terminal or a ticket put into their text (SPEC §2, text pasted): a
terminal's colours (`grep --color=always`, also with their escape characters lost), Markdown's
marks and a sentence's full stop around a reason or a UPN. Each is read as the log it came from:
a decorated `UserNotFound` is UserNotFound (a stuck user, not one failed for good), a bold UPN
the same user."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from logsync.decoration import plain_reason, plain_upn
from logsync.formats import copies

from .conftest import SAMPLES, run_installed

DEMO = SAMPLES / "CloudUserSync.log"
ESC = "\x1b"


def _grep_coloured(text: str, escape: str = ESC) -> str:
    """`grep -Hn --color=always 'UserNotFound\\|' CloudUserSync.log` of every line: its name,
    number and separators in colour, each match highlighted."""

    def sgr(code: str) -> str:
        return f"{escape}[{code}m{escape}[K"

    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.replace("UserNotFound", f"{sgr('01;31')}UserNotFound{sgr('')}")
        lines.append(
            f"{sgr('35')}CloudUserSync.log{sgr('')}{sgr('36')}:{sgr('')}"
            f"{sgr('32')}{number}{sgr('')}{sgr('36')}:{sgr('')}{line}"
        )
    return "\n".join(lines) + "\n"


def _each_reason(mark: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: re.sub(r"(?<=reason )(\w+)", lambda m: mark(m.group(1)), text)


def _failed_upn_bold(text: str) -> str:
    """The UPN of every failure and request in Markdown bold (a ticket's emphasis)."""
    text = re.sub(r"(?<=Failed to add user )([^;]+)", r"**\1**", text)
    return re.sub(r"(?<=SCCM user to add = )(\S+)", r"`\1`", text)


DECORATIONS: dict[str, Callable[[str], str]] = {
    "grep --color=always -Hn": _grep_coloured,
    "the same, its escape characters lost": lambda text: _grep_coloured(text, ""),
    "a terminal's reset before every line": lambda text: "".join(
        f"{ESC}[0m{line}" for line in text.splitlines(keepends=True)
    ),
    "the reason coloured alone": _each_reason(lambda word: f"{ESC}[1;31m{word}{ESC}[0m"),
    "the reason in Markdown bold": _each_reason(lambda word: f"**{word}**"),
    "the reason as code": _each_reason(lambda word: f"`{word}`"),
    "a full stop after the reason": _each_reason(lambda word: f"{word}."),
    "the reason in brackets": _each_reason(lambda word: f"({word})"),
    "the reason in square brackets, then a backslash": _each_reason(lambda word: f"[{word}]\\"),
    "an ellipsis after the reason": _each_reason(lambda word: f"{word}\u2026"),
    "the reason in a word processor's quotes": _each_reason(lambda word: f"\u201c{word}\u201d"),
    "the reason in its single quotes": _each_reason(lambda word: f"\u2018{word}\u2019"),
    "the UPNs in bold and as code": _failed_upn_bold,
}


def _answers(path: Path) -> tuple[list[tuple[str, str, str, str]], int, str]:
    """The users of `report --format json` (UPN, state, reason, expected recovery), and the exit
    code and verdict of `check --fail-on stuck,failed,overdue`."""
    report = run_installed("report", "--format", "json", str(path))
    assert report.returncode == 0, report.stderr
    users = [
        (u["upn"], u["state"], u["reason"], u["expected_recovery"])
        for u in json.loads(report.stdout)["users"]
    ]
    check = run_installed("check", "--fail-on", "stuck,failed,overdue", str(path))
    return users, check.returncode, check.stdout.decode().splitlines()[-1]


@pytest.mark.parametrize("name", DECORATIONS)
@pytest.mark.parametrize("pure", ["", "1"])
def test_a_decorated_log_gives_the_answers_of_the_log(name: str, pure: str, tmp_path: Path) -> None:
    text = DEMO.read_text("utf-8-sig")
    decorated = DECORATIONS[name](text)
    assert decorated != text
    path = tmp_path / "decorated.log"
    path.write_text(decorated, encoding="utf-8")
    clean = _answers(DEMO)
    assert clean[1:] == (1, "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of 2026-11-25T16:04:59.644-08:00; 1 pending user not counted by --fail-on stuck,failed,overdue")
    assert [user[:3] for user in clean[0]][:2] == [
        ("bob@contoso.com", "waiting", "UserNotFound"),
        ("heidi@contoso.com", "waiting", "UserNotFound"),
    ]
    report = run_installed("report", "--format", "json", str(path), LOGSYNC_PURE=pure)
    users = [(u["upn"], u["state"], u["reason"], u["expected_recovery"]) for u in json.loads(report.stdout)["users"]]
    check = run_installed("check", "--fail-on", "stuck,failed,overdue", str(path), LOGSYNC_PURE=pure)
    assert (users, check.returncode, check.stdout.decode().splitlines()[-1]) == clean


def test_colours_are_taken_off_as_pasting_and_nothing_else_is() -> None:
    coloured = f"{ESC}[01;31m{ESC}[KUserNotFound{ESC}[m{ESC}[K and [35m[Kx[m[K"
    assert copies.spaced(coloured) and copies.plainly_spaced(coloured) == "UserNotFound and x"
    # (a bracket in a log's text is no colour: only grep's pair `m[K` is, without the escape)
    for text in (
        "list [0m] of users", "[1m", "x[K", "Failed to add user a[m]; reason X",
        "Value of param[Key] is 1", "\x1b[2J",  # (an escape that is no colour stays: see safety)
    ):
        assert not copies.spaced(text) and copies.plainly_spaced(text) == text


@pytest.mark.parametrize(
    ("given", "upn", "reason"),
    [
        ("**bob@contoso.com**", "bob@contoso.com", "bob@contoso.com"),
        ("`UserNotFound`.", "UserNotFound`.", "UserNotFound"),
        (" * ", " * ", " * "),  # (only marks: kept as given)
        ("...", "...", "..."),
        ("'UserNotFound'!?", "'UserNotFound'!?", "UserNotFound"),
        ("(UserNotFound)", "(UserNotFound)", "UserNotFound"),  # (a sentence's brackets)
        ("[UserNotFound]\\", "[UserNotFound]\\", "UserNotFound"),
        ("UserNotFound\u2026", "UserNotFound\u2026", "UserNotFound"),  # (Word's ellipsis)
        ("\u201cUserNotFound\u201d", "\u201cUserNotFound\u201d", "UserNotFound"),  # (curled)
        ("\u2018UserNotFound\u2019.", "\u2018UserNotFound\u2019.", "UserNotFound"),
        ("\u00abUserNotFound\u00bb", "\u00abUserNotFound\u00bb", "\u00abUserNotFound\u00bb"),
        ("User(Not)Found", "User(Not)Found", "User(Not)Found"),  # (inside, kept)
        ("_bob_", "_bob_", "_bob_"),  # (a UPN may begin and end with `_`)
        ("b*o`b", "b*o`b", "b*o`b"),  # (inside, kept)
        ("UserNotFound:", "UserNotFound:", "UserNotFound"),
        ("UserNotFound,", "UserNotFound,", "UserNotFound"),
        ("UserNotFound;", "UserNotFound;", "UserNotFound"),
    ],
)
def test_the_marks_around_a_upn_or_a_reason(given: str, upn: str, reason: str) -> None:
    assert (plain_upn(given), plain_reason(given)) == (upn, reason)
