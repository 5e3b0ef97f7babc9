"""OCR of PDF pages with Tesseract (the `tesseract` command, Debian packages
tesseract-ocr, tesseract-ocr-chi-sim, tesseract-ocr-chi-tra).

The command is called directly (no pytesseract): one subprocess per page,
the page rendered by PDFium to a grayscale PNG on stdin.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from csrscan.errors import InputError

DPI = 300                 # Tesseract's sweet spot for body text
TIMEOUT_S = 180           # per page: a stuck page must not hang the run
PREFERRED_LANGS = ("chi_sim", "chi_tra", "eng")
INSTALL_HINT = ("install Tesseract: apt-get install tesseract-ocr "
                "tesseract-ocr-chi-sim tesseract-ocr-chi-tra")

# Tesseract puts spaces between CJK characters; they are not in the page.
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])")


@dataclass(frozen=True, slots=True)
class PageOcr:
    """Callable OCR for one document: `ocr(pdfium_page, page_number) -> text`."""

    exe: str
    langs: str
    progress: Any
    total: int

    @classmethod
    def create(cls, progress: Any, total: int) -> PageOcr:
        exe = shutil.which("tesseract")
        if exe is None:
            raise InputError(f"--ocr needs the tesseract command; {INSTALL_HINT}")
        return cls(exe, _languages(exe), progress, total)

    def __call__(self, page: Any, number: int) -> str:
        self.progress(f"OCR page {number}/{self.total}")
        png = render_png(page)
        return self.image_text(png)

    def image_text(self, png: bytes) -> str:
        try:
            done = subprocess.run(
                [self.exe, "stdin", "stdout", "-l", self.langs, "--psm", "3"],
                input=png, capture_output=True, timeout=TIMEOUT_S, check=False,
                env=_single_thread_env())
        except subprocess.TimeoutExpired:
            return ""  # reported as "no text found even by OCR"
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise InputError(f"tesseract failed: {err[-1] if err else done.returncode}")
        return clean_ocr_text(done.stdout.decode("utf-8", "replace"))


def _single_thread_env() -> dict[str, str]:
    """Tesseract's OpenMP threads cost more than they give: measured 19.5 s
    vs 33 s for one page on a busy 2-core machine."""
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


def _languages(exe: str) -> str:
    """The preferred languages that are installed; Chinese is required."""
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True,
                             timeout=30, check=False).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"cannot run tesseract ({exc}); {INSTALL_HINT}") from None
    have = set(out.split())
    langs = [lang for lang in PREFERRED_LANGS if lang in have]
    if not {"chi_sim", "chi_tra"} & set(langs):
        raise InputError(f"--ocr needs Tesseract's Chinese models; {INSTALL_HINT}")
    return "+".join(langs)


def render_png(page: Any) -> bytes:
    bitmap = page.render(scale=DPI / 72, grayscale=True)
    try:
        image = bitmap.to_pil()
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        return buf.getvalue()
    finally:
        bitmap.close()


def clean_ocr_text(text: str) -> str:
    text = text.replace("\x0c", "")
    return "\n".join(_CJK_GAP.sub("", line).rstrip() for line in text.split("\n"))
