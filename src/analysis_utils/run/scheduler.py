"""The stages of a run as a graph (the standard library's ``graphlib.TopologicalSorter``): stage 01
first, every other stage after it, side by side on a pool of kernels, one per core.

A chapter that declares the files of stage 01 it reads (its notebook's metadata
``analysis_utils.reads``) depends instead on a node of its own, :data:`CLEANED` — "stage 01's
cleaned files exist" — which is done as soon as a cell of stage 01 has written them (they are
then copied to a folder of their own, so what such a chapter finds does not depend on how far
stage 01 had got), or when stage 01 ends without writing them.

Examples
--------
>>> from pathlib import Path
>>> first = Stage(Path("01_cleaning.ipynb"), "en", "[1/2] 01_cleaning", Path("."), Path("."), {})
>>> later = Stage(Path("02_descriptives.ipynb"), "en", "[2/2] 02", Path("."), Path("."), {}, reads=("responses.csv",))
>>> graph(first, [later], early=True)[later] == {CLEANED}
True
"""
from __future__ import annotations

import json
import queue
import shutil
import threading
import time
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Callable

from ..present.book import at
from .kernels import (
    KernelPool,
    StageFailed,
    alive,
    close_thread_loop,
    cores,
    execute,
    imports,
)
from .render import render_html, title, warm_rendering, warmed

CLEANED = "stage 01's cleaned files exist"  # a node of the graph that is no stage
STOP_GRACE = 1.5  # seconds a stage's thread is given to end after an interrupt stopped its kernel


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
    metadata ``analysis_utils.reads``, e.g. ``["responses.csv", "manifest.json"]``."""
    meta = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("analysis_utils", {})
    return tuple(meta.get("reads", ()))


def run_stage(stage: Stage, log: Callable[[str], None], kernels: KernelPool | None = None,
              kernel: int = 0, on_cell: Callable[..., None] | None = None) -> tuple[str, str]:
    """Execute and render one stage, in kernel ``kernel`` of ``kernels`` if it has one (then
    reset for the next stage); ``on_cell``: see :func:`~analysis_utils.run.kernels.execute`.
    Returns the stage's page and title."""

    start = time.perf_counter()
    nb = stage.nb
    log(f"{stage.label} ...")
    out = stage.executed / nb.name
    stage.out.mkdir(parents=True, exist_ok=True)
    km = kernels.kernel(kernel) if kernels is not None else None
    params = {**stage.params, "reports_dir": str(stage.out)}
    try:
        execute(nb, out, params, nb.parent, km=km, on_cell=on_cell)
    except StageFailed:
        if km is not None:  # a kept pool's kernel serves the next run: a fresh session for it too
            kernels.reset(kernel)
        raise
    except Exception:
        # a kernel started ahead can die before it answers (a port taken in between by another
        # process): run the stage once more in a kernel of papermill's own
        if km is None or alive(km) or kernels.stopping:
            raise
        log(f"{stage.label}: its kernel stopped before the stage began; starting another")
        kernels.drop(kernel)
        execute(nb, out, params, nb.parent, on_cell=on_cell)
    else:
        if km is not None:
            kernels.reset(kernel)
    render_html(out, stage.out / f"{nb.stem}.html", at(stage.book, nb.stem) if stage.book else None)
    log(f"{stage.label} done in {time.perf_counter() - start:.1f} s")
    return f"{nb.stem}.html", title(out, stage.lang)


def graph(first: Stage | None, rest: list[Stage], early: bool) -> dict:
    """Each node and what it waits for: ``rest`` wait for ``first`` (stage 01), or, with ``early``,
    those that declare what they read wait for :data:`CLEANED` only."""
    nodes: dict = {first: set()} if first is not None else {}
    if early:
        nodes[CLEANED] = set()
    for s in rest:
        nodes[s] = {CLEANED} if early and s.reads else ({first} if first is not None else set())
    return nodes


class _Run:
    """One call of :func:`run_stages`: the sorter (owned by the calling thread), the workers'
    queue of ready stages, and the events they report back."""

    def __init__(self, stages: list[Stage], first: Stage | None, early_dir: Path | None, log):
        self.order = {s: i for i, s in enumerate(stages)}
        self.first = first
        self.rest = [s for s in stages if s is not first]
        self.early = [s for s in self.rest if s.reads] if first is not None and early_dir is not None else []
        self.reads = sorted({f for s in self.early for f in s.reads})
        self.early_dir = early_dir
        self.sorter = TopologicalSorter(graph(first, self.rest, bool(self.early)))
        self.sorter.prepare()
        self.ready: queue.Queue = queue.Queue()
        self.events: queue.Queue = queue.Queue()
        self.done: dict[Stage, tuple[str, str]] = {}
        self.errors: list[BaseException] = []
        self.running: set[int] = set()
        self.lock = threading.Lock()
        self.cleaned = False
        self.stopped = False
        self.log = lambda line: self._log(log, line)

    def _log(self, log, line: str) -> None:
        with self.lock:  # one whole line at a time from parallel stages
            if not self.stopped:  # after an interrupt the last line is the interrupt's
                log(line)

    def after_cell(self, execute_reply: dict, **_) -> None:
        """A cell of stage 01 has run: once the files the early chapters read exist, copy them to
        their folder and report :data:`CLEANED`."""
        if self.cleaned or execute_reply.get("content", {}).get("status") != "ok":
            return
        source = Path(self.first.params["processed_dir"])
        if all((source / f).is_file() for f in self.reads):
            self.early_dir.mkdir(parents=True, exist_ok=True)
            for f in self.reads:
                shutil.copyfile(source / f, self.early_dir / f)
            for s in self.early:
                s.params["processed_dir"] = str(self.early_dir)
            self.cleaned = True
            self.events.put(("done", CLEANED))

    def dispatch(self) -> None:
        """Hand every stage that became ready to the workers, in the stages' order."""
        for node in sorted((n for n in self.sorter.get_ready() if n is not CLEANED and n is not self.first),
                           key=self.order.get):
            self.ready.put(node)

    def work(self, k: int, kernels: KernelPool) -> None:
        try:
            if k == 0 and self.first is not None:
                self._stage(0, self.first, kernels, self.after_cell if self.early else None)
            while (stage := self.ready.get()) is not None and not self.errors and not self.stopped:
                self._stage(k, stage, kernels)
        except BaseException as exc:  # reported to the waiting thread, never lost with the worker
            self.events.put(("failed", None, exc))
        finally:
            close_thread_loop()

    def _stage(self, k: int, stage: Stage, kernels: KernelPool, on_cell=None) -> None:
        with self.lock:
            self.running.add(k)
        try:
            self.events.put(("done", stage, run_stage(stage, self.log, kernels, k, on_cell=on_cell)))
        except Exception as exc:  # reported: no stage is left running unobserved
            self.events.put(("failed", stage, exc))
        finally:
            with self.lock:
                self.running.discard(k)

    def wait(self, kernels: KernelPool, width: int) -> None:
        """Mark done what the workers report and dispatch what becomes ready, until every stage
        has ended or one failed (then the running ones end first); then stop the workers."""
        self.dispatch()
        while self.sorter.is_active() and not self.errors:
            try:
                event = self.events.get(timeout=0.2)
            except queue.Empty:
                continue
            self._event(event, kernels)
        while self.errors and not self.ready.empty():  # after a failure no further stage starts
            self.ready.get_nowait()
        for _ in range(width):
            self.ready.put(None)

    def _event(self, event: tuple, kernels: KernelPool) -> None:
        kind, node = event[0], event[1]
        if kind == "failed":
            self.errors.append(event[2])
            if node is not None and node is self.first:  # a chapter started early on its data is of no use now: stopped, not awaited
                with self.lock:
                    for i in self.running:
                        kernels.interrupt(i)
            return
        if node is not CLEANED:
            self.done[node] = event[2]
        self.sorter.done(node)
        if node is self.first and self.early and not self.cleaned:  # stage 01 ended without the files
            self.cleaned = True
            self.sorter.done(CLEANED)
        self.dispatch()


def run_stages(stages: list[Stage], log: Callable[[str], None], first: Stage | None = None,
               kernels: KernelPool | None = None, early_dir: Path | None = None) -> dict[Stage, tuple[str, str]]:
    """Run ``first`` (the stage 01 that writes the processed data, if any), then every other
    stage, as many side by side as there are cores (:func:`graph`). A pool of kernels, one per
    stage that can run at once, is started at the outset with the stages' imports loaded (kernel
    0 only stage 01's); ``kernels``: a pool kept across runs instead, left running. Returns each
    stage's (page, title). After a failure no further stage starts; the first failure is raised
    once the running stages have ended."""
    if not stages:
        return {}
    state = _Run(stages, first, early_dir, log)
    width = max(1, min(cores(), len(state.rest) + (1 if state.early else 0)))
    needs = [imports([s.nb for s in state.rest])] * width
    if first is not None:  # kernel 0 loads only what stage 01 needs, at once
        needs[0] = imports([first.nb])
    if not warmed():  # this process renders its first pages: get that ready while the kernels start

        warm_rendering(stages[0].nb, at(stages[0].book, stages[0].nb.stem) if stages[0].book else None)
    pool = kernels if kernels is not None else KernelPool(needs, stages[0].nb.parent)
    try:
        if kernels is not None:
            kernels.start(needs, stages[0].nb.parent)
        # daemon threads: after an interrupt the run ends without waiting for a stage to notice
        # that its kernel was stopped (their kernels are killed; a short grace lets them let go)
        workers = [threading.Thread(target=state.work, args=(k, pool), daemon=True, name=f"stage-worker-{k}")
                   for k in range(width)]
        for w in workers:
            w.start()
        try:
            state.wait(pool, width)
            for w in workers:
                w.join()
        except BaseException:  # interrupted: stop the running stages instead of waiting for them
            state.stopped = True
            pool.stop_all()
            for _ in range(width):
                state.ready.put(None)
            for w in workers:
                w.join(timeout=STOP_GRACE)
            raise
    finally:
        if kernels is None:
            pool.close()
    if state.errors:
        raise state.errors[0]
    return state.done
