"""csrscan's version: one place, read by the build (pyproject.toml) and by
every output that records it (SARIF, caches, the history database)."""

__version__ = "0.1.0"
