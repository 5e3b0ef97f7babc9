"""Several processes on one long PDF: `split` decides which pages each reads,
`prefetch` reads ahead while the tokenizer is built, `forked` runs the helpers."""

from csrscan.parallel.split import scan_pdf

__all__ = ["scan_pdf"]
