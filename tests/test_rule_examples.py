"""Every indicator of every shipped pack runs its own examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from csrscan.errors import RuleError
from csrscan.models import Indicator, Pack
from csrscan.packs.examples import text_to_indicators
from csrscan.packs.load import builtin_rules_dir, load_pack

ROOT = Path(__file__).resolve().parent.parent
PACK_PATHS = sorted(p for p in builtin_rules_dir().iterdir()  # _base: shared grading
                    if not p.name.startswith("_")) + sorted(
    p for p in (ROOT / "samples" / "packs").glob("*") if p.is_dir())
PACKS = [load_pack(p) for p in PACK_PATHS]
CASES = [(pack, ind, kind, i, text)
         for pack in PACKS for ind in pack.indicators
         for kind, texts in (("pass", ind.examples_pass), ("fail", ind.examples_fail))
         for i, text in enumerate(texts)]


@pytest.mark.parametrize("kind", ["pass", "fail"])
def test_a_pack_without_both_kinds_of_examples_is_refused(tmp_path: Path, kind: str) -> None:
    """Every indicator runs pass and fail examples: the schema refuses a pack
    missing either, naming the file and the indicator."""
    mini = (ROOT / "tests" / "fixtures" / "mini-pack.yaml").read_text(encoding="utf-8")
    line = {"pass": "          pass: [公司制定《数据安全管理办法》。]\n",
            "fail": "          fail: [公司持续优化客户服务体验。]\n"}[kind]
    assert line in mini
    path = tmp_path / "pack.yaml"
    path.write_text(mini.replace(line, "", 1), encoding="utf-8")  # alpha.policy's
    with pytest.raises(RuleError, match=rf"pack\.yaml.*alpha\.policy.*{kind}"):
        load_pack(path)


@pytest.mark.parametrize(("pack", "ind", "kind", "i", "text"), CASES,
                         ids=[f"{c[1].id}-{c[2]}-{c[3]}" for c in CASES])
def test_example(pack: Pack, ind: Indicator, kind: str, i: int, text: str) -> None:
    found = text_to_indicators(text, pack)
    if kind == "pass":
        assert ind.id in found, f"{ind.id} should find evidence in: {text}"
    else:
        assert ind.id not in found, f"{ind.id} should not find evidence in: {text}"
