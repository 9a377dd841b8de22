"""Logs with something put before every line, and the input check that no reading of the
connector's records that finds none of its messages judges it (`pipeline.ensure_known`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from logsync.cli import app

from .conftest import SAMPLES
from .test_as_pasted import DEMO_TEXT, write

runner = CliRunner()

NOW = "--now=2026-11-25T16:10:00-08:00"


def prefixed(text: str, prefix: Callable[[int], str]) -> str:
    """Text with `prefix(number)` before each of its lines (numbered from 1)."""
    return "".join(prefix(n) + line for n, line in enumerate(text.splitlines(keepends=True), 1))


# -- nothing known is nothing to judge ----------------------------------------------------------


def test_a_log_none_of_whose_many_records_is_a_known_message_is_refused(tmp_path: Path) -> None:
    """A prefix of two shapes (not taken off) hides every message: the log was judged a
    connector with no cycle and no user, and a gate on users passed (exit 0). It is an input
    error, in every command that judges the connector; the events are still shown. A few
    such records (under `UNKNOWN_ONLY`), and a connector that only waits for its certificate,
    are judged as before."""
    path = write(tmp_path, prefixed(DEMO_TEXT, lambda n: "- " if n % 2 else "* "), "two.log")
    refused = (
        f"logsync: error: {path}: none of its 3,041 SMS_CLOUD_USERSYNC records is a message "
        "the connector is known to write (a cycle, a user's addition, a start, a certificate "
        "wait): nothing to judge; give the log's lines as the connector wrote them\n"
    )
    for command in (
        ["check", NOW, "--fail-on", "stuck,failed"], ["check", NOW], ["report", NOW],
        ["summary", NOW], ["timeline", NOW, "bob@contoso.com"],
    ):
        result = runner.invoke(app, [*command, path])
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", refused), command
    events = runner.invoke(app, ["events", "--format", "ndjson", path])
    assert events.exit_code == 0 and len(events.stdout.splitlines()) == 3041

    few = write(tmp_path, prefixed("".join(DEMO_TEXT.splitlines(keepends=True)[:9]),
                                   lambda n: "- " if n % 2 else "* "), "few.log")
    result = runner.invoke(app, ["check", "--now", "2026-11-24T07:10:00-08:00", few])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        1,
        "FAIL: no waiting, overdue or failed user; connector: no_cycles as of "
        "2026-11-24T07:10:00-08:00",
    )
    waiting = runner.invoke(app, ["check", str(SAMPLES / "certificate-wait")])
    assert (waiting.exit_code, waiting.stdout.splitlines()[-1]) == (
        1,
        "FAIL: no waiting, overdue or failed user; connector: connector_stopped as of "
        "2023-02-26T20:19:12.431-08:00",
    )
