"""Comparing intakes: the comparison notebook executed by papermill and rendered in the book's
shell, in every language asked for, published as one folder ``reports/compare-<id1>+<id2>...``
(:func:`~analysis_utils.paths.comparison_name`), with a run's safeguards: a lock per comparison,
leftovers of killed ones removed, the folder published whole or not at all."""
from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..chapters.comparison import load
from ..i18n import _, language
from ..intake import IntakeError, Problem
from ..paths import comparison_name, project_root
from ..present import book as shell
from ..present.labels import intake_label
from .kernels import KernelPool, execute, imports, remove_stale_connection_dirs
from .pipeline import COMPARE_NOTEBOOK, language_folder, languages
from .publish import (
    BUILD_MARK,
    InterruptGuard,
    intake_lock,
    journal_path,
    mkdtemp,
    publish,
    tidy,
)
from .render import package_versions, references_html, render_html
from .search import build_search_index


@dataclass
class CompareRun:
    """One comparison: its intakes (validated, the reference first), languages and run date."""

    intake_dirs: list
    loaded: list
    langs: list[str]
    run_date: str
    log: Callable[[str], None] = print
    kernels: KernelPool | None = None

    @property
    def flagged(self) -> bool:
        return any(i.reconstructed for i, _d in self.loaded)

    def names(self) -> str:
        return ", ".join(intake_label(i.id, i.reconstructed) for i, _d in self.loaded)


def compare(intake_dirs: list[str | Path], lang: str | list[str] = "en", reports_root: str | Path | None = None,
            log: Callable[[str], None] = print, kernels: KernelPool | None = None) -> Path:
    """Compare intakes with the comparison notebook (papermill, HTML, as the stages); return the
    index page of ``reports/compare-<id1>+<id2>...`` (of the first language; ``lang`` may be
    ``"en,nl"``, Dutch in ``nl/``). ``kernels``: a pool kept across runs (its first kernel runs
    the notebook), else papermill starts a kernel per language."""

    langs = languages(lang)
    check_arguments(intake_dirs)
    loaded = load(intake_dirs)  # validates every intake first
    ids = [intake.id for intake, _ in loaded]
    if len(set(ids)) < len(ids):
        raise IntakeError([Problem(str(d), None, None, None, f"intakes with different ids (the id '{i}' is given twice: "
                                   "rename one folder, and its id in intake.yaml)") for d, i in zip(intake_dirs, ids)
                           if ids.count(i) > 1][1:])
    reports_root = Path(reports_root) if reports_root else project_root() / "reports"
    reports_root.mkdir(parents=True, exist_ok=True)
    name = comparison_name(ids)
    state = CompareRun(intake_dirs, loaded, langs, dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                       log, kernels)
    # as a run: one at a time per comparison, leftovers of killed ones removed, published whole or not at all
    with intake_lock(reports_root, name), InterruptGuard() as guard:
        tidy(reports_root, reports_root, name)
        remove_stale_connection_dirs()
        build = mkdtemp(f".{name}{BUILD_MARK}", reports_root)
        journal = journal_path(reports_root, name)
        try:
            for i, x in enumerate(langs, 1):
                _compare_language(state, x, language_folder(build, x), f"[{i}/{len(langs)}]")
            build_search_index(build)
            with guard.publishing():
                publish([(build, reports_root / name)], journal)
        finally:
            if not journal.exists():
                shutil.rmtree(build, ignore_errors=True)
    return language_folder(reports_root / name, langs[0]) / "index.html"


def check_arguments(intake_dirs: list[str | Path]) -> None:
    """At least two intake folders, each given once (raises IntakeError: invalid input, exit 2)."""
    if len(intake_dirs) < 2:
        raise IntakeError([Problem(str(intake_dirs[0]) if intake_dirs else "(no intake folder)", None, None, None,
                                   "at least two intake folders to compare, the reference first")])
    seen: dict[Path, str] = {}
    for d in intake_dirs:
        key = Path(d).resolve()
        if key in seen:
            raise IntakeError([Problem(str(d), None, None, None, f"each intake folder once (it is given twice, "
                                                                f"as {seen[key]} and {d})")])
        seen[key] = str(d)


def _execute(state: CompareRun, lang: str, build: Path) -> Path:
    nb = project_root() / "notebooks" / COMPARE_NOTEBOOK
    (build / "notebooks").mkdir(parents=True)
    out = build / "notebooks" / nb.name
    if state.kernels is not None:
        state.kernels.start([imports([nb])], nb.parent)
    km = state.kernels.kernel(0) if state.kernels is not None else None
    try:
        execute(nb, out, {"intake_dirs": [str(Path(d).resolve()) for d in state.intake_dirs], "lang": lang,
                          "reports_dir": str(build)}, nb.parent, km=km)
    finally:
        if km is not None:
            state.kernels.reset(0)
    return out


def _compare_language(state: CompareRun, lang: str, build: Path, step: str) -> None:
    start = time.perf_counter()
    with language(lang):
        names = state.names()
        state.log(f"{step} comparing {names} ({lang}) ...")
        out = _execute(state, lang, build)
        title = _("Comparison: {intakes}").format(intakes=names)
        book = shell.context(title, "reconstructed-from-publication" if state.flagged else "survey", state.run_date,
                             [("compare", _("The comparison, item by item"))], "compare", lang,
                             twin=len(state.langs) > 1)
        book["has_figures"] = False  # the comparison's figures are its own: no thesis figure to link to
        book["source_words"] = _("comparison across intakes") + (
            " " + _("(a reconstructed intake involved)") if state.flagged else "")
        render_html(out, build / "compare.html", book)
        state.log(f"{step} comparison done in {time.perf_counter() - start:.1f} s")
        index = shell.at(book, "index")
        (build / "index.html").write_text(shell.render_front({**index, "page_title": title}, _front(state, title)),
                                          encoding="utf-8")
        (build / "references.html").write_text(references_html(book, build), encoding="utf-8")  # the works cited above


def _front(state: CompareRun, title: str) -> dict:
    """The comparison's front page: each intake, the run, and a warning if one is reconstructed."""
    facts = [(intake_label(i.id, i.reconstructed), _("{title}; n = {n}; questionnaire {version}; source: {source}").format(
        title=i.text("title"), n=len(d), version=i.codebook.version, source=shell.source_words(str(i.meta["source"]))))
        for i, d in state.loaded]
    return {
        "title": title, "facts": facts + [(_("Run"), state.run_date)],
        "warning": _("An intake marked (reconstructed) was rebuilt from published figures: every count the "
                     "publication reports is kept; the rest, within an item and across items, is the "
                     "reconstruction's choice.") if state.flagged else "",
        "warning_title": _("Reconstructed data involved."),
        "chapters_label": _("Chapters"), "reused_label": "",
        "reproducibility_label": _("Reproducibility"), "checksums_label": "", "checksums": [],
        "versions_label": _("Package versions"), "versions": list(package_versions().items()),
    }
