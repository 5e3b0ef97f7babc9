"""Text that bends the normalizer and the segmenter: letters whose lower case
is longer, and a flattened table that runs far past the longest sentence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from checkutil import run

from csrscan.text.segment import MAX_SENTENCE

GOVERNANCE = "本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。"


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def _evidence(name: str) -> list[dict[str, Any]]:
    r = run(name, "-f", "json", "-e", "--all-evidence")
    assert r.exit_code == 0, r.output
    return [e for t in json.loads(r.stdout)["topics"] for i in t["indicators"]
            for e in i["evidence"]]


def test_a_letter_whose_lower_case_is_longer_keeps_lines_aligned(tmp_path: Path) -> None:
    """'İ'.lower() is two characters: quotes and line numbers must not shift."""
    lines = ["# İSTANBUL 分行 2024 年社会责任报告", "", "İzmir 网点与 İstanbul 网点", "",
             GOVERNANCE]
    (tmp_path / "draft.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [(e["line"], e["text"]) for e in _evidence("draft.md")]
    assert (5, GOVERNANCE) in found


def test_a_flattened_table_is_cut_into_pieces_no_longer_than_a_sentence(
        tmp_path: Path) -> None:
    # one paragraph, no full stop: a table read as a line; its first
    # MAX_SENTENCE characters end in a space, and another space follows
    head = "A" * (MAX_SENTENCE - 1) + "  "
    tail = "B" * 50 + GOVERNANCE
    (tmp_path / "table.md").write_text(f"# 报告\n\n{head}{tail}\n", encoding="utf-8")
    texts = [e["text"] for e in _evidence("table.md")]
    assert texts == [tail]  # the piece after the cut starts past both spaces
