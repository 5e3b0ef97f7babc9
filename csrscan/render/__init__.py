"""Render a scan report: JSON and Markdown (`report`), the terminal table (`table`)."""
