"""Word documents (sections as pages) and HTML (main content only)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from ingest_support import PARA_SIMPLIFIED

from csrscan.errors import InputError
from csrscan.ingest import bytes_to_document


def _docx() -> bytes:
    docx = pytest.importorskip("docx")
    from docx.enum.section import WD_SECTION
    d = docx.Document()
    d.add_heading("第一章 数据安全", level=1)
    d.add_paragraph(PARA_SIMPLIFIED)
    d.add_paragraph("")
    table = d.add_table(rows=2, cols=3)
    rows = [["指标", "2023年", "2024年"], ["温室气体排放（吨）", "1,200", "1,104"]]
    for r, row in enumerate(rows):
        for k, value in enumerate(row):
            table.cell(r, k).text = value
    d.add_paragraph("表后说明。")
    d.add_section(WD_SECTION.NEW_PAGE)
    d.add_heading("第二章 消费者权益保护", level=2)
    p = d.add_paragraph("公司设立")
    p.add_run("消费者权益保护委员会").bold = True
    p.add_run("。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_sections_are_pages_and_paragraphs_are_lines() -> None:
    doc = bytes_to_document(_docx(), "r.docx")
    assert doc.format == "docx" and doc.encoding is None
    assert [p.number for p in doc.pages] == [1, 2]
    first = doc.pages[0].text.split("\n")
    assert first == ["第一章 数据安全", PARA_SIMPLIFIED, "", "指标\t2023年\t2024年",
                     "温室气体排放（吨）\t1,200\t1,104", "表后说明。",
                     ""]  # python-docx ends a section with an empty paragraph
    assert doc.pages[1].text.split("\n") == ["第二章 消费者权益保护",
                                             "公司设立消费者权益保护委员会。"]
    assert all(p.first_line == 1 and p.origin == "text" for p in doc.pages)


def test_empty_docx_is_an_error() -> None:
    docx = pytest.importorskip("docx")
    buf = io.BytesIO()
    docx.Document().save(buf)
    with pytest.raises(InputError, match=r"e\.docx: Word document contains no text"):
        bytes_to_document(buf.getvalue(), "e.docx")


HTML = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>某消费金融公司发布社会责任报告</title>
<style>.x{{color:red}}</style><script>var nav = "导航脚本";</script></head>
<body>
<header><div class="logo">网站标志</div></header>
<div class="top-nav"><a href="/">首页</a> <a href="/news">新闻中心</a>
 <a href="/ir">投资者关系</a></div>
<nav><ul><li><a href="/a">关于我们</a></li><li><a href="/b">联系我们</a></li></ul></nav>
<div class="main-content">
  <h1>某消费金融公司发布2024年社会责任报告</h1>
  <div class="share-bar">分享到：<a href="#">微信</a><a href="#">微博</a></div>
  <p>{para}</p>
  <p>公司持续完善<b>数据安全</b>管理体系。<br>报告期内未发生重大数据泄露事件。</p>
  <table><tr><th>指标</th><th>2024年</th></tr><tr><td>员工培训覆盖率</td><td>99%</td></tr></table>
  <ul class="news-list">
    <li><a href="/n1">某银行召开年度工作会议</a></li>
    <li><a href="/n2">某保险公司推出新产品</a></li>
    <li><a href="/n3">监管部门发布最新通知</a></li>
  </ul>
</div>
<aside><h3>热门文章</h3><a href="/h">一篇无关的热门文章</a></aside>
<div id="footer">版权所有 (C) 某网站 京ICP备00000000号</div>
</body></html>
"""


def test_html_keeps_main_content_only() -> None:
    data = HTML.format(para=PARA_SIMPLIFIED).encode("gbk")
    doc = bytes_to_document(data, "news.html")
    assert (doc.format, doc.encoding) == ("html", "gb18030")  # declared gbk, read as superset
    assert doc.warnings == () and len(doc.pages) == 1
    lines = doc.pages[0].text.split("\n")
    assert lines[0] == "某消费金融公司发布2024年社会责任报告"
    assert PARA_SIMPLIFIED in lines
    assert "公司持续完善数据安全管理体系。" in lines
    assert "报告期内未发生重大数据泄露事件。" in lines
    assert "员工培训覆盖率\t99%" in lines
    text = doc.pages[0].text
    for noise in ("网站标志", "首页", "关于我们", "分享到", "微博", "某银行召开", "热门文章",
                  "版权所有", "导航脚本", "color"):
        assert noise not in text, noise


def test_html_without_content_container_uses_body() -> None:
    page = f"<html><body><p>{PARA_SIMPLIFIED}</p><div class='footer'>页脚</div></body></html>"
    doc = bytes_to_document(page.encode("utf-8"), "p.htm")
    assert doc.pages[0].text == PARA_SIMPLIFIED


def test_html_with_no_text_is_an_error() -> None:
    with pytest.raises(InputError, match="no readable main text"):
        bytes_to_document(b"<html><body><nav><a href='/'>x</a></nav></body></html>", "x.html")


def test_html_wrapper_with_a_noisy_class_is_kept() -> None:
    page = (f"<html><body><div id='page' class='site has-sidebar'><p>{PARA_SIMPLIFIED}</p>"
            "<div class='sidebar'>侧栏</div></div></body></html>")
    doc = bytes_to_document(page.encode("utf-8"), "w.html")
    assert doc.pages[0].text == PARA_SIMPLIFIED


def _with_body_xml(docx_bytes: bytes, edit: Callable[[str], str]) -> bytes:
    """The same .docx with its main part's XML edited."""
    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def test_docx_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密口令ABC", encoding="utf-8")

    def xxe(xml: str) -> str:
        head, rest = xml.split("?>", 1)
        doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
        return head + "?>" + doctype + rest.replace("表后说明。", "表后说明&x;。")
    doc = bytes_to_document(_with_body_xml(_docx(), xxe), "x.docx")
    assert "机密口令" not in "".join(p.text for p in doc.pages)
    assert "表后说明" in doc.pages[0].text


def test_docx_text_boxes_once_and_content_controls_read() -> None:
    box = ('<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>框内文字</w:t>'
           '</mc:Choice><mc:Fallback><w:t>框内文字</w:t></mc:Fallback></mc:AlternateContent>'
           '</w:r></w:p>')
    sdt = ('<w:sdt><w:sdtContent><w:p><w:r><w:t>目录控件里的段落</w:t></w:r></w:p>'
           '</w:sdtContent></w:sdt>')

    def insert(xml: str) -> str:
        if "xmlns:mc=" not in xml:
            mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
            xml = xml.replace("<w:document ", f"<w:document {mc} ", 1)
        return xml.replace("<w:body>", f"<w:body>{sdt}{box}", 1)
    doc = bytes_to_document(_with_body_xml(_docx(), insert), "t.docx")
    lines = doc.pages[0].text.split("\n")
    assert lines[:3] == ["目录控件里的段落", "框内文字", "第一章 数据安全"]


def test_docx_is_read_without_python_docx(tmp_path: Path) -> None:
    code = ("import sys, csrscan.ingest as i\n"
            "doc = i.bytes_to_document(open(sys.argv[1], 'rb').read(), 'r.docx')\n"
            "print(len(doc.pages), 'docx' in sys.modules)")
    path = tmp_path / "r.docx"
    path.write_bytes(_docx())
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["2", "False"]


def test_docx_content_controls_keep_sections_and_table_rows() -> None:
    """A section break inside a content control still starts a page, and a
    table row wrapped in a content control is still a row."""
    inner = ('<w:sdt><w:sdtContent><w:p><w:r><w:t>控件第一段</w:t></w:r></w:p>'
             '<w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>控件结束一节</w:t></w:r></w:p>'
             '<w:p><w:r><w:t>控件里的下一节</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    row = ('<w:sdt><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>包起来的行</w:t></w:r></w:p>'
           '</w:tc></w:tr></w:sdtContent></w:sdt>')

    def insert(xml: str) -> str:
        xml = xml.replace("<w:body>", f"<w:body>{inner}", 1)
        return xml.replace("</w:tbl>", f"{row}</w:tbl>", 1)
    doc = bytes_to_document(_with_body_xml(_docx(), insert), "c.docx")
    pages = [p.text.split("\n") for p in doc.pages]
    assert pages[0] == ["控件第一段", "控件结束一节"]
    assert pages[1][0] == "控件里的下一节"
    assert "包起来的行" in pages[1]
