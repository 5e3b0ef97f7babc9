"""A user pack's `grading` regexes search under the same time budget as its
pattern regexes (issue #17): a catastrophic one ends the scan and `rules test`
with one line naming the pack, the key and the pattern (exit 2); the built-in
pack's stay on `re`; `rules validate` warns about nested quantifiers there."""

from __future__ import annotations

import re
from pathlib import Path

import hostile
import pytest
from runutil import run_measured

from csrscan.errors import RuleError
from csrscan.packs.load import load_pack
from csrscan.packs.regexlint import pack_warnings
from csrscan.score import grade

PATTERN = "(a|aa)+$"  # exponential on 'aa…a#' in `re` and in `regex` alike


def _message(key: str) -> re.Pattern[str]:
    return re.compile(re.escape(
        f"csrscan: error: evilgrade.yaml: key 'grading.{key}': regex {PATTERN!r} ran past its "
        "budget of 1 s on one sentence of ") + r"\d+" + re.escape(
        " characters (nested quantifiers such as (a+)+ backtrack without end; rewrite it)\n"))


@pytest.mark.parametrize("key", ["gap", "target", "figures", "index"])
def test_a_hanging_grading_regex_stops_a_scan(tmp_path: Path, key: str) -> None:
    hostile.hanging_grading_pack(tmp_path, key, PATTERN)
    (tmp_path / "aaa.txt").write_text("a" * 30_399 + "#\n", encoding="utf-8")
    run = run_measured(tmp_path, "scan", "aaa.txt", "--rules", "evilgrade.yaml", timeout=60)
    assert (run.code, run.stdout) == (2, "")
    assert _message(key).fullmatch(run.stderr)


def test_the_classic_nested_quantifier_no_longer_hangs_a_scan(tmp_path: Path) -> None:
    """(a+)+$ backtracks 2^399 ways on a 400-character sentence in `re` (the scan
    hung); the `regex` module cuts it short by itself, well within the budget."""
    hostile.hanging_grading_pack(tmp_path, "gap", "(a+)+$")
    (tmp_path / "aaa.txt").write_text("a" * 30_399 + "#\n", encoding="utf-8")
    run = run_measured(tmp_path, "scan", "aaa.txt", "--rules", "evilgrade.yaml", timeout=60)
    assert run.code == 0, run.stderr


def test_a_hanging_grading_regex_stops_rules_test(tmp_path: Path) -> None:
    hostile.hanging_grading_pack(tmp_path, "gap", PATTERN)
    run = run_measured(tmp_path, "rules", "test", "--rules", "evilgrade.yaml", timeout=60)
    assert run.code == 2
    assert _message("gap").fullmatch(run.stderr.splitlines()[-1] + "\n")


def test_grading_regexes_of_a_user_pack_are_budgeted(tmp_path: Path) -> None:
    pack = load_pack(hostile.hanging_grading_pack(tmp_path, "normative", PATTERN, count=40))
    g = pack.grading
    assert g.guarded == ("normative",) and g.guarded_by == str(tmp_path / "evilgrade.yaml")
    assert grade.is_normative("应当建立制度", pack.grading) is False
    with pytest.raises(RuleError, match=r"key 'grading\.normative': regex '\(a\|aa\)\+\$' ran"):
        grade.is_normative("a" * 400 + "#", pack.grading)
    # the keys the pack does not give are the built-in base's: on `re`, unbudgeted
    assert grade.grader(pack.grading).gap[0].budget is None
    assert grade.is_gap("本公司尚未建立数据安全制度。", pack.grading)


def test_the_builtin_grading_runs_on_re(pack: object) -> None:
    import re

    g = pack.grading  # type: ignore[attr-defined]
    assert (g.guarded, g.guarded_by) == ((), "")
    compiled = grade.grader(g)
    rules = [*compiled.figures, *compiled.gap, *compiled.normative, *compiled.target]
    assert rules and all(isinstance(r.regex, re.Pattern) and r.budget is None for r in rules)


def test_budgeted_grading_grades_as_re_does(tmp_path: Path, pack: object) -> None:
    """The same patterns as the built-in base, given as a user pack's own
    block, grade every sentence alike."""
    import yaml

    base = yaml.safe_load((Path(__file__).parents[1] / "rules/_base/zh-grading.yaml")
                          .read_text(encoding="utf-8"))["grading"]
    user = tmp_path / "user.yaml"
    user.write_text(yaml.safe_dump({
        "pack": {"id": "u", "version": "1.0", "name": "U", "grading_base": "none"},
        "grading": base, "topics": []}, allow_unicode=True), encoding="utf-8")
    mine = load_pack(user).grading
    assert "gap" in mine.guarded
    sentences = ["本公司尚未建立数据安全制度。", "到2030年，本公司力争实现碳中和。",
                 "报告期内本公司完成渗透测试6次。", "监管部门要求银行加强管理。",
                 "本行未发生重大数据泄露事件。", "本公司建立投诉处理机制。"]
    builtin = pack.grading  # type: ignore[attr-defined]
    for s in sentences:
        assert grade.grade(s, mine) == grade.grade(s, builtin), s
        assert grade.is_gap(s, mine) == grade.is_gap(s, builtin), s


def test_validate_warns_about_a_nested_quantifier_in_grading(tmp_path: Path) -> None:
    hostile.hanging_grading_pack(tmp_path, "target", PATTERN, count=10)
    run = run_measured(tmp_path, "rules", "validate", "evilgrade.yaml")
    assert run.code == 0
    assert run.stdout == "evilgrade.yaml: ok (evilgrade 1.0, 1 topics, 1 indicators)\n"
    assert run.stderr == ("csrscan: warning: evilgrade.yaml: key 'grading.target': regex "
                          "'(a|aa)+$' nests a quantifier in a repeated group (may backtrack "
                          "without end on a long line; a scan stops it after its time budget)\n")
    assert pack_warnings(load_pack(tmp_path / "evilgrade.yaml"))
