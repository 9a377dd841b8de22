"""`events` of a log whose runs share records (two overlapping excerpts pasted together), given
packed (`.gz`, `.bz2`, `.xz`, a member of a zip) or on stdin from a file (`< all.log`): each
shared record was written twice (3,241 events for 3,041 records; 25 cycles more than `report`
counts), and files pasted in the wrong order were written in file order, time going back. Such
inputs are sampled as a file is (a packed one in its unpacked copy): their runs are merged by
time, a shared record once. A pipe still streams as it comes, and says what that means."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import LOGSYNC, SAMPLES, run_installed

LINES = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(keepends=True)
OVERLAPPED = "".join(LINES[:1600] + LINES[1400:]).encode()  # (200 records in both runs)
WRONG_ORDER = "".join(LINES[1500:] + LINES[:1500]).encode()  # (the .log, then its .lo_)


def packed(tmp_path: Path, form: str, data: bytes) -> Path:
    path = tmp_path / f"all.log{form}"
    if form == ".zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("Logs/CloudUserSync.log", data)
    else:
        path.write_bytes({"": bytes, ".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}[form](data))
    return path


def events(path: Path, pure: str, as_stdin: bool = False) -> tuple[list[dict[str, object]], str]:
    if as_stdin:
        with path.open("rb") as handle:
            result = subprocess.run([LOGSYNC, "events", "-"], stdin=handle, capture_output=True, env={**os.environ, "LOGSYNC_PURE": pure})
    else:
        result = run_installed("events", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr.decode()


def times(found: list[dict[str, object]]) -> list[str]:
    return [str(event["time"]) for event in found if event["time"] is not None]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("form", ["", ".gz", ".bz2", ".xz", ".zip", "< file"])
def test_runs_that_share_records_give_each_record_once(tmp_path: Path, form: str, pure: str) -> None:
    path = packed(tmp_path, "" if form == "< file" else form, OVERLAPPED)
    found, stderr = events(path, pure, as_stdin=form == "< file")
    assert len(found) == 3041
    assert sum(event["kind"] == "sync_started" for event in found) == 398
    assert times(found) == sorted(times(found))
    assert "200 records found in more than one input or run" in stderr


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("form", [".gz", ".zip", "< file"])
def test_runs_pasted_in_the_wrong_order_are_written_in_time_order(tmp_path: Path, form: str, pure: str) -> None:
    path = packed(tmp_path, "" if form == "< file" else form, WRONG_ORDER)
    found, _ = events(path, pure, as_stdin=form == "< file")
    (tmp_path / "clean").mkdir()
    clean, _ = events(packed(tmp_path / "clean", "", "".join(LINES).encode()), pure)
    assert [(e["kind"], e["time"], e["text"]) for e in found] == [(e["kind"], e["time"], e["text"]) for e in clean]


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_pipe_streams_in_file_order_and_says_so(pure: str) -> None:
    result = run_installed("events", "-", stdin=gzip.compress(OVERLAPPED), LOGSYNC_PURE=pure)
    assert len(result.stdout.splitlines()) == 3241
    assert result.stderr.decode() == (
        "logsync: stdin:1601: time goes back (logs pasted together?); events are in file order (a "
        "record that two runs share is written for each); give it as a file (logsync events FILE, "
        "or < FILE) to merge its runs by time\n"
    )
