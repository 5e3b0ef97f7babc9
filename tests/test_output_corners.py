"""Output paths few reports take: warnings in the table and Markdown, evidence
cut at three quotes, a draft with no usable text, bad manifests, a formula
smuggled into a spreadsheet, a workbook that cannot be written."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from compare_corpus import SENTENCES
from compare_helpers import run_main
from ingest_support import load_make_bad

ONE_EACH = ("-j", "1", "--max-tasks-per-child", "1", "--progress", "none")
# four sentences that each show the governance indicator (more than the table's three)
GOVERNANCE = ["本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。",
              "本公司制定《个人信息保护管理办法》，明确数据安全责任部门。",
              "董事会下设数据安全委员会，统筹数据安全管理工作。",
              "本公司建立数据安全管理制度体系，明确各部门岗位职责。"]


def _draft(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# 青禾消费金融2024年社会责任报告\n\n" + "\n\n".join(lines) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def pdf_with_a_picture_page(tmp_path: Path) -> str:
    """Page 1 text, page 2 only a picture: the report warns about page 2."""
    mb = load_make_bad()
    from reportlab.lib.utils import ImageReader

    def draw(c: Any, i: int) -> None:
        if i == 1:
            c.drawImage(ImageReader(io.BytesIO(mb.png_bytes())), 50, 400, 400, 200)
            return
        c.setFont(mb.cjk_font(), 11)
        for k, line in enumerate(GOVERNANCE):
            c.drawString(40, 760 - 20 * k, line)
    (tmp_path / "two.pdf").write_bytes(mb.pdf_bytes(draw, pages=2))
    return "two.pdf"


WARNING = "page 2: no text layer (run with --ocr to read it)"


def test_table_and_markdown_show_the_warnings(tmp_path: Path,
                                              pdf_with_a_picture_page: str) -> None:
    data = json.loads(run_main(tmp_path, pdf_with_a_picture_page, "-f", "json").stdout)
    assert data["warnings"] == [WARNING]
    table = run_main(tmp_path, pdf_with_a_picture_page)
    assert table.returncode == 0, table.stderr
    assert f"warning: {WARNING}" in table.stdout.splitlines()
    markdown = run_main(tmp_path, pdf_with_a_picture_page, "-f", "markdown")
    assert f"> warning: {WARNING}" in markdown.stdout.splitlines()


def test_the_table_quotes_three_and_says_how_many_more(tmp_path: Path) -> None:
    _draft(tmp_path, "gov.md", GOVERNANCE)
    data = json.loads(run_main(tmp_path, "gov.md", "-f", "json", "-e").stdout)
    [gov] = [i for t in data["topics"] for i in t["indicators"]
             if i["id"] == "data_security.governance"]
    quotes = len(gov["evidence"])
    assert quotes > 3
    short = run_main(tmp_path, "gov.md", "-e").stdout
    assert f"… {quotes - 3} more (--all-evidence shows all)" in short
    full = run_main(tmp_path, "gov.md", "-e", "--all-evidence").stdout
    assert "more (--all-evidence shows all)" not in full
    assert sum(line.lstrip().startswith("p.") for line in full.splitlines()) > sum(
        line.lstrip().startswith("p.") for line in short.splitlines())


def test_a_draft_with_no_usable_text(tmp_path: Path) -> None:
    """A Markdown skeleton whose only content is a comment: not a report saying nothing."""
    (tmp_path / "todo.md").write_text("<!-- 正文待补充 -->\n\n1\n\n2\n", encoding="utf-8")
    r = run_main(tmp_path, "todo.md")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == "csrscan: error: todo.md: no usable text in the document\n"


@pytest.mark.parametrize(("manifest", "message"), [
    (None, "nowhere.csv: cannot read manifest: No such file or directory"),
    ("name,company\nin/a.md,青禾\n",
     "m.csv: manifest needs a 'path' (or 'file') column (path,company,year,industry)"),
    ("path,company,year\nin/a.md,青禾,24\n",
     "m.csv: line 2: year '24' is not a 4-digit year (or years like 2015|2016)"),
], ids=["missing", "no-path-column", "two-digit-year"])
def test_manifest_errors(tmp_path: Path, manifest: str | None, message: str) -> None:
    _draft(tmp_path, "in/a.md", [SENTENCES["governance"]])
    name = "nowhere.csv" if manifest is None else "m.csv"
    if manifest is not None:
        (tmp_path / name).write_text(manifest, encoding="utf-8")
    r = run_main(tmp_path, "compare", "in", "--manifest", name, *ONE_EACH)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == f"csrscan: error: {message}\n"


def test_a_formula_from_a_manifest_stays_text_in_the_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _draft(tmp_path, "in/a.md", [SENTENCES["governance"]])
    (tmp_path / "m.csv").write_text('path,company,year\nin/a.md,"=HYPERLINK(""x"")",2024\n',
                                    encoding="utf-8")
    r = run_main(tmp_path, "compare", "in", "--manifest", "m.csv", "-f", "xlsx",
                 "-o", "out.xlsx", *ONE_EACH)
    assert r.returncode == 0, r.stderr
    cells = [c for ws in load_workbook(tmp_path / "out.xlsx") for row in ws.iter_rows()
             for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_workbook_that_cannot_be_written(tmp_path: Path) -> None:
    _draft(tmp_path, "in/a.md", [SENTENCES["governance"]])
    r = run_main(tmp_path, "compare", "in/a.md", "-f", "xlsx", "-o", "in/a.md/out.xlsx",
                 *ONE_EACH)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines()[-1] == (
        "csrscan: error: in/a.md/out.xlsx: cannot write output: Not a directory")
