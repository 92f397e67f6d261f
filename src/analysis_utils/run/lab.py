"""JupyterLab that cannot spoil the reference notebooks.

The notebooks in ``notebooks/`` are nbval's reference: their committed outputs are what `make
test` compares a fresh execution with. `make lab` therefore never opens them. It copies them,
with the 2015 results in them, to ``scratch/lab/`` (a copy already there is the user's and is
kept, unless ``fresh``), and starts JupyterLab with its root at ``scratch/``: Lab's file browser,
its editor and Jupyter Server's contents API cannot reach ``notebooks/`` at all (the server
refuses any path outside its root), and Lab offers no terminal (a shell would reach everything). A copy runs as the original does: the project folder is
found above it (:func:`analysis_utils.paths.project_root`) and its figures go to
``scratch/<intake>/``.

Should a reference notebook change anyway, :func:`reference_hint` says which cells differ from
the committed version and how to restore it (`make test` shows it beside nbval's failure).

Examples
--------
>>> import json
>>> old = {"cells": [{"cell_type": "code", "source": "x = 1", "outputs": []},
...                  {"cell_type": "code", "source": "x", "outputs": [{"text": "1"}]}]}
>>> new = json.loads(json.dumps(old)); new["cells"][1]["outputs"] = [{"text": "2"}]
>>> changed_cells(old, new)
[('Cell 1', 'outputs')]
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..paths import SCRATCH

LAB = "lab"  # scratch/lab/: the notebooks Lab opens


def prepare_lab(root: Path, fresh: bool = False) -> tuple[list[Path], list[Path]]:
    """Copy ``notebooks/*.ipynb`` to ``scratch/lab/``: returns (copied, kept). A copy already
    there is kept (it may hold the user's work) unless ``fresh``."""
    target = root / SCRATCH / LAB
    target.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for notebook in sorted((root / "notebooks").glob("*.ipynb")):
        copy = target / notebook.name
        if copy.exists() and not fresh:
            kept.append(copy)
            continue
        shutil.copyfile(notebook, copy)
        copied.append(copy)
    return copied, kept


def running_as_root() -> bool:
    """Jupyter refuses to start as root unless told ``--allow-root`` (containers often run as root)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(root: Path, port: int | None = None, no_browser: bool = False) -> list[str]:
    """The JupyterLab command of `make lab`: rooted at ``scratch/`` (``notebooks/`` out of its
    reach), opening ``scratch/lab/``."""
    argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root / SCRATCH}",
            f"--ContentsManager.preferred_dir={LAB}", "--ServerApp.terminals_enabled=False"]
    if port:
        argv += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if no_browser:
        argv.append("--ServerApp.open_browser=False")
    if running_as_root():
        argv.append("--allow-root")
    return argv


def changed_cells(committed: dict, current: dict) -> list[tuple[str, str]]:
    """The cells whose source or outputs differ between two versions of a notebook, named as nbval
    names them (``Cell 2`` is the third code cell) or, for a text cell, by the code cell below it."""
    old, new = committed.get("cells", []), current.get("cells", [])
    if [c.get("cell_type") for c in old] != [c.get("cell_type") for c in new]:
        return [("cells", "added, removed or moved")]
    changed, code = [], 0
    for before, after in zip(old, new):
        name = f"Cell {code}" if before.get("cell_type") == "code" else f"the text above Cell {code}"
        if "".join(before.get("source", "")) != "".join(after.get("source", "")):
            changed.append((name, "source"))
        elif before.get("outputs") != after.get("outputs"):
            changed.append((name, "outputs"))
        code += before.get("cell_type") == "code"
    return changed


def committed_version(notebook: Path) -> dict | None:
    """The notebook as git last committed it, if git and a commit are at hand."""
    try:
        rel = notebook.resolve().relative_to(_git_root(notebook))
        shown = subprocess.run(["git", "-C", str(notebook.parent), "show", f"HEAD:{rel.as_posix()}"],
                               capture_output=True, text=True, timeout=20)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    return json.loads(shown.stdout) if shown.returncode == 0 else None


def _git_root(path: Path) -> Path:
    out = subprocess.run(["git", "-C", str(path.parent), "rev-parse", "--show-toplevel"], capture_output=True,
                         text=True, timeout=20)
    if out.returncode != 0:
        raise ValueError("not in a git checkout")
    return Path(out.stdout.strip()).resolve()


def reference_hint(notebook: Path, committed: dict | None) -> str:
    """What to say when nbval finds a reference notebook's outputs changed: which cells differ
    from the committed version, and how to restore it or refresh the references."""
    name = f"notebooks/{notebook.name}"
    restore = (f"Restore it with `git checkout {name}`; if the code it calls changed on purpose, re-execute the "
               "references with `make notebooks` (and commit them). Explore in `make lab`, which works on copies "
               "in scratch/lab/.")
    if committed is None:
        return f"{name} is nbval's reference notebook. {restore}"
    cells = changed_cells(committed, json.loads(notebook.read_text(encoding="utf-8")))
    if not cells:
        return (f"{name} is as committed: the package now gives other outputs than its reference. If that is "
                "intended, `make notebooks` re-executes the references; otherwise the change in the code is the bug.")
    listed = ", ".join(f"{name} ({what})" for name, what in cells)
    return f"{name} differs from its committed version in {listed}: it is nbval's reference notebook. {restore}"
