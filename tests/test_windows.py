"""The Windows site server: the log found where Configuration Manager keeps it, and a reader that
never stops SMS Executive from rotating its log. Windows itself is faked (its environment and
its file calls), so these run on every platform."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import NamedTuple

import pytest

from logsync import sharing
from logsync.cli import Env
from logsync.cli.options import common
from logsync.errors import UsageError
from logsync.follow import Follower
from logsync.sources import site_server_logs

from .conftest import SAMPLES, on_terminal

DEMO = SAMPLES / "CloudUserSync.log"


def install(program_files: Path, *names: str) -> Path:
    """A site server's log folder under `program_files`, holding `names` (copies of the demo)."""
    folder = program_files / "Microsoft Configuration Manager" / "Logs"
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes(DEMO.read_bytes())
    return folder


# -- the log where Configuration Manager keeps it -------------------------------------------


def test_the_site_servers_log_folder_is_found_on_windows(tmp_path: Path) -> None:
    folder = install(tmp_path, "CloudUserSync.log", "smsexec.log")
    assert site_server_logs({"ProgramFiles": str(tmp_path)}, "win32") == str(folder)
    assert site_server_logs({"PROGRAMFILES": str(tmp_path)}, "win32") == str(folder)


def test_a_32_bit_python_looks_in_the_64_bit_program_files(tmp_path: Path) -> None:
    x86, x64 = tmp_path / "Program Files (x86)", tmp_path / "Program Files"
    folder = install(x64, "CloudUserSync.log")
    install(x86, "CloudUserSync.log")  # (a copy left there: never the site's own)
    environ = {"ProgramFiles": str(x86), "ProgramW6432": str(x64)}
    assert site_server_logs(environ, "win32") == str(folder)


@pytest.mark.parametrize(
    ("platform", "names", "environ"),
    [
        ("linux", ("CloudUserSync.log",), "ProgramFiles"),  # not Windows: never guessed
        ("darwin", ("CloudUserSync.log",), "ProgramFiles"),
        ("win32", ("smsexec.log",), "ProgramFiles"),  # a site server without the connector
        ("win32", ("CloudUserSync.log",), None),  # no Program Files in the environment
    ],
)
def test_no_log_folder_is_guessed(
    tmp_path: Path, platform: str, names: tuple[str, ...], environ: str | None
) -> None:
    install(tmp_path, *names)
    fake = {environ: str(tmp_path)} if environ else {}
    assert site_server_logs(fake, platform) is None


def terminal_env() -> Env:
    return Env(
        stdout=io.StringIO(), stderr=io.StringIO(), stdout_isatty=False, stderr_isatty=False,
        stdin_is_pipe=False,
    )


def test_report_without_paths_on_the_site_server_reads_its_log_and_says_which(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = install(tmp_path, "CloudUserSync.log", "CloudUserSync.lo_")
    real = site_server_logs
    monkeypatch.setattr(
        "logsync.sources.site_server_logs",
        lambda: real({"ProgramFiles": str(tmp_path)}, "win32"),
    )
    env = terminal_env()
    opts = common(env, [])
    assert opts.paths == [str(folder / "CloudUserSync.lo_"), str(folder / "CloudUserSync.log")]
    assert env.stderr.getvalue() == (  # type: ignore[attr-defined]
        f"logsync: reading {folder / 'CloudUserSync.lo_'}, {folder / 'CloudUserSync.log'} "
        "(this site server's log folder)\n"
    )
    quiet = terminal_env()
    assert common(quiet, [], quiet=True).paths == opts.paths
    assert quiet.stderr.getvalue() == ""  # type: ignore[attr-defined]
    given = terminal_env()
    assert common(given, [str(DEMO)]).paths == [str(DEMO)]  # a path given is what is read
    piped = Env(**{**terminal_env()._asdict(), "stdin_is_pipe": True})  # type: ignore[attr-defined]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(DEMO.read_bytes())))
    assert common(piped, []).paths == ["-"]  # a pipe is what is read


def test_without_a_log_the_error_says_where_it_usually_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("logsync.sources.site_server_logs", lambda: None)
    with pytest.raises(UsageError) as caught:
        common(terminal_env(), [])
    assert str(caught.value) == (
        "no input: give a log path, or pipe a log into stdin (the connector writes "
        "CloudUserSync.log in the site server's Logs folder: C:\\Program Files\\Microsoft "
        "Configuration Manager\\Logs by default, \\\\SERVER\\SMS_<site code>\\Logs from another "
        "machine)"
    )


def test_the_installed_command_on_a_terminal_without_paths(tmp_path: Path) -> None:
    code, shown, err = on_terminal("report", columns=100, cwd=tmp_path)
    assert (code, shown) == (2, "")
    assert err.startswith("logsync: error: no input: give a log path, or pipe a log into stdin")
    assert "Microsoft Configuration Manager\\Logs" in err and len(err.splitlines()) == 1


# -- a reader that lets the connector rotate its log ----------------------------------------


class Call(NamedTuple):
    path: str
    access: int
    share: int
    disposition: int


class FakeKernel:
    """Windows' file calls, recorded: `create_file` opens the file for real (so reading
    works) unless told to fail."""

    def __init__(self, fail: tuple[int, str] | None = None) -> None:
        self.calls: list[Call] = []
        self.closed: list[int] = []
        self.fail = fail

    def create_file(self, path: str, access: int, share: int, disposition: int) -> int:
        self.calls.append(Call(path, access, share, disposition))
        if self.fail is not None:
            return sharing.INVALID_HANDLE_VALUE
        return os.open(path, os.O_RDONLY)  # here a descriptor stands for the handle

    def last_error(self) -> tuple[int, str]:
        assert self.fail is not None
        return self.fail

    def open_osfhandle(self, handle: int, flags: int) -> int:
        assert flags & os.O_RDONLY == os.O_RDONLY
        return handle

    def close_handle(self, handle: int) -> None:
        self.closed.append(handle)


def test_on_windows_the_log_is_opened_with_read_write_and_delete_sharing(tmp_path: Path) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"one\r\ntwo\r\n")
    kernel = FakeKernel()
    with sharing.open_shared(path, api=kernel) as handle:
        assert handle.read() == b"one\r\ntwo\r\n"
    assert kernel.calls == [Call(str(path), 0x80000000, 0x1 | 0x2 | 0x4, 3)]


def test_a_windows_open_failure_is_an_os_error_naming_the_file(tmp_path: Path) -> None:
    kernel = FakeKernel(fail=(32, "The process cannot access the file"))
    with pytest.raises(OSError) as caught:
        sharing.open_shared(tmp_path / "CloudUserSync.log", api=kernel)
    assert caught.value.strerror == "The process cannot access the file"
    assert caught.value.filename == str(tmp_path / "CloudUserSync.log")


def test_the_log_can_be_rotated_while_a_reader_has_it_open(tmp_path: Path) -> None:
    live = tmp_path / "CloudUserSync.log"
    live.write_bytes(b"first\r\n")
    with sharing.open_shared(live) as handle:
        live.rename(tmp_path / "CloudUserSync.lo_")  # SMS Executive's rotation
        live.write_bytes(b"second\r\n")
        assert handle.read() == b"first\r\n"  # the reader keeps the file it opened
    (tmp_path / "CloudUserSync.lo_").unlink()


def test_watch_holds_no_handle_between_polls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = tmp_path / "CloudUserSync.log"
    live.write_bytes(b"a\r\nb\r\n")
    opened: list[object] = []
    real = sharing.open_shared

    def spy(path: object, api: object = None) -> object:
        handle = real(path)  # type: ignore[arg-type]
        opened.append(handle)
        return handle

    monkeypatch.setattr("logsync.follow.open_shared", spy)
    follower = Follower(live)
    assert [text for _, _, text in follower.poll()] == ["a\nb\n"]
    assert len(opened) == 1 and all(h.closed for h in opened)  # type: ignore[attr-defined]
    live.rename(tmp_path / "CloudUserSync.lo_")
    live.write_bytes(b"c\r\nd\r\n")
    assert [text for _, _, text in follower.poll()] == ["c\nd\n"]
    assert follower.rotations == 1 and all(h.closed for h in opened)  # type: ignore[attr-defined]
