"""A saved e-mail (`.eml`) is read as the text of its message: before, an excerpt sent by mail
and saved from the mail client was "no CloudUserSync records found" (quoted-printable and
base64 hide the lines)."""

from __future__ import annotations

import email.policy
import gzip
import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.mail import is_mail

from .conftest import SAMPLES

runner = CliRunner()
DEMO_LINES = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
EXCERPT = DEMO_LINES[2880:2900]  # (bob and heidi held back, erin's first failure)
HEADERS = {
    "From": "Alex Example <alex@contoso.com>",
    "To": "ops@contoso.com",
    "Subject": "Users not syncing",
    "Date": "Wed, 25 Nov 2026 16:10:00 -0800",
}


def mail(body: str, cte: str = "quoted-printable", html: bool = False, charset: str = "utf-8") -> bytes:
    message = EmailMessage()
    for name, value in HEADERS.items():
        message[name] = value
    if html:
        message.set_content(f"<pre>{body}</pre>", subtype="html", cte=cte, charset=charset)
    else:
        message.set_content(body, cte=cte, charset=charset)
    return message.as_bytes(policy=email.policy.SMTP)


def states(args: list[str], stdin: bytes | None = None) -> tuple[int, list[tuple[str, str]]]:
    result = runner.invoke(app, ["report", "--all", "--format", "json", *args], input=stdin)
    users = json.loads(result.stdout)["users"] if result.stdout else []
    return result.exit_code, [(u["upn"], u["state"]) for u in users]


@pytest.mark.parametrize("cte", ["quoted-printable", "base64", "8bit"])
def test_an_excerpt_saved_from_a_mail_client_answers_as_the_excerpt(tmp_path: Path, cte: str) -> None:
    text = tmp_path / "excerpt.log"
    text.write_text("\n".join(EXCERPT) + "\n", encoding="utf-8")
    saved = tmp_path / "Users not syncing.eml"
    body = "Hi team,\n\nhere is what the connector logged:\n\n" + "\n".join(EXCERPT) + "\n\nAlex\n"
    saved.write_bytes(mail(body, cte))
    expected = (
        0,
        [
            ("bob@contoso.com", "waiting"),
            ("heidi@contoso.com", "waiting"),
            ("erin@contoso.com", "waiting"),
        ],
    )
    assert states([str(text)]) == states([str(saved)]) == expected
    packed = tmp_path / "mail.eml.gz"
    packed.write_bytes(gzip.compress(saved.read_bytes()))
    assert states([str(packed)]) == states(["-"], stdin=saved.read_bytes()) == expected


def test_a_reply_that_quotes_the_excerpt_in_another_charset_answers_as_the_excerpt(
    tmp_path: Path,
) -> None:
    """A reply quotes the excerpt with `> ` and is saved in ISO-8859-1: an accented UPN and
    the quoting are undone."""
    lines = [line.replace("erin@contoso.com", "erin.bénard@contoso.com") for line in EXCERPT]
    body = "Still stuck?\n\nOn Wed, Alex wrote:\n" + "".join(f"> {line}\n" for line in lines)
    saved = tmp_path / "Re.eml"
    saved.write_bytes(mail(body, "quoted-printable", charset="iso-8859-1"))
    assert b"b=E9nard" in saved.read_bytes()
    assert states([str(saved)]) == (
        0,
        [
            ("bob@contoso.com", "waiting"),
            ("heidi@contoso.com", "waiting"),
            ("erin.bénard@contoso.com", "waiting"),
        ],
    )


def test_a_message_that_names_no_charset_is_read_as_any_input_is(tmp_path: Path) -> None:
    """A body of UTF-8 bytes under `Content-Type: text/plain` with no charset: the mail library
    reads it as ASCII and made erin.bénard `erin.b\ufffd\ufffdnard`."""
    lines = [line.replace("erin@contoso.com", "erin.bénard@contoso.com") for line in EXCERPT]
    head = "".join(f"{name}: {value}\r\n" for name, value in HEADERS.items())
    saved = tmp_path / "nocharset.eml"
    saved.write_bytes(
        (head + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
         "Content-Transfer-Encoding: 8bit\r\n\r\n" + "\r\n".join(lines) + "\r\n").encode()
    )
    assert states([str(saved)])[1][2] == ("erin.bénard@contoso.com", "waiting")


def with_parts(note: str, *parts: EmailMessage | tuple[str, bytes, str]) -> bytes:
    """A message whose body is `note`, with attachments: a forwarded message, or (file name,
    bytes, MIME type)."""
    message = EmailMessage()
    for name, value in HEADERS.items():
        message[name] = value
    message.set_content(note)
    for part in parts:
        if isinstance(part, EmailMessage):
            message.add_attachment(part)
        else:
            name, data, kind = part
            main, sub = kind.split("/")
            message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message.as_bytes(policy=email.policy.SMTP)


ERIN_FAILS = next(line for line in DEMO_LINES if line.startswith("Failed to add user erin@"))
OTHER_USER = (ERIN_FAILS.replace("erin@", "mallory@") + "\r\n").encode()
"""A failure of another user, in an attachment not named as the connector's log."""


def test_the_connector_s_logs_attached_to_an_e_mail_are_read(tmp_path: Path) -> None:
    """"see the attached log": the covering note was read, and no record found. The logs
    attached (named CloudUserSync…) are read, in the order attached, in their own bytes
    (UTF-8 with a BOM, UTF-16), as files pasted together are; other attachments are not."""
    log = "\r\n".join(EXCERPT).encode("utf-8")
    (tmp_path / "excerpt.log").write_bytes(log)
    expected = states([str(tmp_path / "excerpt.log")])
    assert expected[0] == 0 and len(expected[1]) == 3
    utf16 = "\ufeff".encode("utf-16-le") + "\r\n".join(EXCERPT).encode("utf-16-le")
    for data, kind in ((b"\xef\xbb\xbf" + log, "text/plain"), (utf16, "application/octet-stream")):
        saved = tmp_path / "attached.eml"
        saved.write_bytes(
            with_parts("Hi, see the attached log.\n", ("notes.txt", OTHER_USER, "text/plain"),
                       ("CloudUserSync.log", data, kind))
        )
        assert states([str(saved)]) == expected
    halves = "\r\n".join(EXCERPT[:10]).encode(), "\r\n".join(EXCERPT[10:]).encode()
    saved.write_bytes(
        with_parts("both halves\n", ("CloudUserSync.log", halves[1], "text/plain"),
                   ("CloudUserSync.lo_", halves[0], "application/octet-stream"))
    )
    assert states([str(saved)]) == expected  # (newer first: two runs, merged by time)


def test_a_forwarded_e_mail_is_read_with_the_message_it_forwards(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"], inner["Subject"] = "alex@contoso.com", "Users not syncing"
    inner.set_content("here is the log:\n\n" + "\n".join(EXCERPT) + "\n")
    saved = tmp_path / "Fw.eml"
    saved.write_bytes(with_parts("FYI, see below.\n", inner))
    assert states([str(saved)]) == (
        0,
        [
            ("bob@contoso.com", "waiting"),
            ("heidi@contoso.com", "waiting"),
            ("erin@contoso.com", "waiting"),
        ],
    )


def test_a_file_that_is_a_forwarded_message_is_read_as_the_message_it_holds(tmp_path: Path) -> None:
    inner = mail("here is the log:\n\n" + "\n".join(EXCERPT) + "\n")
    saved = tmp_path / "forward.eml"
    saved.write_bytes(
        b"From: ops@contoso.com\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n"
        + inner
    )
    alone = tmp_path / "inner.eml"
    alone.write_bytes(inner)
    assert states([str(saved)]) == states([str(alone)])
    assert len(states([str(saved)])[1]) == 3


def test_an_e_mail_larger_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("logsync.mail.MAX_MAIL", 2**20)
    saved = tmp_path / "big.eml"
    saved.write_bytes(mail("\n".join(EXCERPT * 400)))
    assert len(saved.read_bytes()) > 2**20
    result = runner.invoke(app, ["report", str(saved)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"logsync: error: {saved}: an e-mail larger than 1 MB: give its text\n",
    )


def test_an_e_mail_with_no_plain_text_is_one_line_and_exit_2(tmp_path: Path) -> None:
    saved = tmp_path / "html.eml"
    saved.write_bytes(mail("\n".join(EXCERPT), html=True))
    result = runner.invoke(app, ["check", str(saved)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"logsync: error: {saved}: an e-mail with no plain-text message: save its text (or "
        "paste it) and give that\n",
    )


def test_an_e_mail_that_holds_no_records_says_where_it_looked(tmp_path: Path) -> None:
    saved = tmp_path / "note.eml"
    saved.write_bytes(mail("Hi, the users are still not syncing. Any idea?\n"))
    result = runner.invoke(app, ["report", str(saved)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"logsync: error: {saved}: an e-mail with no CloudUserSync records in its message, the "
        "messages it forwards or a CloudUserSync attachment\n",
    )


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (mail("x"), True),
        (b"From: a@b.c\r\nMIME-Version: 1.0\r\n\r\nbody", True),
        (b"Subject: s\nContent-Type: text/plain\n  ; charset=utf-8\n\nbody", True),  # folded
        (b"From: a@b.c\r\nSubject: s\r\n\r\nbody", False),  # no MIME header: pasted text
        (b"MIME-Version: 1.0\r\nX-Mailer: m\r\n\r\nbody", False),  # no From, To, Subject, Date
        (b"From: a@b.c\r\nMIME-Version: 1.0\r\nbody", False),  # no blank line after headers
        (b"From: a@b.c\r\nMIME-Version: 1.0\r\nnot a header\r\n\r\nbody", False),
        (b" From: a@b.c\r\nMIME-Version: 1.0\r\n\r\nbody", False),  # (begins folded)
        (b" From: a@b.c\r\nMIME-Version: 1.0\r\nSubject: s\r\n\r\nbody", False),
        (b"From: a@b.c\r\nCc:\r\nMIME-Version: 1.0\r\n\r\nbody", True),  # (an empty header)
        ("\n".join(DEMO_LINES[:5]).encode(), False),
        (b"", False),
    ],
)
def test_what_begins_as_a_saved_e_mail(head: bytes, expected: bool) -> None:
    assert is_mail(head) is expected


@pytest.mark.parametrize("sample", ["CloudUserSync.log", "pasted/ticket.txt"])
def test_a_quoted_printable_body_without_its_headers_gives_the_answers_of_its_text(
    tmp_path: Path, sample: str
) -> None:
    """A mail's body copied from its source (`=3D` for each `=`, `=` at the end of lines cut at
    76 columns) was "2 lines are cut off at 76 columns": its escapes and soft breaks are undone,
    as in a saved e-mail."""
    import quopri

    text = (SAMPLES / sample).read_bytes()
    body = quopri.encodestring(text.replace(b"\r\n", b"\n"))
    assert b"=3D" in body and b"=\n" in body
    source = tmp_path / "body.txt"
    source.write_bytes(body)
    args = ["report", "--all", "--format", "json", "--now", "2026-11-25T16:05:00"]
    clean = json.loads(runner.invoke(app, [*args, str(SAMPLES / sample)]).stdout)
    found = json.loads(runner.invoke(app, [*args, str(source)]).stdout)
    assert found["users"] == clean["users"] and found["summary"] == clean["summary"]


@pytest.mark.parametrize(
    ("head", "quoted"),
    [
        (b"a =3D b=\nc\nd=\ne\n", True),
        (b"a =3D b\nc\n", False),  # (no soft break)
        (b"a = b=\nc=\nd\n", False),  # (no `=3D`: soft breaks alone)
        (b"x" * 80 + b" =3D=\n" + b"y" * 80 + b"=\nz\n", False),  # (lines longer than 76)
    ],
)
def test_which_texts_are_quoted_printable(head: bytes, quoted: bool) -> None:
    from logsync.mail import is_quoted_printable

    assert is_quoted_printable(head) is quoted
