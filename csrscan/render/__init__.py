"""Render a scan report: JSON and Markdown (`report`), the terminal table (`table`),
the HTML page (`html_report`, with `html_common` and `assets/` shared by compare's page)."""

from csrscan.render.report import json_chunks, render_json, render_markdown

__all__ = ["json_chunks", "render_json", "render_markdown"]
