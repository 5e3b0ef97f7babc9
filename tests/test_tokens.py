"""The partial tokenizer (text/tokens.py) cuts exactly as the full engine does.

It holds only the dictionary words whose first two characters the texts cut
so far contain (text/lexicon.py), plus a padding word that keeps the
frequency total; these tests hold it to the full engine on our own report
sentences and on runs of random dictionary words (where nearly every
position starts several candidate words), and check the ways it must fall
back to the full engine.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from zh_text import parity_lines

from csrscan.match.sentences import compile_pack
from csrscan.packs.select import select_pack
from csrscan.text import lexicon as lex
from csrscan.text import lexicon_store as store
from csrscan.text.lexicon_store import agrees_with_engine, usable_lexicon
from csrscan.text.segment import tokenizer
from csrscan.text.tokens import PAD, PackTokenizer

EVER = (1 << 62, 1 << 62)  # never past the limits: always the partial engine


@pytest.fixture(scope="module", autouse=True)
def no_full_engine_left() -> Any:
    """This module builds full engines to compare with; later tests in this
    process must not find one built (a scan would then skip the partial one)."""
    yield
    tokenizer.cache_clear()


@pytest.fixture(scope="module")
def terms() -> tuple[str, ...]:
    return compile_pack(select_pack(None)).words


@pytest.fixture(scope="module")
def lexicon() -> lex.Lexicon:
    made = usable_lexicon()
    assert made is not None, "jieba's dict.txt and a writable cache are in the test setup"
    return made


@pytest.fixture(scope="module")
def dictionary() -> dict[str, int]:
    source = lex.dictionary_file()
    assert source is not None
    return lex.read_dictionary(source)


def word_runs(dictionary: dict[str, int], count: int, seed: int = 7) -> list[str]:
    """Runs of 3–15 random dictionary words, some joined by punctuation or digits."""
    rng = random.Random(seed)
    words = sorted(dictionary)
    glue = ["", "", "", "，", "2024", "、", " ", "A"]
    return [rng.choice(glue).join(rng.choices(words, k=rng.randint(3, 15)))
            for _ in range(count)]


def own_lines() -> list[str]:
    texts = [(ROOT / "samples" / name).read_text(encoding="utf-8")
             for name in ("tw_bank_report.txt", "draft_thin.md")]
    return parity_lines(600) + [ln for text in texts for ln in text.splitlines() if ln.strip()]


def test_the_lexicon_holds_jieba_s_dictionary(lexicon: lex.Lexicon,
                                              dictionary: dict[str, int]) -> None:
    assert dict(lexicon.all_words()) == dictionary
    assert lexicon.total == sum(dictionary.values())
    assert agrees_with_engine(lexicon)


@pytest.mark.parametrize("with_terms", [False, True])
def test_partial_cuts_as_the_full_engine(terms: tuple[str, ...], lexicon: lex.Lexicon,
                                         dictionary: dict[str, int], with_terms: bool) -> None:
    pack_terms = terms if with_terms else ()
    full = tokenizer(pack_terms)
    part = PackTokenizer(pack_terms, lambda: lexicon, full_after=EVER)
    texts = own_lines() + word_runs(dictionary, 1500)
    differ = [(t, part.cut(t), full.cut(t)) for t in texts if part.cut(t) != full.cut(t)]
    assert part.partial and not differ, f"{len(differ)} of {len(texts)} differ: {differ[:1]}"
    cut_words = {w for t in texts[::5] for w in part.cut(t)}
    assert all(part.has_word(w) == full.has_word(w) for w in cut_words)
    assert all(part.suggest_freq(w) == full.suggest_freq(w) for w in sorted(cut_words)[::7])
    assert part.tokenize(texts[0]) == list(full.tokenize(texts[0]))


def test_a_long_run_of_texts_moves_to_the_full_engine(terms: tuple[str, ...],
                                                      lexicon: lex.Lexicon,
                                                      dictionary: dict[str, int]) -> None:
    full = tokenizer(terms)
    texts = word_runs(dictionary, 3000, seed=11)
    for limits in ((20_000, 1 << 62), (1 << 62, 100_000)):  # keys, or characters
        part = PackTokenizer(terms, lambda: lexicon, full_after=limits)
        cuts = [part.cut(t) for t in texts]
        assert not part.partial  # past the limit: the full engine took over
        assert cuts == [full.cut(t) for t in texts]


def test_threads_sharing_one_tokenizer_get_the_full_engine_s_cuts(
        terms: tuple[str, ...], lexicon: lex.Lexicon, dictionary: dict[str, int]) -> None:
    """While partial, rjieba refuses a cut during add_word ('Already borrowed')
    and a thread could cut before another added the words it needs: both
    happened before the lock (8 threads: thousands of errors and wrong cuts)."""
    part = PackTokenizer(terms, lambda: lexicon, full_after=EVER)
    full = tokenizer(terms)
    chunks = [word_runs(dictionary, 150, seed=100 + n) for n in range(8)]
    wrong: list[object] = []

    def work(texts: list[str]) -> None:
        for text in texts:
            try:
                if part.cut(text) != full.cut(text):
                    wrong.append(text)
            except RuntimeError as exc:
                wrong.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert part.partial and wrong == []


def test_text_holding_the_padding_word_goes_to_the_full_engine(lexicon: lex.Lexicon) -> None:
    part = PackTokenizer((), lambda: lexicon)
    text = f"数据安全{PAD}个人信息保护"
    assert part.cut(text) == tokenizer(()).cut(text)
    assert not part.partial


def test_no_lexicon_means_the_full_engine() -> None:
    asked: list[None] = []
    part = PackTokenizer(("反催收",), lambda: asked.append(None))  # type: ignore[func-returns-value]
    for text in ("打击反催收黑产", "第二句"):
        assert part.cut(text) == tokenizer(("反催收",)).cut(text)
    assert len(asked) == 1  # asked once; the full engine serves from then on


def test_a_failure_while_feeding_the_engine_leaves_the_full_one(
        terms: tuple[str, ...], lexicon: lex.Lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    """A MemoryError (or Ctrl-C) half-way through adding words would leave the
    partial engine with a wrong total: every later weight off."""
    part = PackTokenizer(terms, lambda: lexicon, full_after=EVER)
    part.cut("数据安全")
    real = lexicon.words
    calls: list[int] = []

    def failing_once(self: lex.Lexicon, keys: Any) -> Any:
        for n, pair in enumerate(real(keys)):
            if n == 50 and not calls:
                calls.append(n)
                raise MemoryError
            yield pair

    monkeypatch.setattr(lex.Lexicon, "words", failing_once)
    text = "本行持续完善消费者权益保护工作机制，开展金融知识普及教育活动。"
    with pytest.raises(MemoryError):
        part.cut(text)
    assert part.cut(text) == tokenizer(terms).cut(text) and not part.partial


def _fake_dictionary(tmp_path: Path, dictionary: dict[str, int], change: str) -> Path:
    """jieba's dict.txt rewritten, the same or with one change."""
    changed = dict(dictionary)
    if change == "reweighed":
        changed["银行"] = 1
    elif change == "dropped":
        del changed["环境保护"]
    elif change == "added":
        changed["一个新词"] = 3
    path = tmp_path / "jieba" / "dict.txt"
    path.parent.mkdir()
    path.write_text("".join(f"{w} {f} n\n" for w, f in changed.items()), encoding="utf-8")
    return path


@pytest.mark.parametrize("change", ["same", "reweighed", "dropped", "added"])
def test_a_dictionary_that_differs_from_rjieba_s_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dictionary: dict[str, int],
        change: str) -> None:
    """jieba's dict.txt the same as rjieba's, or one word reweighed, dropped or
    added: only the same one is used, a refusal is remembered (no rebuild per
    run), and the lexicons of other installs are kept up to three."""
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CSRSCAN_LEXICON_DIR")
    fake = _fake_dictionary(tmp_path, dictionary, change)
    monkeypatch.setattr(lex, "dictionary_file", lambda: fake)
    folder = tmp_path / "cache" / "lexicon"
    folder.mkdir(parents=True)
    olds = [f"{n:032x}.bin" for n in (1, 2, 3)] + [f"{3:032x}-words-{7:032x}.json"]
    users = ["notes.json", "mine.bin"]  # not csrscan's: never touched
    killed = [f".{4:032x}.{n}aa.new" for n in (1, 2)]  # builds killed 2 h / 1 min ago
    for n, name in enumerate(olds + users + killed):
        (folder / name).write_bytes(b"another install's")
        when = time.time() - (7200 if name == killed[0] else 60 if name == killed[1] else 100 - n)
        os.utime(folder / name, (when, when))
    usable_lexicon.cache_clear()
    try:
        made = usable_lexicon()
        usable_lexicon.cache_clear()
        assert (made is not None) is (change == "same")
        stem = lex.signature(fake, store._engine_file())  # type: ignore[arg-type]
        mine = f"{stem}.bin" if change == "same" else f"{stem}.differs"
        left = sorted(p.name for p in folder.iterdir())
        if change == "same":  # the three newest lexicons, and what is not csrscan's
            assert left == sorted([mine, *olds[1:], *users, killed[1]])
        else:
            assert left == sorted([mine, *olds, *users, *killed])
        if change != "same":
            monkeypatch.setattr(lex, "write_lexicon", _never)
            assert usable_lexicon() is None
    finally:
        usable_lexicon.cache_clear()


def test_an_unwritable_cache_folder_costs_no_build(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cache").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CSRSCAN_LEXICON_DIR")
    monkeypatch.setattr(lex, "read_dictionary", _never)
    usable_lexicon.cache_clear()
    try:
        assert usable_lexicon() is None
    finally:
        usable_lexicon.cache_clear()


BUILD = """
import sys
from csrscan.text.lexicon_store import usable_lexicon
made = usable_lexicon()
print(made.total if made else None)
"""


def test_processes_building_at_once_all_get_the_lexicon(tmp_path: Path) -> None:
    env = {**os.environ, "CSRSCAN_CACHE_DIR": str(tmp_path)}
    env.pop("CSRSCAN_LEXICON_DIR")
    procs = [subprocess.Popen([sys.executable, "-c", BUILD], env=env, text=True,
                              stdout=subprocess.PIPE) for _ in range(4)]
    totals = {proc.communicate(timeout=120)[0].strip() for proc in procs}
    assert len(totals) == 1 and totals != {"None"}
    assert [p.suffix for p in (tmp_path / "lexicon").iterdir()] == [".bin"]  # no temporary


def _never(*args: Any) -> None:
    raise AssertionError("rebuilt")


def test_a_cut_short_lexicon_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        lexicon: lex.Lexicon) -> None:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CSRSCAN_LEXICON_DIR")
    usable_lexicon.cache_clear()
    try:
        target = tmp_path / "lexicon" / lexicon.path.name
        target.parent.mkdir()
        target.write_bytes(lexicon.path.read_bytes()[:100_000])
        with pytest.raises(ValueError, match="cut short"):
            lex.open_lexicon(target)
        rebuilt = usable_lexicon()
        assert rebuilt is not None and rebuilt.total == lexicon.total
        assert target.stat().st_size == lexicon.path.stat().st_size
    finally:
        usable_lexicon.cache_clear()


SCAN = """
import json, sys
from csrscan.ingest.options import IngestOptions
from csrscan.packs.select import select_pack
from csrscan.pipeline import scan_path
from csrscan.text import lexicon_store
from csrscan.text.segment import tokenizer_built
if sys.argv[2] == "full":
    lexicon_store.usable_lexicon = lambda: None
report = scan_path(sys.argv[1], select_pack(None), IngestOptions(jobs=1))
print(json.dumps([tokenizer_built(), [(t.topic.id, t.status, t.score) for t in report.topics],
                  [(e.indicator, e.page, e.line, e.text, e.terms) for t in report.topics
                   for r in t.indicators for e in r.evidence]]))
"""


def test_a_short_chinese_report_never_builds_the_full_engine(tmp_path: Path) -> None:
    """…and its report is the one the full engine gives."""
    text = tmp_path / "short.txt"
    text.write_text("\n".join(parity_lines(120)), encoding="utf-8")
    runs = {}
    for mode in ("partial", "full"):
        out = subprocess.run([sys.executable, "-c", SCAN, str(text), mode],
                             capture_output=True, text=True, check=True)
        runs[mode] = json.loads(out.stdout)
    assert runs["partial"][0] is False and runs["full"][0] is True
    assert runs["partial"][1:] == runs["full"][1:]
    assert len(runs["full"][2]) > 20  # evidence found: the tokens were used



def test_only_the_newest_packs_word_lists_are_kept(tmp_path: Path,
                                                   lexicon: lex.Lexicon) -> None:
    copy = tmp_path / lexicon.path.name
    copy.write_bytes(lexicon.path.read_bytes())
    mine = lex.open_lexicon(copy)
    for n in range(lex.KEEP_PACK_WORDS + 3):
        PackTokenizer((f"测试词语{n}",), lambda: mine).cut("测试")
    lists = list(tmp_path.glob(f"{copy.stem}-words-*.json"))
    assert len(lists) == lex.KEEP_PACK_WORDS and copy.exists()


def test_a_first_scan_under_a_small_memory_cap_builds_the_lexicon(tmp_path: Path) -> None:
    """The build needs ~100 MB more than a scan: it runs before the capped child."""
    text = tmp_path / "short.txt"
    text.write_text("\n".join(parity_lines(40)), encoding="utf-8")
    env = {**os.environ, "CSRSCAN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CSRSCAN_LEXICON_DIR")
    run = subprocess.run([sys.executable, "-m", "csrscan", "scan", text.name, "-f", "json",
                          "--max-memory", "100MiB"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert [p.suffix for p in (tmp_path / "cache" / "lexicon").glob("*.bin")] == [".bin"]


def test_a_lexicon_folder_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     lexicon: lex.Lexicon) -> None:
    """$CSRSCAN_LEXICON_DIR: one lexicon for several cache folders (the suite's)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / lexicon.path.name).write_bytes(lexicon.path.read_bytes())
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CSRSCAN_LEXICON_DIR", str(shared))
    monkeypatch.setattr(lex, "read_dictionary", _never)  # found, not built
    usable_lexicon.cache_clear()
    try:
        found = usable_lexicon()
        assert found is not None and found.path == shared / lexicon.path.name
        assert not (tmp_path / "cache").exists()
    finally:
        usable_lexicon.cache_clear()


WHO_BUILDS = """
import os, sys
from csrscan.text import lexicon_store
build = lexicon_store._build
def noted(*args):
    with open("builder.pid", "w") as fh:
        fh.write(str(os.getpid()))
    return build(*args)
lexicon_store._build = noted
print(os.getpid())
from csrscan.cli import run
sys.argv = ["csrscan", *sys.argv[1:]]
run()
"""


@pytest.mark.parametrize("limits", [["--timeout", "60"], ["--max-memory", "300MiB"],
                                    ["--max-memory", "2GiB"]])
def test_who_builds_the_lexicon(tmp_path: Path, limits: list[str]) -> None:
    """Under a time limit or a small memory cap the parent builds it (a first
    run's ~1.4 s and ~150 MB must not count against the child); otherwise the
    scan that needs it does."""
    (tmp_path / "short.txt").write_text("\n".join(parity_lines(20)), encoding="utf-8")
    env = {**os.environ, "CSRSCAN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CSRSCAN_LEXICON_DIR")
    run = subprocess.run([sys.executable, "-c", WHO_BUILDS, "scan", "short.txt", "-f", "json",
                          *limits], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    parent = run.stdout.split("\n", 1)[0]
    builder = (tmp_path / "builder.pid").read_text(encoding="utf-8")
    assert (builder == parent) is (limits != ["--max-memory", "2GiB"])


def test_a_batch_of_english_reports_builds_no_lexicon(tmp_path: Path) -> None:
    """compare's workers use the full tokenizer (built before the warm-up scan)."""
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("We handled 1,200 customer complaints in 2024.\n",
                                     encoding="utf-8")
    env = {**os.environ, "CSRSCAN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CSRSCAN_LEXICON_DIR")
    run = subprocess.run([sys.executable, "-m", "csrscan", "compare", "a.txt", "b.txt",
                          "-f", "csv", "--progress", "none"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert not list((tmp_path / "cache").glob("lexicon/*.bin"))
