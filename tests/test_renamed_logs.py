"""The connector's log, or its older half, under a name it does not write (a second download, a
copy, a save as text, a backup) in a folder or a zip archive: read with the folder, and said so.
A folder holding `CloudUserSync.lo_` and `CloudUserSync (1).log` was read as the `.lo_` alone,
without a word: `check` passed on the demo log, where 5 users fail."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.halves import lone_halves
from logsync.lognames import folder_logs, is_renamed

from .conftest import SAMPLES

MARKER = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
FAILING = (
    "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of 2026-11-25T16:04:59.644-08:00; "
    "1 pending user not counted by --fail-on waiting,overdue,failed,connector"
)


def halves() -> tuple[bytes, bytes]:
    """The demo log as a rotated pair: its first 45 lines and the marker, then the rest."""
    lines = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
    return b"".join(lines[:45]) + MARKER, b"".join(lines[45:])


def check(*args: str) -> tuple[int, list[str], list[str]]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


@pytest.mark.parametrize(
    "newer",
    [
        "CloudUserSync (1).log",
        "CloudUserSync - Copy.log",
        "CloudUserSync.log.txt",
        "CloudUserSync.LOG.bak",
        "CloudUserSync_2026-11-25.log",
    ],
)
def test_a_folder_reads_its_log_renamed_beside_its_older_half(tmp_path: Path, newer: str) -> None:
    older, rest = halves()
    (tmp_path / "CloudUserSync.lo_").write_bytes(older)
    (tmp_path / newer).write_bytes(rest)
    status, stdout, stderr = check(str(tmp_path))
    assert status == 1
    assert stdout[-1] == FAILING
    assert stderr[0] == (
        f"logsync: {renamed_as_given(tmp_path / newer)}: read as the connector's log under "
        "another name (a copy, a second download)"
    )
    assert [line for line in stdout if "\t" in line] == answers_of_the_log(tmp_path)


def test_a_folder_reads_its_halves_named_with_a_prefix_beside_a_history_file(tmp_path: Path) -> None:
    """`SCCM01_CloudUserSync.lo_` and `.log` (a server's name before each) beside a history
    file: the history file alone was read, as of a day earlier, carol `waiting` where she
    recovered, and nothing was said of the two."""
    lines = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
    (tmp_path / "CloudUserSync-20261124-102203.log").write_bytes(b"".join(lines[:300]))
    (tmp_path / "SCCM01_CloudUserSync.lo_").write_bytes(b"".join(lines[300:1500]) + MARKER)
    (tmp_path / "SCCM01_CloudUserSync.log").write_bytes(b"".join(lines[1500:]))
    status, stdout, stderr = check(str(tmp_path))
    assert (status, stdout[-1]) == (1, FAILING)
    assert stderr[0] == (
        f"logsync: {tmp_path}/SCCM01_CloudUserSync.lo_, {tmp_path}/SCCM01_CloudUserSync.log: "
        "read as the connector's log under another name (a copy, a second download)"
    )


def test_a_folder_reads_its_older_half_renamed(tmp_path: Path) -> None:
    older, rest = halves()
    (tmp_path / "CloudUserSync (1).lo_").write_bytes(older)
    (tmp_path / "CloudUserSync.log").write_bytes(rest)
    status, stdout, _ = check("--fail-on", "failed", str(tmp_path))
    assert status == 1
    assert stdout[0] == "dave@contoso.com\tfailed\tLicenseLimitReached\tno automatic retry"
    assert folder_logs(path.name for path in tmp_path.iterdir()) == [
        "CloudUserSync (1).lo_",
        "CloudUserSync.log",
    ]


def test_a_zip_reads_its_log_renamed(tmp_path: Path) -> None:
    older, rest = halves()
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("CloudUserSync.lo_", older)
        packed.writestr("CloudUserSync (1).log", rest)
    status, stdout, stderr = check(str(archive))
    assert status == 1
    assert stdout[-1] == FAILING
    assert stderr[0] == (
        f'logsync: "{archive}/CloudUserSync (1).log": read as the connector\'s log under another '
        "name (a copy, a second download)"
    )


@pytest.mark.parametrize("name", ["CloudUserSync.txt", "CloudUserSync (1).TXT", "CloudUserSync - Copy.txt"])
def test_a_zip_or_folder_of_the_log_saved_as_text_alone_reads_it(tmp_path: Path, name: str) -> None:
    """The log saved as text (`Get-Content ... > CloudUserSync.txt`), the only file of a zip or
    a folder: they were "no CloudUserSync.log or CloudUserSync.lo_" there."""
    log = (SAMPLES / "CloudUserSync.log").read_bytes()
    folder = tmp_path / "Logs"
    folder.mkdir()
    (folder / name).write_bytes(log)
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr(name, log)
    for given, member in ((folder, folder / name), (archive, f"{archive}/{name}")):
        status, stdout, stderr = check(str(given))
        assert (status, stdout[-1]) == (1, FAILING)
        shown = f'"{member}"' if " " in str(member) else str(member)
        assert stderr[0] == (
            f"logsync: {shown}: read as the connector's log under another name (a copy, a "
            "second download)"
        )


def test_a_copy_renamed_beside_the_log_counts_once(tmp_path: Path) -> None:
    log = (SAMPLES / "CloudUserSync.log").read_bytes()
    (tmp_path / "CloudUserSync.log").write_bytes(log)
    (tmp_path / "CloudUserSync - Copy.log").write_bytes(log)
    status, stdout, stderr = check(str(tmp_path))
    assert status == 1
    assert stdout[-1] == FAILING
    assert stderr[1] == (
        "logsync: 3,041 records found in more than one input or run (the same instant, thread, "
        "component and text) counted once; the copies were left out"
    )


def test_a_half_given_alone_names_its_other_half_renamed_beside_it(tmp_path: Path) -> None:
    older, rest = halves()
    rotated, newer = tmp_path / "CloudUserSync.lo_", tmp_path / "CloudUserSync (1).log"
    rotated.write_bytes(older)
    newer.write_bytes(rest)
    _, _, stderr = check(str(rotated))
    assert stderr[0] == (
        f"logsync: {newer} beside {rotated} may hold the log's records under another name and "
        f"was not read; `logsync check {tmp_path}` reads both"
    )
    assert lone_halves([str(rotated), str(newer)]) == []
    status, _, stderr = check(str(rotated), str(newer))  # (named: read as given, nothing said)
    assert status == 1
    assert not any("another name" in line for line in stderr)


def test_the_outputs_beside_a_log_are_not_read_as_it(tmp_path: Path) -> None:
    """`CloudUserSync.log.report.json` and its kind (sample_logs/ holds them) are no log."""
    (tmp_path / "CloudUserSync.log").write_bytes((SAMPLES / "CloudUserSync.log").read_bytes())
    for name in ("CloudUserSync.log.report.json", "CloudUserSync.log.events.ndjson", "CloudUserSync.log.gz"):
        (tmp_path / name).write_bytes(b"{}\n")
    status, stdout, stderr = check(str(tmp_path))
    assert (status, stdout[-1]) == (1, FAILING)
    assert not any("another name" in line for line in stderr)


@pytest.mark.parametrize(
    ("name", "renamed"),
    [
        ("CloudUserSync (1).log", True),
        ("CloudUserSync (1).lo_", True),
        ("cloudusersync.log.1", True),
        ("CloudUserSync.lo_.log", True),
        ("CloudUserSync.log.old", True),
        ("logs/CloudUserSync - Copy.log", True),
        ("Copy of CloudUserSync.log", True),
        ("SCCM01_CloudUserSync.log", True),
        ("SERVER-CloudUserSync.lo_", True),
        ("CloudUserSync.txt", True),
        ("cloudusersync (2).txt", True),
        ("CloudUserSync(1).txt", True),
        ("CloudUserSync - Copy (3).txt", True),
        ("SCCM01_CloudUserSync.TXT", True),
        ("CloudUserSync notes.txt", False),
        ("CloudUserSync-notes.txt", False),
        ("CloudUserSync (1234).txt", False),
        ("CloudUserSync.txt.gz", False),
        ("OldCloudUserSync.txt", False),
        ("CloudUserSync.log", False),
        ("CLOUDUSERSYNC.LO_", False),
        ("CloudUserSync-20261124-120000.log", False),  # (a history file: read as one)
        ("CloudUserSync.log.report.json", False),
        ("CloudUserSync.log.html", False),
        ("CloudUserSync.log.1234", False),
        ("CloudUserSync.lo_.gz", False),
        ("CloudUserSync.lo_.zip", False),
        ("OldCloudUserSync.log", False),
        ("CertMgr.log", False),
    ],
)
def test_which_names_are_the_log_renamed(name: str, renamed: bool) -> None:
    assert is_renamed(name) is renamed


def renamed_as_given(path: Path) -> str:
    return f'"{path}"' if " " in str(path) else str(path)


def answers_of_the_log(tmp_path: Path) -> list[str]:
    """The users `check` fails on the demo log read whole."""
    whole = tmp_path.parent / f"{tmp_path.name}-whole"
    whole.mkdir()
    (whole / "CloudUserSync.log").write_bytes((SAMPLES / "CloudUserSync.log").read_bytes())
    _, stdout, _ = check(str(whole / "CloudUserSync.log"))
    return [line for line in stdout if "\t" in line]
