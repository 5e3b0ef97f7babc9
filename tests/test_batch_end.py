"""Batches end and clean up (issue #17 items 5, 7): SIGTERM stops a batch with a
summary, SIGKILL leaves no worker behind and --resume loses and duplicates
nothing, a journal that cannot be written stops the batch with exit 2."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import hostile
from runutil import cli_env, run_measured

SENTENCES = ["本公司制定《数据安全管理办法》，明确数据安全责任部门。",
             "报告期内受理客户投诉1,024件，办结率100%。",
             "公司开展反洗钱培训12场，覆盖员工3,000人次。"]


def _reports(folder: Path, count: int) -> list[str]:
    names = []
    for i in range(count):
        name = f"r{i:03d}.txt"
        lines = [SENTENCES[(i + k) % 3] for k in range(200)] + [f"编号{i}。"]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        names.append(name)
    return names


def _start(folder: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "csrscan", "compare", ".", "--jsonl",
                             "out.jsonl", "-f", "csv", "--progress", "none", "-j", "2",
                             "--no-cache", *args], cwd=folder, env=cli_env(folder),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _wait_for_lines(journal: Path, count: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_text(encoding="utf-8").count("\n") >= count:
            return
        time.sleep(0.02)
    raise AssertionError("the batch wrote nothing")


def _gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                status = Path(f"/proc/{pid}/stat").read_text().split()[2]
                if status != "Z":
                    alive.append(pid)
            except (ProcessLookupError, FileNotFoundError):
                pass
        if not alive:
            return True
        time.sleep(0.05)
    return False


def _paths(journal: Path) -> list[str]:
    out = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue  # a line cut by the kill: --resume drops it
        out.append(obj.get("source", {}).get("path") or obj.get("path"))
    return out


def test_sigterm_stops_the_batch_with_a_summary_and_no_worker_left(tmp_path: Path) -> None:
    names = _reports(tmp_path, 80)
    proc = _start(tmp_path)
    _wait_for_lines(tmp_path / "out.jsonl", 3, proc)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + 15, err
    written = len(_paths(tmp_path / "out.jsonl"))
    assert 3 <= written < len(names)
    assert err.splitlines()[-1] == (
        f"csrscan: stopped by SIGTERM after {written} of {len(names)} files; {written} "
        "result(s) of this run are in out.jsonl, --resume goes on from them")
    assert workers and _gone(workers)


def test_sigkill_leaves_no_orphan_and_resume_loses_and_duplicates_nothing(tmp_path: Path
                                                                         ) -> None:
    names = _reports(tmp_path, 80)
    proc = _start(tmp_path)
    _wait_for_lines(tmp_path / "out.jsonl", 3, proc)
    workers = _children(proc.pid)
    proc.kill()
    proc.communicate(timeout=30)
    assert workers and _gone(workers)  # before: orphans ran on for over a minute
    again = _start(tmp_path, "--resume")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert sorted(_paths(tmp_path / "out.jsonl")) == names
    assert sorted(line.split(",")[0] for line in out.splitlines()[1:]) == names


def test_a_journal_that_cannot_be_written_stops_the_batch_with_exit_2(tmp_path: Path) -> None:
    names = _reports(tmp_path, 30)
    size = 300_000  # a few lines of the journal fit (~50 KB each, with quotes), not all

    def small_files() -> None:  # writes past it fail with EFBIG (Python ignores SIGXFSZ)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    proc = subprocess.run([sys.executable, "-m", "csrscan", "compare", ".", "--jsonl",
                           "out.jsonl", "-f", "csv", "--progress", "none", "-j", "1",
                           "--no-cache"], cwd=tmp_path, env=cli_env(tmp_path),
                          capture_output=True, text=True, timeout=120, preexec_fn=small_files)
    assert proc.returncode == 2, proc.stderr
    kept = _paths(tmp_path / "out.jsonl")
    assert 0 < len(kept) < len(names)
    assert proc.stderr == (f"csrscan: error: out.jsonl: cannot write output: File too large; "
                           f"the batch stopped with {len(kept)} result(s) written before it "
                           "kept\n")


def test_a_batch_with_poison_lists_each_and_writes_every_good_row(tmp_path: Path) -> None:
    good = _reports(tmp_path, 36)
    hostile.flate_bomb_pdf(tmp_path, 400)
    hostile.a_line(tmp_path)
    hostile.fifo(tmp_path, "pipe.txt")
    hostile.nested_html(tmp_path, 2_000)
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    pack = hostile.hanging_pack(tmp_path)
    inputs = [*good, "bomb.pdf", "aaa.txt", "pipe.txt", "nested.html", "cut.pdf"]
    run = run_measured(tmp_path, "compare", *inputs, "--rules", pack.name, "-f", "csv",
                       "--jsonl", "out.jsonl", "--progress", "none", "--max-memory", "300MiB",
                       "--timeout", "60", "--no-cache", timeout=240)
    assert run.code == 2
    assert sorted(line.split(",")[0] for line in run.stdout.splitlines()[1:]) == good
    failed = {line.split(": ")[2]: line for line in run.stderr.splitlines()
              if line.startswith("csrscan: failed: ")}
    assert sorted(failed) == ["aaa.txt", "bomb.pdf", "cut.pdf", "nested.html", "pipe.txt"]
    assert "input too large to parse in 300 MiB" in failed["bomb.pdf"]
    assert "ran past its budget of 1 s" in failed["aaa.txt"]
    assert "is a FIFO, not a regular file" in failed["pipe.txt"]
    assert "nests its elements more than 256 deep" in failed["nested.html"]
    assert run.stderr.splitlines()[-1] == "csrscan: 36 scanned, 5 failed"
    assert sorted(_paths(tmp_path / "out.jsonl")) == sorted(inputs)
    assert run.peak_mib < 700  # two workers under their 300 MiB caps, and the parent
