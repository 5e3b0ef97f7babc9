"""Output formats of `compare`: CSV, JSON and table (`matrix`), `xlsx`, `html`."""
