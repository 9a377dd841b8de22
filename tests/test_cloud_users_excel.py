"""The Azure AD users' export as Excel saves it again: "Unicode Text" (UTF-16, tab-separated),
a tab-separated text, or a CSV with Excel's `sep=;` line before its header. Each was refused
("no users in this export", "no userPrincipalName column (its columns: sep=, )")."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

from logsync.cloud import read_cloud_users

from .conftest import SAMPLES

EXPORT = SAMPLES / "azure-ad-users.csv"


def rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(EXPORT.read_text(encoding="utf-8-sig"))))


def saved(delimiter: str, head: str = "") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows())
    return head + out.getvalue()


@pytest.mark.parametrize(
    ("form", "data"),
    [
        ("unicode text", codecs.BOM_UTF16_LE + saved("\t").encode("utf-16-le")),
        ("tab-separated UTF-8", saved("\t").encode()),
        ("sep=; line", saved(";", "sep=;\r\n").encode()),
        ("sep=, line", saved(",", "sep=,\r\n").encode()),
        ("SEP=\\t line, UTF-16", codecs.BOM_UTF16_LE + saved("\t", "SEP=\t\r\n").encode("utf-16-le")),
    ],
)
def test_the_export_re_saved_by_excel_holds_its_users(tmp_path: Path, form: str, data: bytes) -> None:
    want = read_cloud_users(str(EXPORT)).upns
    assert len(want) == 7
    path = tmp_path / "azure-ad-users.txt"
    path.write_bytes(data)
    export = read_cloud_users(str(path))
    assert (export.upns, export.form) == (want, "csv")
