"""Baselines: record today's gaps and levels so that `check --baseline` fails
only on new gaps, or when a file's score or a topic's level falls.

A `csrscan.baseline/1` file lists gaps keyed by file path (relative to the
baseline file's folder, '/'-separated) and topic / indicator / rule id, each
with its fingerprint (check/fingerprint.py), and a ratchet per file: the
score and topic levels it reached (`min_score`, `levels`). Sorted, without
timestamps. `baseline update` only raises the ratchet and only drops gaps.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any

from csrscan.check.fingerprint import finding_fingerprint
from csrscan.check.policy import LEVELS, RATCHET_RULE, Finding
from csrscan.errors import ConfigError
from csrscan.models import Report

SCHEMA = "csrscan.baseline/1"


@dataclass(frozen=True, slots=True)
class FileRatchet:
    """The least a file may reach: its recorded score and topic levels."""

    min_score: float
    levels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Baseline:
    gaps: tuple[dict[str, str], ...] = ()
    ratchet: Mapping[str, FileRatchet] = field(default_factory=dict)

    @property
    def known(self) -> frozenset[tuple[str, str]]:
        return frozenset((g["file"], g["id"]) for g in self.gaps)


def baseline_path_of(file: str, baseline: Path) -> str:
    """The key path of a checked file, relative to the baseline's folder."""
    rel = os.path.relpath(Path(file).resolve(), baseline.resolve().parent)
    return PurePath(rel).as_posix()


def baseline_entries(findings: tuple[Finding, ...], baseline: Path, pack_id: str = ""
                     ) -> list[dict[str, str]]:
    """Open gaps (not suppressions, not ratchet falls) as sorted baseline entries."""
    entries = {(baseline_path_of(f.file, baseline), f.rule, f.kind,
                finding_fingerprint(f, pack_id))
               for f in findings
               if f.status == "open" and f.kind not in ("suppression", "ratchet")}
    return [{"file": p, "id": r, "kind": k, "fingerprint": fp}
            for p, r, k, fp in sorted(entries)]


def file_ratchet(report: Report) -> FileRatchet:
    return FileRatchet(report.score, tuple((t.topic.id, t.status) for t in report.topics))


def render_baseline(findings: tuple[Finding, ...], baseline: Path, pack_id: str = "",
                    reports: Iterable[Report] = ()) -> str:
    ratchet = {baseline_path_of(r.source.path, baseline): file_ratchet(r) for r in reports}
    return dump_baseline(Baseline(tuple(baseline_entries(findings, baseline, pack_id)), ratchet))


def dump_baseline(b: Baseline) -> str:
    doc: dict[str, Any] = {"schema": SCHEMA, "gaps": list(b.gaps)}
    if b.ratchet:
        doc["ratchet"] = {path: {"min_score": r.min_score, "levels": dict(sorted(r.levels))}
                          for path, r in sorted(b.ratchet.items())}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def read_baseline(path: Path) -> Baseline:
    """A baseline file; ConfigError when unreadable or malformed."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read baseline: {exc.strerror}", path=str(path)) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"baseline is not valid JSON: {exc}", path=str(path)) from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise ConfigError(f"key 'schema': not a {SCHEMA} baseline", path=str(path))
    gaps = doc.get("gaps")
    if not isinstance(gaps, list) or not all(
            isinstance(g, dict) and isinstance(g.get("file"), str) and isinstance(g.get("id"), str)
            for g in gaps):
        raise ConfigError("key 'gaps': must be a list of {file, id, kind}", path=str(path))
    return Baseline(tuple(gaps), _read_ratchet(doc.get("ratchet", {}), path))


def _read_ratchet(raw: Any, path: Path) -> dict[str, FileRatchet]:
    problem = "key 'ratchet': must map file paths to {min_score, levels}"
    if not isinstance(raw, dict):
        raise ConfigError(problem, path=str(path))
    out = {}
    for file, entry in raw.items():
        score = entry.get("min_score") if isinstance(entry, dict) else None
        levels = entry.get("levels", {}) if isinstance(entry, dict) else None
        if (isinstance(score, bool) or not isinstance(score, (int, float))
                or not isinstance(levels, dict)
                or not all(v in LEVELS for v in levels.values())):
            raise ConfigError(problem, path=str(path))
        out[str(file)] = FileRatchet(float(score), tuple(sorted(levels.items())))
    return out


def load_baseline(path: Path) -> frozenset[tuple[str, str]]:
    """(file, id) pairs of a baseline file; ConfigError when unreadable or malformed."""
    return read_baseline(path).known


def apply_baseline(findings: tuple[Finding, ...], known: frozenset[tuple[str, str]],
                   baseline: Path) -> tuple[Finding, ...]:
    """Mark open gaps already in the baseline as baselined (kept, not hidden)."""
    out = []
    for f in findings:
        hit = (f.status == "open" and f.kind not in ("suppression", "ratchet")
               and (baseline_path_of(f.file, baseline), f.rule) in known)
        out.append(replace(f, status="baselined") if hit else f)
    return tuple(out)


def ratchet_findings(report: Report, ratchet: FileRatchet | None) -> tuple[Finding, ...]:
    """Errors for a score or a topic level below what the baseline recorded."""
    if ratchet is None:
        return ()
    path = report.source.path
    out = []
    if report.score < ratchet.min_score:
        out.append(Finding(
            file=path, rule=RATCHET_RULE, kind="ratchet", severity="error",
            message=f"score {report.score:.3f} fell below the baseline's {ratchet.min_score:.3f}"
                    " (the ratchet: `csrscan baseline update` records a higher one, never a "
                    "lower one)",
            expected=f"{ratchet.min_score:.3f}", actual=f"{report.score:.3f}"))
    was = dict(ratchet.levels)
    for t in report.topics:
        before = was.get(t.topic.id)
        if before is not None and t.level < LEVELS.index(before):
            out.append(Finding(
                file=path, rule=RATCHET_RULE, kind="ratchet", severity="error",
                topic=t.topic.id, expected=before, actual=t.status,
                message=f"topic {t.topic.name} [{t.topic.id}] fell from {before} to "
                        f"{t.status} (the baseline's level)"))
    return tuple(out)


def raise_ratchet(old: FileRatchet | None, new: FileRatchet) -> FileRatchet:
    """The higher of two ratchets, score and topic by topic."""
    if old is None:
        return new
    levels = dict(old.levels)
    for topic, level in new.levels:
        if LEVELS.index(level) > LEVELS.index(levels.get(topic, "missing")):
            levels[topic] = level
    return FileRatchet(max(old.min_score, new.min_score), tuple(sorted(levels.items())))


def update_baseline(old: Baseline, findings: tuple[Finding, ...], reports: Iterable[Report],
                    baseline: Path, pack_id: str = "") -> Baseline:
    """Fixed gaps leave, new gaps are not added, the ratchet only rises."""
    current = {(e["file"], e["id"]): e for e in baseline_entries(findings, baseline, pack_id)}
    gaps = tuple(current[(g["file"], g["id"])] for g in old.gaps
                 if (g["file"], g["id"]) in current)
    ratchet = dict(old.ratchet)
    for r in reports:
        key = baseline_path_of(r.source.path, baseline)
        ratchet[key] = raise_ratchet(ratchet.get(key), file_ratchet(r))
    return Baseline(gaps, ratchet)
