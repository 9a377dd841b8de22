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
    assert result.stderr.decode().startswith(f"logsync: error: {cut}: not a readable tar archive (")
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


@pytest.mark.parametrize("mode", ["w:gz", "w:bz2", "w:xz"])
def test_a_tar_whose_compressed_data_is_damaged_is_refused_not_read(tmp_path: Path, mode: str) -> None:
    """A byte flipped in a `.tgz`: its members were read from the damaged data, as text (users
    missing, `as of` hours early, notes of records cut short and time going back), the gzip's
    check at its end never read; in a `.tar.xz`, a traceback. Refused, as a damaged `.log.gz`
    or zip is, on a path and on stdin."""
    whole = packed(tmp_path / "logs.tar", mode, {"Logs/CloudUserSync.log": (SAMPLES / "CloudUserSync.log").read_bytes()})
    data = bytearray(whole.read_bytes())
    data[len(data) * 70 // 100] ^= 0xFF
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    for given, stdin, shown in ((str(damaged), None, str(damaged)), ("-", bytes(data), "stdin")):
        result = run_installed("check", given, stdin=stdin)
        assert (result.returncode, result.stdout) == (2, b"")
        (line,) = result.stderr.decode().splitlines()
        # (bzip2 packs the whole tar in one block: damaged, its first header cannot be told)
        said = "corrupt bzip2 data (" if mode == "w:bz2" else "not a readable tar archive ("
        assert line.startswith(f"logsync: error: {shown}: {said}")


def test_a_member_added_again_is_read_as_tar_extracts_it(tmp_path: Path) -> None:
    """`tar rf logs.tar Logs/CloudUserSync.log` after the log grew: the archive holds both; `tar
    xf` extracts the last. The first (1,500 lines) was read, as of hours before the log's end."""
    lines = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
    archive = packed(tmp_path / "logs.tar", "w", {"Logs/CloudUserSync.log": b"".join(lines[:1500])})
    with tarfile.open(archive, "a") as appended:
        info = tarfile.TarInfo("Logs/CloudUserSync.log")
        info.size = sum(map(len, lines))
        appended.addfile(info, io.BytesIO(b"".join(lines)))
    want = run_installed("check", str(SAMPLES / "CloudUserSync.log")).stdout
    for stdin in (None, archive.read_bytes()):
        result = run_installed("check", str(archive) if stdin is None else "-", stdin=stdin)
        assert (result.returncode, result.stdout) == (1, want)


def test_a_zip_member_added_again_is_read_as_unzip_extracts_it(tmp_path: Path) -> None:
    import warnings
    import zipfile

    lines = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
    archive = tmp_path / "logs.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(archive, "w") as packed_zip:
        warnings.simplefilter("ignore")  # (a duplicate name, as `zip -u` of an old tool writes)
        packed_zip.writestr("Logs/CloudUserSync.log", b"".join(lines[:1500]))
        packed_zip.writestr("Logs/CloudUserSync.log", b"".join(lines))
    want = run_installed("check", str(SAMPLES / "CloudUserSync.log")).stdout
    result = run_installed("check", str(archive))
    assert (result.returncode, result.stdout) == (1, want)


def test_a_tar_of_a_folder_s_contents_names_its_members_without_dot_slash(tmp_path: Path) -> None:
    """`tar czf logs.tgz -C Logs .` writes `./CloudUserSync.log`: the member was named
    `logs.tgz/./CloudUserSync.log`, and `logs.tgz/CloudUserSync.log` was "no such file"."""
    members = {f"./{name.split('/')[-1]}": data for name, data in logs_folder().items()}
    archive = packed(tmp_path / "logs.tgz", "w:gz", members)
    code, document, _ = report(str(archive))
    assert code == 0
    assert [i["path"] for i in document["inputs"]] == [  # type: ignore[attr-defined]
        f"{archive}/CloudUserSync.lo_", f"{archive}/CloudUserSync.log",
    ]
    named = run_installed("check", f"{archive}/CloudUserSync.log")
    assert named.returncode == 1, named.stderr


def test_a_tar_bz2_whose_first_block_packs_large_is_told_a_tar(tmp_path: Path) -> None:
    """bzip2 gives nothing out before a whole block (up to 900 kB) has come in: where the first
    block packs to more than the 64 KiB looked at, the `.tar.bz2` was streamed and refused ("a
    tar archive (packed again, or in a pipe): give the tar itself")."""
    import base64
    import random

    noise = base64.b64encode(random.Random(7).randbytes(700_000))
    archive = packed(tmp_path / "logs.tar.bz2", "w:bz2", {"Logs/aaa.txt": noise, **logs_folder()})
    assert archive.stat().st_size > 1 << 16
    code, document, _ = report(str(archive))
    assert (code, without_paths(document)) == (0, without_paths(report(str(ROTATED))[1]))


def test_a_damaged_header_inside_a_plain_tar_is_refused(tmp_path: Path) -> None:
    """`tarfile` stops listing at a damaged header: the members after it were silently missing
    ("no CloudUserSync.log … in this tar archive"). What follows the listing must be zeros."""
    archive = packed(tmp_path / "logs.tar", "w", {
        "Logs/ccm.log": b"x\n", "Logs/CloudUserSync.log": (ROTATED / "CloudUserSync.log").read_bytes(),
    })
    data = bytearray(archive.read_bytes())
    data[1024 + 148] ^= 0xFF  # (the second member's header checksum)
    archive.write_bytes(bytes(data))
    result = run_installed("check", str(archive))
    assert (result.returncode, result.stderr.decode()) == (
        2, f"logsync: error: {archive}: not a readable tar archive (a damaged header)\n"
    )


def test_every_dot_slash_before_a_member_is_left_out(tmp_path: Path) -> None:
    archive = packed(tmp_path / "logs.tar", "w", {"././CloudUserSync.log": (ROTATED / "CloudUserSync.log").read_bytes()})
    named = report(f"{archive}/CloudUserSync.log")
    assert (named[0], named[1]["users"]) == (0, report(str(ROTATED / "CloudUserSync.log"))[1]["users"])
