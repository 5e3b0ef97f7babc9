"""Inputs at the edges of the readers, made by the tests: undecodable text,
a forced UTF-8 with a BOM, an HTML page whose declared charset is wrong, Word
files without a body, with too many parts or with section breaks; config files
that cannot be read."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from checkutil import DRAFT_PARTIAL, run, write

TEXT = "本公司制定《数据安全管理办法》，明确数据安全责任部门。"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def _source(name: str, *args: str) -> dict[str, Any]:
    r = run(name, "-f", "json", *args)
    assert r.exit_code == 0, r.output
    source: dict[str, Any] = json.loads(r.stdout)["source"]
    return source


def _error(*args: str) -> str:
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert r.stdout == "" and r.stderr.count("\n") == 1
    return r.stderr.rstrip("\n")


def test_bytes_no_chinese_encoding_reads(tmp_path: Path) -> None:
    """Every lead byte of GB18030 in a row: decodable, but no plausible Chinese."""
    (tmp_path / "noise.txt").write_bytes(bytes(range(0x81, 0xFF)) * 4)
    line = _error("noise.txt")
    assert line.startswith("csrscan: error: noise.txt: no Chinese encoding gives readable "
                           "text (best: ")
    assert line.endswith("; first non-UTF-8 byte 0x81 at offset 0); pass --encoding")


def test_forced_utf8_reads_past_a_bom(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    source = _source("bom.txt", "--encoding", "utf-8")
    assert (source["encoding"], source["chars"]) == ("utf-8-sig", len(TEXT))


def test_a_wrong_meta_charset_gives_way_to_the_bytes(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="big5"></head><body><p>{TEXT}</p></body></html>'
    (tmp_path / "page.html").write_bytes(page.encode("gbk"))
    source = _source("page.html")
    assert (source["format"], source["encoding"], source["chars"]) == (
        "html", "gb18030", len(TEXT))


def _docx(body: str, extra_parts: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{W}">{body}</w:document>')
        for i in range(extra_parts):
            zf.writestr(f"word/media/{i}.bin", b"")
    return buf.getvalue()


def _para(text: str, ends_section: bool = False) -> str:
    props = "<w:pPr><w:sectPr/></w:pPr>" if ends_section else ""
    return f"<w:p>{props}<w:r><w:t>{text}</w:t></w:r></w:p>"


def test_a_word_file_without_a_body(tmp_path: Path) -> None:
    (tmp_path / "empty.docx").write_bytes(_docx("<w:background/>"))
    assert _error("empty.docx") == "csrscan: error: empty.docx: damaged Word document (ValueError)"


def test_a_word_file_with_too_many_parts(tmp_path: Path) -> None:
    from csrscan.ingest.docx import MAX_MEMBERS

    (tmp_path / "parts.docx").write_bytes(_docx(f"<w:body>{_para(TEXT)}</w:body>", MAX_MEMBERS))
    assert _error("parts.docx") == (
        f"csrscan: error: parts.docx: .docx has {MAX_MEMBERS + 2} parts (zip bomb?)")


def test_section_breaks_are_pages_and_the_closing_one_adds_none(tmp_path: Path) -> None:
    second = "报告期内，本公司未发生重大数据泄露事件。"
    body = f"<w:body>{_para(TEXT, True)}{_para(second, True)}<w:sectPr/></w:body>"
    (tmp_path / "two.docx").write_bytes(_docx(body))
    r = run("two.docx", "-f", "json", "-e")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["source"]["pages"] == 2
    pages = {e["text"]: e["page"] for t in report["topics"] for i in t["indicators"]
             for e in i["evidence"]}
    assert pages.get(second) == 2


@pytest.mark.parametrize("name", ["mem.toml", "mem.yaml"])
def test_a_config_file_that_fails_when_read(tmp_path: Path, name: str) -> None:
    """/proc/self/mem is a file whose first bytes cannot be read (EIO)."""
    write(tmp_path / "draft.md", DRAFT_PARTIAL)
    os.symlink("/proc/self/mem", tmp_path / name)
    assert _error("check", "draft.md", "--no-config", "--config", name) == (
        f"csrscan: error: {name}: cannot read: Input/output error")


def test_an_html_file_with_only_a_doctype(tmp_path: Path) -> None:
    (tmp_path / "blank.html").write_text("<!DOCTYPE html>\n", encoding="utf-8")
    assert _error("blank.html") == "csrscan: error: blank.html: cannot parse HTML (ParserError)"


def test_markdown_comments_over_lines_hide_text_and_entities_are_read(tmp_path: Path) -> None:
    hidden = "报告期内，本公司未发生重大数据泄露事件。"
    (tmp_path / "draft.md").write_text(
        f"# 报告\n\n<!--\n{hidden}\n-->\n\n"
        "本公司制定《数据安全管理制度》&amp;《个人信息保护办法》，明确数据安全责任部门。\n",
        encoding="utf-8")
    r = run("draft.md", "-f", "json", "-e")
    assert r.exit_code == 0, r.output
    quotes = {e["text"]: i["id"] for t in json.loads(r.stdout)["topics"]
              for i in t["indicators"] for e in i["evidence"]}
    assert quotes == {"本公司制定《数据安全管理制度》&《个人信息保护办法》，明确数据安全责任部门。":
                      "data_security.governance"}
