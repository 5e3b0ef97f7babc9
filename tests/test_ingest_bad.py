"""Hostile and broken inputs: each one is a typed error naming file and cause."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_support import load_make_bad

from csrscan.errors import EncodingError, InputError
from csrscan.ingest import IngestOptions, bytes_to_document, path_to_document

# case file, options, expected error class, message fragment
CASES: list[tuple[str, IngestOptions, type[InputError], str]] = [
    ("missing.pdf", IngestOptions(), InputError, "no such file"),
    ("a_directory.pdf", IngestOptions(), InputError, "is a directory"),
    ("zero.pdf", IngestOptions(), InputError, "empty (0 bytes)"),
    ("zero.txt", IngestOptions(), InputError, "empty (0 bytes)"),
    ("encrypted.pdf", IngestOptions(), InputError, "encrypted; pass --password"),
    ("encrypted.pdf", IngestOptions(password="wrong"), InputError, "wrong password"),
    ("truncated.pdf", IngestOptions(), InputError, "truncated"),
    ("corrupt.pdf", IngestOptions(), InputError, "damaged"),
    ("png_named.pdf", IngestOptions(), InputError, "is a PNG image, not a PDF"),
    ("html_named.pdf", IngestOptions(), InputError, "is an HTML document, not a PDF"),
    ("text_named.pdf", IngestOptions(), InputError, "is a text file, not a PDF"),
    ("scanned.pdf", IngestOptions(), InputError,
     "no text layer on any of 3 pages (scanned?); run with --ocr"),
    ("whitespace.pdf", IngestOptions(), InputError, "no text layer on any of 2 pages"),
    ("no_tounicode.pdf", IngestOptions(), InputError, "no readable text"),
    ("cycle.pdf", IngestOptions(), InputError, "damaged"),
    ("cycle_tree.pdf", IngestOptions(), InputError, "damaged PDF: cannot load any of 3 pages"),
    ("many_pages.pdf", IngestOptions(max_pages=2), InputError,
     "has 3 pages, more than --max-pages 2"),
    ("big.txt", IngestOptions(max_bytes=1000), InputError, "more than --max-bytes 1000"),
    ("bomb.docx", IngestOptions(), InputError, "zip bomb"),
    ("bomb.docx", IngestOptions(max_bytes=2**20), InputError, "zip bomb"),
    ("broken.docx", IngestOptions(), InputError, "damaged Word document"),
    ("plain_zip.docx", IngestOptions(), InputError, "is a ZIP archive, not a Word"),
    ("legacy.doc", IngestOptions(), InputError, "legacy Office"),
    ("image.jpg", IngestOptions(), InputError, "is a JPEG image"),
    ("random.bin", IngestOptions(), InputError, "unknown binary format"),
    ("nul_heavy.txt", IngestOptions(), InputError, "binary"),
    ("undecodable.txt", IngestOptions(), EncodingError, "at offset 2"),
    ("gbk_as_utf8.txt", IngestOptions(encoding="utf-8"), EncodingError,
     "invalid utf-8 bytes at offset 2"),
    ("gbk_as_utf8.txt", IngestOptions(encoding="no-such-codec"), InputError,
     "unknown encoding"),
    ("odd_utf16.txt", IngestOptions(), EncodingError, "at offset 96"),
]


@pytest.fixture(scope="session")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths: dict[str, Path] = load_make_bad().build(tmp_path_factory.mktemp("bad"))
    return paths


@pytest.mark.parametrize(("case", "options", "kind", "fragment"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_bad_input_is_a_clear_error(bad: dict[str, Path], case: str, options: IngestOptions,
                                    kind: type[InputError], fragment: str) -> None:
    if case not in bad:
        pytest.skip(f"{case}: generator needs a tool this machine lacks")
    with pytest.raises(kind) as info:
        path_to_document(bad[case], options)
    err = info.value
    assert type(err) is kind
    assert fragment in str(err)
    assert err.path == str(bad[case])
    assert str(bad[case]) in str(err)
    assert "\n" not in str(err)


def test_encrypted_pdf_opens_with_the_password(bad: dict[str, Path]) -> None:
    doc = path_to_document(bad["encrypted.pdf"], IngestOptions(password="s3cret"))
    assert "数据安全管理制度" in doc.pages[0].text


def test_stdin_errors_name_stdin() -> None:
    with pytest.raises(InputError, match="<stdin>: file is empty"):
        bytes_to_document(b"", "<stdin>")
    with pytest.raises(InputError, match="<stdin>: is a PNG image"):
        bytes_to_document(b"\x89PNG\r\n\x1a\n" + bytes(32), "<stdin>")


def test_library_exception_is_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected library failure still surfaces as a one-line InputError."""
    import csrscan.ingest.docx as ingest_docx

    def boom(*_: object) -> None:
        raise KeyError("")

    monkeypatch.setattr(ingest_docx, "read_docx", boom)
    data = load_make_bad().zip_bytes({"word/document.xml": b"<x/>"})
    with pytest.raises(InputError, match=r"r\.docx: cannot read docx: KeyError"):
        bytes_to_document(data, "r.docx")
