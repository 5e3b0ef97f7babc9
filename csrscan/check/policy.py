"""Policy + Report → findings (gaps). Pure: no I/O.

A policy requires topics at a minimum level, requires indicators, and asks
for a minimum overall score. Each unmet requirement is a `Finding` with a
severity (error / warning / info, per topic, default error); a run fails when
an open finding is at least as severe as `fail_on`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from csrscan.errors import ConfigError
from csrscan.models import Pack, Report, TopicResult

LEVELS = ("missing", "partial", "covered")
SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "info", "never")
WILDCARD = "*"
SCORE_RULE = "csrscan.min_score"
SUPPRESSION_RULE = "csrscan.suppression"
RATCHET_RULE = "csrscan.ratchet"

Kind = Literal["topic", "indicator", "score", "suppression", "ratchet"]
Status = Literal["open", "suppressed", "baselined"]


@dataclass(frozen=True, slots=True)
class Policy:
    """What a report must disclose; `*` in require/severity means every topic."""

    require: tuple[tuple[str, str], ...] = ((WILDCARD, "partial"),)
    require_indicators: tuple[str, ...] = ()
    min_score: float | None = None
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str = "error"

    def required_level(self, topic: str) -> int:
        req = dict(self.require)
        return LEVELS.index(req.get(topic, req.get(WILDCARD, "missing")))

    def severity_of(self, topic: str | None) -> str:
        sev = dict(self.severity)
        return sev.get(topic or "", sev.get(WILDCARD, "error"))


@dataclass(frozen=True, slots=True)
class Finding:
    """One unmet requirement (a gap) in one file."""

    file: str
    rule: str
    kind: Kind
    severity: str
    message: str
    topic: str | None = None
    expected: str | None = None
    actual: str | None = None
    page: int = 1
    line: int = 1
    status: Status = "open"
    reason: str | None = None

    @property
    def key(self) -> str:
        return f"{self.file}::{self.rule}"

    def fails(self, fail_on: str) -> bool:
        """True when this finding makes the run fail."""
        if self.status != "open" or fail_on == "never":
            return False
        return SEVERITIES.index(self.severity) <= SEVERITIES.index(fail_on)


def validate_policy(policy: Policy, pack: Pack, sources: Mapping[str, str]) -> None:
    """Unknown topic / indicator ids are ConfigErrors naming the file and key."""
    topics = {t.id for t in pack.topics}
    indicators = {i.id for i in pack.indicators}
    for name, pairs in (("policy.require", policy.require), ("policy.severity", policy.severity)):
        for topic, _ in pairs:
            if topic != WILDCARD and topic not in topics:
                _unknown(sources, f"{name}.{topic}", f"unknown topic {topic!r}", pack)
    for ind in policy.require_indicators:
        if ind not in indicators:
            _unknown(sources, "policy.require_indicators", f"unknown indicator {ind!r}", pack)


def _unknown(sources: Mapping[str, str], key: str, message: str, pack: Pack) -> None:
    origin = sources.get(key, sources.get(key.rsplit(".", 1)[0], "command line"))
    path = None if origin in ("command line", "default") else origin
    if path is not None and path.endswith(".toml"):
        key = "tool.csrscan." + key
    raise ConfigError(f"key '{key}': {message} in pack {pack.id} "
                      "(see `csrscan rules list`)", path=path)


def evaluate(report: Report, policy: Policy) -> tuple[Finding, ...]:
    """Every requirement of `policy` that `report` does not meet."""
    path = report.source.path
    findings: list[Finding] = []
    for topic in report.topics:
        findings.extend(_topic_findings(path, topic, policy))
    if policy.min_score is not None and report.score < policy.min_score:
        findings.append(Finding(
            file=path, rule=SCORE_RULE, kind="score", severity="error",
            message=f"score {report.score:.2f} is below the minimum {policy.min_score:.2f}",
            expected=f"{policy.min_score:.3f}", actual=f"{report.score:.3f}"))
    return tuple(sorted(findings, key=sort_key))


def _topic_findings(path: str, topic: TopicResult, policy: Policy) -> list[Finding]:
    tid = topic.topic.id
    severity = policy.severity_of(tid)
    page, line = _anchor(topic)
    out = []
    need = policy.required_level(tid)
    if topic.level < need:
        missing = [f"{r.indicator.name} [{r.indicator.id}]"
                   for r in topic.indicators if not r.found]
        extra = f"; indicators not found: {', '.join(missing)}" if missing else ""
        out.append(Finding(
            file=path, rule=tid, kind="topic", severity=severity, topic=tid,
            message=f"topic {topic.topic.name} [{tid}] is {topic.status}, "
                    f"policy requires at least {LEVELS[need]}{extra}",
            expected=LEVELS[need], actual=topic.status, page=page, line=line))
    for result in topic.indicators:
        ind = result.indicator
        if ind.id in policy.require_indicators and not result.found:
            out.append(Finding(
                file=path, rule=ind.id, kind="indicator", severity=severity, topic=tid,
                message=f"required indicator {ind.name} [{ind.id}] not found",
                expected="found", actual="not found", page=page, line=line))
    return out


def _anchor(topic: TopicResult) -> tuple[int, int]:
    """Where to point a gap: the topic's first evidence, else page 1 line 1."""
    evidence = [e for r in topic.indicators for e in r.evidence]
    if not evidence:
        return 1, 1
    first = min(evidence, key=lambda e: (e.page, e.line))
    return first.page, first.line


def sort_key(f: Finding) -> tuple[str, int, int, str]:
    return (f.file, f.page, f.line, f.rule)


def relocate(finding: Finding, page: int, line: int) -> Finding:
    return replace(finding, page=page, line=line)


def failed(findings: tuple[Finding, ...], fail_on: str) -> bool:
    return any(f.fails(fail_on) for f in findings)
