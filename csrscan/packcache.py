"""Validated rule packs kept as pickles, keyed by the bytes of their files.

Parsing and validating the built-in pack (13 YAML files, ~100 indicators)
costs about 0.2 s, a fifth of a one-page scan; a cached pack loads in a few
milliseconds. The key covers csrscan's version, the schema and every rule
file's name and bytes, so an edited rule is never served stale.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from . import __version__
from .cache import cache_root
from .errors import RuleError
from .models import Indicator, Pack, Pattern, Topic
from .rules import load_pack, pack_files, schema_path


def _layout() -> str:
    """The shape of the pickled classes: a changed dataclass never reads an old pickle."""
    return repr([(cls.__name__, [f.name for f in fields(cls)])
                 for cls in (Pack, Topic, Indicator, Pattern)])


def pack_key(path: Path) -> str:
    digest = hashlib.sha256(f"{__version__}\0{_layout()}\0{path}\0".encode())
    digest.update(schema_path().read_bytes())
    for file in pack_files(path):
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


@lru_cache(maxsize=8)
def _pack_for_key(key: str, path: str) -> Pack:
    """Within one process the same files give the same Pack object."""
    entry = cache_root() / "packs" / f"{key}.pickle"
    try:
        cached = pickle.loads(entry.read_bytes())
        if isinstance(cached, Pack):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError,
            ValueError, IndexError):
        pass
    pack = load_pack(path)
    _store(entry, pack)
    return pack


def _store(entry: Path, pack: Pack) -> None:
    """Write atomically; a read-only or full cache just means no caching."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, entry)
    except OSError:
        pass
