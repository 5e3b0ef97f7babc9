"""Several processes on one long PDF: `split` decides which pages each reads,
`prefetch` reads ahead while the tokenizer is built, `forked` runs the helpers."""
