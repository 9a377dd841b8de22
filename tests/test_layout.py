"""The shape of the package (issue 27): no import circle, no module longer than one sitting's
reading, and no module of the tracker or the health summary reading another object's private
attributes."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "logsync"
ROOMS = ("tracker", "health")
"""The packages whose shape these tests hold."""
MAX_LINES = 450
NAMED_TUPLE_API = frozenset({"_replace", "_asdict", "_fields", "_make"})
"""Attributes with an underscore that are a named tuple's public face."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room_files() -> list[Path]:
    """The modules of each room, a package or a module."""
    return sorted(
        path
        for room in ROOMS
        for path in [*(PACKAGE / room).glob("*.py"), PACKAGE / f"{room}.py"]
        if path.is_file()
    )


def import_graph() -> dict[str, set[str]]:
    """Which modules of the package each module imports, wherever in it (in a function or
    under TYPE_CHECKING too): `from . import x` and `from .x import y` both name `x`."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    # a native extension is a module too (a leaf: it imports nothing of the package)
    extensions = {module_name(path) for path in PACKAGE.rglob("*.c")}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                # `from . import x` of a module x depends on x alone (its package, an ancestor,
                # is always imported first); of a name, on the module that defines it
                submodules = [f"{target}.{alias.name}" for alias in node.names]
                named = [name for name in submodules if name in paths or name in extensions]
                if len(named) < len(submodules):
                    named.append(target)
            elif isinstance(node, ast.Import):
                named = [alias.name for alias in node.names]
            else:
                continue
            graph[name].update(other for other in named if other in paths and other != name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                other = stack.pop()
                component.add(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_an_import_inside_a_function() -> None:
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert circles(graph) == [{"a", "b"}]
    assert import_graph()["logsync.tracker"] >= {"logsync.tracker.rules"}  # (in __getattr__)


def test_no_module_of_the_package_is_in_an_import_circle() -> None:
    """Not even through an import inside a function or under TYPE_CHECKING (issue 27: the
    tracker's rules and outlook imported each other inside four methods)."""
    assert [sorted(circle) for circle in circles(import_graph())] == []


def test_no_module_of_the_package_is_too_long_to_read_in_one_sitting() -> None:
    long = {
        module_name(path): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("path", room_files(), ids=lambda path: module_name(path))
def test_each_module_imports_first_in_a_fresh_interpreter(path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module_name(path)}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_no_module_of_the_tracker_or_health_is_too_long_to_read_in_one_sitting() -> None:
    long = {
        module_name(path): lines
        for path in room_files()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_module_reads_the_private_attributes_of_another_object() -> None:
    reads = [
        f"{module_name(path)}:{node.lineno} {ast.unparse(node)}"
        for path in room_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and node.attr not in NAMED_TUPLE_API
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    ]
    imports = [
        f"{module_name(path)}:{node.lineno} {alias.name}"
        for path in room_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and node.level  # a sibling's private name
    ]
    assert (reads, imports) == ([], [])


def _type_checking(test: ast.expr) -> bool:
    """Whether an `if` tests `TYPE_CHECKING` (or `typing.TYPE_CHECKING`)."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def run_time_uses_of_type_only_names(tree: ast.Module, commands: bool = False) -> list[tuple[int, str]]:
    """Where a module uses, outside annotations, a name it imports only under `TYPE_CHECKING`
    (and nowhere else; its `else:` runs): a `NameError` on the one branch that reaches it.
    `commands`: the annotations of a decorated function are used too (typer reads a command's
    annotations when it runs)."""
    checking = [node for node in ast.walk(tree) if isinstance(node, ast.If) and _type_checking(node.test)]
    typed = {id(sub) for block in checking for part in block.body for sub in ast.walk(part)}
    imported: dict[str, bool] = {}  # (each name imported: whether only for type checking)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                name = (alias.asname or alias.name).split(".")[0]
                imported[name] = imported.get(name, True) and id(node) in typed
    read = {  # (the annotations typer reads: each parameter's of a command)
        id(sub) for node in ast.walk(tree)
        if commands and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.decorator_list
        for arg in node.args.args + node.args.kwonlyargs if arg.annotation is not None
        for sub in ast.walk(arg.annotation)
    }
    for node in ast.walk(tree):
        annotation = [getattr(node, "annotation", None), getattr(node, "returns", None)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "cast":
            annotation.append(node.args[0])
        typed |= {id(sub) for part in annotation if part is not None for sub in ast.walk(part)} - read
    return [
        (node.lineno, node.id) for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        and imported.get(node.id) and id(node) not in typed
    ]


def test_no_module_uses_at_run_time_a_name_it_imports_for_type_checking() -> None:
    """`timedelta(0)`, imported for type checking only, ran where the machine's clock is in UTC
    (exit 70)."""
    uses = {
        module_name(path): found for path in PACKAGE.rglob("*.py")
        if (found := run_time_uses_of_type_only_names(
            ast.parse(path.read_text(encoding="utf-8")), commands=path.parent.name == "cli"
        ))
    }
    assert uses == {}


def test_a_run_time_use_of_a_type_only_name_is_found() -> None:
    source = (
        "from typing import TYPE_CHECKING, cast\nif TYPE_CHECKING:\n    from datetime import timedelta, tzinfo\n"
        "def f(x: timedelta) -> tzinfo:\n    return cast(tzinfo, x or timedelta(0))\n"
    )
    assert run_time_uses_of_type_only_names(ast.parse(source)) == [(5, "timedelta")]
    other = "import typing\nif typing.TYPE_CHECKING:\n    from a import A\nelse:\n    from b import A\nx = A()\n"
    assert run_time_uses_of_type_only_names(ast.parse(other)) == []  # (its `else:` imports it)
    qualified = "import typing\nif typing.TYPE_CHECKING:\n    from a import A\nx = A()\n"
    assert run_time_uses_of_type_only_names(ast.parse(qualified)) == [(4, "A")]
    command = "if TYPE_CHECKING:\n    from a import A\n@app.command()\ndef run(x: A) -> A: ...\n"
    assert run_time_uses_of_type_only_names(ast.parse(command)) == []
    assert run_time_uses_of_type_only_names(ast.parse(command), commands=True) == [(4, "A")]
