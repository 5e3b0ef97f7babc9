"""Generated docs stay true to the code."""

from __future__ import annotations

from pathlib import Path

from csrscan.packs.doc import pack_markdown
from csrscan.packs.select import select_pack

ROOT = Path(__file__).resolve().parent.parent


def test_rules_reference_is_up_to_date() -> None:
    expected = pack_markdown(select_pack("cn-fin-csr"))
    actual = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/rules.md is stale: run `csrscan rules doc > docs/rules.md`"


def test_readme_quickstart_has_exactly_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Quickstart", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[1] == "pip install -e '.[test]' && pytest"
    assert "samples/" in commands[0]


def test_cli_reference_is_up_to_date() -> None:
    from csrscan.cli.doc import cli_markdown

    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    stale = "docs/cli.md is stale: run `python -m csrscan.cli.doc > docs/cli.md`"
    assert actual == cli_markdown(), stale


def test_readme_walkthrough_runs(tmp_path: Path) -> None:
    """The newcomer walk-through, command by command after the install line, in a
    copy of the samples: each command succeeds and leaves what the text promises."""
    import os
    import shutil
    import subprocess
    import sys

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Walk-through", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [ln for ln in block.strip().splitlines() if ln.strip()]
    assert "pip install ." in lines[0]
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(ROOT))
    for line in lines[1:]:
        res = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True,
                             text=True, timeout=300)
        assert res.returncode == 0, (line, res.stderr)
    for page in ("report.html", "compare.html"):
        assert "<svg" in (tmp_path / page).read_text(encoding="utf-8")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "compare.xlsx", read_only=True)["matrix"]
    assert sum(1 for _ in sheet.iter_rows()) >= 4  # the header and the three samples
