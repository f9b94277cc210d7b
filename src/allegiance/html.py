"""HTML → (title, body text, published date), safely: scripts, styles and page chrome are dropped."""
from __future__ import annotations

import re

__all__ = ["extract"]

_WS = re.compile(r"[ \t\u00a0]+")
_CHROME = "//nav|//footer|//header|//aside|//form|//noscript|//iframe|//*[@role='navigation']"


def _clean_tree(raw: str):
    import lxml.html
    from lxml_html_clean import Cleaner

    tree = lxml.html.fromstring(raw)
    cleaner = Cleaner(scripts=True, javascript=True, style=True, comments=True, forms=True,
                      embedded=True, frames=True, meta=False, page_structure=False)
    tree = cleaner.clean_html(tree)
    for bad in tree.xpath(_CHROME):
        bad.drop_tree()
    return tree


def _paragraphs(tree) -> tuple[str | None, str]:
    title_el = tree.xpath("//h1")
    title = _WS.sub(" ", title_el[0].text_content()).strip() if title_el else None
    paras = [_WS.sub(" ", p.text_content()).strip() for p in tree.xpath("//p")]
    body = "\n\n".join(p for p in paras if p)
    if not body:
        body = _WS.sub(" ", tree.text_content()).strip()
    return title, body


def extract(raw: str) -> tuple[str | None, str, str | None]:
    """Extract the article from an HTML page. RETURNS (title, text, published YYYY-MM-DD or None)."""
    import lxml.html

    tree = _clean_tree(raw)
    title, body = _paragraphs(tree)
    published = None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(lxml.html.tostring(tree, encoding="unicode"),
                                          include_comments=False, include_tables=False, with_metadata=True)
        if doc is not None:
            data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
            text = (data.get("text") or "").strip()
            if len(text) > len(body) * 0.8:
                body = text
            title = title or data.get("title") or None
            published = data.get("date") or None
        if published is None:
            from htmldate import find_date

            published = find_date(raw, extensive_search=False)
    except Exception:
        pass
    if title and body.startswith(title):
        body = body[len(title):].lstrip()
    return title, body, published
