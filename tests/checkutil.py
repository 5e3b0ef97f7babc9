"""Helpers for the `csrscan check` tests: drafts written by the tests, a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner, Result

from csrscan.cli.root import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# data_security covered: governance (measure), technical (performance), incidents.
DRAFT_COVERED = """# 某某消金 2025 年度社会责任报告（草稿）

## 数据安全与个人信息保护

本公司制定《数据安全管理办法》，明确数据安全责任部门与岗位职责。

本年度开展渗透测试15次，修复中高危漏洞全部完成。

报告期内，公司未发生重大数据泄露事件。
"""

# data_security partial: one indicator only.
DRAFT_PARTIAL = """# 某某消金 2025 年度社会责任报告（草稿）

## 数据安全与个人信息保护

本公司制定《数据安全管理办法》，明确数据安全责任部门与岗位职责。
"""

# data_security missing: nothing about it.
DRAFT_NONE = """# 某某消金 2025 年度社会责任报告（草稿）

## 关于我们

本公司持续优化客户服务体验，坚持稳健经营。

## 数据安全与个人信息保护

本节内容待补充。
"""


entry = typer.Typer(add_completion=False)


@entry.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                 "allow_interspersed_args": False, "help_option_names": []})
def _entry(ctx: typer.Context) -> None:
    """Run csrscan's real entry point (error → exit-code mapping included)."""
    main(list(ctx.args))


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(entry, list(args), env=env, catch_exceptions=False)


def run_process(*args: str, cwd: Path, env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "csrscan", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=120)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def isolate(monkeypatch: Any, tmp_path: Path) -> None:
    """Run in tmp_path with its own cache and no CI environment (GitHub's
    variables change check's default format and add a step summary)."""
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    """A .docx draft with one paragraph a string (python-docx, at test time)."""
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(path))
    return path
