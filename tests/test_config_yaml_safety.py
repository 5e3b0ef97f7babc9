"""`.csrscan.yaml`, `--config` and pyproject.toml under the rule packs' YAML
limits (issue #17): an alias tree ("billion laughs"), a recursive alias or an
over-long value is refused naming the file and line, before anything walks
it (numbers of over 4,300 digits: test_io_edges)."""

from __future__ import annotations

from pathlib import Path

import pytest
from runutil import run_measured

from csrscan.check.config import read_config_file
from csrscan.errors import ConfigError

DRAFT = "# 报告\n\n本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。\n"


def _laughs(levels: int = 12) -> str:
    lines = ["x0: &a0 [lol]"]
    for i in range(1, levels):
        lines.append(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\npolicy:\n  fail_on: never\n"


@pytest.mark.parametrize("how", ["discovered", "--config"])
def test_billion_laughs_in_a_config_is_refused_with_its_line(tmp_path: Path, how: str) -> None:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    name = ".csrscan.yaml" if how == "discovered" else "ci.yaml"
    (tmp_path / name).write_text(_laughs(), encoding="utf-8")
    args = ("check", "draft.md") if how == "discovered" else (
        "check", "draft.md", "--no-config", "--config", name)
    run = run_measured(tmp_path, *args, timeout=60)
    assert run.code == 2
    assert run.stderr.startswith("csrscan: error: ") and run.stderr.count("\n") == 1
    assert run.stderr.endswith(f"{name}: line 7: aliases expand the YAML "
                               "past 1,000,000 nodes (a 'billion laughs' file?)\n")


def test_recursive_alias_and_long_value_in_a_config(tmp_path: Path) -> None:
    (tmp_path / "rec.yaml").write_text("policy: &p\n  x: *p\n", encoding="utf-8")
    (tmp_path / "long.yaml").write_text("format: table\nbaseline: " + "b" * 100_001 + "\n",
                                        encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^.*rec\.yaml: aliases expand the YAML past"):
        read_config_file(tmp_path / "rec.yaml")
    with pytest.raises(ConfigError, match=r"long\.yaml: line 2: a value of 100001 characters "
                                          r"\(at most 100000\)$"):
        read_config_file(tmp_path / "long.yaml")
