"""Rule packs: load and validate YAML (`load`), choose one by id (`select`),
keep compiled packs on disk (`cache`), document them (`doc`) and run their
examples (`examples`)."""

from csrscan.packs.load import discover_packs, load_pack
from csrscan.packs.select import select_pack

__all__ = ["discover_packs", "load_pack", "select_pack"]
