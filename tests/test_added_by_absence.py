"""A user whose add is told by its absence from the next complete cycle (rule 2b): `report`
gives the time it was received (`synced_at`, the cycle before), and the timeline's step, at the
totals line that shows the absence, says so (sweep: the step read "added to the cloud" at
09:15:05, beside a report that said 09:10:12, with nothing to tell the two apart)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from logsync.cli import app

from .conftest import SAMPLES


def test_the_timeline_says_an_add_told_by_absence_was_in_the_cycle_before(tmp_path: Path) -> None:
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()[2441:]
    path = tmp_path / "cut.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    timeline = CliRunner().invoke(app, ["timeline", "Mallory", str(path)])
    assert timeline.exit_code == 0
    assert timeline.stdout.splitlines() == [
        f"2026-11-25T09:10:12.073-08:00\trequested\tNotifyAccountAddition Mallory.Admin@Contoso.com\t{path}:1",
        "2026-11-25T09:10:12.210-08:00\tundecided\tthe cycle's counts cannot say whether it was "
        f"received or held back\t{path}:2",
        "2026-11-25T09:15:05.099-08:00\tadded\tadded to the cloud in a cycle before this one, which "
        f"does not name it (a user held back is named in every cycle)\t{path}:9",
        "2026-11-25T16:04:59.644-08:00\tstate\tsynced\t-",
    ]
    report = CliRunner().invoke(app, ["report", "--all", "--format", "json", str(path)])
    assert '"upn":"Mallory.Admin@Contoso.com","state":"synced"' in report.stdout
    assert '"synced_at":"2026-11-25T09:10:12.073-08:00"' in report.stdout
