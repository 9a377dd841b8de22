"""Edges of the rules added most recently that no other test pinned (found by a mutation run of
them): a record's pieces joined across blank lines (`joins.across`: which rest of a name joins,
an indented line or a whole trace record never) and a sample that shows it (`split_apart`: up to
three blank lines, its last line unread, blank lines counted afresh after each line); a date
then one space before a message wrapped before its end (`paste._dated`); a redacted name named
again in a cycle (`rules`: within that cycle only, held back or not, its start left out or not,
failures at most a minute apart and with times) and what is said of it (no recovery by a timer);
users whose outcome is unknown (a retry left out may be waiting; an undetermined user's timeline
says so); an input newest first read as rows (`bulk.newest_rows`: a thread's disorder is no new
run, more is; no row lost past a batch of 4096); and Ctrl-C met in a finalizer (the handler
records it, the hook keeps stderr quiet, the command ends with 130)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from logsync import reading
from logsync.analysis import analyze
from logsync.cli import application
from logsync.formats import joins, paste, unwrapping
from logsync.formats.wholes import MESSAGES, TRACE
from logsync.merge import NEWEST_FIRST
from logsync.tracker import SHARED_NAME

from .conftest import SAMPLES, run_installed

DEMO = SAMPLES / "CloudUserSync.log"
DEMO_LINES = DEMO.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)
TRAILER = "  $$<SMS_CLOUD_USERSYNC><11-25-2026 15:35:04.763+480><thread=5616 (0x15F0)>"
PLACEHOLDER = "<UPN of User Account>"

# -- a record's pieces across blank lines (joins.across) -----------------------------------------


def test_a_name_s_rest_after_two_pieces_joins_all_three() -> None:
    """Two pieces pending (`... = scott@c`, `ontoso`): the rest joins all of them, not the
    first piece alone (`scott@c.com`)."""
    pending = ["NotifyAccountAddition - SCCM user to add = scott@c", "ontoso"]
    assert joins.across(pending, ".com", MESSAGES) == (
        "NotifyAccountAddition - SCCM user to add = scott@contoso.com"
    )


def test_a_name_s_rest_with_spaces_after_it_joins_without_them() -> None:
    """A chat's line keeps the spaces typed after it: the name joined ends at its last letter."""
    pending = ["NotifyAccountAddition - SCCM user to add = scott@c"]
    assert joins.across(pending, "ontoso.com   ", MESSAGES) == (
        "NotifyAccountAddition - SCCM user to add = scott@contoso.com"
    )


def test_an_indented_trailer_is_no_piece_of_a_record_across_a_blank_line() -> None:
    """A piece begins at the line's start: an indented line is an excerpt's own, not the rest
    of a record (unindented, it is)."""
    pending = ["NotifyAccountAddition - SCCM user to add = bob@contoso.com"]
    assert joins.across(pending, "  " + TRAILER.lstrip(), TRACE) is None
    assert joins.across(pending, TRAILER.lstrip(), TRACE) == (
        "NotifyAccountAddition - SCCM user to add = bob@contoso.com " + TRAILER.lstrip()
    )


def test_an_excerpt_s_piece_that_is_a_whole_trace_record_is_no_rest_of_one() -> None:
    """Of message lines, a line that is a whole SMS-trace record by itself is a record, not the
    rest of the failure before the blank line (read as a trace, it is that rest)."""
    pending = ["Failed to add user scott@c"]
    line = "ontoso.com; reason UserNotFound" + TRAILER
    assert joins.across(pending, line, MESSAGES) is None
    assert joins.across(pending, line, TRACE) == "Failed to add user scott@contoso.com; reason UserNotFound" + TRAILER


def test_a_record_that_begins_after_the_first_piece_is_not_joined_across() -> None:
    """A line of the reply, then a piece: across a blank line only pieces that all make the
    record join (the record begins at the first of them), else none."""
    pending = ["Thanks, see below", "NotifyAccountAddition - SCCM user to add = bob@con"]
    assert joins.across(pending, TRAILER.join(["toso.com", ""]), TRACE) is None
    assert joins.across(pending[1:], TRAILER.join(["toso.com", ""]), TRACE) == BOB


def test_a_name_broken_at_its_hyphen_joins_across_a_blank_line() -> None:
    """A name that ends with a hyphen before its `@` is cut short (`Bob.Smith-` / `Jones@...`)."""
    pending = ["NotifyAccountAddition - SCCM user to add = Bob.Smith-"]
    assert joins.across(pending, "Jones@contoso.com", MESSAGES) == (
        "NotifyAccountAddition - SCCM user to add = Bob.Smith-Jones@contoso.com"
    )


def test_a_gap_mark_after_a_name_ending_with_a_dot_is_no_rest_of_it() -> None:
    """`... = scott@contoso.` / `` / `snip`: the writer's mark of lines left out, not `.snip`."""
    pending = ["NotifyAccountAddition - SCCM user to add = scott@contoso."]
    assert joins.across(pending, "snip", MESSAGES) is None
    assert joins.across(pending, "com", MESSAGES) == "NotifyAccountAddition - SCCM user to add = scott@contoso.com"


REQUESTED = "NotifyAccountAddition - SCCM user to add = "


@pytest.mark.parametrize(
    ("cut", "rest", "expected"),
    [
        # (a domain of several dots, cut after its last: the dot tells it was cut)
        ("carol.smith@contoso.onmicrosoft.", "com", "carol.smith@contoso.onmicrosoft.com"),
        # (a domain broken at its hyphen: the rest of the domain, no `@` in it)
        ("scott@my-", "company.com", "scott@my-company.com"),
        # (a word of the reply in capitals, no dot inside: no part of a domain)
        ("scott@contoso.", "Thanks", None),
        # (the rest leaves no dot in the domain: no address)
        ("scott@c", "ontoso", None),
        # (nothing before the `@`: no name cut short)
        ("@c", "ontoso.com", None),
        # (the domain is its dot alone)
        ("scott@", ".com", None),
    ],
)
def test_the_rest_of_a_name_across_a_blank_line(cut: str, rest: str, expected: str | None) -> None:
    assert joins.across([REQUESTED + cut], rest, MESSAGES) == (None if expected is None else REQUESTED + expected)


TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8").splitlines()
"""SPEC §1's excerpt: its fourth line names `scott@contoso.com`."""


def cut_apart(lines: list[str], between: list[str]) -> list[str]:
    """The excerpt with its fourth line cut after `scott@c`, `between` before its rest."""
    line = lines[3]
    at = line.index("scott@c") + len("scott@c")
    return [*lines[:3], line[:at], *between, line[at:], *lines[4:]]


def test_three_blank_lines_may_split_a_record_in_a_sample() -> None:
    assert joins.split_apart("\n".join(cut_apart(TICKET, ["", "", ""])) + "\n", MESSAGES)


def test_a_sample_s_last_line_which_a_sample_may_cut_tells_nothing() -> None:
    """The rest of the name on the sample's last line, with no line end: that line may be cut
    where the sample ends, and is not read."""
    assert not joins.split_apart("\n".join(cut_apart(TICKET[:4], [""])), MESSAGES)
    assert joins.split_apart("\n".join(cut_apart(TICKET[:4], [""])) + "\n", MESSAGES)


def test_a_blank_line_earlier_in_a_sample_does_not_split_a_name_wrapped_later() -> None:
    """A blank line after the first record, and a name cut at the end of a line further on (a
    wrapped line, nothing between): no record split apart by blank lines."""
    lines = [TICKET[0], "", *TICKET[1:3], *cut_apart(TICKET, [])[3:]]
    assert not joins.split_apart("\n".join(lines) + "\n", MESSAGES)


BOB = "NotifyAccountAddition - SCCM user to add = bob@contoso.com" + TRAILER
ERIN = (
    "NotifyAccountAddition - SCCM user to add = erin@contoso.com  $$<SMS_CLOUD_USERSYNC>"
    "<11-25-2026 15:35:04.764+480><thread=5616 (0x15F0)>"
)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # (joined on its first line; the header stays, the rest's line is blank)
        ([BOB[:50], "", "Jane Doe 10:42 AM", BOB[50:], ERIN], [BOB, "", "Jane Doe 10:42 AM", "", ERIN]),
        # (two pieces before the blank line: the second's line blank too)
        ([BOB[:45], BOB[45:90], "", BOB[90:], ERIN], [BOB, "", "", "", ERIN]),
        # (two pieces, then a header: the second piece's line blank, the header in its place)
        ([BOB[:45], BOB[45:90], "Jane Doe 10:42 AM", BOB[90:], ERIN], [BOB, "", "Jane Doe 10:42 AM", "", ERIN]),
        # (words between: nothing joined, every line as it stands, in its place)
        ([BOB[:50], "", "Thanks, see below", ERIN], [BOB[:50], "", "Thanks, see below", ERIN]),
        # (blank lines after a piece at the end: kept after it)
        ([ERIN, BOB[:50], "", ""], [ERIN, BOB[:50], "", ""]),
        # (blank lines with no piece before them: as they stand)
        (["", "", ERIN], ["", "", ERIN]),
    ],
    ids=["header", "two pieces", "two pieces, header", "words", "at the end", "leading blanks"],
)
def test_a_record_split_apart_is_put_back_on_its_first_line(lines: list[str], expected: list[str]) -> None:
    """`unwrapping.unwrapped` of a trace split by a chat: one line out for each line in."""
    assert list(unwrapping.unwrapped(iter(lines), 60, TRACE)) == expected


@pytest.mark.parametrize(
    "line",
    [
        "9/14/2014 10:23:54 AM NotifyAccountAddition - SCCM user to add =",
        "9/14/2014 10:23:54 AM Total received users to add from SCCM = 1, Total",
    ],
)
def test_a_date_then_one_space_before_a_message_wrapped_before_its_end(line: str) -> None:
    """SPEC §1's excerpt as a web page shows it (one space after the date), wrapped: the first
    words tell the message, which is no whole one yet; the line is a date line all the same."""
    row, dated = paste._dated(line)
    assert row is None and dated is not None
    assert (dated[1], dated[2]) == ("9/14/2014 10:23:54 AM", line.split(" AM ", 1)[1])


# -- a redacted name named again in a cycle (rules, openings.named_in_cycle) ----------------------


def users(path: Path, pure: str) -> list[tuple[object, ...]]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["users"]
    return [(u["upn"], u["state"], u["pending_reason"], u["expected_recovery"]) for u in found]


@pytest.mark.parametrize("pure", ["", "1"])
def test_one_user_redacted_in_the_demo_log_is_that_user(tmp_path: Path, pure: str) -> None:
    """bob redacted: named once in each of many cycles, he is one user, waiting as bob is."""
    path = tmp_path / "CloudUserSync.log"
    path.write_text(DEMO.read_text(encoding="utf-8-sig").replace("bob@contoso.com", PLACEHOLDER), encoding="utf-8")
    assert users(path, pure)[0] == (PLACEHOLDER, "waiting", None, "2026-11-26T09:15:03.266-08:00")


HELD_TWICE = """\
11/24/2026 1:15:04 PM  Starting user delta sync, raise failure status messages = True
                       NotifyAccountAddition - SCCM user to add = <UPN of User Account>
                       Failed to add user <UPN of User Account>; reason UserNotFound
                       Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0
11/24/2026 1:20:04 PM  Starting user delta sync, raise failure status messages = True
                       NotifyAccountAddition - SCCM user to add = <UPN of User Account>
                       NotifyAccountAddition - SCCM user to add = <UPN of User Account>
                       Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0
"""
"""A name failed once, then named twice in the next cycle, held back (its timer runs) each time."""


LEFT_OUT_START = """\
11/24/2026 1:15:04 PM  NotifyAccountAddition - SCCM user to add = <UPN of User Account>
                       Failed to add user <UPN of User Account>; reason UserNotFound
                       NotifyAccountAddition - SCCM user to add = <UPN of User Account>
                       Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 1
"""
"""A cycle whose start the excerpt leaves out: a name named twice in it, failed once."""


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("text", [HELD_TWICE, LEFT_OUT_START], ids=["held back twice", "start left out"])
def test_a_name_twice_in_one_cycle_is_several_users(tmp_path: Path, text: str, pure: str) -> None:
    path = tmp_path / "ticket.txt"
    path.write_text(text, encoding="utf-8")
    assert users(path, pure) == [(PLACEHOLDER, "pending", SHARED_NAME, None)]


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_name_twice_in_a_cycle_whose_start_is_left_out_has_no_timer(tmp_path: Path, pure: str) -> None:
    path = tmp_path / "ticket.txt"
    path.write_text(LEFT_OUT_START, encoding="utf-8")
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    (user,) = json.loads(result.stdout)["users"]
    # (whose timer, the input cannot say: no recovery by it, no bound of one)
    assert (user["recovery_by"], user["expected_recovery_bound"], user["seconds_remaining"]) == (None, None, None)


@pytest.mark.parametrize("pure", ["", "1"])
def test_failures_again_with_no_times_are_one_user_s(tmp_path: Path, pure: str) -> None:
    """No times: whether two failures are one cycle's, the input cannot say."""
    path = tmp_path / "findstr.txt"
    path.write_text(f"Failed to add user {PLACEHOLDER}; reason UserNotFound\n" * 2, encoding="utf-8")
    assert users(path, pure) == [(PLACEHOLDER, "waiting", None, None)]


def trace(message: str, at: str, thread: str = "5616 (0x15F0)") -> str:
    return f"{message}  $$<SMS_CLOUD_USERSYNC><11-24-2026 {at}+480><thread={thread}>\n"


def failed_cycle(start: str, named: str, failed: str, totals: str) -> str:
    return (
        trace("Starting user delta sync, raise failure status messages = True", start)
        + trace(f"NotifyAccountAddition - SCCM user to add = {PLACEHOLDER}", named)
        + trace(f"Failed to add user {PLACEHOLDER}; reason UserNotFound", failed)
        + trace("Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0", totals)
    )


@pytest.mark.parametrize("pure", ["", "1"])
def test_failures_in_two_cycles_within_a_minute_are_one_user_s(tmp_path: Path, pure: str) -> None:
    """SMS Executive restarted the connector after a cycle, and the next cycle failed the name
    35 s after the first: once in each cycle, one user's (waiting, from its last failure)."""
    text = (
        failed_cycle("07:00:04.211", "07:00:04.902", "07:00:05.119", "07:00:05.306")
        + trace("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).", "07:00:30.211", "3604 (0xE14)")
        + trace("CCloudUserSync::Process - User sync processing has started.", "07:00:30.214")
        + failed_cycle("07:00:39.211", "07:00:39.902", "07:00:40.119", "07:00:40.306")
    )
    path = tmp_path / "CloudUserSync.log"
    path.write_text(text, encoding="utf-8")
    assert users(path, pure) == [(PLACEHOLDER, "waiting", None, "2026-11-25T07:05:39.211-08:00")]


def failures(*stamps: str) -> str:
    """`findstr "Failed to add"` of a redacted name, at these times (no cycle shows)."""
    return "".join(
        f"Failed to add user {PLACEHOLDER}; reason UserNotFound  $$<SMS_CLOUD_USERSYNC>"
        f"<09-14-2014 {stamp}+240><thread=5616 (0x15F0)>\n"
        for stamp in stamps
    )


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("10:24:54.000", (PLACEHOLDER, "pending", SHARED_NAME)),  # (a minute: one cycle)
        ("10:24:54.001", (PLACEHOLDER, "waiting", None)),  # (two cycles: one user)
    ],
    ids=["a minute apart", "a minute and a millisecond"],
)
def test_failures_a_minute_apart_at_most_are_one_cycle_s(
    tmp_path: Path, second: str, expected: tuple[object, ...], pure: str
) -> None:
    path = tmp_path / "findstr.txt"
    path.write_text(failures("10:23:54.000", second), encoding="utf-8")
    assert [user[:3] for user in users(path, pure)] == [expected]


# -- users whose outcome is unknown (model: `_MAY_BE`, `_UNKNOWN`) -----------------------------

DEMO_TEXT = DEMO.read_text(encoding="utf-8-sig").splitlines()


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(("fail_on", "code"), [("waiting", 1), ("overdue", 1), ("failed", 0)])
def test_a_user_whose_retry_the_search_leaves_out_may_be_waiting_or_overdue(
    tmp_path: Path, fail_on: str, code: int, pure: str
) -> None:
    """`grep -E '^(Starting user|Failed to add user carol@)'` of the demo log: carol's retry
    (07:45 the next day) may be in a cycle the search shows: pending (`retry_unseen`), which a
    gate on `waiting` counts as one on `overdue` does, and no gate on `failed`."""
    path = tmp_path / "excerpt.log"
    keep = [x for x in DEMO_TEXT if x.startswith(("Starting user", "Failed to add user carol@"))]
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")
    listed = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert [(u["upn"], u["state"], u["pending_reason"]) for u in json.loads(listed.stdout)["users"]] == [
        ("carol@contoso.com", "pending", "retry_unseen")
    ]
    assert run_installed("report", "--fail-on", fail_on, str(path), LOGSYNC_PURE=pure).returncode == code


def test_an_undetermined_user_s_markdown_timeline_says_its_outcome_is_unknown(tmp_path: Path) -> None:
    """The demo's 09:10 cycle and its last lines, hours apart with no mark between: heidi is
    pending (`undetermined`), and her timeline says why her outcome is unknown."""
    path = tmp_path / "ticket.log"
    path.write_text("\n".join([*DEMO_TEXT[2435:2445], *DEMO_TEXT[3029:3041]]) + "\n", encoding="utf-8")
    result = run_installed("timeline", "heidi@contoso.com", "--format", "markdown", str(path))
    (state,) = [line for line in result.stdout.decode().splitlines() if line.startswith("**State:**")]
    assert state == (
        "**State:** pending · held back since before the log: its failure is not in the input · "
        "outcome unknown: notified in cycles whose counts cannot say whether it was held back; the "
        "earlier log (CloudUserSync.lo_), or for an excerpt the whole log, would tell"
    )


# -- an input newest first, read as rows (bulk.newest_rows) ------------------------------------


def reversed_with(tmp_path: Path, lines: list[bytes]) -> str:
    path = tmp_path / "export.log"
    path.write_bytes(b"".join(reversed(lines)))
    return str(path)


def stepped_back(by: bytes) -> list[bytes]:
    """The demo log in time order, its third record (07:00:04.211) moved to `by`: time goes
    back from it to the fourth (07:00:04.348)."""
    lines = list(DEMO_LINES)
    assert b"<11-24-2026 07:00:04.211+480>" in lines[2] and b"<11-24-2026 07:00:04.348+480>" in lines[3]
    lines[2] = lines[2].replace(b"07:00:04.211", by)
    return lines


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_step_back_of_a_second_newest_first_is_a_thread_s_disorder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pure: str
) -> None:
    """Back by exactly `RUN_DISORDER`: one run, read as rows (never the event stream)."""
    monkeypatch.setenv("LOGSYNC_PURE", pure)
    path = reversed_with(tmp_path, stepped_back(b"07:00:05.348"))
    with monkeypatch.context() as patched:
        patched.setattr(reading, "EventStream", None)  # (called: a TypeError)
        found = analyze([path])
    assert found.runs == ((path, 1),)
    assert found.inputs[0].notes == [NEWEST_FIRST]


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_step_back_of_more_than_a_second_newest_first_is_two_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pure: str
) -> None:
    monkeypatch.setenv("LOGSYNC_PURE", pure)
    path = reversed_with(tmp_path, stepped_back(b"07:00:05.849"))
    assert analyze([path]).runs == ((path, 2),)


def answers(found: object) -> tuple[object, ...]:
    result = found.result  # type: ignore[attr-defined]
    users = [(u.upn, u.state, u.expected_recovery, u.failures, u.requests) for u in result.users]
    return users, found.left_out, result.connector.state, result.counts  # type: ignore[attr-defined]


def days_later(days: int) -> list[bytes]:
    """The demo log (24 and 25 November) moved `days` later."""
    later = {b"<11-24-2026": b"<11-%d-2026" % (24 + days), b"<11-25-2026": b"<11-%d-2026" % (25 + days)}
    return [line.replace(b"<11-25-2026", later[b"<11-25-2026"]).replace(b"<11-24-2026", later[b"<11-24-2026"]) for line in DEMO_LINES]


@pytest.mark.parametrize("pure", ["", "1"])
def test_an_input_newest_first_of_more_than_4096_rows_hands_on_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pure: str
) -> None:
    """The demo log, then again two and four days later (9,123 records, 5,550 rows wanted),
    newest first: read as rows, in batches of 4096, it gives the answers of the event stream;
    the 4096th row (a request of ivan's) is not lost between batches."""
    monkeypatch.setenv("LOGSYNC_PURE", pure)
    path = reversed_with(tmp_path, [*DEMO_LINES, *days_later(2), *days_later(4)])
    fast, plain = analyze([path]), analyze([path], fast=False)
    assert fast.runs == ((path, 1),)
    assert answers(fast) == answers(plain)
    once = {u.upn: u.requests for u in analyze([str(DEMO)]).result.users}
    assert {u.upn: u.requests for u in fast.result.users}["ivan@contoso.com"] == 3 * once["ivan@contoso.com"]


# -- Ctrl-C met in a finalizer (application) -----------------------------------------------------


def test_the_ctrl_c_handler_records_the_signal_it_raises_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(application, "_INTERRUPTED", [])
    with pytest.raises(application._Interrupted):
        application._on_interrupt(2, None)
    assert application._INTERRUPTED == [2]
    assert application.final_code(0) == 130


FINALIZER = f"""\
import signal, sys
sys.path.insert(0, {str(Path(application.__file__).parents[2])!r})
from logsync.cli import application

def generator():
    try:
        yield 1
    finally:  # (Ctrl-C arrives as it is closed: its handler raises in the finalizer)
        application._on_interrupt(signal.SIGINT, None)

run = application._commands_run

def commands_run(given, commands):
    first = generator()
    next(first)
    del first  # (freed here: closed, its error unraisable)
    return run(given, commands)

application._commands_run = commands_run
sys.argv = ["logsync", "check", {str(DEMO)!r}]
application.main()
"""


def test_a_command_that_met_ctrl_c_in_a_finalizer_ends_with_130_and_no_note() -> None:
    """`check` of the demo log fails (1); Ctrl-C met in a finalizer as it ran: 130, and no
    "Exception ignored" on stderr."""
    env = {**os.environ, "COLUMNS": "160"}
    result = subprocess.run([sys.executable, "-c", FINALIZER], capture_output=True, timeout=120, env=env)
    assert "Exception ignored" not in result.stderr.decode(), result.stderr
    assert result.returncode == 130
    assert result.stdout.decode().splitlines()[-1].startswith("FAIL: ")
