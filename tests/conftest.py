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

_SCRATCH = tempfile.mkdtemp(prefix="analysis-utils-tests-")
os.environ.setdefault(OUTPUT_ENV, _SCRATCH)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INTAKE = ROOT / "data" / "raw" / "genk-2015"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def default_intake() -> Path:
    return DEFAULT_INTAKE


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id):
    """One full pipeline run on the default intake into a scratch folder, in both languages as
    `make report` runs it, shared by the tests: with pytest-xdist, by every worker (the first to
    ask builds it under a file lock, the others wait for it and read it)."""
    import json

    from filelock import FileLock

    if worker_id == "master":  # one process: no other worker to share with
        return _build(tmp_path_factory.mktemp("run"))
    out = tmp_path_factory.getbasetemp().parent / "shared-run"
    with FileLock(str(out) + ".lock"):
        done = out / "run.json"
        if not done.is_file():
            shutil.rmtree(out, ignore_errors=True)  # what a failed build in another worker left
            out.mkdir()
            _, index, lines = _build(out)
            done.write_text(json.dumps({"index": str(index), "lines": lines}))
        record = json.loads(done.read_text())
    return out, Path(record["index"]), record["lines"]


def _build(out: Path):
    from analysis_utils import pipeline

    lines = []
    before = os.getcwd()
    index = pipeline.run(DEFAULT_INTAKE, "en,nl", reports_root=out / "reports", processed_root=out / "processed",
                         log=lines.append)
    # stages run side by side: none may move the process's working directory (papermill's cwd= does)
    assert os.getcwd() == before, f"pipeline.run left the working directory at {os.getcwd()}"
    return out, index, lines

