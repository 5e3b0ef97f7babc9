"""GRI G4 codes mark a standards-index line, like GRI 418-1 (rules/_base/zh-grading.yaml)."""
from csrscan.packs.select import select_pack
from csrscan.text.segment import context_of, index_marker


def test_g4_codes_mark_index_rows() -> None:
    index = index_marker(select_pack(None).grading.index)
    # a G4 index row: its description would otherwise read as evidence
    assert context_of("G4-PR8\t本公司客户隐私投诉与资料遗失情况\t56", index) == "index"
    assert context_of("G4-56 机构的价值观、原则、标准和行为规范 第3页", index) == "index"
    assert context_of("G4-DMA 管理方法披露 第12页", index) == "index"
    # the G4 expressway is no standards code
    assert context_of("公司承建的G4京港澳高速改扩建工程全线通车。", index) == "body"
    assert context_of("本行推出G4-型号自助终端。", index) == "body"
