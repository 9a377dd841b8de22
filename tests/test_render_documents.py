"""Markdown for tickets and one HTML page: structure, escaping of hostile text, SVG geometry."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from logsync.cli import app
from logsync.render import markdown

from .conftest import ROOT, SAMPLES, need_tool

sys.path.insert(0, str(ROOT / "sample_logs"))
from simulate import simulate

from .logtext import Log

runner = CliRunner()
DEMO = str(SAMPLES / "CloudUserSync.log")
HOSTILE_UPNS = (
    "<script>alert(1)</script>@x.com",
    '"><img src=x onerror=alert(1)>@x.com',
    "a|b`c*d*_e_[link](http://evil.example)@x.com",
    "<b>bold</b>&amp;@x.com",
    "www.evil.example@x.com",
)


def hostile_log(tmp_path: Path) -> str:
    log = Log()
    log.cycle("2014-09-14 10:00:00", HOSTILE_UPNS, dict.fromkeys(HOSTILE_UPNS, "UserNotFound"))
    log.cycle("2014-09-14 10:05:00", ("ok@contoso.com",))
    return log.write(tmp_path / "CloudUserSync.log")


def md_tokens(document: str, flavour: str = "commonmark") -> list:  # type: ignore[type-arg]
    """Tokens of a document as CommonMark with tables, or as GitHub shows it (`gfm-like`: bare
    URLs, `www.` and e-mail addresses become links, `~~` strikes through)."""
    parser = MarkdownIt(flavour)
    return (parser.enable("table") if flavour == "commonmark" else parser).parse(document)


def table_rows(document: str) -> list[list[str]]:
    """The text of every cell of the first table, row by row (header first)."""
    rows: list[list[str]] = []
    tokens = md_tokens(document)
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            inline = tokens[index + 1]
            rows[-1].append("".join(child.content for child in inline.children or []))
        elif token.type == "table_close":
            break
    return rows


# -- Markdown -------------------------------------------------------------------------------


def test_markdown_report_is_a_proper_table() -> None:
    document = runner.invoke(app, ["report", "--format", "markdown", DEMO]).stdout
    rows = table_rows(document)
    assert rows[0] == [
        "User", "State", "Reason", "Stuck since", "Full sync due", "Expected recovery", "Remaining",
    ]
    assert [row[:2] for row in rows[1:]] == [
        ["bob@contoso.com", "waiting"],
        ["heidi@contoso.com", "waiting"],
        ["erin@contoso.com", "waiting"],
        ["ivan@contoso.com", "overdue"],
        ["dave@contoso.com", "failed"],
    ]
    assert rows[1][5] == "2026-11-26 09:15:03 -08:00 (predicted)"
    assert rows[4][5:] == ["2026-11-25 08:25:04 -08:00", "overdue 7h 39m"]
    assert document.startswith("# logsync report: stuck users\n")
    assert "**Connector:** running, last cycle 2026-11-25T16:04:55.644-08:00" in document


def test_markdown_escapes_hostile_upns(tmp_path: Path) -> None:
    path = hostile_log(tmp_path)
    document = runner.invoke(app, ["report", "--format", "markdown", path]).stdout
    for flavour in ("commonmark", "gfm-like"):
        tokens = md_tokens(document, flavour)
        children = [c for t in tokens for c in t.children or []]
        kinds = {t.type for t in tokens} | {c.type for c in children}
        assert not kinds & {"html_inline", "html_block", "image", "em_open", "s_open"}, flavour
        # logsync's own labels: Log, As of, Connector, Read, and the finding's severity
        assert [c.type for c in children].count("strong_open") == 5
        # GitHub links a bare e-mail address (a UPN in the advice's prose), never a web address
        links = [c.attrs["href"] for c in children if c.type == "link_open"]
        assert all(str(href).startswith("mailto:") for href in links), links
        rows = table_rows(document)
        assert len(rows) == 1 + len(HOSTILE_UPNS)
        assert all(len(row) == 7 for row in rows)
        assert sorted(row[0] for row in rows[1:]) == sorted(HOSTILE_UPNS)
    assert "## Findings" in document and "## Advice" in document


def test_markdown_reads_cleanly_as_plain_text() -> None:
    document = runner.invoke(app, ["report", "--format", "markdown", DEMO]).stdout
    lines = document.splitlines()
    bob = next(line for line in lines if "bob@contoso.com" in line)
    assert bob == (
        "| `bob@contoso.com` | waiting | UserNotFound | `2026-11-25 09:10:08 -08:00` "
        "| `2026-11-26 09:10:08 -08:00` | `2026-11-26 09:15:03 -08:00` (predicted) | in 17h 10m |"
    )
    assert "\\\\" not in document and "\\@" not in document and "\\." not in document
    assert "## Findings" in document and "## Advice" in document
    advice = document[document.index("## Advice") :]
    assert "- Restart the SMS Executive service" in advice


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("bob@contoso.com", "bob@contoso.com"),
        ("2026-11-26T09:15:03.266-08:00", "2026-11-26T09:15:03.266-08:00"),
        ("a|b", "a\\|b"),
        ("line\nbreak", "line break"),
        ("`x`", "\\`x\\`"),
        ("<i>", "\\<i\\>"),
        ("[a](b)", "\\[a\\](b)"),
        ("*a* _b_ ~~c~~", "\\*a\\* \\_b\\_ \\~\\~c\\~\\~"),
        ("&amp;", "\\&amp;"),
        ("esc\x1b[5m", "esc\\\\x1b\\[5m"),
        ("see http://x.y", "see http\\://x.y"),
        ("HTTPS://x.y", "HTTPS\\://x.y"),
        ("www.x.y", "www\\.x.y"),
        ("awww.x.y", "awww.x.y"),
        ("# heading", "\\# heading"),
        ("> quote", "\\> quote"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("=== setext", "\\=== setext"),
        ("12. item", "12\\. item"),
        ("3) item", "3\\) item"),
        ("a - b # c", "a - b # c"),
    ],
)
def test_markdown_text_escaping(value: str, escaped: str) -> None:
    assert markdown.text(value) == escaped


@pytest.mark.parametrize(
    "value",
    ["# h", "> q", "- i", "+ i", "1. i", "2) i", "a|b", "`c`", "*e*", "_e_", "~~s~~", "<b>",
     "&amp;", "[l](u)", "![i](u)", "http://x.y", "www.x.y", "a\\*b", "\\"],
)
def test_markdown_text_renders_as_the_text_it_is(value: str) -> None:
    for flavour in ("commonmark", "gfm-like"):
        (paragraph, inline, _) = md_tokens(markdown.text(value), flavour)
        assert paragraph.type == "paragraph_open", (flavour, value)
        assert [c.type for c in inline.children or []] == ["text"], (flavour, value)
        assert inline.children[0].content == value  # type: ignore[index]


def test_markdown_code_spans_hold_any_backticks_and_pipes_in_tables() -> None:
    assert markdown.code("a:1") == "`a:1`"
    assert markdown.code("a`b:1") == "``a`b:1``"
    assert markdown.code("`a") == "`` `a ``"
    assert markdown.code("a|b:1", in_table=True) == "`a\\|b:1`"


def test_markdown_summary_timeline_and_check() -> None:
    summary = runner.invoke(app, ["summary", "--format", "markdown", DEMO]).stdout
    assert "## Findings" in summary and "## Advice" in summary and "## Per day" in summary
    assert "- **warning** `stuck_users`: 3 users wait for the 24 h full sync" in summary
    assert "`sample_logs/CloudUserSync.log:2441`" in summary.replace(str(ROOT) + "/", "")
    timeline = runner.invoke(app, ["timeline", "heidi@contoso.com", "--format", "markdown", DEMO]).stdout
    rows = table_rows(timeline)
    assert rows[0] == ["Time", "Event", "Detail", "Where"]
    assert rows[3][:2] == ["2026-11-24 10:05:08 -08:00", "failed"]
    check = runner.invoke(app, ["check", "--format", "markdown", DEMO])
    assert check.exit_code == 1
    assert check.stdout.startswith("# logsync check: FAILED\n")
    assert len(table_rows(check.stdout)) == 6


# -- HTML -----------------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "b",
    "code", "main", "section", "svg", "line", "text", "rect", "g", "circle", "path", "table",
    "thead", "tbody", "tr", "th", "td", "ul", "li", "span", "footer", "div",
}


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


def test_html_from_hostile_log_text_adds_no_element_or_attribute(tmp_path: Path) -> None:
    page = runner.invoke(app, ["report", "--format", "html", hostile_log(tmp_path)]).stdout
    elements = parse(page)
    assert {tag for tag, _ in elements.tags} <= ALLOWED_TAGS
    for tag, attrs in elements.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "src" not in attrs and "href" not in attrs
    shown = "".join(elements.text)
    for upn in HOSTILE_UPNS:
        assert upn in shown  # shown as the text it is


def test_html_page_is_self_contained() -> None:
    page = runner.invoke(app, ["report", "--format", "html", DEMO]).stdout
    assert page.startswith("<!doctype html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    urls = re.findall(r"https?://[^\s\"'<>]+", page)
    assert urls == ["http://www.w3.org/2000/svg"]  # the SVG namespace, never fetched
    assert "<script" not in page and "@import" not in page and "url(" not in page
    assert "prefers-color-scheme:dark" in page and "@media print" in page


def svg_of(page: str) -> ET.Element:
    return ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])


def test_svg_geometry_matches_the_time_axis() -> None:
    page = runner.invoke(app, ["report", "--format", "html", "--all", DEMO]).stdout
    svg = svg_of(page)
    start = datetime.fromisoformat(svg.get("data-start"))  # type: ignore[arg-type]
    end = datetime.fromisoformat(svg.get("data-end"))  # type: ignore[arg-type]
    left, width = float(svg.get("data-left")), float(svg.get("data-width"))  # type: ignore[arg-type]

    def x(iso: str) -> float:
        moment = datetime.fromisoformat(iso)
        return left + (moment - start) / (end - start) * width

    ns = "{http://www.w3.org/2000/svg}"
    (now,) = [e for e in svg.iter(f"{ns}line") if e.get("data-kind") == "now"]
    assert float(now.get("x1")) == pytest.approx(x("2026-11-25T16:04:59.644-08:00"), abs=0.01)  # type: ignore[arg-type]
    rows = {g.get("data-user"): g for g in svg.iter(f"{ns}g")}
    assert len(rows) == 5  # the stuck and failed users
    bob = rows["0"]
    (due,) = [r for r in bob.iter(f"{ns}rect") if r.get("data-kind") == "due"]
    bar_start, bar_width = float(due.get("x")), float(due.get("width"))  # type: ignore[arg-type]
    assert bar_start == pytest.approx(x("2026-11-25T09:10:08.462-08:00"), abs=0.01)
    assert bar_start + bar_width == pytest.approx(x("2026-11-26T09:10:08.462-08:00"), abs=0.02)
    (recovery,) = [p for p in bob.iter(f"{ns}path") if p.get("data-kind") == "recovery"]
    assert "predicted" in (recovery.get("class") or "")
    assert float(recovery.get("data-x")) == pytest.approx(x("2026-11-26T09:15:03.266-08:00"), abs=0.01)  # type: ignore[arg-type]
    (ivan_recovery,) = [p for p in rows["3"].iter(f"{ns}path")]
    assert ivan_recovery.get("class") == "recovery missed"  # overdue: passed, no retry logged
    restarts = [e for e in svg.iter(f"{ns}line") if e.get("class") == "restart"]
    assert [float(e.get("x1")) for e in restarts] == [pytest.approx(x("2026-11-24T06:59:55.211-08:00"), abs=0.01)]  # type: ignore[arg-type]
    cycles = [e for e in svg.iter(f"{ns}line") if e.get("class") == "cycle"]
    assert 100 <= len(cycles) <= 240  # 398 cycles, thinned


def test_html_caps_the_picture_and_says_so(tmp_path: Path) -> None:
    log = Log()
    upns = tuple(f"user{n:02d}@contoso.com" for n in range(45))
    log.cycle("2014-09-14 10:00:00", upns, dict.fromkeys(upns, "UserNotFound"))
    page = runner.invoke(app, ["report", "--format", "html", log.write(tmp_path / "c.log")]).stdout
    assert len([g for g in svg_of(page).iter("{http://www.w3.org/2000/svg}g")]) == 40
    assert "The picture shows the first 40 of 45 users" in page
    assert page.count("<tr class=\"waiting\">") == 45


def test_summary_html_is_its_own_page() -> None:
    page = runner.invoke(app, ["summary", "--format", "html", DEMO]).stdout
    elements = parse(page)
    shown = " ".join(elements.text)
    assert "logsync summary: " in shown and "Connector health" in shown
    assert "stuck_users" in shown and "overdue_users" in shown and "Per day" in shown
    assert "Restart the SMS Executive service" in shown
    assert "Failure reasons" in shown and "LicenseLimitReached" in shown
    assert "Stuck and failed users" not in shown and 'aria-label="timeline' not in page
    bars = [attrs for tag, attrs in elements.tags if tag == "svg"]
    assert [b.get("aria-label") for b in bars] == [
        "2 added, 4 failed of 6 tried", "2 added, 3 failed of 6 tried",
    ]
    report = runner.invoke(app, ["report", "--format", "html", DEMO]).stdout
    assert page != report and "Stuck and failed users" in report


class Nesting(HTMLParser):
    """The open elements (tag and class) above each table."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str]] = []
        self.tables: list[list[tuple[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(list(self.open))
        if tag not in ("meta", "line", "rect", "circle", "path"):
            self.open.append((tag, dict(attrs).get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass


@pytest.mark.parametrize("command", ["report", "summary"])
def test_every_table_scrolls_inside_its_box_in_a_narrow_window(command: str) -> None:
    page = runner.invoke(app, [command, "--format", "html", DEMO]).stdout
    nesting = Nesting()
    nesting.feed(page)
    assert nesting.tables
    assert all(above[-1] == ("div", "scroll") for above in nesting.tables)
    assert ".scroll{overflow-x:auto;" in page
    narrow = page[page.index("@media (max-width:640px){") :]
    assert "table.users td{white-space:nowrap}" in narrow[: narrow.index("}}")]


def test_overdue_marker_is_not_the_green_of_a_recovery_seen() -> None:
    page = runner.invoke(app, ["report", "--format", "html", DEMO]).stdout
    rules = dict(re.findall(r"(\.recovery\.\w+)\{([^}]*)\}", page))
    assert "var(--ok)" in rules[".recovery.observed"]
    assert "var(--ok)" not in rules[".recovery.missed"] and "var(--over)" in rules[".recovery.missed"]
    assert "expected recovery passed, no retry logged" in page  # in the legend


def now_label(page: str) -> str:
    ns = "{http://www.w3.org/2000/svg}"
    (label,) = [e for e in svg_of(page).iter(f"{ns}text") if e.get("data-kind") == "now-label"]
    return label.text or ""


def test_the_vertical_line_says_as_of_unless_it_is_the_wall_clock() -> None:
    assert now_label(runner.invoke(app, ["report", "--format", "html", DEMO]).stdout) == "as of"
    at = runner.invoke(app, ["report", "--format", "html", "--now", "2026-11-25 12:00", DEMO])
    assert now_label(at.stdout) == "as of"
    now = runner.invoke(app, ["report", "--format", "html", "--now", "now", DEMO])
    assert now_label(now.stdout) == "now"  # the tests' wall clock, 2026-11-25T16:10-08:00


@pytest.fixture(scope="module")
def nine_days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nine days of a connector (seed 7, 20 users a day), as the simulator writes them."""
    path = tmp_path_factory.mktemp("nine") / "CloudUserSync.log"
    path.write_text(simulate(216, seed=7, per_day=20).text(), encoding="utf-8", newline="")
    return path


def test_the_picture_of_a_nine_day_log_shows_the_window_that_matters(nine_days: Path) -> None:
    page = runner.invoke(app, ["report", "--format", "html", str(nine_days)]).stdout
    document = json.loads(runner.invoke(app, ["report", "--format", "json", str(nine_days)]).stdout)
    svg = svg_of(page)
    ns = "{http://www.w3.org/2000/svg}"
    as_of = datetime.fromisoformat(document["as_of"])
    start = datetime.fromisoformat(svg.get("data-start"))  # type: ignore[arg-type]
    end = datetime.fromisoformat(svg.get("data-end"))  # type: ignore[arg-type]
    width = float(svg.get("data-width"))  # type: ignore[arg-type]
    assert start == as_of - timedelta(days=2)
    latest = max(
        datetime.fromisoformat(u["expected_recovery"])
        for u in document["users"] if u["expected_recovery"]
    )
    assert latest < end <= latest + (latest - start) * 0.021 + timedelta(seconds=1)
    per_hour = width / ((end - start).total_seconds() / 3600)
    timers = [r for r in svg.iter(f"{ns}rect") if r.get("data-kind") == "due"]
    assert len(timers) == sum(1 for u in document["users"] if u["state"] == "waiting") == 4
    for timer in timers:  # a 24 h timer inside the window is a bar, not a dot
        assert float(timer.get("width")) == pytest.approx(24 * per_hour, abs=0.05)  # type: ignore[arg-type]
        assert float(timer.get("width")) >= 80  # type: ignore[arg-type]
    ticks = sorted(float(t.get("x")) for t in svg.iter(f"{ns}text") if t.get("class") == "tick")  # type: ignore[arg-type]
    assert len(ticks) >= 4
    assert min(b - a for a, b in itertools.pairwise(ticks)) >= 60
    # the users drawn whose failures lie before the window: each says when, and the note counts
    drawn = [u for u in document["users"] if u["state"] in ("waiting", "overdue", "failed")][:40]
    off = [
        u for u in drawn
        if u["first_failure"] and datetime.fromisoformat(u["first_failure"]) < start
    ]
    (note,) = [attrs for tag, attrs in parse(page).tags if attrs.get("data-left-out")]
    assert note["data-left-out"] == str(len(off)) == "7"
    assert "7 users drawn failed before the picture's left edge" in page
    arrows = [t for t in svg.iter(f"{ns}text") if t.get("data-kind") == "off-left"]
    assert len(arrows) == 7 and all((t.text or "").startswith("◂ last failure ") for t in arrows)
    circles = [c for c in svg.iter(f"{ns}circle") if c.get("data-kind") == "failure"]
    assert all(float(c.get("cx")) > float(svg.get("data-left")) for c in circles)  # type: ignore[arg-type]


def chromium_screenshot(png: Path, width: int, *args: str) -> None:
    """`docs/screenshot.sh`: the page of `logsync ARGS` in headless Chromium, `width` wide."""
    need_tool("chromium")
    result = subprocess.run(
        ["bash", str(ROOT / "docs" / "screenshot.sh"), str(png), str(width), "--", *args],
        capture_output=True,
        timeout=180,
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert result.returncode == 0, result.stderr.decode()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png.read_bytes()[16:20], "big") == width  # the IHDR's width
    assert png.stat().st_size > 20_000


@pytest.mark.needs("chromium", "apt-get install chromium; .ci/run does")
def test_the_demo_page_renders_in_headless_chromium(tmp_path: Path) -> None:
    chromium_screenshot(tmp_path / "report.png", 1000, "report", "--format", "html", DEMO)


@pytest.mark.needs("chromium", "apt-get install chromium; .ci/run does")
def test_a_nine_day_page_renders_in_a_600_px_window(tmp_path: Path, nine_days: Path) -> None:
    chromium_screenshot(tmp_path / "nine.png", 600, "report", "--format", "html", str(nine_days))


def test_timeline_markdown_reads_cleanly_raw() -> None:
    """Issue 27 item 10: `SMS\\_CLOUD\\_USERSYNC … (component\\_started)`, Detail UPNs not code
    spans, and "As of" without "(the log's end)" when the UPN was given in part."""
    document = runner.invoke(app, ["timeline", "--format", "markdown", "bob", DEMO]).stdout
    lines = document.splitlines()
    assert lines[3] == "**As of:** 2026-11-25 16:04:59 -08:00  "  # the log ended 5 minutes ago
    assert "| restart | SMS_CLOUD_USERSYNC started (component_started) |" in lines[11]
    assert "| requested | NotifyAccountAddition `bob@contoso.com` |" in lines[12]
    rows = table_rows(document)
    assert rows[1][2] == "SMS_CLOUD_USERSYNC started (component_started)"
    assert rows[2][2] == "NotifyAccountAddition bob@contoso.com"
    old = runner.invoke(app, ["timeline", "--format", "markdown", "scott", str(SAMPLES / "spec-case")])
    assert old.stdout.splitlines()[3].startswith(
        "**As of:** 2014-09-15 10:24:12 -04:00 (the log's end, 12y "
    )
    # an underscore that could open or close emphasis is still escaped
    assert markdown.text("_x_ a__b SMS_CLOUD") == "\\_x\\_ a\\_\\_b SMS_CLOUD"


def html_rows(page: str) -> list[tuple[str, str, str]]:
    """(UPN, state, stuck since) of each row of the page's user table."""
    body = page.split('<table class="users">', 1)[1].split("</table>", 1)[0]
    return [
        (cells[0], cells[1], cells[3])
        for row in re.findall(r"<tr class=[^>]*>(.*?)</tr>", body)
        for cells in [re.findall(r"<td>(.*?)</td>", row)]
    ]


def test_the_html_report_lists_the_users_asked_for_as_every_format_does() -> None:
    """`--all` lists all 10 users of the demo log and `--user` the one it names, whatever its
    state (SPEC §4 rule 10): the page listed the stuck and failed only, and for `--user 'alice*'`
    said "No user is stuck or failed in the log" and "No findings" though 4 users are stuck."""
    every = runner.invoke(app, ["report", "--all", "--format", "html", DEMO]).stdout
    assert html_rows(every) == [
        ("bob@contoso.com", "waiting", "2026-11-25 09:10:08 -08:00"),
        ("heidi@contoso.com", "waiting", "2026-11-24 10:05:08 -08:00"),
        ("erin@contoso.com", "waiting", "2026-11-25 14:30:09 -08:00"),
        ("ivan@contoso.com", "overdue", "2026-11-24 08:20:08 -08:00"),
        ("dave@contoso.com", "failed", "2026-11-24 13:15:09 -08:00"),
        ("frank@contoso.com", "pending", "–"),
        ("carol@contoso.com", "recovered", "2026-11-24 07:40:08 -08:00"),
        ("alice@contoso.com", "synced", "–"),
        ("grace@contoso.com", "synced", "–"),
        ("Mallory.Admin@Contoso.com", "synced", "–"),
    ]
    assert "<h2>Users</h2>" in every
    stuck = runner.invoke(app, ["report", "--format", "html", DEMO]).stdout
    assert [row[0] for row in html_rows(stuck)] == [
        "bob@contoso.com", "heidi@contoso.com", "erin@contoso.com", "ivan@contoso.com",
        "dave@contoso.com",
    ]
    assert "<h2>Stuck and failed users</h2>" in stuck
    alice = runner.invoke(app, ["report", "--user", "alice*", "--format", "html", DEMO]).stdout
    assert html_rows(alice) == [("alice@contoso.com", "synced", "–")]
    assert "No user is stuck" not in alice and "No findings" not in alice
    codes = re.findall(r'<li class="\w+"><b>\w+</b> <code>(\w+)</code>', alice)
    assert codes == ["stuck_users", "overdue_users", "fails_at_every_full_sync"]


def test_a_report_for_some_users_gives_the_log_s_findings_in_every_format() -> None:
    """The findings are the log's, as `summary` gives them, whichever users `--user` lists:
    Markdown said "No findings: the connector looks healthy" for `--user 'alice*'`, beside
    advice to restart for 4 stuck users."""
    page = runner.invoke(app, ["report", "--user", "alice*", "--format", "markdown", DEMO]).stdout
    findings = page.split("## Findings\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [line.split("`")[1] for line in findings] == [
        "stuck_users", "overdue_users", "fails_at_every_full_sync",
    ]
    assert table_rows(page)[1:] == [["alice@contoso.com", "synced", "–", "–", "–", "–", "–"]]
    summary = runner.invoke(app, ["summary", "--format", "json", DEMO]).stdout
    assert [f["code"] for f in json.loads(summary)["findings"]] == [
        "stuck_users", "overdue_users", "fails_at_every_full_sync",
    ]


def test_the_html_page_of_a_stopped_connector_says_its_empty_list_proves_nothing() -> None:
    """The site-logs folder: the connector stopped, no user stuck. The table says that proves
    nothing and Markdown that the connector has a problem; the page said only "No user is stuck
    or failed in the log"."""
    page = runner.invoke(app, ["report", "--format", "html", str(SAMPLES / "site-logs")]).stdout
    assert (
        "<p>No user is stuck or failed in the log.</p>\n"
        '<p class="note"><b>The connector itself has a problem</b> (<code>connector_stopped'
        "</code>): every user it should add waits with it, whether or not the log names them.</p>"
    ) in page


@pytest.mark.parametrize("form", ["markdown", "html", "table"])
def test_a_report_for_users_the_log_does_not_hold_says_so_beside_the_log_s_findings(
    form: str,
) -> None:
    """`--user 'nobody*'`: the list said "No user is stuck or failed in the log" right beside
    the log's own finding that 3 users wait."""
    result = runner.invoke(
        app, ["report", "--color", "never", "--format", form, "--user", "nobody*", DEMO]
    )
    assert "No user of the log is among those asked for (--user)." in result.stdout
    assert "No user is stuck or failed" not in result.stdout
    assert result.stderr.endswith("logsync: --user nobody* matches no user of the log\n")
