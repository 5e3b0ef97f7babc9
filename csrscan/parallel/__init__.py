"""Several processes on one long PDF: `split` decides which pages each reads
(its entry point: `split.scan_pdf`), `prefetch` reads ahead while the
tokenizer is built, `forked` runs the helpers."""
