"""The shape of the code, checked: layer contracts, no import cycle, lint and
types clean, modules small (docs/architecture.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 330  # "about 300": a module past it wants splitting


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)


def test_layer_contracts_hold() -> None:
    """pyproject.toml's [tool.importlinter] contracts: imports flow down only."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is a test dependency"
    proc = _run(exe, "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_even_through_function_level_imports() -> None:
    graph = grimp.build_graph("csrscan")
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(edges) == []


def test_ruff_is_clean() -> None:
    proc = _run(sys.executable, "-m", "ruff", "check", "csrscan", "tests", "benchmarks", "tools")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_is_clean() -> None:
    proc = _run(sys.executable, "-m", "mypy", "csrscan")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_modules_stay_small() -> None:
    big = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "csrscan").rglob("*.py"))
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert big == {}


def test_the_architecture_page_draws_the_contract() -> None:
    """docs/architecture.md shows the layers as pyproject.toml enforces them,
    and names every subpackage."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = contracts["tool"]["importlinter"]["contracts"][0]["layers"]
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawn = page.split("top to bottom")[1].split("```")[1].strip().splitlines()
    assert drawn == [layer.replace("csrscan.", "") for layer in layers]
    for package in sorted(p.parent.name for p in (ROOT / "csrscan").glob("*/__init__.py")):
        assert f"csrscan/{package}/" in page, package


def test_help_loads_no_stage() -> None:
    """Every command's module (what `csrscan --help` and any command but
    `scan` import) imports none of the stages (nor their libraries): the
    help stays instant as the package grows."""
    code = ("import sys\nfrom csrscan.cli import root\nroot._register_subcommands()\n"
            "print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True, cwd=ROOT).stdout.split())
    stages = {m for m in loaded if m.startswith(("csrscan.text", "csrscan.match",
                                                 "csrscan.score", "csrscan.parallel",
                                                 "csrscan.ingest.dispatch", "csrscan.ingest.pdf",
                                                 "csrscan.packs", "csrscan.render"))}
    heavy = loaded & {"rjieba", "opencc", "pypdfium2", "lxml", "yaml", "openpyxl", "docx"}
    assert (stages, heavy) == (set(), set())
