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
import re
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
        for folder in root.iterdir():
            if folder.name.startswith((f".{intake_id}{BUILD_MARK}", f".{intake_id}{OLD_MARK}")):  # the id itself, no pattern
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                    gone.append(folder)
    return gone


# A run's hidden files beside the outputs: .<intake>.build-*, .<intake>.old-*, .<intake>.publish.json
# (an intake's id, or a comparison's name: compare-<id>+<id>…)
_HIDDEN = re.compile(r"\.(?P<id>[A-Za-z0-9][A-Za-z0-9._+-]{0,200}?)(?:\.build-|\.old-|\.publish\.json)")


def tidy(reports_root: Path, processed_root: Path, own: str) -> list[Path]:
    """At the start of a run: what killed runs left behind, of *any* intake, put right — a
    publication half done completed, build and swap folders (which may hold respondent-level
    data) removed. ``own``'s lock is held by the caller; another intake's is taken for the
    moment, and an intake whose run is in progress (its lock held) is left alone."""
    ids = {own}
    for root in (reports_root, processed_root):
        if root.is_dir():
            ids |= {m["id"] for p in root.iterdir() if (m := _HIDDEN.match(p.name))}
    gone = []
    for intake_id in sorted(ids):
        if intake_id == own:
            complete_publish(reports_root, own)
            gone += remove_leftovers(own, reports_root, processed_root)
            continue
        lock = FileLock(str(reports_root / f".{intake_id}.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue  # that run is in progress: its folders are in use
        try:
            complete_publish(reports_root, intake_id)
            gone += remove_leftovers(intake_id, reports_root, processed_root)
        finally:
            lock.release()
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


# The signals that end a run as an interrupt does: Ctrl-C, a timeout or service manager
# (SIGTERM), a closed terminal (SIGHUP). Each ends it with exit status 128 + its number.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """The run was interrupted (SIGINT, SIGTERM or SIGHUP: ``signum``); ``published`` says whether
    the new report had been put in place already (the signal came while it was being published)."""

    def __init__(self, published: bool, signum: int = signal.SIGINT):
        super().__init__(published)
        self.published = published
        self.signum = int(signum)


class InterruptGuard:
    """Remembers a stop signal (:data:`STOP_SIGNALS`) for the whole run, so one swallowed anywhere
    below (a kernel client, a thread) still stops the run before it publishes. Publishing itself
    holds them back (:meth:`publishing`), so it is never cut in half by them; a SIGKILL there is
    completed by the next start (:func:`publish`)."""

    def __init__(self):
        self.seen = 0  # the signal received, if any
        self._published = False
        self._previous: dict = {}

    def _handler(self, signum, frame):
        self.seen = signum
        raise Interrupted(self._published, signum)

    def __enter__(self) -> "InterruptGuard":

        if threading.current_thread() is threading.main_thread():
            self._previous = {sig: signal.signal(sig, self._handler) for sig in STOP_SIGNALS}
        return self

    def __exit__(self, *exc) -> None:

        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def check(self) -> None:
        if self.seen:
            raise Interrupted(False, self.seen)

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
            previous = {sig: signal.signal(sig, lambda signum, frame: arrived.append(signum)) for sig in STOP_SIGNALS}
            try:
                yield
                guard._published = True
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
            if arrived:
                raise Interrupted(True, arrived[0])

        return held()


def mkdtemp(prefix: str, parent: Path) -> Path:
    """A hidden build folder with the permissions an ordinary folder gets (umask), not 0700."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder
