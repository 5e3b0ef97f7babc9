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
