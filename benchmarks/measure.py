"""Run a command as a child process; wall time and that child's own peak RSS."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_PDFIUM = """\
import sys
import pypdfium2 as pdfium
pdf = pdfium.PdfDocument(sys.argv[1])
chars = 0
for i in range(len(pdf)):
    page = pdf[i]
    tp = page.get_textpage()
    chars += len(tp.get_text_range())
    tp.close()
    page.close()
print(len(pdf), chars)
"""


GNU_TIME = "/usr/bin/time"  # Debian package `time`
# `python -m`/`-c` put the working directory first on sys.path: run children
# where no csrscan package can shadow the checkout named in PYTHONPATH.
NEUTRAL_CWD = tempfile.gettempdir()


@dataclass(frozen=True, slots=True)
class Run:
    wall: float
    cpu: float  # user + system seconds of the child
    rss_mib: float
    code: int
    stdout: str
    stderr: str


def run(cmd: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """One child run: wall time, CPU time and the child's own peak RSS.

    With GNU time the peak RSS is the command's own (`%M`). Without it, wait4()
    is used, whose ru_maxrss also counts the parent's memory at spawn time
    (Linux carries the pre-exec high-water mark over exec), so it over-reads.
    """
    use_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        full = [GNU_TIME, "-q", "-f", "%U %S %M", "-o", stats.name, *cmd] if use_time else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(list(full), stdout=out, stderr=err, env=env,
                                stdin=subprocess.DEVNULL, cwd=NEUTRAL_CWD)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu, rss_kib = usage.ru_utime + usage.ru_stime, float(usage.ru_maxrss)
        if use_time:
            fields = stats.read().split()[-3:]
            cpu, rss_kib = float(fields[0]) + float(fields[1]), float(fields[2])
        out.seek(0)
        err.seek(0)
        return Run(wall, cpu, rss_kib / 1024, proc.returncode,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def tree_pss_mib(cmd: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Peak memory of a command and all its child processes together (Linux).

    GNU time's peak RSS is that of the largest single process; `--jobs` forks
    helpers, so this sums PSS (shared pages split between the processes that
    share them, so forked copies are not counted twice) over the process
    tree, sampled every 5 ms. Sampling can miss a short peak: a lower bound.
    """
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, stdin=subprocess.DEVNULL, cwd=NEUTRAL_CWD)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_pss_kib(pid) for pid in _process_tree(proc.pid)))
        time.sleep(0.005)
    return peak / 1024


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    tree = [root]
    for pid in tree:
        tree += children.get(pid, [])
    return tree


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def csrscan_env(root: Path = ROOT) -> dict[str, str]:
    """The environment that runs csrscan from checkout `root` (default: this worktree)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    env.pop("CSRSCAN_DEBUG", None)
    # An installed csrscan has byte-compiled modules; a checkout run with
    # PYTHONDONTWRITEBYTECODE (set on some CI images) would compile every
    # module on every run and measure the compiler, not csrscan.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def csrscan_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "csrscan", *args]


def bare_cmd(pdf: Path) -> list[str]:
    return [sys.executable, "-c", BARE_PDFIUM, str(pdf)]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
