"""Every exit code the README documents, produced as a user would meet it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DRAFT = ("# 青禾消费金融2024年社会责任报告\n\n"
         "本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。\n")


def _csrscan(cwd: Path, *args: str, env: dict[str, str] | None = None,
             script: str = "") -> subprocess.CompletedProcess[str]:
    """`csrscan ARGS` in a child process; `script` runs first (to plant a bug)."""
    code = f"{script}\nfrom csrscan.cli import run\nrun()\n" if script else None
    cmd = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "csrscan", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def test_0_scanned_and_policy_holds(draft: Path) -> None:
    assert _csrscan(draft, "draft.md").returncode == 0
    assert _csrscan(draft, "check", "draft.md", "--require", "data_security=partial"
                    ).returncode == 0


def test_1_only_when_the_policy_fails(draft: Path) -> None:
    r = _csrscan(draft, "check", "draft.md", "--require", "green_finance=covered")
    assert r.returncode == 1 and "green_finance" in r.stdout


@pytest.mark.parametrize(("args", "files", "words"), [
    (("nosuch.md",), {}, "nosuch.md: no such file"),
    (("draft.md", "--format", "pdf"), {}, "Invalid value for '--format'"),
    (("draft.md", "--rules", "bad.yaml"), {"bad.yaml": "pack: [unclosed\n"}, "bad.yaml"),
    (("check", "draft.md"), {".csrscan.yaml": "policy: {min_score: 2}\n"}, "min_score"),
    (("draft.md", "-o", "no/such/dir/out.txt"), {}, "cannot write output"),
], ids=["input", "usage", "rules", "config", "output"])
def test_2_names_the_file_and_the_cause_in_one_line(
        draft: Path, args: tuple[str, ...], files: dict[str, str], words: str) -> None:
    for name, text in files.items():
        (draft / name).write_text(text, encoding="utf-8")
    r = _csrscan(draft, *args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert words in r.stderr
    assert "Traceback" not in r.stderr


BUG = ("from csrscan import stages\n"
       "def broken(*a, **k):\n    raise ZeroDivisionError('planted')\n"
       "stages.document_to_report = broken\n"
       "import csrscan.pipeline as p\np.document_to_report = broken\n")


def test_3_internal_error_one_line_and_a_traceback_under_debug(draft: Path) -> None:
    r = _csrscan(draft, "draft.md", script=BUG)
    assert r.returncode == 3
    assert r.stderr.strip().splitlines() == [
        "csrscan: internal error: ZeroDivisionError: planted "
        "(set CSRSCAN_DEBUG=1 for a traceback; please report it)"]
    debug = _csrscan(draft, "draft.md", script=BUG, env={"CSRSCAN_DEBUG": "1"})
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "planted" in debug.stderr


READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}  # Linux syscall numbers of read(2)


def _wait_until_reading_stdin(pid: int, deadline: float = 60.0) -> None:
    """Until the child sits in read(0, …): Ctrl-C then interrupts the scan itself,
    however slowly a loaded machine started it."""
    number = READ_SYSCALL.get(os.uname().machine)
    syscall = Path(f"/proc/{pid}/syscall")
    if number is None or not syscall.exists():
        time.sleep(3)  # no way to look: give it time
        return
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        fields = syscall.read_text().split()
        if fields[:2] == [number, "0x0"]:
            return
        time.sleep(0.05)
    raise AssertionError("the child never read standard input")


def test_130_when_interrupted(draft: Path) -> None:
    """Ctrl-C while csrscan waits on standard input."""
    proc = subprocess.Popen([sys.executable, "-m", "csrscan", "-"], cwd=draft,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _wait_until_reading_stdin(proc.pid)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    proc.stdin.close()  # type: ignore[union-attr]
    assert proc.returncode == 130
    assert err.strip() == "csrscan: interrupted"
