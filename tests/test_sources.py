"""Reading inputs: encodings, gzip (files and stdin), line breaks, directories, errors."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from logsync.errors import InputError, UsageError
from logsync.pipeline import EventStream
from logsync.sources import InputStats, expand_paths, text_chunks

LINE = "Starting user delta sync, raise failure status messages = True  $$<SMS_CLOUD_USERSYNC><09-14-2014 10:23:50.372+240><thread=5616 (0x15F0)>"
FAILED = "Failed to add user José.Ñúñez@contoso.com; reason UserNotFound  $$<SMS_CLOUD_USERSYNC><09-14-2014 10:23:54.000+240><thread=5616 (0x15F0)>"


def read(data: bytes, tmp_path: Path) -> tuple[str, InputStats]:
    path = tmp_path / "in.log"
    path.write_bytes(data)
    stats = InputStats(str(path))
    return "".join(text_chunks(str(path), stats)), stats


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16-le", b"\xff\xfe", "utf-16-le"),
        ("utf-16-be", b"\xfe\xff", "utf-16-be"),
    ],
)
def test_encodings(encoding: str, bom: bytes, name: str, tmp_path: Path) -> None:
    text = f"{LINE}\r\n{FAILED}\r\n"
    decoded, stats = read(bom + text.encode(encoding), tmp_path)
    assert decoded == f"{LINE}\n{FAILED}\n"
    assert stats.encoding == name


def test_cp1252_fallback_is_per_line(tmp_path: Path) -> None:
    data = (LINE + "\n").encode() + FAILED.encode("cp1252") + b"\n" + "ok é\n".encode()
    decoded, stats = read(data, tmp_path)
    assert decoded.split("\n")[1] == FAILED
    assert decoded.split("\n")[2] == "ok é"
    assert stats.fallback_lines == 1
    assert stats.encoding == "utf-8+cp1252"


def test_cp1252_line_across_reads_counts_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("logsync.sources.BLOCK_SIZE", 4)
    decoded, stats = read(b"ok\r\nJos\xe9 \xd1\xfa\xf1ez\r\nend", tmp_path)
    assert decoded == "ok\nJos\u00e9 \u00d1\u00fa\u00f1ez\nend"
    assert stats.fallback_lines == 1


def test_line_breaks_crlf_lf_and_stray_cr(tmp_path: Path) -> None:
    decoded, _ = read(b"a\r\nb\nc\rd", tmp_path)
    assert decoded == "a\nb\nc\nd"


def test_crlf_split_across_blocks_is_one_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("logsync.sources.BLOCK_SIZE", 4)
    decoded, _ = read(b"abc\r\ndef\r\r\nghi", tmp_path)
    assert decoded == "abc\ndef\n\nghi"


def test_gzip_file_is_read_by_magic_not_name(tmp_path: Path) -> None:
    decoded, _ = read(gzip.compress(("\ufeff" + LINE + "\r\n").encode()), tmp_path)
    assert decoded == LINE + "\n"


def test_gzip_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(gzip.compress((LINE + "\n" + FAILED + "\n").encode())))
    monkeypatch.setattr("sys.stdin", stdin)
    stream = EventStream(["-"])
    kinds = [event.kind for event in stream]
    assert kinds == ["sync_started", "user_add_failed"]
    assert stream.inputs[0].path == "-"


def test_truncated_gzip_is_an_input_error(tmp_path: Path) -> None:
    data = gzip.compress(((LINE + "\n") * 200).encode())
    with pytest.raises(InputError, match="gzip data ends early"):
        read(data[: len(data) // 2], tmp_path)


def test_directory_means_its_cloudusersync_logs(tmp_path: Path) -> None:
    for name in (
        "CloudUserSync.log",
        "CloudUserSync.lo_",
        "CloudUserSync-20240101-000000.log",
        "other.log",
    ):
        (tmp_path / name).write_text(LINE + "\n")
    assert [Path(p).name for p in expand_paths([str(tmp_path)], stdin_is_pipe=False)] == [
        "CloudUserSync-20240101-000000.log",
        "CloudUserSync.lo_",
        "CloudUserSync.log",
    ]


def test_missing_paths_and_empty_directories_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.log: no such file or directory"):
        expand_paths([str(tmp_path / "nope.log")], stdin_is_pipe=False)
    with pytest.raises(
        InputError, match=r"no CloudUserSync\.log or CloudUserSync\.lo_ in this directory"
    ):
        expand_paths([str(tmp_path)], stdin_is_pipe=False)
    with pytest.raises(UsageError, match="no input"):
        expand_paths([], stdin_is_pipe=False)
    assert expand_paths([], stdin_is_pipe=True) == ["-"]
