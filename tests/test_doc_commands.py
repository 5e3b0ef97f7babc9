"""The documented commands that regenerate docs/ print exactly what is committed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from compare_helpers import ROOT, cli_env


def test_python_m_csrscan_cli_doc_prints_docs_cli_md(tmp_path: Path) -> None:
    """README: `python -m csrscan.cli.doc > docs/cli.md` regenerates the reference,
    the same in a narrow terminal."""
    done = subprocess.run([sys.executable, "-m", "csrscan.cli.doc"], cwd=ROOT,
                          env={**cli_env(tmp_path / "cache"), "COLUMNS": "40"},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
