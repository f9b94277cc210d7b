"""HTML → (title, body text, published date), safely: scripts, styles and markup are dropped."""
from __future__ import annotations

import re

__all__ = ["extract"]

_WS = re.compile(r"[ \t\u00a0]+")


def _fallback(raw: str) -> tuple[str | None, str]:
    import lxml.html
    from lxml_html_clean import Cleaner

    tree = lxml.html.fromstring(raw)
    cleaner = Cleaner(scripts=True, javascript=True, style=True, comments=True, forms=True,
                      embedded=True, frames=True, meta=True, page_structure=False)
    tree = cleaner.clean_html(tree)
    for bad in tree.xpath("//nav|//footer|//header|//aside"):
        bad.drop_tree()
    title_el = tree.xpath("//h1")
    title = title_el[0].text_content().strip() if title_el else None
    paras = [p.text_content().strip() for p in tree.xpath("//p")]
    body = "\n\n".join(_WS.sub(" ", p) for p in paras if p)
    if not body:
        body = _WS.sub(" ", tree.text_content()).strip()
    return title, body


def extract(raw: str) -> tuple[str | None, str, str | None]:
    """Extract the article from an HTML page. RETURNS (title, text, published YYYY-MM-DD or None)."""
    title: str | None = None
    body = ""
    published: str | None = None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(raw, include_comments=False, include_tables=False,
                                          with_metadata=True)
        if doc is not None:
            data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
            body = (data.get("text") or "").strip()
            title = data.get("title") or None
            published = data.get("date") or None
    except Exception:
        body = ""
    if not body:
        title, body = _fallback(raw)
    return title, body, published
