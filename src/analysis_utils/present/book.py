"""The report as a book: one page shell for the index and every chapter.

The shell is a template shipped in the package (``templates/book``): an nbconvert template that
extends JupyterLab's for the chapters, and a Jinja2 page for the index, both drawing the same
header (intake, source, run), navigation (the index and every chapter, the current one marked),
in-page table of contents and previous / next links from ``shell.html.j2``. Nothing is fetched
from another host: the style is inlined, and the scripts JupyterLab's template would load from a
CDN (require.js, MathJax, Mermaid) are left out — the chapters use none of them.

Examples
--------
>>> toc_entry("Emotions: a threshold remains")
{'id': 'Emotions:-a-threshold-remains', 'text': 'Emotions: a threshold remains'}
>>> source_words("reconstructed-from-publication", "nl")
'gereconstrueerd uit de publicatie'
>>> twin_href("03_interpretation.html", "en"), twin_href("index.html", "nl")
('nl/03_interpretation.html', '../index.html')
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..i18n import N_, _, language
from . import labels

TEMPLATE_NAME = "book"

LABELS = {"nav_label": N_("Chapters"), "index_label": N_("Overview"), "toc_label": N_("In this chapter"),
          "pager_label": N_("Previous and next chapter"), "run_label": N_("run"),
          "figure_alt": N_("Figure (see the caption below)"), "figure_open": N_("Open the figure at full size"),
          "skip_label": N_("Skip to the content"), "references_label": N_("References"), "search_label": N_("Search the report"),
          "search_offline": N_("Search works only when the report is opened through a web server: whoever made the "
                               "report starts one with make serve.")}
# The two languages side by side: English in reports/<intake>/, Dutch in reports/<intake>/nl/.
TWIN_FOLDER = {"en": "", "nl": "nl"}

def template_dir() -> Path:
    """The folder holding the ``book`` template (for nbconvert's ``extra_template_basedirs``)."""
    return Path(str(resources.files("analysis_utils").joinpath("templates")))


@lru_cache(maxsize=None)
def css() -> str:
    return resources.files("analysis_utils").joinpath("templates/book/book.css").read_text("utf-8")


def source_words(source: str, lang: str | None = None) -> str:
    """The intake's source in words, not as its key, in ``lang`` (default: the current language)."""
    if lang is None:
        return labels.source_words(source)
    with language(lang):
        return labels.source_words(source)


def twin_href(href: str, lang: str) -> str:
    """The same page in the other language (English at the report's top, Dutch in ``nl/``)."""
    return ("../" if TWIN_FOLDER[lang] else TWIN_FOLDER["nl"] + "/") + href


def toc_entry(text: str) -> dict:
    """A level-2 heading as nbconvert anchors it (spaces become hyphens)."""
    return {"id": text.replace(" ", "-"), "text": text}


def notebook_toc(nb) -> list[dict]:
    """The chapter's sections: its level-2 Markdown headings, in order."""
    return [toc_entry(line[3:].strip()) for cell in nb.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("## ")]


def context(intake_title: str, source: str, run: str, chapters: list[tuple[str, str]], current: str,
            lang: str = "en", toc: list[dict] | None = None, twin: bool = False) -> dict:  # long: the shell's fields
    """Everything the shell shows: ``chapters`` are (stem, title) in reading order, ``current`` the
    stem of this page (``index`` for the front page); with ``twin``, each page links to itself in
    the other language."""
    listed = [{"stem": stem, "href": f"{stem}.html", "title": title} for stem, title in chapters]
    with language(lang):
        words = {key: _(text) for key, text in LABELS.items()}
        words["twin_label"] = "English" if lang == "nl" else "Nederlands"  # each language named in itself
        base = {**words, "lang": lang, "intake_title": intake_title, "twin": twin, "root": "../" if TWIN_FOLDER[lang] else "",
                "source_words": source_words(source), "run": run, "chapters": listed, "toc": toc or [], "css": css()}
    return at(base, current)


def at(book: dict, current: str) -> dict:
    """The shell's context for one page: ``current`` marked, previous and next set (the index
    page comes before the first chapter)."""
    references = {"stem": "references", "href": "references.html", "title": book["references_label"]}
    listed = [*book["chapters"], references]  # the references close the book, after the last chapter
    stems = [c["stem"] for c in listed]
    here = stems.index(current) if current in stems else -1
    front = {"href": "index.html", "title": book["index_label"]}
    href = f"{current}.html" if current in stems or current == "index" else None
    return {**book, "current": current,
            "twin_href": twin_href(href, book["lang"]) if book.get("twin") and href else None,
            "previous": listed[here - 1] if here > 0 else (front if here == 0 else None),
            "next": listed[here + 1] if 0 <= here < len(listed) - 1 else (listed[0] if here == -1 and listed else None)}


def render_front(book: dict, front: dict) -> str:
    """The index page (``front.html.j2``) in the shell."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(template_dir() / TEMPLATE_NAME)), autoescape=select_autoescape([]))
    return env.get_template("front.html.j2").render(book=book, front=front)
