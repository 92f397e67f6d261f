"""Nothing typed into an intake runs or calculates anywhere else.

Three lines of defence, each for one kind of output (the third,
:func:`analysis_utils.chapters.files.neutralise_csv`, lives where the CSV files are written):

- :func:`md` escapes intake text (title, organisation, team names, ...) where it is put into
  Markdown, so ``<script>`` or ``[link](javascript:…)`` in a title is shown as text.
- :func:`sanitise_page` cleans the body of every rendered page with nh3 (the Ammonia HTML
  sanitiser): no script, no event handler, no ``javascript:`` link survives, whatever a cell
  printed. The page's head (the exporter's own styles) is left as it is.
- :func:`neutralise_csv` keeps a spreadsheet from reading a text cell of a CSV the project
  writes as a formula (OWASP's "CSV injection"): a text starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return gets a leading apostrophe. Validation already refuses such
  respondent ids and team names; this is the second line.

Examples
--------
>>> md("<script>alert(1)</script> *OCMW*")
'&lt;script&gt;alert(1)&lt;/script&gt; \\\\*OCMW\\\\*'
"""
from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]!|~])")


_AUTOLINK = re.compile(r"(?i)(?<=[a-z])://|(?<=www)\.")


def md(text: object) -> str:
    """Intake text as literal inline Markdown: on one line (a line break could start a heading
    or a list), HTML escaped, emphasis, code, link and table marks backslash-escaped, and a bare
    address (``https://…``, ``www.…``) kept from becoming a link (its ``/`` and ``.`` written as
    character references: it reads the same, it links nowhere). Text without such characters is
    returned unchanged.

    >>> md("see https://x.example or www.x.example")
    'see https:&#47;&#47;x.example or www&#46;x.example'
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(str(text).split()), quote=False))
    return _AUTOLINK.sub(lambda m: ":&#47;&#47;" if m.group() == "://" else "&#46;", escaped)


# What a rendered chapter legitimately holds: text, tables, figures as data: URIs, anchors.
_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
         "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
         "li", "ol", "p", "pre", "s", "small", "span", "strong", "style", "sub", "summary", "sup", "table",
         "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "nav", "section", "main", "header", "footer"}
_ATTRIBUTES = {"*": {"class", "id", "title", "style", "lang", "aria-label", "aria-current"}, "a": {"href", "rel", "hreflang"},
               "img": {"src", "alt", "width", "height"},
               "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}, "table": {"border"},
               "style": {"scoped"}}


def sanitise_fragment(fragment: str) -> str:
    """An HTML fragment with everything that could run removed (nh3 / Ammonia)."""
    import nh3

    return nh3.clean(fragment, tags=_TAGS, clean_content_tags={"script"}, attributes=_ATTRIBUTES,
                     generic_attribute_prefixes={"data-"}, url_schemes={"http", "https", "mailto", "data"},
                     link_rel=None, strip_comments=True)


def sanitise_page(page: str) -> str:
    """A whole page with its ``<body>`` sanitised; head and body tag are kept."""
    start = page.find("<body")
    end = page.rfind("</body>")
    if start < 0 or end < 0:
        return sanitise_fragment(page)
    open_end = page.index(">", start) + 1
    return page[:open_end] + sanitise_fragment(page[open_end:end]) + page[end:]
