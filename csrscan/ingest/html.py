"""HTML -> page 1 holding the main content only.

A press-release page around a report carries navigation, share bars,
footers and lists of unrelated headlines; their words would otherwise be
matched as the report's disclosures.  lxml (already required by
python-docx) parses; a small readability-style heuristic picks the content:
drop boilerplate elements by tag and class/id, start from <main>/<article>
or the densest content container, and drop link-heavy blocks.
"""

from __future__ import annotations

import re
from typing import Any

from csrscan.errors import InputError
from csrscan.ingest.decode import decode
from csrscan.ingest.limits import raise_if_out_of_memory
from csrscan.ingest.options import IngestOptions, Progress, sha256_hex
from csrscan.ingest.quality import sanitize
from csrscan.models import Document, Page

_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form",
              "button", "select", "input", "textarea", "nav", "aside", "footer",
              "menu", "head", "object", "canvas")
_NOISE = re.compile(r"(^|[-_\s])(nav|navbar|menu|breadcrumbs?|crumbs?|share|sharing|social|"
                    r"footer|foot|sidebar|side|related|recommend|comments?|ad|ads|advert|"
                    r"banner|toolbar|login|copyright|cookie|pagination|pager|hot|rank|"
                    r"tags|subscribe|qrcode|xgxw|fx|bshare)([-_\s]|$)", re.IGNORECASE)
_CONTENT = re.compile(r"(^|[-_\s])(content|article|main|post|entry|text|body|"
                      r"detail|trs_editor|zoom)([-_\s]|$)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_BLOCKS = frozenset(("p", "div", "section", "article", "main", "li", "ul", "ol", "h1",
                     "h2", "h3", "h4", "h5", "h6", "table", "tr", "blockquote", "pre",
                     "dl", "dt", "dd", "figure", "figcaption", "header", "body", "caption"))
MAX_LINK_DENSITY = 0.5


def read_html(data: bytes, name: str, options: IngestOptions,
              progress: Progress | None = None) -> Document:
    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii") if m else None
    dec = decode(data, name, options.encoding, declared=declared)
    root, cut = _parse(dec.text, name)
    content = _main_content(root)
    text = _to_text(content)
    if not text.strip():
        raise InputError(NESTED_ERROR if cut else "HTML page has no readable main text",
                         path=name)
    return Document(path=name, format="html", sha256=sha256_hex(data),
                    pages=(Page(1, text, "text", 1),), encoding=dec.encoding,
                    warnings=(*dec.warnings, NESTED_WARNING) if cut else dec.warnings)


# libxml2 stops at 256 levels of elements (more needs its "huge" mode, which
# hostile pages would use to exhaust memory): what lies deeper is not read
NESTED_ERROR = ("HTML page nests its elements more than 256 deep, where the parser stops: "
                "no text above that depth")
NESTED_WARNING = ("elements nested more than 256 deep: the text below that depth was not "
                  "read (the parser's limit)")


def _parse(text: str, name: str) -> tuple[Any, bool]:
    """The tree, and whether the parser stopped at its nesting limit."""
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", text) or "<html/>",
                                             parser=parser)
    except Exception as exc:  # lxml ParserError and friends
        raise_if_out_of_memory(exc)  # past --max-memory: too large, not unparsable
        raise InputError(f"cannot parse HTML ({type(exc).__name__})", path=name) from None
    cut = any("Excessive depth" in e.message for e in parser.error_log)
    return root, cut


def _main_content(root: Any) -> Any:
    for el in list(root.iter(*_DROP_TAGS)):
        _remove(el)
    for el in list(root.iter("header")):  # the site's banner, not an article's
        if not any(a.tag in ("main", "article") for a in el.iterancestors()):
            _remove(el)
    total = _text_len(root)
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.getparent() is not None and _is_noise(el) \
                and _text_len(el) <= 0.5 * total:  # a wrapper named "has-sidebar"
            _remove(el)
    best = _pick_container(root)
    for el in list(best.iter("ul", "ol", "div", "table", "section", "dl", "p")):
        if el is not best and el.getparent() is not None and _link_heavy(el):
            _remove(el)
    return best


def _is_noise(el: Any) -> bool:
    if el.tag in ("html", "body", "main", "article"):
        return False
    marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
    return bool(marks.strip()) and _NOISE.search(marks) is not None \
        and _CONTENT.search(marks) is None


def _pick_container(root: Any) -> Any:
    """<main>/<article>/role=main, else the content-named block with most text."""
    candidates = root.xpath("//main | //article | //*[@role='main']")
    if not candidates:
        candidates = [el for el in root.iter("div", "section", "td")
                      if _CONTENT.search(f"{el.get('class', '')} {el.get('id', '')}")]
    body = root.find("body")
    fallback = body if body is not None else root
    if not candidates:
        return fallback
    best = max(candidates, key=_text_len)
    # A "content" div that holds only a fraction of the page's text is a
    # teaser box, not the article.
    return best if _text_len(best) >= 0.3 * _text_len(fallback) else fallback


def _text_len(el: Any) -> int:
    return len("".join(el.text_content().split()))


def _link_heavy(el: Any) -> bool:
    total = _text_len(el)
    if total == 0:
        return False
    linked = sum(_text_len(a) for a in el.iter("a"))
    return linked / total > MAX_LINK_DENSITY


def _remove(el: Any) -> None:
    """Drop an element but keep its tail text, which belongs to the parent."""
    if el.getparent() is not None:
        el.drop_tree()


def _to_text(root: Any) -> str:
    parts: list[str] = []
    _emit(root, parts)
    lines = ("\t".join(" ".join(cell.split()) for cell in line.split("\t")).strip()
             for line in sanitize("".join(parts)).split("\n"))
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):  # collapse runs of blank lines
            out.append(line)
    return "\n".join(out).strip("\n")


def _emit(el: Any, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "tr":
        cells = [" ".join(c.text_content().split()) for c in el if c.tag in ("td", "th")]
        parts.append("\n" + "\t".join(c for c in cells if c) + "\n")
    elif tag == "br":
        parts.append("\n")
    elif tag:
        block = tag in _BLOCKS
        parts.append("\n" if block else "")
        parts.append(el.text or "")
        for child in el:
            _emit(child, parts)
        parts.append("\n" if block else "")
    parts.append(el.tail or "")
