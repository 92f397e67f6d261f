"""Where things are: the project root, an intake's folders, and a notebook's outputs.

Notebooks run in three places: JupyterLab and nbval start them in ``notebooks/``, papermill in
the folder it is given. Paths are therefore resolved against the project root, never the
working directory.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "ANALYSIS_UTILS_PROJECT_ROOT"
OUTPUT_ENV = "ANALYSIS_UTILS_OUTPUT_ROOT"
SCRATCH = "scratch"  # figures and tables of interactive runs (JupyterLab), never published


def _is_root(p: Path) -> bool:
    return (p / "pyproject.toml").is_file() and (p / "data" / "raw").is_dir()


def project_root() -> Path:
    """The project folder: ``$ANALYSIS_UTILS_PROJECT_ROOT``, else the nearest folder above the
    working directory holding ``pyproject.toml`` and ``data/raw``, else this package's checkout."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    here = Path.cwd().resolve()
    for p in (here, *here.parents):
        if _is_root(p):
            return p
    pkg = Path(__file__).resolve().parents[2]
    if _is_root(pkg):
        return pkg
    raise FileNotFoundError(
        f"cannot find the project folder from {here}; set {ROOT_ENV} to the folder holding pyproject.toml"
    )


@dataclass(frozen=True)
class StagePaths:
    """Input and output folders of one notebook run."""

    intake_dir: Path
    processed_dir: Path
    reports_dir: Path

    @property
    def intake_id(self) -> str:
        return self.intake_dir.name

    @property
    def figures_dir(self) -> Path:
        return self.reports_dir / "figures"

    @property
    def tables_dir(self) -> Path:
        return self.reports_dir / "tables"

    def make(self, after_stage01: bool = False) -> "StagePaths":
        """Create the output folders. A chapter that reads stage 01's output (``after_stage01``)
        first checks that it is there, and otherwise stops with one line saying what to run,
        before any folder is made."""
        if after_stage01 and not (self.processed_dir / "manifest.json").is_file():
            raise Stage01Missing(
                f"no cleaned data for intake '{self.intake_id}' yet: run chapter 01 first "
                f"(notebooks/01_cleaning.ipynb, or: python -m analysis_utils run {self.intake_dir})")
        for d in (self.processed_dir, self.figures_dir, self.tables_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


class Stage01Missing(RuntimeError):
    """A later chapter was run before chapter 01 wrote the cleaned data."""

    def _render_traceback_(self):  # IPython shows this one line instead of a traceback
        return [f"Stage01Missing: {self}"]


def _resolve(p: str | Path) -> Path:
    p = Path(p)
    return p if p.is_absolute() else (project_root() / p)


def stage_paths(intake_dir: str | Path, processed_dir: str | Path | None = None,
                reports_dir: str | Path | None = None) -> StagePaths:
    """Resolve a notebook's parameters into absolute folders.

    Relative paths are taken from the project root. Output folders left empty default to
    ``data/processed/<intake>`` and, for figures and tables, the scratch folder
    ``scratch/<intake>`` — an interactive run in JupyterLab never writes into the published
    ``reports/<intake>/`` unless ``reports_dir`` says so (the pipeline always does) — under
    ``$ANALYSIS_UTILS_OUTPUT_ROOT`` when that is set (the tests use it so that nbval never writes
    into the project).
    """
    intake = _resolve(intake_dir).resolve()
    out_root = Path(os.environ[OUTPUT_ENV]) if os.environ.get(OUTPUT_ENV) else project_root()
    processed = _resolve(processed_dir) if processed_dir else out_root / "data" / "processed" / intake.name
    reports = _resolve(reports_dir) if reports_dir else out_root / SCRATCH / intake.name
    return StagePaths(intake, processed, reports)


COMPARE_PREFIX = "compare-"
COMPARE_SEPARATOR = "+"  # no intake id holds it: compare-a-b+c and compare-a+b-c stay apart
COMPARE_NAME_MAX = 120  # characters of the ids kept in the name; longer names end in a hash of them all


def comparison_name(ids: list[str]) -> str:
    """The folder name of a comparison of intakes ``ids`` (the reference first): unambiguous, and
    within every file system's limit on a name.

    >>> comparison_name(["genk-2015", "example-v2"])
    'compare-genk-2015+example-v2'
    >>> len(comparison_name(["x" * 64] * 4))
    149
    """
    joined = COMPARE_SEPARATOR.join(ids)
    if len(joined) <= COMPARE_NAME_MAX:
        return COMPARE_PREFIX + joined
    digest = hashlib.sha256("\0".join(ids).encode()).hexdigest()[:20]
    return f"{COMPARE_PREFIX}{joined[:COMPARE_NAME_MAX]}-{digest}"


def compare_report_dir(intake_dirs: list[str | Path], reports_dir: str | Path | None = None) -> Path:
    """Output folder of a comparison: ``reports/compare-<id1>+<id2>...`` unless given."""
    if reports_dir:
        return _resolve(reports_dir)
    out_root = Path(os.environ[OUTPUT_ENV]) if os.environ.get(OUTPUT_ENV) else project_root()
    return out_root / "reports" / comparison_name([_resolve(d).resolve().name for d in intake_dirs])
