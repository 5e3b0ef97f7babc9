"""`csrscan rules list|show|validate|test|doc|schema`, driven as a pack author would,
on packs the tests write (one good, several broken)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checkutil import run, write

from csrscan.packs.load import builtin_rules_dir, load_pack, schema_path

MINI = """\
pack: {id: mini-cli, version: '2.1', name: 迷你规则包, description: 测试用的小规则包。}
topics:
  - id: water
    name: 节约用水
    name_en: Water saving
    refs: [GRI 303-1]
    indicators:
      - id: water.policy
        name: 节水制度
        name_en: Water policy
        description: 是否制定节水制度。
        refs: [GRI 303-3]
        patterns:
          - all: [节水, 制度]
            within: 10
        exclude: [计划]
        examples: {pass: [本行制定节水管理制度。], fail: [本行计划明年制定节水制度。]}
  - id: noise
    name: 噪声控制
    indicators:
      - id: noise.measure
        name: 降噪措施
        patterns: [{regex: '降噪(设备|措施)'}]
        examples: {pass: [网点更换降噪设备。], fail: [网点更换空调设备。]}
"""


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return write(tmp_path / "mini.yaml", MINI)


def test_list_without_a_pack_lists_every_builtin_pack() -> None:
    r = run("rules", "list")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    folders = sorted(p for p in builtin_rules_dir().iterdir()
                     if p.is_dir() and not p.name.startswith("_"))
    assert [line.split("\t")[0] for line in lines] == [p.name for p in folders]
    builtin = load_pack(builtin_rules_dir() / "cn-fin-csr")
    assert (f"cn-fin-csr\t{builtin.version}\t{len(builtin.topics)} topics, "
            f"{len(builtin.indicators)} indicators\t{builtin.name}") in lines


def test_list_one_pack_gives_topics_then_their_indicators(mini: Path) -> None:
    r = run("rules", "list", "--rules", str(mini))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["water\t节约用水", "  water.policy\t节水制度",
                                     "noise\t噪声控制", "  noise.measure\t降噪措施"]
    builtin = run("rules", "list", "cn-fin-csr", "--rules", str(mini)).stdout
    assert "water" not in builtin
    assert builtin.splitlines()[0].split("\t")[0] == load_pack(
        builtin_rules_dir() / "cn-fin-csr").topics[0].id


def test_show_an_indicator_and_a_topic(mini: Path) -> None:
    ind = run("rules", "show", "water.policy", "--rules", str(mini))
    assert ind.exit_code == 0, ind.output
    assert ind.stdout.startswith("### `water.policy` 节水制度 (Water policy)\n")
    for line in ("- References: GRI 303-3", "- Patterns: all of 节水 + 制度 within 10 tokens",
                 "- Not when the sentence has: 计划", "- Passes: 本行制定节水管理制度。",
                 "- Fails: 本行计划明年制定节水制度。"):
        assert line in ind.stdout.splitlines()
    topic = run("rules", "show", "water", "--rules", str(mini))
    assert topic.stdout.startswith("## `water` 节约用水 (Water saving)\n\nReferences: GRI 303-1\n")
    assert "### `water.policy`" in topic.stdout and "noise" not in topic.stdout
    # an indicator of the second topic is found too (the loop goes on past the first)
    assert "降噪(设备|措施)" in run("rules", "show", "noise.measure", "--rules", str(mini)).stdout


def test_show_an_unknown_id_is_a_rule_error(mini: Path) -> None:
    r = run("rules", "show", "water.nope", "--rules", str(mini))
    assert r.exit_code == 2
    assert r.stderr == "csrscan: error: no topic or indicator 'water.nope' in pack mini-cli\n"
    assert r.stdout == ""


def test_validate_good_files_and_folders(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "split"
    head, body = MINI.split("topics:\n", 1)
    write(folder / "pack.yaml", head)
    write(folder / "topics.yaml", "topics:\n" + body)
    r = run("rules", "validate", str(mini), str(folder))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        f"{mini}: ok (mini-cli 2.1, 2 topics, 2 indicators)",
        f"{folder}: ok (mini-cli 2.1, 2 topics, 2 indicators)"]


def test_validate_stops_at_the_first_bad_pack(mini: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", MINI.replace("within: 10", "within: ten"))
    r = run("rules", "validate", str(mini), str(bad), str(mini))
    assert r.exit_code == 2
    assert r.stdout.splitlines() == [f"{mini}: ok (mini-cli 2.1, 2 topics, 2 indicators)"]
    assert r.stderr.startswith(f"csrscan: error: {bad}: rule water.policy, key '")
    assert "within" in r.stderr and r.stderr.count("\n") == 1


def test_validate_a_missing_path(tmp_path: Path) -> None:
    r = run("rules", "validate", "nowhere.yaml")
    assert (r.exit_code, r.stderr) == (2, "csrscan: error: nowhere.yaml: rule pack not found\n")


def test_rules_test_passes_and_lists_each_example_with_verbose(mini: Path) -> None:
    quiet = run("rules", "test", "--rules", str(mini))
    assert (quiet.exit_code, quiet.stdout) == (0, "4 passed, 0 failed\n")
    loud = run("rules", "test", "--rules", str(mini), "-v")
    assert loud.stdout.splitlines() == [
        "ok   water.policy [pass] 本行制定节水管理制度。",
        "ok   water.policy [fail] 本行计划明年制定节水制度。",
        "ok   noise.measure [pass] 网点更换降噪设备。",
        "ok   noise.measure [fail] 网点更换空调设备。",
        "4 passed, 0 failed"]


def test_rules_test_fails_with_what_was_found(tmp_path: Path) -> None:
    # the pass example lacks 制度; the fail example is a real hit of the regex
    wrong = write(tmp_path / "wrong.yaml", MINI.replace(
        "pass: [本行制定节水管理制度。]", "pass: [本行倡导节水。]").replace(
        "fail: [网点更换空调设备。]", "fail: [网点采用降噪措施。]"))
    r = run("rules", "test", "--rules", str(wrong))
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        "FAIL water.policy [pass] 本行倡导节水。  (found: nothing)",
        "FAIL noise.measure [fail] 网点采用降噪措施。  (found: noise.measure)",
        "2 passed, 2 failed"]


def test_missing_examples_are_reported_by_the_example_runner() -> None:
    """The schema demands both kinds of examples; the runner still names an
    indicator built without them (a Pack made in Python, not from YAML)."""
    import dataclasses

    from csrscan.packs.examples import pack_examples

    pack = load_pack(builtin_rules_dir() / "cn-fin-csr")
    first = dataclasses.replace(pack.topics[0].indicators[0], examples_pass=())
    topic = dataclasses.replace(pack.topics[0], indicators=(first,))
    bare = dataclasses.replace(pack, topics=(topic,))
    results = pack_examples(bare)
    assert [(r.kind, r.ok) for r in results if r.kind == "missing"] == [("missing", False)]
    assert results[0].indicator == first.id


def test_doc_of_a_user_pack(mini: Path) -> None:
    r = run("rules", "doc", "--rules", str(mini))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "# Rule pack `mini-cli` 2.1"
    assert "<!-- generated by `csrscan rules doc mini-cli`; do not edit -->" in lines
    assert "测试用的小规则包。" in lines
    assert "| `water` | 节约用水 | 1 |" in lines and "| `noise` | 噪声控制 | 1 |" in lines
    assert lines.index("## `water` 节约用水 (Water saving)") < lines.index("## `noise` 噪声控制")


def test_schema_prints_the_json_schema() -> None:
    r = run("rules", "schema")
    assert r.exit_code == 0
    assert r.stdout == schema_path().read_text(encoding="utf-8")
    assert json.loads(r.stdout)["type"] == "object"


def test_rules_alone_shows_its_commands() -> None:
    r = run("rules")
    assert r.exit_code == 2
    for command in ("list", "show", "validate", "test", "doc", "schema"):
        assert f"  {command} " in r.output


CONTEXTUAL = """\
pack: {id: ctx-pack, version: '0.1', name: 语境包}
topics:
  - id: water
    name: 节约用水
    context: {any: [用水, 水资源]}
    indicators:
      - id: water.saving
        name: 节水措施
        patterns: [{any: [节约]}]
        examples: {pass: [本行大力节约办公场所的用水。], fail: [本行节约纸张。]}
      - id: water.reuse
        name: 中水回用
        patterns: [{any: [回用]}]
        context: {any: [中水], scope: paragraph}
        examples: {pass: [本行中水回用。], fail: [本行纸张回用。]}
"""


def test_show_and_doc_state_the_context_a_hit_needs(tmp_path: Path) -> None:
    pack = write(tmp_path / "ctx.yaml", CONTEXTUAL)
    topic = run("rules", "show", "water", "--rules", str(pack)).stdout.splitlines()
    assert ("Counts only with one of these in the same sentence: 用水、水资源 "
            "(every indicator without its own, and mentions)") in topic
    reuse = run("rules", "show", "water.reuse", "--rules", str(pack)).stdout.splitlines()
    assert "- Counts only with one of these in the same paragraph: 中水" in reuse
    doc = run("rules", "doc", "--rules", str(pack)).stdout.splitlines()
    # no description: the pack's name is followed by the topic table at once
    assert doc[4:7] == ["语境包", "", "| topic | name | indicators |"]
    tested = run("rules", "test", "--rules", str(pack))
    assert (tested.exit_code, tested.stdout) == (0, "4 passed, 0 failed\n")
