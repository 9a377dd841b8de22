"""A tar archive of the Logs folder (`tar czf logs.tgz Logs`, what a Linux share or a support
bundle holds): `.tar`, `.tgz`, `.tar.bz2`, `.tar.xz`, by its bytes whatever its name, given or
on stdin, read as the folder it holds, as a zip is. It was refused ("a tar archive: unpack it")."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from .conftest import SAMPLES, run_installed

ROTATED = SAMPLES / "rotated"
MODES = ["w", "w:gz", "w:bz2", "w:xz"]


def packed(path: Path, mode: str, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def logs_folder() -> dict[str, bytes]:
    """The rotated sample as a Logs folder holds it, with another log beside it."""
    return {
        "Logs/CloudUserSync.lo_": (ROTATED / "CloudUserSync.lo_").read_bytes(),
        "Logs/CloudUserSync.log": (ROTATED / "CloudUserSync.log").read_bytes(),
        "Logs/ccm.log": b"not the connector's\n",
    }


def report(*args: str, stdin: bytes | None = None) -> tuple[int, dict[str, object], str]:
    result = run_installed("report", "--all", "--format", "json", *args, stdin=stdin)
    document = json.loads(result.stdout) if result.stdout else {}
    return result.returncode, document, result.stderr.decode()


def without_paths(document: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in document.items() if key != "inputs"}


@pytest.mark.parametrize("mode", MODES)
def test_a_tar_of_the_logs_folder_gives_the_folder_s_answers(tmp_path: Path, mode: str) -> None:
    archive = packed(tmp_path / "bundle.bin", mode, logs_folder())
    code, document, _ = report(str(archive))
    want_code, want, _ = report(str(ROTATED))
    assert code == want_code == 0
    assert without_paths(document) == without_paths(want)
    paths = [i["path"] for i in document["inputs"]]  # type: ignore[attr-defined]
    assert paths == [f"{archive}/Logs/CloudUserSync.lo_", f"{archive}/Logs/CloudUserSync.log"]
    code, piped, _ = report(stdin=archive.read_bytes())
    assert (code, without_paths(piped)) == (0, without_paths(want))
    assert [i["path"] for i in piped["inputs"]] == [  # type: ignore[attr-defined]
        "-/Logs/CloudUserSync.lo_", "-/Logs/CloudUserSync.log",  # (as a zip's on stdin)
    ]


def test_a_member_or_a_folder_of_a_tar_is_named_as_in_a_zip(tmp_path: Path) -> None:
    archive = packed(tmp_path / "logs.tgz", "w:gz", logs_folder())
    code, _, stderr = report(f"{archive}/Logs/CloudUserSync.log")
    assert code == 0
    assert stderr.splitlines()[0] == (
        f"logsync: {archive}/Logs/CloudUserSync.lo_ beside {archive}/Logs/CloudUserSync.log holds "
        f"the log's older records and was not read; `logsync report {archive}` reads both"
    )
    assert report(f"{archive}/Logs")[1] == report(str(archive))[1]
    missing = run_installed("check", f"{archive}/Logs/CloudUserSync.lo")
    assert (missing.returncode, missing.stderr.decode()) == (
        2, f"logsync: error: {archive}/Logs/CloudUserSync.lo: no such file in the tar archive\n"
    )


def test_a_tar_without_the_log_or_damaged_is_one_line_and_exit_2(tmp_path: Path) -> None:
    archive = packed(tmp_path / "logs.tar", "w", {"Logs/ccm.log": b"x\n"})
    result = run_installed("check", str(archive))
    assert (result.returncode, result.stderr.decode()) == (
        2, f"logsync: error: {archive}: no CloudUserSync.log or CloudUserSync.lo_ in this tar archive\n"
    )
    whole = packed(tmp_path / "whole.tgz", "w:gz", logs_folder()).read_bytes()
    cut = tmp_path / "cut.tgz"
    cut.write_bytes(whole[: len(whole) // 2])
    result = run_installed("check", str(cut))
    assert result.returncode == 2
    assert result.stderr.decode().startswith(f"logsync: error: {cut}")
    assert len(result.stderr.splitlines()) == 1


def test_a_gzip_log_is_no_tar(tmp_path: Path) -> None:
    """A packed log is read as the log it packs: only a tar's first header makes an archive."""
    import gzip

    path = tmp_path / "CloudUserSync.log.gz"
    path.write_bytes(gzip.compress((ROTATED / "CloudUserSync.log").read_bytes()))
    assert report(str(path))[1]["users"] == report(str(ROTATED / "CloudUserSync.log"))[1]["users"]


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_watch_says_a_tar_or_its_member_is_no_live_log(tmp_path: Path, mode: str) -> None:
    archive = packed(tmp_path / "logs.tar", mode, logs_folder())
    for target, what in ((str(archive), "a tar archive"), (f"{archive}/Logs/CloudUserSync.log", "in a tar archive")):
        result = run_installed("watch", target)
        assert (result.returncode, result.stderr.decode()) == (
            2, f"logsync: error: {target}: {what}, not a live log (report reads it)\n"
        )
