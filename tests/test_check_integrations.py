"""The pre-commit hook and the composite GitHub Action, run as far as possible here."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from checkutil import DRAFT_COVERED, DRAFT_PARTIAL, ROOT, write


def _load(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_pre_commit_hook() -> None:
    [hook] = _load(".pre-commit-hooks.yaml")
    assert hook["id"] == "csrscan"
    assert hook["entry"].split() == ["csrscan", "check"]
    files = re.compile(hook["files"])
    assert all(files.search(f) for f in ("a/b.md", "c.docx", "d.txt"))
    assert not any(files.search(f) for f in ("e.pdf", "f.mdx", "g.py"))


def _action_check_script() -> tuple[dict[str, Any], str]:
    action = _load("action.yml")
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    assert any("pip install" in s.get("run", "") for s in steps)
    [step] = [s for s in steps if s.get("id") == "check"]
    return action, step["run"]


def _run_step(script: str, tmp_path: Path, **inputs: str) -> dict[str, str]:
    """Run the action's check step with bash and a `csrscan` shim on PATH."""
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    shim = bindir / "csrscan"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m csrscan "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    out = tmp_path / "github_output"
    out.write_text("", encoding="utf-8")
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT), "GITHUB_OUTPUT": str(out), "GITHUB_ACTIONS": "true",
           "CSRSCAN_CONFIG": "", "CSRSCAN_ARGS": "", "CSRSCAN_UPLOAD": "false",
           "CSRSCAN_SARIF": "csrscan.sarif", "CSRSCAN_FORMAT": "github", **inputs}
    env.pop("GITHUB_STEP_SUMMARY", None)
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    outputs = dict(line.split("=", 1) for line in out.read_text().splitlines() if line)
    outputs["stdout"] = proc.stdout
    return outputs


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_action_check_step(tmp_path: Path) -> None:
    _, script = _action_check_script()
    write(tmp_path / "docs" / "a.md", DRAFT_COVERED)
    write(tmp_path / "docs" / "b.md", DRAFT_PARTIAL)
    ok = _run_step(script, tmp_path, CSRSCAN_FILES="docs/a.md",
                   CSRSCAN_ARGS="--require data_security=covered")
    assert ok["exit-code"] == "0"
    bad = _run_step(script, tmp_path, CSRSCAN_FILES="docs/*.md", CSRSCAN_UPLOAD="true",
                    CSRSCAN_ARGS="--require data_security=covered")
    assert bad["exit-code"] == "1"
    assert "::error file=docs/b.md,line=3,title=csrscan data_security::" in bad["stdout"]
    assert bad["sarif-file"] == "csrscan.sarif"
    assert '"version": "2.1.0"' in (tmp_path / "csrscan.sarif").read_text(encoding="utf-8")
    none = _run_step(script, tmp_path, CSRSCAN_FILES="nothing/*.md")
    assert none["exit-code"] == "2"
