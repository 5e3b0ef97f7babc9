"""Run the csrscan CLI in a subprocess and measure it: exit code, output, wall
time and the peak RSS of the whole process tree (a wrapper process reads
RUSAGE_CHILDREN, which covers every descendant that was waited for)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# the wrapper: runs csrscan, then reports what it cost on its last line of stderr
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.monotonic()
proc = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write("\\n" + json.dumps({"code": proc.returncode, "peak_kib": peak,
                                     "seconds": time.monotonic() - start}) + "\\n")
"""


@dataclass(frozen=True)
class Measured:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float


def cli_env(cwd: Path) -> dict[str, str]:
    env = dict(os.environ)
    # CSRSCAN_UNDER_TEST: another checkout to measure (benchmarks/fuzz.py, before/after)
    under_test = env.get("CSRSCAN_UNDER_TEST", str(ROOT))
    env["PYTHONPATH"] = under_test + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("CSRSCAN_CACHE_DIR", str(cwd / ".cache"))
    env.pop("CSRSCAN_DEBUG", None)
    return env


def run_measured(cwd: Path, *args: str, timeout: float = 120) -> Measured:
    """`csrscan ARGS` in `cwd`; a run past `timeout` fails the test (a hang)."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "csrscan", *args],
        cwd=cwd, env=cli_env(cwd), capture_output=True, text=True, timeout=timeout)
    head, _, last = proc.stderr.rstrip("\n").rpartition("\n")
    figures = json.loads(last)
    stderr = head[:-1] if head.endswith("\n") else head
    return Measured(figures["code"], proc.stdout, stderr + "\n" if stderr else "",
                    figures["seconds"], figures["peak_kib"] / 1024)
