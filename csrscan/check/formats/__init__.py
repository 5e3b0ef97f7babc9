"""Output formats of `check`: text / Markdown / JSON, SARIF, JUnit, GitHub."""
