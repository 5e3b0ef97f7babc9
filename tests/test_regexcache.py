"""regexcache.compile gives what re.compile gives, from disk the second time."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscan import regexcache

PATTERNS = [
    (r"[\u4e00-\u9fff]+", 0),
    (r"(?P<year>20\d\d)\s*年(?P<what>[^。]{0,8})", 0),
    (r"(?i)esg|tcfd", 0),
    (r"数据安全|个人信息保护|隐私", re.IGNORECASE),
    (r"(?<=[\u3000-\u9fff])\s+(?=[\u3000-\u9fff])", 0),
    (r"^(\d{1,3})\s+\S.{0,38}$", re.MULTILINE),
]
TEXTS = ["2023年完成数据安全评估。", "ESG and TCFD", "公司 建立 制度", "12 概览\n3 x", ""]


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert a == b and a.flags == b.flags and a.groupindex == b.groupindex
    assert a.groups == b.groups and a.pattern == b.pattern
    for text in TEXTS:
        ma, mb = a.search(text), b.search(text)
        assert (ma and (ma.span(), ma.groups())) == (mb and (mb.span(), mb.groups()))


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_compiled_then_served_from_disk_is_re_compile(cache_dir: Path, pattern: str,
                                                     flags: int) -> None:
    first = regexcache.compile(pattern, flags)
    entries = list(cache_dir.rglob("*.re"))
    assert len(entries) == 1  # kept
    served = regexcache.compile(pattern, flags)
    _same(first, re.compile(pattern, flags))
    _same(served, re.compile(pattern, flags))


def test_a_damaged_or_foreign_entry_is_not_used(cache_dir: Path) -> None:
    regexcache.compile(r"[\u4e00-\u9fff]+")
    (entry,) = cache_dir.rglob("*.re")
    entry.write_bytes(b"\x00garbage")
    _same(regexcache.compile(r"[\u4e00-\u9fff]+"), re.compile(r"[\u4e00-\u9fff]+"))
    # an entry naming another pattern (as a digest collision would) is ignored
    other = regexcache._digest(r"\d+", 0)
    entry.rename(entry.with_name(f"{other}.re"))
    regexcache.compile(r"[\u4e00-\u9fff]+")  # rewrites its own entry
    _same(regexcache.compile(r"\d+"), re.compile(r"\d+"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_still_compiles(cache_dir: Path) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        _same(regexcache.compile("年报|报告"), re.compile("年报|报告"))
        assert not list(cache_dir.rglob("*.re"))
    finally:
        cache_dir.chmod(0o700)


def test_an_unwritable_cache_path_still_compiles(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(blocker))
    _same(regexcache.compile("年报|报告"), re.compile("年报|报告"))


def test_a_bad_pattern_raises_as_re_does(cache_dir: Path) -> None:
    with pytest.raises(re.error):
        regexcache.compile("(unclosed")


ATOMS = st.sampled_from(["a", "年", r"\d", r"\s", "[报告]", r"[\u4e00-\u9fff]", ".", "(?:数据)",
                         "(x)", "(?P<n>y)", "^", "$", r"\b"])
PATTERN = st.lists(st.tuples(ATOMS, st.sampled_from(["", "*", "+", "?", "{1,3}"])),
                   min_size=1, max_size=6).map(lambda xs: "".join(a + q for a, q in xs))


@settings(max_examples=60, deadline=None)
@given(PATTERN, st.sampled_from([0, re.IGNORECASE, re.MULTILINE]))
def test_any_pattern_round_trips(tmp_path_factory: pytest.TempPathFactory, pattern: str,
                                 flags: int) -> None:
    folder = tmp_path_factory.mktemp("rc")
    with pytest.MonkeyPatch.context() as m:
        m.setenv("CSRSCAN_CACHE_DIR", str(folder))
        try:
            expected = re.compile(pattern, flags)
        except re.error:  # "nothing to repeat" and the like: raised alike
            with pytest.raises(re.error):
                regexcache.compile(pattern, flags)
            return
        regexcache.compile(pattern, flags)
        _same(regexcache.compile(pattern, flags), expected)


def test_only_the_last_python_builds_are_kept(cache_dir: Path) -> None:
    root = cache_dir / "regex"
    for n in range(6):
        (root / f"old{n}").mkdir(parents=True)
        os.utime(root / f"old{n}", (n, n))
    regexcache.compile("年报")  # a folder for this build: the oldest go
    assert sorted(f.name for f in root.iterdir()) == sorted(
        ["old3", "old4", "old5", regexcache._folder().name])
