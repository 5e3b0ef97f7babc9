"""Check results → one line per open finding, as ruff and Vale print them:
`path:line: severity rule-id: message`. Nothing else on stdout (no verdict
line), so editors and `grep` can read it; the exit code says pass or fail.
"""

from __future__ import annotations

from csrscan.check.evaluate import CheckResult
from csrscan.check.fingerprint import finding_path


def render_concise(result: CheckResult) -> str:
    return "".join(f"{finding_path(f.file)}:{max(f.line, 1)}: {f.severity} {f.rule}: "
                   f"{' '.join(f.message.split())}\n"
                   for f in result.findings if f.status == "open")
