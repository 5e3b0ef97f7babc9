"""Check results → JUnit XML: one testsuite per file, one testcase per topic.

A testcase gets a `<failure>` when the topic has a gap that fails the run;
non-failing gaps (warnings, info, suppressed, baselined) are listed in its
`<system-out>`. Extra testcases `csrscan.min_score`, `csrscan.ratchet` and
`csrscan.suppression` appear when the policy sets a minimum score / the score
fell below the baseline's / the file has suppressions.
"""

from __future__ import annotations

from csrscan.check.evaluate import CheckResult, FileResult
from csrscan.check.policy import RATCHET_RULE, SCORE_RULE, SUPPRESSION_RULE, Finding


def render_junit(result: CheckResult) -> str:
    import xml.etree.ElementTree as ET

    fail_on = result.policy.fail_on
    root = ET.Element("testsuites", name="csrscan check")
    totals = [0, 0]
    for r in result.files:
        suite = ET.SubElement(root, "testsuite", name=r.path)
        cases = _cases(r, result.policy.min_score is not None)
        failures = 0
        for name, findings in cases:
            case = ET.SubElement(suite, "testcase", name=name, classname=_classname(r.path),
                                 file=r.path)
            failing = [f for f in findings if f.fails(fail_on)]
            if failing:
                failures += 1
                fail = ET.SubElement(case, "failure", type=failing[0].severity,
                                     message=failing[0].message)
                fail.text = "\n".join(_line(r, f) for f in failing)
            rest = [f for f in findings if not f.fails(fail_on)]
            if rest:
                ET.SubElement(case, "system-out").text = "\n".join(_line(r, f) for f in rest)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        totals[0] += len(cases)
        totals[1] += failures
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _cases(r: FileResult, score: bool) -> list[tuple[str, list[Finding]]]:
    cases: list[tuple[str, list[Finding]]] = [
        (t.topic.id, [f for f in r.findings if f.topic == t.topic.id]) for t in r.report.topics]
    if score:
        cases.append((SCORE_RULE, [f for f in r.findings if f.rule == SCORE_RULE]))
    if any(f.rule == RATCHET_RULE and f.topic is None for f in r.findings):
        cases.append((RATCHET_RULE, [f for f in r.findings
                                     if f.rule == RATCHET_RULE and f.topic is None]))
    if r.suppressions or any(f.rule == SUPPRESSION_RULE for f in r.findings):
        cases.append((SUPPRESSION_RULE, [f for f in r.findings if f.rule == SUPPRESSION_RULE]))
    return cases


def _classname(path: str) -> str:
    return "csrscan." + path.replace("/", ".").replace("\\", ".")


def _line(r: FileResult, f: Finding) -> str:
    where = f"p.{f.page}:{f.line}" if r.report.source.format == "pdf" else f"line {f.line}"
    status = "" if f.status == "open" else f" [{f.status}{': ' + f.reason if f.reason else ''}]"
    return f"{f.severity} {f.rule} ({where}): {f.message}{status}"
