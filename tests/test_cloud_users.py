"""Which stuck users a restart would add: an export of Azure AD users (`--cloud-users`) in every
form admins get it, what it changes in the verdicts, and UPN suffixes that can never match."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from logsync.analysis import analyze
from logsync.cloud import CloudUsers, read_cloud_users
from logsync.errors import InputError
from logsync.follow import Follower
from logsync.health import HealthCollector, unroutable_suffix
from logsync.times import iso
from logsync.tracker import Tracker
from logsync.watch import Watcher

from .conftest import SAMPLES
from .logtext import Log

runner = CliRunner()
DEMO = str(SAMPLES / "CloudUserSync.log")
EXPORT = str(SAMPLES / "azure-ad-users.csv")
TAKEN = "2026-11-25 15:55 -08:00"
"""When the shipped export was taken (its file time is the checkout's)."""


def invoke(*args: str, columns: int = 200):  # type: ignore[no-untyped-def]
    return runner.invoke(app_(), list(args), env={"COLUMNS": str(columns)})


def app_():  # type: ignore[no-untyped-def]
    from logsync.cli import app

    return app


# -- the forms of an export -----------------------------------------------------------------

ENTRA_HEADER = (
    "id,displayName,userPrincipalName,mail,userType,accountEnabled,directorySyncEnabled,"
    "createdDateTime"
)


def test_the_admin_centers_csv(tmp_path: Path) -> None:
    path = tmp_path / "exportUsers_2026-11-25.csv"
    path.write_text(
        f"{ENTRA_HEADER}\n"
        "1,Bob Smith,Bob@Contoso.com,bob@contoso.com,Member,True,True,2026-11-25T19:58:40Z\n"
        '2,"Jones, Alice",alice@contoso.com,,Member,True,True,2026-11-20T16:02:11Z\n'
        "3,Broken row,carol@contoso.com\n"
        "\n"
        "4,Dave,,dave@contoso.com,Member,True,True,2026-11-24T20:14:05Z\n",
        encoding="utf-8",
    )
    export = read_cloud_users(str(path))
    assert export.upns == {"bob@contoso.com", "alice@contoso.com"}
    assert (export.form, export.malformed, export.malformed_lines) == ("csv", 2, (4, 6))
    assert export.has("BOB@contoso.COM") and not export.has("carol@contoso.com")
    assert export.malformed_note() == "2 rows could not be read (line 4, 6)"
    assert export.as_of is not None and export.as_of_given is False


def powershell_export(rows: list[tuple[str, str, str]], header: str) -> str:
    """Windows PowerShell 5.1's `Export-Csv`: a `#TYPE` line, every cell quoted, CRLF."""
    lines = ["#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser", header]
    lines += [",".join(f'"{cell}"' for cell in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
     ("utf-8", codecs.BOM_UTF8), ("ascii", b"")],
)
def test_export_csv_of_windows_powershell(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = powershell_export(
        [("Bob Smith", "0b9e", "bob@contoso.com"), ("Ivan", "2d4e", "IVAN@CONTOSO.COM")],
        '"DisplayName","Id","USERPRINCIPALNAME"',
    )
    path = tmp_path / "users.csv"
    path.write_bytes(bom + text.encode(encoding))
    export = read_cloud_users(str(path))
    assert (export.upns, export.form, export.malformed) == (
        {"bob@contoso.com", "ivan@contoso.com"}, "csv", 0,
    )


def test_get_msoluser_with_the_upn_last_and_a_quoted_line_break(tmp_path: Path) -> None:
    path = tmp_path / "msol.csv"
    path.write_text(
        '"DisplayName","isLicensed","Description","UserPrincipalName"\r\n'
        '"Erin","True","two\r\nlines","erin@contoso.com"\r\n'
        '"Bad","False"\r\n'
        '"Frank","True","","frank@contoso.com"\r\n',
        encoding="utf-8",
        newline="",
    )
    export = read_cloud_users(str(path))
    assert export.upns == {"erin@contoso.com", "frank@contoso.com"}
    assert export.malformed_lines == (4,)  # the row after the two-line one


def test_a_semicolon_separated_export(tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text('"UserPrincipalName";"DisplayName"\n"bob@contoso.com";"Bob, Sr."\n')
    assert read_cloud_users(str(path)).upns == {"bob@contoso.com"}


def test_az_ad_user_list_json_and_a_graph_page(tmp_path: Path) -> None:
    az = tmp_path / "az.json"
    az.write_text(
        json.dumps(
            [
                {"displayName": "Bob", "userPrincipalName": "Bob@contoso.com", "id": "1"},
                {"displayName": "No UPN", "id": "2"},
                {"displayName": "Erin", "userPrincipalName": "erin@contoso.com", "id": "3"},
            ],
            indent=2,
        )
    )
    export = read_cloud_users(str(az))
    assert (export.upns, export.form, export.malformed_lines) == (
        {"bob@contoso.com", "erin@contoso.com"}, "json", (2,),
    )
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps({"value": [{"userPrincipalName": "ivan@contoso.com"}]}))
    assert read_cloud_users(str(graph)).upns == {"ivan@contoso.com"}


def test_plain_text_one_upn_per_line(tmp_path: Path) -> None:
    path = tmp_path / "upns.txt"
    path.write_text(
        "bob@contoso.com\n\nIVAN@contoso.com\nnot a upn\nbob@contoso.com@evil.example\n"
        "@contoso.com\nnobody@\n"
    )
    export = read_cloud_users(str(path))
    assert (export.upns, export.form, export.malformed_lines) == (
        {"bob@contoso.com", "ivan@contoso.com"}, "text", (4, 5, 6, 7),
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("displayName,mail\nBob,bob@contoso.com\n",
         "no userPrincipalName column in this export of Azure AD users (its columns: "
         "displayName, mail)"),
        ("", "an empty export of Azure AD users"),
        ("#TYPE Selected.Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser\n",
         "an empty export of Azure AD users"),
        ("userPrincipalName,displayName\n", "no users in this export of Azure AD users"),
        ('[{"displayName": "Bob"}]', "no userPrincipalName in this export of Azure AD users"),
        ("[1, 2", "not valid JSON (Expecting ',' delimiter: line 1 column 6 (char 5))"),
    ],
)
def test_an_export_that_names_no_user_is_an_input_error(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "users.csv"
    path.write_text(content)
    with pytest.raises(InputError) as caught:
        read_cloud_users(str(path))
    assert caught.value.problem == problem
    result = invoke("report", "--cloud-users", str(path), DEMO)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"logsync: error: --cloud-users {path}: {problem}\n"


def test_a_missing_export_and_an_as_of_without_export_are_usage_errors(tmp_path: Path) -> None:
    missing = invoke("report", "--cloud-users", str(tmp_path / "nope.csv"), DEMO)
    assert (missing.exit_code, missing.stderr) == (
        2, f"logsync: error: --cloud-users {tmp_path / 'nope.csv'}: No such file or directory\n",
    )
    alone = invoke("report", "--cloud-users-as-of", TAKEN, DEMO)
    assert (alone.exit_code, alone.stderr) == (
        2, "logsync: error: --cloud-users-as-of: give it with --cloud-users FILE\n",
    )


UPN = st.from_regex(r"[A-Za-z][A-Za-z0-9._-]{0,12}@[A-Za-z0-9-]{1,10}\.(com|org|net)", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(
    upns=st.lists(UPN, min_size=1, max_size=20),
    other=st.lists(st.text(alphabet="abc ,\"é", max_size=8), min_size=1, max_size=4),
    where=st.integers(min_value=0, max_value=4),
)
def test_any_csv_export_gives_back_its_upns_in_any_case(
    upns: list[str], other: list[str], where: int
) -> None:
    header = [f"col{i}" for i in range(len(other))]
    at = min(where, len(header))
    header.insert(at, "UserPrincipalName")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for upn in upns:
        row = list(other)
        row.insert(at, upn.swapcase())
        writer.writerow(row)
    with tempfile.TemporaryDirectory() as folder:  # (a fixture's folder is one for every example)
        path = Path(folder) / "users.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        export = read_cloud_users(str(path))
    assert export.upns == {upn.casefold() for upn in upns}
    assert export.malformed == 0
    assert all(export.has(upn) for upn in upns)


# -- what the export changes ----------------------------------------------------------------


def test_report_says_which_stuck_users_are_in_azure_ad() -> None:
    result = invoke("report", "--format", "json", "--cloud-users", EXPORT, "--cloud-users-as-of", TAKEN, DEMO)
    document = json.loads(result.stdout)
    assert {u["upn"]: u["in_azure_ad"] for u in document["users"]} == {
        "bob@contoso.com": True,
        "heidi@contoso.com": False,
        "erin@contoso.com": False,
        "ivan@contoso.com": True,
        "dave@contoso.com": True,
    }
    assert result.stderr.startswith(
        f"logsync: Azure AD export {EXPORT}: 7 users (csv), taken 2026-11-25T15:55:00-08:00\n"
    )
    plain = json.loads(invoke("report", "--format", "json", DEMO).stdout)
    assert all("in_azure_ad" not in u for u in plain["users"])  # no export: no claim


def test_text_and_csv_carry_the_column_last() -> None:
    text = invoke("report", "--header", "--cloud-users", EXPORT, DEMO).stdout.splitlines()
    assert text[0].endswith("\tsynced_at\texpected_recovery_bound\tin_azure_ad")
    assert [line.split("\t")[-1] for line in text[1:]] == ["true", "false", "false", "true", "true"]
    rows = list(csv.reader(io.StringIO(invoke("report", "--format", "csv", "--cloud-users", EXPORT, DEMO).stdout)))
    assert rows[0][-1] == "in_azure_ad" and rows[1][0] == "bob@contoso.com" and rows[1][-1] == "true"  # (as text and JSON)
    without = invoke("report", "--header", DEMO).stdout.splitlines()
    assert without[0].endswith("\tsynced_at\texpected_recovery_bound")


def test_the_table_has_an_in_azure_ad_column() -> None:
    lines = [
        line.rstrip()
        for line in invoke(
            "report", "--format", "table", "--color", "never", "--cloud-users", EXPORT, DEMO,
            columns=150,
        ).stdout.splitlines()
    ]
    assert lines[1] == (
        "User              ┃ State   ┃ In Azure AD ┃ Reason              ┃ Stuck since     ┃ "
        "Full sync due   ┃ Expected recovery ┃      Remaining"
    )
    assert lines[3].startswith("bob@contoso.com   │ waiting │ yes         │ UserNotFound")
    assert lines[4].startswith("heidi@contoso.com │ waiting │ no          │ UserNotFound")
    narrow = invoke(
        "report", "--format", "table", "--color", "never", "--cloud-users", EXPORT, DEMO, columns=80
    ).stdout.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in narrow)
    assert any("│ yes" in line for line in narrow) and "In Azure" in narrow[1] + narrow[2]


def summary_advice(*extra: str) -> list[str]:
    document = json.loads(invoke("summary", "--format", "json", *extra, DEMO).stdout)
    return [f"{a['code']}: {a['text']}" for a in document["advice"]]


def test_the_advice_is_exact_with_an_export() -> None:
    advice = summary_advice("--cloud-users", EXPORT, "--cloud-users-as-of", TAKEN)
    assert advice[:2] == [
        "restart_sms_executive: Restart the SMS Executive service on the site server with the "
        "service connection point now: its full sync would add the users already in Azure AD "
        "(export of 2026-11-25T15:55:00-08:00), 1 waiting user (bob@contoso.com) up to 17h 09m "
        "sooner and 1 overdue user (ivan@contoso.com).",
        "check_azure_ad_scope: 2 stuck users are not in Azure AD (heidi@contoso.com, "
        "erin@contoso.com): a restart of SMS Executive will not add them. Check the DirSync / "
        "Azure AD Connect scope and schedule, and that the on-premises UPN matches the Azure AD "
        "UPN.",
    ]
    assert [a.split(":")[0] for a in advice[2:]] == ["dirsync_schedule", "fix_other_failures"]
    without = summary_advice()
    assert without[0].startswith(
        "restart_sms_executive: Restart the SMS Executive service on the site server with the "
        "service connection point to force a full sync: it would retry 3 waiting users"
    )


def test_nobody_in_azure_ad_means_no_restart_advice(tmp_path: Path) -> None:
    export = tmp_path / "users.txt"
    export.write_text("alice@contoso.com\n")
    advice = summary_advice("--cloud-users", str(export))
    assert [a.split(":")[0] for a in advice] == [
        "check_azure_ad_scope", "dirsync_schedule", "fix_other_failures",
    ]
    assert advice[0].startswith(
        "check_azure_ad_scope: 4 stuck users are not in Azure AD (bob@contoso.com, "
        "heidi@contoso.com, erin@contoso.com, ivan@contoso.com)"
    )


def test_restart_at_frees_only_users_in_azure_ad() -> None:
    document = json.loads(
        invoke(
            "report", "--format", "json", "--restart-at", "2026-11-25 16:00",
            "--cloud-users", EXPORT, DEMO,
        ).stdout
    )
    what_if = document["what_if"]
    assert what_if["users_freed"] == ["bob@contoso.com"]
    assert what_if["users_retried"] == ["ivan@contoso.com"]
    assert what_if["users_not_in_azure_ad"] == ["heidi@contoso.com", "erin@contoso.com"]
    users = {u["upn"]: u for u in document["users"]}
    assert users["bob@contoso.com"]["recovery_by"] == "what-if"
    # the restart's full sync fails again for a user not in Azure AD: its own timer stands,
    # as `--now` at the same time has it
    own = json.loads(invoke("report", "--format", "json", "--now", "2026-11-25 16:00", DEMO).stdout)
    heidi = next(u for u in own["users"] if u["upn"] == "heidi@contoso.com")
    assert users["heidi@contoso.com"]["recovery_by"] == heidi["recovery_by"] == "timer"
    assert users["heidi@contoso.com"]["expected_recovery"] == heidi["expected_recovery"] == (
        "2026-11-26T10:10:12.529-08:00"
    )
    plain = json.loads(
        invoke("report", "--format", "json", "--restart-at", "2026-11-25 16:00", DEMO).stdout
    )
    assert plain["what_if"]["users_freed"] == ["bob@contoso.com", "erin@contoso.com", "heidi@contoso.com"]
    assert "users_not_in_azure_ad" not in plain["what_if"]
    line = invoke(
        "report", "--format", "table", "--color", "never", "--restart-at", "2026-11-25 16:00",
        "--cloud-users", EXPORT, DEMO, columns=300,
    ).stdout.splitlines()[-2]
    assert line.rstrip() == (
        "What-if restart at 2026-11-25T16:00:00-08:00 (times marked * in the table): frees 1 "
        "waiting user sooner, by up to 17h 10m; retries 1 overdue user whose own retry did not "
        "come. 2 stuck users not in Azure AD: a restart will not add them."
    )


def test_check_fails_on_fixable_users_only_with_an_export(tmp_path: Path) -> None:
    fixable = invoke("check", "--fail-on", "fixable", "--cloud-users", EXPORT, DEMO)
    assert fixable.exit_code == 1
    assert [line.split("\t")[0] for line in fixable.stdout.splitlines()[:-1]] == [
        "bob@contoso.com", "ivan@contoso.com",
    ]
    assert fixable.stdout.splitlines()[0].endswith("; in Azure AD: a restart adds it")
    nobody = tmp_path / "users.txt"
    nobody.write_text("alice@contoso.com\n")
    none = invoke("check", "--fail-on", "fixable", "--cloud-users", str(nobody), DEMO)
    assert none.exit_code == 0 and none.stdout.startswith("ok: ")
    missing = invoke("check", "--fail-on", "fixable", DEMO)
    assert (missing.exit_code, missing.stderr) == (
        2,
        "logsync: error: --fail-on fixable: give --cloud-users FILE (an export of Azure AD "
        "users) to tell which stuck users a restart would add\n",
    )
    report = invoke("report", "--fail-on", "Fixable", "--cloud-users", str(nobody), DEMO)
    assert report.exit_code == 0
    assert invoke("report", "--fail-on", "fixable", "--cloud-users", EXPORT, DEMO).exit_code == 1
    junit = tmp_path / "junit.xml"
    invoke("check", "--fail-on", "fixable", "--junit", str(junit), "--cloud-users", EXPORT, DEMO)
    assert junit.read_text().count("<failure ") == 2 and ", in Azure AD" in junit.read_text()


def test_timeline_says_whether_the_user_is_in_azure_ad() -> None:
    bob = invoke("timeline", "bob@contoso.com", "--format", "table", "--color", "never",
                 "--cloud-users", EXPORT, DEMO, columns=300).stdout.splitlines()[0]
    assert bob.rstrip().endswith(" · in Azure AD: a restart adds it")
    heidi = invoke("timeline", "heidi@contoso.com", "--format", "markdown", "--cloud-users", EXPORT, DEMO).stdout
    assert "· not in Azure AD: a restart will not add it" in heidi
    document = json.loads(invoke("timeline", "erin@contoso.com", "--format", "json", "--cloud-users", EXPORT, DEMO).stdout)
    assert document["user"]["in_azure_ad"] is False


def test_html_marks_the_users_a_restart_would_add() -> None:
    page = invoke("report", "--format", "html", "--cloud-users", EXPORT, DEMO).stdout
    assert page.count('data-kind="fixable"') == 2
    assert page.count('<g class="user waiting fixable"') == 1
    assert page.count('<g class="user overdue fixable"') == 1
    assert page.count('<tr class="waiting fixable">') == 1
    assert "<th>In Azure AD</th>" in page
    plain = invoke("report", "--format", "html", DEMO).stdout
    assert "fixable" not in plain.split("</style>")[1] and "In Azure AD" not in plain


def test_markdown_has_the_column_and_the_sharper_advice() -> None:
    document = invoke("report", "--format", "markdown", "--cloud-users", EXPORT, DEMO).stdout
    assert "| Remaining | In Azure AD |" in document
    assert "| in 17h 10m | yes |" in document
    assert "- 2 stuck users are not in Azure AD (heidi@contoso.com, erin@contoso.com)" in document


def test_malformed_rows_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text("userPrincipalName,displayName\nbob@contoso.com,Bob\nbroken\n,Nobody\n")
    result = invoke("report", "--cloud-users", str(path), DEMO)
    assert result.exit_code == 0
    assert f"logsync: {path}: 2 rows could not be read (line 3, 4), left out\n" in result.stderr
    quiet = invoke("report", "-q", "--cloud-users", str(path), DEMO)
    assert "Azure AD" not in quiet.stderr


def test_watch_streams_in_azure_ad(tmp_path: Path) -> None:
    live = tmp_path / "CloudUserSync.log"
    live.write_bytes((SAMPLES / "CloudUserSync.log").read_bytes())
    export = read_cloud_users(EXPORT)
    watcher = Watcher(Follower(live), Tracker(), cloud=export)
    watcher.read()
    wall = datetime(2026, 11, 25, 16, 5, tzinfo=timezone(timedelta(hours=-8)))
    _, changes = watcher.changes(wall)
    states = {c.user.upn: c.user.in_azure_ad for c in changes if c.user.stuck}
    assert states == {
        "bob@contoso.com": True, "heidi@contoso.com": False, "erin@contoso.com": False,
        "ivan@contoso.com": True,
    }


# -- UPNs that can never match ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upn", "added", "suffix"),
    [
        ("bob@contoso.local", set(), "contoso.local"),
        ("bob@CORP.Contoso.LAN", set(), "corp.contoso.lan"),
        ("bob@contoso.corp", set(), "contoso.corp"),
        ("bob@ad.internal", set(), "ad.internal"),
        ("bob@fileserver", set(), "fileserver"),
        ("bob@contoso.localdomain", set(), "contoso.localdomain"),
        ("bob@contoso.home", set(), "contoso.home"),
        ("bob@contoso.intranet", set(), "contoso.intranet"),
        ("bob@contoso.private", set(), "contoso.private"),
        ("bob@contoso.com", set(), None),
        ("bob@local.contoso.com", set(), None),  # a label inside the name is no suffix
        ("bob@contoso.local", {"contoso.local"}, None),  # users with it were added after all
        ("bob@contoso.localhost", set(), None),
    ],
)
def test_unroutable_suffixes(upn: str, added: set[str], suffix: str | None) -> None:
    assert unroutable_suffix(upn, added) == suffix


def test_summary_spots_users_whose_suffix_can_never_match(tmp_path: Path) -> None:
    log = Log()
    local = ("scott@contoso.local", "tina@CONTOSO.LOCAL", "uma@contoso.com")
    log.cycle("2026-11-24 09:00:00", local, dict.fromkeys(local, "UserNotFound"))
    log.cycle("2026-11-24 09:05:00", ("vic@branch.lan",), {})  # added: .lan is held here
    log.cycle("2026-11-24 09:10:00", ("wes@branch.lan",), {"wes@branch.lan": "UserNotFound"})
    log.cycles("2026-11-24 09:15", "2026-11-24 10:00")
    collector = HealthCollector()
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")], collector=collector)
    summary = collector.summarize(analysis)
    (finding,) = [f for f in summary.findings if f.code == "unroutable_upn_suffix"]
    assert finding.message == (
        "2 users failing with UserNotFound have a UPN suffix Azure AD cannot hold "
        "(contoso.local): Azure AD Connect syncs them as …@<tenant>.onmicrosoft.com, so the "
        "connector never finds them (scott@contoso.local, tina@CONTOSO.LOCAL)"
    )
    assert [e.line for e in finding.evidence] == [5, 7]
    (advice,) = [a for a in summary.advice if a.code == "routable_upn_suffix"]
    assert advice.text == (
        "Add a routable UPN suffix (a domain verified in the tenant) in Active Directory "
        "Domains and Trusts and give these users UPNs in it (scott@contoso.local, "
        "tina@CONTOSO.LOCAL): no timer or restart adds them until then."
    )
    # a restart's full sync fails them again: it is advised for the others alone (it named
    # all four as retried "up to 23h 50m sooner")
    (restart,) = [a for a in summary.advice if a.code == "restart_sms_executive"]
    assert restart.text == (
        "Restart the SMS Executive service on the site server with the service connection "
        "point to force a full sync: it would retry 2 waiting users (uma@contoso.com, "
        "wes@branch.lan) up to 23h 15m sooner."
    )
    # and a what-if restart, as the advice: their own timers stand (they recovered at 10:01)
    restarted = analyze([str(tmp_path / "CloudUserSync.log")], restart_at=datetime(2026, 11, 24, 9, 56))
    assert sorted((u.upn, u.recovery_by) for u in restarted.users if u.state == "waiting") == [
        ("scott@contoso.local", "timer"),
        ("tina@CONTOSO.LOCAL", "timer"),
        ("uma@contoso.com", "what-if"),
        ("wes@branch.lan", "what-if"),
    ]
    demo = HealthCollector()
    assert not [
        f for f in demo.summarize(analyze([DEMO], collector=demo)).findings
        if f.code == "unroutable_upn_suffix"
    ]


def test_the_export_time_shows_in_the_output_zone_to_the_second(tmp_path: Path) -> None:
    """Issue 27 item 10: the advice showed a file time as `2026-12-01T23:38:56.509444+00:00`."""
    export = tmp_path / "users.txt"
    export.write_text("bob@contoso.com\n")
    taken = datetime(2026, 11, 25, 23, 55, 0, 509444, tzinfo=timezone.utc).timestamp()
    os.utime(export, (taken, taken))
    advice = summary_advice("--cloud-users", str(export))
    assert "(export of 2026-11-25T15:55:00-08:00)" in advice[0]
    stderr = invoke("report", "--tz", "UTC", "--cloud-users", str(export), DEMO).stderr
    assert f"logsync: Azure AD export {export}: 1 user (text), taken 2026-11-25T23:55:00+00:00 " \
        "(file time)\n" in stderr


# -- a what-if restart frees only the users in Azure AD -----------------------------------------


def failing_log(tmp_path: Path) -> str:
    """Quiet cycles 07:00-07:55 (-04:00), then a@x.com fails with UserNotFound at 08:00:02:
    his own retry is the cycle at 2026-03-03 08:05:00."""
    log = Log().cycles("2026-03-02 07:00", "2026-03-02 08:00")
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": "UserNotFound"})
    return log.write(tmp_path / "CloudUserSync.log")


def export_of(*upns: str) -> CloudUsers:
    return CloudUsers("users.txt", frozenset(upns), "text", None, False)


@pytest.mark.parametrize(
    ("upns", "recovery_by", "saved", "expected"),
    [
        (("z@x.com",), "timer", None, "2026-03-03T08:05:00-04:00"),
        (("a@x.com",), "what-if", 86398.0, "2026-03-02T08:05:02-04:00"),
    ],
    ids=["not in Azure AD", "in Azure AD"],
)
def test_a_what_if_restart_saves_time_only_for_a_user_in_azure_ad(
    tmp_path: Path, upns: tuple[str, ...], recovery_by: str, saved: float | None, expected: str
) -> None:
    """A restart at a@x.com's failure (08:00:02): its full sync adds him 86,398 s sooner if he
    is in Azure AD; if not, it fails again and his own timer stands, saving nothing."""
    (a,) = analyze(
        [failing_log(tmp_path)], restart_at=datetime(2026, 3, 2, 8, 0, 2), cloud=export_of(*upns)
    ).users
    assert (a.state, a.recovery_by, a.time_saved_s, iso(a.expected_recovery)) == (
        "waiting", recovery_by, saved, expected,
    )


def test_a_what_if_restart_after_the_user_s_own_retry_frees_nobody_sooner(tmp_path: Path) -> None:
    """A restart at 2026-03-03 08:14:59, after a@x.com's own retry (08:05:00) and before he is
    overdue: in Azure AD or not, his timer's cycle stands, and no time is saved."""
    for upns in (("a@x.com",), ("z@x.com",)):
        (a,) = analyze(
            [failing_log(tmp_path)], restart_at=datetime(2026, 3, 3, 8, 14, 59), cloud=export_of(*upns)
        ).users
        assert (a.state, a.recovery_by, a.time_saved_s, iso(a.expected_recovery)) == (
            "waiting", "timer", None, "2026-03-03T08:05:00-04:00",
        )


@pytest.mark.parametrize(
    ("taken", "exit_code", "heidi"),
    [
        ("2026-11-25T10:10:08.505-08:00", 0, None),  # heidi failed at 10:10:08.506, after it
        ("2026-11-25T10:10:08.506-08:00", 1, True),  # taken at the failure itself: it holds
    ],
)
def test_an_export_older_than_a_user_s_failure_does_not_say_a_restart_adds_it(
    tmp_path: Path, taken: str, exit_code: int, heidi: bool | None
) -> None:
    """heidi and erin are in the export, but the log failed both with UserNotFound after it
    was taken (heidi at 10:10:08.506, erin at 14:30:09.041): Azure AD did not hold them then."""
    export = tmp_path / "users.csv"
    export.write_text("UserPrincipalName\r\nHEIDI@contoso.com\r\n")
    cloud = ["--cloud-users", str(export), "--cloud-users-as-of", taken, DEMO]
    gate = invoke("check", "--fail-on", "fixable", *cloud)
    assert gate.exit_code == exit_code
    report = json.loads(invoke("report", "--format", "json", *cloud).stdout)
    assert {u["upn"]: u.get("in_azure_ad") for u in report["users"]}["heidi@contoso.com"] is heidi
    said = (
        "logsync: 1 user of the Azure AD export (heidi@contoso.com) failed with UserNotFound "
        "after it was taken: whether Azure AD holds them now, a newer export would tell\n"
    )
    assert (said in gate.stderr) is (heidi is None)


# -- a user created in Azure AD after the time judged at ------------------------------------------

CREATED = datetime(2026, 11, 25, 19, 58, 40, tzinfo=timezone.utc)
"""bob's `createdDateTime` in the shipped export (11:58:40 PST); the log fails him with
UserNotFound at 09:10:08.462 PST, and the export was taken later (`TAKEN`)."""
SHIPPED = ("--cloud-users", EXPORT, "--cloud-users-as-of", TAKEN)


def test_the_export_says_when_each_user_was_created() -> None:
    export = read_cloud_users(EXPORT)
    assert len(export.created) == 7
    assert export.created["bob@contoso.com"] == CREATED
    second = timedelta(seconds=1)
    assert (export.says("BOB@contoso.com", CREATED), export.has("bob@contoso.com", CREATED)) == (
        True, True,
    )
    assert (export.says("bob@contoso.com", CREATED - second), export.has("bob@contoso.com", CREATED - second)) == (
        False, False,
    )
    assert export.says("bob@contoso.com") is True  # no time judged at: as before
    # a log with no UTC offset: no instant to hold the export's against
    assert export.says("bob@contoso.com", datetime(2026, 11, 25, 10, 0)) is True


def test_created_date_time_in_each_form_of_an_export(tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text(
        '"UserPrincipalName","CreatedDateTime"\n'
        '"a@x.com","2026-11-25T19:58:40.1234567Z"\n'  # .NET's seven digits
        '"b@x.com","2026-11-25 20:58:40+01:00"\n'
        '"c@x.com","11/25/2026 7:58:40 PM"\n'  # Export-Csv of a date: the culture's, no offset
        '"d@x.com",""\n'
        '"e@x.com","2026-11-25T25:00:00Z"\n'  # no such hour
    )
    export = read_cloud_users(str(path))
    assert export.upns == {"a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com"}
    assert dict(export.created) == {
        "a@x.com": CREATED.replace(microsecond=123456),
        "b@x.com": CREATED.astimezone(timezone(timedelta(hours=1))),
    }
    az = tmp_path / "az.json"
    az.write_text(
        json.dumps(
            [
                {"userPrincipalName": "Bob@contoso.com", "createdDateTime": "2026-11-25T19:58:40Z"},
                {"userPrincipalName": "ivan@contoso.com", "createdDateTime": None},
            ]
        )
    )
    assert dict(read_cloud_users(str(az)).created) == {"bob@contoso.com": CREATED}


@pytest.mark.parametrize(
    ("restart_at", "freed", "absent", "bob", "line"),
    [
        (
            "2026-11-25T19:58:40Z",
            ["bob@contoso.com"],
            ["heidi@contoso.com"],
            (True, "what-if", "2026-11-25T11:58:49-08:00", 76284.685),
            "frees 1 waiting user sooner, by up to 21h 11m; retries 1 overdue user whose own "
            "retry did not come. 1 stuck user not in Azure AD: a restart will not add them.",
        ),
        (
            "2026-11-25T19:58:39Z",
            [],
            ["bob@contoso.com", "heidi@contoso.com"],
            (False, "timer", "2026-11-26T09:10:13.685-08:00", None),
            "frees no waiting user sooner; retries 1 overdue user whose own retry did not come. "
            "2 stuck users not in Azure AD: a restart will not add them.",
        ),
    ],
    ids=["created at the restart", "created a second after it"],
)
def test_a_what_if_restart_frees_only_users_created_in_azure_ad_by_then(
    restart_at: str, freed: list[str], absent: list[str], bob: tuple[object, ...], line: str
) -> None:
    """bob is in the export, created at 11:58:40 PST: a restart at that second adds him; one a
    second earlier finds him missing from Azure AD (as the log did at 09:10), so his own timer
    stands, as it did for him from 09:10 (it counted him freed "up to 23h 10m sooner")."""
    result = invoke("report", "--format", "json", *SHIPPED, "--restart-at", restart_at, DEMO)
    document = json.loads(result.stdout)
    what_if = document["what_if"]
    assert (what_if["users_freed"], what_if["users_retried"], what_if["users_not_in_azure_ad"]) == (
        freed, ["ivan@contoso.com"], absent,
    )
    users = {u["upn"]: u for u in document["users"]}
    b = users["bob@contoso.com"]
    assert (b["in_azure_ad"], b["recovery_by"], b["expected_recovery"], b.get("time_saved_s")) == bob
    assert users["ivan@contoso.com"]["in_azure_ad"] is True
    said = (
        "logsync: 1 user of the Azure AD export (bob@contoso.com) was created there after "
        "2026-11-25T11:58:39-08:00 (createdDateTime): not in Azure AD as of then\n"
    )
    assert (said in result.stderr) is (bob[0] is False)
    table = invoke(
        "report", "--format", "table", "--color", "never", *SHIPPED, "--restart-at", restart_at,
        DEMO, columns=400,
    ).stdout.splitlines()
    shown = restart_at.replace("19:", "11:").replace("Z", "-08:00")  # in the log's offset
    assert f"What-if restart at {shown} (times marked * in the table): {line}" in [
        row.rstrip() for row in table
    ]


@pytest.mark.parametrize(
    ("now", "bob_in", "advice", "gated"),
    [
        (
            "2026-11-25T19:58:40Z",
            True,
            [
                "restart_sms_executive: Restart the SMS Executive service on the site server with "
                "the service connection point now: its full sync would add the users already in "
                "Azure AD (export of 2026-11-25T15:55:00-08:00), 1 waiting user (bob@contoso.com) "
                "up to 21h 11m sooner and 1 overdue user (ivan@contoso.com).",
                "check_azure_ad_scope: 1 stuck user is not in Azure AD (heidi@contoso.com): a "
                "restart of SMS Executive will not add it. Check the DirSync / Azure AD Connect "
                "scope and schedule, and that the on-premises UPN matches the Azure AD UPN.",
            ],
            ["bob@contoso.com", "ivan@contoso.com"],
        ),
        (
            "2026-11-25T19:58:39Z",
            False,
            [
                "restart_sms_executive: Restart the SMS Executive service on the site server with "
                "the service connection point now: its full sync would add the users already in "
                "Azure AD (export of 2026-11-25T15:55:00-08:00), 1 overdue user "
                "(ivan@contoso.com).",
                "check_azure_ad_scope: 2 stuck users are not in Azure AD (bob@contoso.com, "
                "heidi@contoso.com): a restart of SMS Executive will not add them. Check the "
                "DirSync / Azure AD Connect scope and schedule, and that the on-premises UPN "
                "matches the Azure AD UPN.",
            ],
            ["ivan@contoso.com"],
        ),
    ],
    ids=["created at the time judged", "created a second after it"],
)
def test_every_output_judges_in_azure_ad_as_of_its_time(
    tmp_path: Path, now: str, bob_in: bool, advice: list[str], gated: list[str]
) -> None:
    """As of the time judged at, bob is in Azure AD if he was created by then: the report's
    JSON and text, the summary's advice, the gate on fixable users and its JUnit agree."""
    at = ("--now", now)
    report = json.loads(invoke("report", "--format", "json", *SHIPPED, *at, DEMO).stdout)
    assert {u["upn"]: u["in_azure_ad"] for u in report["users"]} == {
        "bob@contoso.com": bob_in, "heidi@contoso.com": False, "ivan@contoso.com": True,
        "dave@contoso.com": True,
    }
    text = invoke("report", *SHIPPED, *at, DEMO).stdout.splitlines()
    assert [row.split("\t")[-1] for row in text] == [str(bob_in).lower(), "false", "true", "true"]
    assert summary_advice(*SHIPPED, *at)[:2] == advice
    junit = tmp_path / "junit.xml"
    gate = invoke("check", "--fail-on", "fixable", "--junit", str(junit), *SHIPPED, *at, DEMO)
    assert gate.exit_code == 1
    assert [row.split("\t")[0] for row in gate.stdout.splitlines()[:-1]] == gated
    assert junit.read_text().count("<failure ") == len(gated)
    invoke("check", "--junit", str(junit), *SHIPPED, *at, DEMO)  # every stuck user fails it
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    (bob,) = [case.find("failure") for case in cases if case.get("name") == "bob@contoso.com"]
    assert bob is not None and bob.text is not None
    assert bob.text.endswith(", in Azure AD" if bob_in else ", not in Azure AD")


def test_a_restart_before_bob_was_created_frees_him_only_where_the_export_gives_no_time(tmp_path: Path) -> None:
    """The tester's case: a restart at 10:00 PST, after bob failed with UserNotFound (09:10) and
    before he was created in Azure AD (11:58:40): not freed, not in the advice. An export that
    gives no createdDateTime (one UPN a line) says nothing of when: as before, he is freed."""
    restart = ("--restart-at", "2026-11-25T10:00:00-08:00")
    shipped = json.loads(invoke("report", "--format", "json", *SHIPPED, *restart, DEMO).stdout)
    assert shipped["what_if"]["users_freed"] == []
    assert shipped["what_if"]["users_not_in_azure_ad"] == ["heidi@contoso.com", "bob@contoso.com"]
    advice = summary_advice(*SHIPPED, "--now", "2026-11-25T10:00:00-08:00")[0]
    assert advice.endswith("(export of 2026-11-25T15:55:00-08:00), 1 overdue user (ivan@contoso.com).")
    upns = tmp_path / "upns.txt"
    upns.write_text("".join(f"{upn}\n" for upn in read_cloud_users(EXPORT).upns))
    plain = ("--cloud-users", str(upns), "--cloud-users-as-of", TAKEN)
    undated = json.loads(invoke("report", "--format", "json", *plain, *restart, DEMO).stdout)
    assert (undated["what_if"]["users_freed"], undated["what_if"]["time_saved_s"]) == (
        ["bob@contoso.com"], 83405.885,
    )
    assert summary_advice(*plain, "--now", "2026-11-25T10:00:00-08:00")[0].endswith(
        "1 waiting user (bob@contoso.com) up to 23h 10m sooner and 1 overdue user (ivan@contoso.com)."
    )
