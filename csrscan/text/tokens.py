"""A pack's tokenizer that loads only the dictionary words its texts can hold.

jieba's tokens depend on the dictionary only through the words that occur
inside the text being cut (the candidate words at each position) and the
dictionary's frequency total (every word's weight is its frequency over the
total). So an rjieba engine that holds, with their frequencies, every
dictionary word whose first two characters occur in the texts cut so far,
plus the pack's words, plus one padding word that no Chinese run can contain
and whose frequency brings the total to the full engine's, cuts every text
exactly as the full engine does. Loading those words from the lexicon
(text/lexicon.py, built by text/lexicon_store.py, which also makes each
pack's tokenizer) costs a few milliseconds for a page, where building the
full engine costs 0.1–0.2 s. Once a process has looked up more than the full
build would cost, it builds the full engine and uses that; so do long PDFs
and batches from the start (match/compiled.py warm_matcher).

Without a usable lexicon (no jieba dict.txt, no writable cache folder, a
dictionary that disagrees with rjieba's) the full engine serves every text:
the same tokens, more slowly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from csrscan.text import lexicon as lex
from csrscan.text.segment import jieba_class, pack_words, tokenizer

# Two characters from a private-use plane: outside every run of characters jieba
# looks words up for, so the padding word is never a candidate of any text.
PAD = "\U000f0000\U000f0001"
# ~the full build's cost (0.1–0.2 s): 16,000 keys (characters and pairs of
# characters) looked up, or the per-text lookup (~0.2 µs a character) over
# 400,000 characters; past either, the full engine serves the rest.
FULL_AFTER_KEYS = 16_000
FULL_AFTER_CHARS = 400_000


class PackTokenizer:
    """`cut`, `tokenize`, `has_word` and `suggest_freq` as the full engine with
    the pack's `terms` added (segment.tokenizer) gives them.

    Safe to share between threads: while partial, looking words up and cutting
    hold a lock (rjieba refuses a cut while words are being added)."""

    def __init__(self, terms: tuple[str, ...],
                 lexicon: Callable[[], lex.Lexicon | None],
                 full_after: tuple[int, int] = (FULL_AFTER_KEYS, FULL_AFTER_CHARS),
                 keep_words: bool = True) -> None:
        self._terms = terms
        self._open_lexicon = lexicon  # called on the first text: a full build never opens it
        self._full_after = full_after
        self._keep_words = keep_words  # the pack words' frequencies to the cache folder
        self._lock = threading.Lock()
        self._usable = True  # False once feeding the partial engine failed: full from then on
        self._full: Any = None
        self._part: Any = None  # the engine holding the words looked up so far
        self._lexicon: lex.Lexicon | None = None
        self._keys: set[int] = set()
        self._chars = 0  # characters looked up
        self._added = 0  # the looked-up words' frequencies, summed
        self._total = 0  # the full engine's total, held by the padding word

    def cut(self, text: str) -> list[str]:
        words: list[str] = self._with_engine(text, lambda e: e.cut(text))
        return words

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        return self._with_engine(text, lambda e: list(e.tokenize(text)))  # type: ignore[no-any-return]

    def has_word(self, word: str) -> bool:
        return bool(self._with_engine(word, lambda e: e.has_word(word)))

    def suggest_freq(self, word: str) -> int:
        return int(self._with_engine(word, lambda e: e.suggest_freq(word)))

    def full(self) -> Any:
        """The full engine (built now if not yet): from now on it serves every text."""
        if self._full is None:
            with self._lock:
                if self._full is None:
                    self._full = tokenizer(self._terms)
                    self._part, self._keys = None, set()
        return self._full

    @property
    def partial(self) -> bool:
        """Whether texts are cut by the engine of looked-up words (not the full one)."""
        return self._full is None and self._part is not None

    def _with_engine(self, text: str, run: Callable[[Any], Any]) -> Any:
        if self._full is None:
            with self._lock:
                try:
                    part = self._partial_for(text)
                except BaseException:  # MemoryError, Ctrl-C: a half-fed engine weighs wrongly
                    self._part, self._keys, self._usable = None, set(), False
                    raise
                if part is not None:
                    return run(part)  # under the lock: no words added meanwhile
        return run(self.full())

    def _partial_for(self, text: str) -> Any:
        """The partial engine, holding every word `text` can hold (None: the full one)."""
        if self._full is not None or not self._usable or PAD[0] in text:
            return None
        if self._lexicon is None:
            self._lexicon = self._open_lexicon()
            if self._lexicon is None or any(PAD[0] in t for t in self._terms):
                return None
            self._start(self._lexicon)
        self._look_up(self._lexicon, text)
        keys, chars = self._full_after
        return self._part if len(self._keys) <= keys and self._chars <= chars else None

    def _start(self, lexicon: lex.Lexicon) -> None:
        """An engine with the pack's words, at the frequencies the full engine gives them."""
        self._part = jieba_class().empty()
        self._total = lexicon.total
        added = lex.cached_pack_words(lexicon, self._terms)
        if added is None:  # computed here, on the dictionary alone, as segment.pack_words does
            self._look_up(lexicon, "\n".join(self._terms))
            added = pack_words(self._part, self._terms)
            if self._keep_words:
                lex.keep_pack_words(lexicon, self._terms, added)
        for word, freq in added:
            self._part.add_word(word, freq, None)
        self._added += sum(freq for _, freq in added)
        self._total += sum(freq for _, freq in added)
        self._pad()

    def _look_up(self, lexicon: lex.Lexicon, text: str) -> None:
        self._chars += len(text)
        new = [key for key in lex.keys_in(text) if key not in self._keys]
        if not new:
            return
        add = self._part.add_word
        for word, freq in lexicon.words(new):
            add(word, freq, None)
            self._added += freq
        self._keys.update(new)
        self._pad()

    def _pad(self) -> None:
        self._part.add_word(PAD, self._total - self._added, None)

