"""The config is checked against csrscan/schema/config.schema.json, which
`csrscan config schema` prints for editors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from checkutil import run, run_process

from csrscan import formats
from csrscan.check.config import config_schema
from csrscan.check.policy import FAIL_ON, LEVELS, SEVERITIES


def test_the_schema_lists_the_policys_and_the_registrys_values() -> None:
    policy = config_schema()["properties"]["policy"]["properties"]
    assert policy["require"]["additionalProperties"]["enum"] == list(LEVELS)
    assert policy["severity"]["additionalProperties"]["enum"] == list(SEVERITIES)
    assert policy["fail_on"]["enum"] == list(FAIL_ON)
    assert config_schema()["properties"]["format"]["enum"] == list(formats.names("check"))


GOOD = {"pack": "cn-fin-csr", "rules": ["packs/extra"], "format": "sarif",
        "baseline": ".csrscan-baseline.json",
        "policy": {"require": {"*": "partial", "data_security": "covered"},
                   "require_indicators": ["data_security.incidents"], "min_score": 0.5,
                   "severity": {"green_finance": "warning"}, "fail_on": "warning"}}


def test_config_schema_command_prints_a_schema_editors_can_use(tmp_path: Path) -> None:
    r = run("config", "schema")
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(GOOD, schema)  # what the docs show is valid …
    with pytest.raises(jsonschema.ValidationError):  # … and what csrscan refuses is not
        jsonschema.validate({"policy": {"min_score": 2}}, schema)


@pytest.mark.parametrize(("text", "message"), [
    ("policy:\n  min_score: true\n", "key 'policy.min_score': must be a number from 0 to 1, "
                                     "not True"),
    ("format: 3\n", "key 'format': must be a non-empty string"),
    ("format: xml\n", "key 'format': unknown format 'xml' (known: table, json, markdown, "
                      "sarif, junit, github, gitlab, rdjson, rdjsonl, concise)"),
    ("policy:\n  fail_on: soon\n", "key 'policy.fail_on': must be one of error, warning, "
                                   "info, never, not 'soon'"),
    ("policy:\n  severity: [a]\n", "key 'policy.severity': must be a mapping of topic id to "
                                   "value"),
    ("policy: {x: 1}\n", "key 'policy.x': unknown key (known: require, require_indicators, "
                         "min_score, severity, fail_on)"),
    ("policy: 3\n", "key 'policy': must be a mapping"),
    ("rules: [3]\n", "key 'rules': must be a path or a list of paths"),
    ("- a\n- b\n", "the config must be a mapping"),
])
def test_schema_failures_in_csrscans_words(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".csrscan.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "d.md").write_text("# 报告\n\n本公司建立数据安全管理制度。\n", encoding="utf-8")
    r = run_process("check", "d.md", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == f"csrscan: error: {tmp_path / '.csrscan.yaml'}: {message}"
