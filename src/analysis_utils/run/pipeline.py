"""Run every stage notebook on one intake with papermill and publish the HTML report.

``run`` reads as the list of what a run does: plan the reuse, validate the intake, build the
stages that changed in hidden folders (:mod:`.scheduler`), finish each language's pages and
publish them all at once (:mod:`.publish`); a failed run leaves the previous report and
processed data as they were.

Examples
--------
>>> languages("nl,en"), languages(["nl"])
(['en', 'nl'], ['nl'])
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..chapters.validation import validate_intake
from ..i18n import LANGS, current, language
from ..intake.folder import precheck
from ..paths import OUTPUT_ENV, project_root
from ..present import book as shell
from ..present.book import TWIN_FOLDER
from .kernels import KernelPool, execute, remove_stale_connection_dirs
from .publish import (
    BUILD_MARK,
    InterruptGuard,
    intake_lock,
    journal_path,
    merge_stage_outputs,
    mkdtemp,
    publish,
    tidy,
)
from .render import index_html, references_html, title
from .reuse import (
    BUILD_MANIFEST,
    read_build_manifest,
    reusable_chapters,
    sha256_files,
    stage_keys,
)
from .scheduler import Stage, run_stages, stage_reads
from .search import build_search_index

STAGE01_STEM = "01_cleaning"
COMPARE_NOTEBOOK = "compare_intakes.ipynb"


def stage_notebooks(root: Path | None = None, folder: str = "notebooks") -> list[Path]:
    """The numbered stage notebooks, in order (of ``root/folder``)."""
    root = root or project_root()
    return sorted((root / folder).glob("[0-9][0-9]_*.ipynb"))


def languages(lang: str | list[str] | tuple[str, ...]) -> list[str]:
    """The report languages asked for: ``"en"``, ``"nl"``, ``"en,nl"`` or a list; English first."""
    asked = [x.strip() for x in (lang.split(",") if isinstance(lang, str) else lang) if x.strip()]
    unknown = [x for x in asked if x not in LANGS]
    if unknown or not asked:
        raise ValueError(f"unknown report language {', '.join(unknown) or '(none)'}; "
                         f"choose from {', '.join(LANGS)} or both, comma-separated")
    return [x for x in LANGS if x in asked]


def language_folder(report: Path, lang: str) -> Path:
    """Where a language's pages live: English at the report's top, Dutch in ``nl/``."""

    return report / TWIN_FOLDER[lang] if TWIN_FOLDER[lang] else report


@dataclass
class RunState:
    """Everything one run knows: what it runs, where, in which languages, what it reuses."""

    intake_dir: Path
    notebooks: list[Path]
    langs: list[str]
    final_report: Path
    final_processed: Path
    log: Callable[[str], None] = print
    force: bool = False
    kernels: KernelPool | None = None
    keys: dict[str, dict[str, str]] = field(default_factory=dict)
    previous: dict[str, dict | None] = field(default_factory=dict)
    reuse: dict[str, set[str]] = field(default_factory=dict)
    intake: object = None  # the validated intake, once read
    run_id: str = ""
    guard: InterruptGuard | None = None

    @property
    def reports_root(self) -> Path:
        return self.final_report.parent

    @property
    def processed_root(self) -> Path:
        return self.final_processed.parent

    def plan(self) -> None:
        """What the previous run left, and which chapters of it can be reused."""
        self.previous = {x: None if self.force else read_build_manifest(language_folder(self.final_report, x))
                         for x in self.langs}
        self.reuse = {x: reusable_chapters(self.previous[x], self.keys[x], language_folder(self.final_report, x),
                                           self.final_processed) for x in self.langs}

    def up_to_date(self) -> bool:
        return all(self.reuse[x] == set(self.keys[x]) for x in self.langs)


def run(intake_dir: str | Path, lang: str | list[str] = "en", reports_root: str | Path | None = None,
        processed_root: str | Path | None = None, log: Callable[[str], None] = print,
        force: bool = False, notebooks_dir: str | Path | None = None, kernels: KernelPool | None = None,  # long: the CLI's options, each named
        messages: str | None = None) -> Path:
    """Validate an intake, execute every stage, render the report; return the index page (of the
    first language: ``lang`` may be ``"en,nl"``, the two reports side by side, Dutch in ``nl/``).

    A chapter whose inputs (see :func:`~analysis_utils.run.reuse.stage_keys`) are unchanged
    since the last run is reused from it, and a run with nothing changed writes nothing and says
    the report is up to date; ``force`` runs everything. ``notebooks_dir`` replaces the
    project's stage notebooks (the benchmark's floor uses it). ``kernels``: a
    :class:`~analysis_utils.run.kernels.KernelPool` kept across runs, else each run starts its
    own. The report holds the languages of its last run. ``messages``: the language of the
    intake's problems (default: the current one).

    Raises :class:`~analysis_utils.intake.IntakeError` for invalid input (nothing written) and
    :class:`~analysis_utils.run.kernels.StageFailed` when a notebook cell fails (nothing published).
    """
    state = _state(intake_dir, lang, reports_root, processed_root, notebooks_dir)
    state.log, state.force, state.kernels = log, force, kernels
    # Nothing is touched (no lock, no hash, no folder) before the folder's name and files are checked.
    # An intake whose every chapter is reused was validated by the run that built them: its key
    # covers the intake's files and the package's code, which decide validation.
    with language(messages or current()):
        precheck(state.intake_dir)
    state.keys = {x: stage_keys(state.intake_dir, state.notebooks, x, state.langs) for x in state.langs}
    if state.reports_root.is_dir() and (index := _reuse_all(state)) is not None:
        return index

    with language(messages or current()):
        state.intake = validate_intake(state.intake_dir)  # invalid input: raised before anything is written
    state.reports_root.mkdir(parents=True, exist_ok=True)
    state.processed_root.mkdir(parents=True, exist_ok=True)
    with intake_lock(state.reports_root, state.intake.id), InterruptGuard() as state.guard:
        tidy(state.reports_root, state.processed_root, state.intake.id)
        remove_stale_connection_dirs()
        state.plan()
        return _build(state)


def _state(intake_dir, lang, reports_root, processed_root, notebooks_dir) -> RunState:
    root = project_root()
    langs = languages(lang)
    intake_dir = Path(intake_dir).resolve()
    reports_root = Path(reports_root) if reports_root else root / "reports"
    processed_root = Path(processed_root) if processed_root else root / "data" / "processed"
    notebooks = stage_notebooks(root) if notebooks_dir is None else stage_notebooks(Path(notebooks_dir), folder="")
    if not notebooks:
        raise FileNotFoundError(f"no stage notebooks in {notebooks_dir or root / 'notebooks'}")
    return RunState(intake_dir, notebooks, langs, reports_root / intake_dir.name, processed_root / intake_dir.name)


def _reuse_all(state: RunState) -> Path | None:
    """The index page when every chapter of every language is reused (nothing to do), else None."""
    intake_id = state.intake_dir.name
    with intake_lock(state.reports_root, intake_id):
        tidy(state.reports_root, state.processed_root, intake_id)
        state.plan()
        if not state.up_to_date():
            return None
    first = state.langs[0]
    index = language_folder(state.final_report, first) / "index.html"
    state.log(f"report up to date: {index} (inputs unchanged since the run of "
              f"{state.previous[first]['run']}; --force runs every stage again)")
    return index


def _build(state: RunState) -> Path:
    """Run, for every language, the chapters not reused and copy the others from the previous
    run; publish the processed data and every language's pages together.

    Stage 01 writes the processed data (the same for every language) once, in the first language
    that runs it, and runs first; then every other stage of every language, a kernel per core.
    Another language's stage 01 only shows: it writes to a scratch folder and reads the costly
    results (the ensemble, the identified ranges) from the first one's instead of computing them
    again. If no language runs stage 01, the published data stay."""
    state.run_id = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    build_reports = mkdtemp(f".{state.intake.id}{BUILD_MARK}", state.reports_root)
    writer = next((x for x in state.langs if STAGE01_STEM not in state.reuse[x]), None)
    build_processed = mkdtemp(f".{state.intake.id}{BUILD_MARK}", state.processed_root) if writer else None
    processed = build_processed or state.final_processed
    journal = journal_path(state.reports_root, state.intake.id)
    try:
        stages, first = _stages(state, build_reports, processed, writer)
        titles = run_stages(stages, state.log, first, state.kernels, early_dir=build_reports / ".cleaned")
        shutil.rmtree(build_reports / ".cleaned", ignore_errors=True)
        for lang in state.langs:
            shutil.rmtree(build_reports / f".processed-{lang}", ignore_errors=True)
            pages = {s.nb.stem: titles[s] for s in stages if s.lang == lang}
            _finish_language(state, lang, language_folder(build_reports, lang), processed, pages)
        build_search_index(build_reports)
        pairs = ([(build_processed, state.final_processed)] if build_processed is not None else []) + \
            [(build_reports, state.final_report)]
        with state.guard.publishing():
            publish(pairs, journal)
    finally:
        if not journal.exists():  # else the next start completes the publication
            shutil.rmtree(build_reports, ignore_errors=True)
            if build_processed is not None:
                shutil.rmtree(build_processed, ignore_errors=True)
    return language_folder(state.final_report, state.langs[0]) / "index.html"


def _book(state: RunState, lang: str) -> dict:
    """The book's context for ``lang``; with the sections its pages leave out (cells tagged
    ``publication-only`` for a round without a ``reported.yaml``, ``reconstructed-only`` for one
    not reconstructed: they would only say there is nothing to show; ``v1-only`` and ``v2-only``
    for a round of the other questionnaire version: they speak of what only that version asks)."""
    book = shell.context(state.intake.text("title", lang), str(state.intake.meta["source"]), state.run_id,
                         [(nb.stem, title(nb, lang)) for nb in state.notebooks], "", lang, twin=len(state.langs) > 1)
    book["left_out"] = sorted({*(() if (state.intake.path / "reported.yaml").is_file() else ("publication-only",)),
                               *(() if state.intake.reconstructed else ("reconstructed-only",)),
                               *(f"{v}-only" for v in ("v1", "v2") if v != state.intake.codebook.version)})
    return book


def _stages(state: RunState, build_reports: Path, processed: Path, writer: str | None) -> tuple[list[Stage], Stage | None]:
    """Every stage to run, in order, and the stage 01 that writes the processed data (if any)."""
    stages, first = [], None
    total = len(state.notebooks) * len(state.langs)
    for n, lang in enumerate(state.langs):
        build = language_folder(build_reports, lang)
        (build / "notebooks").mkdir(parents=True)
        book = _book(state, lang)
        for nb in (nb for nb in state.notebooks if nb.stem not in state.reuse[lang]):
            number = n * len(state.notebooks) + state.notebooks.index(nb) + 1
            stage = Stage(nb=nb, lang=lang, executed=build / "notebooks", out=build / f".stage-{nb.stem}", book=book,
                          label=f"[{number}/{total}] {nb.stem}" + (f" ({lang})" if len(state.langs) > 1 else ""),
                          params={"intake_dir": str(state.intake.path.resolve()), "lang": lang,
                                  "processed_dir": str(processed)},
                          reads=stage_reads(nb) if nb.stem != STAGE01_STEM else ())
            if nb.stem == STAGE01_STEM and lang != writer:  # this language's stage 01 only shows
                scratch = build_reports / f".processed-{lang}"
                scratch.mkdir(parents=True, exist_ok=True)
                stage.params.update(processed_dir=str(scratch), computed_dir=str(processed))
            first = stage if nb.stem == STAGE01_STEM and lang == writer else first
            stages.append(stage)
    return stages, first


def _finish_language(state: RunState, lang: str, build: Path, processed: Path, pages: dict[str, tuple[str, str]]) -> None:
    """One language's pages in ``build``: its stages' outputs merged, its reused chapters copied
    from the published report, its index page and build manifest written."""
    final, chapters = language_folder(state.final_report, lang), {}
    for nb in state.notebooks:
        stem = nb.stem
        if stem in state.reuse[lang]:
            old = state.previous[lang]["chapters"][stem]
            for rel in old["files"]:
                (build / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(final / rel, build / rel)
            chapters[stem] = {**old, "reused": True}
            state.log(f"{stem}{f' ({lang})' if len(state.langs) > 1 else ''}: unchanged, reused from the run of "
                      f"{old['run']}")
        else:
            files = merge_stage_outputs(build / f".stage-{stem}", build, stem) + [build / "notebooks" / nb.name]
            href, chapter_title = pages[stem]
            chapters[stem] = {"key": state.keys[lang][stem], "run": state.run_id, "href": href, "title": chapter_title,
                              "files": sha256_files(files, build)}
            shutil.rmtree(build / f".stage-{stem}", ignore_errors=True)
    manifest = {"run": state.run_id, "intake": state.intake.id, "lang": lang, "langs": state.langs,
                "processed": sha256_files(sorted(p for p in processed.iterdir() if p.is_file()), processed),
                "chapters": {stem: {k: v for k, v in c.items() if k != "reused"} for stem, c in chapters.items()}}
    listed = [(c["href"], c["title"], c["run"] if c.get("reused") else None) for c in chapters.values()]
    (build / "index.html").write_text(index_html(state.intake, listed, state.run_id, lang, twin=len(state.langs) > 1,
                                                 built=(build, processed)), encoding="utf-8")
    (build / BUILD_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (build / "references.html").write_text(references_html(_book(state, lang), build), encoding="utf-8")


def _strip_run_metadata(path: Path) -> None:
    """Drop papermill's timings so a refreshed notebook differs only where results do."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, str(path))


def refresh_notebooks(log: Callable[[str], None] = print) -> list[Path]:
    """Re-execute the committed notebooks on their default intake, keeping their outputs.

    They run with their own default parameters (no injected cell), exactly as nbval will re-run
    them, and write their data and figures to a throw-away folder.
    """
    root = project_root()
    notebooks = [*stage_notebooks(root), root / "notebooks" / COMPARE_NOTEBOOK]
    with tempfile.TemporaryDirectory() as scratch:
        saved = os.environ.get(OUTPUT_ENV)
        os.environ[OUTPUT_ENV] = scratch
        try:
            for i, nb in enumerate(notebooks, 1):
                log(f"[{i}/{len(notebooks)}] refreshing {nb.name}")
                out = Path(scratch) / nb.name
                execute(nb, out, None, nb.parent)
                _strip_run_metadata(out)
                shutil.copyfile(out, nb)
        finally:
            if saved is None:
                os.environ.pop(OUTPUT_ENV, None)
            else:
                os.environ[OUTPUT_ENV] = saved
    return notebooks
