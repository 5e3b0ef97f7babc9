"""Choose a pack by id among the built-in packs and the user's, and load it
(from the compiled-pack cache when it is current)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from csrscan.errors import RuleError
from csrscan.models import Pack
from csrscan.packs.cache import load_pack_cached
from csrscan.packs.load import BUILTIN_PACK, discover_packs, pack_id_of


def select_pack(pack_id: str | None, extra: Sequence[str | Path] = ()) -> Pack:
    """Load the pack named `pack_id` (default: the only extra pack, else built-in)."""
    packs = discover_packs(extra)
    if pack_id is None:
        pack_id = pack_id_of(Path(extra[-1])) if extra else BUILTIN_PACK
    if pack_id not in packs:
        known = ", ".join(sorted(packs))
        raise RuleError(f"unknown pack {pack_id!r} (known: {known})")
    return load_pack_cached(packs[pack_id])
