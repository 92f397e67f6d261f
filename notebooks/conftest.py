"""When pytest (nbval) re-executes these notebooks, their outputs go to a throw-away folder,
never into the project's data/processed/ or reports/."""
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# tests/conftest.py makes it where the whole suite runs; this one, where only the notebooks do
_SCRATCH = None if os.environ.get("ANALYSIS_UTILS_OUTPUT_ROOT") else tempfile.mkdtemp(prefix="analysis-utils-nbval-")
if _SCRATCH:
    os.environ["ANALYSIS_UTILS_OUTPUT_ROOT"] = _SCRATCH

# --doctest-modules would import this file a second time as a module named "conftest", which the
# other conftest.py (tests/ and notebooks/ each have one) already is: pytest then stops on an
# "import file mismatch". It has no doctests; it is only a conftest.
collect_ignore = ["conftest.py"]


def pytest_unconfigure(config):
    if _SCRATCH:
        shutil.rmtree(_SCRATCH, ignore_errors=True)


def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (`make test` runs the suite on every core): the notebooks' cells all on
    one worker, in order (each chapter reads what the one before it wrote, in that worker's
    scratch folder), every other test wherever a worker is free. pytest-xdist's own
    --dist loadgroup would say the same with a mark, but it no longer groups under pytest 9.2
    (pytest-dev/pytest-xdist#1386)."""
    from xdist.scheduler import LoadScopeScheduling

    class NotebooksTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "notebooks" if nodeid.startswith("notebooks/") else nodeid

    return NotebooksTogether(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Where nbval finds a notebook's outputs changed, say beside its diff which cells of the
    reference notebook differ from the committed version and how to restore it."""
    report = yield
    if report.when == "call" and report.failed and item.nodeid.startswith("notebooks/"):
        from analysis_utils.run.lab import (  # only on a failure
            committed_version,
            reference_hint,
        )

        notebook = Path(str(item.fspath))
        report.sections.append(("reference notebook", reference_hint(notebook, committed_version(notebook))))
    return report
