"""A UPN that holds `~` (Entra ID allows it: `xavier~ops@fabrikam.com`). SMS trace writes a
line break in a message as `~`, and the UPN was read as two lines: `xavier`, not a UPN and
`pending`, its failure no record of a user (sweep)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logsync.events import classify, decode_text

from .conftest import SAMPLES, run_installed

LOG = SAMPLES / "restart-day" / "CloudUserSync.log"


def users(path: Path, pure: str) -> list[dict[str, object]]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["users"]


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_upn_with_a_tilde_is_one_user_with_its_history(tmp_path: Path, pure: str) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_text(LOG.read_text(encoding="utf-8-sig").replace("xavier@", "xavier~ops@"))
    want = [{**u, "upn": str(u["upn"]).replace("xavier@", "xavier~ops@")} for u in users(LOG, pure)]
    assert users(path, pure) == want
    timeline = run_installed("timeline", "xavier~ops@fabrikam.com", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert timeline.returncode == 0, timeline.stderr
    assert json.loads(timeline.stdout)["upn"] == "xavier~ops@fabrikam.com"


@pytest.mark.parametrize(
    ("message", "text", "kind"),
    [
        ("Failed to add user xavier~ops@fabrikam.com; reason UserNotFound",
         "Failed to add user xavier~ops@fabrikam.com; reason UserNotFound", "user_add_failed"),
        ("NotifyAccountAddition - SCCM user to add =x~y~z@fabrikam.com~~",
         "NotifyAccountAddition - SCCM user to add =x~y~z@fabrikam.com", "user_add_requested"),
        ("~Failed to add user bob@contoso.com; reason UserNotFound~~",
         "Failed to add user bob@contoso.com; reason UserNotFound", "user_add_failed"),
        ("Users:~bob@contoso.com", "Users:\nbob@contoso.com", "message"),  # (a break before it)
        ("Exception~~   at Send()", "Exception\n   at Send()", "message"),
        ("see~bob@contoso.com", "see~bob@contoso.com", "message"),  # (an address's, as it reads)
    ],
)
def test_which_tildes_are_line_breaks(message: str, text: str, kind: str) -> None:
    assert decode_text(message) == text
    assert classify(text)[0] == kind
