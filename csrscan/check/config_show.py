"""`csrscan config show`: the effective config, each value with its origin."""

from __future__ import annotations

import json
from typing import Any

from csrscan.check.config import DEFAULT, Config
from csrscan.models import Pack


def config_rows(cfg: Config, pack: Pack) -> list[tuple[str, Any, str]]:
    """(key, value, origin) for every effective setting, in a stable order."""
    p = cfg.policy
    rows: list[tuple[str, Any, str]] = [
        ("pack", pack.id, cfg.source_of("pack")),
        ("rules", list(cfg.rules), cfg.source_of("rules")),
        ("format", cfg.format, cfg.source_of("format")),
        ("baseline", cfg.baseline, cfg.source_of("baseline")),
        ("db", cfg.db, cfg.source_of("db")),
    ]
    rows += [(f"policy.require.{k}", v, cfg.source_of(f"policy.require.{k}"))
             for k, v in p.require]
    rows += [("policy.require_indicators", list(p.require_indicators),
              cfg.source_of("policy.require_indicators")),
             ("policy.min_score", p.min_score, cfg.source_of("policy.min_score"))]
    rows += [(f"policy.severity.{k}", v, cfg.source_of(f"policy.severity.{k}"))
             for k, v in p.severity]
    if not any(k == "*" for k, _ in p.severity):
        rows.append(("policy.severity.*", "error", DEFAULT))
    rows.append(("policy.fail_on", p.fail_on, cfg.source_of("policy.fail_on")))
    return rows


def render_config(cfg: Config, pack: Pack, as_json: bool = False) -> str:
    rows = config_rows(cfg, pack)
    if as_json:
        doc = {"schema": "csrscan.config/1", "files": list(cfg.files),
               "values": [{"key": k, "value": v, "source": s} for k, v, s in rows]}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    out = [f"# config files: {', '.join(cfg.files) or 'none (built-in defaults)'}"]
    out += [f"{k} = {json.dumps(v, ensure_ascii=False)}  # {s}" for k, v, s in rows]
    return "\n".join(out) + "\n"
