"""Run every stage notebook on one intake with papermill and publish the HTML report.

Everything is built in hidden temporary folders beside the outputs and moved into place only
when every stage succeeded, so a failed run leaves the previous report and processed data as
they were.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .fmt import pct
from .i18n import LANGS
from .paths import OUTPUT_ENV, project_root

if TYPE_CHECKING:
    from .intake import Intake

KERNEL = "python3"
REPORTED_PACKAGES = ("analysis-utils", "pandas", "numpy", "scipy", "pingouin", "seaborn", "matplotlib",
                     "papermill", "nbconvert", "nbformat")


class StageFailed(RuntimeError):
    """A stage notebook raised; the message carries the failing cell's error."""


def stage_notebooks(root: Path | None = None, folder: str = "notebooks") -> list[Path]:
    """The numbered stage notebooks, in order (of ``root/folder``)."""
    root = root or project_root()
    return sorted((root / folder).glob("[0-9][0-9]_*.ipynb"))


def _execute(nb: Path, out: Path, parameters: dict | None, cwd: Path, km=None,
             on_cell: Callable[..., None] | None = None) -> None:
    """Execute a notebook with papermill; ``km``: a kernel started ahead (see
    :class:`KernelPool`), else papermill starts one. ``on_cell`` is called after each cell, before
    the next one is sent (nbclient's ``on_cell_executed`` hook)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    # The kernel's working directory goes through nbclient's resources rather than papermill's
    # cwd=, which changes the whole process's directory: unsafe when stages run side by side.
    # A kernel papermill starts is stopped at once when the notebook is done, as the pool's are
    # (see shutdown); a kernel it is given it leaves running.
    try:
        pm.execute_notebook(str(nb), str(out), parameters=parameters, kernel_name=KERNEL,
                            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                            resources={"metadata": {"path": str(cwd)}}, shutdown_kernel="immediate",
                            extra_arguments=KERNEL_ARGUMENTS, **({"km": km} if km is not None else {}),
                            **({"on_cell_executed": on_cell} if on_cell is not None else {}))
    except PapermillExecutionError as exc:
        raise StageFailed(f"{nb.name}: cell {exc.exec_count} raised {exc.ename}: {exc.evalue}") from None


# no history database: a kernel runs several notebooks, and none needs its history kept
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]


def import_lines(source: str) -> str:
    """Only the import statements of a cell's code, in order."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    lines = source.splitlines()
    keep = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    return "\n".join("\n".join(lines[s.lineno - 1:s.end_lineno]) for s in keep)


def notebook_imports(nb_path: Path) -> str:
    """The import statements of a notebook's first code cell after its parameters."""
    import nbformat

    nb = nbformat.read(str(nb_path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    return import_lines(code[0].source) if code else ""


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system says, as in a container)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


RESET = "get_ipython().reset(new_session=True)"  # empty namespace and history, execution count 1


class KernelPool:
    """Kernels started ahead of the stages, each already importing what the stages import, each
    running one stage after another: a kernel per core, not per stage.

    Starting a kernel and importing pandas, matplotlib, scipy and pingouin costs seconds of CPU;
    paid once per stage it was most of what a two-language run of eight stages did besides the
    analysis itself. The imports run silently in a throw-away namespace (no output, no execution
    count, no names defined). After a stage the kernel is reset to a fresh session
    (``InteractiveShell.reset``: namespace, history and execution count emptied), so every notebook
    executes exactly as it would in a fresh kernel, finding only the modules already loaded (the
    package keeps no state between notebooks but pure caches; each notebook sets its language
    and display options itself). The tests hold the pipeline to that: the English chapters of a
    pooled two-language run have the outputs of the committed notebooks, which nbval re-executes
    in fresh kernels.

    Kernel ``i`` imports ``imports[i]``. Use as a context manager: every kernel is shut down on
    leaving. A kernel that died (or could not be reset) leaves its slot empty: :meth:`kernel`
    then gives None and the stage runs in a kernel papermill starts for it.

    A pool may also be kept across runs (``run(..., kernels=pool)``): each run then calls
    :meth:`start` again, which starts only the kernels that are missing or died and moves the
    others to the run's notebook folder; what they imported stays loaded. The tests keep one per
    test process, so that their pipeline runs do not each start kernels and load the libraries.
    """

    def __init__(self, imports: list[str] = (), cwd: Path | None = None):
        self._kms: list = []
        self._clients: list = []
        self.stopping = False  # set on interrupt: no stage is started again in a kernel of its own
        try:
            self.start(imports, cwd)
        except BaseException:
            self.close()
            raise

    def start(self, imports: list[str], cwd: Path | None) -> None:
        """Make kernel ``i`` ready for a run, importing ``imports[i]`` in folder ``cwd``: started
        where its slot is empty or its kernel died; else told the imports (what it loaded before
        stays loaded) and the folder. Silent: no output, execution count or name is left."""
        import asyncio

        from jupyter_client.manager import AsyncKernelManager

        self.stopping = False
        for i, code in enumerate(imports):
            if i < len(self._kms) and self._kms[i] is not None and _alive(self._kms[i]):
                if cwd is not None:
                    self._send(i, f"__import__('os').chdir({str(cwd)!r})")
            else:
                km = AsyncKernelManager(kernel_name=KERNEL)
                asyncio.run(km.start_kernel(**({"cwd": str(cwd)} if cwd is not None else {}),
                                            extra_arguments=KERNEL_ARGUMENTS))
                if i < len(self._kms):
                    self.drop(i)  # a kernel that died: its files and channels are cleaned up
                    self._kms[i] = km
                else:
                    self._kms.append(km)
                    self._clients.append(None)
            if code:
                self._send(i, f"exec(compile({code!r}, '<imports>', 'exec'), {{}})")

    def _send(self, i: int, code: str) -> str:
        """Send ``code`` to kernel ``i`` silently over a shell channel kept open (so that the
        request is surely delivered before the kernel is given to papermill); return its id."""
        from jupyter_client.blocking import BlockingKernelClient

        if self._clients[i] is None:
            kc = BlockingKernelClient()
            kc.load_connection_info(self._kms[i].get_connection_info())
            kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
            self._clients[i] = kc
        return self._clients[i].execute(code, silent=True, store_history=False)

    def kernel(self, i: int):
        """Kernel ``i`` for the next stage (papermill leaves it running), or None if it is gone."""
        return self._kms[i] if i < len(self._kms) else None

    def reset(self, i: int, timeout: float = 30) -> None:
        """Make kernel ``i`` a fresh session for the next stage; empty its slot if it cannot."""
        km = self.kernel(i)
        if km is None:
            return
        try:
            msg = self._send(i, RESET)
            while True:
                reply = self._clients[i].get_shell_msg(timeout=timeout)
                if reply["parent_header"].get("msg_id") == msg:
                    break
            if reply["content"].get("status") != "ok":
                raise RuntimeError(reply["content"])
        except Exception:
            self.drop(i)

    def drop(self, i: int) -> None:
        """Empty slot ``i``: the kernel is shut down and later stages of the slot get their own."""
        km = self.kernel(i)
        if km is not None:
            self._kms[i] = None
            self._stop_client(i)
            shutdown(km)

    def _stop_client(self, i: int) -> None:
        if i < len(self._clients) and self._clients[i] is not None:
            self._clients[i].stop_channels()
            self._clients[i] = None

    def close(self) -> None:
        for i in range(len(self._kms)):
            self.drop(i)

    def interrupt(self, i: int) -> None:
        """Interrupt what kernel ``i`` runs (SIGINT: the cell raises KeyboardInterrupt, the stage
        fails, the kernel stays and is reset for the next run)."""
        import signal

        km = self.kernel(i)
        if km is not None:
            try:
                km.provisioner.process.send_signal(signal.SIGINT)
            except Exception:  # gone already
                pass

    def stop_all(self) -> None:
        """On interrupt: kill the kernels, so the stages running in them end at once."""
        self.stopping = True
        for km in filter(None, self._kms):
            try:
                km.provisioner.process.kill()
            except Exception:
                pass

    def __enter__(self) -> "KernelPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _alive(km) -> bool:
    import asyncio

    try:
        return bool(asyncio.run(km.is_alive()))
    except Exception:
        return False


def shutdown(km) -> None:
    """Stop a kernel started by :class:`KernelPool` (nbclient leaves a kernel it was given).

    At once: by then its stages have ended and every file they wrote is closed, and it keeps no
    history. A polite shutdown request waits for the interpreter to tear down pandas, scipy and
    matplotlib, about 2.5 s per kernel at the end of every run, for nothing kept."""
    import asyncio

    async def stop():
        if await km.is_alive():
            await km.shutdown_kernel(now=True)
        await km.cleanup_resources() if hasattr(km, "cleanup_resources") else None

    try:
        asyncio.run(stop())
    except Exception:  # a kernel that died on its own is gone already
        pass


def _exporter(lang: str | None, shelled: bool):
    """The HTML exporter for pages of ``lang`` (in the report's page shell if ``shelled``), made
    once per process: compiling nbconvert's templates cost each page about 0.15 s. Cells tagged
    for the parameters or for another language are left out."""
    key = (lang, shelled)
    if key not in _EXPORTERS:
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        from . import book as shell

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
_RENDERING = threading.Lock()  # stages finish side by side; an exporter renders one page at a time


def render_html(notebook: Path, out: Path, book: dict | None = None) -> None:
    """Render an executed notebook to HTML with all code and the parameter cells hidden, in the
    report's page shell (:mod:`analysis_utils.book`) when ``book`` (its context) is given."""
    out.write_text(_render(notebook, book), encoding="utf-8")


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
    from . import book as shell
    from .escaping import sanitise_page
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    lang = book["lang"] if book is not None else None
    others = _other_languages(lang)
    nb.cells = [c for c in nb.cells if not others & set(c.metadata.get("tags", []))]  # before the table of contents
    resources = {}
    if book is not None:
        book = {**book, "toc": shell.notebook_toc(nb)}
        title = next((c["title"] for c in book["chapters"] if c["stem"] == book["current"]), notebook.stem)
        nb.metadata["title"] = f"{title} — {book['intake_title']}"
        resources["book"] = book
    with _RENDERING:
        body, _ = _exporter(lang, book is not None).from_notebook_node(nb, resources=resources)
    return sanitise_page(body)  # second line behind escaping intake text


def _title(notebook: Path, lang: str = "en") -> str:
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


def index_html(intake: Intake, chapters: list[tuple[str, str, str | None]], run_date: str, lang: str = "en",
               twin: bool = False) -> str:
    """The report's front page, in the page shell: what the intake is, how it was run, and the
    chapters (href, title, and the earlier run a chapter was reused from, or None)."""
    from . import book as shell
    from .i18n import _, language

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
        }
    return shell.render_front(ctx, front)


BUILD_MANIFEST = "build.json"  # in reports/<intake>/: what each chapter was built from, and when


def _sha256_files(files: list[Path], base: Path) -> dict[str, str]:
    return {f.relative_to(base).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()


def package_source_files() -> list[Path]:
    """Every file of the installed package that can change a result: code, codebook, theory map."""
    pkg = Path(__file__).resolve().parent
    return sorted(f for f in pkg.rglob("*") if f.is_file() and "__pycache__" not in f.parts)


def stage_keys(intake_dir: Path, notebooks: list[Path], lang: str, langs: list[str] | None = None) -> dict[str, str]:
    """The content key of every stage: a SHA-256 over what its output depends on.

    Stage 01 depends on the intake's files, the package (code, codebook, theory map), the package
    versions in the report, the parameters and its notebook; every later stage on stage 01's key
    and its own notebook. Content decides, never timestamps. ``langs`` are the languages published
    together (each page links to its twin when there are two).
    """
    intake_files = sorted(f for f in intake_dir.iterdir() if f.is_file() and not f.name.startswith("."))
    pkg = Path(__file__).resolve().parent
    common = _digest({"intake": _sha256_files(intake_files, intake_dir),
                      "package": _sha256_files(package_source_files(), pkg),
                      "versions": package_versions(),
                      "params": {"lang": lang, "langs": sorted(langs or [lang])}})
    first = _digest({"common": common, "notebook": hashlib.sha256(notebooks[0].read_bytes()).hexdigest()})
    keys = {notebooks[0].stem: first}
    for nb in notebooks[1:]:
        keys[nb.stem] = _digest({"stage01": first, "notebook": hashlib.sha256(nb.read_bytes()).hexdigest()})
    return keys


def read_build_manifest(report: Path) -> dict | None:
    try:
        manifest = json.loads((report / BUILD_MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("chapters"), dict) else None


def _intact(folder: Path, files: dict[str, str]) -> bool:
    """Every file recorded is still there with the recorded content."""
    for rel, digest in files.items():
        f = folder / rel
        if not f.is_file() or hashlib.sha256(f.read_bytes()).hexdigest() != digest:
            return False
    return True


def reusable_chapters(previous: dict | None, keys: dict[str, str], report: Path, processed: Path) -> set[str]:
    """The chapters of the previous run whose key is unchanged and whose outputs are intact.

    Later chapters are reusable only together with stage 01's processed data, which they read.
    """
    if not previous:
        return set()
    chapters = previous["chapters"]
    if not _intact(processed, previous.get("processed", {"manifest.json": ""})):
        return set()
    first = next(iter(keys))
    if chapters.get(first, {}).get("key") != keys[first]:
        return set()
    return {stem for stem, key in keys.items()
            if chapters.get(stem, {}).get("key") == key and _intact(report, chapters[stem].get("files", {}))}


def book_at(book: dict, stem: str) -> dict:
    from .book import at

    return at(book, stem)


@dataclass(eq=False)  # each stage is itself (hashable by identity)
class Stage:
    """One stage notebook to execute in one language, and where its outputs go."""
    nb: Path
    lang: str
    label: str  # its progress lines: "[2/4] 02_descriptives", "[6/8] 02_descriptives (nl)" with two languages
    executed: Path  # the executed notebook's folder
    out: Path  # the stage's own folder for its page, figures and tables
    params: dict
    book: dict | None = None
    reads: tuple[str, ...] = ()  # a chapter that needs only these files of stage 01 (see stage_reads)


def stage_reads(nb: Path) -> tuple[str, ...]:
    """The files of stage 01 a chapter declares it reads, if it reads no other: its notebook's
    metadata ``analysis_utils.reads``, e.g. ``["responses.csv", "manifest.json"]``. Such a chapter
    starts as soon as stage 01 has written them, instead of after stage 01 ends (see
    :func:`_run_stages`); it is given a folder holding those files only."""
    meta = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("analysis_utils", {})
    return tuple(meta.get("reads", ()))


def _run_stage(stage: Stage, log: Callable[[str], None], kernels: KernelPool | None = None,
               kernel: int = 0, on_cell: Callable[..., None] | None = None) -> tuple[str, str]:
    """Execute and render one stage, in kernel ``kernel`` of ``kernels`` if it has one (then
    reset for the next stage); ``on_cell``: see :func:`_execute`."""
    start = time.perf_counter()
    nb = stage.nb
    log(f"{stage.label} ...")
    out = stage.executed / nb.name
    stage.out.mkdir(parents=True, exist_ok=True)
    km = kernels.kernel(kernel) if kernels is not None else None
    params = {**stage.params, "reports_dir": str(stage.out)}
    try:
        _execute(nb, out, params, nb.parent, km=km, on_cell=on_cell)
    except StageFailed:
        if km is not None:  # a kept pool's kernel serves the next run: a fresh session for it too
            kernels.reset(kernel)
        raise
    except Exception:
        # a kernel started ahead can die before it answers (a port taken in between by another
        # process): run the stage once more in a kernel of papermill's own
        if km is None or _alive(km) or kernels.stopping:
            raise
        log(f"{stage.label}: its kernel stopped before the stage began; starting another")
        kernels.drop(kernel)
        _execute(nb, out, params, nb.parent, on_cell=on_cell)
    else:
        if km is not None:
            kernels.reset(kernel)
    render_html(out, stage.out / f"{nb.stem}.html", book_at(stage.book, nb.stem) if stage.book else None)
    log(f"{stage.label} done in {time.perf_counter() - start:.1f} s")
    return f"{nb.stem}.html", _title(out, stage.lang)


def _imports(notebooks: list[Path]) -> str:
    """The import statements of ``notebooks``, each once, in order."""
    lines = []
    for nb in dict.fromkeys(notebooks):
        lines += [line for line in notebook_imports(nb).split("\n") if line and line not in lines]
    return "\n".join(lines)


def _run_stages(stages: list[Stage], log: Callable[[str], None], first: Stage | None = None,
                kernels: KernelPool | None = None, early_dir: Path | None = None) -> dict[Stage, tuple[str, str]]:
    """Run ``first`` (the stage 01 that writes the processed data, if any), then every other
    stage, as many side by side as there are cores: they read only its output (another language's
    stage 01 writes to its own scratch folder). A pool of kernels, one per stage that can run at
    once, is started at the outset, with the stages' imports loaded; each kernel runs one stage
    after another (``kernels``: a pool kept across runs instead, left running). Returns each
    stage's (page, title). After a failure no further stage starts; the first failure is raised
    once the running stages have ended.

    A stage that declares the files of stage 01 it reads (``Stage.reads``) need not wait for the
    rest of stage 01 (the ensemble, the identified ranges): after the cell of ``first`` in which
    they all exist, they are copied to ``early_dir`` and such stages may start on another kernel,
    reading that folder. It holds those files only, so what such a chapter finds does not depend
    on how far stage 01 had got. If ``first`` ends without writing them, those stages start after
    it as the others do, on its folder."""
    from concurrent.futures import ThreadPoolExecutor

    lock = threading.Condition()
    unlocked = log

    def log(line: str) -> None:  # one whole line at a time from parallel stages
        with lock:
            unlocked(line)

    rest = [s for s in stages if s is not first]
    early = [s for s in rest if s.reads] if first is not None and early_dir is not None else []
    reads = sorted({f for s in early for f in s.reads})
    # kernel 0 runs stage 01 first; with a chapter that may start early, another kernel runs beside it
    width = max(1, min(cores(), len(rest) + (1 if early else 0)))
    imports = [_imports([s.nb for s in rest])] * width
    if first is not None:  # kernel 0 loads only what stage 01 needs, at once
        imports[0] = _imports([first.nb])
    done: dict[Stage, tuple[str, str]] = {}
    errors: list[BaseException] = []
    queue = list(rest)
    state = {"first_ended": first is None, "early_ready": False}
    running: set[int] = set()  # the kernels running a stage other than stage 01

    def after_cell(execute_reply: dict, **_) -> None:  # a cell of stage 01 has run
        if state["early_ready"] or execute_reply.get("content", {}).get("status") != "ok":
            return
        source = Path(first.params["processed_dir"])
        if all((source / f).is_file() for f in reads):
            early_dir.mkdir(parents=True, exist_ok=True)
            for f in reads:
                shutil.copyfile(source / f, early_dir / f)
            for s in early:
                s.params["processed_dir"] = str(early_dir)
            with lock:
                state["early_ready"] = True
                lock.notify_all()

    def runnable(s: Stage) -> bool:
        return state["first_ended"] or (state["early_ready"] and s in early)

    def take() -> Stage | None:
        with lock:
            while True:
                if errors or kernels.stopping or not queue:
                    return None
                stage = next((s for s in queue if runnable(s)), None)
                if stage is not None:
                    queue.remove(stage)
                    return stage
                lock.wait()

    def failed(exc: BaseException) -> None:  # collected: no stage is left running unobserved
        with lock:
            errors.append(exc)
            lock.notify_all()

    def work(k: int) -> None:
        try:
            stages_of(k)
        finally:
            _close_thread_loop()

    def stages_of(k: int) -> None:
        if k == 0 and first is not None:
            try:
                done[first] = _run_stage(first, log, kernels, 0, on_cell=after_cell if early else None)
            except Exception as exc:
                failed(exc)
                with lock:  # a chapter started early on its data is of no use now: stopped, not awaited
                    for i in running:
                        kernels.interrupt(i)
                return
            finally:
                with lock:
                    state["first_ended"] = True
                    lock.notify_all()
        while (stage := take()) is not None:
            with lock:
                running.add(k)
            try:
                done[stage] = _run_stage(stage, log, kernels, k)
            except Exception as exc:
                return failed(exc)
            finally:
                with lock:
                    running.discard(k)

    if not stages:
        return done
    if not _EXPORTERS:  # this process renders its first pages: get that ready while the kernels start
        warm_rendering(stages[0].nb, book_at(stages[0].book, stages[0].nb.stem) if stages[0].book else None)
    if kept := kernels is not None:
        kernels.start(imports, stages[0].nb.parent)
    with contextlib.nullcontext(kernels) if kept else KernelPool(imports, stages[0].nb.parent) as kernels:
        with ThreadPoolExecutor(max_workers=width) as pool:
            futures = [pool.submit(work, k) for k in range(width)]
            try:
                for f in futures:
                    f.result()
            except BaseException:  # interrupted: stop the running stages instead of waiting for them
                kernels.stop_all()
                with lock:
                    lock.notify_all()  # a kernel waiting for stage 01 gives up
                raise
    if errors:
        raise errors[0]
    return done


def _close_thread_loop(timeout: float = 5) -> None:
    """Close the event loop in which papermill and the kernel clients ran this thread's coroutines
    (jupyter_core keeps one per thread and never closes it): its pending tasks cancelled, then
    closed, now. Left to the garbage collector, a loop that an interrupted stage left tasks in is
    finalised whenever a collection comes, possibly after its own self-pipe socket, and prints a
    traceback (seen at the interpreter's exit after an interrupt)."""
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    if loop.is_running() or loop.is_closed():
        return
    try:
        if tasks := asyncio.all_tasks(loop):
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.wait(tasks, timeout=timeout))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()


STAGE01_STEM = "01_cleaning"


def _merge_stage_outputs(stage_dir: Path, report: Path, stem: str) -> list[Path]:
    """Move one stage's outputs (its page, figures, tables, executed notebook) into the report;
    return them. Two stages writing the same file is a programming error, said plainly."""
    moved = []
    for f in sorted(p for p in stage_dir.rglob("*") if p.is_file()):
        dest = report / f.relative_to(stage_dir)
        if dest.exists():
            raise RuntimeError(f"{stem} wrote {dest.relative_to(report)}, which another chapter also writes")
        dest.parent.mkdir(parents=True, exist_ok=True)
        f.rename(dest)
        moved.append(dest)
    return moved


def _swap_into_place(built: Path, final: Path) -> None:
    """Replace ``final`` with ``built``; the old folder is removed only after the new one is in."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}{OLD_MARK}{os.getpid()}")
        final.rename(old)
    built.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


JOURNAL_MARK = ".publish.json"


def _journal(reports_root: Path, intake_id: str) -> Path:
    return reports_root / f".{intake_id}{JOURNAL_MARK}"


def _apply_plan(plan: list[dict]) -> None:
    """Move every built folder into place (each step may have been done already)."""
    for step in plan:
        built, final, old = Path(step["built"]), Path(step["final"]), Path(step["old"])
        if not built.exists():
            continue  # this folder is in place already
        if final.exists():
            final.rename(old if not old.exists() else old.with_name(f"{old.name}-{time.time_ns()}"))
        built.rename(final)


def publish(pairs: list[tuple[Path, Path]], journal: Path) -> None:
    """Put every built folder in place of its final one: all of them or none.

    The plan is written to ``journal`` first (atomically, by rename); only then are folders
    moved. A run killed before the journal exists published nothing (its build folders are
    leftovers, removed at the next start); one killed after it is completed by the next start
    (:func:`complete_publish`), so the processed data and the report never disagree.
    """
    plan = [{"built": str(b), "final": str(f), "old": str(f.with_name(f".{f.name}{OLD_MARK}{os.getpid()}"))}
            for b, f in pairs]
    tmp = journal.with_name(journal.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(plan, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, journal)
    _apply_plan(plan)
    journal.unlink()
    for step in plan:
        shutil.rmtree(step["old"], ignore_errors=True)


def complete_publish(reports_root: Path, intake_id: str) -> bool:
    """Finish a publication a killed run left half done (see :func:`publish`); True if there was one."""
    journal = _journal(reports_root, intake_id)
    journal.with_name(journal.name + ".tmp").unlink(missing_ok=True)  # never committed: nothing to do
    if not journal.is_file():
        return False
    plan = json.loads(journal.read_text("utf-8"))
    _apply_plan(plan)
    journal.unlink()
    for step in plan:
        shutil.rmtree(step["old"], ignore_errors=True)
    return True


class Interrupted(KeyboardInterrupt):
    """The run was interrupted (Ctrl-C, SIGINT); ``published`` says whether the new report had
    been put in place already (the interrupt came while it was being published)."""

    def __init__(self, published: bool):
        super().__init__(published)
        self.published = published


class InterruptGuard:
    """Remembers a SIGINT for the whole run, so an interrupt swallowed anywhere below (a kernel
    client, a thread) still stops the run before it publishes. Publishing itself holds SIGINT
    and SIGTERM back (:meth:`publishing`), so it is never cut in half by them; a SIGKILL there
    is completed by the next start (:func:`publish`)."""

    def __init__(self):
        self.seen = False
        self._published = False
        self._previous = None

    def _handler(self, signum, frame):
        self.seen = True
        raise Interrupted(self._published)

    def __enter__(self) -> "InterruptGuard":
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc) -> None:
        import signal

        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def check(self) -> None:
        if self.seen:
            raise Interrupted(False)

    def publishing(self):
        """Context in which the new outputs are put in place: SIGINT and SIGTERM that arrive
        meanwhile are held (recorded, not acted on) and act once publishing is done."""
        import contextlib
        import signal
        import threading

        guard = self

        @contextlib.contextmanager
        def held():
            guard.check()  # the last point at which an interrupt stops the run unpublished
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            arrived = []
            previous = {sig: signal.signal(sig, lambda signum, frame: arrived.append(signum))
                        for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
                guard._published = True
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
            if arrived:
                raise Interrupted(True)

        return held()


def _mkdtemp(prefix: str, parent: Path) -> Path:
    """A hidden build folder with the permissions an ordinary folder gets (umask), not 0700."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder


def languages(lang: str | list[str] | tuple[str, ...]) -> list[str]:
    """The report languages asked for: ``"en"``, ``"nl"``, ``"en,nl"`` or a list; English first.

    >>> languages("nl,en"), languages(["nl"])
    (['en', 'nl'], ['nl'])
    """
    asked = [x.strip() for x in (lang.split(",") if isinstance(lang, str) else lang) if x.strip()]
    unknown = [x for x in asked if x not in LANGS]
    if unknown or not asked:
        raise ValueError(f"unknown report language {', '.join(unknown) or '(none)'}; "
                         f"choose from {', '.join(LANGS)} or both, comma-separated")
    return [x for x in LANGS if x in asked]


def language_folder(report: Path, lang: str) -> Path:
    """Where a language's pages live: English at the report's top, Dutch in ``nl/``."""
    from .book import TWIN_FOLDER

    return report / TWIN_FOLDER[lang] if TWIN_FOLDER[lang] else report


def run(intake_dir: str | Path, lang: str | list[str] = "en", reports_root: str | Path | None = None,
        processed_root: str | Path | None = None, log: Callable[[str], None] = print,
        force: bool = False, notebooks_dir: str | Path | None = None, kernels: KernelPool | None = None) -> Path:
    """Validate an intake, execute every stage, render the report; return the index page (of the
    first language: ``lang`` may be ``"en,nl"``, the two reports side by side, Dutch in ``nl/``).

    A chapter whose inputs (see :func:`stage_keys`) are unchanged since the last run is reused
    from it, and a run with nothing changed writes nothing and says the report is up to date;
    ``force`` runs everything. ``notebooks_dir`` replaces the project's stage notebooks (the
    benchmark's floor uses it). ``kernels``: a :class:`KernelPool` kept across runs, else each
    run starts its own. The report holds the languages of its last run.

    Raises :class:`~analysis_utils.intake.IntakeError` for invalid input (nothing written) and
    :class:`StageFailed` when a notebook cell fails (nothing published).
    """
    langs = languages(lang)
    root = project_root()
    intake_dir = Path(intake_dir).resolve()
    reports_root = Path(reports_root) if reports_root else root / "reports"
    processed_root = Path(processed_root) if processed_root else root / "data" / "processed"
    notebooks = stage_notebooks(root) if notebooks_dir is None else stage_notebooks(Path(notebooks_dir), folder="")
    if not notebooks:
        raise FileNotFoundError(f"no stage notebooks in {notebooks_dir or root / 'notebooks'}")
    intake_id = intake_dir.name
    final_report, final_processed = reports_root / intake_id, processed_root / intake_id
    keys = {x: stage_keys(intake_dir, notebooks, x, langs) for x in langs} if intake_dir.is_dir() else {}

    def plan() -> tuple[dict, dict]:
        previous = {x: None if force else read_build_manifest(language_folder(final_report, x)) for x in langs}
        reuse = {x: reusable_chapters(previous[x], keys[x], language_folder(final_report, x), final_processed)
                 for x in langs}
        return previous, reuse

    if keys and reports_root.is_dir():
        with intake_lock(reports_root, intake_id):
            complete_publish(reports_root, intake_id)
            remove_leftovers(intake_id, reports_root, processed_root)
            previous, reuse = plan()
            if all(reuse[x] == set(keys[x]) for x in langs):
                index = language_folder(final_report, langs[0]) / "index.html"
                log(f"report up to date: {index} (inputs unchanged since the run of "
                    f"{previous[langs[0]]['run']}; --force runs every stage again)")
                return index

    from .intake import read_intake

    intake = read_intake(intake_dir)  # invalid input: raised before anything is written
    reports_root.mkdir(parents=True, exist_ok=True)
    processed_root.mkdir(parents=True, exist_ok=True)
    with intake_lock(reports_root, intake_id), InterruptGuard() as guard:
        complete_publish(reports_root, intake_id)
        remove_leftovers(intake_id, reports_root, processed_root)
        previous, reuse = plan()
        return _build(intake, notebooks, langs, reuse, previous, keys, final_report, final_processed, log, guard,
                      kernels)


class RunInProgress(RuntimeError):
    """Another run holds the intake's lock."""


def intake_lock(reports_root: Path, intake_id: str):
    """The per-intake lock (``reports/.<intake>.lock``, filelock): a second run on the same intake
    at the same time is told so at once instead of racing the first one."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(reports_root / f".{intake_id}.lock"))
    try:
        return lock.acquire(timeout=0)  # released when the with-block ends
    except Timeout:
        raise RunInProgress(f"another run on the intake '{intake_id}' is in progress (it holds {lock.lock_file}); "
                            "wait for it to finish, then run again") from None


BUILD_MARK, OLD_MARK = ".build-", ".old-"


def remove_leftovers(intake_id: str, reports_root: Path, processed_root: Path) -> list[Path]:
    """Remove the hidden build and swap folders of this intake that a killed run left behind
    (they may hold respondent-level data). Called under the intake's lock, so none is in use."""
    gone = []
    for root in (reports_root, processed_root):
        if not root.is_dir():
            continue
        for mark in (BUILD_MARK, OLD_MARK):
            for folder in root.glob(f".{intake_id}{mark}*"):
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                    gone.append(folder)
    return gone


def _build(intake, notebooks: list[Path], langs: list[str], reuse: dict[str, set[str]], previous: dict[str, dict | None],
           keys: dict[str, dict[str, str]], final_report: Path, final_processed: Path,
           log: Callable[[str], None], guard: InterruptGuard | None = None, kernels: KernelPool | None = None) -> Path:
    """Run, for every language, the chapters not in ``reuse`` and copy the others from
    ``previous``; publish the processed data and every language's pages together.

    Stage 01 writes the processed data (the same for every language) once, in the first language
    that runs it, and runs first; then every other stage of every language, a kernel per core
    running them one after another (:func:`_run_stages`). Another
    language's stage 01 only shows: it writes to a scratch folder and reads the costly results
    (the ensemble, the identified ranges) from the first one's instead of computing them again. If
    no language runs stage 01, the published data stay."""
    reports_root, processed_root = final_report.parent, final_processed.parent
    run_id = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    build_reports = _mkdtemp(f".{intake.id}{BUILD_MARK}", reports_root)
    writer = next((x for x in langs if STAGE01_STEM not in reuse[x]), None)
    build_processed = _mkdtemp(f".{intake.id}{BUILD_MARK}", processed_root) if writer else None
    processed = build_processed or final_processed
    try:
        stages, first = [], None
        total = len(notebooks) * len(langs)
        for n, lang in enumerate(langs):
            build = language_folder(build_reports, lang)
            (build / "notebooks").mkdir(parents=True)
            book = _book(intake, notebooks, lang, langs, run_id)
            for nb in (nb for nb in notebooks if nb.stem not in reuse[lang]):
                number = n * len(notebooks) + notebooks.index(nb) + 1
                stage = Stage(nb=nb, lang=lang, label=f"[{number}/{total}] {nb.stem}" + (f" ({lang})" if len(langs) > 1 else ""),
                              executed=build / "notebooks", out=build / f".stage-{nb.stem}", book=book,
                              params={"intake_dir": str(intake.path.resolve()), "lang": lang,
                                      "processed_dir": str(processed)},
                              reads=stage_reads(nb) if nb.stem != STAGE01_STEM else ())
                if nb.stem == STAGE01_STEM and lang != writer:  # this language's stage 01 only shows
                    scratch = build_reports / f".processed-{lang}"
                    scratch.mkdir(parents=True, exist_ok=True)
                    stage.params.update(processed_dir=str(scratch), computed_dir=str(processed))
                first = stage if nb.stem == STAGE01_STEM and lang == writer else first
                stages.append(stage)
        titles = _run_stages(stages, log, first, kernels, early_dir=build_reports / ".cleaned")
        shutil.rmtree(build_reports / ".cleaned", ignore_errors=True)
        for lang in langs:
            shutil.rmtree(build_reports / f".processed-{lang}", ignore_errors=True)
            _finish_language(intake, notebooks, lang, langs, reuse[lang], previous[lang], keys[lang],
                             language_folder(build_reports, lang), language_folder(final_report, lang), processed,
                             {s.nb.stem: titles[s] for s in stages if s.lang == lang}, run_id, log)
        pairs = ([(build_processed, final_processed)] if build_processed is not None else []) + \
            [(build_reports, final_report)]
        with (guard or InterruptGuard()).publishing():
            publish(pairs, _journal(reports_root, intake.id))
    finally:
        if not _journal(reports_root, intake.id).exists():  # else the next start completes the publication
            shutil.rmtree(build_reports, ignore_errors=True)
            if build_processed is not None:
                shutil.rmtree(build_processed, ignore_errors=True)
    return language_folder(final_report, langs[0]) / "index.html"


def _book(intake, notebooks: list[Path], lang: str, langs: list[str], run_id: str) -> dict:
    from . import book as shell

    return shell.context(intake.text("title", lang), str(intake.meta["source"]), run_id,
                         [(nb.stem, _title(nb, lang)) for nb in notebooks], "", lang, twin=len(langs) > 1)


def _finish_language(intake, notebooks: list[Path], lang: str, langs: list[str], reuse: set[str], previous: dict | None,
                     keys: dict[str, str], build: Path, final: Path, processed: Path, titles: dict[str, tuple[str, str]],
                     run_id: str, log: Callable[[str], None]) -> None:
    """One language's pages in ``build``: its stages' outputs merged, its reused chapters copied
    from ``final``, its index page and build manifest written."""
    executed = build / "notebooks"
    chapters = {}
    for nb in notebooks:
        stem = nb.stem
        if stem in reuse:
            old = previous["chapters"][stem]
            for rel in old["files"]:
                dest = build / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(final / rel, dest)
            chapters[stem] = {**old, "reused": True}
            log(f"{stem}{f' ({lang})' if len(langs) > 1 else ''}: unchanged, reused from the run of {old['run']}")
        else:
            files = _merge_stage_outputs(build / f".stage-{stem}", build, stem)
            files.append(executed / nb.name)
            href, chapter_title = titles[stem]
            chapters[stem] = {"key": keys[stem], "run": run_id, "href": href, "title": chapter_title,
                              "files": _sha256_files(files, build)}
            shutil.rmtree(build / f".stage-{stem}", ignore_errors=True)
    manifest = {"run": run_id, "intake": intake.id, "lang": lang, "langs": langs,
                "processed": _sha256_files(sorted(p for p in processed.iterdir() if p.is_file()), processed),
                "chapters": {stem: {k: v for k, v in c.items() if k != "reused"} for stem, c in chapters.items()}}
    listed = [(c["href"], c["title"], c["run"] if c.get("reused") else None) for c in chapters.values()]
    (build / "index.html").write_text(index_html(intake, listed, run_id, lang, twin=len(langs) > 1), encoding="utf-8")
    (build / BUILD_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


COMPARE_NOTEBOOK = "compare_intakes.ipynb"


def compare(intake_dirs: list[str | Path], lang: str | list[str] = "en", reports_root: str | Path | None = None,
            log: Callable[[str], None] = print, kernels: KernelPool | None = None) -> Path:
    """Compare intakes with the comparison notebook (papermill, HTML, as the stages); return the
    index page of ``reports/compare-<id1>-<id2>...`` (of the first language; ``lang`` may be
    ``"en,nl"``, Dutch in ``nl/``). ``kernels``: a pool kept across runs (its first kernel runs
    the notebook), else papermill starts a kernel per language."""
    from .compare import load

    langs = languages(lang)
    root = project_root()
    if len(intake_dirs) < 2:
        raise ValueError("compare needs at least two intake folders")
    loaded = load(intake_dirs)  # validates every intake first
    reports_root = Path(reports_root) if reports_root else root / "reports"
    reports_root.mkdir(parents=True, exist_ok=True)
    name = "compare-" + "-".join(intake.id for intake, _ in loaded)
    build = _mkdtemp(f".{name}-", reports_root)
    try:
        run_date = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        for i, x in enumerate(langs, 1):
            _compare_language(intake_dirs, loaded, x, langs, language_folder(build, x), run_date, log,
                              f"[{i}/{len(langs)}]", kernels)
        _swap_into_place(build, reports_root / name)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return language_folder(reports_root / name, langs[0]) / "index.html"


def _compare_language(intake_dirs, loaded, lang: str, langs: list[str], build: Path, run_date: str,
                      log: Callable[[str], None], step: str, kernels: KernelPool | None = None) -> None:
    from . import book as shell
    from .compare import label
    from .i18n import _, language

    root = project_root()
    nb = root / "notebooks" / COMPARE_NOTEBOOK
    (build / "notebooks").mkdir(parents=True)
    out = build / "notebooks" / nb.name
    start = time.perf_counter()
    with language(lang):
        names = ", ".join(label(i) for i, _d in loaded)
        log(f"{step} comparing {names} ({lang}) ...")
        if kernels is not None:
            kernels.start([_imports([nb])], nb.parent)
        km = kernels.kernel(0) if kernels is not None else None
        try:
            _execute(nb, out, {"intake_dirs": [str(Path(d).resolve()) for d in intake_dirs], "lang": lang,
                               "reports_dir": str(build)}, nb.parent, km=km)
        finally:
            if km is not None:
                kernels.reset(0)
        flagged = any(i.reconstructed for i, _d in loaded)
        title = _("Comparison: {intakes}").format(intakes=names)
        book = shell.context(title, "reconstructed-from-publication" if flagged else "survey", run_date,
                             [("compare", _("The comparison, item by item"))], "compare", lang, twin=len(langs) > 1)
        book["source_words"] = _("comparison across intakes") + (
            " " + _("(a reconstructed intake involved)") if flagged else "")
        render_html(out, build / "compare.html", book)
        log(f"{step} comparison done in {time.perf_counter() - start:.1f} s")
        front = {
            "title": title,
            "facts": [(label(i), _("{title}; n = {n}; questionnaire {version}; source: {source}").format(
                title=i.text("title"), n=len(d), version=i.codebook.version,
                source=shell.source_words(str(i.meta["source"])))) for i, d in loaded]
                     + [(_("Run"), run_date)],
            "warning": _("An intake marked (reconstructed) was rebuilt from published figures: its single-item "
                         "distributions are the publication's, everything else is invented.") if flagged else "",
            "warning_title": _("Reconstructed data involved."),
            "chapters_label": _("Chapters"), "reused_label": "",
            "reproducibility_label": _("Reproducibility"), "checksums_label": "", "checksums": [],
            "versions_label": _("Package versions"), "versions": list(package_versions().items()),
        }
        index = shell.at(book, "index")
        (build / "index.html").write_text(shell.render_front({**index, "page_title": title}, front), encoding="utf-8")


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
                _execute(nb, out, None, nb.parent)
                _strip_run_metadata(out)
                shutil.copyfile(out, nb)
        finally:
            if saved is None:
                os.environ.pop(OUTPUT_ENV, None)
            else:
                os.environ[OUTPUT_ENV] = saved
    return notebooks
