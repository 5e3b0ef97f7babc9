"""Rule packs cannot hang a scan (issue #17 item 2): a user regex that backtracks
without end stops at its budget, `rules validate` warns about it, and YAML that
expands past a sane size is refused with its line."""

from __future__ import annotations

from pathlib import Path

import hostile
import pytest
from runutil import run_measured

from csrscan.errors import RuleError
from csrscan.match.compiled import LazyRegex, compile_pack
from csrscan.packs.load import load_pack
from csrscan.packs.regexlint import nested_quantifier, pack_warnings


def test_a_hanging_user_regex_stops_at_its_budget(tmp_path: Path) -> None:
    hostile.hanging_pack(tmp_path)
    hostile.a_line(tmp_path)
    run = run_measured(tmp_path, "scan", "aaa.txt", "--rules", "evil.yaml", timeout=60)
    assert run.code == 2
    assert run.stderr == (
        "csrscan: error: evil.yaml: regex '^(\\\\w|\\\\w\\\\w)+$' ran past its budget of 1 s "
        "on one sentence of 61 characters (nested quantifiers such as (a+)+ backtrack "
        "without end; rewrite it)\n")


def test_a_hanging_regex_in_compare_is_a_per_file_error(tmp_path: Path) -> None:
    hostile.hanging_pack(tmp_path)
    hostile.a_line(tmp_path)
    (tmp_path / "good.txt").write_text("bbb。\n", encoding="utf-8")
    run = run_measured(tmp_path, "compare", "aaa.txt", "good.txt", "--rules", "evil.yaml",
                       "-f", "csv", "--progress", "none", timeout=60)
    assert run.code == 2
    assert [line.split(",")[0] for line in run.stdout.splitlines()] == ["path", "good.txt"]
    assert "csrscan: failed: aaa.txt: [input] regex '^(\\\\w|\\\\w\\\\w)+$' ran past" in run.stderr


def test_user_regexes_are_guarded_and_builtin_ones_are_not(pack: object, tmp_path: Path
                                                           ) -> None:
    builtin = compile_pack(pack)  # type: ignore[arg-type]
    assert builtin.regexes and not any(rx.guarded for _, rx in builtin.regexes)
    user = compile_pack(load_pack(hostile.hanging_pack(tmp_path)))
    assert [rx.guarded for _, rx in user.regexes] == [str(tmp_path / "evil.yaml")]


def test_guarded_regex_matches_as_re_does() -> None:
    rx = LazyRegex(r"(?<![\d.])(3|三)\s*[·.]?\s*15(?![\d%.])\s*(消费者|权益)", "p.yaml")
    match = rx.search("开展3·15消费者权益保护教育宣传周活动")
    assert match is not None and match.group(0) == "3·15消费者"
    assert rx.search("开展13·15消费者活动") is None


def test_a_guarded_regex_over_budget_raises_a_rule_error() -> None:
    with pytest.raises(RuleError, match="ran past its budget"):
        LazyRegex(r"^(a|aa)+$", "p.yaml").search("a" * 60 + "#")


@pytest.mark.parametrize(("pattern", "nested"), [
    (r"(a+)+$", True), (r"^(\w|\w\w)+$", True), (r"(x*y?)+", True), (r"(a|aa)*", True),
    (r"a+b+", False), (r"(ab)+", False), (r"(?:a{2})+", False), (r"[^。]{0,30}(a|b)", False),
    (r"(消保|消费者保护)(?!法)[^。;]{0,10}(审查|审核)", False)])
def test_nested_quantifiers(pattern: str, nested: bool) -> None:
    assert nested_quantifier(pattern) is nested


def test_builtin_pack_has_no_nested_quantifier(pack: object) -> None:
    assert pack_warnings(pack) == []  # type: ignore[arg-type]


def test_validate_warns_about_a_nested_quantifier(tmp_path: Path) -> None:
    hostile.hanging_pack(tmp_path)
    run = run_measured(tmp_path, "rules", "validate", "evil.yaml")
    assert run.code == 0
    assert run.stdout == "evil.yaml: ok (evil 1.0, 1 topics, 1 indicators)\n"
    assert run.stderr == ("csrscan: warning: evil.yaml: rule t.a: regex '^(\\\\w|\\\\w\\\\w)+$' "
                          "nests a quantifier in a repeated group (may backtrack without end "
                          "on a long line; a scan stops it after its time budget)\n")


def test_billion_laughs_is_refused_with_its_line(tmp_path: Path) -> None:
    hostile.laughs_pack(tmp_path)
    for args in (("rules", "validate", "laughs.yaml"), ("r.txt", "--rules", "laughs.yaml")):
        run = run_measured(tmp_path, *args, timeout=30)
        assert run.code == 2
        assert run.stderr == ("csrscan: error: laughs.yaml: line 8: aliases expand the YAML "
                              "past 1,000,000 nodes (a 'billion laughs' file?)\n")


def test_recursive_alias_and_long_scalar_are_refused(tmp_path: Path) -> None:
    head = "pack: {id: r, version: '1.0', name: R}\n"
    (tmp_path / "rec.yaml").write_text(head + "topics: &t [*t]\n", encoding="utf-8")
    (tmp_path / "long.yaml").write_text(head + "x: " + "y" * 100_001 + "\ntopics: []\n",
                                        encoding="utf-8")
    with pytest.raises(RuleError, match="aliases expand the YAML past"):
        load_pack(tmp_path / "rec.yaml")
    with pytest.raises(RuleError, match=r"line 2: a value of 100001 characters \(at most 100000\)"):
        load_pack(tmp_path / "long.yaml")


def test_modest_aliases_still_load(tmp_path: Path) -> None:
    path = hostile.hanging_pack(tmp_path)
    text = path.read_text(encoding="utf-8").replace("pass: [aaa]", "pass: &p [aaa]")
    path.write_text(text.replace("fail: [bbb]", "fail: *p"), encoding="utf-8")
    assert load_pack(path).indicators[0].examples_fail == ("aaa",)


def test_a_hanging_pattern_regex_stops_rules_test(tmp_path: Path) -> None:
    """The pattern regex of hanging_pack, met by `rules test` in a fail
    example (the a_line, ending where the pattern cannot match)."""
    pack = hostile.hanging_pack(tmp_path)
    text = pack.read_text(encoding="utf-8").replace("fail: [bbb]", f"fail: ['{'a' * 60}#']")
    pack.write_text(text, encoding="utf-8")
    run = run_measured(tmp_path, "rules", "test", "--rules", "evil.yaml", timeout=60)
    assert run.code == 2
    assert run.stderr.splitlines()[-1].startswith(
        "csrscan: error: evil.yaml: regex '^(\\\\w|\\\\w\\\\w)+$' ran past its budget of 1 s")
