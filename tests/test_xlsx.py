"""compare -f xlsx never breaks on what real reports contain, and every file
output appears only complete (issue #14, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from csrscan.cli.common import emit
from csrscan.compare.formats.xlsx import write_xlsx
from csrscan.compare.identity import Identity
from csrscan.compare.matrix import EvidenceRow, Matrix, Row, TopicCol
from csrscan.errors import CsrscanError

# what PDFs really hand over now and then: U+FFFE, a form feed, a NUL, a lone
# surrogate, and text that looks like a formula
HOSTILE = "本行\ufffe建立\x0c数据\x00安全\ud800制度"
FORMULA = "=HYPERLINK(\"http://x\",\"点我\")"


def _matrix(rows: int, text: str = "本行建立数据安全管理制度。") -> Matrix:
    topics = (TopicCol("data_security", "数据安全与个人信息保护"),)

    def row(i: int) -> Row:
        evidence = tuple(EvidenceRow("data_security", "data_security.governance", 1, k,
                                     "measure", f"{text}{k}") for k in range(3))
        return Row(path=f"r{i:04d}.txt", sha256=f"{i:064d}", format="txt",
                   identity=Identity(f"公司{i}", 2024), levels=(i % 3,), score=0.5,
                   found=(("data_security.governance",),), evidence=evidence)
    return Matrix("cn-fin-csr", "1", topics, tuple(row(i) for i in range(rows)), ())


def test_characters_xml_cannot_hold_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    write_xlsx(_matrix(2, HOSTILE), path)
    wb = load_workbook(path)
    texts = [c.value for c in wb["evidence"]["I"][1:]]
    assert texts[0] == "本行\ufffd建立\ufffd数据\ufffd安全\ufffd制度0"
    assert [c.value for c in wb["matrix"]["B"][1:3]] == ["公司0", "公司1"]
    assert wb.sheetnames == ["matrix", "evidence", "failures", "trends"]
    assert wb["matrix"]["D1"].comment.text == "数据安全与个人信息保护"
    assert wb["matrix"]["D3"].fill.start_color.rgb.endswith("FFEB9C")  # level 1: neutral


def test_report_text_never_becomes_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    write_xlsx(_matrix(1, FORMULA), path)
    cell = load_workbook(path)["evidence"]["I2"]
    assert cell.data_type == "s" and cell.value == FORMULA + "0"


def test_a_failed_write_keeps_the_earlier_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    emit('{"old": true}\n', out)

    def pieces() -> object:
        yield '{"new": '
        raise CsrscanError("rendering failed half-way")
    with pytest.raises(CsrscanError):
        emit(pieces(), out)  # type: ignore[arg-type]
    assert out.read_text(encoding="utf-8") == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary left


def test_a_failed_workbook_keeps_the_earlier_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "m.xlsx"
    write_xlsx(_matrix(3), out)
    before = out.read_bytes()

    def full_disk(src: object, dst: object) -> None:  # the last step fails
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("csrscan.atomic.os.replace", full_disk)
    with pytest.raises(CsrscanError, match=r"m\.xlsx: cannot write output: No space left"):
        write_xlsx(_matrix(5), out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.xlsx"]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    out = tmp_path / "out.md"
    emit("# x\n", out)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_devices_and_links_are_written_through_not_replaced(tmp_path: Path) -> None:
    import os

    device = tmp_path / "null"
    os.symlink("/dev/null", device)  # a link to a device: written through, link kept
    emit("# x\n", device)
    assert device.is_symlink() and Path("/dev/null").is_char_device()
    target = tmp_path / "real.md"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.md"
    os.symlink(target.name, link)
    emit("new\n", link)  # the file the link names is replaced; the link stays a link
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new\n"
    with pytest.raises(CsrscanError, match="No space left on device"):
        emit("x" * 100_000, Path("/dev/full"))
    assert Path("/dev/full").is_char_device()
