"""Exports of real scans never break on what real batches hold: evidence with
characters XML cannot carry, and file names that are not UTF-8 (a GBK name
unpacked from a Windows zip), which every output used to refuse with an
internal error (issue #14: "exports that never break")."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from compare_helpers import read_jsonl, run_cli

# sentences written for this test; the controls and U+FFFE/U+FFFF sit inside the
# sentences the rules quote
HOSTILE_REPORT = (
    "青禾消费金融股份有限公司\n2023年度社会责任报告\n\n"
    "公司建立了数据安全管理制度\ufffe，设立数据安全委员会\x01负责个人信息保护。\n"
    "我们建立了投诉处理机制\x00，客户可通过客服热线\x08提交投诉。\n"
    "2023年共受理客户投诉1200件\uffff，办结率99%。\n")
GBK_NAME = "青禾2023社会责任报告.txt".encode("gbk")  # not UTF-8: Python keeps surrogates
SHOWN = "in/" + GBK_NAME.decode("utf-8", "backslashreplace")

needs_bytes_names = pytest.mark.skipif(os.name == "nt", reason="POSIX file names are bytes")


def _batch(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plain.txt").write_text(HOSTILE_REPORT, encoding="utf-8")
    if os.name != "nt":
        with open(os.path.join(os.fsencode(tmp_path / "in"), GBK_NAME), "wb") as fh:
            fh.write(HOSTILE_REPORT.replace("青禾", "远帆").encode("utf-8"))
    return tmp_path


def test_xlsx_of_scanned_evidence_with_xml_illegal_characters(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    root = _batch(tmp_path)
    res = run_cli(root, "compare", "in/plain.txt", "-f", "xlsx", "-o", "m.xlsx",
                  "--progress", "none")
    assert res.returncode == 0, res.stderr
    quotes = [row[8] for row in load_workbook(root / "m.xlsx")["evidence"]
              .iter_rows(min_row=2, values_only=True)]
    assert any("管理制度\ufffd，" in q for q in quotes)  # U+FFFE replaced, the quote kept
    assert any("1200件\ufffd，" in q for q in quotes)  # U+FFFF too
    assert not any(c in q for q in quotes for c in "\x00\x01\x08\ufffe\uffff")


@needs_bytes_names
@pytest.mark.parametrize("fmt", ["json", "csv", "html", "table", "jsonl", "xlsx"])
def test_compare_outputs_take_a_file_name_that_is_not_utf8(tmp_path: Path, fmt: str) -> None:
    root = _batch(tmp_path)
    res = run_cli(root, "compare", "in", "-f", fmt, "-o", f"m.{fmt}", "--progress", "none")
    assert res.returncode == 0, res.stderr
    if fmt == "xlsx":
        from openpyxl import load_workbook

        paths = [r[0] for r in load_workbook(root / "m.xlsx")["matrix"]
                 .iter_rows(min_row=2, max_row=3, values_only=True)]
        assert sorted(paths) == sorted([SHOWN, "in/plain.txt"])
        return
    text = (root / f"m.{fmt}").read_bytes().decode("utf-8")  # strict: valid UTF-8
    assert SHOWN in (text if fmt in ("table", "csv") else text.replace("\\\\", "\\"))
    if fmt == "json":
        rows = json.loads(text)["rows"]
        assert sorted(r["path"] for r in rows) == sorted([SHOWN, "in/plain.txt"])


@needs_bytes_names
def test_a_name_that_is_not_utf8_in_the_journal_history_and_resume(tmp_path: Path) -> None:
    root = _batch(tmp_path)
    first = run_cli(root, "compare", "in", "--jsonl", "j.jsonl", "--db", "h.sqlite",
                    "--progress", "none")
    assert first.returncode == 0, first.stderr
    assert sorted(r["source"]["path"] for r in read_jsonl(root / "j.jsonl")) == sorted(
        [SHOWN, "in/plain.txt"])
    again = run_cli(root, "compare", "in", "--jsonl", "j.jsonl", "--resume", "-f", "json",
                    "--progress", "plain")
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""  # both found in the journal: none scanned again
    assert len(read_jsonl(root / "j.jsonl")) == 2
    history = run_cli(root, "history", "远帆", "--db", "h.sqlite")
    assert history.returncode == 0 and "\\xc7\\xe0" in history.stdout, history.stderr


@needs_bytes_names
def test_scan_of_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    root = _batch(tmp_path)
    name = os.fsdecode(b"in/" + GBK_NAME)
    res = run_cli(root, "scan", name, "-f", "json", "-o", "r.json")
    assert res.returncode == 0, res.stderr
    assert json.loads((root / "r.json").read_bytes().decode("utf-8"))["source"]["path"] == SHOWN
