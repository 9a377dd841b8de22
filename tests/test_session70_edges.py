"""Edges of the rules added most recently that no other test pinned (found by a mutation run of
them): a message a ticket highlighted alone that spans lines (`decoration.unhighlighted`: its
emphasis read across a line break, and a line break after its marks, which CMTrace keeps
inside a record), and whose marks are taken off once (a code span's text is literal); a predicted recovery that moves by less than half an interval (`watch`: no news); a
prefix before CMTrace's records of `MAX_PREFIX` characters, and a tab alone before one record,
which is no prefix (`prefixes.prefix_shape`)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from logsync.events import classify
from logsync.formats.prefixes import MAX_PREFIX

from .conftest import SAMPLES, run_installed
from .logtext import Log
from .test_cmtrace_prefixed import CMTRACE_TEXT, answers
from .test_highlighted_lines import users
from .test_watch import append, heidi_watched

DEMO = SAMPLES / "CloudUserSync.log"
CMTRACE_LINES = CMTRACE_TEXT.replace("\r\n", "\n").splitlines()
FAILED = "Failed to add user bob@contoso.com; reason UserNotFound"

# -- a message highlighted alone (decoration.unhighlighted, events.classify) ---------------------


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_bold_failure_whose_message_spans_two_lines_is_read(tmp_path: Path, pure: str) -> None:
    """Bob's failure in bold, a second line of the message (SMS trace's `~`) inside the marks:
    the emphasis spans the line break, and the failure is read as in the log."""
    text = DEMO.read_text(encoding="utf-8-sig")
    marked = text.replace(f"{FAILED}  $$", f"**{FAILED}~Retrying in the next cycle**  $$")
    assert marked.count("Retrying in the next cycle") == 1
    path = tmp_path / "ticket.log"
    path.write_text(marked, encoding="utf-8")
    assert users(path, pure)[0] == (
        "bob@contoso.com", "waiting", "UserNotFound", "2026-11-26T09:15:03.266-08:00",
    )
    assert classify(f"**{FAILED}\nRetrying in the next cycle**", highlighted=True)[0] == (
        "user_add_failed"
    )


def test_a_highlight_s_marks_are_taken_off_once() -> None:
    """A list's mark, then emphasis around the message: a mark inside a code span or emphasis
    is the text's own, no highlight of it."""
    assert classify(f"- **{FAILED}**", highlighted=True)[0] == "user_add_failed"
    assert classify(f"`- {FAILED}`", highlighted=True) == ("message", None)
    assert classify(f"**`{FAILED}`**", highlighted=True) == ("message", None)


# -- watch: a predicted recovery that follows the phase (the `every / 2` rule) -------------------


def test_watch_says_nothing_of_a_predicted_recovery_that_moves_by_less_than_half_an_interval(
    tmp_path: Path,
) -> None:
    """Heidi's retry is predicted at 09:52:00 (cycles every 5 minutes at :x2); a cycle at 15:30
    moves the phase, and the prediction to 09:50:00: 120 s, less than half an interval, is the
    phase followed, no news (a move of seconds or of a third of an interval alike)."""
    live, watcher = heidi_watched(tmp_path, "2026-12-01 15:28:00")
    first = watcher.changes(datetime(2026, 12, 1, 15, 28, tzinfo=timezone.utc))[1]
    assert [(c.user.upn, c.changed, c.user.expected_recovery) for c in first] == [
        ("heidi@contoso.com", ("state",), datetime(2026, 12, 2, 9, 52, tzinfo=timezone.utc)),
    ]
    append(live, Log(bias=0).cycle("2026-12-01 15:30:00"))
    watcher.read()
    result, changes = watcher.changes(datetime(2026, 12, 1, 15, 30, 30, tzinfo=timezone.utc))
    [heidi] = result.users
    assert (heidi.expected_recovery, heidi.expected_recovery_observed, changes) == (
        datetime(2026, 12, 2, 9, 50, tzinfo=timezone.utc), False, [],
    )


# -- a prefix before CMTrace's records (prefixes.prefix_shape) -----------------------------------


def host_prefixed(tmp_path: Path, width: int) -> Path:
    """The CMTrace sample with a host's name and a line number, `width` characters in all,
    before each line (no search's form: `copies` leaves it)."""
    head = "[host " + "x" * (width - 12) + "]"
    path = tmp_path / f"prefixed-{width}.txt"
    path.write_text("".join(f"{head} {n:03d} {line}\n" for n, line in enumerate(CMTRACE_LINES, 1)))
    assert len(f"{head} 001 ") == width
    return path


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_prefix_of_max_prefix_characters_before_cmtrace_records_is_taken_off(
    tmp_path: Path, pure: str
) -> None:
    assert answers(host_prefixed(tmp_path, MAX_PREFIX), pure) == (
        [("scott@contoso.com", "recovered", "2014-09-15T10:24:12-04:00")], 3, 0,
    )
    longer = run_installed("report", str(host_prefixed(tmp_path, MAX_PREFIX + 1)))
    assert (longer.returncode, longer.stderr.decode().split(": ", 3)[-1]) == (
        2, "no CloudUserSync records found (not SMS trace, CMTrace or text pasted from them)\n",
    )


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_tab_before_one_record_is_no_prefix_of_every_line(tmp_path: Path, pure: str) -> None:
    """As spaces alone (`test_cmtrace_prefixed`): a tab before one record's line is no prefix,
    so a stack trace's own indentation (`   at …`, a message's later line) is kept."""
    lines = [line + "\n" for line in CMTRACE_LINES]
    lines[3] = "\t" + lines[3]
    lines[4] = lines[4].replace(
        "<![LOG[", "<![LOG[Exception while sending status message:\n"
        "   at CloudUserSync.Status.Send()]LOG]!><time=\"10:23:54.020+240\" date=\"9-14-2014\" "
        'component="SMS_CLOUD_USERSYNC" context="" type="2" thread="5616" file="x.cpp:1">\n'
        "<![LOG[", 1,
    )
    path = tmp_path / "indented.log"
    path.write_text("".join(lines))
    result = run_installed("events", "--format", "ndjson", str(path), LOGSYNC_PURE=pure)
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert "Exception while sending status message:\n   at CloudUserSync.Status.Send()" in texts
    assert len(texts) == 11


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("end", ["\r\n", "\n", " \r\n"])
def test_a_bold_cmtrace_message_that_ends_with_a_line_break_is_read(
    tmp_path: Path, pure: str, end: str
) -> None:
    """CMTrace keeps a message's last line break inside `<![LOG[…]LOG]!>`: scott's failure in
    bold with one after it is his failure, as it is without the bold (it was a `message`)."""
    failed = "Failed to add user scott@contoso.com; reason UserNotFound"
    marked = CMTRACE_TEXT.replace(f"[{failed}]LOG]", f"[**{failed}**{end}]LOG]")
    assert marked.count(f"**{end}]LOG]") == 1
    plain = CMTRACE_TEXT.replace(f"[{failed}]LOG]", f"[{failed}{end}]LOG]")
    paths = []
    for name, text in (("marked.log", marked), ("plain.log", plain)):
        paths.append(tmp_path / name)
        paths[-1].write_text(text, encoding="utf-16")
    assert answers(paths[0], pure) == answers(paths[1], pure)
    assert classify(f"**{failed}**{end}", highlighted=True)[0] == "user_add_failed"
