"""Text and Markdown: encodings detected without mojibake, lines kept 1:1."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from ingest_support import PARA_SIMPLIFIED, PARA_TRADITIONAL, load_make_bad

from csrscan.errors import EncodingError, InputError
from csrscan.ingest import IngestOptions, bytes_to_document, path_to_document, sniff_format

TEXT = f"第一章 公司治理\n\n{PARA_SIMPLIFIED}\n温室气体排放：1,200吨\n"
TRAD = f"第一章 公司治理\n\n{PARA_TRADITIONAL}\n"


@pytest.mark.parametrize(("data", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("gb18030"), "gb18030"),
    (TEXT.encode("gbk"), "gb18030"),  # GBK is a subset: same text
    (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM
    (TEXT.encode("utf-16-be"), "utf-16-be"),
])
def test_simplified_encodings(data: bytes, encoding: str) -> None:
    doc = bytes_to_document(data, "r.txt")
    assert (doc.format, doc.encoding) == ("txt", encoding)
    assert doc.pages[0].text == TEXT
    assert (doc.pages[0].number, doc.pages[0].first_line) == (1, 1)


def test_guessed_encoding_is_reported() -> None:
    doc = bytes_to_document(TEXT.encode("gbk"), "r.txt")
    assert doc.warnings == ("encoding guessed as gb18030 (no BOM, not UTF-8); "
                            "pass --encoding if the text looks wrong",)


@pytest.mark.parametrize("codec", ["big5", "cp950"])
def test_big5_is_not_read_as_gb18030(codec: str) -> None:
    data = TRAD.encode(codec)
    data.decode("gb18030")  # the trap: this "works" and yields mojibake
    doc = bytes_to_document(data, "tw.txt")
    assert doc.encoding in ("big5", "cp950")
    assert doc.pages[0].text == TRAD


def test_encoding_override() -> None:
    data = TRAD.encode("big5")
    doc = bytes_to_document(data, "tw.txt", IngestOptions(encoding="big5"))
    assert doc.encoding == "big5" and doc.pages[0].text == TRAD and doc.warnings == ()
    with pytest.raises(EncodingError, match=r"tw\.txt: invalid gbk bytes at offset \d+"):
        bytes_to_document(data + b"\xff\xfe", "tw.txt", IngestOptions(encoding="gbk"))


@pytest.mark.parametrize("override", [None, "utf-8", "utf-8-sig"])
def test_a_bad_byte_after_a_utf8_bom_is_named_at_its_file_offset(override: str | None) -> None:
    """Offsets count the BOM (they left it out: 0xFF at 13 was 'offset 10 (61 61)')."""
    data = codecs.BOM_UTF8 + b"abcdefghij" + b"\xff\x62"
    with pytest.raises(EncodingError, match=r"invalid utf-8 bytes at offset 13 \(ff 62\)"):
        bytes_to_document(data, "t.txt", IngestOptions(encoding=override))


@pytest.mark.parametrize("codec", ["base64", "rot13", "hex"])
def test_a_codec_that_is_no_text_encoding_is_refused_by_name(codec: str) -> None:
    with pytest.raises(InputError, match=f"unknown encoding '{codec}' \\(--encoding\\)"):
        bytes_to_document(b"abc", "t.txt", IngestOptions(encoding=codec))


def test_line_numbers_survive_crlf_and_odd_breaks() -> None:
    raw = "第一行\r\n\r\n第三行\r第四行\x0c含分页符\n第五行\u2028同一行\n\n"
    text = bytes_to_document(raw.encode("utf-8"), "r.txt").pages[0].text
    assert text.split("\n") == ["第一行", "", "第三行", "第四行 含分页符",
                                "第五行 同一行", "", ""]
    assert text.splitlines() == text.split("\n")[:-1]  # nothing else breaks a line


def test_stdin_bytes(tmp_path: Path) -> None:
    doc = bytes_to_document(TEXT.encode("utf-8"), "<stdin>")
    assert (doc.path, doc.format, doc.pages[0].text) == ("<stdin>", "txt", TEXT)
    pdf = load_make_bad().pdf_bytes(load_make_bad().draw_sample)
    assert bytes_to_document(pdf, "<stdin>").format == "pdf"


def test_content_wins_over_a_text_extension() -> None:
    pdf = load_make_bad().pdf_bytes(load_make_bad().draw_sample)
    assert sniff_format(pdf, "report.txt") == "pdf"
    assert sniff_format(b"<!DOCTYPE html><html><body>x</body></html>", "a.txt") == "html"
    assert sniff_format(b"<table><tr><td>1</td></tr></table>", "a.md") == "md"
    assert sniff_format(b"plain", "noext") == "txt"


MD = """# 第一章 **数据安全**
某消费金融公司 *建立了* [数据安全管理制度](https://example.com)。

- 每年开展 `两次` 信息安全培训
1. 设立__消费者权益保护__委员会
> 引用的说明文字
---
| 指标 | 2023年 | 2024年 |
|:---|---:|---:|
| 温室气体排放（吨） | 1,200 | 1,104 |

<table>
<tr><td>员工总数</td><td>3,456</td></tr>
<tr>
  <td>女性员工占比</td>
  <td>52%</td>
</tr>
</table>
<!-- 注释
跨行 -->
```
代码 # 原样
```
Setext 标题
==========
"""


def test_markdown_is_stripped_in_place(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text(MD, encoding="utf-8")
    doc = path_to_document(tmp_path / "r.md")
    assert doc.format == "md" and doc.encoding == "utf-8"
    lines = doc.pages[0].text.split("\n")
    assert len(lines) == len(MD.split("\n"))
    expected = {
        1: "第一章 数据安全",
        2: "某消费金融公司 建立了 数据安全管理制度。",
        4: "每年开展 两次 信息安全培训",
        5: "设立消费者权益保护委员会",
        6: "引用的说明文字",
        7: "",
        8: "指标\t2023年\t2024年",
        9: "",
        10: "温室气体排放（吨）\t1,200\t1,104",
        13: "员工总数\t3,456",
        15: "  女性员工占比",
        16: "  52%",
        19: "",
        20: "",
        21: "",
        22: "代码 # 原样",
        24: "Setext 标题",
        25: "",
    }
    for number, text in expected.items():
        assert lines[number - 1] == text, number


def test_html_with_utf8_bom_is_html() -> None:
    data = b"\xef\xbb\xbf<!DOCTYPE html><html><body><p>" + PARA_SIMPLIFIED.encode() + b"</p>"
    doc = bytes_to_document(data, "<stdin>")
    assert (doc.format, doc.encoding, doc.pages[0].text) == ("html", "utf-8-sig",
                                                             PARA_SIMPLIFIED)
