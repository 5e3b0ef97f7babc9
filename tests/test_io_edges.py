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


@pytest.mark.parametrize("args", [("draft.md", "-f", "table", "-e"),
                                  ("draft.md", "-f", "json", "-e"),
                                  ("draft.md", "-f", "markdown", "-e"), ("--version",)])
def test_stdout_on_a_full_disk(draft: Path, args: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "csrscan", *args],
                           cwd=draft, text=True, stdout=full, stderr=subprocess.PIPE,
                           check=False)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == \
        "csrscan: error: <stdout>: cannot write output: No space left on device"


@pytest.mark.parametrize("args", [("draft.md",), ("--version",)])
def test_closed_stdout(draft: Path, args: tuple[str, ...]) -> None:
    r = subprocess.run([sys.executable, "-m", "csrscan", *args], cwd=draft, text=True,
                       stderr=subprocess.PIPE, check=False, preexec_fn=lambda: os.close(1))
    assert r.returncode == 2
    assert r.stderr.strip() == "csrscan: error: <stdout>: standard output is closed"


@pytest.mark.parametrize(("name", "text", "args", "line"), [
    ("pack.yaml", f"pack: {{id: big, version: '1', name: big}}\ntopics: []\nx: {HUGE}\n",
     ("draft.md", "--rules", "pack.yaml"), 3),
    (".csrscan.yaml", f"policy:\n  min_score: {HUGE}\n", ("check", "draft.md"), 2),
    ("pyproject.toml", f"[tool.csrscan.policy]\nfail_on = 'error'\nmin_score = {HUGE}\n",
     ("check", "draft.md", "--config", "pyproject.toml"), 3),
    ("pyproject.toml", f"[tool.csrscan]\nx = {HUGE[:2000]}_{HUGE[:3000]}\n",
     ("check", "draft.md"), 2),  # discovered, the digits grouped by "_"
])
def test_a_number_too_long_for_python(draft: Path, name: str, text: str,
                                      args: tuple[str, ...], line: int) -> None:
    (draft / name).write_text(text, encoding="utf-8")
    r = _run(draft, *args)
    assert r.returncode == 2
    assert r.stderr.startswith("csrscan: error: ")
    assert r.stderr.strip().endswith(f"{name}: line {line}: a number has more than 4300 digits")
    assert len(r.stderr.strip().splitlines()) == 1


def test_a_folder_without_reports_is_an_error(draft: Path) -> None:
    (draft / "empty").mkdir()
    (draft / "empty" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    r = _run(draft, "compare", "draft.md", "empty", "-f", "csv")
    assert r.returncode == 2
    assert r.stderr.strip().startswith(
        "csrscan: error: empty: no report file here (looked for .pdf")
    assert r.stdout == ""


# ---- found in review -----------------------------------------------------------------

def test_many_numbered_lists_are_not_page_numbers_forever(draft: Path) -> None:
    """1, 2, 3 lists all through a text: bounded work, no RecursionError."""
    lines = []
    for k in range(1500):
        lines += [f"第{k}组事项", "1", "甲项", "2", "乙项", "3", "丙项"]
    (draft / "lists.txt").write_text("\n".join(lines), encoding="utf-8")
    r = _run(draft, "lists.txt", "-f", "json")
    assert r.returncode == 0, r.stderr


def test_a_pdf_named_docx_is_refused_with_any_jobs(draft: Path) -> None:
    from test_parallel_logging import _pdf

    (draft / "r.docx").write_bytes(_pdf(12))
    one, two = (_run(draft, "r.docx", "-j", jobs) for jobs in ("1", "2"))
    assert one.returncode == two.returncode == 2
    refusal = "csrscan: error: r.docx: is a PDF, not a Word .docx document\n"
    assert one.stderr == two.stderr == refusal


def test_a_journal_cut_inside_a_character_resumes(draft: Path) -> None:
    first = _run(draft, "compare", "draft.md", "--jsonl", "run.jsonl", "-j", "1")
    assert first.returncode == 0, first.stderr
    journal = draft / "run.jsonl"
    journal.write_bytes(journal.read_bytes() + '{"schema": "csrscan.report/1", "公'.encode()[:-1])
    again = _run(draft, "compare", "draft.md", "--jsonl", "run.jsonl", "--resume", "-j", "1")
    assert again.returncode == 0, again.stderr


def test_an_existing_outputs_permissions_are_kept(draft: Path) -> None:
    out = draft / "private.json"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o600)
    assert _run(draft, "draft.md", "-f", "json", "-o", "private.json").returncode == 0
    assert out.stat().st_mode & 0o777 == 0o600 and out.read_text(encoding="utf-8") != "{}"


def test_a_gb18030_manifest_is_read(draft: Path) -> None:
    (draft / "m.csv").write_bytes("path,company,year\ndraft.md,青禾消费金融,2024\n"
                                  .encode("gb18030"))
    r = _run(draft, "compare", "draft.md", "--manifest", "m.csv", "-f", "csv", "-j", "1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1].startswith("draft.md,青禾消费金融,2024,")


def test_a_missing_file_named_like_a_command_is_a_missing_file(draft: Path) -> None:
    r = _run(draft, "check.md")
    assert r.returncode == 2 and r.stderr == "csrscan: error: check.md: no such file\n"


def test_stdin_over_the_limit_is_said_so(draft: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "csrscan", "-", "--max-bytes", "10"], cwd=draft,
                       input=DRAFT, text=True, capture_output=True, check=False)
    assert r.returncode == 2
    assert r.stderr == "csrscan: error: <stdin>: standard input is larger than --max-bytes 10\n"


def test_a_nan_min_score_is_refused(draft: Path) -> None:
    (draft / ".csrscan.yaml").write_text("policy:\n  min_score: .nan\n", encoding="utf-8")
    r = _run(draft, "check", "draft.md")
    assert r.returncode == 2
    assert r.stderr.strip().endswith("key 'policy.min_score': must be a number from 0 to 1, "
                                     "not nan")


@pytest.mark.parametrize("limit,shown", [("1KiB", "1024"), ("1k", "1024"), ("600", "600")])
def test_max_bytes_takes_a_size_as_max_memory_does(draft: Path, limit: str, shown: str) -> None:
    (draft / "big.md").write_text(DRAFT * 50, encoding="utf-8")
    r = _run(draft, "big.md", "--max-bytes", limit)
    size = (draft / "big.md").stat().st_size
    assert r.returncode == 2
    assert r.stderr == (f"csrscan: error: big.md: file is {size} bytes, "
                        f"more than --max-bytes {shown}\n")
    assert _run(draft, "big.md", "--max-bytes", "1GiB").returncode == 0


@pytest.mark.parametrize("limit", ["lots", "0", "-5MiB"])
def test_max_bytes_refuses_what_is_no_limit(draft: Path, limit: str) -> None:
    r = _run(draft, "draft.md", "--max-bytes", limit)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1
    assert "--max-bytes" in r.stderr
