"""Hostile inputs, built at test time (nothing large is committed): bombs,
lying zips, FIFOs, huge lines, nested HTML, bad encodings, hanging regexes,
YAML alias trees. Used by test_limits, test_fuzz and benchmarks/fuzz.py.

Each maker writes one file (or folder) under `folder` and returns its path.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

MiB = 2**20
CHUNK = b" " * MiB


def deflate_repeated(chunk: bytes, count: int) -> bytes:
    """A zlib stream of `chunk` repeated `count` times, compressed once: after a
    full flush the compressor starts afresh, so every further chunk compresses
    to the same bytes (a 600 MB bomb is built in well under a second)."""
    co = zlib.compressobj(9)
    first = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(chunk, adler)
    # an empty final block (fixed Huffman), then the checksum of everything
    return first + again * (count - 1) + b"\x03\x00" + struct.pack(">I", adler)


def pdf_with_stream(stream: bytes, extra: bytes = b"") -> bytes:
    """A one-page PDF whose content stream is `stream` (flate-compressed)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


def pdf_with_streams(streams: list[bytes]) -> bytes:
    """A PDF of one page per (flate-compressed) content stream."""
    n = len(streams)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n)).encode()
    font = 3 + 2 * n
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n]
    for i, stream in enumerate(streams):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font))
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
                    + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


def flate_bomb_pdf_at(folder: Path, page: int, pages: int = 4, mib: int = 600) -> Path:
    """A PDF of `pages` pages of text whose page `page` is a flate bomb."""
    text = zlib.compress(b"BT /F1 12 Tf 10 700 Td (Data security policy 2024) Tj ET")
    path = folder / f"bomb-p{page}.pdf"
    path.write_bytes(pdf_with_streams([deflate_repeated(CHUNK, mib) if k == page else text
                                       for k in range(1, pages + 1)]))
    return path


def flate_bomb_pdf(folder: Path, mib: int = 600) -> Path:
    """A ~600 KB PDF whose one content stream inflates to `mib` MiB of spaces."""
    path = folder / "bomb.pdf"
    path.write_bytes(pdf_with_stream(deflate_repeated(CHUNK, mib)))
    return path


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate data, crc, declared size) members, as written,
    sizes unchecked: what a hostile zip is."""
    local, central = bytearray(), bytearray()
    for name, raw, crc, size in members:
        offset = len(local)
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc, len(raw), size)
        local += b"PK\x03\x04" + fields + struct.pack("<HH", len(name), 0) + name.encode() + raw
        central += (b"PK\x01\x02" + struct.pack("<H", 20) + fields
                    + struct.pack("<HHHHHI", len(name), 0, 0, 0, 0, 0)
                    + struct.pack("<I", offset) + name.encode())
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(central), len(local), 0)
    return bytes(local + central + end)


def _raw_deflate(data: bytes) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def lying_docx(folder: Path, mib: int = 600) -> Path:
    """A .docx whose document.xml says it inflates to 2 KB but inflates to `mib` MiB."""
    xml = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           b'wordprocessingml/2006/main"><w:body>')
    raw = deflate_repeated(CHUNK, mib)[2:-4]  # zip members: raw deflate, no zlib frame
    head = _raw_deflate(xml)
    # the stream: xml's deflate blocks cannot simply be prepended; a bomb of spaces
    # is bomb enough (the reader must refuse it before it parses anything)
    del head
    types = b"<Types/>"
    path = folder / "lying.docx"
    path.write_bytes(raw_zip([
        ("[Content_Types].xml", _raw_deflate(types), zlib.crc32(types), len(types)),
        ("word/document.xml", raw, 0, 2048)]))
    return path


def large_docx(folder: Path, mib: int = 30) -> Path:
    """An honest .docx whose document.xml holds `mib` MiB of short paragraphs
    (no bomb: every size is true, the ratio ordinary): large to parse."""
    import random
    import zipfile

    rng = random.Random(mib)
    words = ["本公司", "数据安全", "投诉处理", "绿色金融", "消费者权益", "普惠金融", "反洗钱",
             "合规管理", "乡村振兴", "客户服务", "培训", "制度", "机制", "年度"]
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraphs = "".join(f"<w:p><w:r><w:t>{''.join(rng.choices(words, k=12))}。</w:t></w:r></w:p>"
                         for _ in range(2000)).encode()
    path = folder / "large.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/content-types"><Override PartName="/word/'
                    'document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                    'wordprocessingml.document.main+xml"/></Types>')
        with zf.open("word/document.xml", "w") as fh:
            fh.write(f'<?xml version="1.0"?><w:document xmlns:w="{ns}"><w:body>'.encode())
            for _ in range(mib * 2**20 // len(paragraphs) + 1):
                fh.write(paragraphs)
            fh.write(b"</w:body></w:document>")
    return path


def fifo(folder: Path, name: str = "pipe.txt") -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def long_line_text(folder: Path, mib: int = 20) -> Path:
    """A report text on one line: a sentence repeated without a newline."""
    sentence = "本公司建立数据安全管理制度，报告期内未发生数据泄露事件。".encode()
    path = folder / "oneline.txt"
    with path.open("wb") as fh:
        for _ in range(mib * MiB // len(sentence)):
            fh.write(sentence)
    return path


def nested_html(folder: Path, depth: int = 300_000) -> Path:
    path = folder / "nested.html"
    path.write_text("<html><body>" + "<div>" * depth + "数据安全管理制度。"
                    + "</div>" * depth + "</body></html>", encoding="utf-8")
    return path


def invisible_text(folder: Path) -> Path:
    """Every third character followed by a zero-width space."""
    text = "本公司制定数据安全管理办法，开展渗透测试十五次。"
    path = folder / "invisible.txt"
    path.write_text("".join(c + ("\u200b" if i % 3 == 2 else "") for i, c in enumerate(text)),
                    encoding="utf-8")
    return path


def hanging_pack(folder: Path) -> Path:
    """A rule pack whose regex backtracks exponentially on a line of 'a' (a_line)."""
    path = folder / "evil.yaml"
    path.write_text(
        "pack: {id: evil, version: '1.0', name: Evil}\n"
        "topics:\n"
        "  - id: t\n"
        "    name: T\n"
        "    indicators:\n"
        "      - id: t.a\n"
        "        name: A\n"
        "        patterns:\n"
        "          - regex: '^(\\w|\\w\\w)+$'\n"
        "        examples:\n"
        "          pass: [aaa]\n"
        "          fail: [bbb]\n", encoding="utf-8")
    return path


def hanging_grading_pack(folder: Path, key: str = "gap", pattern: str = "(a+)+$",
                         count: int = 30_399) -> Path:
    """A rule pack whose own `grading` key holds a regex that backtracks
    exponentially on its indicator's evidence: a line of `count` 'a' and '#'
    (its example, so `rules test` meets it as a scan does). The segmenter cuts
    such a line every 400 characters: the last piece, 399 'a' and '#', is the
    sentence on which the pattern fails, in 2^399 ways."""
    path = folder / "evilgrade.yaml"
    line = "a" * count + "#"
    path.write_text(
        "pack: {id: evilgrade, version: '1.0', name: Evil grading}\n"
        "grading:\n"
        f"  {key}: ['{pattern}']\n"
        "topics:\n"
        "  - id: t\n"
        "    name: T\n"
        "    indicators:\n"
        "      - id: t.a\n"
        "        name: A\n"
        "        patterns:\n"
        "          - regex: 'a#'\n"
        "        examples:\n"
        f"          pass: ['{line}']\n"
        "          fail: [bbb]\n", encoding="utf-8")
    return path


def a_line(folder: Path, count: int = 60) -> Path:
    """The line on which hanging_pack's regex backtracks 2^count ways."""
    path = folder / "aaa.txt"
    path.write_text("a" * count + "#\n", encoding="utf-8")
    return path


def laughs_pack(folder: Path, levels: int = 12) -> Path:
    """A "billion laughs" rule pack: each level aliases the one below ten times."""
    lines = ["pack: {id: laughs, version: '1.0', name: Laughs}", "x0: &a0 [lol]"]
    for i in range(1, levels):
        lines.append(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("topics: []")
    path = folder / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


Maker = Callable[[Path], Path]


# ---- the cases of the fuzz test and benchmarks/fuzz.py -------------------------------------
# Each builds its input(s) in `folder` at a `scale` (1: the test's size; the
# benchmark uses more) and returns the csrscan arguments that run it.

Case = Callable[[Path, int], list[str]]


def _text(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _pdf(folder: Path) -> bytes:
    stream = zlib.compress(b"BT /F1 12 Tf 10 700 Td (Data security policy 2024) Tj ET")
    return pdf_with_stream(stream)


CASES: dict[str, Case] = {
    "flate bomb pdf": lambda d, s: [flate_bomb_pdf(d, 400 * s).name],
    "lying docx": lambda d, s: [lying_docx(d, 400 * s).name],
    "truncated pdf": lambda d, s: [_text(d, "cut.pdf", _pdf(d)[:300]).name],
    "pdf wrong xref": lambda d, s: [_text(d, "xref.pdf", _pdf(d).replace(b"startxref\n",
                                                                          b"startxref\n9")).name],
    "png named pdf": lambda d, s: [_text(d, "img.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64).name],
    "zip named docx": lambda d, s: [_text(d, "z.docx", raw_zip([("a.txt", _raw_deflate(b"hi"),
                                                                 zlib.crc32(b"hi"), 2)])).name],
    "empty file": lambda d, s: [_text(d, "empty.txt", b"").name],
    "random bytes txt": lambda d, s: [_text(d, "rand.txt", bytes(range(256)) * 64 * s).name],
    "nested html": lambda d, s: [nested_html(d, 100_000 * s).name],
    "invisible chars": lambda d, s: [invisible_text(d).name],
    "utf-16 forced": lambda d, s: [
        _text(d, "u8.txt", ("数据安全管理办法。" * 4 + "\n\n").encode()).name,
        "--encoding", "utf-16"],  # an even length: it decodes, to mojibake
    "one long line": lambda d, s: [long_line_text(d, 2 * s).name],
    "fifo": lambda d, s: [fifo(d).name, "--timeout", "1"],
    "device": lambda d, s: ["/dev/zero", "--max-bytes", str(MiB)],
    "directory": lambda d, s: [str(d)],
    "hanging regex": lambda d, s: [a_line(d).name, "--rules", hanging_pack(d).name],
    "billion laughs": lambda d, s: [invisible_text(d).name, "--rules", laughs_pack(d).name],
    "deep yaml": lambda d, s: [invisible_text(d).name, "--rules", _text(
        d, "deep.yaml", b"pack: " + b"[" * 5000 * s + b"]" * 5000 * s + b"\n").name],
}
