"""Disclosure-quality indices and batch boilerplate, against hand-computed values."""

from __future__ import annotations

from csrscan.models import Evidence, Indicator, IndicatorResult, Strength, Topic, TopicResult
from csrscan.score.boilerplate import (
    ReportSentences,
    boilerplate,
    grams,
    jaccard,
    near_pairs,
    normalize,
)
from csrscan.score.quality import report_quality, topic_quality


def _ind(iid: str) -> Indicator:
    return Indicator(iid, iid.split(".")[0], iid, iid, "", (), ())


def _ev(iid: str, line: int, strength: Strength, text: str = "") -> Evidence:
    return Evidence(iid, 1, line, text or f"sentence {line}", (), strength)


def _topic(tid: str, evidence: dict[str, list[Evidence]]) -> TopicResult:
    results = tuple(IndicatorResult(_ind(i), tuple(e)) for i, e in evidence.items())
    return TopicResult(Topic(tid, tid, tid, (), tuple(r.indicator for r in results)), 1, 0.0,
                       results)


def test_topic_indices_by_hand() -> None:
    # a: lines 1 (statement), 2 (performance); b: lines 2 (measure), 3 (statement),
    # c: line 4 (statement); d: nothing.
    # sentences 1..4: grades {st}, {perf, measure}, {st}, {st}
    # specificity 1/4, quantitative 1/4; found a, b, c: statement-only b? no (3 st,
    # 2 measure) -> c only: cheap talk 1/3
    t = _topic("ds", {"ds.a": [_ev("ds.a", 1, "statement"), _ev("ds.a", 2, "performance")],
                      "ds.b": [_ev("ds.b", 2, "measure"), _ev("ds.b", 3, "statement")],
                      "ds.c": [_ev("ds.c", 4, "statement")], "ds.d": []})
    q = topic_quality(t)
    assert (q.sentences, q.specificity, q.quantitative) == (4, 0.25, 0.25)
    assert (q.indicators, q.cheap_talk) == (3, 0.333)


def test_report_indices_pool_topics_and_count_a_shared_sentence_once() -> None:
    one = _topic("x", {"x.a": [_ev("x.a", 1, "statement", "s")]})
    two = _topic("y", {"y.a": [_ev("y.a", 1, "target", "s"), _ev("y.a", 2, "statement")],
                       "y.b": []})
    q = report_quality([one, two])
    # sentence "s" (line 1) counts once, at its strongest (target); line 2 statement
    assert (q.sentences, q.specificity, q.quantitative) == (2, 0.5, 0.0)
    # found x.a (statements only) and y.a (a target): cheap talk 1/2
    assert (q.indicators, q.cheap_talk) == (2, 0.5)


def test_empty_topic_has_no_index() -> None:
    q = topic_quality(_topic("z", {"z.a": []}))
    assert (q.sentences, q.specificity, q.quantitative, q.cheap_talk) == (0, None, None, None)


def test_jaccard_and_prefix_filter_find_every_near_pair() -> None:
    a = "本公司建立了完善的个人信息保护制度并定期开展培训"
    assert normalize(a + "。") == normalize("本公司建立了完善的个人信息保护制度，并定期开展培训！")
    texts = [normalize(t) for t in (a, a + "工作", "本公司高度重视绿色金融发展", "本行" + a[3:],
                                    a[:10] + "数据" + a[12:], "无关句子")]
    brute = [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
             if jaccard(grams(texts[i]), grams(texts[j])) >= 0.9]
    assert near_pairs(texts) == brute
    # 22 grams; two more at the end: 22/24 = 0.92; another first word: 19/24 < 0.9
    assert (0, 1) in brute and (0, 3) not in brute


def test_the_edit_lengths_docs_scoring_md_gives() -> None:
    """docs/scoring.md: with n distinct grams, a character added at the end is
    near-identical from n = 9, one inserted in the middle from n = 47, one
    replaced in the middle from n = 57."""
    chars = "".join(chr(0x4E00 + 7 * i) for i in range(80))  # no gram repeats

    def near(n: int, edit: str) -> bool:
        s = chars[:n + 2]
        m = len(s) // 2
        edited = {"end": s + "X", "insert": s[:m] + "X" + s[m:],
                  "replace": s[:m] + "X" + s[m + 1:]}[edit]
        return jaccard(grams(s), grams(edited)) >= 0.9

    for edit, n in (("end", 9), ("insert", 47), ("replace", 57)):
        assert (near(n - 1, edit), near(n, edit)) == (False, True), edit


PLANTED = "我们始终坚持以客户为中心的服务理念，持续完善消费者权益保护工作机制。"


def test_boilerplate_finds_planted_repeats_across_companies() -> None:
    own = [f"甲公司第{i}项独有的措施描述，内容各不相同且足够长{i}号" for i in range(3)]
    reports = [
        ReportSentences("甲", [("cp", PLANTED), ("cp", own[0]), ("ds", own[1]), ("ds", own[2])]),
        # near-identical: traditional script, two more characters (29 of 31 grams shared)
        ReportSentences("乙", [("cp", "我們始終堅持以客戶為中心的服務理念，"
                                      "持續完善消費者權益保護工作機制建設！"),
                               ("ds", "乙公司自己的一句话，与别人完全不同的内容描述")]),
        ReportSentences("丙", [("cp", "丙公司的句子完全是自己写的，没有任何重复之处")]),
    ]
    result = boilerplate(reports)
    assert result.report == (0.25, 0.5, 0.0)
    assert result.topics[0] == {"cp": 0.5, "ds": 0.0}
    assert result.topics[1] == {"cp": 1.0, "ds": 0.0}
    assert [(r.companies, r.reports) for r in result.repeated] == [(2, 2)]
    assert result.repeated[0].text == PLANTED


def test_repeats_within_a_report_or_a_company_are_not_boilerplate() -> None:
    reports = [ReportSentences("甲", [("cp", PLANTED), ("ds", PLANTED), ("cp", PLANTED)]),
               ReportSentences("甲", [("cp", PLANTED)]),  # the same company, another year
               ReportSentences("乙", [("cp", "乙公司的句子完全是自己写的，没有任何重复之处")])]
    result = boilerplate(reports)
    assert result.report == (0.0, 0.0, 0.0)
    assert result.topics[0] == {"cp": 0.0, "ds": 0.0}
    assert result.repeated == ()
