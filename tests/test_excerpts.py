"""Excerpts that leave lines out between their parts, as `grep -C` writes them: the users and
cycles the excerpt shows only in part are not judged as if it were the whole log."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.formats.common import gap_mark
from logsync.times import iso

from .conftest import SAMPLES

LINES = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
"""The demo log's lines (CRLF; the first begins with the byte-order mark)."""
PST = timezone(timedelta(hours=-8))
runner = CliRunner()


def grep_context(
    word: bytes, numbered: bool = False, before: int = 1, after: int = 1, *more: bytes
) -> bytes:
    """What `grep -a -B1 -A1 WORD` (with `-n`: `grep -a -n …`) writes of the demo log: each
    line holding WORD (or one of `more`) with `before` and `after` lines around it, `--`
    between groups that are not next to each other, and with `-n` each line's number, `:`
    after a match's and `-` after a context's."""
    hits = {index for index, line in enumerate(LINES) if any(w in line for w in (word, *more))}
    near = {index + step for index in hits for step in range(-before, after + 1)}
    kept = sorted(near & set(range(len(LINES))))
    out: list[bytes] = []
    for position, index in enumerate(kept):
        if position and index != kept[position - 1] + 1:
            out.append(b"--\n")
        mark = b":" if index in hits else b"-"
        out.append((str(index + 1).encode() + mark if numbered else b"") + LINES[index])
    return b"".join(out)


def test_the_emulated_grep_writes_what_grep_writes() -> None:
    """The shape `grep -a -C1 bob@` and `grep -a -n -C1 bob@` give of the demo log."""
    plain = grep_context(b"bob@").splitlines(keepends=True)
    assert (len(plain), plain.count(b"--\n")) == (332, 82)
    assert plain[:5] == [LINES[2438], LINES[2439], LINES[2440], LINES[2441], b"--\n"]
    numbered = grep_context(b"bob@", numbered=True).splitlines(keepends=True)
    assert numbered[1].startswith(b"2440:NotifyAccountAddition - SCCM user to add = bob@")
    assert numbered[0].startswith(b"2439-") and numbered[4] == b"--\n"


# (the user the excerpt was searched for, its state and due time as in the whole log; the
# others it shows, held back by failures that may lie in what it leaves out, or named in cycle
# after cycle whose totals it leaves out (erin: named again, so not added before), and the one
# whose retry came in the excerpt's last cycle, which it cuts before the totals)
EXCERPTS = {
    b"bob@": (
        ("bob@contoso.com", "waiting", datetime(2026, 11, 26, 9, 10, 8, 462000, PST)),
        {"heidi@contoso.com", "Mallory.Admin@Contoso.com"},
        set(),
    ),
    b"heidi@": (
        ("heidi@contoso.com", "waiting", datetime(2026, 11, 26, 10, 10, 8, 506000, PST)),
        {"bob@contoso.com", "carol@contoso.com", "dave@contoso.com", "ivan@contoso.com",
         "erin@contoso.com"},
        set(),
    ),
    b"carol@": (
        ("carol@contoso.com", "recovered", datetime(2026, 11, 25, 7, 40, 8, 529000, PST)),
        {"alice@contoso.com", "heidi@contoso.com", "ivan@contoso.com"},
        set(),
    ),
}


@pytest.mark.parametrize("numbered", [False, True], ids=["grep -C1", "grep -n -C1"])
@pytest.mark.parametrize("word", list(EXCERPTS), ids=lambda word: word.decode())
def test_users_an_excerpt_shows_in_part_are_pending_not_stuck(
    tmp_path: Path, word: bytes, numbered: bool
) -> None:
    """Before, `grep -C1 heidi@` made bob, carol, dave and ivan overdue (held back since before
    the excerpt, past the latest due time) and `grep -C1 carol@` made alice waiting: their
    failures, retries and adds were in the lines it leaves out."""
    path = tmp_path / "excerpt.log"
    path.write_bytes(grep_context(word, numbered))
    analysis = analyze([str(path)])
    (searched, state, due), held, awaiting = EXCERPTS[word]
    found = {user.upn: user for user in analysis.users}
    assert (found[searched].state, found[searched].full_sync_due) == (state, due)
    assert {upn: (u.state, u.pending_reason) for upn, u in found.items() if upn != searched} == {
        **{upn: ("pending", "undetermined") for upn in held},
        **{upn: ("pending", "awaiting_totals") for upn in awaiting},
    }
    assert analysis.result.undetermined == len(held)
    assert analysis.inputs[0].gaps == grep_context(word).count(b"\n--\n")
    assert analysis.inputs[0].unparsed == analysis.inputs[0].gaps
    assert analysis.connector.state == "running"


def test_an_excerpt_says_where_it_leaves_lines_out(tmp_path: Path) -> None:
    path = tmp_path / "bob.log"
    path.write_bytes(grep_context(b"bob@"))
    gate = runner.invoke(app, ["check", "--now", "2026-11-25T16:00:06-08:00", str(path)])
    assert gate.exit_code == 1
    assert gate.stderr.splitlines() == [
        f"logsync: {path}: an excerpt that leaves lines out in 82 places (grep's `--`, `...`): "
        "users whose failure or retry may be there are pending; the whole log would tell",
        "logsync: 2 users were notified with no outcome in the log: the counts of their cycles "
        "cannot say whether they were held back by a failure before it or in the lines it "
        "leaves out; the whole log would tell",
    ]
    assert gate.stdout.splitlines()[-1] == (
        "FAIL: 3 users (1 waiting, 2 pending that may be stuck), limit 0 as of "
        "2026-11-25T16:00:06-08:00"
    )


def test_the_connector_is_judged_at_work_by_users_lines_the_excerpt_shows(tmp_path: Path) -> None:
    """`grep -C1 bob@` holds no totals line after 10:05:05 but bob's and heidi's notifications
    every five minutes until 16:00:05: the connector was at work then, not stalled since
    10:05. Three intervals after its last line it is stalled, since that line."""
    path = tmp_path / "bob.log"
    path.write_bytes(grep_context(b"bob@"))
    last = datetime(2026, 11, 25, 16, 0, 5, 159000, PST)
    at_end = analyze([str(path)]).connector
    assert (at_end.state, at_end.last_cycle) == ("running", None)
    after = last + timedelta(minutes=15, seconds=1)
    stalled = analyze([str(path)], now=after).connector
    assert (stalled.state, stalled.since, stalled.source) == ("stalled", last, "")
    assert analyze([str(path)], now=after - timedelta(seconds=2)).connector.state == "running"


def test_a_user_past_its_due_time_is_overdue_where_no_lines_are_left_out_after_it(
    tmp_path: Path,
) -> None:
    """`grep -C1 ivan@` leaves lines out only before ivan's expected retry (its last `--` is
    followed by a record of 08:15): judged at noon, he is overdue as in the whole log, and a
    gate on overdue users fails. So is `grep -C3 'heidi@\\|Starting'`, whose two gaps are on the
    24th."""
    noon = datetime(2026, 11, 25, 12, 0, tzinfo=PST)
    whole = {u.upn: u.state for u in analyze([str(SAMPLES / "CloudUserSync.log")], now=noon).users}
    assert whole["ivan@contoso.com"] == "overdue"
    for name, text in (
        ("ivan.log", grep_context(b"ivan@")),
        ("heidi.log", grep_context(b"heidi@", False, 3, 3, b"Starting")),
    ):
        path = tmp_path / name
        path.write_bytes(text)
        found = {u.upn: (u.state, u.pending_reason) for u in analyze([str(path)], now=noon).users}
        assert found["ivan@contoso.com"] == ("overdue", None), name
        gate = runner.invoke(app, ["check", "--fail-on", "overdue", "--now", "2026-11-25T12:00-08:00", str(path)])
        assert gate.exit_code == 1


def test_a_user_whose_retry_may_lie_in_what_an_excerpt_leaves_out_is_pending(tmp_path: Path) -> None:
    """`grep -A3 'Failed to add'`: the failures and the three lines after each. Carol's and
    ivan's retries (11-25 07:45, 08:25) lie in what it leaves out: carol recovered there and
    ivan was skipped, which it cannot show. Before, both were `waiting` until 10:15, by an
    interval measured across the gaps (hours between the cycle starts it happens to show).
    They are pending, a gate on overdue users counts them, and the interval is the default."""
    path = tmp_path / "failures.log"
    path.write_bytes(grep_context(b"Failed to add", False, 0, 3))
    analysis = analyze([str(path)])
    found = {u.upn: (u.state, u.pending_reason) for u in analysis.users}
    assert (found["carol@contoso.com"], found["ivan@contoso.com"]) == (
        ("pending", "retry_unseen"),
        ("pending", "retry_unseen"),
    )
    assert [found[upn][0] for upn in ("bob@contoso.com", "heidi@contoso.com", "erin@contoso.com")] == [
        "waiting"
    ] * 3
    assert (analysis.result.interval, analysis.interval_basis) == (timedelta(minutes=5), "default")
    gate = runner.invoke(app, ["check", "--fail-on", "overdue", str(path)])
    assert gate.exit_code == 1
    assert gate.stdout.splitlines()[-1] == (
        "FAIL: 2 users (2 pending that may be stuck), limit 0 as of 2026-11-25T14:35:04.234-08:00"
        "; 3 stuck users, 1 failed user and 1 other pending user not counted by --fail-on overdue"
    )
    stats = analysis.inputs[0]
    assert (stats.gaps, iso(stats.gap_start), iso(stats.gap_end), stats.gap_open) == (
        6,
        "2026-11-24T07:45:04.544-08:00",
        "2026-11-25T14:30:09.041-08:00",
        False,
    )


def two_blocks(mark: bytes | None, quote: bytes = b"") -> bytes:
    """The demo log's lines 2000–2040 (cycles from 04:20 to 04:45) and 2600–2640 (11:05 to
    11:30), each line after `quote`, with a line `mark` between them (None: none, as if the
    log had nothing between)."""
    middle = [mark + b"\r\n"] if mark is not None else []
    return b"".join(quote + line for line in [*LINES[1999:2040], *middle, *LINES[2599:2640]])


@pytest.mark.parametrize(
    ("mark", "quote"),
    [
        (b"--", b""), (b"--", b"> "), (b"...", b"> "), (b"[snip]", b"> "), ("\u2026".encode(), b"| "),
        # (scissors and words that say lines were cut: were lines of no record, and a stall)
        (b"-- 8< --", b""), (b"8<--- cut here ---", b"> "), (b"--snip--", b""),
        (b"(12 lines removed)", b"> "), (b"[truncated]", b""), ("\u2702".encode(), b""),
    ],
)
def test_a_silence_where_an_excerpt_leaves_lines_out_is_no_stall(
    tmp_path: Path, mark: bytes, quote: bytes
) -> None:
    """Six hours that an excerpt leaves out (grep's `--`; in a reply, a line of `...`, `[snip]`
    or `…` where the one who pasted it cut lines) are no stall: the cycles of that time are among the lines
    left out. Neither the finding nor the advice says the connector paused then, nor, as of
    a time in the gap, that it is stalled now."""
    path = tmp_path / "excerpt.txt"
    path.write_bytes(two_blocks(mark, quote))
    summary = runner.invoke(app, ["summary", "--format", "json", str(path)])
    assert summary.exit_code == 0, summary.output
    found = json.loads(summary.stdout)
    assert [f["code"] for f in found["findings"]] == []
    assert [a["code"] for a in found["advice"]] == ["read_whole_log"]
    assert f"{path}: an excerpt that leaves lines out in 1 place" in summary.stderr
    gap = datetime(2026, 11, 25, 8, 0, tzinfo=PST)
    assert analyze([str(path)], now=gap).connector.state == "running"


def test_a_silence_in_a_log_that_leaves_nothing_out_is_a_stall(tmp_path: Path) -> None:
    """The same two blocks with nothing between them: the log itself shows no cycle for six
    hours (04:45:04 to 11:05:04), a stall it came out of; and a stall since 04:45:04 as of a
    time more than three intervals after it (of 5m 0.037s, the median gap of its cycles)."""
    path = tmp_path / "gap.log"
    path.write_bytes(two_blocks(None))
    found = json.loads(runner.invoke(app, ["summary", "--format", "json", str(path)]).stdout)
    assert (found["findings"][0]["code"], found["findings"][0]["message"]) == (
        "connector_stalled",
        "no cycle for 6h 20m between 2026-11-25T04:45:04.268-08:00 and "
        "2026-11-25T11:05:04.280-08:00 — more than 3 intervals of 5m",
    )
    assert "past_stall" in [a["code"] for a in found["advice"]]
    last = datetime(2026, 11, 25, 4, 45, 4, 268000, PST)
    limit = last + 3 * timedelta(minutes=5, microseconds=37000)
    stalled = analyze([str(path)], now=limit + timedelta(microseconds=1)).connector
    assert (stalled.state, stalled.since) == ("stalled", last)
    assert analyze([str(path)], now=limit).connector.state == "running"


@pytest.mark.parametrize(
    ("left_out", "start", "end", "expected"),
    [
        (None, 0, 10, False),
        ((None, None), 0, 10, True),
        ((10, None), 0, 10, False),  # the first place is after the silence ends
        ((9, None), 0, 10, True),
        ((None, 0), 0, 10, False),  # the last place is before it begins
        ((None, 1), 0, 10, True),
        ((3, 7), 0, 10, True),
    ],
)
def test_a_silence_leaves_lines_out_where_a_place_may_fall_inside_it(
    left_out: tuple[int | None, int | None] | None, start: int, end: int, expected: bool
) -> None:
    """`leaves_out`: the places an excerpt leaves lines out lie from the record before the
    first to the record after the last (None: from the input's start, to its end)."""
    from logsync.tracker.connector import leaves_out

    assert leaves_out(left_out, start, end) is expected


SPEC_EXCERPT = (SAMPLES / "pasted" / "ticket.txt").read_text()
"""SPEC §1's excerpt, as a ticket pastes it: two cycles a day apart, the lines between left out
by whoever chose these."""


@pytest.mark.parametrize(
    ("now", "gate", "connector", "state"),
    [
        ("9/15/2014 10:00 AM", "ok: no connector problem as of 2014-09-15T10:00:00; 1 stuck user "
         "not counted by --fail-on connector", ("running", None), "waiting"),
        ("9/15/2014 10:24:11 AM", "ok: no connector problem as of 2014-09-15T10:24:11; 1 stuck "
         "user not counted by --fail-on connector", ("running", None), "waiting"),
        # after its last record: the silence is the excerpt's end, as a log's would be
        ("9/16/2014 10:00 AM", "FAIL: connector: connector_stalled as of 2014-09-16T10:00:00",
         ("stalled", "connector_stalled"), "recovered"),
    ],
)
def test_a_pasted_excerpt_s_silence_between_its_records_is_no_stall(
    tmp_path: Path, now: str, gate: str, connector: tuple[str, str | None], state: str
) -> None:
    """A pasted excerpt holds the lines someone chose: that it shows no cycle for 23 hours
    between its two days says nothing of the connector (`check` failed with
    `connector_stalled` as of a time between them). After its last record, it is judged as a
    log that ends there."""
    path = tmp_path / "ticket.txt"
    path.write_text(SPEC_EXCERPT)
    result = runner.invoke(app, ["check", "--fail-on", "connector", "--now", now, str(path)])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (int(gate[:4] == "FAIL"), gate)
    shown = runner.invoke(app, ["report", "-f", "json", "--all", "--now", now, str(path)])
    report = json.loads(shown.stdout)
    assert (report["connector"]["state"], report["connector"]["problem"]) == connector
    assert [(u["upn"], u["state"]) for u in report["users"]] == [("scott@contoso.com", state)]


def test_a_pasted_excerpt_beside_a_log_hides_no_stall_outside_its_own_span(tmp_path: Path) -> None:
    """A few pasted lines given beside a log (from the review): the log's own silence of 3h 10m,
    hours after the excerpt's last record, is still a stall. (Within the log's span, as here,
    the excerpt is refused: its records, carol's failure, could not be told from the log's.)"""
    log = tmp_path / "CloudUserSync.log"
    log.write_bytes(b"".join([*LINES[:999], *LINES[1300:]]))
    excerpt = tmp_path / "ticket.txt"
    excerpt.write_text(
        "11/24/2026 7:40:08 AM  NotifyAccountAddition - SCCM user to add = carol@contoso.com\n"
        "11/24/2026 7:40:08 AM  Failed to add user carol@contoso.com; reason UserNotFound\n"
    )
    result = runner.invoke(
        app, ["summary", "-f", "json", "--source-tz", "America/Los_Angeles", str(log), str(excerpt)]
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert "(pasted text) overlaps the span of" in result.stderr
    log.write_bytes(b"".join([*LINES[:999], *LINES[1300:2000]]))  # (the excerpt a day after it)
    excerpt.write_text(excerpt.read_text().replace("11/24/2026", "11/26/2026"))
    result = runner.invoke(
        app, ["summary", "-f", "json", "--source-tz", "America/Los_Angeles", str(log), str(excerpt)]
    )
    found = json.loads(result.stdout)
    assert [f["code"] for f in found["findings"]][:1] == ["connector_stalled"]
    assert "no cycle for 3h 10m between" in found["findings"][0]["message"]


def test_a_line_of_dots_in_sms_trace_is_a_place_left_out(tmp_path: Path) -> None:
    """The connector writes no line of `...` (every record has a trailer): one in SMS trace is
    a person's mark where lines were cut, as in a pasted excerpt, and ivan, past his due time,
    is `pending` (`retry_unseen`), not `overdue` (it was one line of no record). From a sweep:
    heidi's re-failure cycle cut from the demo log and replaced by `...` made her `overdue`."""
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"".join([*LINES[:3000], b"...\r\n", *LINES[3000:]]))
    analysis = analyze([str(path)])
    (stats,) = analysis.inputs
    assert (stats.unparsed, stats.gaps) == (1, 1)
    ivan = next(user for user in analysis.users if user.upn == "ivan@contoso.com")
    assert (ivan.state, ivan.pending_reason) == ("pending", "retry_unseen")
    start = next(k for k, line in enumerate(LINES) if b"<11-25-2026 10:10:0" in line)
    end = next(k for k, line in enumerate(LINES) if b"<11-25-2026 10:15:0" in line)
    path.write_bytes(b"".join([*LINES[:start], b"[snip]\r\n", *LINES[end:]]))
    heidi = next(user for user in analyze([str(path)]).users if user.upn == "heidi@contoso.com")
    assert (heidi.state, heidi.pending_reason) == ("pending", "retry_unseen")


@pytest.mark.parametrize(
    ("line", "mark"),
    [
        ("-- 8< --", True), ("--8<--", True), ("\u2704", True), ("8<--- cut here ---8<", True),
        ("... snip ...", True), ("[Truncated]", True), ("(lines removed)", True),
        ("  [3 more lines omitted]  ", True), ("<cut>", True), ("-" * 20 + " snip " + "-" * 22, True),
        ("-" * 20 + " snip " + "-" * 23, False),  # (49 characters: no mark, whatever it holds)
        ("---", False), ("***", False), ("=====", False),  # (a rule says nothing of lines cut)
        ("-- ", False),  # (an e-mail's signature line)
        ("snippet", False), ("removed", False), ("Users Removed = 0", False),
        ("cut users from cloud", False),
    ],
)
def test_which_lines_say_lines_are_cut_there(line: str, mark: bool) -> None:
    assert gap_mark(line) is mark
