"""The package's modules import each other without cycles, counting every import: at the top, in
functions and under TYPE_CHECKING; and the core knows neither Typer, Rich nor how an atlas is
stored."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "atlascli"
CORE = ("errors", "model", "schema", "text", "tsv", "validate", "query", "search", "insights", "export")


def module_name(path: Path) -> str:
    parts = ["atlascli", *path.relative_to(SRC).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join([*parts[: len(parts) - node.level + 1], base])
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_the_graph_is_read() -> None:
    graph = imports()
    assert "atlascli.model" in graph["atlascli.query"]
    assert "atlascli.store" in graph["atlascli.loader"]  # a function-level import counts


def test_no_import_cycles() -> None:
    graph = imports()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            # a package's __init__ importing its own modules is how packages are made, not a cycle
            if node.startswith(nxt + "."):
                continue
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_the_core_knows_no_ui_and_no_storage_kind() -> None:
    graph = imports()
    for name in CORE:
        used = graph[f"atlascli.{name}"]
        assert not any(m.startswith(("atlascli.cli", "atlascli.render")) for m in used), name
        assert "atlascli.store" not in used and "atlascli.memory" not in used, name
        source = (SRC / f"{name}.py").read_text(encoding="utf-8")
        for word in ("import typer", "import rich", "from rich", "from typer"):
            assert word not in source, (name, word)
