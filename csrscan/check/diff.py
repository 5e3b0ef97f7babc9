"""`csrscan diff OLD NEW`: what a revision gained and lost, topic by topic.

Evidence is matched by indicator and quoted text (whitespace-folded), so a
sentence that only moved to another line is neither gained nor lost. The
Markdown (a PR comment) lists only what changed unless `show_all` is set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from csrscan.models import Evidence, Report, TopicResult

SCHEMA = "csrscan.diff/1"


@dataclass(frozen=True, slots=True)
class TopicDiff:
    id: str
    name: str
    old_status: str
    new_status: str
    old_level: int
    new_level: int
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    appeared: tuple[Evidence, ...]
    disappeared: tuple[Evidence, ...]

    @property
    def change(self) -> str:
        if self.new_level > self.old_level:
            return "improved"
        if self.new_level < self.old_level:
            return "regressed"
        return "changed" if (self.gained or self.lost or self.appeared or self.disappeared) \
            else "unchanged"

    @property
    def regression(self) -> bool:
        return self.new_level < self.old_level or bool(self.lost)


@dataclass(frozen=True, slots=True)
class ReportDiff:
    old: Report
    new: Report
    topics: tuple[TopicDiff, ...]
    show_all: bool = False  # markdown: every topic, not only those that changed

    @property
    def regression(self) -> bool:
        return any(t.regression for t in self.topics)


def _key(e: Evidence) -> tuple[str, str]:
    return e.indicator, " ".join(e.text.split())


def diff_topic(old: TopicResult | None, new: TopicResult | None) -> TopicDiff:
    ref = new or old
    assert ref is not None
    old_found = {r.indicator.id for r in old.indicators if r.found} if old else set()
    new_found = {r.indicator.id for r in new.indicators if r.found} if new else set()
    old_ev = {_key(e): e for r in (old.indicators if old else ()) for e in r.evidence}
    new_ev = {_key(e): e for r in (new.indicators if new else ()) for e in r.evidence}
    return TopicDiff(
        id=ref.topic.id, name=ref.topic.name,
        old_status=old.status if old else "missing", new_status=new.status if new else "missing",
        old_level=old.level if old else 0, new_level=new.level if new else 0,
        gained=tuple(sorted(new_found - old_found)), lost=tuple(sorted(old_found - new_found)),
        appeared=tuple(new_ev[k] for k in sorted(new_ev.keys() - old_ev.keys())),
        disappeared=tuple(old_ev[k] for k in sorted(old_ev.keys() - new_ev.keys())))


def diff_reports(old: Report, new: Report) -> ReportDiff:
    olds = {t.topic.id: t for t in old.topics}
    news = {t.topic.id: t for t in new.topics}
    order = [t.topic.id for t in new.topics] + [t for t in olds if t not in news]
    return ReportDiff(old, new, tuple(diff_topic(olds.get(t), news.get(t)) for t in order))


def _ev(e: Evidence) -> dict[str, Any]:
    return {"indicator": e.indicator, "page": e.page, "line": e.line, "text": e.text,
            "strength": e.strength}


def diff_to_dict(d: ReportDiff) -> dict[str, Any]:
    """The `csrscan.diff/1` contract (docs/check.md)."""
    return {
        "schema": SCHEMA,
        "old": {"path": d.old.source.path, "sha256": d.old.source.sha256, "score": d.old.score},
        "new": {"path": d.new.source.path, "sha256": d.new.source.sha256, "score": d.new.score},
        "pack": {"id": d.new.pack_id, "version": d.new.pack_version},
        "regression": d.regression,
        "topics": [{"id": t.id, "name": t.name, "old_status": t.old_status,
                    "new_status": t.new_status, "change": t.change,
                    "indicators_gained": list(t.gained), "indicators_lost": list(t.lost),
                    "evidence_appeared": [_ev(e) for e in t.appeared],
                    "evidence_disappeared": [_ev(e) for e in t.disappeared]}
                   for t in d.topics],
    }


def render_diff_json(d: ReportDiff) -> str:
    return json.dumps(diff_to_dict(d), ensure_ascii=False, indent=2) + "\n"


def _headline(d: ReportDiff) -> str:
    return (f"score {d.old.score:.2f} → {d.new.score:.2f}"
            + ("; regression" if d.regression else ""))


def render_diff_table(d: ReportDiff) -> str:
    rows = [f"{d.old.source.path} → {d.new.source.path}: {_headline(d)}"]
    for t in d.topics:
        rows.append(f"{t.id:<24} {t.old_status:>8} → {t.new_status:<8} {t.change}")
        rows += [f"    + {i}" for i in t.gained] + [f"    - {i}" for i in t.lost]
        rows += [f"    + p.{e.page}:{e.line} {e.indicator}: {e.text.strip()}" for e in t.appeared]
        rows += [f"    - p.{e.page}:{e.line} {e.indicator}: {e.text.strip()}"
                 for e in t.disappeared]
    return "\n".join(rows) + "\n"


def _names(d: ReportDiff) -> dict[str, str]:
    """Indicator id → `中文名 [id]`, from both revisions."""
    return {r.indicator.id: f"{r.indicator.name} [{r.indicator.id}]"
            for rep in (d.old, d.new) for t in rep.topics for r in t.indicators}


def render_diff_markdown(d: ReportDiff) -> str:
    """For a pull-request comment: the topics that changed (all with show_all)."""
    names = _names(d)
    shown = [t for t in d.topics if d.show_all or t.change != "unchanged"]
    rows = [f"### csrscan diff: `{d.old.source.path}` → `{d.new.source.path}`", "",
            f"**{_headline(d)}**", ""]
    if not shown:
        return "\n".join([*rows, "No topic or indicator changed.", ""])
    rows += ["| topic | before | after | change | indicators gained | indicators lost |",
             "| --- | --- | --- | --- | --- | --- |"]
    for t in shown:
        gained = ", ".join(names.get(i, i) for i in t.gained) or "—"
        lost = ", ".join(names.get(i, i) for i in t.lost) or "—"
        rows.append(f"| {t.name} `{t.id}` | {t.old_status} | {t.new_status} | {t.change} | "
                    f"{gained} | {lost} |")
    hidden = len(d.topics) - len(shown)
    if hidden:
        rows += ["", f"{hidden} unchanged topic(s) not shown (`--all` shows them)."]
    changed = [t for t in shown if t.appeared or t.disappeared]
    if changed:
        rows += ["", "#### Evidence", ""]
        for t in changed:
            rows += [f"- ➕ {names.get(e.indicator, e.indicator)} line {e.line}: "
                     f"{e.text.strip()}" for e in t.appeared]
            rows += [f"- ➖ {names.get(e.indicator, e.indicator)} line {e.line}: "
                     f"{e.text.strip()}" for e in t.disappeared]
    return "\n".join(rows) + "\n"
