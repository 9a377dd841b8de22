"""A cycle whose counts cannot say which of the users it names was received (rule 2b: several
users held back since before the input, `received = 1, added = 1`), then SMS Executive
restarts. The restart's full sync names every user still held back, as every cycle does: one it
does not name was received, and added, in the cycle before. Before, a restart left that cycle
undecided for good: the user added was `overdue`, its retry the full sync's cycle (fuzzing,
against the simulator's truth)."""

from __future__ import annotations

import sys
from pathlib import Path

from logsync import analyze
from logsync.times import iso

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "sample_logs"))
from simulate import simulate

USER = "user00051@contoso.com"


def test_a_user_the_restart_s_full_sync_does_not_name_was_added_before(tmp_path: Path) -> None:
    history = simulate(48, seed=2, per_day=120)
    start, end = 16654, 16894  # (11:10:29 to 11:31:21: the undecided cycle at 11:15, restart 11:21)
    assert USER not in history.stuck_at(end)
    path = tmp_path / "window.log"
    path.write_text(history.text(start, end), encoding="utf-8")
    users = {u.upn: u for u in analyze([str(path)]).users}
    found = users[USER]
    assert (found.state, iso(found.recovered_at), found.before_input) == (
        "recovered", "2026-03-02T11:15:45.310-05:00", True
    )
    stuck = {u.upn for u in users.values() if u.state in ("waiting", "overdue")}
    assert stuck <= history.stuck_at(end)
