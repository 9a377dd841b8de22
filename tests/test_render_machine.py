"""The report document written one user at a time is the document written whole."""

from __future__ import annotations

import io
import json

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
