"""Check results → GitHub Actions workflow commands (annotations).

`::error file=…,line=…,title=…::message` for each open finding (warning →
`::warning`, info → `::notice`), the message followed by what to add (the
missing indicators' guidance, as in GitLab's description); suppressed and
baselined findings become `::notice` lines saying so. The Markdown summary
for `$GITHUB_STEP_SUMMARY` comes from render_check.render_check_markdown.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from csrscan.check.evaluate import CheckResult, FileResult
from csrscan.check.formats.gitlab import describe
from csrscan.check.formats.text import render_check_markdown, verdict_line
from csrscan.check.policy import Finding
from csrscan.errors import CsrscanError

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, r: FileResult | None = None) -> str:
    command = COMMAND[f.severity] if f.status == "open" else "notice"
    note = "" if f.status == "open" else (
        f" [suppressed: {f.reason}]" if f.status == "suppressed" else " [baselined]")
    props = (f"file={escape_property(PurePath(f.file).as_posix())},line={max(f.line, 1)},"
             f"title={escape_property('csrscan ' + f.rule)}")
    text = describe(r, f) if r is not None and f.status == "open" else f.message
    return f"::{command} {props}::{escape_data(text + note)}"


def render_github(result: CheckResult) -> str:
    lines = [annotation(f, r) for r in result.files for f in r.findings]
    lines.append(verdict_line(result))
    return "\n".join(lines) + "\n"


def append_step_summary(result: CheckResult) -> None:
    """Append the Markdown summary to $GITHUB_STEP_SUMMARY when it is set."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with Path(target).open("a", encoding="utf-8") as fh:
            fh.write(render_check_markdown(result) + "\n")
    except OSError as exc:
        raise CsrscanError(f"cannot append the step summary: {exc.strerror}",
                           path=target) from None
