"""A huge text, whatever its line lengths, is read in bounded parts (issue #17
item 1, #18 item 3): memory stays within 4x the input, line numbers stay the
file's, and a text below the parts threshold reads as it always did."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from runutil import run_measured

from csrscan.ingest import IngestOptions, bytes_to_document, text_parts
from csrscan.ingest.text_parts import cut_parts, part_end
from csrscan.packs.select import select_pack
from csrscan.stages import document_to_report

# sentences written for these tests
SENTENCES = (
    "本公司建立了绿色金融管理制度，{y}年绿色信贷余额达到{n}亿元。",
    "我们持续开展消费者权益保护培训，全年累计培训员工{n}人次。",
    "本行上线了可疑交易监测系统并完善反洗钱内部控制制度。",
    "报告期内公司未发生重大数据安全事件，客户投诉处理率为{n}%。",
    "公司向乡村振兴项目捐赠资金{n}万元，用于教育与医疗设施建设。",
)
RUN = "支持小微企业发展推进普惠金融体系建设加强员工培训保障客户权益提升风险管理水平"
BASELINE_MIB = 80  # the interpreter, the pack and the tokenizer: a one-line scan's cost


def one_line_text(size: int, seed: int = 3) -> str:
    """About `size` bytes of report-like Chinese on one line: sentences, and runs
    of hundreds of characters without any punctuation."""
    rng = random.Random(seed)
    pieces: list[str] = []
    total = 0
    while total < size:
        if rng.random() < 0.15:
            k = rng.randint(300, 3000)
            piece = (RUN * (k // len(RUN) + 1))[:k]
        else:
            piece = rng.choice(SENTENCES).format(y=rng.randint(2016, 2030),
                                                 n=rng.randint(1, 9999))
        pieces.append(piece)
        total += len(piece) * 3
    return "".join(pieces)


@pytest.mark.parametrize(("encoding", "cap"), [
    ("utf-8", "0"), ("utf-8", "2GiB"),  # 2GiB: the default, in a guarded child
    # before: judged whole, its Han characters listed one by one: 16 MiB of
    # GB18030 took 770 MB (60 MB took 3 GB and 63 s)
    ("gb18030", "0"), ("utf-16", "0")])
def test_a_huge_one_line_text_needs_at_most_4x_its_size(tmp_path: Path, encoding: str,
                                                        cap: str) -> None:
    text = one_line_text(24 * 2**20)
    path = tmp_path / "oneline.txt"
    path.write_text(text, encoding=encoding)
    size_mib = path.stat().st_size / 2**20
    # with a cap, before: the parent kept the input and read the child's answer
    # as one pickle beside the objects it makes
    run = run_measured(tmp_path, "scan", path.name, "-f", "json", "-o", "out.json",
                       "--max-memory", cap, "-j", "1", timeout=300)
    assert run.code == 0, run.stderr
    # before: 229 MiB for these 24 MiB (the whole text held several times over); now 150
    assert run.peak_mib <= 4 * size_mib + BASELINE_MIB, (run.peak_mib, size_mib)
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert report["source"]["pages"] == 1
    assert report["source"]["chars"] == len(text)
    assert report["source"]["encoding"] == {"utf-16": "utf-16-le"}.get(encoding, encoding)
    evidence = [e for t in report["topics"] for i in t["indicators"] for e in i["evidence"]]
    assert len(evidence) > 10_000
    assert {(e["page"], e["line"]) for e in evidence} == {(1, 1)}
    assert all(e["text"] in text for e in evidence[::997])


def test_parts_keep_the_files_line_numbers(small_parts: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("csrscan.ingest.text.PARTS_FROM_BYTES", 10_000)
    rng = random.Random(5)
    lines = [rng.choice(SENTENCES).format(y=2020, n=i) for i in range(2000)]
    lines[700] = "".join(lines[700:760])  # a line longer than a part: cut inside it
    data = "\n".join(lines).encode("utf-8")
    doc = bytes_to_document(data, "huge.txt", IngestOptions())
    assert len(doc.pages) > 100 and {p.number for p in doc.pages} == {1}
    assert "".join(p.text for p in doc.pages) == data.decode("utf-8")
    report = document_to_report(doc, select_pack(None))
    evidence = [e for t in report.topics for r in t.indicators for e in r.evidence]
    assert len({e.line for e in evidence}) > 1000
    assert all(e.text in lines[e.line - 1] for e in evidence)
    assert report.source.pages == 1 and report.source.chars == len(data.decode("utf-8"))


def test_a_text_below_the_threshold_is_one_page() -> None:
    data = ("本公司建立了绿色金融管理制度。" * 1000).encode("utf-8")
    doc = bytes_to_document(data, "small.txt", IngestOptions())
    assert len(doc.pages) == 1 and doc.pages[0].first_line == 1


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(text_parts, "PART_CHARS", 100)
    monkeypatch.setattr(text_parts, "_CUT_FROM", 50)
    return 100


@pytest.mark.parametrize(("buffer", "cut"), [
    ("甲" * 60 + "\n" + "乙。" * 30 + " " + "丙" * 100, 61),     # a line break first
    ("甲" * 60 + "乙。”" + "丙 " * 40 + "丁" * 100, 63),  # then a sentence's end
    ("甲" * 60 + "乙 " + "丙" * 100, 62),                         # then a space
    ("甲" * 200, 100),                                            # else at the limit
    ("甲" * 99 + "\r\n" + "乙" * 100, 99),                        # never inside CR LF
])
def test_where_a_part_ends(small_parts: int, buffer: str, cut: int) -> None:
    assert part_end(buffer) == cut


def test_parts_are_bounded_and_join_to_the_text(small_parts: int) -> None:
    rng = random.Random(9)
    text = "".join(rng.choice(["甲", "乙。", " ", "\n", "丙丁戊"]) for _ in range(5000))
    pieces = [text[i:i + 37] for i in range(0, len(text), 37)]
    parts = list(cut_parts(pieces))
    assert "".join(parts) == text and not pieces
    assert max(map(len, parts)) <= small_parts
    assert min(map(len, parts[:-1])) >= small_parts // 2


@pytest.mark.parametrize("line", [
    one_line_text(6000, seed=1),                                   # Chinese prose
    "The bank issued 1,200 green loans in 2016 and trained staff. " * 40,
    "２０１６年度" + "绿色信贷余额持续增长，較上年增加。" * 60,        # full-width, traditional
])
def test_a_long_line_told_without_normalizing_is_what_normalizing_shows(line: str) -> None:
    from csrscan.models import Page
    from csrscan.text.furniture import ANY_LONG_LINE, furniture_view, surely_no_furniture
    from csrscan.text.normalize import page_to_lines

    assert surely_no_furniture(line)
    assert [ln.norm for ln in furniture_view(page_to_lines(Page(1, line)))] == [ANY_LONG_LINE]


@pytest.mark.parametrize("line", [
    "-" * 2000 + " 12 " + "-" * 10,             # a page number however long its rule
    "目录" + "." * 2000,                          # few Han characters: its key may count
    "第一章 绿色金融" + " " * 2000,
])
def test_a_long_line_that_may_be_furniture_is_normalized(line: str) -> None:
    from csrscan.text.furniture import surely_no_furniture

    assert not surely_no_furniture(line)


def test_running_headers_are_found_over_the_whole_text(small_parts: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from csrscan.text.parts import parts_to_normpages

    monkeypatch.setattr("csrscan.ingest.text.PARTS_FROM_BYTES", 1000)
    header = "某某银行二零一六年度可持续发展报告"
    rng = random.Random(2)
    words = ["绿色", "金融", "客户", "员工", "社区", "风险", "治理", "服务", "发展", "环境"]

    def body(k: int) -> str:  # edge lines differ from page to page, as real ones do
        return "".join(rng.sample(words, 6)) + "。" if k != 5 else SENTENCES[1].format(n=k)

    pages = [f"{header}\n" + "\n".join(map(body, range(10))) + f"\n- {p} -"
             for p in range(1, 31)]
    doc = bytes_to_document("\n".join(pages).encode("utf-8"), "huge.txt", IngestOptions())
    assert len(doc.pages) > 30  # parts cut through the printed pages
    norms = [p.norm for p in parts_to_normpages(list(doc.pages))]
    assert header not in "".join(norms) and "- 7 -" not in "".join(norms)
    assert "培训员工" in "".join(norms)


def test_the_memo_lets_go_of_the_least_recently_seen_within_its_budget() -> None:
    from csrscan.match.memo import Memo, Shared

    memo: Memo[int] = Memo(lambda key, value: len(key), budget=6)
    memo.put("aa", 1)
    memo.put("bb", 2)
    assert memo.get("aa") == 1  # seen again: now the most recent
    memo.put("cc", 3)
    memo.put("dd", 4)  # 8 > 6: "bb", the least recently seen, goes
    assert [memo.get(k) for k in ("aa", "bb", "cc", "dd")] == [1, None, 3, 4]
    shared = Shared()
    one, two = ("绿色", "金融"), tuple(["绿色", "金融"])
    assert shared(one) is one and shared(two) is one


# ---- a huge text in another encoding: judged on its head, decoded in pieces

def _both_ways(data: bytes, monkeypatch: pytest.MonkeyPatch, **options: object) -> tuple:
    """(document or error) read as a huge text, in pieces, and as one decoded whole."""
    from csrscan.errors import CsrscanError

    got = []
    for threshold in (1_000, 10**9):  # parts from 1,000 bytes / never
        monkeypatch.setattr("csrscan.ingest.text.PARTS_FROM_BYTES", threshold)
        try:
            doc = bytes_to_document(data, "huge.txt", IngestOptions(**options))  # type: ignore[arg-type]
            got.append(("".join(p.text for p in doc.pages), doc.encoding, doc.warnings))
        except CsrscanError as exc:
            got.append((type(exc).__name__, str(exc)))
    return tuple(got)


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-16", "utf-8-sig"])
def test_a_huge_text_reads_as_the_whole_would(encoding: str, small_parts: int,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    text = one_line_text(30_000, seed=4)
    if encoding == "big5":
        text = text.replace("绿色", "綠色").replace("发展", "發展")  # traditional wording
        text = text.encode("big5", "ignore").decode("big5")  # what Big5 cannot hold, left out
    monkeypatch.setattr("csrscan.ingest.text_huge.HEAD_BYTES", 3_001)  # cut inside a character
    pieces, whole = _both_ways(text.encode(encoding), monkeypatch)
    assert pieces == whole
    assert pieces[0] == text
    assert pieces[1] == {"utf-16": "utf-16-le", "big5": "big5"}.get(encoding, encoding) \
        or pieces[1] == "cp950"


TRADITIONAL = "本行持續推動綠色金融發展，綠色信貸餘額較上年增長百分之二十。"
ENGLISH = "The bank reports on its green lending and on customer protection every year. "


@pytest.mark.parametrize(("head", "rest"), [
    # bad bytes past the head
    (one_line_text(30_000, seed=6).encode("gb18030"), b"\xff\xfe\xfd"),
    # the rest in another Chinese encoding that still decodes: mojibake, judged whole
    (one_line_text(3_000, seed=6).encode("gb18030"), TRADITIONAL.encode("big5") * 400),
    # a head with too little Chinese to judge (an em dash, two rare characters)
    ((ENGLISH * 40 + "—堃喆" + ENGLISH * 20).encode("gb18030"),
     one_line_text(30_000, seed=6).encode("gb18030")),
    # a UTF-8 head, then GB18030
    (ENGLISH.encode() * 80, one_line_text(30_000, seed=6).encode("gb18030")),
])
def test_a_huge_text_whose_head_is_no_judge_is_judged_whole(
        head: bytes, rest: bytes, small_parts: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same verdict, error and offset or document, as the whole file gets."""
    monkeypatch.setattr("csrscan.ingest.text_huge.HEAD_BYTES", 4_000)
    pieces, whole = _both_ways(head + rest, monkeypatch)
    assert pieces == whole


@pytest.mark.parametrize(("stored", "forced"), [("gb18030", "gb18030"),
                                               ("utf-8", "utf-16-le")])
def test_a_huge_text_with_its_encoding_forced(stored: str, forced: str, small_parts: int,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """--encoding on a huge text: decoded in pieces, the implausible-Chinese
    warning (UTF-8 read as UTF-16) as on the whole text."""
    rng = random.Random(8)
    for _ in range(50):  # a text whose UTF-8 bytes pair up into no surrogate
        data = one_line_text(30_000, seed=rng.randint(0, 10**6)).encode(stored)
        data += b" " * (len(data) % 2)
        if stored == forced or _decodes(data, forced):
            break
    monkeypatch.setattr("csrscan.ingest.text_huge.HEAD_BYTES", 4_001)
    monkeypatch.setattr("csrscan.ingest.decode.FORCED_SAMPLE", 1_000)  # as 2 MiB and 200,000
    pieces, whole = _both_ways(data, monkeypatch, encoding=forced)
    assert pieces[:2] == whole[:2]
    # the hint names what the huge text's start reads as (the whole is never judged)
    assert pieces[2] == tuple(w.replace("it reads as", "its start reads as") for w in whole[2])
    assert len(pieces) == 3 and bool(pieces[2]) is (stored != forced)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
