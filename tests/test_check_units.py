"""Pure pieces of `csrscan check`: suppression parsing, headings, escaping, severities."""

from __future__ import annotations

import re

from csrscan.check.evaluate import heading_line, topic_names
from csrscan.check.formats.github import annotation
from csrscan.check.policy import Finding, Policy
from csrscan.check.suppress import apply_suppressions, parse_suppressions


def test_parse_suppressions() -> None:
    text = ("intro\n<!-- csrscan-disable a.one, b  : reason: with colon -->\n"
            "<!--csrscan-disable c-->\n<!-- csrscan-disable\n  d: spans\n  lines -->\n")
    a, c, d = parse_suppressions(text)
    assert (a.ids, a.reason, a.line) == (("a.one", "b"), "reason: with colon", 2)
    assert (c.ids, c.reason, c.line) == (("c",), "", 3)
    assert (d.ids, d.reason, d.line) == (("d",), "spans lines", 4)
    assert parse_suppressions("<!-- csrscan-enable x: y -->") == ()


def test_topic_suppression_covers_its_indicators() -> None:
    gaps = (Finding("f.md", "t", "topic", "error", "m", topic="t"),
            Finding("f.md", "t.i", "indicator", "error", "m", topic="t"),
            Finding("f.md", "u.i", "indicator", "error", "m", topic="u"))
    sups = parse_suppressions("<!-- csrscan-disable t: later -->\n"
                              "<!-- csrscan-disable u.i -->")
    out = apply_suppressions(gaps, sups)
    assert [f.status for f in out] == ["suppressed", "suppressed", "open"]  # u.i: no reason
    assert out[1].reason == "later"


def test_heading_line() -> None:
    lines = ["# 报告", "", "数据安全是我们长期关注的重点领域之一，公司持续投入资源开展相关工作。",
             "## 三、数据安全与个人信息保护", "正文。"]
    names = topic_names("数据安全与个人信息保护", "Data security")
    assert names == ["数据安全与个人信息保护", "Data security", "数据安全", "个人信息保护"]
    assert heading_line(lines, names) == 4
    assert heading_line(["Data Security", "x"], names) == 1
    assert heading_line(["# 绿色金融"], names) is None


def test_fail_on_and_severity() -> None:
    p = Policy(require=(("*", "partial"), ("a", "covered")),
               severity=(("*", "warning"), ("a", "error")))
    assert (p.required_level("a"), p.required_level("b")) == (2, 1)
    assert (p.severity_of("a"), p.severity_of("b")) == ("error", "warning")
    w = Finding("f", "b", "topic", "warning", "m", topic="b")
    assert not w.fails("error") and w.fails("warning") and w.fails("info")
    assert not w.fails("never")
    assert Finding("f", "a", "topic", "error", "m").fails("error")


def test_annotation_escaping() -> None:
    f = Finding("dir,a:b/r%.md", "t", "topic", "info", "50% done\nnext", line=0)
    line = annotation(f)
    assert line == ("::notice file=dir%2Ca%3Ab/r%25.md,line=1,title=csrscan t::"
                    "50%25 done%0Anext")
    assert re.fullmatch(r"::notice [^:]+::.+", line)
