"""CI round 2: the gitlab, rdjson, rdjsonl and concise formats of `check`, read
back field by field against the JSON contract, and one fingerprint per
finding that survives text moving (md and docx drafts written here)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from checkutil import DRAFT_COVERED, DRAFT_PARTIAL, FIXTURES, run, write, write_docx

POLICY = ("--no-config", "--require", "data_security=covered",
          "--require-indicator", "data_security.incidents")
# lines that match no indicator: they only push the report down
FILLER = [f"附注{i}：本页为排版预留。" for i in range(1, 11)]
SEVERITY_GITLAB = {"error": "major", "warning": "minor", "info": "info"}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)




def _drafts(tmp_path: Path, moved: bool = False) -> list[str]:
    """A partial Markdown draft and a partial .docx draft; `moved` puts ten
    unrelated lines before the text."""
    head, _, rest = DRAFT_PARTIAL.partition("\n\n")
    md = f"{head}\n\n" + "".join(f"{line}\n" for line in FILLER) + rest if moved \
        else DRAFT_PARTIAL
    write(tmp_path / "drafts" / "report.md", md)
    paragraphs = [p for p in DRAFT_PARTIAL.split("\n\n") if p.strip()]
    write_docx(tmp_path / "drafts" / "report.docx",
          [paragraphs[0], *FILLER, *paragraphs[1:]] if moved else paragraphs)
    return ["drafts/report.md", "drafts/report.docx"]


def _check(files: list[str], fmt: str, *extra: str) -> str:
    r = run("check", *files, *POLICY, "-f", fmt, *extra)
    assert r.exit_code == 1, r.output
    return r.stdout


def _open_findings(files: list[str]) -> list[dict[str, Any]]:
    doc = json.loads(_check(files, "json"))
    return [dict(f, path=fl["path"]) for fl in doc["files"] for f in fl["findings"]
            if f["status"] == "open"]


def _validator(name: str) -> Any:
    import jsonschema

    schema = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def test_gitlab_code_quality_read_back_field_by_field(tmp_path: Path) -> None:
    files = _drafts(tmp_path)
    expected = _open_findings(files)
    assert {f["rule"] for f in expected} == {"data_security", "data_security.incidents"}
    issues = json.loads(_check(files, "gitlab"))
    _validator("gitlab-codequality.schema.json").validate(issues)
    assert len(issues) == len(expected) == 4
    for issue, f in zip(issues, expected, strict=True):
        assert issue["check_name"] == f["rule"]
        assert issue["fingerprint"] == f["fingerprint"]
        assert re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])
        assert issue["severity"] == SEVERITY_GITLAB[f["severity"]]
        assert issue["location"] == {"path": f["path"], "lines": {"begin": f["line"]}}
        assert issue["description"].startswith(f["message"])
    # a missing indicator's guidance and good example travel in the description
    incidents = next(i for i in issues if i["check_name"] == "data_security.incidents")
    assert "数据安全事件与泄露情况 [data_security.incidents]:" in incidents["description"]
    assert "none occurred" in incidents["description"]  # the English line
    assert "例: " in incidents["description"]


def test_gitlab_schema_fixture_is_not_vacuous() -> None:
    import jsonschema

    good = {"description": "d", "check_name": "c", "fingerprint": "f", "severity": "major",
            "location": {"path": "a.md", "lines": {"begin": 1}}}
    _validator("gitlab-codequality.schema.json").validate([good])
    for bad in ({**good, "severity": "error"}, {**good, "extra": 1},
                {**good, "location": {"path": "a.md", "lines": {"begin": 0}}}):
        with pytest.raises(jsonschema.ValidationError):
            _validator("gitlab-codequality.schema.json").validate([bad])


@pytest.mark.parametrize("fmt", ["rdjson", "rdjsonl"])
def test_reviewdog_formats_read_back_field_by_field(tmp_path: Path, fmt: str) -> None:
    files = _drafts(tmp_path)
    expected = _open_findings(files)
    out = _check(files, fmt)
    validator = _validator("reviewdog-rdf.schema.json")
    if fmt == "rdjson":
        doc = json.loads(out)
        validator.validate(doc)
        assert doc["source"]["name"] == "csrscan"
        diagnostics = doc["diagnostics"]
    else:
        diagnostics = [json.loads(line) for line in out.splitlines()]
        for d in diagnostics:  # each line is a Diagnostic, as reviewdog -f=rdjsonl reads it
            validator.validate({"diagnostics": [d]})
    assert len(diagnostics) == len(expected) == 4
    concise = _check(files, "concise").splitlines()
    for d, f, line in zip(diagnostics, expected, concise, strict=True):
        assert d["code"] == {"value": f["rule"]}
        assert d["severity"] == f["severity"].upper()
        assert d["location"] == {"path": f["path"], "range": {"start": {"line": f["line"]}}}
        assert d["message"].startswith(f["message"])
        # reviewdog prints original_output as the diagnostic's raw line (the
        # local reporter's only output): the concise line, then the fingerprint
        assert d["original_output"] == f"{line} [fingerprint {f['fingerprint']}]"


def test_reviewdog_schema_fixture_refuses_unknown_keys() -> None:
    import jsonschema

    d = {"message": "m", "location": {"path": "a.md"}, "fingerprint": "x"}
    with pytest.raises(jsonschema.ValidationError):
        _validator("reviewdog-rdf.schema.json").validate({"diagnostics": [d]})


def test_concise_one_line_per_open_finding(tmp_path: Path) -> None:
    files = _drafts(tmp_path)
    expected = _open_findings(files)
    lines = _check(files, "concise").splitlines()
    pattern = re.compile(r"(?P<path>[^:]+):(?P<line>\d+): (?P<severity>error|warning|info) "
                         r"(?P<rule>[\w.]+): (?P<message>.+)")
    parsed = [pattern.fullmatch(line) for line in lines]
    assert all(parsed) and len(parsed) == len(expected) == 4
    for m, f in zip(parsed, expected, strict=True):
        assert m is not None
        assert (m["path"], int(m["line"]), m["severity"], m["rule"]) == (
            f["path"], f["line"], f["severity"], f["rule"])
        assert m["message"] == " ".join(f["message"].split())
    # messages name indicators in Chinese with the id in brackets
    assert any("数据安全事件与泄露情况 [data_security.incidents]" in line for line in lines)


def test_fingerprints_survive_text_moving_ten_lines(tmp_path: Path) -> None:
    files = _drafts(tmp_path)
    before = _open_findings(files)
    _drafts(tmp_path, moved=True)
    after = _open_findings(files)
    md_lines = [(b["line"], a["line"]) for b, a in zip(before, after, strict=True)
                if b["path"].endswith(".md")]
    assert md_lines and all(a == b + 10 for b, a in md_lines)  # the text did move
    assert [f["fingerprint"] for f in before] == [f["fingerprint"] for f in after]
    assert len({f["fingerprint"] for f in after}) == len(after)  # one per finding


def test_one_fingerprint_in_every_machine_format(tmp_path: Path) -> None:
    files = _drafts(tmp_path)
    by_key = {(f["path"], f["rule"]): f["fingerprint"] for f in _open_findings(files)}
    sarif = json.loads(_check(files, "sarif"))
    for res in sarif["runs"][0]["results"]:
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert res["partialFingerprints"]["csrscan/v1"] == by_key[(uri, res["ruleId"])]
    gitlab = {(i["location"]["path"], i["check_name"]): i["fingerprint"]
              for i in json.loads(_check(files, "gitlab"))}
    assert gitlab == by_key
    r = run("baseline", "create", *files, *POLICY, "-o", "baseline.json")
    assert r.exit_code == 0, r.output
    gaps = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["gaps"]
    assert {(g["file"], g["id"]): g["fingerprint"] for g in gaps} == by_key
    # another pack id is another fingerprint: the pack is part of it
    from csrscan.check.fingerprint import fingerprint

    assert fingerprint("cn-fin-csr", "data_security", "drafts/report.md") == \
        by_key[("drafts/report.md", "data_security")]
    assert fingerprint("other", "data_security", "drafts/report.md") != \
        by_key[("drafts/report.md", "data_security")]


def test_guidance_in_table_markdown_and_sarif_help(tmp_path: Path) -> None:
    files = _drafts(tmp_path)
    table = _check(files, "table")
    assert "      数据安全事件与泄露情况 [data_security.incidents]:" in table
    assert "例 / e.g.: " in table
    md = _check(files, "markdown")
    assert "<summary>What to add (完整披露应包含)</summary>" in md
    assert md.count("- **数据安全事件与泄露情况 [data_security.incidents]**") == 2  # per file
    sarif = json.loads(_check(files, "sarif"))
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    help_text = rules["data_security.incidents"]["help"]["text"]
    assert "What a complete disclosure contains:" in help_text
    assert "Good example" not in help_text and "例 / e.g.: " in help_text
    assert "[data_security.consent]" in rules["data_security"]["help"]["text"]


def test_covered_draft_gets_no_guidance(tmp_path: Path) -> None:
    write(tmp_path / "ok.md", DRAFT_COVERED)
    r = run("check", "ok.md", "--no-config", "--require", "data_security=covered",
            "-f", "gitlab")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == []
    assert run("check", "ok.md", "--no-config", "--require", "data_security=covered",
               "-f", "concise").stdout == ""


@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_diff_reports_regressions_for_reviewdog(tmp_path: Path, suffix: str) -> None:
    if suffix == ".docx":
        write_docx(tmp_path / "v1.docx", [p for p in DRAFT_COVERED.split("\n\n") if p.strip()])
        write_docx(tmp_path / "v2.docx", [p for p in DRAFT_PARTIAL.split("\n\n") if p.strip()])
    else:
        write(tmp_path / "v1.md", DRAFT_COVERED)
        write(tmp_path / "v2.md", DRAFT_PARTIAL)
    old, new = f"v1{suffix}", f"v2{suffix}"
    lines = run("diff", old, new, "--no-config", "-f", "concise").stdout.splitlines()
    assert lines[0].startswith(f"{new}:")
    assert lines[0].endswith(f": error data_security: topic 数据安全与个人信息保护 "
                             f"[data_security] fell from covered to partial since {old}")
    lost = sorted(line.split(" ")[2].rstrip(":") for line in lines[1:])
    assert lost == ["data_security.incidents", "data_security.technical"]
    doc = json.loads(run("diff", old, new, "--no-config", "-f", "rdjson").stdout)
    _validator("reviewdog-rdf.schema.json").validate(doc)
    assert [(d["severity"], d["code"]["value"]) for d in doc["diagnostics"]] == [
        ("ERROR", "data_security"), ("WARNING", "data_security.incidents"),
        ("WARNING", "data_security.technical")]
    jsonl = run("diff", old, new, "--no-config", "-f", "rdjsonl").stdout.splitlines()
    assert [json.loads(line) for line in jsonl] == doc["diagnostics"]
    # a topic gap in NEW has the fingerprint that check gives it
    checked = json.loads(run("check", new, "--no-config", "--require", "data_security=covered",
                             "-f", "json").stdout)
    gap = next(f for f in checked["files"][0]["findings"] if f["rule"] == "data_security")
    assert doc["diagnostics"][0]["original_output"] == \
        f"{lines[0]} [fingerprint {gap['fingerprint']}]"
    assert run("diff", new, old, "--no-config", "-f", "concise").stdout == ""  # gains only


def test_github_annotations_carry_the_guidance(tmp_path: Path) -> None:
    files = _drafts(tmp_path)
    lines = _check(files, "github").splitlines()
    [incidents] = [line for line in lines if line.startswith(
        "::error file=drafts/report.md,line=3,title=csrscan data_security.incidents::")]
    body = incidents.split("::", 2)[2].split("%0A")
    assert body[0] == ("required indicator 数据安全事件与泄露情况 [data_security.incidents] "
                       "not found")
    assert body[1].startswith("数据安全事件与泄露情况 [data_security.incidents]: 披露")


def test_a_file_given_twice_is_checked_once(tmp_path: Path) -> None:
    write(tmp_path / "drafts" / "report.md", DRAFT_PARTIAL)
    once = json.loads(_check(["drafts/report.md"], "gitlab"))
    twice = json.loads(_check(["./drafts/report.md", "drafts/report.md",
                               str(tmp_path / "drafts" / "report.md")], "gitlab"))
    assert twice == once and len({i["fingerprint"] for i in once}) == len(once) == 2
    doc = json.loads(_check(["drafts/./report.md", "drafts/report.md"], "json"))
    assert [f["path"] for f in doc["files"]] == ["drafts/report.md"]


def test_each_malformed_suppression_has_its_own_fingerprint(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "<!-- csrscan-disable aml -->\n\n"
          "<!-- csrscan-disable nosuch: 原因 -->\n\n"
          "<!-- csrscan-disable green_finance -->\n\n" + DRAFT_COVERED)
    r = run("check", "a.md", "--no-config", "--require", "*=missing", "-f", "gitlab")
    assert r.exit_code == 1, r.output
    issues = [i for i in json.loads(r.stdout) if i["check_name"] == "csrscan.suppression"]
    assert [i["location"]["lines"]["begin"] for i in issues] == [1, 3, 5]
    assert len({i["fingerprint"] for i in issues}) == 3
    assert "`<!-- csrscan-disable green_finance: reason -->`" in issues[2]["description"]
    # moving the comments keeps their fingerprints
    write(tmp_path / "a.md", "\n".join(FILLER) + "\n" + (tmp_path / "a.md").read_text("utf-8"))
    moved = [i for i in json.loads(run("check", "a.md", "--no-config", "--require", "*=missing",
                                       "-f", "gitlab").stdout)
             if i["check_name"] == "csrscan.suppression"]
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
