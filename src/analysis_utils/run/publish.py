"""Publishing a run all-or-nothing, and what keeps two runs apart.

A run builds in hidden folders beside its outputs (``.<intake>.build-*``) and moves them into
place only when every stage has succeeded. The processed data and the report are published both
or neither: the plan is written to a journal (``reports/.<intake>.publish.json``) before anything
moves, and a run killed half way through is completed by the next start. A per-intake lock keeps
two runs on one intake apart; an interrupt is remembered for the whole run and held back while
publishing.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

from filelock import FileLock, Timeout


class RunInProgress(RuntimeError):
    """Another run holds the intake's lock."""


def intake_lock(reports_root: Path, intake_id: str):
    """The per-intake lock (``reports/.<intake>.lock``, filelock): a second run on the same intake
    at the same time is told so at once instead of racing the first one."""

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


def merge_stage_outputs(stage_dir: Path, report: Path, stem: str) -> list[Path]:
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


def swap_into_place(built: Path, final: Path) -> None:
    """Replace ``final`` with ``built``; the old folder is removed only after the new one is in."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}{OLD_MARK}{os.getpid()}")
        final.rename(old)
    built.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


JOURNAL_MARK = ".publish.json"


def journal_path(reports_root: Path, intake_id: str) -> Path:
    return reports_root / f".{intake_id}{JOURNAL_MARK}"


def apply_plan(plan: list[dict]) -> None:
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
    apply_plan(plan)
    journal.unlink()
    for step in plan:
        shutil.rmtree(step["old"], ignore_errors=True)


def complete_publish(reports_root: Path, intake_id: str) -> bool:
    """Finish a publication a killed run left half done (see :func:`publish`); True if there was one."""
    journal = journal_path(reports_root, intake_id)
    journal.with_name(journal.name + ".tmp").unlink(missing_ok=True)  # never committed: nothing to do
    if not journal.is_file():
        return False
    plan = json.loads(journal.read_text("utf-8"))
    apply_plan(plan)
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

        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc) -> None:

        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def check(self) -> None:
        if self.seen:
            raise Interrupted(False)

    def publishing(self):
        """Context in which the new outputs are put in place: SIGINT and SIGTERM that arrive
        meanwhile are held (recorded, not acted on) and act once publishing is done."""

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


def mkdtemp(prefix: str, parent: Path) -> Path:
    """A hidden build folder with the permissions an ordinary folder gets (umask), not 0700."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder
