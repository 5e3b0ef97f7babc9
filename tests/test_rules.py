from __future__ import annotations

from pathlib import Path

import pytest

from csrscan.errors import RuleError
from csrscan.packs.load import discover_packs, load_pack
from csrscan.packs.select import select_pack

HEADER = "pack: {id: mini, version: '1.0', name: Mini}\n"
TOPIC = """topics:
  - id: demo
    name: 演示
    indicators:
      - id: demo.one
        name: 指标一
        patterns:
          - any: [演示词]
        examples: {pass: [公司开展演示词工作。], fail: [公司开展其他工作。]}
"""


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> RuleError:
    with pytest.raises(RuleError) as info:
        load_pack(write(tmp_path, text))
    return info.value


def test_builtin_pack_loads_with_unique_ids(pack) -> None:  # type: ignore[no-untyped-def]
    ids = [i.id for i in pack.indicators] + [t.id for t in pack.topics]
    assert len(ids) == len(set(ids))
    assert all(i.id.startswith(i.topic + ".") for i in pack.indicators)
    assert pack.id == "cn-fin-csr"


def test_single_file_pack_loads(tmp_path: Path) -> None:
    p = load_pack(write(tmp_path, HEADER + TOPIC))
    assert (p.id, p.version, [t.id for t in p.topics]) == ("mini", "1.0", ["demo"])


def test_unknown_key_names_file_rule_and_key(tmp_path: Path) -> None:
    err = error_for(tmp_path, HEADER + TOPIC.replace("        name: 指标一\n",
                                                     "        name: 指标一\n        colour: red\n"))
    assert "pack.yaml" in str(err) and "demo.one" in str(err) and "'colour'" in str(err)


def test_bad_regex_is_reported(tmp_path: Path) -> None:
    err = error_for(tmp_path, HEADER + TOPIC.replace("- any: [演示词]", "- regex: '([a-'"))
    assert err.rule == "demo.one" and "bad regex" in str(err)


def test_wrong_type_is_reported(tmp_path: Path) -> None:
    err = error_for(tmp_path, HEADER + TOPIC.replace("- any: [演示词]", "- any: 演示词"))
    assert err.rule == "demo.one" and err.key is not None and "any" in err.key


def test_duplicate_id_is_reported(tmp_path: Path) -> None:
    dup = TOPIC + TOPIC.split("indicators:\n", 1)[1]
    err = error_for(tmp_path, HEADER + dup)
    assert "duplicate id" in str(err) and err.rule == "demo.one"


def test_missing_examples_is_a_schema_error(tmp_path: Path) -> None:
    err = error_for(tmp_path, HEADER + TOPIC.replace(
        "        examples: {pass: [公司开展演示词工作。], fail: [公司开展其他工作。]}\n", ""))
    assert "examples" in str(err)


def test_two_pattern_kinds_in_one_pattern_is_an_error(tmp_path: Path) -> None:
    err = error_for(tmp_path, HEADER + TOPIC.replace("- any: [演示词]", "- {any: [a], regex: b}"))
    assert "exactly one" in str(err)


def test_indicator_id_must_start_with_topic(tmp_path: Path) -> None:
    err = error_for(tmp_path, HEADER + TOPIC.replace("id: demo.one", "id: other.one"))
    assert "must start with its topic" in str(err)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    err = error_for(tmp_path, HEADER + "topics: [\n")
    assert "invalid YAML" in str(err) and "line" in str(err)


def test_yaml_tags_are_refused(tmp_path: Path) -> None:
    err = error_for(tmp_path, "!!python/object/apply:os.system ['true']\n")
    assert "invalid YAML" in str(err)


def test_rules_option_adds_a_pack_and_pack_selects(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + TOPIC, "mini.yaml")
    assert "mini" in discover_packs([path])
    assert select_pack(None, [path]).id == "mini"
    assert select_pack("cn-fin-csr", [path]).id == "cn-fin-csr"
    with pytest.raises(RuleError, match="unknown pack 'nope'"):
        select_pack("nope", [path])


def test_builtin_pack_folders_are_named_after_their_ids() -> None:
    """discover_packs takes a built-in pack's id from its folder name."""
    from csrscan.packs.load import builtin_rules_dir, pack_id_of

    folders = [p for p in builtin_rules_dir().iterdir()
               if p.is_dir() and not p.name.startswith("_")]  # _base: shared grading
    assert folders
    for folder in folders:
        assert pack_id_of(folder) == folder.name
    assert discover_packs() == {p.name: p for p in folders}
