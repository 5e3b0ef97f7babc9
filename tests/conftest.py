"""Shared fixtures: the built-in pack and report files written by the tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from csrscan.models import Pack
from csrscan.packs.select import select_pack

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The suite (and the processes it starts) never touches the user's cache."""
    import os

    os.environ.setdefault("CSRSCAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # one tokenizer lexicon for every cache folder a test makes (~1 s to build),
    # built now, so that no test measuring a scan's memory or time builds it
    # (the pytest-xdist workers of a run share one folder: concurrent builds are safe)
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    os.environ.setdefault("CSRSCAN_LEXICON_DIR", str(shared / "lexicon"))
    from csrscan.text.lexicon_store import usable_lexicon

    usable_lexicon()


@pytest.fixture(scope="session")
def pack() -> Pack:
    return select_pack(None)


def write_pdf(path: Path, pages: Sequence[Sequence[str]], header: str | None = None) -> Path:
    """A PDF with one list of lines per page (CJK font, page-number footer)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number, lines in enumerate(pages, start=1):
        c.setFont("STSong-Light", 11)
        if header:
            c.drawString(72, A4[1] - 40, header)
        y = A4[1] - 80
        for line in lines:
            c.drawString(72, y, line)
            y -= 18
        c.drawCentredString(A4[0] / 2, 30, f"- {number} -")
        c.showPage()
    c.save()
    return path


@pytest.fixture()
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    def make(pages: Sequence[Sequence[str]], name: str = "report.pdf",
             header: str | None = None) -> Path:
        return write_pdf(tmp_path / name, pages, header)

    return make
