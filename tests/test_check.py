"""`csrscan check` end to end: exit codes, every output format, docx/pdf input."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from checkutil import (
    DRAFT_COVERED,
    DRAFT_NONE,
    DRAFT_PARTIAL,
    FIXTURES,
    run,
    run_process,
    write,
    write_docx,
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture()
def drafts(tmp_path: Path) -> dict[str, Path]:
    return {"covered": write(tmp_path / "covered.md", DRAFT_COVERED),
            "partial": write(tmp_path / "partial.md", DRAFT_PARTIAL),
            "none": write(tmp_path / "none.md", DRAFT_NONE)}


# ---- exit codes ---------------------------------------------------------------

def test_policy_holds_exit_0(drafts: dict[str, Path]) -> None:
    r = run("check", "covered.md", "--require", "data_security=covered")
    assert r.exit_code == 0, r.output
    assert "covered.md: ok" in r.stdout
    assert "csrscan check passed" in r.stdout


def test_policy_fails_exit_1(drafts: dict[str, Path]) -> None:
    r = run("check", "partial.md", "--require", "data_security=covered")
    assert r.exit_code == 1
    assert ("error data_security: topic 数据安全与个人信息保护 [data_security] is partial"
            in r.stdout)


def test_default_policy_fails_on_missing_topic(drafts: dict[str, Path]) -> None:
    r = run("check", "none.md", "-f", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["policy"]["require"] == {"*": "partial"}
    rules = {f["rule"]: f for f in doc["files"][0]["findings"]}
    assert rules["data_security"]["actual"] == "missing"
    assert rules["data_security"]["expected"] == "partial"


def _score(path: Path) -> float:
    """The report's overall score (it depends on how many topics the pack has)."""
    from csrscan.packs.select import select_pack
    from csrscan.pipeline import scan_path

    return scan_path(path, select_pack(None)).score


def test_required_indicator_and_min_score(drafts: dict[str, Path]) -> None:
    threshold = f"{_score(drafts['covered']):.3f}"
    assert _score(drafts["partial"]) < float(threshold)
    ok = run("check", "covered.md", "--require", "data_security=partial",
             "--require-indicator", "data_security.incidents", "--min-score", threshold)
    assert ok.exit_code == 0, ok.output
    bad = run("check", "partial.md", "--require", "data_security=partial",
              "--require-indicator", "data_security.incidents", "--min-score", threshold)
    assert bad.exit_code == 1
    assert "required indicator 数据安全事件与泄露情况 [data_security.incidents]" in bad.stdout
    assert "csrscan.min_score: score" in bad.stdout


def test_warning_severity_does_not_fail_unless_fail_on_warning(drafts: dict[str, Path]
                                                               ) -> None:
    args = ("check", "none.md", "--require", "data_security=covered",
            "--severity", "data_security=warning")
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert "warning data_security" in r.stdout
    assert run(*args, "--fail-on", "warning").exit_code == 1


@pytest.mark.parametrize("args, message", [
    (("--require", "data_security=excellent"), "must be one of missing, partial, covered"),
    (("--require", "no_such_topic=covered"), "unknown topic 'no_such_topic'"),
    (("--require-indicator", "data_security.nope"), "unknown indicator 'data_security.nope'"),
    (("--min-score", "1.5"), "--min-score"),
    (("--fail-on", "sometimes"), "--fail-on"),
    (("--format", "yaml"), "yaml"),
])
def test_bad_options_exit_2(drafts: dict[str, Path], args: tuple[str, ...], message: str
                            ) -> None:
    r = run("check", "covered.md", *args)
    assert r.exit_code == 2
    assert message in r.output


def test_missing_input_exit_2(drafts: dict[str, Path]) -> None:
    r = run("check", "no-such-draft.md")
    assert r.exit_code == 2
    assert "no-such-draft.md" in r.output


def test_subprocess_exit_codes(drafts: dict[str, Path], tmp_path: Path) -> None:
    ok = run_process("check", "covered.md", "--require", "data_security=covered", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    bad = run_process("check", "covered.md", "partial.md", "--require",
                      "data_security=covered", "-f", "json", cwd=tmp_path)
    assert bad.returncode == 1
    doc = json.loads(bad.stdout)
    assert [f["passed"] for f in doc["files"]] == [True, False]
    err = run_process("check", "covered.md", "--require", "nope=covered", cwd=tmp_path)
    assert err.returncode == 2
    assert "unknown topic 'nope'" in err.stderr
    assert "Traceback" not in err.stderr


# ---- formats ------------------------------------------------------------------

def test_json_format(drafts: dict[str, Path]) -> None:
    r = run("check", "covered.md", "partial.md", "-f", "json",
            "--require", "data_security=covered")
    doc = json.loads(r.stdout)
    assert doc["schema"] == "csrscan.check/1"
    assert doc["passed"] is False and doc["exit_code"] == 1 == r.exit_code
    assert [f["path"] for f in doc["files"]] == ["covered.md", "partial.md"]
    covered, partial = doc["files"]
    assert covered["report"]["schema"] == "csrscan.report/1"
    assert covered["findings"] == []
    [gap] = partial["findings"]
    assert gap["rule"] == "data_security" and gap["fails"] is True
    assert gap["status"] == "open" and gap["line"] == 3  # the topic's heading
    assert doc["summary"]["errors"] == 1


def test_output_is_deterministic(drafts: dict[str, Path]) -> None:
    for fmt in ("json", "sarif", "junit", "github", "markdown", "table"):
        a = run("check", "partial.md", "none.md", "-f", fmt).stdout
        b = run("check", "partial.md", "none.md", "-f", fmt).stdout
        assert a == b and a


def _sarif_validator() -> Any:
    import jsonschema

    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def test_sarif_valid_and_complete(drafts: dict[str, Path]) -> None:
    r = run("check", "covered.md", "none.md", "-f", "sarif", "--require",
            "data_security=covered", "--require-indicator", "data_security.consent")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    _sarif_validator().validate(doc)
    run_ = doc["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert "data_security" in ids and "data_security.incidents" in ids
    incidents = rules[ids.index("data_security.incidents")]
    assert "SASB FN-CF-230a.1" in incidents["properties"]["refs"]
    assert incidents["help"]["text"]
    got = {(res["ruleId"], res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
           for res in run_["results"]}
    assert got == {("data_security.consent", "covered.md"), ("data_security", "none.md"),
                   ("data_security.consent", "none.md")}
    for res in run_["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] == "error"
    none_topic = next(x for x in run_["results"]
                      if x["ruleId"] == "data_security" and "none.md" in json.dumps(x))
    # points at the "## 数据安全与个人信息保护" heading of none.md
    assert none_topic["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert not re.search(r'"(startTimeUtc|endTimeUtc|timeUtc|timestamp)"', r.stdout)


def test_sarif_rejects_broken_document() -> None:
    """The vendored schema really validates (guards against a vacuous fixture)."""
    import jsonschema

    with pytest.raises(jsonschema.ValidationError):
        _sarif_validator().validate({"version": "2.1.0", "runs": [{"results": []}]})


def test_junit_format(drafts: dict[str, Path]) -> None:
    threshold = f"{_score(drafts['covered']):.3f}"
    assert _score(drafts["none"]) < float(threshold)
    r = run("check", "covered.md", "none.md", "-f", "junit", "--require",
            "data_security=covered", "--min-score", threshold)
    root = ET.fromstring(r.stdout)
    assert root.tag == "testsuites" and root.get("failures") == "2"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"covered.md", "none.md"}
    ok_cases = {c.get("name"): c for c in suites["covered.md"].iter("testcase")}
    assert ok_cases["data_security"].find("failure") is None
    assert "csrscan.min_score" in ok_cases
    bad = {c.get("name"): c for c in suites["none.md"].iter("testcase")}
    failure = bad["data_security"].find("failure")
    assert failure is not None and "missing" in (failure.get("message") or "")
    assert bad["csrscan.min_score"].find("failure") is not None


ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),title=([^:]+)::(.+)$")


def test_github_annotations_and_step_summary(drafts: dict[str, Path], tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    r = run("check", "none.md", "partial.md", "--require", "data_security=covered",
            "--severity", "data_security=warning", "--fail-on", "warning", env=env)
    assert r.exit_code == 1
    found = [ANNOTATION.match(line) for line in r.stdout.splitlines() if line.startswith("::")]
    assert len(found) == 2 and all(found)
    by_file = {m.group(2): m for m in found if m}
    assert by_file["none.md"].group(1) == "warning"
    assert by_file["none.md"].group(3) == "7"
    assert by_file["partial.md"].group(4) == "csrscan data_security"
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n") and "# csrscan check" in text
    assert "| ⚠️ warning | `data_security` |" in text


def test_explicit_format_wins_over_github_actions(drafts: dict[str, Path]) -> None:
    r = run("check", "none.md", "-f", "json", env={"GITHUB_ACTIONS": "true"})
    assert json.loads(r.stdout)["schema"] == "csrscan.check/1"


def test_markdown_format_and_output_file(drafts: dict[str, Path], tmp_path: Path) -> None:
    r = run("check", "partial.md", "-f", "markdown", "-o", "out.md",
            "--require", "data_security=covered")
    assert r.exit_code == 1 and r.stdout == ""
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "## ❌ `partial.md`" in text
    assert "| ❌ error | `data_security` | line 3 | open |" in text


# ---- other input formats ------------------------------------------------------



def test_docx_draft(tmp_path: Path) -> None:
    write_docx(tmp_path / "good.docx", DRAFT_COVERED.split("\n\n"))
    write_docx(tmp_path / "thin.docx", DRAFT_PARTIAL.split("\n\n"))
    r = run("check", "good.docx", "thin.docx", "-f", "sarif", "--require",
            "data_security=covered")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    _sarif_validator().validate(doc)
    uris = [x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for x in doc["runs"][0]["results"]]
    assert uris == ["thin.docx"]


def test_pdf_draft_page_in_sarif(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(tmp_path / "draft.pdf"), pagesize=A4, invariant=1)
    pages = (["某某消金社会责任报告"], ["本公司制定《数据安全管理办法》，明确数据安全责任部门。"])
    for lines in pages:
        c.setFont("STSong-Light", 11)
        for i, line in enumerate(lines):
            c.drawString(72, A4[1] - 80 - 18 * i, line)
        c.showPage()
    c.save()
    r = run("check", "draft.pdf", "-f", "sarif", "--require", "data_security=covered")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    _sarif_validator().validate(doc)
    [res] = doc["runs"][0]["results"]
    assert res["properties"]["page"] == 2
    assert res["locations"][0]["physicalLocation"]["region"]["properties"]["page"] == 2
