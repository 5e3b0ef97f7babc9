"""Check results → reviewdog's diagnostic format (rdjson, rdjsonl).

`reviewdog -f=rdjson` reads one `DiagnosticResult` (source, diagnostics);
`-f=rdjsonl` one `Diagnostic` a line. reviewdog parses them with protojson,
which refuses unknown keys, so only the schema's fields appear: the rule id
goes in `code.value`, and the fingerprint at the end of `original_output`.
reviewdog prints `original_output` as the diagnostic's raw line (the `local`
reporter's whole output, the log beside a PR review, a check annotation's
raw details), so it is the `concise` line plus `[fingerprint …]`, never the
bare hash. Only open findings are diagnostics (a PR review comment for a
baselined gap is noise). A gap's message ends with what to add.
"""

from __future__ import annotations

import json
from typing import Any

from csrscan.check.evaluate import CheckResult
from csrscan.check.fingerprint import finding_fingerprint, finding_path
from csrscan.check.formats.concise import concise_line
from csrscan.check.formats.gitlab import describe
from csrscan.check.formats.sarif import INFO_URI

SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}
SOURCE = {"name": "csrscan", "url": INFO_URI}


def original_output(line: str, fingerprint: str) -> str:
    """What reviewdog prints for a diagnostic: the concise line and the fingerprint."""
    return f"{line} [fingerprint {fingerprint}]"


def diagnostics(result: CheckResult) -> list[dict[str, Any]]:
    return [{"message": describe(r, f),
             "location": {"path": finding_path(f.file),
                          "range": {"start": {"line": max(f.line, 1)}}},
             "severity": SEVERITY[f.severity], "source": SOURCE,
             "code": {"value": f.rule},
             "original_output": original_output(
                 concise_line(f.file, f.line, f.severity, f.rule, f.message),
                 finding_fingerprint(f, result.pack.id))}
            for r in result.files for f in r.findings if f.status == "open"]


def render_rdjson(result: CheckResult) -> str:
    doc = {"source": SOURCE, "diagnostics": diagnostics(result)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_rdjsonl(result: CheckResult) -> str:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in diagnostics(result))
