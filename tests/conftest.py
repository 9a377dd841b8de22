"""Shared fixtures: where the samples and the real site-server logs are, and a log builder."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import Phase, settings

# Mutation runs (mutmut, docs/mutation-survivors.md) pick a quicker profile with
# HYPOTHESIS_PROFILE=mutation: a failing mutant is only to be found, not shrunk, and fewer
# examples keep a surviving mutant's run short. The default profile is Hypothesis's own.
settings.register_profile(
    "mutation",
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

ROOT = Path(__file__).resolve().parent.parent

# Test the installed package rather than the source tree beside it: `pip install ".[test]"`
# built the native scanner into site-packages, not here. The tree stays on the path (the tests
# import each other through it), after the installed package; an editable install maps to the
# tree anyway.
_tree = [entry for entry in sys.path if Path(entry or ".").resolve() == ROOT]
for _entry in _tree:
    sys.path.remove(_entry)
sys.path.extend(_tree)


def stale_installation(tree: Path, installed: Path, built_from: str | None) -> str | None:
    """Why the package installed in `installed` is not the source tree `tree`, or None when it
    is; `built_from` is the digest of the C source its native scanner was built from (None: no
    native scanner, "" for one built before scanners carried it).

    The tests import the installed package (above), so after an edit of `logsync/` without a
    new `pip install`, they would silently test the old code."""
    if installed.resolve() != tree.resolve():
        for source in sorted(tree.rglob("*.py")):
            copy = installed / source.relative_to(tree)
            if not copy.is_file() or copy.read_bytes() != source.read_bytes():
                return f"logsync/{source.relative_to(tree).as_posix()} differs from the installed copy"
    if built_from is not None and built_from != hashlib.sha256((tree / "_scan.c").read_bytes()).hexdigest():
        return "the native scanner was built from another logsync/_scan.c"
    return None


def pytest_sessionstart(session: pytest.Session) -> None:
    # mutmut runs the suite on a mutated copy of the tree, which is meant to differ
    if "MUTANT_UNDER_TEST" in os.environ:
        return
    import logsync

    try:
        from logsync import _scan  # type: ignore[attr-defined]
    except ImportError:
        built_from = None
    else:
        built_from = getattr(_scan, "SOURCE_SHA256", "")
    reason = stale_installation(ROOT / "logsync", Path(logsync.__file__).parent, built_from)
    if reason is not None:
        pytest.exit(
            f"the installed logsync is not this source tree ({reason}): "
            f'reinstall it with  pip install ".[test]"  (or  pip install -e ".[dev]")',
            returncode=4,
        )


EXPECT_TOOLS = os.environ.get("LOGSYNC_EXPECT_TOOLS") == "1"
"""CI sets LOGSYNC_EXPECT_TOOLS=1 and installs every program the suite can use: there, a test
that needs a missing program fails instead of skipping."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test marked `needs(PROGRAM, HOW)` is skipped, named in the summary with how to get
    PROGRAM, where PROGRAM is not installed; under LOGSYNC_EXPECT_TOOLS=1 it runs (and fails)."""
    for item in items:
        for mark in item.iter_markers("needs"):
            program, how = mark.args
            if shutil.which(program) is None and not EXPECT_TOOLS:
                item.add_marker(pytest.mark.skip(reason=f"{program} is not installed ({how})"))


def need_tool(name: str) -> str:
    """The path of the program `name`; its absence fails the test (one marked `needs` is
    skipped before this where absence is allowed)."""
    found = shutil.which(name)
    assert found is not None, f"{name} is not installed, and LOGSYNC_EXPECT_TOOLS=1 requires it"
    return found


SAMPLES = ROOT / "sample_logs"
REAL_LOGS = ROOT / "tests" / "data" / "real-logs"
"""Real site-server logs of other ConfigMgr components (MIT; see the README there)."""


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so paths in output are the short relative ones."""
    monkeypatch.chdir(ROOT)
    return ROOT


def read_in_blocks(monkeypatch: pytest.MonkeyPatch, block: int, native: bool = True) -> None:
    """Read inputs `block` bytes at a time (many chunks from a small file), with the native
    scanner if it is active (`native`) or with the pure-Python one."""
    monkeypatch.setattr("logsync.sources.BLOCK_SIZE", block)
    if not native:
        monkeypatch.setattr("logsync.accel.native", None)


WALL_CLOCK = datetime(2026, 11, 25, 16, 10, tzinfo=timezone(timedelta(hours=-8)))
"""The wall clock of the tests that run in this process: five minutes after the demo log's
last record, so that its times read as current; older samples read as logs that ended long
ago (SPEC §4 rule 5)."""


@pytest.fixture(autouse=True)
def _fixed_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("logsync.times.wall_clock", lambda: WALL_CLOCK)


LOGSYNC = str(Path(sys.executable).with_name("logsync"))
"""The installed `logsync` command: tests that start the CLI as a process run it, with its
native scanner where it was built, rather than `python -m logsync`, which imports the source
tree beside the tests (where no extension is built)."""


def run_installed(
    *args: str, stdin: bytes | None = None, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed `logsync` command (with its native scanner, where it was built), not
    the source tree: its script imports the package from the environment, whatever the working
    directory."""
    return subprocess.run(
        [LOGSYNC, *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "160", **env},
    )


def handling_signals(process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait until the started command has installed its own signal handlers, so that a test's
    signal meets the command, not the interpreter still starting (on a loaded machine that can
    take longer than any fixed sleep). The command installs SIGINT's, then SIGTERM's; Python
    catches SIGINT from its own start, so SIGTERM's tells (Linux's /proc: `SigCgt`). Elsewhere,
    a second."""
    import signal
    import time

    status = Path(f"/proc/{process.pid}/status")
    if not status.exists():
        time.sleep(1.0)
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        caught = next(
            (line.split()[1] for line in status.read_text().splitlines() if line.startswith("SigCgt:")),
            "0",
        )
        if int(caught, 16) >> (signal.SIGTERM - 1) & 1:
            return
        time.sleep(0.01)
    raise AssertionError(f"the command installed no handler of SIGTERM within {timeout} s")


def without_log_end_note(stderr: bytes) -> bytes:
    """A subprocess's stderr without the note that its sample log ended long ago (the process
    reads the real wall clock)."""
    return b"".join(
        line for line in stderr.splitlines(keepends=True) if not line.startswith(b"logsync: the log ends ")
    )


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def env_without_color() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    return env


def on_terminal(
    *args: str,
    columns: int,
    cwd: str | Path | None = None,
    timeout: float = 120,
    stream: str = "stdout",
) -> tuple[int, str, str]:
    """Run the installed `logsync` with its `stream` (stdout, or stderr) on a pseudo-terminal
    `columns` wide (as an admin's window is, with no COLUMNS to help), the other one on a pipe:
    (exit code, what the terminal shows with line ends as `\\n`, what the pipe got)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    hidden = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    env = {name: value for name, value in os.environ.items() if name not in hidden}
    on_stderr = stream == "stderr"
    process = subprocess.Popen(
        [LOGSYNC, *args],
        stdin=subprocess.DEVNULL if on_stderr else slave,
        stdout=subprocess.PIPE if on_stderr else slave,
        stderr=slave if on_stderr else subprocess.PIPE,
        cwd=cwd,
        env=env,
    )
    os.close(slave)
    shown = bytearray()
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the program closed the terminal
            break
        if not data:
            break
        shown += data
    piped = process.stdout if on_stderr else process.stderr
    assert piped is not None
    other = piped.read()
    process.wait(timeout)
    os.close(master)
    return process.returncode, shown.decode().replace("\r\n", "\n"), other.decode()
