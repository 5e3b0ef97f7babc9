"""Tell formats apart by their content (the registry's sniffers), and name
the foreign formats that are refused rather than read as text."""

from __future__ import annotations

import io
import zipfile

MAIN_PART = "word/document.xml"  # a .docx is a ZIP holding this part

# Magic numbers of formats recognised only to refuse them clearly.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "a legacy Office (.doc/.xls) file (save it as .docx or PDF)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF document (save it as .docx or PDF)"),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]  # the spec lets junk precede the header


def is_docx(data: bytes) -> bool:
    return data.startswith(_ZIP_MAGIC) and MAIN_PART in (_zip_names(data) or ())


def is_html(data: bytes) -> bool:
    """Whole-page markup; Markdown may embed a <table>. UTF-16 HTML counts too."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("latin-1")  # only ASCII markers matter
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith(("<!doctype html", "<html")):
        return True
    if low.startswith("<?xml") and "<html" in low:
        return True
    return "<body" in low and ("<head" in low or "<html" in low)


def foreign(data: bytes) -> str | None:
    """What a file in a format csrscan does not read is ('a PNG image'), or None."""
    if data.startswith(_ZIP_MAGIC):
        return _foreign_zip(data)
    for magic, what in _FOREIGN_MAGIC:
        if data.startswith(magic):
            return what
    if data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    if _is_bmp(data):
        return "a BMP image"
    return None


def _is_bmp(data: bytes) -> bool:
    """"BM" alone starts text too (BMW, BMS …): a BMP header also has its two
    reserved words zero and its pixel offset past the 14-byte file header."""
    if len(data) < 26 or not data.startswith(b"BM"):
        return False
    reserved, offset = data[6:10], int.from_bytes(data[10:14], "little")
    return reserved == b"\0\0\0\0" and 26 <= offset < len(data) + 1


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _foreign_zip(data: bytes) -> str | None:
    names = _zip_names(data)
    if names is None:
        return "a damaged ZIP archive"
    if MAIN_PART in names:
        return None  # a docx, read by its reader
    if "xl/workbook.xml" in names:
        return "an Excel workbook"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (export it as PDF)"
    return "a ZIP archive"
