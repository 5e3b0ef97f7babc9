"""Run the csrscan CLI from a corpus folder, in a subprocess or in-process (compare tests)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def cli_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["CSRSCAN_CACHE_DIR"] = str(cache)
    env.pop("CSRSCAN_DEBUG", None)
    # tables are as wide as COLUMNS says: one width, whatever ran before in
    # this process or the runner's terminal (a test of narrow widths sets its own)
    env["COLUMNS"] = "160"
    return env


def run_cli(cwd: Path, *args: str, cache: Path | None = None, timeout: float = 120
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "csrscan", *args], cwd=cwd,
                          env=cli_env(cache or cwd / "cache"), capture_output=True,
                          text=True, timeout=timeout)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_main(cwd: Path, *args: str, cache: Path | None = None) -> Result:
    """Run `csrscan ARGS` in this process (fast: imports and tokenizer stay warm)."""
    from csrscan.cli.root import main

    out, err = io.StringIO(), io.StringIO()
    old_cwd, old_env = os.getcwd(), os.environ.get("CSRSCAN_CACHE_DIR")
    os.environ["CSRSCAN_CACHE_DIR"] = str(cache or cwd / "cache")
    os.chdir(cwd)
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        os.chdir(old_cwd)
        if old_env is None:
            os.environ.pop("CSRSCAN_CACHE_DIR", None)
        else:
            os.environ["CSRSCAN_CACHE_DIR"] = old_env
    return Result(code, out.getvalue(), err.getvalue())
