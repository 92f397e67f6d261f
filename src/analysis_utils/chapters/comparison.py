"""The comparison of intakes: every intake validated and cleaned, the report's folders made.

Examples
--------
>>> cmp = open_comparison(["data/raw/genk-2015", "data/raw/example-v2"], "en")
>>> [intake.id for intake, _df in cmp.loaded]
['genk-2015', 'example-v2']
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..i18n import use
from ..intake import Intake, IntakeError
from ..intake.derive import clean
from ..paths import compare_report_dir, stage_paths
from . import setup_display
from .validation import validate_intake


@dataclass
class Comparison:
    """The intakes compared (each with its cleaned answers, the reference first) and where the
    comparison's figures and tables go."""

    report: Path
    lang: str
    loaded: list[tuple[Intake, pd.DataFrame]]

    @property
    def figures_dir(self) -> Path:
        return self.report / "figures"

    @property
    def tables_dir(self) -> Path:
        return self.report / "tables"


def load(intake_dirs: list[str | Path]) -> list[tuple[Intake, pd.DataFrame]]:
    """Read, validate and clean every intake (raises IntakeError listing every problem of every intake)."""
    out, problems = [], []
    for d in intake_dirs:
        try:
            intake = validate_intake(d)
        except IntakeError as exc:
            problems.extend(exc.problems)
            continue
        out.append((intake, clean(intake.responses, intake.codebook)))
    if problems:
        raise IntakeError(problems)
    return out


def open_comparison(intake_dirs: list[str], lang: str, reports_dir: str = "") -> Comparison:
    """Start the comparison: speak ``lang``, show whole tables, make the report's folders and
    read every intake (relative paths from the project folder)."""
    use(lang)
    setup_display()
    report = compare_report_dir(intake_dirs, reports_dir)
    (report / "figures").mkdir(parents=True, exist_ok=True)
    (report / "tables").mkdir(parents=True, exist_ok=True)
    return Comparison(report, lang, load([stage_paths(p).intake_dir for p in intake_dirs]))
