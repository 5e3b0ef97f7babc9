"""Whole-word hits settled without the tokenizer (match/words.py).

A sentence without Han characters is settled without building the rjieba
tokenizer. That shortcut must give what the tokenizer gives: the premise
(every dictionary word but a few holds a Han character) is checked against
jieba's dictionary, and the shortcut against the tokenizer on many texts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import write_pdf
from hypothesis import given, settings
from hypothesis import strategies as st
from zh_text import parity_lines

from csrscan.match import words
from csrscan.match.compiled import HAN, CompiledPack, compile_pack
from csrscan.models import Pack
from csrscan.packs.examples import text_to_indicators
from csrscan.packs.load import load_pack
from csrscan.parallel import forked
from csrscan.text.normalize import normalize_term
from csrscan.text.segment import jieba_class

jieba = pytest.importorskip("jieba")  # a test dependency: its dictionary is rjieba's

ENGLISH = [
    "The bank reports its ESG risks and its anti-money laundering (AML) controls.",
    "KYC checks & OFAC screening covered 100% of new clients in 2023.",
    "Our C++ and C# teams passed the ISO 27001 audit; PCI-DSS is next.",
    "AT&T was named a supplier \u2014 see page 12 \u2019for details\u2019.",
    "Scope 3 emissions, TCFD and UNEP FI: data as of 31.12.2022 \u2022 audited.",
]


def _dictionary_words() -> list[str]:
    path = Path(jieba.__file__).parent / "dict.txt"
    with path.open(encoding="utf-8") as f:
        return [line.split(" ", 1)[0] for line in f]


def test_every_dictionary_word_but_the_listed_ones_holds_a_han_character() -> None:
    hanless = sorted(w for w in _dictionary_words() if not HAN.search(w))
    assert hanless == sorted(words.HANLESS_DICT_WORDS)


def test_rjieba_knows_the_hanless_words_and_no_other_ascii_spelling() -> None:
    engine = jieba_class()()
    assert all(engine.has_word(w) for w in words.HANLESS_DICT_WORDS)
    assert not any(engine.has_word(w) for w in ("at&t", "ESG", "esg", "data", "AML"))


def _with_tokens(text: str, cp: CompiledPack, monkeypatch: pytest.MonkeyPatch
                 ) -> dict[str, int]:
    """whole_word_hits as the tokenizer decides them: term → number of hits."""
    raw = cp.automaton.find_matches_as_indexes(text, overlapping=True)
    with monkeypatch.context() as m:
        m.setattr(words, "_settled_without_tokens", lambda *_: False)
        return {t: len(p) for t, p in words.whole_word_hits(text, raw, cp).items()}


def _without_tokens(text: str, cp: CompiledPack) -> dict[str, int] | None:
    raw = cp.automaton.find_matches_as_indexes(text, overlapping=True)
    if not words._settled_without_tokens(text, raw, cp):
        return None
    return {t: len(p) for t, p in words.whole_word_hits(text, raw, cp).items()}


@pytest.mark.parametrize("line", ENGLISH)
def test_english_sentences_settle_as_the_tokenizer_would(
        line: str, pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    cp = compile_pack(pack)
    text = normalize_term(line)
    settled = _without_tokens(text, cp)
    if any(w in text for w in words.HANLESS_DICT_WORDS):  # c++ (AT&T is at&t here)
        assert settled is None  # a dictionary word without Han: the tokenizer decides
    else:
        assert settled is not None and settled == _with_tokens(text, cp, monkeypatch)


def test_the_english_lines_hold_pack_terms(pack: Pack) -> None:
    cp = compile_pack(pack)
    assert sum(bool(_without_tokens(normalize_term(line), cp)) for line in ENGLISH) >= 3


def test_a_sentence_with_han_characters_goes_to_the_tokenizer(pack: Pack) -> None:
    cp = compile_pack(pack)
    assert _without_tokens(normalize_term("公司的ESG风险管理"), cp) is None


ASCII_TEXT = st.lists(st.sampled_from(
    ["esg", "kyc", "aml", "ofac", "iso 27001", "sdk", "data", "c", "++", "&", "#", "at", "t",
     " ", "-", ".", "/", "12315", "1", "x", "\u2019", "\u2014", "\u2022", "\ufffe", "(", ")"]),
    max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(ASCII_TEXT)
def test_any_text_without_han_settles_as_the_tokenizer_would(text: str) -> None:
    cp = _builtin()
    settled = _without_tokens(text, cp)
    if settled is not None:
        with pytest.MonkeyPatch.context() as m:
            assert settled == _with_tokens(text, cp, m)


def _builtin() -> CompiledPack:
    from csrscan.packs.select import select_pack

    return compile_pack(select_pack(None))


WITHIN_PACK = """pack: {id: w, version: '1.0', name: W}
topics:
  - id: data
    name: Data
    indicators:
      - id: data.breach
        name: Breach
        patterns: [{all: [data, breach], within: 2}]
        examples:
          pass: [No data breach occurred.]
          fail: [Data was kept safe and no breach occurred.]
"""


def test_a_within_pattern_of_ascii_terms_still_counts_tokens(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(WITHIN_PACK, encoding="utf-8")
    p = load_pack(path)
    assert "data.breach" in text_to_indicators("No data breach occurred.", p)
    assert "data.breach" not in text_to_indicators(
        "Data was kept safe by our teams all year and no breach occurred.", p)


SCAN_AND_TELL = """
import json, sys
from csrscan.ingest.options import IngestOptions
from csrscan.packs.select import select_pack
from csrscan.parallel import forked
from csrscan.pipeline import scan_path
from csrscan.text.segment import tokenizer_built
forked.MIN_PAGES_PER_PART = int(sys.argv[3])
report = scan_path(sys.argv[1], select_pack(None), IngestOptions(jobs=int(sys.argv[2])))
print(json.dumps([tokenizer_built(), report.score]))
"""


def _scan_and_tell(path: Path, jobs: int, part: int = forked.MIN_PAGES_PER_PART) -> Any:
    """(whether the full tokenizer was built, the score) of a fresh process's
    scan on `jobs` processes, with parts of at least `part` pages."""
    out = subprocess.run([sys.executable, "-c", SCAN_AND_TELL, str(path), str(jobs), str(part)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_an_english_report_never_builds_the_tokenizer(tmp_path: Path) -> None:
    lines = [ENGLISH[0], ENGLISH[1], ENGLISH[4]]  # no c++: every sentence settles
    pages = [[f"{lines[n % 3]} Complaints were handled within {n + 2} days."]
             for n in range(12)]
    pdf = write_pdf(tmp_path / "en.pdf", pages)
    for jobs, part in ((1, 4), (2, 4), (2, 25)):  # one process; 12 pages split in two; one part
        built, score = _scan_and_tell(pdf, jobs, part)
        assert score > 0 and built is False


def test_a_chinese_report_split_over_processes_builds_it(tmp_path: Path) -> None:
    """Built once before the helpers fork, which inherit it; a Chinese report
    of one part (or on one process) gets by with the partial tokenizer."""
    lines = parity_lines(40)
    pdf = write_pdf(tmp_path / "zh.pdf", [lines[n::10] for n in range(10)])
    assert [_scan_and_tell(pdf, jobs, part)[0] for jobs, part in ((2, 4), (2, 25), (1, 4))] \
        == [True, False, False]


def test_rjieba_itself_has_no_other_word_without_han() -> None:
    """The premise checked on rjieba's own dictionary, not only on jieba's
    file: no character outside U+4E00–U+9FFF is a word, and among short ASCII
    strings only the listed ones are."""
    import itertools
    import string

    engine = jieba_class()()
    singles = (chr(c) for c in range(0x20, 0x10000)
               if not 0x4E00 <= c <= 0x9FFF and not 0xD800 <= c <= 0xDFFF)
    assert [c for c in singles if engine.has_word(c)] == []
    alphabet = string.ascii_letters + string.digits + "&#+.-_%"
    short = ("".join(t) for n in (2, 3) for t in itertools.product(alphabet, repeat=n))
    assert sorted(w for w in short if engine.has_word(w)) == sorted(
        w for w in words.HANLESS_DICT_WORDS if len(w) <= 3)
