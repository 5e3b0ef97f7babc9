"""Validated rule packs kept as pickles, keyed by the bytes of their files.

Parsing and validating the built-in pack (13 YAML files, ~100 indicators)
costs about 0.2 s, a fifth of a one-page scan; a cached pack loads in a few
milliseconds. The key covers csrscan's version, the schema and every rule
file's name and bytes, so an edited rule is never served stale.

What the matcher compiles from a pack (match_pack.compile_pack: normalized
terms, regional variants, indexes; 30 ms) is kept the same way, keyed by
the pack's content and the bytes of csrscan's own modules, so a change to
either compiles afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sys
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from csrscan.atomic import atomic_path
from csrscan.cachedir import cache_root
from csrscan.errors import RuleError
from csrscan.models import Grading, Indicator, Pack, Pattern, Topic
from csrscan.packs.grading import grading_base_files
from csrscan.packs.load import builtin_rules_dir, load_pack, pack_files, schema_path
from csrscan.version import __version__

T = TypeVar("T")


def _layout() -> str:
    """The shape of the pickled classes: a changed dataclass never reads an old pickle."""
    return repr([(cls.__name__, [f.name for f in fields(cls)])
                 for cls in (Pack, Topic, Indicator, Pattern, Grading)])


def pack_key(path: Path) -> str:
    digest = hashlib.sha256(f"{__version__}\0{_layout()}\0{path}\0".encode())
    digest.update(schema_path().read_bytes())
    # the shared grading files too: a pack may start from any of them
    for file in (*pack_files(path), *grading_base_files(builtin_rules_dir())):
        digest.update(f"\0{file.name}\0".encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def load_pack_cached(path: str | Path) -> Pack:
    """`rules.load_pack`, served from the cache when the files are unchanged."""
    try:
        key = pack_key(Path(path))
    except (RuleError, OSError):
        return load_pack(path)  # let the loader report what is wrong
    return _pack_for_key(key, str(path))


def load_or_build(kind: str, pack: Pack, build: Callable[[Pack], T], cls: type[T]) -> T:
    """build(pack), served from the cache while the pack and csrscan's code are unchanged."""
    digest = hashlib.sha256(f"{kind}\0{_code_digest()}\0".encode())
    digest.update(pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL))
    entry = cache_root() / "packs" / f"{kind}-{digest.hexdigest()}.pickle"
    return _kept(entry, cls, lambda: build(pack))


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Every csrscan module's name, size and modification time: what they build
    changes with any of them. (Stat, not read: hashing the 1.5 MB of source
    cost every scan 35 ms; an edit or a reinstall changes the time.)"""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    root = Path(__file__).resolve().parent.parent
    for file in sorted(root.rglob("*.py")):
        stat = file.stat()
        digest.update(f"\0{file.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError,
               ImportError, ValueError, IndexError)


@lru_cache(maxsize=8)
def _pack_for_key(key: str, path: str) -> Pack:
    """Within one process the same files give the same Pack object."""
    return _kept(cache_root() / "packs" / f"pack-{key}.pickle", Pack, lambda: load_pack(path))


def _kept(entry: Path, cls: type[T], build: Callable[[], T]) -> T:
    """The object pickled at `entry`; else build() it and keep it there."""
    with contextlib.suppress(*_UNREADABLE):
        cached = pickle.loads(entry.read_bytes())
        if isinstance(cached, cls):
            return cached
    value = build()
    _store(entry, value)
    return value


def _store(entry: Path, value: object) -> None:
    """Write atomically; a read-only or full cache just means no caching."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(entry) as tmp:
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        _prune(entry)
    except OSError:
        pass


KEEP_ENTRIES = 16  # per kind: every pack in use, across a few csrscan versions


def _prune(entry: Path) -> None:
    """Old entries of the same kind (`pack-…`, `compiled-…`) go: each edit of a
    rule or upgrade of csrscan adds one."""
    kind = entry.name.split("-", 1)[0]
    others = sorted((f for f in entry.parent.glob(f"{kind}-*.pickle") if f != entry),
                    key=lambda f: f.stat().st_mtime)
    for old in others[:max(0, len(others) - (KEEP_ENTRIES - 1))]:
        old.unlink(missing_ok=True)
