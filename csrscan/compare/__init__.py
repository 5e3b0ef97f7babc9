"""Compare mode: many filings -> a company x topic matrix.

`batch` finds and scans files through `pool` (or `executor_dask`), `journal`
streams results, `db` keeps history, `identity` names company and year,
`matrix` builds the table; `formats/` renders it (CSV/JSON/table, XLSX, HTML).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csrscan.compare.batch import discover, scan_file
    from csrscan.compare.identity import identify
    from csrscan.compare.matrix import build_matrix

# Imported on first use: a single scan borrows batch.display_path without
# loading identity and the matrix.
_HOME = {"discover": "batch", "scan_file": "batch", "identify": "identity",
         "build_matrix": "matrix"}
__all__ = ["build_matrix", "discover", "identify", "scan_file"]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
