"""The lexicon in the cache folder: built once, checked against rjieba, pruned.

`lexicon/<signature>.bin` is built from the `jieba` package's dict.txt and
checked against rjieba's own tokenizer before it is put in place (so no
process opens one half-checked); `<signature>.differs` records a dictionary
that disagrees, so that no later process builds it again. The signature
follows the installed jieba and rjieba; the lexicons of the three
installs built last are kept (two virtual environments sharing a cache do
not rebuild each other's). `pack_tokenizer` gives each pack its tokenizer
over the lexicon (text/tokens.py).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from csrscan.cachedir import cache_root
from csrscan.text import lexicon as lex
from csrscan.text.segment import jieba_class, tokenizer_built
from csrscan.text.tokens import PackTokenizer

KEEP_LEXICONS = 3
LEXICON_DIR_VAR = "CSRSCAN_LEXICON_DIR"


def pack_tokenizer(terms: tuple[str, ...]) -> PackTokenizer:
    """The pack's tokenizer: partial while the lexicon can serve, else full (a
    process that built a full engine already, a batch's worker, keeps to full)."""
    made = PackTokenizer(terms, lambda: usable_lexicon())
    if tokenizer_built():
        made.full()
    return made


@lru_cache(maxsize=1)
def usable_lexicon() -> lex.Lexicon | None:
    """The lexicon of the installed dictionary, built and checked on first use;
    None when it cannot be (no jieba, no writable cache folder, no memory to
    build it) or disagrees with rjieba's dictionary."""
    source, engine_file = lex.dictionary_file(), _engine_file()
    if source is None or engine_file is None:
        return None
    folder = lexicon_folder()
    path = folder / f"{lex.signature(source, engine_file)}.bin"
    with contextlib.suppress(OSError, ValueError):
        return lex.open_lexicon(path)
    try:
        if path.with_suffix(".differs").exists() or not _writable(folder):
            return None
        return _build(source, path)
    except (OSError, ValueError, MemoryError):  # MemoryError: a --max-memory too small to build
        return None


def lexicon_folder() -> Path:
    """$CSRSCAN_LEXICON_DIR (one lexicon shared by several cache folders, such
    as a test suite's), else `lexicon/` in the cache folder."""
    explicit = os.environ.get(LEXICON_DIR_VAR, "").strip()
    return Path(explicit) if explicit else cache_root() / "lexicon"


def _build(source: Path, path: Path) -> lex.Lexicon | None:
    """Write the lexicon beside `path`, check it, and only then put it in place."""
    fresh = path.with_name(f".{path.stem}.{os.urandom(6).hex()}.new")  # per process and thread
    try:
        lex.write_lexicon(lex.read_dictionary(source), fresh)
        if not agrees_with_engine(lex.open_lexicon(fresh)):
            path.with_suffix(".differs").touch()  # remembered: no later process builds it
            return None
        os.replace(fresh, path)
    finally:
        fresh.unlink(missing_ok=True)
    lex.prune(path.parent, keep=KEEP_LEXICONS, suffix=".bin")
    return lex.open_lexicon(path)


def _writable(folder: Path) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return os.access(folder, os.W_OK | os.X_OK)


def agrees_with_engine(lexicon: lex.Lexicon, every: int = 97) -> bool:
    """Whether a partial tokenizer over `lexicon` and rjieba's full engine agree:
    the same frequency total (suggest_freq of the empty string is total + 1:
    any word added, dropped or reweighed changes it), every word of the
    lexicon known to rjieba, and runs of sampled words cut and weighed alike."""
    full = jieba_class()()
    if int(full.suggest_freq("")) != lexicon.total + 1:
        return False
    if not all(map(full.has_word, (word for word, _ in lexicon.all_words()))):
        return False
    part = PackTokenizer((), lambda: lexicon, full_after=(1 << 62, 1 << 62), keep_words=False)
    sample = [word for word, _ in lexicon.all_words(every)]
    runs = ["".join(sample[i:i + 12]) for i in range(0, len(sample), 12)]
    pairs = [a + b for a, b in zip(sample[::97], sample[1::97], strict=False)]
    return all(part.cut(run) == full.cut(run) for run in runs) and \
        all(part.suggest_freq(w) == int(full.suggest_freq(w)) for w in pairs)


def _engine_file() -> Path | None:
    """rjieba's package file (its stat names the engine's build in the signature)."""
    spec = importlib.util.find_spec("rjieba")
    return Path(spec.origin) if spec and spec.origin else None
