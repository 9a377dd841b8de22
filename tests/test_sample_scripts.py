"""The scripts that write the sample logs answer `--help` and refuse bad arguments in one line
(`simulate.py --help` was a traceback; `generate.py --help` rewrote every sample), and
`simulate.py` writes the same log for the same seed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLES


def run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SAMPLES / script), *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.mark.parametrize("script", ["simulate.py", "generate.py"])
def test_help_is_help_and_writes_nothing(tmp_path: Path, script: str) -> None:
    before = {path: path.stat().st_mtime_ns for path in SAMPLES.rglob("*") if path.is_file()}
    done = run(script, "--help", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"usage: {script} [-h]")
    assert list(tmp_path.iterdir()) == []
    assert {path: path.stat().st_mtime_ns for path in SAMPLES.rglob("*") if path.is_file()} == before


@pytest.mark.parametrize("hours", ["x", "0", "-3"])
def test_simulate_refuses_hours_that_are_none(tmp_path: Path, hours: str) -> None:
    done = run("simulate.py", "--", hours, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[-1].startswith("simulate.py: error: ")
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_simulate_writes_the_same_log_for_a_seed(tmp_path: Path) -> None:
    first = run("simulate.py", "4", "a.log", cwd=tmp_path)
    again = run("simulate.py", "4", "b.log", "--seed", "1", cwd=tmp_path)
    other = run("simulate.py", "4", "c.log", "--seed", "2", "--per-day", "200", cwd=tmp_path)
    assert first.stdout == "a.log: 465 lines, 12 users\n"
    assert again.stdout == "b.log: 465 lines, 12 users\n"
    data = (tmp_path / "a.log").read_bytes()
    assert data == (tmp_path / "b.log").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 465
    assert other.stdout == "c.log: 636 lines, 32 users\n"
