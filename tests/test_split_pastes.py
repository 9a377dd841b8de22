"""A record that a chat or a ticket split in two: a long paste sent as two messages, its pieces
apart by a blank line or by the chat's header (`... = bob@con` / `` / `toso.com  $$<...>`).

bob's request was a line that is no record: bob was `overdue` (his timer ran out and the
connector seemed to skip him) where he waits; with a chat's header between, a user
`bob@con Jane Doe 10:42 AM toso.com` appeared. In SPEC §1's excerpt a user `scott@c` was
`synced` and scott `waiting` where he recovered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logsync.formats import joins
from logsync.formats.wholes import MESSAGES, TRACE

from .conftest import SAMPLES, run_installed

DEMO = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
TAIL = DEMO[-100:]
"""The demo's last 100 lines: bob, heidi and erin held back, notified in every cycle."""
TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8").splitlines()
BETWEEN = [
    [""],
    ["", ""],
    ["Jane Doe 10:42 AM"],
    ["[10:42 AM] Jane Doe"],
    ["", "Jane Doe 10:42 AM", ""],
]
"""What may stand between the pieces: blank lines, a chat's header, both."""


def split(lines: list[str], index: int, after: str, between: list[str]) -> list[str]:
    line = lines[index]
    at = line.index(after) + len(after)
    return [*lines[:index], line[:at], *between, line[at:], *lines[index + 1 :]]


def users(path: Path, pure: str) -> list[tuple[str, str, str | None]]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    return [(u["upn"], u["state"], u["expected_recovery"]) for u in json.loads(result.stdout)["users"]]


def written(tmp_path: Path, lines: list[str], name: str = "split.log") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("between", BETWEEN, ids=["blank", "2 blank", "header", "[header]", "both"])
@pytest.mark.parametrize("after", ["bob@con", "= bob", "  $$<SMS_CLOUD_USERSYNC><"])
def test_a_request_split_apart_is_read_whole(tmp_path: Path, after: str, between: list[str], pure: str) -> None:
    index = next(i for i, line in enumerate(TAIL) if "bob@contoso.com" in line and "15:35:04.763" in line)
    path = written(tmp_path, split(TAIL, index, after, between))
    assert users(path, pure) == [
        ("bob@contoso.com", "waiting", "2026-11-26T15:00:05.819-08:00"),
        ("erin@contoso.com", "waiting", "2026-11-26T15:00:05.819-08:00"),
        ("heidi@contoso.com", "waiting", "2026-11-26T15:00:05.819-08:00"),
        ("frank@contoso.com", "pending", None),
    ]
    assert users(path, pure) == users(written(tmp_path, TAIL, "clean.log"), pure)


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("after", ["bob@con", "; reason Use"])
def test_a_failure_split_apart_is_read_whole(tmp_path: Path, after: str, pure: str) -> None:
    excerpt = DEMO[2400:2700]
    index = next(i for i, line in enumerate(excerpt) if line.startswith("Failed to add user bob@"))
    path = written(tmp_path, split(excerpt, index, after, ["", "Jane Doe 10:42 AM"]))
    assert users(path, pure) == users(written(tmp_path, excerpt, "clean.log"), pure)
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert check.returncode == 1
    assert check.stdout.decode().splitlines()[-1].startswith("FAIL: 2 users (2 waiting)")


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("between", BETWEEN[:3], ids=["blank", "2 blank", "header"])
def test_spec_s_excerpt_with_a_name_split_apart(tmp_path: Path, between: list[str], pure: str) -> None:
    path = written(tmp_path, split(TICKET, 3, "scott@c", between), "ticket.txt")
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    found = json.loads(result.stdout)["users"]
    assert [(u["upn"], u["state"], u["recovered_at"]) for u in found] == [
        ("scott@contoso.com", "recovered", "2014-09-15T10:24:12")
    ]


@pytest.mark.parametrize(
    "between",
    [["", "", "", ""], ["", "", "Jane Doe 10:42 AM", ""], ["Thanks, see below"]],
    ids=["4 blank", "4 lines", "words"],
)
def test_pieces_further_apart_or_apart_by_words_are_not_joined_across(tmp_path: Path, between: list[str]) -> None:
    """At most `MOST_BETWEEN` lines, blank or a chat's header, stand between two pieces."""
    index = next(i for i, line in enumerate(TAIL) if "15:35:04.763" in line)
    path = written(tmp_path, split(TAIL, index, "bob@con", between))
    assert ("bob@contoso.com", "waiting", "2026-11-26T15:00:05.819-08:00") not in users(path, "")


REQUEST = "NotifyAccountAddition - SCCM user to add = bob@contoso.com  $$<SMS_CLOUD_USERSYNC><11-25-2026 15:35:04.763+480><thread=5616 (0x15F0)>"
REST = REQUEST.split("bob@con")[1]


@pytest.mark.parametrize(
    ("pending", "line", "whole_by", "expected"),
    [
        (["NotifyAccountAddition - SCCM user to add = bob@con"], REST, TRACE, REQUEST),
        (["NotifyAccountAddition - SCCM user to add = bob@con"], " " + REST, TRACE, None),
        (["NotifyAccountAddition - SCCM user to add = bob@con"], "", TRACE, None),
        (["NotifyAccountAddition - SCCM user to add = bob@con"], REQUEST, TRACE, None),
        (["NotifyAccountAddition - SCCM user to add = bob@con"], "toso.com", TRACE, None),
        (["Successfully removed users from cloud 0"], REST, TRACE, None),
        (["NotifyAccountAddition - SCCM user to add = scott@c"], "ontoso.com", MESSAGES,
         "NotifyAccountAddition - SCCM user to add = scott@contoso.com"),
        (["NotifyAccountAddition - SCCM user to add = scott@c"], "Thanks.", MESSAGES, None),
        # (a whole address and a word of the reply after it: no name cut short)
        (["NotifyAccountAddition - SCCM user to add = scott@contoso.com"], "thx", MESSAGES, None),
        (["NotifyAccountAddition - SCCM user to add = scott@contoso.com"], "jdoe", MESSAGES, None),
        (["NotifyAccountAddition - SCCM user to add = scott@contoso."], "com", MESSAGES,
         "NotifyAccountAddition - SCCM user to add = scott@contoso.com"),
        (["NotifyAccountAddition - SCCM user to add = scott@c"], "  ontoso.com", MESSAGES, None),
        (["Failed to add user scott@c"], "ontoso.com; reason UserNotFound", MESSAGES,
         "Failed to add user scott@contoso.com; reason UserNotFound"),
        (["Failed to add user scott@c"], "Failed to add user erin@contoso.com; reason UserNotFound",
         MESSAGES, None),
    ],
)
def test_across(pending: list[str], line: str, whole_by: str, expected: str | None) -> None:
    assert joins.across(pending, line, whole_by) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("", True),
        ("   ", True),
        ("Jane Doe 10:42 AM", True),
        ("Jane Doe  10:42", True),
        ("Jane Doe, Yesterday 10:42 AM", True),
        ("Jane Doe 9/16/2014 10:42 AM", True),
        ("[10:42 AM] Jane Doe", True),
        ("[9/16/2014 10:42 AM] Jane Doe:", True),
        ("Jane Doe", False),
        ("10:42 AM", False),
        ("Thanks, see below", False),
        ("jane doe 10:42 AM", False),
        ("9/15/2014 10:24:12 AM", False),
        ("Jane Doe 10:42 AM Total received users to add from SCCM = 0", False),
        ("Jane Van Der Berg Smith 10:42 AM", False),
    ],
)
def test_what_may_stand_between_pieces(line: str, expected: bool) -> None:
    assert joins.between(line) is expected


def test_a_text_is_taken_for_pasted_where_blank_lines_split_a_record() -> None:
    sample = "\n".join(split(TICKET, 3, "scott@c", [""])) + "\n"
    assert joins.split_apart(sample, MESSAGES)
    assert not joins.split_apart("\n".join(split(TICKET, 3, "scott@c", ["", "", "", ""])) + "\n", MESSAGES)
    assert not joins.split_apart("\n".join(TICKET) + "\n", MESSAGES)
    assert not joins.split_apart("\n".join(split(TICKET, 3, "scott@c", [])) + "\n", MESSAGES)


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("between", [[""], ["Jane Doe 10:42 AM"]], ids=["blank", "header"])
@pytest.mark.parametrize("reply", ["thx", "ok", "cheers"])
def test_a_word_of_the_reply_after_a_whole_address_is_no_part_of_it(
    tmp_path: Path, between: list[str], reply: str, pure: str
) -> None:
    path = written(tmp_path, [*TICKET[:2], *between, reply], "ticket.txt")
    assert [user[:2] for user in users(path, pure)] == [("scott@contoso.com", "waiting")]

