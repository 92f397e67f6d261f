"""Notebook kernels: a pool started ahead of the stages and reused across them, and the
execution of one notebook with papermill in a given kernel.

Starting a kernel and importing pandas, matplotlib, scipy and pingouin costs seconds of CPU; paid
once per stage it was most of what a two-language run of eight stages did besides the analysis
itself. A pool keeps a kernel per core, each running one stage after another, reset in between to
a fresh session.
"""
from __future__ import annotations

import ast
import asyncio
import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Callable

KERNEL = "python3"
# no history database: a kernel runs several notebooks, and none needs its history kept
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
RESET = "get_ipython().reset(new_session=True)"  # empty namespace and history, execution count 1


# Every kernel's connection file (its ports and signing key) lives in a folder of the process
# that started it, removed when that process ends or, after a SIGKILL, by the next run's start.
CONNECTION_PREFIX = "analysis-utils-kernels-"


def connection_dir() -> Path:
    """This process's folder for its kernels' connection files (private: 0700)."""
    folder = Path(tempfile.gettempdir()) / f"{CONNECTION_PREFIX}{os.getpid()}"
    if not folder.is_dir():
        folder.mkdir(mode=0o700, exist_ok=True)
        atexit.register(shutil.rmtree, folder, True)
    return folder


def remove_stale_connection_dirs() -> list[Path]:
    """The connection folders of processes that no longer run (killed), removed."""
    gone = []
    for folder in Path(tempfile.gettempdir()).glob(f"{CONNECTION_PREFIX}*"):
        pid = folder.name[len(CONNECTION_PREFIX):]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder)
        except PermissionError:  # another user's process: alive, not ours to touch
            pass
    return gone


def new_kernel_manager():
    """A kernel manager whose connection file goes in :func:`connection_dir` (not loose in $TMPDIR)."""
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name=KERNEL, connection_file=str(connection_dir() / f"kernel-{uuid.uuid4().hex}.json"))


class StageFailed(RuntimeError):
    """A stage notebook raised; the message carries the failing cell's error."""


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system says, as in a container)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def execute(nb: Path, out: Path, parameters: dict | None, cwd: Path, km=None,
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
    own = km is None  # a kernel of its own for this notebook, its connection file in connection_dir()
    km = new_kernel_manager() if own else km
    try:
        pm.execute_notebook(str(nb), str(out), parameters=parameters, kernel_name=KERNEL,
                            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                            resources={"metadata": {"path": str(cwd)}}, shutdown_kernel="immediate",
                            extra_arguments=KERNEL_ARGUMENTS, km=km,
                            **({"on_cell_executed": on_cell} if on_cell is not None else {}))
    except PapermillExecutionError as exc:
        raise StageFailed(f"{nb.name}: cell {exc.exec_count} raised {exc.ename}: {exc.evalue}") from None
    finally:
        if own:
            shutdown(km)



def import_lines(source: str) -> str:
    """Only the import statements of a cell's code, in order."""

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


def imports(notebooks: list[Path]) -> str:
    """The import statements of ``notebooks``, each once, in order."""
    lines = []
    for nb in dict.fromkeys(notebooks):
        lines += [line for line in notebook_imports(nb).split("\n") if line and line not in lines]
    return "\n".join(lines)


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

        self.stopping = False
        for i, code in enumerate(imports):
            if i < len(self._kms) and self._kms[i] is not None and alive(self._kms[i]):
                if cwd is not None:
                    self._send(i, f"__import__('os').chdir({str(cwd)!r})")
            else:
                km = new_kernel_manager()
                # its output goes nowhere: a kernel still starting when a run is stopped (its connection
                # file already removed) would otherwise print its failure after the run's last line
                asyncio.run(km.start_kernel(**({"cwd": str(cwd)} if cwd is not None else {}),
                                            extra_arguments=KERNEL_ARGUMENTS, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))
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


def alive(km) -> bool:

    try:
        return bool(asyncio.run(km.is_alive()))
    except Exception:
        return False


def shutdown(km) -> None:
    """Stop a kernel started by :class:`KernelPool` (nbclient leaves a kernel it was given).

    At once: by then its stages have ended and every file they wrote is closed, and it keeps no
    history. A polite shutdown request waits for the interpreter to tear down pandas, scipy and
    matplotlib, about 2.5 s per kernel at the end of every run, for nothing kept."""

    async def stop():
        if await km.is_alive():
            await km.shutdown_kernel(now=True)
        await km.cleanup_resources() if hasattr(km, "cleanup_resources") else None

    try:
        asyncio.run(stop())
    except Exception:  # a kernel that died on its own is gone already
        pass


def close_thread_loop(timeout: float = 5) -> None:
    """Close the event loop in which papermill and the kernel clients ran this thread's coroutines
    (jupyter_core keeps one per thread and never closes it): its pending tasks cancelled, then
    closed, now. Left to the garbage collector, a loop that an interrupted stage left tasks in is
    finalised whenever a collection comes, possibly after its own self-pipe socket, and prints a
    traceback (seen at the interpreter's exit after an interrupt)."""

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
