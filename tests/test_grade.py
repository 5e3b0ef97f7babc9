"""Grading as pack data: the derived guards change no verdict; the base file
and a pack's own block decide how strongly a sentence counts."""

from __future__ import annotations

import dataclasses
import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscan.errors import RuleError
from csrscan.models import Grading
from csrscan.packs.load import discover_packs, load_pack
from csrscan.packs.select import select_pack
from csrscan.score.grade import grade, grader, has_figure, is_gap
from csrscan.text.guard import Guarded, guard_chars
from csrscan.text.normalize import normalize_term
from csrscan.text.segment import index_marker

ZH = select_pack(None).grading
ROOT = Path(__file__).resolve().parent.parent / "samples"


def zh_rules() -> list[Guarded]:
    g = grader(ZH)
    marker = index_marker(ZH.index)
    return [*g.figures, *g.zero, *g.measure, *g.normative, *g.gap, *g.target, *g.past,
            *g.others, *([marker] if marker else [])]


# the patterns' own characters, digits and spaces: random text that matches often
ALPHABET = sorted({c for r in zh_rules() for c in r.pattern if not c.isascii()}
                  | set("0123456789 .%,griskpafnb-"))


def agree(rule: Guarded, text: str) -> bool:
    return rule.search(text) == bool(rule.regex.search(text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30))
def test_guards_agree_with_their_regex_on_random_text(text: str) -> None:
    assert all(agree(rule, text) for rule in zh_rules())


def test_guards_agree_with_their_regex_on_sample_sentences() -> None:
    texts = ["反应", "适应当", "应用", "应急", "未发生", "零投诉", "0 起", "尚无统计",
             "有待完善", "到2025年实现", "2030年前", "GRI 418-1", "kpi b6.2", "a1.2 排放"]
    for name in ("src/huixin_consumer_finance_2024.md", "draft_thin.md", "tw_bank_report.txt"):
        texts += normalize_term((ROOT / name).read_text(encoding="utf-8")).split("\n")
    assert all(agree(rule, t) for rule in zh_rules() for t in texts)
    assert any(rule.guard is not None for rule in zh_rules())  # guards are in use


def test_guard_chars_are_what_every_match_needs() -> None:
    # per branch the smallest set: 发/出 (2) rather than 未/没/无 (3)
    assert guard_chars("(未|没有|无)(发生|出现)|零(投诉|事故)") == frozenset("发出零")
    assert guard_chars(r"\d+\s*件") == frozenset("件")  # a literal beats \d
    assert guard_chars(r"\d[\d,.]*\s*(亿元|万元|千元|美元|港元|人次|万人|户|家|个|项|场|期|"
                       r"小时|天|吨|度|份|篇|名|倍|款|台)") == frozenset({"\\d"})
    assert guard_chars(r"同比|.增长") == frozenset("同增")
    assert guard_chars(r"同比|.+") is None  # a branch without a literal
    assert guard_chars("(?i:gri)") is None  # folds case; the guard would not
    assert guard_chars("(?i)gri") is None


def test_base_file_grades_as_the_documented_examples() -> None:
    assert grade("公司始终高度重视绿色金融。", ZH) == "statement"
    assert grade("公司制定了绿色金融管理办法。", ZH) == "measure"
    assert grade("年末绿色贷款余额120.5亿元，同比增长18%。", ZH) == "performance"
    assert grade("公司力争到2027年绿色贷款占比达到10%。", ZH) == "target"
    assert is_gap("公司尚未建立绿色金融制度。", ZH)
    assert has_figure("全年处理投诉1,203件。", ZH)
    assert not has_figure("全年处理投诉若干。", ZH)


def test_the_built_in_pack_starts_from_the_zh_base(tmp_path: Path) -> None:
    plain = load_pack(pack_file(tmp_path)).grading  # no grading block: the base alone
    pack = select_pack(None)
    assert dataclasses.replace(pack.grading, subjects=plain.subjects) == plain
    assert "平台" in pack.grading.subjects and "平台" not in plain.subjects
    assert pack.subjects == pack.grading.subjects
    assert plain.units and plain.target and plain.index
    assert "_base" not in discover_packs()


def pack_file(tmp_path: Path, head: str = "", grading: str = "") -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(f"""pack: {{id: p, version: '1.0', name: P{head}}}
{grading}
topics:
  - id: t
    name: T
    indicators:
      - id: t.x
        name: X
        patterns: [{{any: [保单]}}]
        examples: {{pass: [a。], fail: [b。]}}
""", encoding="utf-8")
    return path


def test_a_pack_changes_how_strongly_evidence_counts(tmp_path: Path) -> None:
    sentence = "全年新增保单三十二张。"
    assert grade(sentence, ZH) == "statement"  # 张 is no unit, 新增 no action word
    own = load_pack(pack_file(tmp_path, grading="grading: {units: [张], measure: [新增]}"))
    assert own.grading.units == ("张",)
    assert own.grading.target == ZH.target  # the keys it does not give come from the base
    assert grade(sentence, own.grading) == "performance"


def test_grading_base_none_starts_empty(tmp_path: Path) -> None:
    empty = load_pack(pack_file(tmp_path, head=", grading_base: none")).grading
    assert empty == Grading()
    assert grade("公司制定了保单管理办法。", empty) == "statement"
    assert index_marker(empty.index) is None


@pytest.mark.parametrize(("head", "grading", "message", "key"), [
    (", grading_base: fr", "", "unknown grading base 'fr'", "pack.grading_base"),
    ("", "grading: {target: ['(到']}", "bad regex", "grading.target"),
    ("", "grading: {verbs: [做]}", "unknown key 'verbs'", "grading"),
    ("", "grading: {units: 张}", "must be array", "grading.units"),
])
def test_grading_errors_name_file_and_key(tmp_path: Path, head: str, grading: str,
                                          message: str, key: str) -> None:
    path = pack_file(tmp_path, head, grading)
    with pytest.raises(RuleError) as err:
        load_pack(path)
    assert message in str(err.value)
    assert err.value.path == str(path)
    assert err.value.key == key


def test_a_pickled_pack_grades_the_same() -> None:
    pack = select_pack(None)
    again = pickle.loads(pickle.dumps(pack))
    assert again == pack and again.grading is not pack.grading
    sentence = "年末绿色贷款余额120.5亿元。"
    assert grade(sentence, again.grading) == grade(sentence, pack.grading) == "performance"
    assert isinstance(grader(again.grading).figures[0].regex, re.Pattern)


def test_the_pack_cache_key_covers_the_grading_base(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from csrscan.packs import cache

    rules = tmp_path / "rules"
    (rules / "_base").mkdir(parents=True)
    base = rules / "_base" / "zh-grading.yaml"
    base.write_text("grading: {units: [件]}\n", encoding="utf-8")
    monkeypatch.setattr(cache, "builtin_rules_dir", lambda: rules)
    pack = pack_file(tmp_path)
    before = cache.pack_key(pack)
    base.write_text("grading: {units: [件, 张]}\n", encoding="utf-8")
    assert cache.pack_key(pack) != before  # an edited base is never served stale
