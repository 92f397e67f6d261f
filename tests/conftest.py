"""Shared test setup.

nbval re-executes the committed notebooks with their default parameters; this points their
output folders at a throw-away directory so that tests never write into the project.
"""
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from analysis_utils.paths import OUTPUT_ENV

# Made by the first pytest process (pytest-xdist's workers inherit it) and removed when it ends.
_SCRATCH = None if os.environ.get(OUTPUT_ENV) else tempfile.mkdtemp(prefix="analysis-utils-tests-")
if _SCRATCH:
    os.environ[OUTPUT_ENV] = _SCRATCH

# --doctest-modules would import this file a second time as a module named "conftest", which the
# other conftest.py (tests/ and notebooks/ each have one) already is: pytest then stops on an
# "import file mismatch". It has no doctests; it is only a conftest.
collect_ignore = ["conftest.py"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INTAKE = ROOT / "data" / "raw" / "genk-2015"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def default_intake() -> Path:
    return DEFAULT_INTAKE


@pytest.fixture(scope="session")
def shared(tmp_path_factory):
    """``shared(name, make)``: ``make(folder)`` run once per test session into a scratch folder,
    its (JSON) result shared by every pytest-xdist worker: the first to ask runs it under a file
    lock, the others wait for it and read the result."""
    import json

    from filelock import FileLock

    def get(name: str, make):
        if "PYTEST_XDIST_WORKER" not in os.environ:  # one process: no other worker to share with
            return make(tmp_path_factory.mktemp(name))
        out = tmp_path_factory.getbasetemp().parent / name
        with FileLock(str(out) + ".lock"):
            done = out / "result.json"
            if not done.is_file():
                shutil.rmtree(out, ignore_errors=True)  # what a failed attempt in another worker left
                out.mkdir()
                done.write_text(json.dumps(make(out)))
            return json.loads(done.read_text())

    return get


@pytest.fixture(scope="session")
def kernels():
    """One pool of kernels for this test process's pipeline runs (``run(..., kernels=)``): each
    run would otherwise start its kernels and load pandas, matplotlib, scipy and pingouin again.
    Its kernels are reset to a fresh session after every stage, as in any run."""
    from analysis_utils.run.kernels import KernelPool

    with KernelPool() as pool:
        yield pool


@pytest.fixture(scope="session")
def built(shared, kernels):
    """One full pipeline run on the default intake into a scratch folder, in both languages as
    `make report` runs it, shared by the tests."""
    from analysis_utils.run import pipeline

    def make(out: Path) -> dict:
        lines = []
        before = os.getcwd()
        index = pipeline.run(DEFAULT_INTAKE, "en,nl", reports_root=out / "reports", processed_root=out / "processed",
                             log=lines.append, kernels=kernels)
        # stages run side by side: none may move the process's working directory (papermill's cwd= does)
        assert os.getcwd() == before, f"pipeline.run left the working directory at {os.getcwd()}"
        return {"out": str(out), "index": str(index), "lines": lines}

    run = shared("shared-run", make)
    return Path(run["out"]), Path(run["index"]), run["lines"]


@pytest.fixture(scope="session")
def genk_identification(shared):
    """The default intake, cleaned, and its identification table
    (:func:`analysis_utils.stats.identification.identification_table`), computed once for every
    worker: its integer programmes and searches take seconds."""
    import pandas as pd

    from analysis_utils.intake import read_intake
    from analysis_utils.intake.derive import clean
    from analysis_utils.intake.publication import load_publication
    from analysis_utils.stats.identification import identification_table

    intake = read_intake(DEFAULT_INTAKE)
    df = clean(intake.responses, intake.codebook)

    def make(out: Path) -> dict:
        table = identification_table(df, intake.codebook, load_publication(intake.path, intake.meta))
        table.to_pickle(out / "identification.pkl")
        return {"path": str(out / "identification.pkl")}

    return df, pd.read_pickle(shared("genk-identification", make)["path"])


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """The suite is over: remove the throw-away output folder this process made, and leave what
    it loaded to the operating system. A test process holds pandas, scipy, matplotlib and the
    notebooks' machinery; collecting all of that at interpreter exit took a worker 1 to 1.5 s,
    which pytest-xdist waits for before the run ends. Frozen objects are never collected again,
    so the exit just frees memory (files are closed and kernels stopped by then)."""
    import gc

    if _SCRATCH:
        shutil.rmtree(_SCRATCH, ignore_errors=True)
    gc.freeze()
