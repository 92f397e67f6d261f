"""Shared test setup.

nbval re-executes the committed notebooks with their default parameters; this points their
output folders at a throw-away directory so that tests never write into the project.
"""
import os
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
def built(tmp_path_factory):
    """One full pipeline run on the default intake into a scratch folder, in both languages as
    `make report` runs it, shared by the tests."""
    from analysis_utils import pipeline

    out = tmp_path_factory.mktemp("run")
    lines = []
    before = os.getcwd()
    index = pipeline.run(DEFAULT_INTAKE, "en,nl", reports_root=out / "reports", processed_root=out / "processed",
                         log=lines.append)
    # stages run side by side: none may move the process's working directory (papermill's cwd= does)
    assert os.getcwd() == before, f"pipeline.run left the working directory at {os.getcwd()}"
    return out, index, lines
