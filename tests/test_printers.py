"""The one map of output formats (`logsync.render.printers`): every command's formats are the
map's, every printer in it writes through the command line, and the command line formats
nothing itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.render.printers import PRINTERS, formats

ROOT = Path(__file__).resolve().parent.parent
DEMO = str(ROOT / "sample_logs" / "CloudUserSync.log")
CLI = ROOT / "logsync" / "cli"
runner = CliRunner()

COMMAND_LINES = {
    "report": ["report", DEMO],
    "summary": ["summary", DEMO],
    "timeline": ["timeline", "carol@contoso.com", DEMO],
    "matches": ["timeline", "contoso", DEMO],
    "events": ["events", DEMO],
    "check": ["check", DEMO],
}


def test_the_map_names_every_format_of_every_command() -> None:
    assert {document: formats(document) for document in PRINTERS} == {
        "report": ("table", "text", "json", "ndjson", "csv", "markdown", "html"),
        "summary": ("table", "text", "json", "markdown", "html"),
        "timeline": ("table", "text", "json", "ndjson", "csv", "markdown"),
        "matches": ("table", "text", "json", "ndjson", "csv", "markdown"),
        "events": ("table", "text", "json", "ndjson", "csv"),
        "check": ("text", "json", "markdown"),
        "watch": ("table", "text", "ndjson"),
    }


@pytest.mark.parametrize(
    ("command", "document"),
    [("report", "report"), ("summary", "summary"), ("timeline", "timeline"),
     ("events", "events"), ("check", "check"), ("watch", "watch")],
)
def test_a_format_outside_the_map_is_refused_naming_the_maps_formats(
    command: str, document: str
) -> None:
    args = [command, "--format", "yaml", *(["x@contoso.com"] if command == "timeline" else [])]
    result = runner.invoke(app, [*args, DEMO])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"logsync: error: --format: 'yaml' is not one of {', '.join(formats(document))}\n"
    )


@pytest.mark.parametrize(
    ("document", "fmt"),
    [(doc, fmt) for doc, printers in PRINTERS.items() if doc != "watch" for fmt in printers],
)
def test_every_printer_of_the_map_writes_its_document(document: str, fmt: str) -> None:
    """(watch's printers follow a live log until stopped: tests/test_watch.py runs them)"""
    args = COMMAND_LINES[document]
    result = runner.invoke(app, [args[0], "--format", fmt, "--color", "never", *args[1:]])
    assert result.exit_code == (1 if document in ("matches", "check") else 0), result.stderr
    assert result.stdout.strip()
    if document == "matches":
        assert result.stdout.count("@contoso.com") >= 2


def _formatting(node: ast.AST) -> str | None:
    """What in `node` formats output, if anything."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.JoinedStr):
            return "an f-string"
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and inner.func.attr in ("join", "format", "dumps", "dump", "writer", "DictWriter")
        ):
            return f".{inner.func.attr}()"
    return None


def test_the_command_line_formats_no_output_itself() -> None:
    """cli/ parses options, calls the library and a printer, and maps the outcome to an exit
    code: it imports no json or csv and no printer's own module, prints nothing, and writes
    nothing formatted but its notes on stderr."""
    found = []
    for path in sorted(CLI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.name}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import):
                found += [f"{where} import {a.name}" for a in node.names if a.name in ("json", "csv")]
            elif isinstance(node, ast.ImportFrom):
                names = {a.name for a in node.names}
                module = node.module or ""
                if module in ("json", "csv") or (
                    module == "render" and names & {"human", "machine", "markdown", "html"}
                ) or module.startswith(("render.human", "render.machine", "render.markdown",
                                        "render.html")):
                    found.append(f"{where} from {module} import {', '.join(sorted(names))}")
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                target = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
                if name == "print":
                    found.append(f"{where} {ast.unparse(node)}")
                elif name in ("write", "echo") and "stderr" not in target:
                    how = next(filter(None, map(_formatting, node.args)), None)
                    if how is not None:
                        found.append(f"{where} {target}.{name} of {how}")
    assert found == []
