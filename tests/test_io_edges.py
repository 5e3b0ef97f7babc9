"""Standard streams and parsers at their edges: exit 2 with one line naming
the stream or file, never an internal error (issue #17, item 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DRAFT = "# 报告\n\n本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。\n"
HUGE = "9" * 5000  # Python refuses int() of more than 4,300 digits


def _run(cwd: Path, *args: str, **streams: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "csrscan", *args], cwd=cwd, text=True,
                          capture_output="stdout" not in streams, check=False,
                          **streams)  # type: ignore[call-overload]


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def test_closed_stdin(draft: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "csrscan", "-"], cwd=draft, text=True,
                       capture_output=True, check=False, stdin=subprocess.DEVNULL,
                       preexec_fn=lambda: os.close(0))
    assert r.returncode == 2
    assert r.stderr.strip() == "csrscan: error: <stdin>: standard input is closed"


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_stdout_on_a_full_disk(draft: Path, fmt: str) -> None:
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "csrscan", "draft.md", "-f", fmt, "-e"],
                           cwd=draft, text=True, stdout=full, stderr=subprocess.PIPE,
                           check=False)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == \
        "csrscan: error: <stdout>: cannot write output: No space left on device"


def test_closed_stdout(draft: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "csrscan", "draft.md"], cwd=draft, text=True,
                       stderr=subprocess.PIPE, check=False, preexec_fn=lambda: os.close(1))
    assert r.returncode == 2
    assert r.stderr.strip() == "csrscan: error: <stdout>: standard output is closed"


@pytest.mark.parametrize(("name", "text", "args"), [
    ("pack.yaml", f"pack: {{id: big, version: '1', name: big}}\ntopics: []\nx: {HUGE}\n",
     ("draft.md", "--rules", "pack.yaml")),
    (".csrscan.yaml", f"policy:\n  min_score: {HUGE}\n", ("check", "draft.md")),
    ("pyproject.toml", f"[tool.csrscan.policy]\nmin_score = {HUGE}\n",
     ("check", "draft.md", "--config", "pyproject.toml")),
])
def test_a_number_too_long_for_python(draft: Path, name: str, text: str,
                                      args: tuple[str, ...]) -> None:
    (draft / name).write_text(text, encoding="utf-8")
    r = _run(draft, *args)
    assert r.returncode == 2
    assert r.stderr.startswith("csrscan: error: ")
    assert r.stderr.strip().endswith(f"{name}: a number has more than 4300 digits")
    assert len(r.stderr.strip().splitlines()) == 1


def test_a_folder_without_reports_is_an_error(draft: Path) -> None:
    (draft / "empty").mkdir()
    (draft / "empty" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    r = _run(draft, "compare", "draft.md", "empty", "-f", "csv")
    assert r.returncode == 2
    assert r.stderr.strip().startswith(
        "csrscan: error: empty: no report file here (looked for .pdf")
    assert r.stdout == ""
