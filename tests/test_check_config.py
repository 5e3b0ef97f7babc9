"""Config discovery and layering, `config show`, baselines, suppressions, diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checkutil import DRAFT_COVERED, DRAFT_NONE, DRAFT_PARTIAL, run, write

from csrscan.check.config import Config, discover_config
from csrscan.errors import ConfigError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)


STRICT_YAML = """\
pack: cn-fin-csr
policy:
  require:
    data_security: covered
  require_indicators: [data_security.incidents]
  min_score: 0.005
"""


# ---- discovery and layering ---------------------------------------------------

def test_yaml_config_found_from_file_dir_upward(tmp_path: Path) -> None:
    write(tmp_path / ".csrscan.yaml", STRICT_YAML)
    write(tmp_path / "docs" / "2025" / "partial.md", DRAFT_PARTIAL)
    write(tmp_path / "docs" / "2025" / "covered.md", DRAFT_COVERED)
    assert run("check", "docs/2025/covered.md").exit_code == 0
    r = run("check", "docs/2025/partial.md", "-f", "json")
    assert r.exit_code == 1
    rules = [f["rule"] for f in json.loads(r.stdout)["files"][0]["findings"]]
    assert rules == ["data_security", "data_security.incidents"]
    # --no-config ignores it: default policy (every topic at least partial) holds
    assert run("check", "docs/2025/partial.md", "--no-config",
               "--require", "data_security=partial").exit_code == 0


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", """\
[project]
name = "x"

[tool.csrscan]
format = "json"

[tool.csrscan.policy]
min_score = 0.2

[tool.csrscan.policy.require]
data_security = "covered"
""")
    write(tmp_path / "partial.md", DRAFT_PARTIAL)
    r = run("check", "partial.md")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["policy"]["require"] == {"data_security": "covered"}


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / ".csrscan.yml", "policy:\n  require: {data_security: covered}\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "sub" / "partial.md", DRAFT_PARTIAL)
    assert discover_config(tmp_path / "sub") == tmp_path / ".csrscan.yml"


def test_yaml_wins_over_pyproject_in_same_dir(tmp_path: Path) -> None:
    write(tmp_path / ".csrscan.yaml", "format: json\n")
    write(tmp_path / "pyproject.toml", "[tool.csrscan]\nformat = 'junit'\n")
    cfg = Config.resolve(tmp_path)
    assert cfg.format == "json" and cfg.files == (str(tmp_path / ".csrscan.yaml"),)


def test_nearest_config_only(tmp_path: Path) -> None:
    write(tmp_path / ".csrscan.yaml", "policy:\n  min_score: 0.9\n")
    write(tmp_path / "a" / ".csrscan.yaml", "format: json\n")
    cfg = Config.resolve(tmp_path / "a")
    assert cfg.format == "json" and cfg.policy.min_score is None


def test_layering_order(tmp_path: Path) -> None:
    write(tmp_path / ".csrscan.yaml",
          "format: json\npolicy:\n  require: {data_security: covered}\n  min_score: 0.1\n")
    extra = write(tmp_path / "ci.yaml",
                  "format: sarif\npolicy:\n  severity: {data_security: warning}\n"
                  "  min_score: 0.2\n")
    cfg = Config.resolve(tmp_path, extra, {"policy.min_score": 0.3,
                                           "policy.require": ["*=partial"]})
    assert cfg.format == "sarif"
    assert cfg.policy.min_score == 0.3
    assert dict(cfg.policy.require) == {"data_security": "covered", "*": "partial"}
    assert cfg.policy.severity_of("data_security") == "warning"
    assert cfg.source_of("format") == str(extra)
    assert cfg.source_of("policy.require.data_security") == str(tmp_path / ".csrscan.yaml")
    assert cfg.source_of("policy.min_score") == "command line"


def test_default_policy_only_without_require(tmp_path: Path) -> None:
    assert dict(Config.resolve(tmp_path, discover=False).policy.require) == {"*": "partial"}
    cfg = Config.resolve(tmp_path, discover=False, flags={"policy.min_score": 0.5})
    assert dict(cfg.policy.require) == {"*": "partial"}
    write(tmp_path / ".csrscan.yaml", "policy:\n  require: {}\n")
    assert Config.resolve(tmp_path).policy.require == ()


@pytest.mark.parametrize("text, key", [
    ("colour: red\n", "colour"),
    ("policy:\n  requires: {}\n", "policy.requires"),
    ("policy:\n  require: {data_security: great}\n", "policy.require.data_security"),
    ("policy:\n  min_score: high\n", "policy.min_score"),
    ("policy:\n  severity: {data_security: fatal}\n", "policy.severity.data_security"),
    ("format: xml\n", "format"),
    ("rules: 3\n", "rules"),
])
def test_config_errors_name_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = write(tmp_path / ".csrscan.yaml", text)
    with pytest.raises(ConfigError) as exc:
        Config.resolve(tmp_path)
    assert exc.value.path == str(path)
    assert f"key '{key}'" in str(exc.value)


def test_pyproject_errors_use_tool_prefix(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.csrscan]\nformats = 'json'\n")
    with pytest.raises(ConfigError, match=r"key 'tool.csrscan.formats'"):
        Config.resolve(tmp_path)


def test_unknown_id_in_pyproject_names_tool_key(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.csrscan.policy.severity]\nnope = 'info'\n")
    write(tmp_path / "covered.md", DRAFT_COVERED)
    r = run("check", "covered.md")
    assert r.exit_code == 2
    assert "pyproject.toml: key 'tool.csrscan.policy.severity.nope': unknown topic" in r.output


def test_unknown_ids_in_config_exit_2(tmp_path: Path) -> None:
    write(tmp_path / ".csrscan.yaml", "policy:\n  require: {green_finanse: partial}\n")
    write(tmp_path / "covered.md", DRAFT_COVERED)
    r = run("check", "covered.md")
    assert r.exit_code == 2
    assert ".csrscan.yaml" in r.output
    assert "key 'policy.require.green_finanse': unknown topic 'green_finanse'" in r.output
    write(tmp_path / ".csrscan.yaml", "policy:\n  require_indicators: [data_security.x]\n")
    r = run("check", "covered.md")
    assert r.exit_code == 2 and "key 'policy.require_indicators'" in r.output


def test_invalid_yaml_and_missing_config_exit_2(tmp_path: Path) -> None:
    write(tmp_path / "covered.md", DRAFT_COVERED)
    write(tmp_path / "bad.yaml", "policy: [unclosed\n")
    r = run("check", "covered.md", "--config", "bad.yaml")
    assert r.exit_code == 2 and "bad.yaml: invalid YAML" in r.output
    r = run("check", "covered.md", "--config", "nowhere.yaml")
    assert r.exit_code == 2 and "config file not found" in r.output


def test_config_show(tmp_path: Path) -> None:
    write(tmp_path / ".csrscan.yaml", STRICT_YAML)
    r = run("config", "show", "--min-score", "0.4")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == f"# config files: {tmp_path / '.csrscan.yaml'}"
    assert f'policy.require.data_security = "covered"  # {tmp_path / ".csrscan.yaml"}' in lines
    assert "policy.min_score = 0.4  # command line" in lines
    assert 'policy.fail_on = "error"  # default' in lines
    doc = json.loads(run("config", "show", "--json").stdout)
    values = {v["key"]: v for v in doc["values"]}
    assert values["policy.min_score"]["value"] == 0.005
    assert values["pack"] == {"key": "pack", "value": "cn-fin-csr",
                              "source": str(tmp_path / ".csrscan.yaml")}
    bad = run("config", "show", "--require", "nope=covered")
    assert bad.exit_code == 2


# ---- baseline -----------------------------------------------------------------

def test_baseline_create_and_check(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "none.md", DRAFT_NONE)
    write(tmp_path / "docs" / "partial.md", DRAFT_PARTIAL)
    policy = ("--require", "data_security=covered")
    r = run("baseline", "create", "docs/partial.md", "docs/none.md", *policy,
            "-o", "ci/.csrscan-baseline.json")
    assert r.exit_code == 0, r.output
    first = (tmp_path / "ci" / ".csrscan-baseline.json").read_text(encoding="utf-8")
    doc = json.loads(first)
    assert doc["schema"] == "csrscan.baseline/1"
    assert [{k: g[k] for k in ("file", "id", "kind")} for g in doc["gaps"]] == [
        {"file": "../docs/none.md", "id": "data_security", "kind": "topic"},
        {"file": "../docs/partial.md", "id": "data_security", "kind": "topic"}]
    assert sorted(doc["ratchet"]) == ["../docs/none.md", "../docs/partial.md"]
    assert doc["ratchet"]["../docs/partial.md"]["levels"]["data_security"] == "partial"
    run("baseline", "create", "docs/none.md", "docs/partial.md", *policy,
        "-o", "ci/.csrscan-baseline.json")
    assert (tmp_path / "ci" / ".csrscan-baseline.json").read_text(encoding="utf-8") == first

    r = run("check", "docs/none.md", "docs/partial.md", *policy, "--baseline",
            "ci/.csrscan-baseline.json", "-f", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert [f["status"] for x in out["files"] for f in x["findings"]] == ["baselined"] * 2
    assert out["summary"]["baselined"] == 2

    # a new gap (a newly required indicator) still fails; baselined ones stay listed
    r = run("check", "docs/partial.md", *policy, "--require-indicator",
            "data_security.incidents", "--baseline", "ci/.csrscan-baseline.json", "-f", "sarif")
    assert r.exit_code == 1
    states = {x["ruleId"]: x["baselineState"] for x in json.loads(r.stdout)["runs"][0]["results"]}
    assert states == {"data_security": "unchanged", "data_security.incidents": "new"}


def test_baseline_from_config_and_bad_baseline(tmp_path: Path) -> None:
    write(tmp_path / "partial.md", DRAFT_PARTIAL)
    write(tmp_path / ".csrscan.yaml", "baseline: base.json\npolicy:\n"
          "  require: {data_security: covered}\n")
    assert run("check", "partial.md").exit_code == 2  # baseline file missing
    assert run("baseline", "create", "partial.md", "-o", "base.json").exit_code == 0
    r = run("check", "partial.md")
    assert r.exit_code == 0 and "[baselined]" in r.stdout
    write(tmp_path / "base.json", '{"schema": "other"}')
    r = run("check", "partial.md")
    assert r.exit_code == 2 and "key 'schema'" in r.output


# ---- suppressions -------------------------------------------------------------

def test_suppression_with_reason(tmp_path: Path) -> None:
    write(tmp_path / "none.md", DRAFT_NONE + "\n<!-- csrscan-disable data_security: "
          "chapter written by the IT department, due next week -->\n")
    r = run("check", "none.md", "--require", "data_security=covered",
            "--require-indicator", "data_security.incidents", "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    findings = doc["files"][0]["findings"]
    assert {f["rule"] for f in findings} == {"data_security", "data_security.incidents"}
    assert {f["status"] for f in findings} == {"suppressed"}
    assert findings[0]["reason"] == "chapter written by the IT department, due next week"
    assert doc["files"][0]["suppressions"] == [{
        "ids": ["data_security"], "line": 11,
        "reason": "chapter written by the IT department, due next week"}]
    sarif = json.loads(run("check", "none.md", "--require", "data_security=covered",
                           "-f", "sarif").stdout)
    [res] = sarif["runs"][0]["results"]
    assert res["suppressions"][0]["justification"].startswith("chapter written")
    gh = run("check", "none.md", "--require", "data_security=covered", "-f", "github").stdout
    assert gh.startswith("::notice file=none.md,line=7,title=csrscan data_security::")
    assert "[suppressed: chapter written" in gh


def test_suppression_without_reason_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "none.md",
          "<!-- csrscan-disable data_security.incidents -->\n" + DRAFT_NONE)
    r = run("check", "none.md", "--require", "data_security=missing",
            "--require-indicator", "data_security.incidents")
    assert r.exit_code == 1
    assert "none.md:1: error csrscan.suppression: csrscan-disable comment has no reason" \
        in r.stdout
    # not honoured without a reason: the gap stays open
    assert "error data_security.incidents: required indicator" in r.stdout


def test_suppression_of_unknown_id_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "covered.md", DRAFT_COVERED + "<!-- csrscan-disable datasecurity: x -->\n")
    r = run("check", "covered.md", "--require", "data_security=covered", "-f", "junit")
    assert r.exit_code == 1
    assert "names unknown id 'datasecurity'" in r.stdout


# ---- diff ---------------------------------------------------------------------

def test_diff_revision_gains(tmp_path: Path) -> None:
    write(tmp_path / "v1.md", DRAFT_PARTIAL)
    write(tmp_path / "v2.md", DRAFT_COVERED)
    r = run("diff", "v1.md", "v2.md", "-f", "json", "--fail-on-regression")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == "csrscan.diff/1" and doc["regression"] is False
    [ds] = [t for t in doc["topics"] if t["id"] == "data_security"]
    assert (ds["old_status"], ds["new_status"], ds["change"]) == ("partial", "covered",
                                                                   "improved")
    assert ds["indicators_gained"] == ["data_security.incidents", "data_security.technical"]
    assert ds["indicators_lost"] == []
    assert {e["text"] for e in ds["evidence_appeared"]} == {
        "本年度开展渗透测试15次，修复中高危漏洞全部完成。",
        "报告期内，公司未发生重大数据泄露事件。"}
    assert ds["evidence_disappeared"] == []


def test_diff_regression_exit_codes_and_formats(tmp_path: Path) -> None:
    write(tmp_path / "v1.md", DRAFT_COVERED)
    write(tmp_path / "v2.md", DRAFT_NONE)
    plain = run("diff", "v1.md", "v2.md")
    assert plain.exit_code == 0
    assert "covered → missing  regressed" in plain.stdout
    assert "    - data_security.governance" in plain.stdout
    r = run("diff", "v1.md", "v2.md", "--fail-on-regression", "-f", "markdown")
    assert r.exit_code == 1
    assert "| 数据安全与个人信息保护 `data_security` | covered | missing | regressed |" in r.stdout
    assert ("- ➖ 数据安全事件与泄露情况 [data_security.incidents] line 9: "
            "报告期内，公司未发生重大数据泄露事件。" in r.stdout)


def test_diff_moved_sentence_is_not_a_change(tmp_path: Path) -> None:
    write(tmp_path / "v1.md", DRAFT_COVERED)
    write(tmp_path / "v2.md", "# 新版\n\n前言。\n\n" + DRAFT_COVERED)
    doc = json.loads(run("diff", "v1.md", "v2.md", "-f", "json").stdout)
    [ds] = [t for t in doc["topics"] if t["id"] == "data_security"]
    assert ds["change"] == "unchanged"


# ---- a custom pack from the config ----------------------------------------------

def test_config_rules_path_is_relative_to_the_config(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from checkutil import FIXTURES

    write(tmp_path / "proj" / "packs" / "mini.yaml",
          (FIXTURES / "mini-pack.yaml").read_text(encoding="utf-8"))
    write(tmp_path / "proj" / ".csrscan.yaml", "pack: mini\nrules: packs/mini.yaml\n")
    write(tmp_path / "proj" / "docs" / "covered.md", DRAFT_COVERED)
    monkeypatch.chdir(tmp_path / "proj" / "docs")
    r = run("check", "covered.md", "-f", "json")
    assert r.exit_code == 1  # default policy: topic beta is missing
    doc = json.loads(r.stdout)
    assert doc["pack"]["id"] == "mini"
    [gap] = doc["files"][0]["findings"]
    assert (gap["rule"], gap["actual"], gap["expected"]) == ("beta", "missing", "partial")
    shown = run("config", "show", "covered.md").stdout
    assert 'rules = ["../packs/mini.yaml"]' in shown
    ok = run("check", "covered.md", "--require", "beta=missing")
    assert ok.exit_code == 0, ok.output
