"""Chapter 04: the limits in numbers — non-response, precision at this sample size, the ceiling,
the pilots and the goals item, representativeness, coverage of the theory, and which results the
publication fixes — gathered in one table, ``limitations.csv``."""
from __future__ import annotations

import pandas as pd

from ..i18n import N_
from ..stats.descriptive import ceiling_open
from ..stats.intervals import interval_width, wilson_interval
from ..stats.limits import (
    ceiling_table,
    coverage_matrix,
    goals_read_both_ways,
    headline_bounds,
)
from ..stats.power import minimal_detectable_difference
from . import Chapter

SHARES = (0.5, 0.9)  # shares at which the precision of a share is shown
# Two groups whose difference chapter 04 asks how small it may be and still be detected.
GROUPINGS = {"interview_mode": N_("face to face / telephone"), "q01_gender": N_("men / women")}


def precision(ch: Chapter, bounds: pd.DataFrame) -> tuple[dict, dict]:
    """Interval widths at :data:`SHARES`, and per grouping of :data:`GROUPINGS` the smallest drop
    in satisfaction's top-2 share (from what is observed) that two such groups detect."""
    widths = {p: interval_width(ch.n, p) for p in SHARES}
    observed = bounds.set_index("item_id").loc["q08_satisfaction", "observed"]
    detectable = {}
    for column, name in GROUPINGS.items():
        sizes = ch.df[column].value_counts()
        if len(sizes) >= 2:
            detectable[(name, tuple(int(k) for k in sizes.values))] = minimal_detectable_difference(
                *sizes.values[:2], base=observed)
    return widths, detectable


def ceiling(ch: Chapter) -> pd.DataFrame:
    """The share at each item's most positive answer, with its Wilson interval; where the
    publication does not fix that share (it gives only a positive total, or a word), the range it
    allows instead, and ``assumed`` True: the point is the reconstruction's split."""
    table = ceiling_table(ch.summary)
    table[["ci_low", "ci_high"]] = [wilson_interval(round(s * n), n) for s, n in zip(table["ceiling_share"], table["n"])]
    if "ceiling_low" in ch.summary:
        rows = ch.summary.set_index("item_id").loc[table["item_id"]]
        table["assumed"] = ceiling_open(rows).to_numpy()
        ranges = rows[["ceiling_low", "ceiling_high"]].to_numpy()
        table.loc[table["assumed"], ["ci_low", "ci_high"]] = ranges[table["assumed"].to_numpy()]
    return table


def nationality(ch: Chapter) -> dict:
    """The share of Belgian respondents with its Wilson interval."""
    k = int((ch.df["q04_nationality"] == 1).sum())
    low, high = wilson_interval(k, ch.n)
    return {"k": k, "n": ch.n, "share": k / ch.n, "ci_low": low, "ci_high": high}


def pilot_items(ch: Chapter) -> list[str]:
    """The items the pilot questionnaire did not ask."""
    return [i.id for i in ch.codebook.items if i.absent_in_pilot]


def teams(ch: Chapter) -> int:
    return ch.df["a03_team"].nunique() if "a03_team" in ch.df else 1


def _goals(ch: Chapter) -> dict | None:
    """The goals item read three ways, and whether its split is the reconstruction's."""
    goals = goals_read_both_ways(ch.df, ch.codebook)
    return None if goals is None else {**goals, "reconstructed": ch.reconstructed}


def numbers(ch: Chapter) -> dict:
    """The chapter's numbers: response, Manski bounds, precision (``widths``, and ``detectable``
    per grouping: (name, group sizes) -> the smallest detectable drop), ceiling, the goals item
    read three ways, nationality, and the theory's coverage by the items (constructs x items)."""
    bounds = headline_bounds(ch.df, ch.codebook, ch.approached, ch.summary if ch.reconstructed else None)
    widths, detectable = precision(ch, bounds)
    return {"response": {"rate": ch.n / ch.approached, "n": ch.n, "approached": ch.approached}, "bounds": bounds,
            "widths": widths, "detectable": detectable, "ceiling": ceiling(ch),
            "goals": _goals(ch), "nationality": nationality(ch),
            "coverage": coverage_matrix(ch.codebook)}
