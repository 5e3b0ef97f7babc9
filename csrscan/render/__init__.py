"""Render a scan report: JSON and Markdown (`report`), the terminal table (`table`)."""

from csrscan.render.report import json_chunks, render_json, render_markdown

__all__ = ["json_chunks", "render_json", "render_markdown"]
