from __future__ import annotations

from pathlib import Path

import pytest

from csrscan import packcache, rules
from csrscan.errors import RuleError

PACK = """pack: {id: tiny, version: '1.0', name: Tiny}
topics:
  - id: demo
    name: 演示
    indicators:
      - id: demo.one
        name: 指标一
        patterns: [{any: [演示词]}]
        examples: {pass: [开展演示词工作。], fail: [开展其他工作。]}
"""


def test_second_load_comes_from_the_cache_and_edits_are_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "tiny.yaml"
    path.write_text(PACK, encoding="utf-8")
    first = packcache.load_pack_cached(path)
    assert list((tmp_path / "cache" / "packs").glob("*.pickle"))

    def refuse(_: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(packcache, "load_pack", refuse)
    assert packcache.load_pack_cached(path) == first
    monkeypatch.setattr(packcache, "load_pack", rules.load_pack)
    path.write_text(PACK.replace("演示词", "新词"), encoding="utf-8")
    edited = packcache.load_pack_cached(path)
    assert edited.indicators[0].patterns[0].terms == ("新词",)


def test_broken_cache_entries_and_bad_packs(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "tiny.yaml"
    path.write_text(PACK, encoding="utf-8")
    entry = tmp_path / "cache" / "packs" / f"{packcache.pack_key(path)}.pickle"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"not a pickle")
    assert packcache.load_pack_cached(path).id == "tiny"
    path.write_text(PACK.replace("any: [演示词]", "any: 演示词"), encoding="utf-8")
    with pytest.raises(RuleError, match="must be array"):
        packcache.load_pack_cached(path)


def test_the_key_follows_the_shape_of_the_pickled_classes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(PACK, encoding="utf-8")
    before = packcache.pack_key(path)
    monkeypatch.setattr(packcache, "_layout", lambda: "a Pack with one more field")
    assert packcache.pack_key(path) != before
