"""Which pattern-word hits are whole words of their sentence, and where.

A term found inside a longer dictionary word may not mean what the term
means (绿色 in 绿色通道), so hits are checked against the sentence's tokens
(the pack's rjieba tokenizer, text/tokens.py). Tokenizing costs, so it is
done only when a sentence needs it: a sentence without Chinese characters is
settled without it (see _settled_without_tokens), so an English report never
builds a tokenizer.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from typing import Any

from csrscan.match.compiled import ANCHOR, ASCII_WORD, HAN, CompiledPack
from csrscan.text.segment import token_starts

# The words of jieba's dictionary without a Han character (U+4E00–U+9FFF);
# tests/test_words.py checks this against the dictionary.
HANLESS_DICT_WORDS = ("AT&T", "C#", "C++", "c#", "c++")

Spans = dict[str, list[int]]  # term → positions of its whole-word hits


def whole_word_hits(text: str, raw: list[tuple[int, int, int]], cp: CompiledPack) -> Spans:
    """Term → token positions, for pattern-word hits that are whole words here.

    A hit whose end cuts through a dictionary word that is not a pack term is
    dropped where that word changes what the term means (_changes_meaning):
    绿色 in 绿色通道, 停催 in 暂停|催收, 合规部 in 合规|部署. Cutting a pack term
    (数据 in 数据安全), a word jieba only guessed (an out-of-vocabulary token
    such as 工作日内) or a word that only adds a modifier in front or a
    one-character suffix (隐私保护 in 个人隐私|保护, 承销 in 承销商) keeps it.
    """
    if _settled_without_tokens(text, raw, cp):
        return _ascii_hits(text, raw, cp)
    engine = cp.engine()
    words, starts = token_starts(engine, text)
    at = dict(zip(starts, itertools.count()))  # token boundary → token index
    terms, kinds, known = cp.terms, cp.kinds, cp.by_term
    spans: Spans = {}
    for i, s, e in raw:
        kind = kinds[i]
        if kind == ANCHOR or (kind == ASCII_WORD and _glued_ascii(text, terms[i], s, e)):
            continue
        first = at.get(s)
        if first is None:  # starts inside a token
            first = bisect_right(starts, s) - 1
            if _cuts(words[first], starts[first], s, e, known, engine):
                continue
        if e not in at:  # ends inside a token
            last = bisect_right(starts, e - 1) - 1
            if _cuts(words[last], starts[last], s, e, known, engine):
                continue
        if (at_term := spans.get(terms[i])) is None:
            spans[terms[i]] = [first]
        else:
            at_term.append(first)
    return spans


def _settled_without_tokens(text: str, raw: list[tuple[int, int, int]],
                            cp: CompiledPack) -> bool:
    """Every hit's fate is known without tokens: no token of the text can be a
    word of the tokenizer's dictionary, so _cuts is false for every hit, and
    no `within` pattern, which measures distances in tokens, has all its terms
    among the hits.

    Every word of jieba's dictionary but HANLESS_DICT_WORDS holds a Han
    character, and so does every word the pack adds but cp.hanless_words:
    text without Han characters and without those few words (English,
    figures, Latin punctuation) holds no dictionary word.
    """
    if HAN.search(text) or any(w in text for w in HANLESS_DICT_WORDS) \
            or any(w in text for w in cp.hanless_words):
        return False
    if cp.within:
        found = {cp.terms[i] for i, _, _ in raw}
        return not any(found >= need for need in cp.within)
    return True


def _ascii_hits(text: str, raw: list[tuple[int, int, int]], cp: CompiledPack) -> Spans:
    """whole_word_hits for a sentence _settled_without_tokens: every hit but
    anchors and glued ASCII terms counts. The positions are character offsets,
    not token indices: only `within` patterns read them, and none of those
    has all its terms here."""
    terms, kinds = cp.terms, cp.kinds
    spans: Spans = {}
    for i, s, e in raw:
        kind = kinds[i]
        if kind == ANCHOR or (kind == ASCII_WORD and _glued_ascii(text, terms[i], s, e)):
            continue
        spans.setdefault(terms[i], []).append(s)
    return spans


def _cuts(word: str, at: int, s: int, e: int, known: dict[str, tuple[int, ...]],
          engine: Any) -> bool:
    """Whether the hit text[s:e] may not cut the token `word` starting at `at`:
    a dictionary word that is not a pack term and changes the term's meaning."""
    return (word not in known and _changes_meaning(at, at + len(word), s, e)
            and bool(engine.has_word(word)))


def _changes_meaning(tok_start: int, tok_end: int, s: int, e: int) -> bool:
    """A word cut by a term changes its meaning when the two share a single
    character (the term's edge belongs to another word: 暂停|催收 for 停催) or
    when the word runs on two or more characters past the term's end (Chinese
    compounds put the head last, so 绿色通道 is a kind of 通道, not of 绿色).
    A modifier in front (个人隐私 for 隐私保护) or a one-character suffix
    (承销商 for 承销) leaves the term's meaning."""
    shared = min(e, tok_end) - max(s, tok_start)
    return shared <= 1 or tok_end - e >= 2


def _glued_ascii(text: str, term: str, start: int, end: int) -> bool:
    """An ASCII term (12386, iso) must not run on into letters or digits (1238600)."""
    before = text[start - 1:start]
    after = text[end:end + 1]
    return (term[:1].isascii() and term[:1].isalnum() and before.isascii() and before.isalnum()) \
        or (term[-1:].isascii() and term[-1:].isalnum() and after.isascii() and after.isalnum())
