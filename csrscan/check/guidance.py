"""What a writer should add for a gap: the missing indicators' guidance.

A topic gap names the topic's indicators without evidence in that file; an
indicator gap names the indicator. Packs without `guidance` give nothing.
"""

from __future__ import annotations

from csrscan.check.policy import Finding
from csrscan.models import Indicator, Report


def missing_indicators(report: Report, f: Finding) -> tuple[Indicator, ...]:
    """The indicators a finding asks the writer to disclose."""
    if f.kind not in ("topic", "indicator", "ratchet"):
        return ()
    for topic in report.topics:
        if topic.topic.id != f.topic:
            continue
        missing = tuple(r.indicator for r in topic.indicators if not r.found)
        if f.kind == "indicator":
            return tuple(i for i in missing if i.id == f.rule)
        return missing
    return ()


def indicator_label(ind: Indicator) -> str:
    """`数据安全事件与泄露情况 [data_security.incidents]`: the Chinese name, the id in brackets."""
    return f"{ind.name} [{ind.id}]"


def guidance_lines(ind: Indicator) -> list[str]:
    """The indicator's label, guidance lines and good example (empty without guidance)."""
    if not ind.guidance and not ind.good_example:
        return []
    lines = [indicator_label(ind) + ":"]
    lines += [f"  {line.strip()}" for line in ind.guidance.splitlines() if line.strip()]
    if ind.good_example:
        lines.append(f"  例 / e.g.: {ind.good_example}")
    return lines


def guidance_text(indicators: tuple[Indicator, ...]) -> str:
    """Every indicator's guidance, one block after another."""
    return "\n".join(line for ind in indicators for line in guidance_lines(ind))
