"""Every rule-pack and config error a user can meet, as the user meets it: one
line on stderr naming the file (and key) and the cause, exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checkutil import DRAFT_PARTIAL, isolate, run, write

MINI = """\
pack: {id: mini-err, version: '1.0', name: 迷你}
topics:
  - id: water
    name: 节约用水
    indicators:
      - id: water.policy
        name: 节水制度
        patterns: [{all: [节水, 制度], within: 10}]
        examples: {pass: [本行制定节水管理制度。], fail: [本行倡导节约。]}
  - id: noise
    name: 噪声控制
    indicators:
      - id: noise.measure
        name: 降噪措施
        patterns: [{regex: '降噪(设备|措施)'}]
        examples: {pass: [网点更换降噪设备。], fail: [网点更换空调设备。]}
"""
HEAD = "pack: {id: mini-err, version: '1.0', name: 迷你}\n"
LATIN_HEAD = b"pack: {id: g, version: '1.0', name: "  # then a GBK name: not UTF-8


def _with_head(extra: str) -> str:
    """MINI with more keys in its pack header."""
    return MINI.replace("name: 迷你}", f"name: 迷你, {extra}}}", 1)


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)
    write(tmp_path / "draft.md", DRAFT_PARTIAL)


def _files(tmp_path: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _one_error_line(args: tuple[str, ...]) -> str:
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    return r.stderr.rstrip("\n")


# ---- rule packs: `csrscan REPORT --rules PACK` -------------------------------------

RULE_CASES: list[tuple[str, dict[str, str | bytes], str, str]] = [
    ("folder-without-pack.yaml", {"p/topics.yaml": MINI}, "p",
     "p: no pack.yaml in rule pack folder"),
    ("no-pack-section", {"p.yaml": "topics: []\n"}, "p.yaml",
     "p.yaml: key 'pack': missing 'pack' section"),
    ("not-utf8", {"p.yaml": LATIN_HEAD + "公司}\n".encode("gbk")}, "p.yaml",
     "p.yaml: cannot read: 'utf-8' codec can't decode byte 0xb9 in position "
     f"{len(LATIN_HEAD)}: invalid start byte"),
    ("not-a-mapping", {"p.yaml": "- pack\n- topics\n"}, "p.yaml",
     "p.yaml: a rule file must be a mapping with 'pack' and/or 'topics'"),
    ("two-pack-sections", {"p/pack.yaml": MINI, "p/more.yaml": HEAD}, "p",
     "p: key 'pack': more than one 'pack' section in rule pack"),
    ("order-lists-unknown", {"p.yaml": _with_head("topics: [water, noise, air]")}, "p.yaml",
     "p.yaml: key 'pack.topics': pack.topics lists unknown topic 'air'"),
    ("order-misses-one", {"p.yaml": _with_head("topics: [water]")}, "p.yaml",
     "p.yaml: key 'pack.topics': pack.topics does not list topic 'noise'"),
    ("unknown-grading-base", {"p.yaml": _with_head("grading_base: fr")}, "p.yaml",
     "p.yaml: key 'pack.grading_base': unknown grading base 'fr' (known: zh, none)"),
    ("bad-grading-regex", {"p.yaml": MINI + "grading:\n  normative: ['(要']\n"}, "p.yaml",
     "p.yaml: key 'grading.normative': bad regex '(要': missing ), unterminated subpattern "
     "at position 0"),
    ("two-grading-blocks", {"p/pack.yaml": MINI, "p/g1.yaml": "grading:\n  units: [吨]\n",
                            "p/g2.yaml": "grading:\n  units: [升]\n"}, "p",
     "p/g2.yaml: key 'grading': more than one 'grading' block in rule pack"),
]


@pytest.mark.parametrize(("files", "rules", "message"), [c[1:] for c in RULE_CASES],
                         ids=[c[0] for c in RULE_CASES])
def test_rule_pack_errors(tmp_path: Path, files: dict[str, str | bytes], rules: str,
                          message: str) -> None:
    _files(tmp_path, files)
    assert _one_error_line(("draft.md", "--rules", rules)) == f"csrscan: error: {message}"


def test_the_same_packs_fixed_are_accepted(tmp_path: Path) -> None:
    """The broken packs above differ from a working one only by their fault."""
    _files(tmp_path, {"p/pack.yaml": MINI, "p/g1.yaml": "grading:\n  units: [吨]\n",
                      "q.yaml": _with_head("topics: [noise, water]")})
    r = run("draft.md", "--rules", "p", "--format", "json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["pack"]["id"] == "mini-err"
    assert [t["id"] for t in report["topics"]] == ["water", "noise"]
    ordered = run("rules", "list", "--rules", "q.yaml")
    assert [line for line in ordered.stdout.splitlines() if not line.startswith(" ")] == [
        "noise\t噪声控制", "water\t节约用水"]


@pytest.mark.parametrize(("files", "target", "message"), [
    ({"empty/.keep": ""}, "empty", "empty: no .yaml files in rule pack folder"),
    ({"p/a.yaml": MINI.split("topics:\n", 1)[1].join(["topics:\n", ""])}, "p",
     "p: key 'pack': no 'pack' section in rule pack"),
], ids=["no-yaml-files", "no-pack-section-anywhere"])
def test_validate_folder_errors(tmp_path: Path, files: dict[str, str], target: str,
                                message: str) -> None:
    _files(tmp_path, files)
    assert _one_error_line(("rules", "validate", target)) == f"csrscan: error: {message}"


def test_missing_rules_file_is_called_missing() -> None:
    line = _one_error_line(("draft.md", "--rules", "nowhere.yaml"))
    assert line.startswith("csrscan: error: nowhere.yaml: ")
    assert "not found" in line or "no such file" in line


# ---- configuration: `csrscan check` with --config FILE and flags ---------------------

CONFIG_CASES: list[tuple[str, str, str, str]] = [
    ("not-a-mapping", "c.yaml", "- pack\n", "c.yaml: the config must be a mapping"),
    ("empty-pack", "c.yaml", "pack: ''\n", "c.yaml: key 'pack': must be a non-empty string"),
    ("pack-not-text", "c.yaml", "pack: 3\n", "c.yaml: key 'pack': must be a non-empty string"),
    ("policy-list", "c.yaml", "policy: [a]\n", "c.yaml: key 'policy': must be a mapping"),
    ("indicators-not-list", "c.yaml", "policy:\n  require_indicators: data_security.x\n",
     "c.yaml: key 'policy.require_indicators': must be a list of indicator ids"),
    ("fail-on", "c.yaml", "policy:\n  fail_on: sometimes\n",
     "c.yaml: key 'policy.fail_on': must be one of error, warning, info, never, "
     "not 'sometimes'"),
    ("require-list", "c.yaml", "policy:\n  require: [data_security]\n",
     "c.yaml: key 'policy.require': must be a mapping of topic id to value"),
    ("toml-without-table", "c.toml", "[tool.other]\nx = 1\n", "c.toml: no [tool.csrscan] table"),
    ("invalid-toml", "c.toml", "[tool.csrscan\n",
     "c.toml: invalid TOML: Expected ']' at the end of a table declaration "
     "(at line 1, column 14)"),
    ("missing-baseline", "c.yaml", "baseline: gone/base.json\n",
     "gone/base.json: cannot read baseline: No such file or directory"),
]


@pytest.mark.parametrize(("name", "text", "message"), [c[1:] for c in CONFIG_CASES],
                         ids=[c[0] for c in CONFIG_CASES])
def test_config_file_errors(tmp_path: Path, name: str, text: str, message: str) -> None:
    write(tmp_path / name, text)
    line = _one_error_line(("check", "draft.md", "--no-config", "--config", name))
    assert line == f"csrscan: error: {message}"


@pytest.mark.parametrize(("flags", "message"), [
    (("--require", "data_security"), "--require: expected TOPIC=VALUE, got 'data_security'"),
    (("--severity", "=info"), "--severity: expected TOPIC=VALUE, got '=info'"),
    (("--fail-on", "sometimes"),
     "key '--fail-on': must be one of error, warning, info, never, not 'sometimes'"),
    (("--min-score", "2"), "key '--min-score': must be a number from 0 to 1, not 2.0"),
], ids=["require-no-value", "severity-no-topic", "fail-on", "min-score"])
def test_flag_errors(flags: tuple[str, ...], message: str) -> None:
    line = _one_error_line(("check", "draft.md", "--no-config", *flags))
    assert line == f"csrscan: error: {message}"


def test_a_broken_pyproject_is_passed_over_in_discovery(tmp_path: Path) -> None:
    """Discovery only reads a pyproject.toml that has a [tool.csrscan] table; one
    that is not TOML at all is another tool's problem, and the search goes on up."""
    write(tmp_path / ".csrscan.yaml", "policy:\n  min_score: 0.0\n")
    write(tmp_path / "sub" / "pyproject.toml", "[tool.csrscan\n")
    write(tmp_path / "sub" / "draft.md", DRAFT_PARTIAL)
    r = run("config", "show", "sub/draft.md")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == f"# config files: {tmp_path / '.csrscan.yaml'}"


def test_an_absolute_rules_path_in_a_config_is_kept(tmp_path: Path) -> None:
    pack = write(tmp_path / "packs" / "mini.yaml", MINI)
    write(tmp_path / "sub" / ".csrscan.yaml", f"rules: {pack}\n")
    write(tmp_path / "sub" / "draft.md", DRAFT_PARTIAL)
    r = run("config", "show", "sub/draft.md")
    assert r.exit_code == 0, r.output
    assert f'rules = ["{pack}"]' in r.stdout.splitlines()[2]


# ---- output that cannot be written ----------------------------------------------------

@pytest.mark.parametrize("args", [
    ("draft.md", "-o", "draft.md/out.txt"),
    ("check", "draft.md", "--no-config", "-o", "draft.md/out.txt"),
], ids=["scan", "check"])
def test_output_under_a_file(args: tuple[str, ...]) -> None:
    line = _one_error_line(args)
    assert line == "csrscan: error: draft.md/out.txt: cannot write output: Not a directory"


def test_baseline_folder_that_cannot_be_made() -> None:
    line = _one_error_line(("baseline", "create", "draft.md", "--no-config",
                            "-o", "draft.md/base.json"))
    assert line == "csrscan: error: draft.md/base.json: cannot create folder: File exists"


def test_a_rules_file_without_a_yaml_suffix_is_named(tmp_path: Path) -> None:
    write(tmp_path / "mini.txt", MINI)
    assert run("rules", "validate", "mini.txt").exit_code == 0
    line = _one_error_line(("draft.md", "--rules", "mini.txt"))
    assert "mini.txt" in line
