"""A rule (`---`, `***`) that someone put between two pieces of a log they pasted together.

It was a line of no record, and the hours between the pieces were judged a stall of the
connector (`connector_stalled`, `past_stall`), with a recovery foretold on a schedule that the
left-out lines would have shown to be another. Between two records, a rule marks lines left out
there, as `[snip]` does; before the first record or after the last it frames the paste, and
changes nothing (a log writes no such line: every record has its trailer)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from logsync import analyze
from logsync.formats.common import GAP_PROBLEM, RULE_PROBLEM, non_record
from logsync.sources import InputStats

from .conftest import SAMPLES, read_in_blocks, run_installed, without_log_end_note

LINES = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
MORNING = b"".join(LINES[999:1100])
"""Lines 1000-1100 of the demo log (11-24, 17:15 to 18:55 at the site server's bias)."""
NEXT_DAY = b"".join(LINES[2399:2500])
"""Lines 2400-2500 (11-25, 08:40 to 09:50): bob fails at 09:10."""


_TRAILER_RE = re.compile(
    rb"^(.*)  \$\$<([^>]*)><(\d\d)-(\d\d)-(\d{4}) ([\d:.]+)([+-]\d+)><thread=(\d+)"
)


def as_cmtrace(lines: bytes) -> bytes:
    """SMS-trace lines as CMTrace writes the same records."""
    out = []
    for line in lines.splitlines():
        found = _TRAILER_RE.match(line.removeprefix(b"\xef\xbb\xbf"))
        assert found is not None, line
        text, component, month, day, year, clock, bias, thread = found.groups()
        out.append(
            b"<![LOG[%s]LOG]!><time=\"%s%s\" date=\"%d-%d-%s\" component=\"%s\" context=\"\" "
            b"type=\"1\" thread=\"%s\" file=\"\">\r\n"
            % (text, clock, bias, int(month), int(day), year, component, thread)
        )
    return b"".join(out)


def written(folder: Path, *parts: bytes) -> Path:
    folder.mkdir()
    path = folder / "pieces.log"
    path.write_bytes(b"".join(parts))
    return path


def summary(path: Path, pure: str) -> tuple[dict[str, object], str]:
    result = run_installed("summary", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    named = result.stdout.decode().replace(json.dumps(str(path))[1:-1], "pieces.log")
    # (the note that the log ended long ago reads the wall clock: an hour may pass between runs)
    notes = without_log_end_note(result.stderr).decode()
    return json.loads(named), notes.replace(str(path), "pieces.log")


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("rule", [b"---", b"***", b"- - -", b"_____", b"=" * 72, b"  ---\t"])
def test_a_rule_between_two_pieces_marks_lines_left_out_as_snip_does(
    tmp_path: Path, rule: bytes, pure: str
) -> None:
    ruled, ruled_notes = summary(written(tmp_path / "a", MORNING, rule + b"\r\n", NEXT_DAY), pure)
    snip, snip_notes = summary(written(tmp_path / "b", MORNING, b"[snip]\r\n", NEXT_DAY), pure)
    assert (ruled, ruled_notes) == (snip, snip_notes)
    # the same records as CMTrace writes them: the same answers
    cmtrace = written(tmp_path / "c", as_cmtrace(MORNING), rule + b"\r\n", as_cmtrace(NEXT_DAY))
    assert summary(cmtrace, pure) == (ruled, ruled_notes)
    codes = [finding["code"] for finding in ruled["findings"]]  # type: ignore[index]
    assert codes == ["stuck_users"]
    assert "pieces.log: an excerpt that leaves lines out in 1 place" in ruled_notes


@pytest.mark.parametrize("pure", ["", "1"])
def test_the_rule_was_a_stall_before(tmp_path: Path, pure: str) -> None:
    """(What a line of no record between the pieces gives: the hours are a stall.)"""
    found, notes = summary(written(tmp_path / "a", MORNING, b"-=-\r\n", NEXT_DAY), pure)
    codes = [finding["code"] for finding in found["findings"]]  # type: ignore[index]
    assert codes == ["connector_stalled", "stuck_users"]
    assert "pieces.log: 1 line is no record and not judged" in notes


@pytest.mark.parametrize("pure", ["", "1"])
def test_rules_that_frame_a_paste_change_nothing(tmp_path: Path, pure: str) -> None:
    plain, plain_notes = summary(written(tmp_path / "a", b"\r\n", NEXT_DAY, b"\r\n\r\n"), pure)
    framed, framed_notes = summary(
        written(tmp_path / "b", b"---\r\n", NEXT_DAY, b"***\r\n", b"\r\n"), pure
    )
    assert framed == plain
    assert framed_notes == (
        "logsync: pieces.log: 2 lines are no record and not judged (logsync events --kind "
        "unparsed lists them)\n" + plain_notes
    )


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_rule_beside_a_mark_is_the_same_place(tmp_path: Path, pure: str) -> None:
    for order, parts in enumerate([
        (b"[snip]\r\n", b"---\r\n"), (b"---\r\n", b"[snip]\r\n"), (b"---\r\n", b"\r\n", b"***\r\n"),
        (b"---\r\n", b"[snip]\r\n", b"---\r\n"),
    ]):
        _, notes = summary(written(tmp_path / str(order), MORNING, *parts, NEXT_DAY), pure)
        assert "pieces.log: an excerpt that leaves lines out in 1 place" in notes
        assert "no record" not in notes


@pytest.mark.parametrize("native", [True, False])
@pytest.mark.parametrize("block", [4096, 16384, 1 << 20])
def test_a_rule_at_a_block_s_end_is_read_as_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, native: bool
) -> None:
    """The rule at the end of one block of the reading, its record in the next: the same."""
    path = written(tmp_path / "a", MORNING, b"---\r\n", NEXT_DAY)
    read_in_blocks(monkeypatch, block, native)
    analysis = analyze([str(path)])
    [stats] = analysis.inputs
    pst = timezone(timedelta(hours=-8))
    assert (stats.gaps, stats.unread, stats.gap_open) == (1, 0, False)
    assert (stats.gap_start, stats.gap_end) == (
        datetime(2026, 11, 24, 18, 55, 5, 483000, tzinfo=pst),  # (line 1100)
        datetime(2026, 11, 25, 8, 40, 4, 407000, tzinfo=pst),
    )
    assert analysis.connector.state == "running"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("---", RULE_PROBLEM), ("***", RULE_PROBLEM), ("___", RULE_PROBLEM),
        ("===", RULE_PROBLEM), ("- - -", RULE_PROBLEM), ("\t* * * *  \r", RULE_PROBLEM),
        ("-" * 120, RULE_PROBLEM),
        ("-" * 121, "not a log record"),  # (longer: no rule, whatever it holds)
        ("--", GAP_PROBLEM), ("-- ", "not a log record"),  # (grep's mark; a signature's line)
        ("-=-", "not a log record"), ("~~~", "not a log record"), ("*  *  *", "not a log record"),
        ("--- a", "not a log record"), ("-----Original Message-----", "not a log record"),
    ],
)
def test_which_lines_are_rules(line: str, problem: str) -> None:
    stats = InputStats("a.log")
    stats.first_time = datetime(2026, 11, 25, tzinfo=timezone.utc)
    [unparsed] = non_record(line, 7, stats)
    assert unparsed.problem == problem
    assert stats.ruled is (problem == RULE_PROBLEM)


def test_a_rule_before_any_record_marks_nothing() -> None:
    stats = InputStats("a.log")
    [unparsed] = non_record("---", 1, stats)
    assert (unparsed.problem, stats.ruled) == (RULE_PROBLEM, False)


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("mark", [b"[snip]", b"...", b"-- 8< --"])
def test_a_mark_between_cmtrace_records_marks_lines_left_out(
    tmp_path: Path, mark: bytes, pure: str
) -> None:
    """In a CMTrace log, a mark of lines left out was a line of no record, and the hours it
    leaves out a stall (`connector_stalled`) beside a note that lines may be left out there."""
    sms, sms_notes = summary(written(tmp_path / "a", MORNING, mark + b"\r\n", NEXT_DAY), pure)
    cmtrace = written(tmp_path / "b", as_cmtrace(MORNING), mark + b"\r\n", as_cmtrace(NEXT_DAY))
    found, notes = summary(cmtrace, pure)
    assert (found, notes) == (sms, sms_notes)
    assert [finding["code"] for finding in found["findings"]] == ["stuck_users"]  # type: ignore[index]
    assert "pieces.log: an excerpt that leaves lines out in 1 place" in notes


def test_the_json_inputs_say_which_lines_that_are_no_record_are_not_judged(tmp_path: Path) -> None:
    """`unparsed` counts every line that is no record, and `unread` those of them that are
    no mark: the rotation marker and the marks of lines left out are read (they say where the
    log was renamed, where lines are left out); a line of NUL padding is not judged."""
    path = tmp_path / "pieces.log"
    path.write_bytes(MORNING + b"[snip]\n" + NEXT_DAY[:-1] + b"\x00\x00\x00\n---\n" + LINES[2500])
    rotated = SAMPLES / "rotated"
    result = run_installed("report", "--format", "json", str(path), str(rotated))
    found = [(i["lines"], i["records"], i["unparsed"], i["unread"]) for i in json.loads(result.stdout)["inputs"]]
    assert found == [(206, 203, 3, 1), (92, 91, 1, 0), (91, 91, 0, 0)]


def test_an_input_read_as_runs_keeps_its_rules_out_of_unread(tmp_path: Path) -> None:
    """`--` and a rule beside it between two pieces, then an earlier piece of the log (a second
    run): read as runs, the rule was counted `unread`, as text not judged (its count was lost
    when the runs' counts were summed); read as one run, it was not."""
    path = tmp_path / "runs.log"
    path.write_bytes(b"".join(LINES[999:1010]) + b"--\n-----\n" + b"".join(LINES[1099:1110]) + b"".join(LINES[1:12]))
    result = run_installed("report", "--format", "json", str(path))
    (stats,) = json.loads(result.stdout)["inputs"]
    assert (stats["lines"], stats["records"], stats["unparsed"], stats["unread"]) == (35, 33, 2, 0)
