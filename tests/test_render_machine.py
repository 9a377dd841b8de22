"""The report document written one user at a time is the document written whole."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from logsync import analyze
from logsync.render import Display
from logsync.render.machine import report_document, state_counts, write_json, write_report_json

from .conftest import SAMPLES


@pytest.mark.parametrize("pretty", [False, True])
def test_report_written_user_by_user_is_the_whole_document(pretty: bool) -> None:
    analysis = analyze([str(SAMPLES / "CloudUserSync.log")])
    users = analysis.users
    assert len(users) > 3
    whole, streamed = io.StringIO(), io.StringIO()
    write_json(report_document(analysis, users, state_counts(users), Display()), whole, pretty)
    document = report_document(analysis, [], state_counts(users), Display())
    document["what_if"] = {"users_freed": ['"users":[]']}  # a key after the users, a trap inside
    write_report_json(document, users, Display(), streamed, pretty)
    expected = json.loads(whole.getvalue())
    expected["what_if"] = {"users_freed": ['"users":[]']}
    assert json.loads(streamed.getvalue()) == expected
    if not pretty:
        assert streamed.getvalue().startswith(whole.getvalue()[: whole.getvalue().index('"users"')])
        assert "\n" not in streamed.getvalue().rstrip("\n")


@pytest.mark.parametrize("tz", [None, "UTC", "America/New_York"])
@pytest.mark.parametrize(
    "sample", ["CloudUserSync.log", "rotated", "restart-day", "pasted/ticket.txt", "cmtrace", "blog"]
)
def test_the_text_columns_of_a_user_are_those_its_json_record_holds(
    sample: str, tz: str | None, tmp_path: Path
) -> None:
    """`user_rows` builds the text and CSV columns apart from `user_record` (a report of many
    users writes only these): for every user of the samples, in any zone shown, and with the
    Azure AD column, they are the record's."""
    from logsync.cloud import read_cloud_users
    from logsync.render.machine import user_fields, user_record, user_rows
    from logsync.times import parse_zone

    cloud = read_cloud_users(str(SAMPLES / "azure-ad-users.csv"))
    path = SAMPLES / sample
    if sample == "blog":  # no times at all: every time is null
        from .test_as_pasted import BLOG_QUOTES

        path = tmp_path / "quotes.txt"
        path.write_text(BLOG_QUOTES, encoding="utf-8")
    analysis = analyze([str(path)], cloud=cloud)
    display = Display(tz=parse_zone(tz, "--tz") if tz else None)
    assert len(analysis.users) >= 1
    for with_cloud in (False, True):
        fields = user_fields(with_cloud)
        expected = [
            [user_record(user, display).get(name) for name in fields] for user in analysis.users
        ]
        assert list(user_rows(analysis.users, display, with_cloud)) == expected
