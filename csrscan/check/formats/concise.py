"""Check results → one line per open finding, as ruff and Vale print them:
`path:line: severity rule-id: message`. Nothing else on stdout (no verdict
line), so editors and `grep` can read it; the exit code says pass or fail.
"""

from __future__ import annotations

from csrscan.check.evaluate import CheckResult
from csrscan.check.fingerprint import finding_path


def concise_line(path: str, line: int, severity: str, rule: str, message: str) -> str:
    """One finding on one line (the message's line breaks folded), no newline."""
    return (f"{finding_path(path)}:{max(line, 1)}: {severity} {rule}: "
            f"{' '.join(message.split())}")


def render_concise(result: CheckResult) -> str:
    return "".join(concise_line(f.file, f.line, f.severity, f.rule, f.message) + "\n"
                   for f in result.findings if f.status == "open")
