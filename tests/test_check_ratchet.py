"""CI round 2: the baseline's score ratchet, guidance for every built-in
indicator, quiet diffs, and history's database from the config."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from checkutil import DRAFT_COVERED, DRAFT_PARTIAL, run, write

from csrscan.errors import RuleError
from csrscan.packs import load


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)


def _docx(path: Path, text: str) -> Path:
    import docx

    d = docx.Document()
    for p in text.split("\n\n"):
        d.add_paragraph(p.strip())
    d.save(str(path))
    return path


def _baseline(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# ---- the ratchet ----------------------------------------------------------------


def test_baseline_commands_use_the_configs_baseline_file(tmp_path: Path) -> None:
    """`baseline create/update` without -o write the file `check` reads (`baseline:`)."""
    write(tmp_path / ".csrscan.yaml", "policy:\n  require: {data_security: covered}\n"
          "baseline: ci/base.json\n")
    write(tmp_path / "d.md", DRAFT_PARTIAL)
    r = run("baseline", "update", "d.md")
    assert r.exit_code == 2 and "ci/base.json" in r.output  # nothing to update yet
    assert run("baseline", "create", "d.md").exit_code == 0
    assert not (tmp_path / ".csrscan-baseline.json").exists()
    assert _baseline(tmp_path / "ci" / "base.json")["ratchet"]["../d.md"]["levels"][
        "data_security"] == "partial"
    assert run("check", "d.md").exit_code == 0  # the gap is baselined
    write(tmp_path / "d.md", DRAFT_COVERED)
    r = run("baseline", "update", "d.md")
    assert r.exit_code == 0 and "ci/base.json" in r.output
    assert _baseline(tmp_path / "ci" / "base.json")["ratchet"]["../d.md"]["levels"][
        "data_security"] == "covered"
    # -o still wins
    assert run("baseline", "create", "d.md", "-o", "other.json").exit_code == 0
    assert (tmp_path / "other.json").is_file()


@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_ratchet_fails_on_a_falling_score_and_level(tmp_path: Path, suffix: str) -> None:
    draft = tmp_path / f"report{suffix}"

    def put(text: str) -> None:
        _docx(draft, text) if suffix == ".docx" else write(draft, text)

    put(DRAFT_COVERED)
    assert run("baseline", "create", draft.name, "--no-config", "-o", "bl.json").exit_code == 0
    ratchet = _baseline(tmp_path / "bl.json")["ratchet"][draft.name]
    assert ratchet["levels"]["data_security"] == "covered" and ratchet["min_score"] > 0
    same = run("check", draft.name, "--no-config", "--baseline", "bl.json")
    assert same.exit_code == 0, same.output  # every gap baselined, nothing fell
    put(DRAFT_PARTIAL)  # the revision lost two indicators
    r = run("check", draft.name, "--no-config", "--baseline", "bl.json")
    assert r.exit_code == 1
    assert re.search(r"error csrscan\.ratchet: score 0\.\d{3} fell below the baseline's "
                     r"0\.\d{3}", r.stdout)
    assert ("error csrscan.ratchet: topic 数据安全与个人信息保护 [data_security] fell from "
            "covered to partial") in r.stdout
    # the gaps the baseline knew stay baselined; only the ratchet fails
    doc = json.loads(run("check", draft.name, "--no-config", "--baseline", "bl.json",
                         "-f", "json").stdout)
    failing = {(f["rule"], f["topic"]) for f in doc["files"][0]["findings"] if f["fails"]}
    assert failing == {("csrscan.ratchet", None), ("csrscan.ratchet", "data_security")}


def test_baseline_update_only_raises_the_ratchet(tmp_path: Path) -> None:
    write(tmp_path / "r.md", DRAFT_PARTIAL)
    policy = ("--no-config", "--require", "data_security=covered")
    assert run("baseline", "create", "r.md", *policy, "-o", "bl.json").exit_code == 0
    low = _baseline(tmp_path / "bl.json")
    assert [g["id"] for g in low["gaps"]] == ["data_security"]
    write(tmp_path / "r.md", DRAFT_COVERED)  # better: the gap is fixed
    up = run("baseline", "update", "r.md", *policy, "-o", "bl.json")
    assert up.exit_code == 0, up.output
    high = _baseline(tmp_path / "bl.json")
    assert high["gaps"] == []  # fixed gaps leave
    assert high["ratchet"]["r.md"]["min_score"] > low["ratchet"]["r.md"]["min_score"]
    assert high["ratchet"]["r.md"]["levels"]["data_security"] == "covered"
    write(tmp_path / "r.md", DRAFT_PARTIAL)  # worse again: update must not lower it
    assert run("baseline", "update", "r.md", *policy, "-o", "bl.json").exit_code == 0
    again = _baseline(tmp_path / "bl.json")
    assert again["ratchet"] == high["ratchet"]
    assert again["gaps"] == []  # and a new gap is not accepted by update
    r = run("check", "r.md", *policy, "--baseline", "bl.json")
    assert r.exit_code == 1 and "fell from covered to partial" in r.stdout


def test_old_baselines_without_a_ratchet_still_work(tmp_path: Path) -> None:
    write(tmp_path / "r.md", DRAFT_PARTIAL)
    write(tmp_path / "bl.json", json.dumps({"schema": "csrscan.baseline/1", "gaps": [
        {"file": "r.md", "id": "data_security", "kind": "topic"}]}))
    r = run("check", "r.md", "--no-config", "--require", "data_security=covered",
            "--baseline", "bl.json")
    assert r.exit_code == 0, r.output
    write(tmp_path / "bad.json", json.dumps({"schema": "csrscan.baseline/1", "gaps": [],
                                             "ratchet": {"r.md": {"min_score": "high"}}}))
    bad = run("check", "r.md", "--no-config", "--baseline", "bad.json")
    assert bad.exit_code == 2 and "key 'ratchet'" in bad.output


# ---- guidance for every gap -------------------------------------------------------

def test_every_builtin_indicator_has_guidance_and_a_good_example() -> None:
    pack = load.load_pack(load.builtin_rules_dir() / load.BUILTIN_PACK)
    assert len(pack.indicators) > 90
    examples = set()
    for ind in pack.indicators:
        lines = ind.guidance.splitlines()
        assert len(lines) == 2, ind.id
        assert re.search(r"[\u4e00-\u9fff]", lines[0]), ind.id  # Chinese, then
        assert lines[1].isascii() and len(lines[1].split()) >= 5, ind.id  # an English line
        assert ind.good_example and ind.good_example not in ind.examples_pass, ind.id
        examples.add(ind.good_example)
    assert len(examples) == len(pack.indicators)


def test_good_examples_are_evidence_graded_measure_or_better() -> None:
    from csrscan.packs.examples import pack_examples

    pack = load.load_pack(load.builtin_rules_dir() / load.BUILTIN_PACK)
    good = [r for r in pack_examples(pack) if r.kind == "good"]
    assert len(good) == len(pack.indicators)
    assert [r.indicator for r in good if not r.ok] == []


def test_builtin_pack_refuses_an_indicator_without_guidance(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(load.builtin_rules_dir(), rules)
    path = rules / load.BUILTIN_PACK / "09-aml.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"        good_example: .*\n", "", text, count=1), encoding="utf-8")
    monkeypatch.setattr(load, "builtin_rules_dir", lambda: rules)
    with pytest.raises(RuleError, match="needs 'good_example'") as err:
        load.load_pack(rules / load.BUILTIN_PACK)
    assert err.value.rule == "aml.governance"
    # the same files as a user pack: guidance is optional there
    user = tmp_path / "user"
    shutil.copytree(rules / load.BUILTIN_PACK, user)
    monkeypatch.undo()
    assert load.load_pack(user).indicators


def _user_pack(tmp_path: Path, good: str) -> Path:
    return write(tmp_path / "pack.yaml", f"""pack: {{id: mine, version: "1.0", name: Mine}}
topics:
  - id: alpha
    name: 阿尔法
    indicators:
      - id: alpha.policy
        name: 阿尔法制度
        patterns:
          - any: [数据安全管理办法]
        guidance: |-
          说明制度名称与责任部门。
          Name the policy and the unit in charge.
        good_example: "{good}"
        examples:
          pass: [公司制定《数据安全管理办法》。]
          fail: [公司持续优化客户服务体验。]
""")


def test_rules_test_checks_the_good_example(tmp_path: Path) -> None:
    good = "本公司制定《数据安全管理办法》。"
    ok = run("rules", "test", "--rules", str(_user_pack(tmp_path, good)))
    assert ok.exit_code == 0, ok.output
    miss = run("rules", "test", "--rules", str(_user_pack(tmp_path, "本公司重视客户体验。")))
    assert miss.exit_code == 1 and "FAIL alpha.policy [good]" in miss.output
    # evidence, but a bare mention (statement) is no example to copy
    weak = run("rules", "test", "--rules", str(_user_pack(tmp_path, "数据安全管理办法。")))
    assert weak.exit_code == 1 and "alpha.policy:statement" in weak.output


def test_rules_show_prints_guidance() -> None:
    r = run("rules", "show", "aml.cases")
    assert r.exit_code == 0
    assert "- What a complete disclosure contains: " in r.stdout
    assert "- Good example: " in r.stdout


# ---- quieter diffs, history from the config ------------------------------------------

def test_diff_markdown_lists_only_changes_unless_all(tmp_path: Path) -> None:
    write(tmp_path / "v1.md", DRAFT_PARTIAL)
    write(tmp_path / "v2.md", DRAFT_COVERED)
    quiet = run("diff", "v1.md", "v2.md", "--no-config", "-f", "markdown")
    assert quiet.exit_code == 0
    rows = [line for line in quiet.stdout.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == 1 and "`data_security` | partial | covered | improved" in rows[0]
    assert "技术防护措施 [data_security.technical]" in rows[0]
    assert "11 unchanged topic(s) not shown (`--all` shows them)." in quiet.stdout
    loud = run("diff", "v1.md", "v2.md", "--no-config", "-f", "markdown", "--all")
    assert sum(line.startswith("| ") and "`" in line for line in loud.stdout.splitlines()) == 12
    same = run("diff", "v1.md", "v1.md", "--no-config", "-f", "markdown")
    assert "No topic or indicator changed." in same.stdout and "| topic |" not in same.stdout


def test_history_reads_the_database_from_the_config(tmp_path: Path) -> None:
    title = "# 青禾消费金融股份有限公司2024年社会责任报告\n\n"
    write(tmp_path / "in" / "qinghe_2024.md", title + DRAFT_COVERED.split("\n", 1)[1])
    done = run("compare", "in", "--db", "runs.sqlite", "-f", "json", "-o", "m.json")
    assert done.exit_code == 0, done.output
    write(tmp_path / "team" / ".csrscan.yaml", "db: ../runs.sqlite\n")
    r = run("history", "青禾", "-f", "json", "--config", "team/.csrscan.yaml")
    assert r.exit_code == 0, r.output
    assert [h["levels"]["data_security"] for h in json.loads(r.stdout)] == [2]  # covered
    write(tmp_path / ".csrscan.yaml", "db: runs.sqlite\n")  # discovered from here
    assert json.loads(run("history", "青禾", "-f", "json").stdout)[0]["year"] == 2024
    (tmp_path / ".csrscan.yaml").unlink()
    none = run("history", "青禾")
    assert none.exit_code == 2 and "give --db FILE or set `db:` in the config" in none.output
    shown = run("config", "show", "--config", "team/.csrscan.yaml", "--no-config", "--json")
    [db] = [v for v in json.loads(shown.stdout)["values"] if v["key"] == "db"]
    assert db["source"] == "team/.csrscan.yaml"
    assert Path(db["value"]).resolve() == tmp_path / "runs.sqlite"  # relative to the config
