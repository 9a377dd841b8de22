"""Packed inputs read from their unpacked copy (`logsync.unpacked`): a gzip, bzip2 or xz file
and a zip member are sampled and read a run at a time like any file, the copies are removed at
the end of the process, and where no copy can be written the input is read as a stream."""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
from pathlib import Path

import pytest

from logsync import analyze, unpacked
from logsync.bulk import how_to_read
from logsync.pipeline import ReadOptions
from logsync.tracker.model import UserState

from .conftest import SAMPLES, run_installed

DEMO = SAMPLES / "CloudUserSync.log"
LINES = DEMO.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)
SWAPPED = b"".join(LINES[1550:] + LINES[:1550])
"""The demo log with its halves swapped (`type CloudUserSync.log CloudUserSync.lo_`)."""


@pytest.fixture(autouse=True)
def _fresh_copies() -> object:
    unpacked.remove_copies()
    yield
    unpacked.remove_copies()


def answers(users: list[UserState]) -> list[tuple[object, ...]]:
    """Each user's answer, with the line of its failure but not the input's name."""
    return [(u.upn, u.state, u.failures, u.requests, u.instants, u.failure_line) for u in users]


def packed(tmp_path: Path, how: str, data: bytes) -> str:
    if how == "zip":
        archive = tmp_path / "logs.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            zipped.writestr("Logs/CloudUserSync.log", data)
        return f"{archive}/Logs/CloudUserSync.log"
    pack = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[how]
    path = tmp_path / f"CloudUserSync.log.{how}"
    path.write_bytes(pack(data))
    return str(path)


@pytest.mark.parametrize("how", ["gz", "bz2", "xz", "zip"])
def test_a_packed_file_of_runs_is_read_a_run_at_a_time(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, a packed input could not be sampled: a file of runs was held in memory whole.
    Alone, it is read as a stream (no copy: in order, that is all it takes); once its time
    goes back, it is unpacked, sampled and read a run at a time."""
    name = packed(tmp_path, how, SWAPPED)
    alone = how_to_read([name], ReadOptions())
    assert (dict(alone.pieces), unpacked.copy_of(name, make=False)) == ({}, None)
    plain = tmp_path / "swapped.log"
    plain.write_bytes(SWAPPED)
    expected = analyze([str(plain)])
    from logsync import pipeline

    monkeypatch.setattr(pipeline, "split_event_runs", None)  # never held
    read = analyze([name])
    assert answers(read.users) == answers(expected.users)
    assert (read.runs, read.inputs[0].records, read.duplicates) == (((name, 2),), 3041, 0)
    copy = unpacked.copy_of(name, make=False)
    assert copy is not None and Path(copy).read_bytes() == SWAPPED
    pieces = how_to_read([name], ReadOptions()).pieces[name]
    assert [(p.first_line, p.rotated) for p in pieces] == [(1, False), (1492, False)]


def test_a_packed_log_alone_and_in_order_is_read_as_a_stream(tmp_path: Path) -> None:
    """No copy is written where none is needed: the gzip of a log in order, alone."""
    name = packed(tmp_path, "gz", DEMO.read_bytes())
    read = analyze([name])
    assert (read.runs, read.inputs[0].records) == ((), 3041)
    assert unpacked.copy_of(name, make=False) is None


def test_without_room_for_a_copy_a_packed_input_is_read_as_a_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = packed(tmp_path, "gz", DEMO.read_bytes())

    def no_room() -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(unpacked, "_temporary_folder", no_room)
    assert unpacked.copy_of(name) is None
    reading = how_to_read([name], ReadOptions())
    assert (reading.rows, reading.sequence) == (True, None)  # (not sampled: read as it comes)
    assert [(u.upn, u.state) for u in analyze([name]).users] == [
        (u.upn, u.state) for u in analyze([str(DEMO)]).users
    ]


def test_corrupt_packed_data_is_one_line_naming_the_input(tmp_path: Path) -> None:
    path = tmp_path / "CloudUserSync.log.gz"
    path.write_bytes(gzip.compress(DEMO.read_bytes())[:-40])
    result = run_installed("report", str(path))
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr == (
        f"logsync: error: {path}: gzip data ends early (truncated file?)\n".encode()
    )


def test_the_copies_are_removed_when_the_command_ends(tmp_path: Path) -> None:
    """The command line ends with `os._exit`, which runs no `atexit` handler."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    name = packed(tmp_path, "gz", SWAPPED)
    result = run_installed("check", "--fail-on", "overdue", name, TMPDIR=str(temporary))
    assert result.returncode == 1
    assert b"its 2 runs are merged by time" in result.stderr
    assert list(temporary.iterdir()) == []


def test_a_progress_bar_counts_the_packed_bytes(tmp_path: Path) -> None:
    """The bar's total is the size of the paths given; the copy's bytes are told in that unit."""
    from logsync.sources import text_chunks
    from logsync.stats import InputStats

    name = packed(tmp_path, "gz", DEMO.read_bytes() * 4)
    told: list[int] = []
    assert unpacked.copy_of(name) is not None
    for _ in text_chunks(name, InputStats(name), progress=told.append):
        pass
    size = Path(name).stat().st_size
    assert size - 1 <= sum(told) <= size
    assert all(count >= 0 for count in told)


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_a_tar_archive_is_read_as_its_folders_never_as_one_text(tmp_path: Path, mode: str) -> None:
    """Before, a `.tgz` of two sites' Logs folders was read as one log: their records merged,
    a user of one judged by the cycles of the other, `file:line` inside the tar stream. It is
    read as the folders it holds, as a zip is: two of them are to be named, one at a time."""
    import tarfile

    path = tmp_path / "logs.tar"
    with tarfile.open(path, mode) as archive:
        archive.add(DEMO, arcname="A/CloudUserSync.log")
        archive.add(SAMPLES / "rotated" / "CloudUserSync.log", arcname="B/CloudUserSync.log")
    result = run_installed("report", str(path))
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr == (
        f"logsync: error: {path}: CloudUserSync logs in 2 folders of this tar archive (A/, B/): "
        f"name one, as {path}/A\n"
    ).encode()
    piped = run_installed("check", stdin=path.read_bytes())
    assert (piped.returncode, piped.stderr.splitlines()[-1]) == (
        2,
        b"logsync: error: stdin: CloudUserSync logs in 2 folders of this tar archive (A/, B/): "
        b"name one, save it and give FILE.tar/A",
    )
    named = run_installed("check", f"{path}/A")
    assert (named.returncode, named.stdout) == (1, run_installed("check", str(DEMO)).stdout)


@pytest.mark.parametrize(("signum", "code"), [(15, 143), (1, 129)], ids=["SIGTERM", "SIGHUP"])
def test_the_copies_are_removed_when_the_command_is_terminated(
    tmp_path: Path, signum: int, code: int
) -> None:
    """SIGTERM (`kill`, a CI job's timeout) and SIGHUP (the terminal closed) end the command as
    the signal would (exit 143, 129), without leaving the unpacked copy behind (the signal's
    own end would). The packed log is given beside a FIFO that nothing writes to: it is
    unpacked to be sampled, then the command waits for the FIFO's first byte, with its copy
    made, for as long as the test takes (before, it was a large log read for a while, and a
    loaded machine sometimes saw no copy within the wait)."""
    import os
    import shutil
    import subprocess
    import time

    from .conftest import LOGSYNC

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    name = packed(tmp_path, "gz", DEMO.read_bytes())
    fifo = tmp_path / "waiting.log"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [LOGSYNC, "report", name, str(fifo)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    try:
        deadline = time.monotonic() + 60
        while (
            not list(temporary.glob("*/*.log"))
            and process.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.01)
        copies = [path.parent.name[:8] for path in temporary.glob("*/*.log")]
        ended = process.poll() is not None
        assert copies == ["logsync-"], (  # (why not: the command's end, or the room left)
            process.communicate() if ended else "no copy in 60 s",
            f"{shutil.disk_usage(temporary).free} bytes free",
        )
        assert process.poll() is None  # (waiting for the FIFO)
        process.send_signal(signum)
        assert process.wait(timeout=30) == code
    finally:
        process.kill()
        process.communicate()
    assert list(temporary.iterdir()) == []


def test_a_packed_file_of_runs_on_stdin_is_read_a_run_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`report - < all.log.gz`: stdin is kept, and unpacked from its copy once its time goes
    back. Before, it was held in memory whole (137 MB: 25 s and 474 MB)."""
    import json

    from typer.testing import CliRunner

    from logsync import pipeline
    from logsync.cli import app

    plain = tmp_path / "swapped.log"
    plain.write_bytes(SWAPPED)
    expected = CliRunner().invoke(app, ["report", "--format", "json", str(plain)])
    monkeypatch.setattr(pipeline, "split_event_runs", None)  # never held
    piped = CliRunner().invoke(app, ["report", "--format", "json", "-"], input=gzip.compress(SWAPPED))
    assert piped.exit_code == expected.exit_code == 0, piped.output
    users = [(u["upn"], u["state"], u["expected_recovery"]) for u in json.loads(piped.stdout)["users"]]
    assert users == [
        (u["upn"], u["state"], u["expected_recovery"]) for u in json.loads(expected.stdout)["users"]
    ]
    assert "stdin: time goes back once" in piped.stderr


def utf16(data: bytes, encoding: str = "utf-16-le") -> bytes:
    """`data` as PowerShell 5's `>` writes it: UTF-16 with its BOM, CRLF line breaks."""
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
    bom = b"\xff\xfe" if encoding == "utf-16-le" else b"\xfe\xff"
    return bom + text.encode(encoding)


@pytest.mark.parametrize(("encoding", "how"), [("utf-16-le", None), ("utf-16-be", None), ("utf-16-le", "gz")])
def test_a_utf16_file_of_runs_is_read_a_run_at_a_time(
    tmp_path: Path, encoding: str, how: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Get-Content CloudUserSync.log, CloudUserSync.lo_ > all.log` in PowerShell 5 writes
    UTF-16: its runs could not be placed (the places of lines were looked for in UTF-8 only),
    so the file was read again as events, held whole. Its text is copied as UTF-8 once its
    time goes back, and read a run at a time from the copy, as any log is; it is still named
    UTF-16."""
    data = utf16(SWAPPED, encoding)
    if how is None:
        path = tmp_path / "all.log"
        path.write_bytes(data)
        name = str(path)
    else:
        name = packed(tmp_path, how, data)
    from logsync import reading

    def held(*_: object, **__: object) -> None:
        raise AssertionError("read as events")

    plain = tmp_path / "swapped.log"
    plain.write_bytes(SWAPPED)
    expected = analyze([str(plain)])
    monkeypatch.setattr(reading, "EventStream", held)
    read = analyze([name])
    assert answers(read.users) == answers(expected.users)
    stats = read.inputs[0]
    assert (read.runs, stats.encoding, stats.lines, stats.records, read.duplicates) == (
        ((name, 2),), encoding, 3041, 3041, 0
    )
    copy = unpacked.copy_of(name, make=False)
    assert copy is not None and Path(copy).read_bytes() == SWAPPED.replace(b"\r\n", b"\n")
    assert unpacked.copied_encoding(name) == encoding


def test_a_utf16_file_pasted_to_a_utf8_one_is_read_as_a_stream(tmp_path: Path) -> None:
    """A file of two encodings (`type` of a UTF-16 half and a UTF-8 half): no copy of it is
    kept (its text would not name both); it is read as events, with the same answers."""
    path = tmp_path / "all.log"
    path.write_bytes(utf16(b"".join(LINES[1550:])) + b"\xef\xbb\xbf" + b"".join(LINES[:1550]))
    read = analyze([str(path)])
    assert (read.runs, read.inputs[0].encoding) == (((str(path), 2),), "utf-16-le+utf-8-sig")
    assert unpacked.copy_of(str(path), make=False) is None
    plain = tmp_path / "swapped.log"
    plain.write_bytes(SWAPPED)
    assert answers(read.users) == answers(analyze([str(plain)]).users)


@pytest.mark.parametrize("form", ["ndjson", "csv", "text"])
def test_the_events_of_a_utf16_file_of_runs_are_those_of_its_text(
    tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`events` of the UTF-16 file writes its runs one after another from its copy, merged by
    time (it was read whole as events, held): the same lines as of the same text in UTF-8,
    with the same notes."""
    from typer.testing import CliRunner

    from logsync import pipeline, reading
    from logsync.cli import app

    monkeypatch.setattr(reading, "EventStream", None)  # never merged record by record
    monkeypatch.setattr(pipeline, "split_event_runs", None)  # never held

    (tmp_path / "utf8").mkdir()
    (tmp_path / "utf16").mkdir()
    (tmp_path / "utf8" / "all.log").write_bytes(SWAPPED)
    (tmp_path / "utf16" / "all.log").write_bytes(utf16(SWAPPED))
    found = {}
    for kind in ("utf8", "utf16"):
        result = CliRunner().invoke(app, ["events", "--format", form, str(tmp_path / kind / "all.log")])
        assert result.exit_code == 0
        found[kind] = (result.stdout, result.stderr.replace(f"{tmp_path}/{kind}/", ""))
        unpacked.remove_copies()
    assert found["utf16"][0] == found["utf8"][0].replace(f"{tmp_path}/utf8/", f"{tmp_path}/utf16/")
    assert found["utf16"][1] == found["utf8"][1]
    assert "all.log: time goes back once (logs pasted together?); its 2 runs are merged by time" in found["utf16"][1]


def test_a_utf16_log_in_order_is_not_copied(tmp_path: Path) -> None:
    """Only where its runs must be placed: a UTF-16 pair in order (beside each other, each
    sampled on its characters) is read as it is, no copy written."""
    older, newer = tmp_path / "CloudUserSync.lo_", tmp_path / "CloudUserSync.log"
    older.write_bytes(utf16(b"".join(LINES[:1550])))
    newer.write_bytes(utf16(b"".join(LINES[1550:])))
    read = analyze([str(tmp_path)])
    assert (read.runs, [s.encoding for s in read.inputs]) == ((), ["utf-16-le", "utf-16-le"])
    assert [unpacked.copy_of(str(p), make=False) for p in (older, newer)] == [None, None]
    assert [(u.upn, u.state) for u in read.users] == [(u.upn, u.state) for u in analyze([str(DEMO)]).users]


@pytest.mark.parametrize("pack", ["gzip", "bz2", "lzma"])
def test_packed_data_cut_short_on_stdin_names_stdin(pack: str) -> None:
    """It was named `-` (`logsync: error: -: gzip data ends early`)."""
    import importlib

    data = importlib.import_module(pack).compress(DEMO.read_bytes())
    result = run_installed("check", stdin=data[: len(data) // 2])
    what = {"gzip": "gzip", "bz2": "bzip2", "lzma": "xz"}[pack]
    assert (result.returncode, result.stderr.decode()) == (
        2, f"logsync: error: stdin: {what} data ends early (truncated file?)\n"
    )
