"""`csrscan check`: scan files, apply the policy, suppressions and baseline."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from csrscan.check.baseline import apply_baseline, baseline_path_of, ratchet_findings, read_baseline
from csrscan.check.config import Config
from csrscan.check.policy import (
    Finding,
    Policy,
    evaluate,
    failed,
    relocate,
    sort_key,
    validate_policy,
)
from csrscan.check.suppress import (
    TEXT_SUFFIXES,
    Suppression,
    apply_suppressions,
    read_suppressions,
    suppression_findings,
)
from csrscan.models import Pack, Report, TopicResult

Scanner = Callable[[str, Pack], Report]


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    report: Report
    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...] = ()

    def passed(self, fail_on: str) -> bool:
        return not failed(self.findings, fail_on)


@dataclass(frozen=True, slots=True)
class CheckResult:
    pack: Pack
    policy: Policy
    files: tuple[FileResult, ...]
    baseline: str | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.files for f in r.findings)

    @property
    def passed(self) -> bool:
        return not failed(self.findings, self.policy.fail_on)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1


def load_config_pack(config: Config) -> Pack:
    """The config's pack, with the policy's ids checked against it."""
    from csrscan.packs.select import select_pack  # lazy: YAML and the pack cache only when checking

    pack = select_pack(config.pack, config.rules)
    validate_policy(config.policy, pack, dict(config.sources))
    return pack


def run_check(paths: Sequence[str], config: Config, scanner: Scanner,
              baseline: str | None = None, use_baseline: bool = True) -> CheckResult:
    """Check every path; `scanner(path, pack)` turns a path into a Report."""
    pack = load_config_pack(config)
    baseline = baseline or (config.baseline if use_baseline else None)
    recorded = read_baseline(Path(baseline)) if baseline else None
    results = []
    for path in unique_paths(paths):
        report = scanner(path, pack)
        result = check_report(report, Path(path), config.policy, pack)
        if recorded is not None and baseline:
            where = Path(baseline)
            ratchet = recorded.ratchet.get(baseline_path_of(report.source.path, where))
            findings = (apply_baseline(result.findings, recorded.known, where)
                        + ratchet_findings(report, ratchet))
            result = FileResult(result.path, result.report,
                                tuple(sorted(findings, key=sort_key)), result.suppressions)
        results.append(result)
    return CheckResult(pack=pack, policy=config.policy, files=tuple(results),
                       baseline=baseline)


def unique_paths(paths: Sequence[str]) -> list[str]:
    """Each file once, as first given: `x.md ./x.md` (or an overlapping glob)
    would repeat every finding with the same fingerprint, and GitLab keeps only
    the first issue of a fingerprint."""
    seen: set[Path] = set()
    out = []
    for path in paths:
        key = Path(path).resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def check_report(report: Report, source: Path, policy: Policy, pack: Pack) -> FileResult:
    """Policy findings of one report, placed on headings, with suppressions applied."""
    findings = evaluate(report, policy)
    lines = read_lines(source)
    if lines:
        topics = {t.topic.id: t for t in report.topics}
        findings = tuple(_place(f, topics, lines) for f in findings)
    sups = read_suppressions(source)
    findings = apply_suppressions(findings, sups) + suppression_findings(
        report.source.path, sups, pack)
    return FileResult(report.source.path, report, tuple(sorted(findings, key=sort_key)), sups)


def read_lines(source: Path) -> list[str]:
    if source.suffix.lower() not in TEXT_SUFFIXES or not source.is_file():
        return []
    return source.read_bytes().decode("utf-8-sig", errors="replace").splitlines()


def _place(f: Finding, topics: dict[str, TopicResult], lines: list[str]) -> Finding:
    """A gap without evidence points at the topic's heading when the draft has one."""
    topic = topics.get(f.topic or "")
    if topic is None:
        return f
    line = heading_line(lines, topic_names(topic.topic.name, topic.topic.name_en))
    return relocate(f, 1, line) if line else f


def topic_names(name: str, name_en: str) -> list[str]:
    """A topic's names plus the parts of a compound name (数据安全与个人信息保护 → 数据安全, …)."""
    parts = [p for p in re.split(r"[与和及、/]", name) if len(p) >= 4]
    return [n for n in (name, name_en, *parts) if n]


def heading_line(lines: list[str], names: Sequence[str]) -> int | None:
    """The first Markdown heading (or short title line) naming the topic."""
    wanted = [n.lower() for n in names]
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        is_heading = text.startswith("#") or (0 < len(text) <= 30 and not text.endswith("。"))
        if is_heading and any(w in text.lower() for w in wanted):
            return number
    return None
