"""`compile(pattern, flags)`: re.compile, with the compiled program kept on disk.

Python compiles a regex from scratch in every process, and csrscan's
patterns are expensive to compile: a class of Han characters
([\\u4e00-\\u9fff]) or an alternation of Chinese words starting with many
different characters makes `re` build a 64 K-entry character map, 2–9 ms
a pattern. A scan compiles about 80 such patterns (text normalization, the
pack's grading vocabulary), 0.06–0.25 s of every scan's fixed cost.

What `re` builds from (pattern, flags) is a list of integers (the program
its engine runs) plus the group names, a pure function of the pattern and
the Python build. That list is kept in the cache folder, one small file a
pattern, in a folder named after the Python build and the engine's
version (`_sre.MAGIC`); a later process hands it straight to the engine,
the same call re.compile ends with, so the Pattern is the same object
re.compile would give (equal, same behaviour).

Anything unexpected (another Python implementation, an unreadable or
read-only cache, a file for another pattern) falls back to re.compile.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import marshal
import re
import sys
from pathlib import Path
from typing import Any

from csrscan.cachedir import cache_root

KEEP_BUILDS = 4  # Python builds whose compiled patterns are kept side by side
_UNUSABLE = (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError,
             IndexError, RuntimeError)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(pattern, flags), served from the cache when it holds it."""
    flags = int(flags)
    entry = _folder() / f"{_digest(pattern, flags)}.re"
    with contextlib.suppress(*_UNUSABLE):
        return _from_entry(entry, pattern, flags)
    with contextlib.suppress(*_UNUSABLE):
        return _compile_and_keep(entry, pattern, flags)
    return re.compile(pattern, flags)


def _digest(pattern: str, flags: int) -> str:
    return hashlib.sha256(f"{flags}\0{pattern}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _folder() -> Path:
    build = hashlib.sha256(f"{sys.version}\0{sys.implementation.name}".encode()).hexdigest()[:12]
    return cache_root() / "regex" / f"{build}-{_sre().MAGIC}"


def _sre() -> Any:
    """The regex engine's C module (CPython's; elsewhere the ImportError falls back)."""
    return importlib.import_module("_sre")


def _from_entry(entry: Path, pattern: str, flags: int) -> re.Pattern[str]:
    kept = marshal.loads(entry.read_bytes())
    if kept[0] != pattern or kept[1] != flags:  # another pattern with the same digest
        raise ValueError("not this pattern")
    return _engine_compile(pattern, *kept[2:])


def _engine_compile(pattern: str, final_flags: int, code: list[int], groups: int,
                    groupindex: dict[str, int], indexgroup: tuple[str | None, ...]
                    ) -> re.Pattern[str]:
    compiled: re.Pattern[str] = _sre().compile(pattern, final_flags, code, groups - 1,
                                             groupindex, indexgroup)
    return compiled


def _compile_and_keep(entry: Path, pattern: str, flags: int) -> re.Pattern[str]:
    """What re._compiler.compile does, keeping the program it builds."""
    parser, compiler = _internals()
    parsed = parser.parse(pattern, flags)
    code = compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    kept = (int(flags | parsed.state.flags), [int(c) for c in code],  # plain ints: marshal
            parsed.state.groups, groupindex, tuple(indexgroup))
    compiled = _engine_compile(pattern, *kept)
    _store(entry, marshal.dumps((pattern, flags, *kept)))
    return compiled


def _internals() -> tuple[Any, Any]:
    try:  # `re._parser` and `re._compiler` from 3.11, `sre_parse` / `sre_compile` before
        return importlib.import_module("re._parser"), importlib.import_module("re._compiler")
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module("sre_parse"), importlib.import_module("sre_compile")


def _store(entry: Path, data: bytes) -> None:
    """Write atomically; a read-only or full cache just means no caching."""
    from csrscan.atomic import atomic_path

    with contextlib.suppress(OSError):
        if not entry.parent.is_dir():  # a new Python build: drop the oldest builds' folders
            _prune(entry.parent.parent)
        entry.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(entry) as tmp:
            tmp.write_bytes(data)


def _prune(root: Path) -> None:
    """Keep the folders of the KEEP_BUILDS - 1 Python builds used last."""
    import shutil

    if root.is_dir():
        builds = sorted((f for f in root.iterdir() if f.is_dir()), key=lambda f: f.stat().st_mtime)
        for old in builds[:max(0, len(builds) - (KEEP_BUILDS - 1))]:
            shutil.rmtree(old, ignore_errors=True)
