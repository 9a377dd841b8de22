"""A ticket that points at one line of the log it pastes: Markdown's bold or code marks around
its message (`**Failed to add user …**`), or a list's mark before it (`- `, `1. `), on that
line alone. The catalogue read such a message as no known one: the failure was lost (bob,
heidi, erin and ivan `pending`, dave's LicenseLimitReached gone from the report), and one
dated line so marked was refused. The marks are taken off where the message is classified
(`decoration.unhighlighted`), by the native scanner's path and the pure one alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from logsync.decoration import unhighlighted
from logsync.events import classify, literal_starts

from .conftest import SAMPLES, run_installed
from .test_as_pasted import BLOG_QUOTES

DEMO = SAMPLES / "CloudUserSync.log"
FAILURE_RE = re.compile(r"^(Failed to add user [^ ]+; reason [A-Za-z]+)(  \$\$)", re.M)
MARKS = {
    "bold": lambda message: f"**{message}**",
    "code": lambda message: f"`{message}`",
    "bullet": lambda message: f"- {message}",
    "numbered": lambda message: f"1. {message}",
    "bullet and bold": lambda message: f"* **{message}**",
}


def users(path: Path, pure: str) -> list[tuple[str, str, str | None, str | None]]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    return [
        (u["upn"], u["state"], u["reason"], u["expected_recovery"])
        for u in json.loads(result.stdout)["users"]
    ]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("mark", list(MARKS))
def test_the_demo_log_with_its_failure_lines_highlighted_gives_the_clean_answers(
    tmp_path: Path, mark: str, pure: str
) -> None:
    text = DEMO.read_text(encoding="utf-8-sig")
    marked, count = FAILURE_RE.subn(lambda found: MARKS[mark](found[1]) + found[2], text)
    assert count == 7
    path = tmp_path / "ticket.md"
    path.write_text(marked, encoding="utf-8")
    assert users(path, pure) == users(DEMO, pure)
    assert users(path, pure)[:5] == [
        ("bob@contoso.com", "waiting", "UserNotFound", "2026-11-26T09:15:03.266-08:00"),
        ("heidi@contoso.com", "waiting", "UserNotFound", "2026-11-26T10:15:03.710-08:00"),
        ("erin@contoso.com", "waiting", "UserNotFound", "2026-11-26T14:35:05.634-08:00"),
        ("ivan@contoso.com", "overdue", "UserNotFound", "2026-11-25T08:25:04.296-08:00"),
        ("dave@contoso.com", "failed", "LicenseLimitReached", None),
    ]


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_request_highlighted_alone_is_read(tmp_path: Path, pure: str) -> None:
    """Mallory's request bulleted: she is `synced`, not `pending`."""
    request = "NotifyAccountAddition - SCCM user to add = Mallory"
    text = DEMO.read_text(encoding="utf-8-sig").replace(request, f"- {request}")
    path = tmp_path / "ticket.md"
    path.write_text(text, encoding="utf-8")
    assert ("Mallory.Admin@Contoso.com", "synced", None, None) in users(path, pure)
    assert users(path, pure) == users(DEMO, pure)


@pytest.mark.parametrize("pure", ["", "1"])
def test_spec_s_excerpt_with_its_failure_line_in_bold_fails_the_gate_as_it_stands(
    tmp_path: Path, pure: str
) -> None:
    """SPEC §1's excerpt, the failure line in bold: scott waits, as in the plain excerpt (he
    was `pending`, with "1 failed add that no failure line of the input names")."""
    plain = "".join((SAMPLES / "pasted" / "ticket.txt").read_text().splitlines(True)[:3])
    bold = re.sub(r"(Failed to add user \S+; reason \w+)", r"**\1**", plain)
    assert bold.count("**") == 2
    for name, text in (("plain.txt", plain), ("bold.md", bold)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    results = [
        run_installed("check", str(tmp_path / name), LOGSYNC_PURE=pure)
        for name in ("plain.txt", "bold.md")
    ]
    assert [(r.returncode, r.stdout.decode().splitlines()) for r in results] == [
        (1, [
            "scott@contoso.com\twaiting\tUserNotFound\texpected recovery by 2014-09-15T10:28:54",
            "FAIL: 1 user (1 waiting), limit 0 as of 2014-09-14T10:23:54",
        ])
    ] * 2


def test_one_dated_line_in_bold_is_read_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "one.md"
    path.write_text(
        "9/14/2014 10:23:54 AM  **Failed to add user scott@contoso.com; reason UserNotFound**\n"
    )
    result = run_installed("check", str(path))
    assert (result.returncode, result.stdout.decode().splitlines()[0]) == (
        1, "scott@contoso.com\twaiting\tUserNotFound\texpected recovery by 2014-09-15T10:28:54",
    )


FAILED = "Failed to add user bob@contoso.com; reason UserNotFound"


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        (f"**{FAILED}**", FAILED),
        (f"__{FAILED}__", FAILED),
        (f"*{FAILED}*", FAILED),
        (f"`{FAILED}`", FAILED),
        (f"``{FAILED}``", FAILED),
        (f"**{FAILED}**  ", FAILED),  # (spaces before the trailer)
        (f"- {FAILED}", FAILED),
        (f"+ {FAILED}", FAILED),
        (f"\u2022 {FAILED}", FAILED),
        (f"1. {FAILED}", FAILED),
        (f"12) {FAILED}", FAILED),
        (f"999.\t{FAILED}", FAILED),
        (f"- **{FAILED}**", FAILED),
        # not a highlight: the marks unbalanced, no space after a list's mark, a number too long
        (f"**{FAILED}*", None),
        (f"**{FAILED}", None),
        (f"-{FAILED}", None),
        (f"1000. {FAILED}", None),
        (f"** {FAILED}**", None),
        (FAILED, None),
    ],
)
def test_what_is_taken_off_a_highlighted_message(message: str, plain: str | None) -> None:
    assert unhighlighted(message) == plain


def test_only_a_known_message_is_read_through_its_highlight() -> None:
    assert classify(f"**{FAILED}**", highlighted=True) == classify(FAILED)
    assert classify(f"1. {FAILED}", highlighted=True)[0] == "user_add_failed"
    assert classify("**Users are not syncing**", highlighted=True) == ("message", None)
    assert classify("- see below", highlighted=True) == ("message", None)
    assert classify("*** Error in something ***", highlighted=True) == ("message", None)
    # where the shape of a text is told (a list's numbers before every line), it is no record
    assert classify(f"1. {FAILED}") == ("message", None)


def test_the_native_scanner_lets_a_highlighted_message_through_to_the_catalogue() -> None:
    """Its literal prefixes (the messages it hands to the catalogue) hold the marks' first
    characters, but not `•`, which no Latin-1 text holds."""
    starts = literal_starts({"user_add_failed"})
    assert starts is not None
    assert {"*", "_", "`", "-", "+", "0", "9"} <= set(starts)
    assert any(start.startswith("Failed") for start in starts)
    assert "\u2022" not in starts


def test_a_list_of_two_marks_before_every_line_is_read_as_the_log(tmp_path: Path) -> None:
    """`- ` and `* ` before alternate lines (a list whose marks a paste mixed): no prefix of
    one shape to take off, so it was refused ("none of its 3,041 records is a message the
    connector is known to write"); each line's mark is a highlight of it, taken off."""
    lines = DEMO.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path = tmp_path / "two.log"
    path.write_text("".join(("- " if n % 2 else "* ") + line for n, line in enumerate(lines)))
    assert users(path, "") == users(DEMO, "")


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("mark", list(MARKS))
def test_the_blog_post_s_quotes_with_their_failure_line_highlighted_give_their_answers(
    tmp_path: Path, mark: str, pure: str
) -> None:
    """Lines with no time: the failure line marked was no record (`unparsed`), and the user was
    held back since before the input, its reason unknown."""
    failure = BLOG_QUOTES.splitlines()[0]
    marked = BLOG_QUOTES.replace(failure, MARKS[mark](failure), 1)
    for name, text in (("plain.txt", BLOG_QUOTES), ("marked.txt", marked)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    results = [
        run_installed("check", str(tmp_path / name), LOGSYNC_PURE=pure)
        for name in ("plain.txt", "marked.txt")
    ]
    assert [(r.returncode, r.stdout.decode().splitlines()[0]) for r in results] == [
        (1, "<UPN of User Account> (not a UPN)\twaiting\tUserNotFound\t"
            "expected recovery unknown: the input has no times"),
    ] * 2
    assert b"no record" not in results[1].stderr
