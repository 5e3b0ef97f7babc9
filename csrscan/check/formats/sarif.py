"""Check results → SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).

One rule per topic and per indicator of the pack, plus `csrscan.min_score`
and `csrscan.suppression`; one result per finding. Suppressed findings carry
`suppressions` (kind inSource, the reason as justification); with a
baseline, results carry `baselineState` new / unchanged. No timestamps.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from csrscan.check.evaluate import CheckResult
from csrscan.check.fingerprint import finding_fingerprint
from csrscan.check.guidance import guidance_text
from csrscan.check.policy import RATCHET_RULE, SCORE_RULE, SUPPRESSION_RULE, Finding
from csrscan.models import Pack
from csrscan.version import __version__

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
INFO_URI = "https://pypi.org/project/csrscan/"


def pack_rules(pack: Pack) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for topic in pack.topics:
        rules.append(_rule(topic.id, topic.name_en or topic.id, topic.name,
                           f"Topic {topic.name} [{topic.id}] must reach the policy's level.",
                           topic.refs, "topic", guidance_text(topic.indicators)))
        for ind in topic.indicators:
            rules.append(_rule(ind.id, ind.name_en or ind.id, ind.name,
                               ind.description or ind.name, ind.refs, "indicator",
                               guidance_text((ind,))))
    rules.append(_rule(SCORE_RULE, "MinimumScore", "minimum overall score",
                       "The report's overall score must reach policy.min_score.", (), "score"))
    rules.append(_rule(SUPPRESSION_RULE, "MalformedSuppression", "malformed suppression",
                       "A `<!-- csrscan-disable ID: reason -->` comment must name known "
                       "ids and give a reason.", (), "suppression"))
    rules.append(_rule(RATCHET_RULE, "BaselineRatchet", "score or topic level below the baseline",
                       "A file's score and topic levels must not fall below those its "
                       "baseline recorded.", (), "ratchet"))
    return rules


def _rule(rid: str, name: str, short: str, help_text: str, refs: tuple[str, ...] | list[str],
          kind: str, guidance: str = "") -> dict[str, Any]:
    ref_text = f"\n\nReferences: {'; '.join(refs)}" if refs else ""
    add = f"\n\nWhat a complete disclosure contains:\n{guidance}" if guidance else ""
    return {"id": rid, "name": _pascal(name), "shortDescription": {"text": short},
            "fullDescription": {"text": help_text},
            "help": {"text": help_text + add + ref_text},
            "helpUri": INFO_URI,
            "properties": {"kind": kind, "refs": list(refs), "tags": ["csr", "disclosure", kind]}}


def _pascal(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return "".join(w[:1].upper() + w[1:] for w in words) or "Rule"


def finding_result(f: Finding, index: dict[str, int], fmt: str, baseline: bool,
                   pack_id: str = "") -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(f.line, 1)}
    if fmt == "pdf":
        region["properties"] = {"page": f.page}
    result: dict[str, Any] = {
        "ruleId": f.rule, "ruleIndex": index[f.rule], "level": LEVEL[f.severity],
        "kind": "fail", "message": {"text": f.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": PurePath(f.file).as_posix(), "uriBaseId": "%SRCROOT%"},
            "region": region}}],
        "partialFingerprints": {"csrscanGap/v1": f.key,
                                "csrscan/v1": finding_fingerprint(f, pack_id)},
        "properties": {"status": f.status, "topic": f.topic, "expected": f.expected,
                       "actual": f.actual, "page": f.page},
    }
    if f.status == "suppressed":
        result["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                   "justification": f.reason or ""}]
    if baseline:
        result["baselineState"] = "unchanged" if f.status == "baselined" else "new"
    return result


def check_to_sarif(result: CheckResult) -> dict[str, Any]:
    rules = pack_rules(result.pack)
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = [finding_result(f, index, r.report.source.format, result.baseline is not None,
                              result.pack.id)
               for r in result.files for f in r.findings]
    run = {
        "tool": {"driver": {"name": "csrscan", "version": __version__,
                            "semanticVersion": __version__, "informationUri": INFO_URI,
                            "rules": rules,
                            "properties": {"pack": result.pack.id,
                                           "packVersion": result.pack.version}}},
        "automationDetails": {"id": f"csrscan/{result.pack.id}/"},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"description": {
            "text": "The directory csrscan was run from."}}},
        "artifacts": [{"location": {"uri": PurePath(r.path).as_posix(),
                                    "uriBaseId": "%SRCROOT%"},
                       "hashes": {"sha-256": r.report.source.sha256}} for r in result.files],
        "invocations": [{"executionSuccessful": True, "exitCode": result.exit_code}],
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(result: CheckResult) -> str:
    return json.dumps(check_to_sarif(result), ensure_ascii=False, indent=2) + "\n"
