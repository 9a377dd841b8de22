"""A ticket that quotes a message of the log (no time) above the whole log it attaches: the
log's own lines below are a run of its lines, not lines someone chose, so their cycles give the
interval and a silence there is a stall. Before, the one quoted line made the whole input an
excerpt: the default interval (300 s, where the log's cycles run 300.037 s apart), so bob's,
heidi's and erin's expected recoveries were 8 s early (bob 09:14:55.644, not 09:15:03.266)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logsync.stats import InputStats

from .conftest import SAMPLES, run_installed

DEMO = SAMPLES / "CloudUserSync.log"
QUOTE = "Failed to add user carol@contoso.com; reason UserNotFound"


def report(path: Path, pure: str) -> dict[str, object]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    answer: dict[str, object] = json.loads(result.stdout)
    return answer


def ticket(tmp_path: Path, above: str) -> Path:
    path = tmp_path / "ticket.txt"
    log = DEMO.read_text(encoding="utf-8-sig")
    path.write_text(f"Hi team, we see this error:\n\n{above}\nFull log below:\n\n{log}", "utf-8")
    return path


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("above", [f"{QUOTE}\n", f"{QUOTE}\n{QUOTE}\n"], ids=["one", "two"])
def test_a_message_quoted_above_the_whole_log_leaves_its_answers_as_the_log_s(
    tmp_path: Path, pure: str, above: str
) -> None:
    clean, quoted = report(DEMO, pure), report(ticket(tmp_path, above), pure)
    carol = {  # (the quote is a failure of hers with no time, before the log's first time)
        "first_failure": None,
        "failures": 1 + above.count("\n"),
        "first_seen": None,
        "failure_before_input": True,
    }
    expected = [
        {**user, **carol} if user["upn"] == "carol@contoso.com" else user
        for user in clean["users"]  # type: ignore[attr-defined]
    ]
    assert quoted["users"] == expected
    summary = quoted["summary"]
    assert isinstance(summary, dict)
    assert (summary["interval_s"], summary["interval_basis"], summary["stuck"]) == (
        300.037,
        "observed",
        4,
    )
    waiting = [
        (u["upn"], u["expected_recovery"])
        for u in quoted["users"]  # type: ignore[attr-defined]
        if u["state"] == "waiting"
    ]
    assert waiting == [
        ("bob@contoso.com", "2026-11-26T09:15:03.266-08:00"),
        ("heidi@contoso.com", "2026-11-26T10:15:03.710-08:00"),
        ("erin@contoso.com", "2026-11-26T14:35:05.634-08:00"),
    ]
    [given] = quoted["inputs"]  # type: ignore[misc]
    assert (given["format"], given["records"]) == ("paste", 3041 + above.count("\n"))


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_dated_line_someone_chose_among_the_log_s_lines_makes_it_an_excerpt(
    tmp_path: Path, pure: str
) -> None:
    """One excerpt line with its own date (no milliseconds) among the log's lines: the input
    holds lines someone chose, and the default interval stands."""
    path = ticket(tmp_path, f"{QUOTE}\n11/24/2026 6:59:50 AM  {QUOTE}\n")
    summary = report(path, pure)["summary"]
    assert isinstance(summary, dict)
    assert (summary["interval_s"], summary["interval_basis"]) == (300, "default")


@pytest.mark.parametrize(
    ("records", "rows", "head", "chosen"),
    [
        (10, 10, 0, False),  # the log's lines only
        (10, 9, 0, True),  # one line someone chose
        (10, 9, 1, False),  # one quoted above them, with no time
        (10, 8, 1, True),
        (10, 7, 2, True),
        (10, 8, 2, False),
    ],
)
def test_chosen_counts_every_record_with_a_time_that_is_no_line_of_a_run(
    records: int, rows: int, head: int, chosen: bool
) -> None:
    stats = InputStats("ticket.txt")
    stats.format, stats.records, stats.rows, stats.untimed_head = "paste", records, rows, head
    assert stats.chosen is chosen
    stats.format = "sms-trace"
    assert stats.chosen is False
