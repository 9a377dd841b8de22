"""Reading inputs: encodings, gzip, bzip2 and xz (files and stdin), zip archives, line breaks,
directories, the .lo_ beside a .log, errors."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import itertools
import json
import lzma
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from logsync import decoding
from logsync.cli import app
from logsync.errors import InputError, UsageError
from logsync.halves import lone_halves, lone_history, unread_older
from logsync.pipeline import EventStream
from logsync.sources import InputStats, expand_paths, text_chunks

from .conftest import SAMPLES

runner = CliRunner()

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


PIECES = st.lists(
    st.sampled_from([b"\r", b"\n", b"\r\n", b"ab", b" ", b"\xc3\xa9", b"\xe9", b"\xc3", b"\xef\xbb\xbf"])
).map(b"".join)


def fed(decoder: decoding.LineDecoder, data: bytes, cuts: list[int], native: bool) -> list[str]:
    """What the decoder gives for `data` fed in pieces cut at `cuts`, then closed, through the
    native scanner's ASCII pass or Python's."""
    lines = decoding._lines
    decoding._lines = decoding._native_text if native and decoding.native else decoding._text
    try:
        out = []
        for start, end in zip([0, *sorted(cuts)], [*sorted(cuts), len(data)], strict=True):
            out.append(decoder.feed(data[start:end]))
        out.append(decoder.close())
    finally:
        decoding._lines = lines
    return out


@pytest.mark.parametrize("native", [True, False])
@given(data=PIECES, cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=6))
def test_the_decoder_gives_the_same_lines_however_the_bytes_come(
    data: bytes, cuts: list[int], native: bool
) -> None:
    """Fed in any pieces, the text is that of the whole read by Python's newline decoder, and
    every piece but the last ends with a break (a CR at a piece's end may be half a CRLF)."""
    body = data.removeprefix(b"\xef\xbb\xbf")  # (the byte-order mark says the encoding)
    whole = io.IncrementalNewlineDecoder(None, translate=True).decode(
        body.decode("utf-8", "surrogateescape"), final=True
    )
    expected = decoding._checked(whole, InputStats("whole"))
    out = fed(decoding.LineDecoder(InputStats("pieces")), data, cuts, native)
    assert "".join(out) == expected
    assert all(piece.endswith("\n") for piece in out[:-1] if piece)


ENCODED = st.sampled_from(["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"])
LINES = st.lists(
    st.tuples(st.sampled_from("aS$<"), st.text(alphabet="ab é→Ñ믯뿂$<>", max_size=12)).map("".join),
    min_size=1,
    max_size=4,
).map(lambda lines: "".join(line + "\r\n" for line in lines))
"""Lines of a file (each begins as a log's line does, with ASCII; Hangul `믯` is U+BBEF, whose
UTF-16LE bytes begin a UTF-8 BOM, and `뿂` U+BFC2 may follow it)."""
BOMS = {"utf-8-sig": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}


@pytest.mark.parametrize("native", [True, False])
@given(
    files=st.lists(st.tuples(ENCODED, LINES), min_size=1, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8),
)
def test_files_of_other_encodings_pasted_together_are_each_read_in_their_own(
    files: list[tuple[str, str]], cuts: list[int], native: bool
) -> None:
    """`type a.log b.log > all.log` where one was saved as UTF-16: each file after the first
    begins with its BOM at a line's start and is read in its encoding, however the bytes come;
    the input's encoding names each one where it changes (a UTF-8 file without a BOM after
    another file is read as the one before it, as nothing tells it)."""
    files = [files[0], *((enc, text) for enc, text in files[1:] if enc != "utf-8")]
    data = b"".join(BOMS.get(enc, b"") + text.encode(enc.removesuffix("-sig")) for enc, text in files)
    names = [files[0][0]]  # (UTF-8 after UTF-8 is read on: its BOM is dropped)
    for (before, _), (enc, _) in itertools.pairwise(files):
        if before.removesuffix("-sig") != enc.removesuffix("-sig"):
            names.append(enc)
    stats = InputStats("pasted")
    out = fed(decoding.LineDecoder(stats), data, cuts, native)
    assert "".join(out) == "".join(text for _, text in files).replace("\r\n", "\n")
    assert all(piece.endswith("\n") for piece in out[:-1] if piece)
    assert stats.encoding == "+".join(names)


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        # a cp1252 line that begins with `þÿ` (the bytes of a UTF-16BE BOM)
        (b"ok\r\n\xfe\xffabc\r\nend\r\n", "ok\nþÿabc\nend\n", "utf-8+cp1252"),
        # the same with `ÿþ` (UTF-16LE's), followed by what is no UTF-16 text
        (b"ok\n\xff\xfe\xe9t\xe9\n", "ok\nÿþété\n", "utf-8+cp1252"),
        # UTF-16LE with Hangul 믯 (EF BB) at a line's start, then 뿂 (C2 BF): no UTF-8 BOM
        ("\ufeffok\r\n믯뿂x\r\n".encode("utf-16-le"), "ok\n믯뿂x\n", "utf-16-le"),
        # ... nor where the character after it is ASCII in its high byte: 뾿 is BF BF
        ("\ufeffok\r\n믯\ubfbf\r\n".encode("utf-16-le"), "ok\n믯\ubfbf\n", "utf-16-le"),
    ],
)
def test_bytes_that_only_look_like_a_bom_change_no_encoding(
    data: bytes, text: str, encoding: str, tmp_path: Path
) -> None:
    """A file of another encoding begins at a line with its BOM and then text in it (an ASCII
    character, with NUL beside it in UTF-16): two bytes alone that are a BOM's are text of the
    encoding read so far."""
    decoded, stats = read(data, tmp_path)
    assert (decoded, stats.encoding) == (text, encoding)


@pytest.mark.parametrize("order", ["utf-8 first", "utf-16 first"])
def test_the_demo_log_with_its_tail_saved_as_utf16_and_pasted_on_gives_its_answers(
    order: str, tmp_path: Path
) -> None:
    """The demo log's first 40 lines as written (UTF-8 with a BOM) and the rest as Notepad
    saves it (UTF-16LE with a BOM), pasted together with `cat` in either order: every line is
    read, so `check` fails on the users the log has stuck, as it does on the log."""
    demo = (SAMPLES / "CloudUserSync.log").read_bytes()
    cut = demo.index(b"\r\n", len(demo) // 100) + 2
    head, tail = demo[:cut], codecs.BOM_UTF16_LE + demo[cut:].decode("utf-8").encode("utf-16-le")
    pasted = tmp_path / "pasted.log"
    pasted.write_bytes(head + tail if order == "utf-8 first" else tail + head)
    now = ["--now", "2026-11-25T16:05:00"]
    demo_check = runner.invoke(app, ["check", *now, str(SAMPLES / "CloudUserSync.log")])
    check = runner.invoke(app, ["check", *now, str(pasted)])
    assert check.exit_code == demo_check.exit_code == 1
    assert check.stdout == demo_check.stdout
    assert check.stdout.splitlines()[-1] == (
        "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of "
        "2026-11-25T16:05:00-08:00; 1 pending user not counted by "
        "--fail-on waiting,overdue,failed,connector"
    )
    args = ["report", "--format", "json", *now]
    expected = json.loads(runner.invoke(app, [*args, str(SAMPLES / "CloudUserSync.log")]).stdout)
    found = json.loads(runner.invoke(app, [*args, str(pasted)]).stdout)
    assert found["users"] == expected["users"]
    (read,) = found["inputs"]
    assert (read["lines"], read["records"], read["unparsed"]) == (3041, 3041, 0)
    assert read["encoding"] == (
        "utf-8-sig+utf-16-le" if order == "utf-8 first" else "utf-16-le+utf-8-sig"
    )


@pytest.mark.parametrize(
    ("first", "then", "encoding"),
    [
        ("utf-16-le", "utf-8", "utf-16-le+utf-8"),  # PowerShell 5.1's `>`, then `cmd /c type >>`
        ("utf-16-be", "utf-8", "utf-16-be+utf-8"),
        ("utf-8", "utf-16-le", "utf-8-sig+utf-16-le"),  # bytes, then PowerShell 5.1's `>>`
        ("utf-8", "utf-16-be", "utf-8-sig+utf-16-be"),
    ],
)
def test_a_log_appended_to_in_another_encoding_without_a_bom_gives_its_answers(
    first: str, then: str, encoding: str, tmp_path: Path
) -> None:
    """The demo log's first 40 lines in one encoding (UTF-16 with its BOM, or UTF-8 with its
    own), the rest appended in another with no BOM: the tail was read as CJK text of one line
    (or as text with NUL between its characters) and `check` passed on the first 40 lines, or
    judged a log with its last users missing. Eight ASCII bytes with no NUL at a UTF-16 line's
    start are UTF-8; four ASCII characters with NUL beside each at a UTF-8 line's start are
    UTF-16."""
    demo = (SAMPLES / "CloudUserSync.log").read_bytes().removeprefix(codecs.BOM_UTF8)
    cut = sum(len(line) for line in demo.splitlines(keepends=True)[:40])
    head = BOMS["utf-16-le" if first == "utf-16-le" else "utf-16-be"] if first != "utf-8" else codecs.BOM_UTF8
    pasted = tmp_path / "appended.log"
    pasted.write_bytes(head + demo[:cut].decode().encode(first) + demo[cut:].decode().encode(then))
    args = ["report", "--all", "--format", "json", "--now", "2026-11-25T16:05:00"]
    expected = json.loads(runner.invoke(app, [*args, str(SAMPLES / "CloudUserSync.log")]).stdout)
    found = json.loads(runner.invoke(app, [*args, str(pasted)]).stdout)
    assert found["users"] == expected["users"]
    (read,) = found["inputs"]
    assert (read["lines"], read["records"], read["unparsed"], read["encoding"]) == (3041, 3041, 0, encoding)


@pytest.mark.parametrize("native", [True, False])
@given(
    parts=st.lists(st.tuples(ENCODED, LINES), min_size=2, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8),
)
def test_text_appended_in_another_encoding_without_a_bom_is_read_however_the_bytes_come(
    parts: list[tuple[str, str]], cuts: list[int], native: bool
) -> None:
    """Parts of a file in turn in UTF-8 and UTF-16 (no BOM but the first part's), each line
    beginning with eight ASCII characters, as a log's do: each part is read in its encoding."""
    parts = [
        (enc.removesuffix("-sig"), "".join("Textline" + line for line in text.splitlines(keepends=True)))
        for enc, text in parts
    ]
    kept = [parts[0]]
    for enc, text in parts[1:]:
        if enc.startswith("utf-16") != kept[-1][0].startswith("utf-16"):
            kept.append((enc, text))
    data = BOMS.get(kept[0][0], b"") + b"".join(text.encode(enc) for enc, text in kept)
    stats = InputStats("appended")
    out = fed(decoding.LineDecoder(stats), data, cuts, native)
    assert "".join(out) == "".join(text for _, text in kept).replace("\r\n", "\n")
    assert all(piece.endswith("\n") for piece in out[:-1] if piece)
    assert stats.encoding == "+".join(enc for enc, _ in kept)


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


def test_missing_paths_and_empty_directories_are_input_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InputError, match=r"nope\.log: no such file or directory"):
        expand_paths([str(tmp_path / "nope.log")], stdin_is_pipe=False)
    with pytest.raises(
        InputError, match=r"no CloudUserSync\.log or CloudUserSync\.lo_ in this directory"
    ):
        expand_paths([str(tmp_path)], stdin_is_pipe=False)
    with pytest.raises(UsageError, match="no input"):
        expand_paths([], stdin_is_pipe=False)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO((LINE + "\n").encode())))
    assert expand_paths([], stdin_is_pipe=True) == ["-"]


# -- archives: bzip2 and xz like gzip, a zip as the folder it holds --------------------------

DEMO = SAMPLES / "CloudUserSync.log"
ROTATED = SAMPLES / "rotated"
COMPRESSIONS = {"gzip": gzip.compress, "bzip2": bz2.compress, "xz": lzma.compress}


def report(*args: str, stdin: bytes | None = None) -> dict[str, object]:
    result = CliRunner().invoke(app, ["report", "--format", "json", *args], input=stdin)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    for stats in document["inputs"]:
        stats["path"] = Path(stats["path"]).name
    return document


@pytest.mark.parametrize("compression", sorted(COMPRESSIONS))
def test_compressed_demo_log_answers_as_the_plain_log(compression: str, tmp_path: Path) -> None:
    packed = COMPRESSIONS[compression](DEMO.read_bytes())
    archive = tmp_path / "CloudUserSync.log"  # the magic bytes tell, whatever the name
    archive.write_bytes(packed)
    plain = report(str(DEMO))
    assert plain["summary"]["stuck"] == 4  # type: ignore[index]
    assert report(str(archive)) == plain
    from_stdin = report(stdin=packed)
    assert from_stdin["inputs"][0]["path"] == "-"  # type: ignore[index]
    from_stdin["inputs"][0]["path"] = "CloudUserSync.log"  # type: ignore[index]
    assert from_stdin == plain


@pytest.mark.parametrize("compression", ["bzip2", "xz"])
def test_concatenated_streams_are_read_like_one(compression: str, tmp_path: Path) -> None:
    data = (LINE + "\n").encode()
    packed = COMPRESSIONS[compression](data) + COMPRESSIONS[compression]((FAILED + "\n").encode())
    decoded, _ = read(packed, tmp_path)
    assert decoded == f"{LINE}\n{FAILED}\n"


@pytest.mark.parametrize(("compression", "what"), [("bzip2", "bzip2"), ("xz", "xz")])
def test_truncated_archive_is_an_input_error(compression: str, what: str, tmp_path: Path) -> None:
    data = COMPRESSIONS[compression](DEMO.read_bytes())
    with pytest.raises(InputError, match=f"in.log: {what} data ends early"):
        read(data[: len(data) // 2], tmp_path)


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_is_read_as_the_folder_it_holds(tmp_path: Path) -> None:
    archive = zip_of(
        tmp_path / "logs.zip",
        {
            "Logs/CloudUserSync.log": (ROTATED / "CloudUserSync.log").read_bytes(),
            "Logs/CloudUserSync.lo_": (ROTATED / "CloudUserSync.lo_").read_bytes(),
            "Logs/other.log": b"not read\n",
            "readme.txt": b"not read either\n",
        },
    )
    assert expand_paths([str(archive)], stdin_is_pipe=False) == [
        f"{archive}/Logs/CloudUserSync.lo_",
        f"{archive}/Logs/CloudUserSync.log",
    ]
    zipped = report(str(archive))
    assert [stats["path"] for stats in zipped["inputs"]] == [  # type: ignore[attr-defined]
        "CloudUserSync.lo_",
        "CloudUserSync.log",
    ]
    assert zipped == report(str(ROTATED))
    assert zipped["summary"]["restarts"] == 1  # type: ignore[index]


def test_a_zip_made_by_powershell_5_is_read_as_the_folder_it_holds(tmp_path: Path) -> None:
    """Windows PowerShell 5.1's `Compress-Archive` writes `\\` between folders in member names:
    such a zip was refused ("no CloudUserSync.log or CloudUserSync.lo_ in this zip archive")."""
    archive = zip_of(
        tmp_path / "logs.zip",
        {
            "Logs\\CloudUserSync.log": (ROTATED / "CloudUserSync.log").read_bytes(),
            "Logs\\CloudUserSync.lo_": (ROTATED / "CloudUserSync.lo_").read_bytes(),
        },
    )
    assert expand_paths([str(archive)], stdin_is_pipe=False) == [
        f"{archive}/Logs/CloudUserSync.lo_",
        f"{archive}/Logs/CloudUserSync.log",
    ]
    assert report(str(archive)) == report(str(ROTATED))
    assert report(f"{archive}/Logs/CloudUserSync.log") == report(str(ROTATED / "CloudUserSync.log"))
    # a folder or file inside it named as `unzip -l` shows it, with `\`
    assert report(f"{archive}/Logs\\CloudUserSync.log") == report(str(ROTATED / "CloudUserSync.log"))
    drive = zip_of(
        tmp_path / "drive.zip",
        {f"D:\\SMS\\Logs\\{name}": (ROTATED / name).read_bytes() for name in ("CloudUserSync.log", "CloudUserSync.lo_")},
    )
    assert report(f"{drive}/D:\\SMS\\Logs") == report(str(ROTATED))


def test_a_folder_inside_a_zip_is_read_as_the_logs_it_holds(tmp_path: Path) -> None:
    """A zip of two servers' Logs folders was refused ("extract it and name one"), and naming
    one of its folders said "no such file in the zip archive": a folder inside a zip is now
    read as a folder on disk is, and the refusal names it."""
    halves = ("CloudUserSync.log", "CloudUserSync.lo_")
    archive = zip_of(
        tmp_path / "servers.zip",
        {
            **{f"S1/Logs/{name}": (ROTATED / name).read_bytes() for name in halves},
            "S2/Logs/CloudUserSync.log": DEMO.read_bytes(),
            "S3/readme.txt": b"no log here\n",
        },
    )
    for folder in (f"{archive}/S1/Logs", f"{archive}/S1/Logs/", f"{archive}/S1"):
        assert expand_paths([folder], stdin_is_pipe=False) == [
            f"{archive}/S1/Logs/CloudUserSync.lo_", f"{archive}/S1/Logs/CloudUserSync.log",
        ]
    assert report(f"{archive}/S1") == report(str(ROTATED))
    assert report(f"{archive}/S2/Logs") == report(str(DEMO))
    refused = CliRunner().invoke(app, ["report", str(archive)])
    assert (refused.exit_code, refused.stderr) == (
        2,
        f"logsync: error: {archive}: CloudUserSync logs in 2 folders of this zip archive "
        f"(S1/Logs/, S2/Logs/): name one, as {archive}/S1/Logs\n",
    )
    empty = CliRunner().invoke(app, ["report", f"{archive}/S3"])
    assert (empty.exit_code, empty.stderr) == (
        2,
        f"logsync: error: {archive}/S3: no CloudUserSync.log or CloudUserSync.lo_ in this "
        "folder of the zip archive\n",
    )
    missing = CliRunner().invoke(app, ["report", f"{archive}/S4"])
    assert (missing.exit_code, missing.stderr) == (
        2, f"logsync: error: {archive}/S4: no such file in the zip archive\n"
    )
    # the half left out names the folder that reads both, not the archive of two folders
    member = f"{archive}/S1/Logs/CloudUserSync.log"
    alone = CliRunner().invoke(app, ["check", member])
    assert alone.stderr.splitlines()[0] == (
        f"logsync: {archive}/S1/Logs/CloudUserSync.lo_ beside {member} holds the log's older "
        f"records and was not read; `logsync check {archive}/S1/Logs` reads both"
    )


def test_the_top_folder_of_a_zip_is_named_as_the_hint_names_it(tmp_path: Path) -> None:
    """A zip of the Logs folder beside copies of it in two folders: the hint names the top
    folder `ARCHIVE/.`, which was refused ("no such file in the zip archive": a path drops its
    `/.`); it reads the top folder's logs, those of no folder below it."""
    archive = zip_of(
        tmp_path / "logs.zip",
        {
            "CloudUserSync.log": DEMO.read_bytes(),
            **{f"A/{name}": (ROTATED / name).read_bytes() for name in ("CloudUserSync.lo_", "CloudUserSync.log")},
            "B/CloudUserSync.log": DEMO.read_bytes(),
        },
    )
    refused = CliRunner().invoke(app, ["report", str(archive)])
    assert (refused.exit_code, refused.stderr) == (
        2,
        f"logsync: error: {archive}: CloudUserSync logs in 3 folders of this zip archive "
        f"(./, A/, B/): name one, as {archive}/.\n",
    )
    assert expand_paths([f"{archive}/."], stdin_is_pipe=False) == [f"{archive}/CloudUserSync.log"]
    assert report(f"{archive}/.") == report(str(DEMO))
    assert CliRunner().invoke(app, ["report", f"{archive}/"]).stderr == refused.stderr
    # members named `./…` (Windows' tar -acf Logs.zip .): the top folder is `.`
    dotted = zip_of(
        tmp_path / "dot.zip",
        {"./CloudUserSync.log": DEMO.read_bytes(), "A/CloudUserSync.log": DEMO.read_bytes()},
    )
    refused = CliRunner().invoke(app, ["report", str(dotted)])
    assert refused.stderr.endswith(f"(./, A/): name one, as {dotted}/.\n")
    assert expand_paths([f"{dotted}/."], stdin_is_pipe=False) == [f"{dotted}/./CloudUserSync.log"]
    assert report(f"{dotted}/.") == report(str(DEMO))
    folders = zip_of(tmp_path / "folders.zip", {"A/CloudUserSync.log": DEMO.read_bytes()})
    result = CliRunner().invoke(app, ["report", f"{folders}/."])
    assert (result.exit_code, result.stderr) == (
        2,
        f"logsync: error: {folders}/.: no CloudUserSync.log or CloudUserSync.lo_ in this folder "
        "of the zip archive\n",
    )


def test_a_folder_of_a_zip_that_holds_its_own_logs_and_a_folder_of_others_is_read(tmp_path: Path) -> None:
    """`Logs/CloudUserSync.log` and `Logs/old/CloudUserSync.lo_` zipped: the zip was refused with
    "name one, as logs.zip/Logs", and `logs.zip/Logs` refused the same way (its two folders):
    the folder named reads its own logs, as on disk."""
    rotated = {name: (ROTATED / name).read_bytes() for name in ("CloudUserSync.log", "CloudUserSync.lo_")}
    archive = zip_of(tmp_path / "logs.zip", {"Logs/CloudUserSync.log": rotated["CloudUserSync.log"], "Logs/old/CloudUserSync.lo_": rotated["CloudUserSync.lo_"]})
    disk = tmp_path / "Logs"
    (disk / "old").mkdir(parents=True)
    (disk / "CloudUserSync.log").write_bytes(rotated["CloudUserSync.log"])
    (disk / "old" / "CloudUserSync.lo_").write_bytes(rotated["CloudUserSync.lo_"])
    whole = CliRunner().invoke(app, ["check", str(archive)])
    assert (whole.exit_code, whole.stderr) == (
        2,
        f"logsync: error: {archive}: CloudUserSync logs in 2 folders of this zip archive (Logs/, "
        f"Logs/old/): name one, as {archive}/Logs\n",
    )
    named = CliRunner().invoke(app, ["check", f"{archive}/Logs"])
    on_disk = CliRunner().invoke(app, ["check", str(disk)])
    assert (named.exit_code, named.stdout) == (on_disk.exit_code, on_disk.stdout) == (
        1,
        "jan@example.org\twaiting\t-\texpected recovery by 2025-06-11T10:20:00+01:00; held back "
        "since before the log: its failure is not in the input\n"
        "FAIL: 1 user (1 waiting), limit 0 as of 2025-06-10T11:25:00.759+01:00\n",
    )


@pytest.mark.parametrize("packed", ["CloudUserSync.log.gz", "Logs.zip"])
def test_a_folder_that_holds_its_logs_packed_names_them(tmp_path: Path, packed: str) -> None:
    """A folder holding only `CloudUserSync.log.gz`, or only the zip of the Logs folder, was
    refused as if it held nothing of the connector's."""
    (tmp_path / packed).write_bytes(b"x")
    (tmp_path / "notes.txt").write_bytes(b"x")
    result = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"logsync: error: {tmp_path}: no CloudUserSync.log or CloudUserSync.lo_ in this "
        f"directory (it holds {packed}: give its path)\n",
    )


def test_zip_errors_name_the_archive(tmp_path: Path) -> None:
    empty = zip_of(tmp_path / "empty.zip", {"Logs/other.log": b"x\n"})
    with pytest.raises(InputError, match=r"empty\.zip: no CloudUserSync\.log or CloudUserSync\.lo_ in this zip archive"):
        expand_paths([str(empty)], stdin_is_pipe=False)
    two = zip_of(
        tmp_path / "two.zip",
        {"a/CloudUserSync.log": b"x\n", "b/CloudUserSync.log": b"x\n"},
    )
    with pytest.raises(InputError, match=r"two\.zip: CloudUserSync logs in 2 folders of this zip archive \(a/, b/\): name one, as .*two\.zip/a$"):
        expand_paths([str(two)], stdin_is_pipe=False)
    result = CliRunner().invoke(app, ["report", "-"], input=(tmp_path / "two.zip").read_bytes())
    assert (result.exit_code, result.stderr) == (
        2,
        "logsync: error: stdin: CloudUserSync logs in 2 folders of this zip archive (a/, b/): "
        "name one, save it and give FILE.zip/a\n",
    )
    result = CliRunner().invoke(app, ["report"], input=b"PK\x03\x04 and nothing of a zip")
    assert (result.exit_code, result.stderr) == (
        2, "logsync: error: stdin: not a readable zip archive (File is not a zip file)\n"
    )


def test_a_zip_with_no_member_is_named_a_zip_with_no_log(tmp_path: Path) -> None:
    """A zip with no member begins with its directory's end (`PK\\x05\\x06`), not a member's
    header: it was read as text and refused as "no CloudUserSync records found (not SMS trace,
    CMTrace or text pasted from them)"; one that begins so and is no zip, the same."""
    empty = tmp_path / "empty.zip"
    zipfile.ZipFile(empty, "w").close()
    assert empty.read_bytes()[:4] == b"PK\x05\x06"
    for path, data in ((str(empty), None), ("-", empty.read_bytes())):
        result = runner.invoke(app, ["check", path], input=data)
        shown = "stdin" if path == "-" else path
        assert (result.exit_code, result.stdout, result.stderr) == (
            2, "", f"logsync: error: {shown}: no CloudUserSync.log or CloudUserSync.lo_ in this zip "
            "archive\n",
        )
    result = runner.invoke(app, ["check"], input=b"PK\x05\x06 and nothing of a zip")
    assert (result.exit_code, result.stdout) == (2, "")  # (the zip module's words after it)
    assert result.stderr.startswith("logsync: error: stdin: not a readable zip archive (")
    assert result.stderr.count("\n") == 1


def test_a_zip_on_stdin_is_read_as_the_folder_it_holds(tmp_path: Path) -> None:
    """`curl …/logs.zip | logsync check` (a CI job's artifact) was refused: "give the path of
    the zip itself". A zip on stdin is now read as a zip given by path is, its members named
    `-/MEMBER` as stdin is `-` (`stdin/MEMBER` in messages)."""
    halves = ("CloudUserSync.lo_", "CloudUserSync.log")
    archive = zip_of(
        tmp_path / "logs.zip", {f"Logs/{name}": (ROTATED / name).read_bytes() for name in halves}
    )
    piped = report(stdin=archive.read_bytes())
    assert [stats["path"] for stats in piped["inputs"]] == list(halves)  # type: ignore[attr-defined]
    assert piped == report(str(ROTATED))
    assert report("-", stdin=archive.read_bytes()) == piped
    result = CliRunner().invoke(app, ["report", "--format", "json"], input=archive.read_bytes())
    assert [i["path"] for i in json.loads(result.stdout)["inputs"]] == [
        "-/Logs/CloudUserSync.lo_", "-/Logs/CloudUserSync.log",
    ]
    events = CliRunner().invoke(app, ["events", "-"], input=archive.read_bytes())
    assert events.exit_code == 0
    assert events.stdout == CliRunner().invoke(app, ["events", str(archive)]).stdout.replace(
        f"{archive}/", "-/"
    )
    twice = CliRunner().invoke(app, ["report", "-", "-"], input=archive.read_bytes())
    assert twice.stderr.splitlines()[0] == (
        "logsync: stdin/Logs/CloudUserSync.lo_, stdin/Logs/CloudUserSync.log: given more than "
        "once, read once"
    )
    # a zip packed again is no folder: it is refused, on stdin as by path
    packed = CliRunner().invoke(app, ["report"], input=gzip.compress(archive.read_bytes()))
    assert (packed.exit_code, packed.stderr) == (
        2,
        "logsync: error: stdin: a zip archive (packed again): give the zip itself, which is read "
        "as the folder it holds\n",
    )


@pytest.mark.parametrize("command", ["report", "events"])
def test_a_zip_member_damaged_or_encrypted_is_one_line_and_exit_2(
    tmp_path: Path, command: str
) -> None:
    """Members whose data cannot be read, found only as they are (the archive's directory
    reads well): a byte changed in a stored member (its CRC-32 fails), deflated data that does
    not inflate, a member encrypted with a password (zipped so to pass a mail filter). Each
    was a traceback and exit 70."""
    log = (ROTATED / "CloudUserSync.log").read_bytes()
    stored = tmp_path / "stored.zip"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("Logs/CloudUserSync.log", log)
    data = stored.read_bytes()
    at = data.index(log) + 5000
    stored.write_bytes(data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :])
    deflated = zip_of(tmp_path / "deflated.zip", {"CloudUserSync.log": log})
    data = deflated.read_bytes()
    deflated.write_bytes(data[:200] + bytes(64) + data[264:])
    locked = zip_of(tmp_path / "locked.zip", {"CloudUserSync.log": log})
    data = bytearray(locked.read_bytes())  # (the flag bit "encrypted", as `zip -P` sets it)
    for header, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.index(header) + flags] |= 0x1
    locked.write_bytes(bytes(data))
    for archive_path, problem in [
        (stored, "damaged in the zip archive (Bad CRC-32 for file 'Logs/CloudUserSync.log')"),
        (deflated, "damaged in the zip archive (Error -3 while decompressing data: "),
        (locked, "encrypted in the zip archive: extract it first"),
    ]:
        member_name = "Logs/CloudUserSync.log" if archive_path == stored else "CloudUserSync.log"
        result = CliRunner().invoke(app, [command, str(archive_path)])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith(f"logsync: error: {archive_path}/{member_name}: {problem}")
        assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "a 7z archive: extract it and give the folder it holds, or a zip of it"),
        (b"Rar!\x1a\x07\x01\x00", "a RAR archive: extract it and give the folder it holds, or a zip of it"),
        (b"MSCF\0\0\0\0\x10\x20", "a cabinet (.cab) archive: extract it and give the folder it holds, or a zip of it"),
        (b"\x28\xb5\x2f\xfd\x24\x00", "zstd data: unpack it (zstd -d) and give what it holds"),
    ],
)
def test_an_archive_logsync_does_not_read_is_named_with_what_to_do(
    tmp_path: Path, data: bytes, problem: str
) -> None:
    """Archives admins attach that logsync does not unpack: they were "no CloudUserSync records
    found (not SMS trace, CMTrace or text pasted from them)", as if the log were of another
    kind."""
    path = tmp_path / "logs.bin"
    path.write_bytes(data + bytes(range(256)) * 4)
    result = CliRunner().invoke(app, ["report", str(path)])
    assert (result.exit_code, result.stderr) == (2, f"logsync: error: {path}: {problem}\n")


def test_a_zip_packed_again_says_to_give_the_zip_itself(tmp_path: Path) -> None:
    """A zip inside a gzip was "a zip archive: give its path" where its path was given."""
    archive = zip_of(tmp_path / "logs.zip", {"CloudUserSync.log": (ROTATED / "CloudUserSync.log").read_bytes()})
    packed = tmp_path / "logs.zip.gz"
    packed.write_bytes(gzip.compress(archive.read_bytes()))
    result = CliRunner().invoke(app, ["report", str(packed)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"logsync: error: {packed}: a zip archive (packed again, or in a pipe): give the zip "
        "itself, which is read as the folder it holds\n",
    )


# -- a .log given alone with its .lo_ beside it ------------------------------------------------


def test_a_log_given_alone_names_the_lo_beside_it(tmp_path: Path) -> None:
    for name in ("CloudUserSync.log", "CloudUserSync.lo_"):
        (tmp_path / name).write_bytes((ROTATED / name).read_bytes())
    log, rotated = tmp_path / "CloudUserSync.log", tmp_path / "CloudUserSync.lo_"
    result = CliRunner().invoke(app, ["summary", "--format", "text", str(log)])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        f"logsync: {rotated} beside {log} holds the log's older records and was not read; "
        f"`logsync summary {tmp_path}` reads both"
    )
    for both in ([str(log), str(rotated)], [str(tmp_path)]):
        result = CliRunner().invoke(app, ["check", *both])
        assert "older records" not in result.stderr
    assert lone_halves([str(log)]) == [(str(log), str(rotated))]
    assert lone_halves([str(rotated), str(log)]) == []
    # stdin may be the .lo_ (`type CloudUserSync.lo_ | logsync report - CloudUserSync.log`)
    piped = CliRunner().invoke(app, ["check", "-", str(log)], input=rotated.read_bytes())
    assert "older records" not in piped.stderr
    assert lone_halves(["-", str(log)]) == []
    # a zip of the folder given beside the .log: its .lo_ was read from the zip (sweep: stderr
    # said the .lo_ on disk beside the .log was not read)
    packed = tmp_path / "rot.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(rotated, "Logs/CloudUserSync.lo_")
        archive.write(log, "Logs/CloudUserSync.log")
    both = CliRunner().invoke(app, ["check", str(packed), str(log)])
    assert both.exit_code == 1 and "older records" not in both.stderr
    tarred = tmp_path / "rot.tgz"  # (a tar keeps no CRC: the member read is summed)
    with tarfile.open(tarred, "w:gz") as archive:
        archive.add(rotated, "Logs/CloudUserSync.lo_")
        archive.add(log, "Logs/CloudUserSync.log")
    both = CliRunner().invoke(app, ["check", str(tarred), str(log)])
    assert both.exit_code == 1 and "older records" not in both.stderr
    alone = CliRunner().invoke(app, ["check", str(log)])
    assert f"{rotated} beside {log} holds the log's older records" in alone.stderr
    # an older archive's .lo_ (other bytes) read beside today's .log: the .lo_ beside it is not
    # (review)
    other = tmp_path / "old.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("Logs/CloudUserSync.lo_", rotated.read_bytes()[:-200])
    beside = CliRunner().invoke(app, ["check", str(other), str(log)])
    assert f"{rotated} beside {log} holds the log's older records" in beside.stderr
    other = tmp_path / "old.tar"
    with tarfile.open(other, "w") as archive:
        archive.add(rotated, "Logs/CloudUserSync.lo_")
        older = tarfile.TarInfo("Logs/CloudUserSync.lo_")  # (added again: the last is read)
        older.size = len(rotated.read_bytes()) - 200
        archive.addfile(older, io.BytesIO(rotated.read_bytes()[:-200]))
    beside = CliRunner().invoke(app, ["check", str(other), str(log)])
    assert f"{rotated} beside {log} holds the log's older records" in beside.stderr


@pytest.mark.parametrize(("given", "other"), [("log", "lo_"), ("lo_", "log")])
def test_a_packed_half_given_alone_names_the_other_half_beside_it(
    tmp_path: Path, given: str, other: str
) -> None:
    """`CloudUserSync.log.gz` given alone, its `.lo_.gz` beside it: nothing said that the older
    half was right there (jan answered "held back since before the log"), and the folder of the
    two was refused with "give its path". No folder reads packed halves: both are named."""
    for name in ("CloudUserSync.log", "CloudUserSync.lo_"):
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress((ROTATED / name).read_bytes()))
    alone, beside = tmp_path / f"CloudUserSync.{given}.gz", tmp_path / f"CloudUserSync.{other}.gz"
    held = "older" if other == "lo_" else "newer"
    result = CliRunner().invoke(app, ["check", str(alone)])
    assert result.stderr.splitlines()[0] == (
        f"logsync: {beside} beside {alone} holds the log's {held} records and was not read; "
        f"`logsync check {alone} {beside}` reads both"
    )
    both = CliRunner().invoke(app, ["check", str(alone), str(beside)])
    assert "records and was not read" not in both.stderr
    assert both.stdout.splitlines()[0] == "jan@example.org\twaiting\tUserNotFound\texpected recovery 2025-06-11T09:20:00+01:00"
    folder = CliRunner().invoke(app, ["check", str(tmp_path)])
    assert folder.stderr == (
        f"logsync: error: {tmp_path}: no CloudUserSync.log or CloudUserSync.lo_ in this directory "
        "(it holds CloudUserSync.lo_.gz, CloudUserSync.log.gz: give their paths)\n"
    )


@pytest.mark.parametrize(("name", "made", "what"), [
    ("CloudUserSync.log", "directory", "a directory"),
    ("CloudUserSync.lo_", "link", "a link to nothing"),
])
def test_a_folder_whose_log_is_no_file_says_what_it_is(tmp_path: Path, name: str, made: str, what: str) -> None:
    """A folder whose `CloudUserSync.log` is a directory was "no CloudUserSync.log … in this
    directory", where one is there by name."""
    if made == "directory":
        (tmp_path / name).mkdir()
    else:
        (tmp_path / name).symlink_to(tmp_path / "gone")
    folder = CliRunner().invoke(app, ["check", str(tmp_path)])
    missing = f"logsync: error: {tmp_path}: no CloudUserSync.log or CloudUserSync.lo_ in this directory"
    assert (folder.exit_code, folder.stderr) == (2, f"{missing}: its {name} is {what}, not a file\n")
    (tmp_path / "logs.zip").write_bytes(b"PK")  # (named too: what it holds may be the log)
    folder = CliRunner().invoke(app, ["check", str(tmp_path)])
    assert folder.stderr == f"{missing}: its {name} is {what}, not a file (it holds logs.zip: give its path)\n"


def test_a_log_given_alone_names_the_history_files_beside_it(tmp_path: Path) -> None:
    """The demo log as a folder of history files and its live `.log` (the shape `watch` and
    `report FOLDER` read): the `.log` alone gave 4 waiting users where the folder has 3 and ivan
    overdue, and said nothing of the older records right beside it."""
    lines = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
    (tmp_path / "CloudUserSync-20261124-120000.log").write_bytes(b"".join(lines[:500]))
    (tmp_path / "CloudUserSync-20261124-165410.log").write_bytes(b"".join(lines[500:1000]))
    (tmp_path / "CloudUserSync-20261125-080000.log").write_bytes(b"".join(lines[1000:1500]))
    log = tmp_path / "CloudUserSync.log"
    log.write_bytes(b"".join(lines[1500:]))
    result = CliRunner().invoke(app, ["check", str(log)])
    assert result.stderr.splitlines()[0] == (
        f"logsync: 3 history files beside {log} (CloudUserSync-20261124-120000.log, "
        "CloudUserSync-20261124-165410.log, …) hold the log's older records and were not read; "
        f"`logsync check {tmp_path}` reads them all"
    )
    for every in ([str(tmp_path)], [str(p) for p in sorted(tmp_path.iterdir())]):
        result = CliRunner().invoke(app, ["check", *every])
        assert "history file" not in result.stderr
        assert result.stdout.splitlines()[-1].startswith("FAIL: 5 users (3 waiting, 1 overdue, 1 failed)")
    older = tmp_path / "CloudUserSync-20261124-120000.log"
    assert lone_history([str(log), str(older)]) == [
        (str(log), [str(tmp_path / "CloudUserSync-20261124-165410.log"), str(tmp_path / "CloudUserSync-20261125-080000.log")]),
    ]
    result = CliRunner().invoke(app, ["check", "-q", str(log), str(older)])
    assert (
        f"logsync: 2 history files beside {log} (CloudUserSync-20261124-165410.log, "
        "CloudUserSync-20261125-080000.log) hold"
    ) not in result.stderr  # (--quiet)
    assert lone_history([str(log), str(tmp_path / "other.txt")]) == []


@pytest.mark.parametrize("form", ["zip", "tgz"])
def test_a_log_in_an_archive_given_alone_names_the_history_files_beside_it(tmp_path: Path, form: str) -> None:
    """The same folder in a zip or tar archive, its `.log` given alone: 142 cycles for 398, dave
    `failed` missing, and only "the log ends …" said (found by a tester). With a `.lo_` there
    too, both are named."""
    lines = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
    files = {
        "CloudUserSync-20261124-120000.log": b"".join(lines[:1000]),
        "CloudUserSync-20261125-080000.log": b"".join(lines[1000:1500]),
        "CloudUserSync.lo_": b"".join(lines[1500:2000]),
        "CloudUserSync.log": b"".join(lines[2000:]),
    }
    archive = tmp_path / f"Logs.{form}"
    if form == "zip":
        with zipfile.ZipFile(archive, "w") as packed:
            for name, data in files.items():
                packed.writestr(f"Logs/{name}", data)
    else:
        with tarfile.open(archive, "w:gz") as packed:
            for name, data in files.items():
                info = tarfile.TarInfo(f"Logs/{name}")
                info.size = len(data)
                packed.addfile(info, io.BytesIO(data))
    log = f"{archive}/Logs/CloudUserSync.log"
    result = CliRunner().invoke(app, ["check", log])
    assert result.stderr.splitlines()[:2] == [
        f"logsync: {archive}/Logs/CloudUserSync.lo_ beside {log} holds the log's older records and "
        f"was not read; `logsync check {archive}` reads both",
        f"logsync: 2 history files beside {log} (CloudUserSync-20261124-120000.log, "
        f"CloudUserSync-20261125-080000.log) hold the log's older records and were not read; "
        f"`logsync check {archive}` reads them all",
    ]
    whole = CliRunner().invoke(app, ["check", str(archive)])
    assert "history file" not in whole.stderr and "was not read" not in whole.stderr
    assert whole.stdout.splitlines()[-1].startswith("FAIL: 5 users (3 waiting, 1 overdue, 1 failed)")


def test_a_half_given_alone_names_the_other_half_beside_it(tmp_path: Path) -> None:
    """A `.lo_` alone (carol `waiting` there, `recovered` in the `.log` beside it), and a member
    of a zip archive alone: neither said the other half was right there."""
    for name in ("CloudUserSync.log", "CloudUserSync.lo_"):
        (tmp_path / name).write_bytes((ROTATED / name).read_bytes())
    log, rotated = tmp_path / "CloudUserSync.log", tmp_path / "CloudUserSync.lo_"
    result = CliRunner().invoke(app, ["report", "--format", "json", str(rotated)])
    assert result.stderr.splitlines()[0] == (
        f"logsync: {log} beside {rotated} holds the log's newer records and was not read; "
        f"`logsync report {tmp_path}` reads both"
    )
    archive = zip_of(
        tmp_path / "logs.zip",
        {f"Logs/{name}": (ROTATED / name).read_bytes() for name in ("CloudUserSync.log", "CloudUserSync.lo_")},
    )
    member = f"{archive}/Logs/CloudUserSync.log"
    assert lone_halves([member]) == [(member, f"{archive}/Logs/CloudUserSync.lo_")]
    result = CliRunner().invoke(app, ["check", member])
    assert result.stderr.splitlines()[0] == (
        f"logsync: {archive}/Logs/CloudUserSync.lo_ beside {member} holds the log's older "
        f"records and was not read; `logsync check {archive}` reads both"
    )
    assert lone_halves(expand_paths([str(archive)], stdin_is_pipe=False)) == []
    # a file the two halves were pasted into may hold the other half: nothing is said
    pasted = tmp_path / "both.log"
    pasted.write_bytes(rotated.read_bytes() + log.read_bytes())
    assert lone_halves([str(rotated), str(pasted)]) == []
    result = CliRunner().invoke(app, ["report", str(rotated), str(pasted)])
    assert "was not read" not in result.stderr


def test_an_older_half_no_folder_reads_as_it_is_is_named_with_what_to_do(tmp_path: Path) -> None:
    """A packed `.lo_` (rotated, then compressed to save space), a `.lo_` that is a link to
    nothing or a directory: the folder was read as the `.log` alone, without a word; jan was
    `waiting` with the bound of a failure before the log, where both halves say UserNotFound."""
    (tmp_path / "CloudUserSync.log").write_bytes((ROTATED / "CloudUserSync.log").read_bytes())
    log, packed = tmp_path / "CloudUserSync.log", tmp_path / "CloudUserSync.lo_.gz"
    packed.write_bytes(gzip.compress((ROTATED / "CloudUserSync.lo_").read_bytes()))
    for path in (tmp_path, log):
        result = CliRunner().invoke(app, ["check", str(path)])
        assert result.stderr.splitlines()[0] == (
            f"logsync: {packed} beside {log} may hold the log's older records, packed, and was "
            f"not read; `logsync check {tmp_path} {packed}` reads the folder with it"
        )
    both = CliRunner().invoke(app, ["check", str(tmp_path), str(packed)])
    assert "was not read" not in both.stderr
    assert both.stdout.splitlines()[0] == (
        "jan@example.org\twaiting\tUserNotFound\texpected recovery 2025-06-11T09:20:00+01:00"
    )
    packed.unlink()
    zipped = zip_of(
        tmp_path / "CloudUserSync.lo_.zip",
        {"CloudUserSync.lo_": (ROTATED / "CloudUserSync.lo_").read_bytes()},
    )
    assert [found[1:] for found in unread_older([str(log)])] == [(str(zipped), "packed")]
    read = CliRunner().invoke(app, ["check", str(tmp_path), str(zipped)])  # (as the note says)
    assert "was not read" not in read.stderr and read.stdout == both.stdout
    zipped.unlink()
    rotated = tmp_path / "CloudUserSync.lo_"
    rotated.symlink_to(tmp_path / "gone")
    result = CliRunner().invoke(app, ["check", str(tmp_path)])
    assert result.stderr.splitlines()[0] == (
        f"logsync: {rotated} beside {log} is a link to nothing: the log's older records were "
        "not read"
    )
    rotated.unlink()
    rotated.mkdir()
    assert unread_older([str(log)]) == [(str(log), str(rotated), "a directory")]
    rotated.rmdir()
    os.mkfifo(rotated)
    assert unread_older([str(log)]) == [(str(log), str(rotated), "not a regular file")]
    assert unread_older([str(log), str(tmp_path / "other.txt")]) == []  # (it may hold them)


def test_a_log_that_is_a_link_to_nothing_beside_its_older_half_is_named(tmp_path: Path) -> None:
    """The `.lo_` read and `CloudUserSync.log` beside it a link to nothing: the answers were as
    of the rotation, and nothing said the newer half was not read."""
    rotated = tmp_path / "CloudUserSync.lo_"
    rotated.write_bytes((ROTATED / "CloudUserSync.lo_").read_bytes())
    log = tmp_path / "CloudUserSync.log"
    log.symlink_to(tmp_path / "gone")
    result = CliRunner().invoke(app, ["check", str(tmp_path)])
    assert result.stderr.splitlines()[0] == (
        f"logsync: {log} beside {rotated} is a link to nothing: the log's newer records were not "
        "read"
    )
    assert unread_older([str(rotated)]) == [(str(rotated), str(log), "a link to nothing")]
    log.unlink()
    log.mkdir()
    assert unread_older([str(rotated)]) == [(str(rotated), str(log), "a directory")]


# -- an export given twice is read once ------------------------------------------------------


def test_an_export_given_twice_is_read_once_and_its_copy_counted_as_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logsync import analyze, pipeline

    first, second = tmp_path / "a.log", tmp_path / "b.log"
    first.write_bytes(DEMO.read_bytes())
    second.write_bytes(DEMO.read_bytes())
    decoded: list[str] = []
    real = pipeline.text_chunks

    def spy(name: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        decoded.append(Path(name).name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "text_chunks", spy)
    twice = analyze([str(first), str(second)])
    assert decoded == ["a.log"]  # (it was a, b, then both again on the plain path)
    monkeypatch.undo()
    once = analyze([str(first)])
    reference = EventStream([str(first), str(second)])
    events = list(reference.in_order())
    assert (twice.duplicates, reference.duplicates, len(events)) == (3041, 3041, 3041)
    assert twice.users == once.users
    assert [stats.as_dict() for stats in twice.inputs] == [
        stats.as_dict() for stats in reference.inputs
    ] == [{**once.inputs[0].as_dict(), "path": path} for path in (str(first), str(second))]


def test_a_pasted_excerpt_given_twice_is_counted_once_in_the_summary(tmp_path: Path) -> None:
    """The summary counted the copy's requests and failures a second time per day."""
    ticket = (SAMPLES / "pasted" / "ticket.txt").read_bytes()
    (tmp_path / "one.txt").write_bytes(ticket)
    (tmp_path / "two.txt").write_bytes(ticket)
    result = runner.invoke(app, ["summary", "--format", "json", str(tmp_path / "one.txt"), str(tmp_path / "two.txt")])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["per_day"] == [
        {"date": "2014-09-14", "requested": 1, "held_back": 0, "added": 0, "failed": 1},
        {"date": "2014-09-15", "requested": 1, "held_back": 0, "added": 1, "failed": 0},
    ]
    assert "logsync: 6 records found in more than one input or run" in result.stderr


def test_only_files_with_the_same_bytes_are_copies(tmp_path: Path) -> None:
    from logsync.samebytes import same_bytes

    data = DEMO.read_bytes()
    names = {}
    for name, content in [
        ("a.log", data),
        ("b.log", data),
        ("c.log", data.replace(b"carol", b"carla", 1)),  # the same size, another user
        ("CertMgr.log", data),  # a sibling log is never a copy
        ("CloudUserSync.lo_", data),  # an older half with a log's bytes is a copy of it too
    ]:
        (tmp_path / name).write_bytes(content)
        names[name] = str(tmp_path / name)
    (tmp_path / "empty.log").write_bytes(b"")
    (tmp_path / "empty2.log").write_bytes(b"")
    given = [*names.values(), str(tmp_path / "empty.log"), str(tmp_path / "empty2.log"), "-"]
    assert same_bytes(given) == {
        names["b.log"]: names["a.log"], names["CloudUserSync.lo_"]: names["a.log"]
    }


def test_switches_of_encoding_at_the_edges_of_the_input() -> None:
    """An empty UTF-16 file (its BOM alone) before a UTF-8 one; a UTF-16 log that ends with the
    first bytes of a BOM (no file after it: they are its text); a lone surrogate in UTF-16 (shown
    as an escape, never an error); and each of them fed a byte at a time, as a followed log
    grows."""
    cases = [
        (codecs.BOM_UTF16_LE + codecs.BOM_UTF8 + b"ok\r\n", "ok\n", "utf-16-le+utf-8-sig"),
        ("\ufeffok\r\n".encode("utf-16-le") + b"\xef\xbb", "ok\n\ubbef", "utf-16-le"),
        (codecs.BOM_UTF16_LE + b"o\x00\x00\xdck\x00\n\x00", "o\\x00\\xdck\n", "utf-16-le"),
        (
            "\ufeffa\r\n".encode("utf-16-be") + codecs.BOM_UTF16_LE + "b\r\n".encode("utf-16-le"),
            "a\nb\n",
            "utf-16-be+utf-16-le",
        ),
    ]
    for data, text, encoding in cases:
        for cuts in ([], list(range(1, len(data)))):
            stats = InputStats("edges")
            assert "".join(fed(decoding.LineDecoder(stats), data, cuts, False)) == text, cuts
            assert stats.encoding == encoding


_LE = codecs.BOM_UTF16_LE


@pytest.mark.parametrize(
    ("pieces", "returned", "encoding"),
    [
        # a file's end on a read's end, the next file's BOM on the next read
        ([_LE + "abc\n".encode("utf-16-le"), codecs.BOM_UTF8 + b"d\n"], ["abc\n", "d\n", ""], "utf-16-le+utf-8-sig"),
        # a BOM split between two reads waits for its last bytes
        ([_LE + "abc\n".encode("utf-16-le") + b"\xef", b"\xbb\xbfd\n"], ["abc\n", "d\n", ""], "utf-16-le+utf-8-sig"),
        # UTF-16 lines come out as they are read, not at the end
        ([_LE + "abc\n".encode("utf-16-le"), "def\n".encode("utf-16-le")], ["abc\n", "def\n", ""], "utf-16-le"),
        # half a character at the end, and a last line with no break of its own
        ([_LE + "abc\n".encode("utf-16-le") + b"x"], ["abc\n", "\\x78"], "utf-16-le"),
        ([_LE + "abc\ndef".encode("utf-16-le")], ["abc\n", "def"], "utf-16-le"),
        # breaks at a read's start, and lone CRs
        ([b"abc\n", b"\nxyz"], ["abc\n", "\n", "xyz"], "utf-8"),
        ([b"abc\rdef\rgh"], ["abc\ndef\n", "gh"], "utf-8"),
        ([b"abc\n", b"\rxyz"], ["abc\n", "\n", "xyz"], "utf-8"),
        # `ÿþ` (a UTF-16LE BOM's bytes) ending a cp1252 line, or before text of no UTF-16
        ([b"ok\n\xff\xfe"], ["ok\n", "ÿþ"], "utf-8+cp1252"),
        ([b"ok\n\xff\xfeabc\n"], ["ok\nÿþabc\n", ""], "utf-8+cp1252"),
        # a BOM that begins no line (the file before it had no final break) is no switch
        ([_LE + "abc".encode("utf-16-le"), codecs.BOM_UTF8 + b"d\n"], ["", "", "abc믯撿\\x0a"], "utf-16-le"),
        # several files in one read
        (
            [_LE + "naïve\n".encode("utf-16-le") + codecs.BOM_UTF8 + b"b\n" + codecs.BOM_UTF8 + b"c\n"],
            ["naïve\nb\nc\n", ""],
            "utf-16-le+utf-8-sig",
        ),
    ],
)
def test_what_each_read_returns_where_files_and_reads_meet(
    pieces: list[bytes], returned: list[str], encoding: str
) -> None:
    """What `feed` returns for each read (and `close` at the end), where a read's edge falls on
    a file's, a BOM's or a line break's: a followed log's lines come out as soon as they are
    whole (mutation testing found mutants that gave the same text only at the end)."""
    stats = InputStats("reads")
    decoder = decoding.LineDecoder(stats)
    assert [*map(decoder.feed, pieces), decoder.close()] == returned
    assert stats.encoding == encoding


def test_the_first_character_after_a_bom_tells_text() -> None:
    assert decoding._begins_text(b"S\x00", "utf-16-le") and decoding._begins_text(b"\x00S", "utf-16-be")
    assert not decoding._begins_text(b"A\x00", "utf-8-sig")
    assert decoding._begins_text(b"SM", "utf-8-sig") and not decoding._begins_text(b"S", "utf-8-sig")


@pytest.mark.parametrize(
    "args",
    [["report", ""], ["check", " "], ["summary", ""], ["events", ""], ["timeline", "bob", ""],
     ["watch", ""], ["report", str(ROTATED), ""]],
)
def test_an_empty_path_is_refused_not_read_as_the_current_directory(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`logsync check "$LOG"` with LOG unset: `Path('')` is the current directory, which held a
    log here, so the gate judged a log no one named (and `watch` waited in it)."""
    (tmp_path / "CloudUserSync.log").write_bytes((ROTATED / "CloudUserSync.log").read_bytes())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "logsync: error: an empty path (an unset variable?): give a log path, or - for stdin\n"
    )
