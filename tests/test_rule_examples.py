"""Every indicator of every shipped pack runs its own examples."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.mark.parametrize(("pack", "ind"), [(p, i) for p in PACKS for i in p.indicators],
                         ids=lambda x: getattr(x, "id", ""))
def test_every_indicator_has_both_kinds_of_examples(pack: Pack, ind: Indicator) -> None:
    assert ind.examples_pass and ind.examples_fail


@pytest.mark.parametrize(("pack", "ind", "kind", "i", "text"), CASES,
                         ids=[f"{c[1].id}-{c[2]}-{c[3]}" for c in CASES])
def test_example(pack: Pack, ind: Indicator, kind: str, i: int, text: str) -> None:
    found = text_to_indicators(text, pack)
    if kind == "pass":
        assert ind.id in found, f"{ind.id} should find evidence in: {text}"
    else:
        assert ind.id not in found, f"{ind.id} should not find evidence in: {text}"
