"""Chapter 02: the thesis's figures redrawn, the item summary, the reproduction of the reported
facts, and the checks on the publication (GRIM, universal claims, contradictions).

Examples
--------
>>> SECTIONS["relationship"]
(8, 9, 13, 14, 15, 16, 17, 18, 19, 20, 21)
"""
from __future__ import annotations

import math

import pandas as pd

from ..codebook import DEMOGRAPHIC_FIGURES, RELATIONSHIP_FIGURES
from ..intake.publication import load_claims, load_contradictions, load_facts
from ..stats.descriptive import frequencies as frequency_table
from ..intake.privacy import hidden_groups
from ..stats.descriptive import top2_by_group
from ..stats.intervals import interval_width
from ..stats.publication import (
    REPRODUCTION_COLUMNS,
    claim_checks,
    percent_checks,
    reproduction_table,
)
from . import Chapter
from .files import write_table

# The chapter's sections and the thesis's figures each shows.
SECTIONS = {"who": DEMOGRAPHIC_FIGURES, "relationship": RELATIONSHIP_FIGURES, "emotions": (10,), "expectations": (11,),
            "communication": (12,), "conflicts": (22, 23)}
CONCEALMENT_TOPIC = "q23a_concealment_topic"  # a follow-up: asked of those who concealed something
TEAM = "a03_team"


def frequencies(ch: Chapter) -> pd.DataFrame:
    """Every item's answers by category (:func:`~analysis_utils.stats.descriptive.frequencies`)."""
    return frequency_table(ch.df, ch.codebook)


def write_tables(ch: Chapter, freq: pd.DataFrame) -> list[str]:
    """``frequencies.csv`` and ``item_summary.csv``; returns the file names."""
    words = ch.summary["publication_words"].map(  # (word, line, role) as "meerderheid (2266); count (1690)"
        lambda found: "; ".join(f"{role if w is None else w} ({line})" for w, line, role in found)
        if isinstance(found, tuple) else found)
    summary = ch.summary.assign(publication_words=words)  # observed answers: no publication's words to name
    return [write_table(freq, ch.paths.tables_dir, "frequencies"),
            write_table(summary if ch.from_publication else summary.drop(columns="publication_words"), ch.paths.tables_dir,
                        "item_summary")]


def follow_up(freq: pd.DataFrame, item_id: str = CONCEALMENT_TOPIC) -> pd.DataFrame:
    """A follow-up question's answers (by default: what the concealment concerned)."""
    return freq.loc[freq["item_id"] == item_id, ["label_nl", "label_en", "n", "count", "percent"]]


def by_team(ch: Chapter, min_cell_size: int) -> pd.DataFrame | None:
    """Top-2 shares of the relationship items per team, small cells suppressed; None where the
    questionnaire records no team or only one."""
    if TEAM not in ch.df.columns or ch.df[TEAM].nunique() <= 1:
        return None
    return top2_by_group(ch.df, ch.codebook, TEAM, list(RELATIONSHIP_FIGURES), min_cell_size)


def team_mix(ch: Chapter, min_cell_size: int) -> pd.DataFrame | None:
    """Per team shown (those :func:`by_team` shows: :func:`~analysis_utils.intake.privacy.hidden_groups`
    leaves the others out): its respondents, how many of them answered face to face, and the
    half-width of the 95 % interval of a difference between two teams' shares around 50 %
    (Newcombe's, from the teams' Wilson intervals, for the two smallest: the widest): None where
    fewer than two teams are shown.

    .. math:: h = \sqrt{(w_1 / 2)^2 + (w_2 / 2)^2}, \quad w_i = \text{Wilson width at } n_i, \hat p = 0.5
    """
    if TEAM not in ch.df.columns or ch.df[TEAM].nunique() <= 1:
        return None
    sizes = ch.df.groupby(TEAM)["interview_mode"].agg(n="size", face=lambda m: int((m == "face to face").sum()))
    sizes = sizes[~sizes.index.isin(hidden_groups(ch.df[TEAM], min_cell_size))].sort_index()
    if len(sizes) < 2:
        return None
    half = math.hypot(*(interval_width(int(n)) / 2 for n in sizes["n"].nsmallest(2)))
    return sizes.reset_index().assign(half_width=half)


def reported_path(ch: Chapter):
    """The intake's ``reported.yaml``, or None when no publication comes with it."""
    path = ch.paths.intake_dir / "reported.yaml"
    return path if path.is_file() else None


def reproduction(ch: Chapter) -> pd.DataFrame | None:
    """Every reported fact beside its value in this intake, written to ``reproduction.csv``."""
    path = reported_path(ch)
    if path is None:
        return None
    table = reproduction_table(ch.df, load_facts(path), ch.codebook, ch.manifest)
    write_table(table[REPRODUCTION_COLUMNS], ch.paths.tables_dir, "reproduction")
    return table


def facts(ch: Chapter) -> list[dict]:
    """The reported facts of the intake's publication (none without one)."""
    path = reported_path(ch)
    return load_facts(path) if path is not None else []


def publication_checks(ch: Chapter) -> dict | None:
    """GRIM on the reported percentages, the universal claims against the counts, and the text's
    contradictions; None without a publication."""
    path = reported_path(ch)
    if path is None:
        return None
    claims = load_claims(path)
    return {"grim": percent_checks(load_facts(path), ch.df), "claims": claim_checks(claims, ch.df),
            "claim_list": claims, "contradictions": load_contradictions(path), "facts": load_facts(path)}
