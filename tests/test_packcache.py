from __future__ import annotations

import sys
from pathlib import Path

import pytest

from csrscan.errors import RuleError
from csrscan.packs import cache as packcache
from csrscan.packs import load as rules
from csrscan.packs.select import select_pack

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
    entry = tmp_path / "cache" / "packs" / f"pack-{packcache.pack_key(path)}.pickle"
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


def _compiled_entries(root: Path) -> list[Path]:
    return sorted((root / "packs").glob("compiled-*.pickle"))


def test_compiled_pack_is_kept_and_matches_as_a_fresh_compile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csrscan.match import compiled as match_pack
    from csrscan.pipeline import scan_path

    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    pack = select_pack(None, ())
    sample = Path(__file__).parents[1] / "samples" / "huixin_consumer_finance_2024.pdf"
    match_pack.compile_pack.cache_clear()
    try:
        fresh = scan_path(sample, pack)
        assert len(_compiled_entries(tmp_path / "cache")) == 1

        def refuse(_: object) -> None:
            raise AssertionError("compiled again")

        monkeypatch.setattr(match_pack, "_compile_index", refuse)
        match_pack.compile_pack.cache_clear()
        assert scan_path(sample, pack) == fresh  # every piece of evidence, from the kept index
        assert sum(len(r.evidence) for t in fresh.topics for r in t.indicators) > 30
    finally:
        match_pack.compile_pack.cache_clear()  # later tests compile with the real function


def test_compiled_entries_follow_the_pack_and_stay_few(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "tiny.yaml"
    built: list[str] = []

    def build(pack: object) -> str:
        built.append("x")
        return "index"
    for n in range(packcache.KEEP_ENTRIES + 3):
        path.write_text(PACK.replace("演示词", f"演示词{n}"), encoding="utf-8")
        pack = packcache.load_pack_cached(path)
        assert packcache.load_or_build("compiled", pack, build, str) == "index"
        assert packcache.load_or_build("compiled", pack, build, str) == "index"
    assert len(built) == packcache.KEEP_ENTRIES + 3  # once per distinct pack
    assert len(_compiled_entries(tmp_path / "cache")) == packcache.KEEP_ENTRIES
    for old in _compiled_entries(tmp_path / "cache"):
        old.write_bytes(b"broken")
    assert packcache.load_or_build("compiled", pack, build, str) == "index"
    assert len(built) == packcache.KEEP_ENTRIES + 4  # a broken entry is built again


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is Linux's")
@pytest.mark.parametrize("xdg", [None, "", "/tmp/xdg-cache-here"])
def test_default_cache_folder_is_platformdirs_own(xdg: str | None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from csrscan.cachedir import cache_root

    monkeypatch.delenv("CSRSCAN_CACHE_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_root() == Path(platformdirs.user_cache_dir("csrscan", appauthor=False))
