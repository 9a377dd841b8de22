"""A zip archive is read as the folder it holds (SPEC §2), also where a member holds nothing: a
log just rotated, before its first line, was refused in a zip ("empty input: no log lines")
where the same folder on disk is read as its `.lo_`, the empty log named on stderr."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app

from .conftest import SAMPLES

FAILING = (
    "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of 2026-11-25T16:04:59.644-08:00; "
    "1 pending user not counted by --fail-on waiting,overdue,failed,connector"
)


def folder_and_zip(tmp_path: Path, log: bytes) -> tuple[Path, Path]:
    """A Logs folder, and a zip of the same files: the demo log as the `.lo_`, then `log`."""
    rotated = (SAMPLES / "CloudUserSync.log").read_bytes()
    folder = tmp_path / "Logs"
    folder.mkdir()
    (folder / "CloudUserSync.lo_").write_bytes(rotated)
    (folder / "CloudUserSync.log").write_bytes(log)
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("CloudUserSync.lo_", rotated)
        packed.writestr("CloudUserSync.log", log)
    return folder, archive


@pytest.mark.parametrize("empty", [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\r\n"])
def test_a_zip_whose_log_was_just_rotated_is_read_as_the_folder_is(tmp_path: Path, empty: bytes) -> None:
    folder, archive = folder_and_zip(tmp_path, empty)
    on_disk = CliRunner().invoke(app, ["check", str(folder)])
    for given, stdin, shown in ((str(archive), None, str(archive)), ("-", archive.read_bytes(), "stdin")):
        result = CliRunner().invoke(app, ["check", given], input=stdin)
        assert (result.exit_code, result.stdout) == (on_disk.exit_code, on_disk.stdout)
        assert result.stdout.splitlines()[-1] == FAILING
        assert result.stderr.splitlines()[0] == (
            f"logsync: {shown}/CloudUserSync.log is empty (a log just rotated?): nothing to read"
        )


def test_a_zip_whose_only_log_is_empty_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("CloudUserSync.log", b"")
    result = CliRunner().invoke(app, ["check", str(archive)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"logsync: error: {archive}/CloudUserSync.log: empty input: no log lines\n"


def test_a_zip_that_holds_archives_in_place_of_the_logs_names_them(tmp_path: Path) -> None:
    """A zip of a zip (a ticket's attachment of an attachment): it said only that no log was in
    it, though one is, packed inside."""
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as packed:
        packed.writestr("CloudUserSync.log", (SAMPLES / "CloudUserSync.log").read_bytes())
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.write(inner, "Logs/inner.zip")
        packed.writestr("Logs/CloudUserSync.log.gz", b"\x1f\x8b")
        packed.writestr("readme.txt", b"see inside")
    result = CliRunner().invoke(app, ["check", str(archive)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"logsync: error: {archive}: no CloudUserSync.log or CloudUserSync.lo_ in this zip archive "
        "(it holds CloudUserSync.log.gz, inner.zip: extract them first)\n"
    )


@pytest.mark.parametrize("blank", [b"\r\n\r\n", b"\xef\xbb\xbf\r\n"])
def test_a_zip_member_is_empty_up_to_the_size_a_file_in_a_folder_is(tmp_path: Path, blank: bytes) -> None:
    """Four bytes of blank lines: left out and named, as in a folder; five (a byte-order mark and
    a line's end): read, and refused as the folder is (only a blank line)."""
    folder, archive = folder_and_zip(tmp_path, blank)
    on_disk = CliRunner().invoke(app, ["check", str(folder)])
    zipped = CliRunner().invoke(app, ["check", str(archive)])
    assert (zipped.exit_code, zipped.stdout) == (on_disk.exit_code, on_disk.stdout)
    assert zipped.stderr.splitlines()[0] == on_disk.stderr.splitlines()[0].replace(str(folder), str(archive))
    if len(blank) == 4:
        assert zipped.stdout.splitlines()[-1] == FAILING
        assert zipped.stderr.splitlines()[0] == (
            f"logsync: {archive}/CloudUserSync.log is empty (a log just rotated?): nothing to read"
        )
    else:
        assert zipped.exit_code == 2
        assert zipped.stderr.splitlines()[0].startswith(  # (a byte-order mark and a line's end)
            f"logsync: error: {archive}/CloudUserSync.log: no log records, only 1 blank line"
        )
