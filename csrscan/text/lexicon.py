"""jieba's dictionary in a file, looked up by a word's first two characters.

rjieba's tokenizer loads its whole dictionary (349,045 words) when it is
built: 0.1–0.2 s, a third of a one-page scan, though a page meets a few
thousand of those words. This file lets text/tokens.py give rjieba only the
words a text can hold: every dictionary word starts with a pair of
characters (or is one character), and a text holds a word only if it holds
that pair. The file is built once per cache folder from the `jieba`
package's dict.txt, the dictionary rjieba embeds; text/lexicon_store.py
checks the two agree before anything relies on it.

Layout, native byte order: MAGIC; the dictionary's frequency total; the
number of keys n; n sorted keys (u64: ord(first) << 21 | ord(second), 0 for a
one-character word); n + 1 offsets (u64) into the blob; the blob, each key's
words as "word freq" lines, each ending in a newline. Opened with mmap: a
process reads only the pages of the keys it looks up, and forked processes
share them.

Beside it, `<lexicon>-words-<digest>.json`: the frequencies the tokenizer
gives a pack's own words (computed over the lexicon, 0.03 s), the lists of
the 16 packs written last.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import itertools
import json
import mmap
import os
import re
import time
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from csrscan.atomic import atomic_path

MAGIC = b"CSRLEX2\0"
KEEP_PACK_WORDS = 16  # the word lists of the packs written last (a few KB each)
_HEAD = 3 * 8  # MAGIC, total, n


def keys_in(text: str) -> Iterator[int]:
    """Every key a word inside `text` can have: each character, each adjacent pair."""
    for char in set(text):
        yield ord(char) << 21
    for pair in {text[i:i + 2] for i in range(len(text) - 1)}:
        yield ord(pair[0]) << 21 | ord(pair[1])


@dataclass(frozen=True)
class Lexicon:
    """An opened lexicon file: the dictionary's total and its words by key."""

    path: Path
    total: int
    _keys: memoryview
    _starts: memoryview
    _data: mmap.mmap
    _blob_at: int

    def words(self, keys: Iterable[int]) -> Iterator[tuple[str, int]]:
        """(word, frequency) of every dictionary word under one of `keys`."""
        sorted_keys, starts, data, base = self._keys, self._starts, self._data, self._blob_at
        size = len(sorted_keys)
        for key in keys:
            i = bisect_left(sorted_keys, key)
            if i == size or sorted_keys[i] != key:
                continue
            yield from _parse(data[base + starts[i]:base + starts[i + 1]])

    def all_words(self, every: int = 1) -> Iterator[tuple[str, int]]:
        """The words of every key (of every `every`th key: a sample)."""
        if every == 1:  # the whole blob at once, not key by key
            return _parse(self._data[self._blob_at:])
        return self.words(self._keys[::every].tolist())


def _parse(lines: bytes) -> Iterator[tuple[str, int]]:
    """(word, frequency) of "word freq" lines, each ending in a newline."""
    for line in lines.decode("utf-8").split("\n")[:-1]:
        word, _, freq = line.rpartition(" ")
        yield word, int(freq)


def open_lexicon(path: Path) -> Lexicon:
    """Map a lexicon file; ValueError when it is not one (a cut-short or foreign file)."""
    with open(path, "rb") as fh:
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        if len(data) < _HEAD or data[:8] != MAGIC:
            raise ValueError(f"{path}: not a lexicon file")
        total, count = array("Q", data[8:_HEAD])
        blob_at = _HEAD + 16 * count + 8
        if len(data) < blob_at or blob_at + _at(data, blob_at - 8) != len(data):
            raise ValueError(f"{path}: cut short")
    except ValueError:
        data.close()
        raise
    view = memoryview(data)
    keys = view[_HEAD:_HEAD + 8 * count].cast("Q")
    starts = view[_HEAD + 8 * count:blob_at].cast("Q")
    return Lexicon(path, total, keys, starts, data, blob_at)


def _at(data: mmap.mmap, offset: int) -> int:
    """The u64 at `offset`."""
    return array("Q", data[offset:offset + 8])[0]


def read_dictionary(source: Path) -> dict[str, int]:
    """jieba's dict.txt as word → frequency; a repeated word keeps its last
    frequency, as rjieba's loader does."""
    freqs: dict[str, int] = {}
    with open(source, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if parts:
                freqs[parts[0]] = int(parts[1]) if len(parts) > 1 else 0
    return freqs


def write_lexicon(freqs: dict[str, int], path: Path) -> None:
    """The lexicon file of a dictionary, written atomically."""
    groups: dict[int, list[str]] = {}
    for word, freq in freqs.items():  # the key inline: a function call a word cost 0.3 s
        key = ord(word[0]) << 21 | (ord(word[1]) if len(word) > 1 else 0)
        if (group := groups.get(key)) is None:
            groups[key] = [f"{word} {freq}\n"]
        else:
            group.append(f"{word} {freq}\n")
    keys = sorted(groups)
    blobs = ["".join(groups[key]).encode("utf-8") for key in keys]
    starts = array("Q", itertools.accumulate(map(len, blobs), initial=0))
    head = MAGIC + array("Q", [sum(freqs.values()), len(keys)]).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(head + array("Q", keys).tobytes() + starts.tobytes())
        fh.writelines(blobs)


def dictionary_file() -> Path | None:
    """jieba's dict.txt, found without importing jieba (None: jieba is not installed)."""
    spec = importlib.util.find_spec("jieba")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (path := Path(folder) / "dict.txt").is_file():
            return path
    return None


def signature(*files: Path) -> str:
    """Names the lexicon built from these files: their paths, sizes and times
    (a reinstall of jieba or rjieba changes it), and this file's format."""
    digest = hashlib.sha256(MAGIC)
    for file in files:
        stat = os.stat(file)
        digest.update(f"\0{file}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def cached_pack_words(lexicon: Lexicon,
                      terms: tuple[str, ...]) -> list[tuple[str, int]] | None:
    """The frequencies a pack's own words get, as kept by keep_pack_words (None: not kept)."""
    try:
        rows = json.loads(_pack_words_path(lexicon, terms).read_text(encoding="utf-8"))
        return [(str(word), int(freq)) for word, freq in rows]
    except (OSError, ValueError, TypeError):
        return None


def keep_pack_words(lexicon: Lexicon, terms: tuple[str, ...],
                    added: list[tuple[str, int]]) -> None:
    with contextlib.suppress(OSError), atomic_path(_pack_words_path(lexicon, terms)) as tmp:
        tmp.write_text(json.dumps(added, ensure_ascii=False), encoding="utf-8")
    prune(lexicon.path.parent, keep=KEEP_PACK_WORDS, suffix=".json")


def _pack_words_path(lexicon: Lexicon, terms: Iterable[str]) -> Path:
    digest = hashlib.sha256("\n".join(terms).encode()).hexdigest()[:32]
    return lexicon.path.with_name(f"{lexicon.path.stem}-words-{digest}.json")


# the names of what csrscan writes here: nothing else in the folder is touched
_OURS = {".bin": re.compile(r"[0-9a-f]{32}\.bin"),
         ".json": re.compile(r"[0-9a-f]{32}-words-[0-9a-f]{32}\.json")}
_LEFT_BEHIND = re.compile(r"\.[0-9a-f]{32}\.[0-9a-f]+\.new")  # a build killed half-way
STALE_SECONDS = 3600


def prune(folder: Path, keep: int, suffix: str) -> None:
    """All but the `keep` newest lexicons (".bin") or word lists (".json"); a
    lexicon's word lists go with it, and a build's file left for an hour by a
    process that was killed goes too (another process's current build is
    younger)."""
    with contextlib.suppress(OSError):
        names = _OURS[suffix]
        entries = [(f, f.stat().st_mtime) for f in folder.iterdir()]
        ours = sorted((e for e in entries if names.fullmatch(e[0].name)),
                      key=lambda e: e[1], reverse=True)
        doomed = [f for f, mtime in entries
                  if _LEFT_BEHIND.fullmatch(f.name) and mtime < time.time() - STALE_SECONDS]
        for old, _ in ours[keep:]:
            doomed.append(old)
            if suffix == ".bin":
                doomed += folder.glob(f"{old.stem}-words-*.json")
        for file in doomed:
            file.unlink(missing_ok=True)
