"""Usage errors as a user meets them: one line, a hint, did-you-mean; a
mistyped command is never read as a report file (issue #14, item 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DRAFT = "# 报告\n\n本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。\n"


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "csrscan", *args], cwd=cwd, text=True,
                          capture_output=True, check=False, env={**os.environ, "COLUMNS": "100"})


@pytest.fixture
def here(tmp_path: Path) -> Path:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("args", "line"), [
    (("chek", "draft.md"), "csrscan: error: unknown command 'chek' (did you mean 'check'?); "
                           "try 'csrscan -h'"),
    (("compar", "draft.md"), "csrscan: error: unknown command 'compar' (did you mean "
                             "'compare'?); try 'csrscan -h'"),
    (("draft.md", "--evidnce"), "csrscan: error: no such option: --evidnce (did you mean "
                                "'--evidence'?); try 'csrscan scan -h'"),
    (("draft.md", "--all-evidnce"), "csrscan: error: no such option: --all-evidnce (did you "
                                    "mean '--all-evidence'?); try 'csrscan scan -h'"),
    (("check", "draft.md", "--requir", "x"), "csrscan: error: no such option: --requir "
                                             "(did you mean '--require'?); "
                                             "try 'csrscan check -h'"),
    # click's own sentences, one clause each: no '.;', its "Did you mean" in brackets
    (("rules", "lst"), "csrscan: error: No such command 'lst' (did you mean 'list'?); "
                       "try 'csrscan rules -h'"),
    (("scan",), "csrscan: error: Missing argument 'REPORT'; try 'csrscan scan -h'"),
])
def test_a_usage_error_is_one_line_with_a_hint(here: Path, args: tuple[str, ...],
                                               line: str) -> None:
    r = _run(here, *args)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [line]
    assert r.stdout == ""


def test_a_file_named_like_a_command_is_still_a_report(here: Path) -> None:
    (here / "chek").write_text(DRAFT, encoding="utf-8")
    r = _run(here, "chek")
    assert r.returncode == 0, r.stderr
    assert "data_security" in r.stdout


def test_all_evidence_alone_quotes_evidence(here: Path) -> None:
    quoted = _run(here, "draft.md", "--all-evidence", "-f", "markdown")
    plain = _run(here, "draft.md", "-f", "markdown")
    assert "数据安全管理制度" in quoted.stdout
    assert "## Evidence" in quoted.stdout and "## Evidence" not in plain.stdout


def test_markdown_quotes_three_a_finding_with_e_and_all_with_all_evidence(here: Path) -> None:
    """-e and --all-evidence mean in Markdown what they mean in the table (README:
    3 per indicator / all); Markdown quoted everything either way."""
    sentences = [f"本公司第{n}次修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。"
                 for n in range(1, 6)]
    (here / "five.md").write_text("# 报告\n\n" + "\n\n".join(sentences) + "\n",
                                  encoding="utf-8")
    some = _run(here, "five.md", "-e", "-f", "markdown").stdout
    every = _run(here, "five.md", "--all-evidence", "-f", "markdown").stdout
    governance = [ln for ln in some.splitlines() if ln.startswith("- `data_security.governance`")]
    assert len(governance) == 4 and governance[-1].endswith(
        "… 2 more (--all-evidence shows all)")
    assert all(s in every for s in sentences) and "more (--all-evidence" not in every
