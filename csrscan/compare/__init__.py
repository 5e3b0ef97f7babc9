"""Compare mode: many filings -> a company x topic matrix.

`batch` finds and scans files through `pool` (or `executor_dask`), `journal`
streams results, `db` keeps history, `identity` names company and year,
`matrix` builds the table; `formats/` renders it (CSV/JSON/table, XLSX, HTML).
"""

from csrscan.compare.batch import discover, scan_file
from csrscan.compare.identity import identify
from csrscan.compare.matrix import build_matrix

__all__ = ["build_matrix", "discover", "identify", "scan_file"]
