"""The command line: `main` holds the app and `scan`; one module per command group."""

from csrscan.cli.root import app, main, run

__all__ = ["app", "main", "run"]
