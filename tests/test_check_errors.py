"""`csrscan check` corners: broken baselines, a step summary that cannot be
written, a suppression naming nothing, and the report formats' quiet paths."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from checkutil import DRAFT_COVERED, DRAFT_NONE, isolate, run, write


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)
    write(tmp_path / "covered.md", DRAFT_COVERED)


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "baseline is not valid JSON: Expecting property name enclosed in double "
     "quotes: line 1 column 2 (char 1)"),
    ('{"schema": "csrscan.baseline/1", "gaps": [{"file": 1, "id": "aml"}]}',
     "key 'gaps': must be a list of {file, id, kind}"),
    ('{"schema": "csrscan.baseline/1", "gaps": {}}',
     "key 'gaps': must be a list of {file, id, kind}"),
    ('["csrscan.baseline/1"]', "key 'schema': not a csrscan.baseline/1 baseline"),
], ids=["not-json", "file-not-text", "gaps-not-a-list", "not-a-baseline"])
def test_a_broken_baseline_is_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "base.json", text)
    r = run("check", "covered.md", "--no-config", "--baseline", "base.json")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == f"csrscan: error: base.json: {message}\n"


def test_a_step_summary_that_cannot_be_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """The annotations are printed; the summary file's failure is then exit 2."""
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", "covered.md/summary.md")
    r = run("check", "covered.md", "--no-config", "--require", "*=missing", "-f", "github")
    assert r.exit_code == 2
    assert r.stdout.startswith("csrscan check passed: 1 file(s)")
    assert r.stderr == ("csrscan: error: covered.md/summary.md: cannot append the step "
                        "summary: Not a directory\n")


def test_a_suppression_naming_nothing_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "none.md", DRAFT_NONE + "\n<!-- csrscan-disable : 本章待补充 -->\n")
    r = run("check", "none.md", "--no-config", "--require", "*=missing")
    assert r.exit_code == 1
    line = DRAFT_NONE.count("\n") + 2
    assert (f"  none.md:{line}: error csrscan.suppression: csrscan-disable comment names no "
            "topic or indicator id") in r.stdout.splitlines()


def test_markdown_says_no_gaps_and_shows_suppressions(tmp_path: Path) -> None:
    clean = run("check", "covered.md", "--no-config", "--require", "*=missing",
                "-f", "markdown")
    assert clean.exit_code == 0, clean.output
    assert "No gaps." in clean.stdout.splitlines()
    write(tmp_path / "none.md", DRAFT_NONE + "\n<!-- csrscan-disable data_security: "
          "written by the IT department next week -->\n")
    shown = run("check", "none.md", "--no-config", "--require", "data_security=covered",
                "--require", "*=missing", "-f", "markdown")
    assert shown.exit_code == 0, shown.output
    rows = [r for r in shown.stdout.splitlines() if "`data_security`" in r]
    assert rows and all("suppressed: written by the IT department next week" in r
                        for r in rows)


def test_junit_puts_findings_below_the_fail_level_in_system_out() -> None:
    r = run("check", "covered.md", "--no-config", "--require", "*=missing",
            "--require", "green_finance=partial", "--severity", "green_finance=warning",
            "-f", "junit")
    assert r.exit_code == 0, r.output
    suite = ET.fromstring(r.stdout).find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    outs = [c.findtext("system-out") or "" for c in suite.iter("testcase")]
    assert any("green_finance" in o for o in outs)


def test_json_keeps_the_suppressions_and_findings_apart(tmp_path: Path) -> None:
    write(tmp_path / "none.md", "<!-- csrscan-disable: 无编号 -->\n" + DRAFT_NONE)
    r = run("check", "none.md", "--no-config", "--require", "*=missing", "-f", "json")
    doc = json.loads(r.stdout)
    assert r.exit_code == 1
    assert doc["files"][0]["suppressions"] == [{"ids": [], "line": 1, "reason": "无编号"}]
    assert [f["rule"] for f in doc["files"][0]["findings"]] == ["csrscan.suppression"]
