"""NormPages → sentences with page/line and context; tokens on demand.

Tokens come from jieba's algorithm and dictionary (the rjieba engine: the
same output as jieba, 30× faster, no load time), in a private tokenizer per
rule pack, with the pack's terms added; the global tokenizer is never touched.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from csrscan import regexcache
from csrscan.models import Context, NormPage, Sentence
from csrscan.text.guard import Budget, Guarded

_TERMINATORS = "。！？!?；;"
_CLOSERS = "”’」』)）\"'"
_SENTENCE = regexcache.compile(rf"[^\n{_TERMINATORS}]*(?:[{_TERMINATORS}]+[{_CLOSERS}]*|\n|$)")
MAX_SENTENCE = 400
_TOC = regexcache.compile(
    r"(\.{3,}|…{2,}|·{3,}|-{4,}|_{4,})\s*\d{1,4}\s*$|^\S.{0,40}?\s{2,}\d{1,4}$")
_ENDS = _TERMINATORS + _CLOSERS + "，,：:"  # a heading ends in none of these
_DIGIT = regexcache.compile(r"\d")
_HEADING = regexcache.compile(
    r"^([一二三四五六七八九十]+[、.]|第[一二三四五六七八九十\d]+[章节部分篇]|"
    r"\(?[一二三四五六七八九十\d]{1,2}[).、]|\d{1,2}(\.\d{1,2})*\s)?.{0,18}$")


def normpages_to_sentences(pages: Sequence[NormPage], index: tuple[str, ...] = (),
                           budget: Budget | None = None) -> tuple[Sentence, ...]:
    """Split every page into located, context-tagged sentences.

    `index`: the pack's index-marker patterns (Grading.index).
    """
    return tuple(itertools.chain.from_iterable(
        page_to_sentences(page, index, budget) for page in pages))


def page_to_sentences(page: NormPage, index: tuple[str, ...] = (),
                      budget: Budget | None = None) -> Iterator[Sentence]:
    """Split one page on sentence punctuation and paragraph breaks."""
    text, orig, number, origin = page.norm, page.orig, page.number, page.origin
    marker = index_marker(index, budget)
    for m in _SENTENCE.finditer(text):
        for start, end in _pieces(text, *m.span()):
            norm = text[start:end]
            yield Sentence(page=number, line=line_at(page, start), start=start, end=end,
                           text=orig[start:end], norm=norm, context=context_of(norm, marker),
                           origin=origin)


@lru_cache(maxsize=8)
def index_marker(patterns: tuple[str, ...], budget: Budget | None = None) -> Guarded | None:
    """The index-marker patterns as one regex that ignores case (None: no markers);
    `budget`: a user pack's file and key, whose regexes search under a time budget."""
    if not patterns:
        return None
    joined = patterns[0] if len(patterns) == 1 else "|".join(f"(?:{p})" for p in patterns)
    return Guarded(joined, re.IGNORECASE, budget)


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Trim whitespace; cut over-long runs (flattened tables) at commas/spaces."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = max(text.rfind(c, start, start + MAX_SENTENCE) for c in "，, \t")
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def line_at(page: NormPage, offset: int) -> int:
    """The source line number holding character `offset` of the page."""
    i = bisect.bisect_right(page.line_starts, offset) - 1
    return page.line_numbers[max(i, 0)] if page.line_numbers else 1


def context_of(norm: str, index: Guarded | None = None) -> Context:
    """Where a sentence stands: body text, or furniture that discloses nothing.

    `index`: index_marker(the pack's Grading.index); None marks no index lines.
    """
    text = norm.strip()
    # cheap necessary conditions first (the index marker has its own guard):
    # both regexes run on every sentence
    if text[-1:].isdigit() and _TOC.search(text):
        return "toc"
    if index is not None and index.search(text):
        return "index"
    if text[-1:] not in _ENDS and _HEADING.match(text) \
            and not _DIGIT.search(text.split(" ", 1)[-1]):
        return "heading"
    return "body"


def jieba_class() -> Any:
    """rjieba's Jieba class, without the package's own default instance.

    `import rjieba` builds a module-level tokenizer (its whole dictionary,
    ~0.15 s) that csrscan never uses; the compiled extension alone is enough.
    """
    import importlib.machinery
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("rjieba")
    folders = spec.submodule_search_locations or [] if spec else []
    for folder in folders:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / f"rjieba{suffix}"
            ext_spec = importlib.util.spec_from_file_location("rjieba.rjieba", path)
            if path.exists() and ext_spec and ext_spec.loader:
                module = importlib.util.module_from_spec(ext_spec)
                ext_spec.loader.exec_module(module)
                return module.Jieba
    import rjieba  # fallback: the package as published

    return rjieba.Jieba


@lru_cache(maxsize=8)
def tokenizer(terms: tuple[str, ...]) -> Any:
    """A private jieba-compatible tokenizer that knows the pack's terms."""
    engine = jieba_class()()
    for term, freq in pack_words(engine, terms):
        engine.add_word(term, freq, None)
    return engine


def tokenizer_built() -> bool:
    """Some pack's tokenizer is built in this process already."""
    return tokenizer.cache_info().currsize > 0


def pack_words(engine: Any, terms: tuple[str, ...]) -> list[tuple[str, int]]:
    """The words a pack adds to a fresh tokenizer, with their frequencies.

    Only unknown terms are added, at the frequency that just joins them: a
    forced high frequency would split longer dictionary words (绿色|通道).
    """
    return [(t, int(engine.suggest_freq(t))) for t in terms
            if len(t) > 1 and not t.isascii() and not engine.has_word(t)]


def tokens(engine: Any, text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for every token of `text`."""
    words, starts = token_starts(engine, text)
    return list(zip(words, starts, starts[1:], strict=False))


def token_starts(engine: Any, text: str) -> tuple[list[str], list[int]]:
    """The tokens of `text` and their start offsets, plus len(text) at the end.

    `cut` and a running sum of lengths cost 40 % less than `tokenize`'s tuples.
    """
    words: list[str] = engine.cut(text)
    starts = list(itertools.accumulate(map(len, words), initial=0))
    if starts[-1] != len(text):  # never seen: cut dropped characters
        triples = list(engine.tokenize(text))
        words = [w for w, _, _ in triples]
        starts = [s for _, s, _ in triples] + [len(text)]
    return words, starts
