"""Which company filed a report: rank the legal names found near its start.

A long report names many companies (subsidiaries, shareholders, the stock
exchange, the auditor), and OCR glues words to names ("均指兴业银行…",
"本報告是…"). So every legal name in the report's head is a candidate;
each is cleaned (lead-in words off, OCR'd suffix repaired), institutions
that never file the report (exchanges, regulators, auditors, associations)
are dropped, spellings that differ by one OCR'd character are merged, and
the rest are ranked by where they stand (the cover lines, a self-definition
such as "本公司 指 …" / "（以下简称“公司”）" / "报告主体：…") and how often the
whole document repeats them. docs/compare.md documents the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NAME_CHARS = r"\u4e00-\u9fff（）()A-Za-z0-9·"
LEGAL_NAME = re.compile(
    rf"([{NAME_CHARS}]{{2,40}}?(?:股份有限公司|有限责任公司|有限責任公司|有限公司))")
# OCR misreads of 份 inside 股份有限公司 (股佾, 股伤): repaired so both spellings merge.
SUFFIX_OCR = re.compile(r"股[佾伤仿扮彷]有限公司$")
LEGAL_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司)$")
# Words that stand before a name in a sentence and are never part of it
# (simplified forms; names are compared after traditional → simplified).
# Multi-character words are always stripped; one-character words only when the
# unstripped string never starts a line or clause (so 以岭药业 keeps its 以).
LEAD_WORDS_TEXT = """
    本报告书是 本报告书为 本报告书系 本报告书以 本报告书由 本报告书 报告书
    本报告是 本报告为 本报告系 本报告以 本报告由 本报告 报告由 报告主体 报告主体为 报告组织范围
    组织范围为 组织范围 报告范围为 报告范围 发布单位 编制单位 发布机构 公司名称 欢迎阅读 感谢您阅读
    感谢 关于 均指代 均指 系指 是指 指代 已经 经过 作为 通过 来自 源于 涵盖 回顾了 总结了 反映了
    仅供 根据 按照 依据 联合 携手 委托 聘请 授予 荣获 获得 成为 隶属于 属于 下属 旗下
    本公司 本行 本集团 公司 我们
    是 为 系 以 在 由 经 指 于 对 向 与 和 及 即 被 将 从 自 致 了 的
"""
LEAD_WORDS = tuple(sorted(LEAD_WORDS_TEXT.split(), key=len, reverse=True))
# A longer candidate ending in a shorter one is the shorter one with words in
# front only when the extra words contain one of these (so 上海东方明珠… stays whole).
GLUE_MARKS = re.compile(r"[的是为系以在由经指于对向与和及即被将从自致了]|报告|公司|阅读|感谢")
# Inside a candidate, what precedes these is another clause: the name starts after
# the last one. `rel` words also mean "a company related to the reporter".
CLAUSE_CUT = re.compile(
    r"(?P<rel>全资子公司|控股子公司|子公司|分公司|控股股东|股东|母公司|所属|下属|旗下|参股|"
    r"收购了|收购|投资设立|设立|成立|合资|参加|加入)|(?P<glue>[的了与及、])")
# Institutions that appear in every report and never file it: dropped.
INSTITUTION = re.compile(r"交易所|登记结算|事务所|证券信息|股份转让系统|监督管理|协会")
# Service providers named in the report (assurance, ratings, consultants) that
# seldom file one themselves: ranked SERVICE_PENALTY lower, so a research
# institute that does file wins on its cover and self-definition.
SERVICE = re.compile(r"评估|评级|认证|鉴证|咨询|顾问|研究院|研究中心")
SELF_WORDS = frozenset(("本公司", "公司", "本行", "我行", "本集团", "集团", "我们", "我司",
                        "本银行", "本社", "本企业"))
SELF_TOKENS = re.compile(r"[、，,/或和及“”\"「」『』‘’'\s]+")
DEFINE_BEFORE = re.compile(r"(?:均指代|均指|系指|是指|指代|指)$")
SUBJECT_BEFORE = re.compile(
    r"(?:报告主体|主体为|组织范围|报告范围|公司名称|发布单位|编制单位|本报告(?:是|为|系|以|由))"
    r"[:：为是]?$")
SUBJECT_AFTER = re.compile(r"^(?:为|作为)(?:报告)?主体")
SHORT_AFTER = re.compile(r"^[（(]\s*(?:以下简称|下称|简称)?\s*[:：]?\s*([^）)]{1,30})[）)]")
LATIN_JUNK = re.compile(r"[a-z]")
MAX_CORE = 20  # longer "names" are sentences glued to a suffix (page footers, OCR runs)
HEAD_CHARS = 8000
SELF_SCAN_CHARS = 60000  # bounds the work on a long annual report without a head name
TITLE_LINES = 5
W_TITLE, W_SELF, W_SHORT, MAX_COUNT, SERVICE_PENALTY, W_RELATED = 5, 4, 2, 12, 8, 4


@dataclass(slots=True)
class Candidate:
    name: str
    first: int
    title: bool = False
    self_defined: bool = False
    short_declared: bool = False
    cover: str = ""
    related: bool = False
    spellings: dict[str, int] = field(default_factory=dict)


def best_legal_name(head: str, title_end: int, whole: str) -> str:
    """The reporting company's legal name among the candidates in `head`, or "".

    `head` and `whole` are the report's start and all its text, spaces removed;
    `head[:title_end]` is the cover (its first non-empty lines). With no
    candidate in the head, a name defined as the reporter further on (within
    SELF_SCAN_CHARS) is taken.
    """
    name = _best(head, title_end, whole, need_self=False)
    if not name and len(whole) > len(head):
        name = _best(whole[:SELF_SCAN_CHARS], 0, whole, need_self=True)
    return name


def _best(head: str, title_end: int, whole: str, need_self: bool) -> str:
    from csrscan.text.normalize import to_simplified

    cands: dict[str, Candidate] = {}
    for m in LEGAL_NAME.finditer(head):
        raw = m.group(1)
        name, related = clean_name(raw, whole)
        if not name or INSTITUTION.search(to_simplified(name)):
            continue
        c = cands.setdefault(name, Candidate(name, m.start()))
        c.related |= related
        c.title |= m.start() < title_end
        c.spellings[name] = 0
        before = head[max(0, m.start() - 20):m.start()] + raw[:len(raw) - len(name)]
        _mark_context(c, to_simplified(before), to_simplified(head[m.end():m.end() + 16]))
    _merge_glued(cands)
    groups = [g for g in _merge_ocr_spellings(list(cands.values()), whole)
              if _score(g) > 0 and (g.self_defined or not need_self)]
    if not groups:
        return ""
    return max(groups, key=lambda g: (_score(g), -g.first)).name


def clean_name(raw: str, whole: str) -> tuple[str, bool]:
    """Drop lead-in words and leading digits / lowercase Latin; repair an OCR'd suffix.

    Also says whether a relation word stood before the name (子公司, 控股股东,
    收购 …): such a company is related to the reporter, not the reporter.
    """
    from csrscan.text.normalize import to_simplified

    name = SUFFIX_OCR.sub("股份有限公司", raw.lstrip("0123456789()（）·"))
    name, related = _cut_clause(name)
    while True:
        name = re.sub(r"^[0-9a-z·]+", "", name)
        simple = to_simplified(name)
        word = next((w for w in LEAD_WORDS if simple.startswith(w)), "")
        if not word or len(name) - len(word) < 1 + len(_suffix(name)):
            break
        if len(word) == 1 and _starts_clause(name, whole):
            break
        name = name[len(word):]
    core = name[:len(name) - len(_suffix(name))]
    if (not 1 <= len(core) <= MAX_CORE or LATIN_JUNK.search(core) or core in SELF_WORDS
            or core in LEAD_WORDS):
        return "", related
    return name, related


def _cut_clause(name: str) -> tuple[str, bool]:
    """Keep what follows the last relation word or joining character (的, 与, 、 …)
    when two or more characters are left before the suffix."""
    from csrscan.text.normalize import to_simplified

    simple = to_simplified(name)
    end = len(name) - len(_suffix(name))
    cuts = [(m.end(), m.lastgroup == "rel") for m in CLAUSE_CUT.finditer(simple, 0, end)
            if end - m.end() >= 2 and simple[m.end():end] not in SELF_WORDS]
    if not cuts:
        return name, False
    at, related = cuts[-1]
    return name[at:], related


def _suffix(name: str) -> str:
    m = LEGAL_SUFFIX.search(name)
    return m.group(0) if m else ""


def _starts_clause(name: str, whole: str) -> bool:
    return re.search(rf"(?<![{NAME_CHARS}]){re.escape(name)}", whole) is not None


def _mark_context(c: Candidate, before: str, after: str) -> None:
    """Self-definitions: "“本公司”、“本行”均指 X", "报告主体：X", "X（以下简称“公司”）"."""
    line = before.rsplit("\n", 1)[-1].rsplit("。", 1)[-1]
    if DEFINE_BEFORE.search(line):
        tokens = [t for t in SELF_TOKENS.split(DEFINE_BEFORE.sub("", line)) if t]
        c.self_defined |= any(t in SELF_WORDS for t in tokens[-3:])
    if SUBJECT_BEFORE.search(line) or SUBJECT_AFTER.match(after):
        c.self_defined = True
    m = SHORT_AFTER.match(after)
    if m:
        tokens = [t for t in SELF_TOKENS.split(m.group(1)) if t]
        c.self_defined |= any(t in SELF_WORDS for t in tokens)
        c.short_declared = bool(tokens)


def _merge_glued(cands: dict[str, Candidate]) -> None:
    """"…已经中国平安…股份有限公司" is "中国平安…股份有限公司" when that stands alone too."""
    from csrscan.text.normalize import to_simplified

    for name in sorted(cands, key=len, reverse=True):
        for other in cands:
            if other != name and name.endswith(other) and GLUE_MARKS.search(
                    to_simplified(name[:len(name) - len(other)])):
                c, o = cands.pop(name), cands[other]
                o.self_defined |= c.self_defined
                o.related |= c.related
                o.short_declared |= c.short_declared
                o.first = min(o.first, c.first)
                break


def _merge_ocr_spellings(cands: list[Candidate], whole: str) -> list[Candidate]:
    """Spellings of one length that differ in one character (船舶重工 / 船舶里工) are one."""
    groups: list[Candidate] = []
    for c in sorted(cands, key=lambda c: c.first):
        count = whole.count(c.name)
        g = next((g for g in groups if any(_one_off(s, c.name) for s in g.spellings)), None)
        if g is None:
            c.spellings = {c.name: count}
            c.cover = c.name if c.title else ""
            groups.append(c)
            continue
        g.spellings[c.name] = count
        g.cover = g.cover or (c.name if c.title else "")
        g.title |= c.title
        g.self_defined |= c.self_defined
        g.related |= c.related
        g.short_declared |= c.short_declared
    for g in groups:
        # The cover's spelling wins (set in large type, read best), else the most frequent.
        g.name = g.cover or max(g.spellings, key=lambda s: g.spellings[s])
    return groups


def _one_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _score(c: Candidate) -> int:
    from csrscan.text.normalize import to_simplified

    count = sum(c.spellings.values())
    return (W_TITLE * c.title + W_SELF * c.self_defined + W_SHORT * c.short_declared
            + min(count, MAX_COUNT) - W_RELATED * c.related
            - SERVICE_PENALTY * bool(SERVICE.search(to_simplified(c.name))))
