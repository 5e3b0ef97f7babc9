"""csrscan: what a Chinese CSR / ESG report discloses, and what it leaves out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csrscan.version import __version__

__all__ = ["__version__", "scan"]

if TYPE_CHECKING:
    from csrscan.models import Report


def scan(path: Any, pack_id: str | None = None, rules: Any = ()) -> Report:
    """Scan one report file with the chosen rule pack; see csrscan.pipeline."""
    from csrscan.pipeline import scan as _scan

    return _scan(path, pack_id, rules)
