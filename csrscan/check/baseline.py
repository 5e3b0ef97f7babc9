"""Baselines: record today's gaps so that `check --baseline` fails only on new ones.

A `csrscan.baseline/1` file lists gaps keyed by file path (relative to the
baseline file's folder, '/'-separated) and topic / indicator / rule id,
sorted, without timestamps.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path, PurePath

from csrscan.check.policy import Finding
from csrscan.errors import ConfigError

SCHEMA = "csrscan.baseline/1"


def baseline_path_of(file: str, baseline: Path) -> str:
    """The key path of a checked file, relative to the baseline's folder."""
    rel = os.path.relpath(Path(file).resolve(), baseline.resolve().parent)
    return PurePath(rel).as_posix()


def baseline_entries(findings: tuple[Finding, ...], baseline: Path) -> list[dict[str, str]]:
    """Open gaps (not suppressions) as sorted baseline entries."""
    entries = {(baseline_path_of(f.file, baseline), f.rule, f.kind)
               for f in findings if f.status == "open" and f.kind != "suppression"}
    return [{"file": p, "id": r, "kind": k} for p, r, k in sorted(entries)]


def render_baseline(findings: tuple[Finding, ...], baseline: Path) -> str:
    doc = {"schema": SCHEMA, "gaps": baseline_entries(findings, baseline)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def load_baseline(path: Path) -> frozenset[tuple[str, str]]:
    """(file, id) pairs of a baseline file; ConfigError when unreadable or malformed."""
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
    return frozenset((g["file"], g["id"]) for g in gaps)


def apply_baseline(findings: tuple[Finding, ...], known: frozenset[tuple[str, str]],
                   baseline: Path) -> tuple[Finding, ...]:
    """Mark open gaps already in the baseline as baselined (kept, not hidden)."""
    out = []
    for f in findings:
        hit = (f.status == "open" and f.kind != "suppression"
               and (baseline_path_of(f.file, baseline), f.rule) in known)
        out.append(replace(f, status="baselined") if hit else f)
    return tuple(out)
