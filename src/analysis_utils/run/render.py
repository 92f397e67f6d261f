"""Rendering: an executed notebook as an HTML page of the report's book (code and parameter
cells hidden, the other language's prose removed, the body sanitised), and the front page.

One HTML exporter per language and process: compiling nbconvert's templates cost each page about
0.15 s. The first page of a process is prepared while the kernels start (:func:`warm_rendering`).
"""
from __future__ import annotations

import platform
import threading
from importlib import metadata
from pathlib import Path

from ..fmt import pct
from ..i18n import LANGS, _, language
from ..present import book as shell
from ..present.apparatus import apparatus, cited_works, references_page, with_downloads
from ..present.escaping import sanitise_page
from ..present.narrative.findings import findings, question_and_answer

REPORTED_PACKAGES = ("analysis-utils", "pandas", "numpy", "scipy", "pingouin", "seaborn", "matplotlib",
                     "papermill", "nbconvert", "nbformat")


def _exporter(lang: str | None, shelled: bool):
    """The HTML exporter for pages of ``lang`` (in the report's page shell if ``shelled``), made
    once per process: compiling nbconvert's templates cost each page about 0.15 s. Cells tagged
    for the parameters or for another language are left out."""
    key = (lang, shelled)
    if key not in _EXPORTERS:
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        shell_args = {"template_name": shell.TEMPLATE_NAME, "extra_template_basedirs": [str(shell.template_dir())]}
        exporter = HTMLExporter(**(shell_args if shelled else {}), exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True)
        if shelled:
            exporter.language_code = lang
        remover = TagRemovePreprocessor(remove_cell_tags={"injected-parameters", "parameters", *_other_languages(lang)})
        remover.enabled = True
        exporter.register_preprocessor(remover, enabled=True)
        _EXPORTERS[key] = exporter
    return _EXPORTERS[key]


def _other_languages(lang: str | None) -> set[str]:
    """The cell tags of the report's other languages (none for a page without a language)."""
    return {f"lang-{other}" for other in LANGS if other != lang} if lang else set()


_EXPORTERS: dict = {}


def warmed() -> bool:
    """Whether this process has rendered (or is preparing) a page already."""
    return bool(_EXPORTERS)
_RENDERING = threading.Lock()  # stages finish side by side; an exporter renders one page at a time


def render_html(notebook: Path, out: Path, book: dict | None = None) -> None:
    """Render an executed notebook to HTML with all code and the parameter cells hidden, in the
    report's page shell (:mod:`analysis_utils.book`) when ``book`` (its context) is given."""
    page = _render(notebook, book)
    if book is not None:  # the page's tables and figures, offered for download
        page = with_downloads(page, out.name, book["lang"], out.parent)
    out.write_text(page, encoding="utf-8")


def warm_rendering(notebook: Path, book: dict | None = None) -> None:
    """Render ``notebook`` once in a background thread, the page thrown away, so that importing
    nbconvert, building the exporter and compiling its templates and the Markdown renderer's
    patterns (about two seconds, paid by a process's first page) happen while the kernels start
    and stage 01 runs instead of after it."""
    def warm() -> None:
        try:
            _render(notebook, book)
        except Exception:  # only a head start: the real page is rendered, and fails, as ever
            pass

    threading.Thread(target=warm, name="warm-rendering", daemon=True).start()


def _render(notebook: Path, book: dict | None) -> str:
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    lang = book["lang"] if book is not None else None
    others = _other_languages(lang) | set(book.get("left_out", ()) if book is not None else ())  # see pipeline._book
    nb.cells = [c for c in nb.cells if not others & set(c.metadata.get("tags", []))]  # before the table of contents
    resources = {}
    if book is not None:
        book = {**book, "toc": shell.notebook_toc(nb)}
        title = next((c["title"] for c in book["chapters"] if c["stem"] == book["current"]), notebook.stem)
        nb.metadata["title"] = f"{title} — {book['intake_title']}"
        resources["book"] = book
    with _RENDERING:
        body, _ = _exporter(lang, book is not None).from_notebook_node(nb, resources=resources)
    if book is not None:  # figure references, thesis sections and named works linked
        body = apparatus(body, f"{book['current']}.html", lang, figures=book.get("has_figures", True))
    return sanitise_page(body)  # second line behind escaping intake text


def title(notebook: Path, lang: str = "en") -> str:
    """The chapter's title: the first level-1 heading of its prose in ``lang``."""
    import nbformat  # imported where needed: its schema validators take a second to load
    nb = nbformat.read(str(notebook), as_version=4)
    others = {f"lang-{other}" for other in LANGS if other != lang}
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not others & set(cell.metadata.get("tags", [])):
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return notebook.stem


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in REPORTED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def index_html(intake, chapters: list[tuple[str, str, str | None]], run_date: str, lang: str = "en",
               twin: bool = False, built: tuple[Path, Path] | None = None) -> str:  # long: the page's inputs, each named
    """The report's front page, in the page shell: findings first (the thesis's question and its
    answer, then what this round's data show, read from ``built`` = (the language's built pages,
    stage 01's processed folder)), then what the intake is, how it was run, and the chapters
    (href, title, and the earlier run a chapter was reused from, or None)."""
    meta = intake.meta
    n = len(intake.responses)
    approached = meta.get("clients_approached")
    with language(lang):
        rate = (" " + _("of {approached} clients approached ({rate} %)").format(
            approached=approached, rate=pct(n / approached))) if approached else ""
        warning = ""
        if intake.reconstructed:
            warning = (meta.get("source_note") if lang == "en" else meta.get(f"source_note_{lang}")) or _(
                "The answers of this intake were never published. They are reconstructed from the figures the "
                "publication reports, so every reported count holds, but how answers combine across questions is "
                "invented: cross-tabulations, correlations and subgroup tests are not findings.")
        title = intake.text("title")
        ctx = shell.context(title, str(meta["source"]), run_date,
                            [(Path(href).stem, t) for href, t, _r in chapters], "index", lang, twin=twin)
        for ch, (_h, _t, reused) in zip(ctx["chapters"], chapters):
            ch["reused"] = reused
        ctx["page_title"] = title
        warning = warning.replace("`", "")  # the note's code marks are Markdown; the index shows plain words
        front = {
            "title": title,
            "facts": [(_("Organisation"), intake.text("organisation")), (_("Fieldwork"), intake.text("fieldwork_period")),
                      (_("Respondents"), f"n = {n}{rate}"),
                      (_("Questionnaire"), _("version {version}").format(version=meta["questionnaire_version"])),
                      (_("Source"), shell.source_words(str(meta["source"]))), (_("Run"), run_date)],
            "warning": warning, "warning_title": _("Reconstructed data."),
            "chapters_label": _("Chapters"), "reused_label": _("unchanged inputs: reused from the run of"),
            "reproducibility_label": _("Reproducibility"), "checksums_label": _("Input checksums (SHA-256)"),
            "versions_label": _("Package versions"),
            "checksums": list(intake.checksums().items()), "versions": list(package_versions().items()),
            **question_and_answer(intake.reconstructed),
            "findings": findings(intake, built[0], built[1], intake.codebook) if built else [],
        }
    return apparatus(shell.render_front(ctx, front), "index.html", lang)


def references_html(book: dict, folder: Path | None = None) -> str:
    """The references page of one language, in the page shell (``book``: its context); with the
    ``folder`` of the book's pages, only the works they cite."""
    return shell.render_front({**shell.at(book, "references"), "page_title": book["references_label"]},
                              references_page(book["lang"], cited_works(folder) if folder is not None else None))
