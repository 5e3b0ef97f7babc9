"""Compare mode: many filings -> a company x topic matrix.

`batch` finds and scans files through `pool` (or `executor_dask`), `journal`
streams results, `db` keeps history, `identity` names company and year,
`matrix` builds the table; `formats/` renders it (CSV/JSON/table, XLSX, HTML).
"""
