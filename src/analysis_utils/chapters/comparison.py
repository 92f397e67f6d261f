"""The comparison of intakes: every intake validated and cleaned, the report's folders made.

Examples
--------
>>> cmp = open_comparison(["data/raw/genk-2015", "data/raw/example-v2"], "en")
>>> [intake.id for intake, _df in cmp.loaded]
['genk-2015', 'example-v2']
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..i18n import use
from ..intake import Intake, IntakeError
from ..intake.derive import clean
from ..intake.publication import load_publication
from ..paths import compare_report_dir, stage_paths
from ..stats.admissible import admissible_distributions, admissible_top2, chosen_below
from ..codebook import RELATIONSHIP_FIGURES
from ..stats.compare import RATED_TYPES, tidy_answers
from . import setup_display
from .validation import validate_intake


@dataclass
class Comparison:
    """The intakes compared (each with its cleaned answers, the reference first) and where the
    comparison's figures and tables go."""

    report: Path
    lang: str
    loaded: list[tuple[Intake, pd.DataFrame]]

    @cached_property
    def published(self) -> dict:
        """For every reconstructed intake, what its publication fixes of each rated item
        (:func:`published_counts`): the input of :func:`~analysis_utils.stats.compare.compare_items`."""
        return {intake.id: published_counts(intake, df) for intake, df in self.loaded if intake.reconstructed}

    @property
    def figures_dir(self) -> Path:
        return self.report / "figures"

    def answers_to_draw(self, table: pd.DataFrame) -> pd.DataFrame:
        """:func:`~analysis_utils.stats.compare.tidy_answers` of the items the page draws: every
        relationship item, and every other agreement scale that differs in ``table`` (its top-2
        share, or its whole answer distribution at Holm-adjusted p < .05), so that each such
        difference the text names has its figure (a frequency, such as conflicts, has no neutral
        middle to diverge from: the table and the text give it)."""
        codebook = self.loaded[0][0].codebook
        scale = table["item_key"].map(lambda k: codebook.item(k).type == "scale").astype(bool)
        differs = table[(table["top2_differs"].astype(bool) | (table["p_holm"] < 0.05)) & scale]
        figures = sorted({*RELATIONSHIP_FIGURES, *(int(f) for f in differs["figure"])})
        chosen = {intake.id: counts_chosen(intake, df) for intake, df in self.loaded if intake.reconstructed}
        tidy = tidy_answers(self.loaded, figures, chosen)
        related = tidy["figure"].isin(RELATIONSHIP_FIGURES) | tidy["item_key"].isin(set(differs["item_key"]))
        return tidy[related].reset_index(drop=True)

    @property
    def tables_dir(self) -> Path:
        return self.report / "tables"


def published_counts(intake: Intake, df: pd.DataFrame) -> dict[str, tuple[int, int, bool]]:
    """Item id -> (lowest, highest top-2 count the intake's publication admits at the item's n,
    whether it fixes the whole distribution) for the rated items of a reconstructed intake."""
    publication = load_publication(intake.path, intake.meta)
    facts, claims = publication["facts"], publication.get("claims", [])
    out = {}
    for item in intake.codebook.items:
        if item.type in RATED_TYPES and item.id in df:
            n = int(df[item.id].notna().sum())
            _kind, low, high = admissible_top2(item, n, facts, claims)
            out[item.id] = (low, high, len(admissible_distributions(item, n, facts, claims)) == 1)
    return out


def counts_chosen(intake: Intake, df: pd.DataFrame) -> dict[str, list[int]]:
    """Item id -> the answers below its two most favourable whose count a reconstructed intake's
    publication leaves open though it fixes their total
    (:func:`~analysis_utils.stats.admissible.chosen_below`): which of them the bars show is the
    reconstruction's choice."""
    publication = load_publication(intake.path, intake.meta)
    facts, claims = publication["facts"], publication.get("claims", [])
    return {item.id: list(chosen_below(item, admissible_distributions(item, int(df[item.id].notna().sum()), facts,
                                                                      claims)))
            for item in intake.codebook.items if item.type == "scale" and item.id in df}


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
