"""Run every stage notebook on one intake with papermill and publish the HTML report.

Everything is built in hidden temporary folders beside the outputs and moved into place only
when every stage succeeded, so a failed run leaves the previous report and processed data as
they were.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Callable

import nbformat

from .intake import Intake, read_intake
from .paths import OUTPUT_ENV, project_root

KERNEL = "python3"
REPORTED_PACKAGES = ("analysis-utils", "pandas", "numpy", "scipy", "pingouin", "seaborn", "matplotlib",
                     "papermill", "nbconvert", "nbformat")


class StageFailed(RuntimeError):
    """A stage notebook raised; the message carries the failing cell's error."""


def stage_notebooks(root: Path | None = None) -> list[Path]:
    """The numbered stage notebooks, in order."""
    root = root or project_root()
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _execute(nb: Path, out: Path, parameters: dict | None, cwd: Path) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    # The kernel's working directory goes through nbclient's resources rather than papermill's
    # cwd=, which changes the whole process's directory: unsafe when stages run side by side.
    try:
        pm.execute_notebook(str(nb), str(out), parameters=parameters, kernel_name=KERNEL,
                            progress_bar=False, log_output=False,
                            resources={"metadata": {"path": str(cwd)}},
                            extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    except PapermillExecutionError as exc:
        raise StageFailed(f"{nb.name}: cell {exc.exec_count} raised {exc.ename}: {exc.evalue}") from None


def render_html(notebook: Path, out: Path) -> None:
    """Render an executed notebook to HTML with all code and the parameter cells hidden."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(str(notebook), as_version=4)
    remover = TagRemovePreprocessor(remove_cell_tags={"injected-parameters", "parameters"})
    remover.enabled = True
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(remover, enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    out.write_text(body, encoding="utf-8")


def _title(notebook: Path) -> str:
    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
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


PAGE_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
.warning { background: #fff4e0; border-left: 4px solid #e69500; padding: .75rem 1rem; margin: 1rem 0; }
table { border-collapse: collapse; } td, th { padding: .15rem .75rem .15rem 0; vertical-align: top; text-align: left; }
dt { font-weight: 600; } dd { margin: 0 0 .5rem 0; }
"""


def html_page(title: str, body: str) -> str:
    """A plain report page: the project's one style, the title escaped, the body as given."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
            f"<style>{PAGE_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n")


def index_html(intake: Intake, chapters: list[tuple[str, str]], run_date: str) -> str:
    """The report's front page: what the intake is, how it was run, and the chapters."""
    meta = intake.meta
    e = html.escape
    n = len(intake.responses)
    approached = meta.get("clients_approached")
    rate = f" of {approached} clients approached ({round(100 * n / approached)} %)" if approached else ""
    warning = ""
    if intake.reconstructed:
        note = meta.get("source_note") or (
            "The answers of this intake were never published. They are reconstructed from the figures "
            "the publication reports, so every reported count holds, but how answers combine across "
            "questions is invented: cross-tabulations, correlations and subgroup tests are not findings.")
        warning = f'<div class="warning"><strong>Reconstructed data.</strong> {e(str(note))}</div>'
    items = "\n".join(f'<li><a href="{e(href)}">{e(title)}</a></li>' for href, title in chapters)
    versions = "\n".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in package_versions().items())
    sums = "\n".join(f"<tr><td>{e(k)}</td><td><code>{e(v)}</code></td></tr>" for k, v in intake.checksums().items())
    return html_page(meta["title"], f"""<h1>{e(meta['title'])}</h1>
<dl>
<dt>Organisation</dt><dd>{e(str(meta['organisation']))}</dd>
<dt>Fieldwork</dt><dd>{e(str(meta['fieldwork_period']))}</dd>
<dt>Respondents</dt><dd>n = {n}{rate}</dd>
<dt>Questionnaire</dt><dd>version {e(str(meta['questionnaire_version']))}</dd>
<dt>Source</dt><dd>{e(str(meta['source']))}</dd>
<dt>Run</dt><dd>{e(run_date)}</dd>
</dl>
{warning}
<h2>Chapters</h2>
<ol>
{items}
</ol>
<h2>Reproducibility</h2>
<h3>Input checksums (SHA-256)</h3>
<table>{sums}</table>
<h3>Package versions</h3>
<table>{versions}</table>""")


def _run_stage(i: int, total: int, nb: Path, executed: Path, build_reports: Path, params: dict,
               log: Callable[[str], None]) -> tuple[str, str]:
    start = time.perf_counter()
    log(f"[{i}/{total}] {nb.stem} ...")
    out = executed / nb.name
    _execute(nb, out, params, nb.parent)
    render_html(out, build_reports / f"{nb.stem}.html")
    log(f"[{i}/{total}] {nb.stem} done in {time.perf_counter() - start:.1f} s")
    return f"{nb.stem}.html", _title(out)


def _run_stages(notebooks: list[Path], executed: Path, build_reports: Path, params: dict,
                log: Callable[[str], None]) -> list[tuple[str, str]]:
    """Stage 01 first; the later stages read only its output, so they run side by side, one
    kernel per core. The first failure is raised once all running stages have ended."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    lock = threading.Lock()
    unlocked = log

    def log(line: str) -> None:  # one whole line at a time from parallel stages
        with lock:
            unlocked(line)

    total = len(notebooks)
    chapters = [_run_stage(1, total, notebooks[0], executed, build_reports, params, log)]
    workers = max(1, min(len(notebooks) - 1, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_run_stage, i, total, nb, executed, build_reports, params, log)
                   for i, nb in enumerate(notebooks[1:], 2)]
        errors = []
        for f in futures:
            try:
                chapters.append(f.result())
            except Exception as exc:  # collect, so no stage is left running unobserved
                errors.append(exc)
    if errors:
        raise errors[0]
    return chapters


def _swap_into_place(built: Path, final: Path) -> None:
    """Replace ``final`` with ``built``; the old folder is removed only after the new one is in."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    built.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run(intake_dir: str | Path, lang: str = "en", reports_root: str | Path | None = None,
        processed_root: str | Path | None = None, log: Callable[[str], None] = print) -> Path:
    """Validate an intake, execute every stage, render the report; return the index page.

    Raises :class:`~analysis_utils.intake.IntakeError` for invalid input (nothing written) and
    :class:`StageFailed` when a notebook cell fails (nothing published).
    """
    root = project_root()
    intake = read_intake(intake_dir)
    intake_dir = Path(intake_dir).resolve()
    reports_root = Path(reports_root) if reports_root else root / "reports"
    processed_root = Path(processed_root) if processed_root else root / "data" / "processed"
    reports_root.mkdir(parents=True, exist_ok=True)
    processed_root.mkdir(parents=True, exist_ok=True)
    notebooks = stage_notebooks(root)
    if not notebooks:
        raise FileNotFoundError(f"no stage notebooks in {root / 'notebooks'}")
    build_reports = Path(tempfile.mkdtemp(prefix=f".{intake.id}-", dir=reports_root))
    build_processed = Path(tempfile.mkdtemp(prefix=f".{intake.id}-", dir=processed_root))
    try:
        executed = build_reports / "notebooks"
        executed.mkdir()
        params = {"intake_dir": str(intake_dir), "lang": lang,
                  "processed_dir": str(build_processed), "reports_dir": str(build_reports)}
        chapters = _run_stages(notebooks, executed, build_reports, params, log)
        run_date = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        (build_reports / "index.html").write_text(index_html(intake, chapters, run_date), encoding="utf-8")
        _swap_into_place(build_processed, processed_root / intake.id)
        _swap_into_place(build_reports, reports_root / intake.id)
    finally:
        shutil.rmtree(build_reports, ignore_errors=True)
        shutil.rmtree(build_processed, ignore_errors=True)
    return reports_root / intake.id / "index.html"


COMPARE_NOTEBOOK = "compare_intakes.ipynb"


def compare(intake_dirs: list[str | Path], lang: str = "en", reports_root: str | Path | None = None,
            log: Callable[[str], None] = print) -> Path:
    """Compare intakes with the comparison notebook (papermill, HTML, as the stages); return the
    index page of ``reports/compare-<id1>-<id2>...``."""
    from .compare import label, load

    root = project_root()
    if len(intake_dirs) < 2:
        raise ValueError("compare needs at least two intake folders")
    loaded = load(intake_dirs)  # validates every intake first
    reports_root = Path(reports_root) if reports_root else root / "reports"
    reports_root.mkdir(parents=True, exist_ok=True)
    name = "compare-" + "-".join(intake.id for intake, _ in loaded)
    build = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=reports_root))
    try:
        nb = root / "notebooks" / COMPARE_NOTEBOOK
        (build / "notebooks").mkdir()
        out = build / "notebooks" / nb.name
        start = time.perf_counter()
        log(f"[1/1] comparing {', '.join(label(i) for i, _ in loaded)} ...")
        _execute(nb, out, {"intake_dirs": [str(Path(d).resolve()) for d in intake_dirs], "lang": lang,
                           "reports_dir": str(build)}, nb.parent)
        render_html(out, build / "compare.html")
        log(f"[1/1] comparison done in {time.perf_counter() - start:.1f} s")
        e = html.escape
        rows = "\n".join(
            f"<tr><td>{e(label(i))}</td><td>{e(str(i.meta['title']))}</td><td>{len(d)}</td>"
            f"<td>{e(i.codebook.version)}</td><td>{e(i.meta['source'])}</td></tr>" for i, d in loaded)
        flagged = any(i.reconstructed for i, _ in loaded)
        warning = ('<div class="warning"><strong>Reconstructed data involved.</strong> An intake marked '
                   '(reconstructed) was rebuilt from published figures: its single-item distributions are the '
                   "publication's, everything else is invented.</div>") if flagged else ""
        run_date = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        (build / "index.html").write_text(html_page(name, f"""<h1>Comparison: {e(", ".join(label(i) for i, _ in loaded))}</h1>
<table><tr><th>intake</th><th>title</th><th>n</th><th>questionnaire</th><th>source</th></tr>
{rows}</table>
{warning}
<p><a href="compare.html">The comparison, item by item</a></p>
<p>Run {e(run_date)}.</p>"""), encoding="utf-8")
        _swap_into_place(build, reports_root / name)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return reports_root / name / "index.html"


def _strip_run_metadata(path: Path) -> None:
    """Drop papermill's timings so a refreshed notebook differs only where results do."""
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
                _execute(nb, out, None, nb.parent)
                _strip_run_metadata(out)
                shutil.copyfile(out, nb)
        finally:
            if saved is None:
                os.environ.pop(OUTPUT_ENV, None)
            else:
                os.environ[OUTPUT_ENV] = saved
    return notebooks
